/* engine/run/run_priv.h — the runner's private parts, shared by run.c (the
 * run, its messages in and out) and run_step.c (the step cursor) */
#ifndef SIPFLOW_RUN_PRIV_H
#define SIPFLOW_RUN_PRIV_H

/* READY_MS: how long a role may take to come up (a phone's socket in
 * sight, a driver at its device); 5 s, as a step: a phone's priming
 * message waits its turn on a loop that 32 jobs share (1 s was missed
 * under ASan on 2 cores) */
enum { DEFAULT_TIMEOUT_MS = 5000, READY_MS = 5000 };

#include "scenario.h"
#include "clock.h"

struct media_win;
struct mstream;

enum prog {
	PROG_DONE = 0,
	PROG_WAIT,
	PROG_FAIL,
};

struct run {
	struct scenario *sc;
	struct run_opts opts;
	struct run_handlers h;
	struct list agents;
	struct list ledgers;        /* struct ledger: each agent's, what the
				      checks look roles up in */
	struct list msgs;          /* struct msgrec, every message */
	struct list inbox;         /* received, not yet taken by a step */
	struct list findings;      /* struct finding: broken rules */
	struct list rtxs;          /* struct rtx: what roles resend */
	struct sip_timers timers;  /* T1, T2, T4 of this run */
	struct hash *calls;        /* Call-IDs of this run (run_call_note) */
	struct pcapw *pcap;
	struct verdict *v;         /* per step index */
	struct msgrec **steprec;   /* per step index: its message */
	bool *sent;                /* per step index: sent, not yet arrived */
	char *icmp;                /* a device's address answered an ICMP
				      unreachable: what, for the timeout of
				      a step waiting for it */
	const struct role *icmp_from;  /* that device */
	struct sa icmp_peer;       /* the address last noted unreachable */
	char **defer;              /* per step index: why a group member
				      could not be built yet, or NULL */
	struct le *cur;            /* current top-level step */
	const struct step *armed;  /* the step the timeout is armed for */
	bool wait_started;
	struct clock *clock;       /* every timer and timestamp's */
	uint64_t t0;               /* clock_now() at start */
	uint64_t *at;              /* per step index: when it happened (its
				      message sent or arrived, a driver's
				      stimulus left), for the reaction of
				      what follows (run_reaction) */
	struct clock_tmr tmr_to;
	struct clock_tmr tmr_wait;
	struct clock_tmr tmr_kick;
	bool started;
	bool finished;
	bool offline;              /* verifying a capture (run_inject) */
	bool ready;                /* every phone's socket in sight */
	struct live *live;         /* --capture: a DUT's own traffic */
	struct pcapr_feed *feed;   /* its SIP messages, UDP and TCP */
	const struct step *acting; /* do: a device's driver is at it */
	uint64_t t_acted;          /* when it started */
	unsigned set_left;         /* set: the settings still to apply (one
				      driver action each), PHONE_CFG_* */
	const struct role *presetting; /* a device's own settings (the
				      role's keys) going to its driver
				      before the first step, or NULL */
	unsigned preset_from;      /* … roles from this index on are left */
	bool preset;               /* every device has its settings */
	struct agent *restoring;   /* the device whose settings of this run
				      are being undone (run_do_restore) */
	const struct step *quiet_st; /* the do: step whose device is given */
	uint64_t quiet_until;      /* its quiet time until then (run_do.c) */
	struct clock_tmr tmr_quiet;

	/* after the verdicts (engine/run/run_teardown.c) */
	bool tearing;              /* closing what the flow left open */
	struct clock_tmr tmr_settle;     /* no message for the settle time */
	struct clock_tmr tmr_settle_max; /* the wait for quiet ends anyway */

	/* event: steps (engine/run/run_event.c) */
	struct list events;            /* struct devevent: what the devices
					  reported */
	struct clock_tmr tmr_event;    /* the bound of the one waiting */

	/* media: steps (engine/run/run_media.c) */
	struct media_win *mwin;        /* per step: its listening window */
	struct mstream **dtmf_ms;      /* per role: the leg last checked */
	size_t *dtmf_mark;             /* per role: digits already judged */
};

