/* engine/run/run.h — play one scenario: the step cursor on libre's loop */
#ifndef SIPFLOW_RUN_H
#define SIPFLOW_RUN_H

struct clock;
struct diag;
struct msgrec;
struct role;
struct run;
struct scenario;
struct sip_timers;
struct step;

enum verdict_status {
	VERDICT_PENDING = 0,
	VERDICT_PASS,
	VERDICT_FAIL,
	VERDICT_SKIP,    /* an optional step that did not happen */
	VERDICT_NOTRUN,  /* not reached: an earlier step failed */
};

/** What happened at one step: the evidence */
struct verdict {
	enum verdict_status status;
	uint32_t frame;        /* pcap frame of its message, 0 if none */
	uint64_t t_ms;         /* when it completed, ms since the start */
	bool sent;             /* the engine sent it (a simulated sender) */
	bool stimulus;         /* do: through a device's driver */
	int64_t device_ms;     /* a device's message: ms since the step
				  before (its reaction); do: through a
				  driver: ms until it acknowledged; -1 */
	char *reason;          /* why it failed or was skipped */
};

/** What a media: step measured in one direction: the figures the
 *  verdict was judged from, for the reports (report.json, report.html) */
struct media_fig {
	const struct role *from;  /* the talker, NULL: whoever sends */
	const struct role *to;    /* the listener */
	bool measured;         /* false: the listener is a device under
				  test, whose ears are not ours */
	uint64_t start_ms, end_ms; /* the window, ms since the start */
	uint32_t packets;      /* RTP audio packets received in it */
	uint32_t expected;     /* about how many a talker sends in it */
	uint32_t lost;         /* by sequence number gaps */
	double jitter_ms;      /* RFC 3550 interarrival jitter */
	double level_dbov;     /* of what was played out, -120 silence */
	double mos;            /* E-model (G.107) from loss and jitter, 0
				  when nothing arrived */
	bool audio;            /* audible: above the silence level */
	uint32_t tone_hz;      /* the tone expected, 0: none */
	double tone_share;     /* its share of the energy, 0..1 */
	uint32_t heard_hz;     /* the dominant frequency measured, 0: no
				  audio to measure */
	double heard_share;    /* its share of the energy, 0..1 */
	char dtmf[32];         /* DTMF: the digits received in it */
};

/** The earlier scenario of the suite that made the call callid, or NULL */
typedef const char *(run_earlier_h)(const struct pl *callid, void *arg);

struct run_opts {
	const char *pcap_path; /* where to write the capture, NULL: none */
	uint32_t timeout_ms;   /* per-step default when the scenario has
				  none */
	const char *capture;   /* live-capture this interface: DUTs' own
				  packets go into the pcap, and steps
				  between two DUTs become observable */
	bool offline;          /* verify a capture: every role observed, the
				  messages come from run_inject, time from
				  their timestamps */
	const struct sip_timers *timers; /* --timer: each one set wins
					    over the scenario's; NULL */
	uint32_t settle_ms;    /* teardown: quiet after this long without a
				  message; 0: 300 ms */
	uint32_t settle_max_ms; /* … and the wait ends after this; 0: 5 s */
	run_earlier_h *earlierh; /* Call-IDs of earlier scenarios, or NULL */
	void *earlier_arg;
	struct clock *clock;   /* the run's time (engine/run/clock.h); NULL:
				  a real one of its own (offline: the
				  capture's). A virtual one only where
				  run_virtual_ok() */
	bool pcapng;           /* the capture as pcapng, the verdicts as
				  frame comments (else classic pcap) */
	bool strict;           /* --strict: a rule warning (a SHOULD of the
				  RFC) fails its step too */
};

typedef void (run_step_h)(const struct run *run, const struct step *st,
			  const struct verdict *v, void *arg);
typedef void (run_log_h)(const struct run *run, const char *line,
			 void *arg);
typedef void (run_done_h)(struct run *run, void *arg);

struct run_handlers {
	run_step_h *steph;     /* a step got its verdict */
	run_log_h *logh;       /* a note: retransmission absorbed, … */
	run_done_h *doneh;     /* the run ended (pass, fail, interrupt) */
	void *arg;
};

int  run_alloc(struct run **runp, struct scenario *sc,
	       const struct run_opts *opts, const struct run_handlers *h,
	       struct diag *dg);
int  run_start(struct run *run);
void run_interrupt(struct run *run, const char *why);
int  run_inject(struct run *run, const struct sa *src, const struct sa *dst,
		const uint8_t *p, size_t len, uint32_t frame, uint64_t t_ms);
void run_end_offline(struct run *run);
const struct scenario *run_scenario(const struct run *run);
const struct verdict *run_verdict(const struct run *run, unsigned idx);
const struct list *run_msgs(const struct run *run);
const struct list *run_findings(const struct run *run);
unsigned run_media_figs(const struct run *run, unsigned idx,
			const struct media_fig **figsp);
const struct msgrec *run_step_rec(const struct run *run, unsigned idx);
unsigned run_count(const struct run *run, enum verdict_status s);
bool run_passed(const struct run *run);
int  run_pcap_error(const struct run *run, const char **whyp);
int  run_record_error(const struct run *run, const char **pathp);
bool verdict_counts(const struct step *st, enum verdict_status s);
uint64_t run_elapsed_ms(const struct run *run);
bool run_virtual_ok(const struct scenario *sc);
typedef void (run_call_h)(const char *callid, void *arg);
void run_calls_apply(const struct run *run, run_call_h *h, void *arg);
const char *verdict_name(enum verdict_status s);

#endif
