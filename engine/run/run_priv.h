/* engine/run/run_priv.h — the stage's private parts, shared by run.c (the
 * run, its messages in and out), run_port.c (its side of the call) and
 * the files of what it does for the call (do:, media:, event:, teardown,
 * retransmissions) */
#ifndef SIPFLOW_RUN_PRIV_H
#define SIPFLOW_RUN_PRIV_H

/* READY_MS: how long a role may take to come up (a phone's socket in
 * sight, a driver at its device); 5 s, as a step: a phone's priming
 * message waits its turn on a loop that 32 jobs share (1 s was missed
 * under ASan on 2 cores) */
enum { READY_MS = 5000 };

#include "scenario.h"
#include "clock.h"
#include "call.h"

struct media_win;
struct mstream;

/* the stage: the scenario, its roles' agents and ledgers, the pcap, the
 * clock, the live capture, the findings; what arrives goes to its call
 * (call.h: the cursor, the verdicts, each step's message) */
struct run {
	struct scenario *sc;
	struct call *call;         /* the one call it plays */
	struct clock_tmr ctmr[CALL_TMR_N]; /* the call's timers */
	struct run_opts opts;
	struct run_handlers h;
	struct list agents;
	struct list ledgers;        /* struct ledger: each agent's, what the
				      checks look roles up in */
	struct list msgs;          /* struct msgrec, every message */
	struct list findings;      /* struct finding: broken rules */
	struct list rtxs;          /* struct rtx: what roles resend */
	struct sip_timers timers;  /* T1, T2, T4 of this run */
	struct pcapw *pcap;
	char *icmp;                /* a device's address answered an ICMP
				      unreachable: what, for the timeout of
				      a step waiting for it */
	const struct role *icmp_from;  /* that device */
	struct sa icmp_peer;       /* the address last noted unreachable */
	struct clock *clock;       /* every timer and timestamp's */
	uint64_t t0;               /* clock_now() at start */
	bool started;
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
struct icmp_of {
	const struct run *run;
	const struct role *dev;
};
int  run_icmp_print(struct re_printf *pf, const struct icmp_of *ic);
void run_write_pcap(struct run *run, struct msgrec *r);
void run_pcap_comments(struct run *run);
/* engine/run/run_recv.c: what the stage hears */
struct diag;
extern const struct agent_handlers run_agent_handlers;
int  run_capture_open(struct run *run, const char *capsrc, struct diag *dg);
/* engine/run/run_port.c: the stage's side of its call */
int  run_call_alloc(struct run *run);
void run_finish(struct run *run);
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

/* teardown and leftovers (engine/run/run_teardown.c) */
void run_stray_absorb(struct run *run, struct msgrec *r);
void run_teardown(struct run *run);
void run_teardown_cut(struct run *run, const char *why);
void run_teardown_arrived(struct run *run, struct agent *rcv,
			  struct msgrec *r);

/* retransmissions (engine/run/run_rtx.c) */
int  run_xmit(struct run *run, struct agent *ag, struct msgrec *r);
void run_rtx_start(struct run *run, struct agent *ag, struct msgrec *r);
void run_rtx_answer(struct run *run, struct agent *rcv, struct msgrec *r);
void run_rtx_stop(struct run *run);

#endif