uint64_t run_now(const struct run *run);
void run_logf(struct run *run, const char *fmt, ...);
uint32_t run_step_timeout(const struct run *run, const struct step *st);
void run_step_done(struct run *run, const struct step *st,
	       enum verdict_status s, uint32_t frame, char *reason);
void run_step_missing(struct run *run, const struct step *st,
		      const char *when);
void run_step_fail(struct run *run, const struct step *st, uint32_t frame,
	       const char *fmt, ...);
int  run_step_line(struct re_printf *pf, const struct step *st);
struct icmp_of {
	const struct run *run;
	const struct role *dev;
};
int  run_icmp_print(struct re_printf *pf, const struct icmp_of *ic);
int  run_rec_line(struct re_printf *pf, const struct msgrec *r);
int  run_role_name(struct re_printf *pf, const struct role *r);
uint64_t run_reaction(const struct run *run, const struct msgrec *r);
bool run_later_step(const struct run *run, const struct msgrec *r);
void run_write_pcap(struct run *run, struct msgrec *r);
void run_pcap_comments(struct run *run);
const struct step *run_waiting_step(const struct run *run,
				const struct role *from,
				const struct role *to);
const struct step *run_pending_step(const struct run *run);
void run_call_note(struct run *run, const struct msgrec *r);
bool run_call_known(const struct run *run, const struct pl *callid);
bool run_step_settled(const struct run *run, const struct step *st,
		      enum prog *p);
void run_advance(struct run *run);
enum prog run_do_step(struct run *run, const struct step *st);
enum prog run_event_step(struct run *run, const struct step *st);
struct agent;
void run_event_h(struct agent *ag, const char *name, const char *detail,
		 void *arg);
bool run_do_restore(struct run *run);
bool run_do_presets(struct run *run);
int  run_media_alloc(struct run *run);
void run_media_stop(struct run *run);
enum prog run_media_step(struct run *run, const struct step *st);
/* a media: step's thresholds: quieter is silence; the share of the
 * energy a tone owns (expect: tone), a party's tone with others */
enum { MEDIA_AUDIBLE_DBOV = -50, MEDIA_TONE_PCT = 50, MEDIA_PARTY_PCT = 30 };
/* what a device under test heard, from its own recording
 * (engine/run/run_heard.c); mk NULL: it cannot tell */
struct agent_heard;
struct media_fig;
char *run_heard_judge(struct run *run, const struct step *st,
		      const struct agent_heard *mk, const struct role *from,
		      const struct role *to, struct media_fig *f);
void run_kick(struct run *run);
void run_finish(struct run *run);

/* a device's message that does not decode, or answers a raw: request
 * (engine/run/run_unparsed.c) */
bool run_answers_raw(const struct run *run, const struct step *st,
		     const struct msgrec *r);
bool run_unparsed_takes(const struct run *run, const struct step *st,
			const struct msgrec *r);
void run_unparsed_take(struct run *run, const struct step *st,
		       struct msgrec *r);
bool run_unparsed_unexpected(struct run *run, const struct step *st,
			     struct msgrec *r);

/* teardown and leftovers (engine/run/run_teardown.c) */
const char *run_earlier(const struct run *run, const struct pl *callid);
struct pl run_call_key(const struct msgrec *r, char *buf, size_t sz);
bool run_stray(const struct run *run, const struct msgrec *r);
void run_stray_absorb(struct run *run, struct msgrec *r);
void run_teardown(struct run *run);
void run_teardown_cut(struct run *run, const char *why);
void run_teardown_arrived(struct run *run, struct agent *rcv,
			  struct msgrec *r);

/* retransmissions (engine/run/run_rtx.c) */
int  run_xmit(struct run *run, struct agent *ag, struct msgrec *r);
void run_rtx_start(struct run *run, struct agent *ag, struct msgrec *r);
void run_rtx_answer(struct run *run, struct agent *rcv, struct msgrec *r);
bool run_rtx_wanted(const struct run *run, const struct msgrec *r);
bool run_rtx_fits(const struct run *run, const struct step *st,
		  const struct msgrec *r);
char *run_rtx_check(const struct run *run, const struct step *st,
		    const struct msgrec *r);
uint32_t run_rtx_timeout(const struct run *run, const struct step *st);
void run_rtx_missing(struct run *run, const struct step *st, uint32_t t);
void run_rtx_stop(struct run *run);

#endif
