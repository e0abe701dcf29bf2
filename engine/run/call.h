/* engine/run/call.h — one call of a scenario: the step cursor as a state
 * machine (docs/decisions/0039-stage-and-call.md)
 *
 * A call holds what one playing of the flow needs and nothing that does
 * I/O: the cursor, the verdicts, each step's message, what arrived and no
 * step took yet, the Call-IDs it owns. Events come in (call_on_msg,
 * call_on_timer, call_on_act_done); what it wants done goes out through
 * its port, which the stage (engine/run/run.c) implements: send a step's
 * message through its role's agent, perform a do:, media: or event: step,
 * start or cancel one of its timers, report a verdict, log. It reads the
 * time only from the clock it was given.
 */
#ifndef SIPFLOW_CALL_H
#define SIPFLOW_CALL_H

#include <stdarg.h>
#include "scenario.h"
#include "run.h"

struct call;
struct clock;
struct msgrec;

enum prog {
	PROG_DONE = 0,
	PROG_WAIT,
	PROG_FAIL,
};

/* the timers a call arms: a step's bound, a wait: step, "advance after
 * the current handler returns" */
enum call_tmr {
	CALL_TMR_TIMEOUT = 0,
	CALL_TMR_WAIT,
	CALL_TMR_KICK,
	CALL_TMR_N,
};

enum { CALL_TMR_OFF = UINT32_MAX };  /* call_tmr_h: cancel it */

/* send st's message through its role's agent; *rp its record (also when
 * sending failed, for its frame), *whyp why it failed (the caller owns
 * it); ENOENT: cannot be built yet (what it answers has not arrived) */
typedef int (call_send_h)(struct call *call, const struct step *st,
			  struct msgrec **rp, char **whyp, void *arg);
/* perform a step the stage does (do:, media:, event:): how it goes */
typedef enum prog (call_act_h)(struct call *call, const struct step *st,
			       void *arg);
/* start timer t to expire in ms (CALL_TMR_OFF: cancel it); at expiry the
 * stage calls call_on_timer */
typedef void (call_tmr_h)(struct call *call, enum call_tmr t, uint32_t ms,
			  void *arg);
typedef void (call_verdict_h)(struct call *call, const struct step *st,
			      const struct verdict *v, void *arg);
typedef void (call_log_h)(struct call *call, const char *line, void *arg);
/* the call ends: stop what the stage does for it (stoph), then, the
 * verdicts all given, close what the flow left open (endh) */
typedef void (call_end_h)(struct call *call, void *arg);
/* the earlier scenario of the suite whose call callid is, or NULL */
typedef const char *(call_earlier_h)(const struct pl *callid, void *arg);
/* r belongs to no call of this one: the stage disposes of it */
typedef void (call_absorb_h)(struct call *call, struct msgrec *r,
			     void *arg);
/* why st's message may never have come, as the stage sees it ("; the
 * TCP connection … holds an incomplete message"), or nothing */
typedef int (call_why_h)(struct re_printf *pf, const struct step *st,
			 void *arg);

struct call_port {
	call_send_h *sendh;
	call_act_h *acth;
	call_tmr_h *tmrh;
	call_verdict_h *verdicth;
	call_log_h *logh;         /* NULL: no notes */
	call_end_h *stoph;
	call_end_h *endh;
	call_earlier_h *earlierh; /* NULL: no earlier scenarios */
	call_absorb_h *absorbh;
	call_why_h *whyh;         /* NULL: nothing to add */
	void *arg;
};

/* what a call judges with: the stage's, read (ledgers) or appended to
 * (findings) */
struct call_cfg {
	const struct scenario *sc;
	struct clock *clock;        /* read only */
	const struct list *ledgers; /* struct ledger: each role's */
	struct list *findings;      /* struct finding: broken rules */
	const struct sip_timers *timers;
	uint32_t timeout_ms;        /* a step's bound when neither it nor
				       the scenario sets one; 0: 5 s */
	bool offline;               /* verifying a capture */
	bool strict;                /* a rule warning fails its step */
};

struct call {
	struct call_cfg cfg;
	struct call_port port;
	struct verdict *v;          /* per step index */
	struct msgrec **steprec;    /* per step index: its message */
	bool *sent;                 /* per step index: sent, not yet
				       arrived */
	char **defer;               /* per step index: why a group member
				       could not be built yet, or NULL */
	uint64_t *at;               /* per step index: when it happened,
				       for the reaction of what follows */
	struct le *cur;             /* current top-level step */
	const struct step *armed;   /* the step the timeout is armed for */
	bool wait_started;
	struct list inbox;          /* received, not yet taken by a step */
	struct hash *ids;           /* the Call-IDs it owns */
	uint64_t t0;                /* clock_now() at its start */
	bool started;
	bool finished;
};

enum { DEFAULT_TIMEOUT_MS = 5000 };

/* engine/run/call.c */
int  call_alloc(struct call **callp, const struct call_cfg *cfg,
		const struct call_port *port);
void call_start(struct call *call);
uint64_t call_now(const struct call *call);
void call_vlogf(struct call *call, const char *fmt, va_list ap);
void call_logf(struct call *call, const char *fmt, ...);
uint32_t call_step_timeout(const struct call *call, const struct step *st);
void call_step_done(struct call *call, const struct step *st,
		    enum verdict_status s, uint32_t frame, char *reason);
void call_step_fail(struct call *call, const struct step *st,
		    uint32_t frame, const char *fmt, ...);
uint64_t call_reaction(const struct call *call, const struct msgrec *r);
void call_finish(struct call *call);
void call_kick(struct call *call);
struct pl call_key(const struct msgrec *r, char *buf, size_t sz);
void call_note(struct call *call, const struct msgrec *r);
bool call_known(const struct call *call, const struct pl *callid);
const char *call_id_of(const struct le *le);
const char *call_earlier(const struct call *call, const struct pl *callid);
bool call_stray(const struct call *call, const struct msgrec *r);

/* engine/run/call_step.c: the cursor */
void call_advance(struct call *call);
void call_on_msg(struct call *call, struct msgrec *r);
void call_on_timer(struct call *call, enum call_tmr t);
void call_on_act_done(struct call *call);
const struct step *call_waiting_step(const struct call *call,
				     const struct role *from,
				     const struct role *to);
const struct step *call_pending_step(const struct call *call);
bool call_step_settled(const struct call *call, const struct step *st,
		       enum prog *p);
void call_step_missing(struct call *call, const struct step *st,
		       const char *when);
int  call_step_line(struct re_printf *pf, const struct step *st);
char *call_cannot_build(const struct step *st, int err, const char *why);
int  call_rec_line(struct re_printf *pf, const struct msgrec *r);
int  call_role_name(struct re_printf *pf, const struct role *r);

/* engine/run/call_take.c: what arrives, to the steps */
enum prog call_take(struct call *call, const struct step *st);
bool call_unexpected(struct call *call);
bool call_later_step(const struct call *call, const struct msgrec *r);
typedef bool (call_visit_h)(const struct step *st, void *arg);
bool call_visit_rest(const struct call *call, call_visit_h *h, void *arg);

/* engine/run/call_unparsed.c: a message that does not decode, or answers
 * a raw: request */
bool call_answers_raw(const struct call *call, const struct step *st,
		      const struct msgrec *r);
bool call_unparsed_takes(const struct call *call, const struct step *st,
			 const struct msgrec *r);
void call_unparsed_take(struct call *call, const struct step *st,
			struct msgrec *r);
bool call_unparsed_unexpected(struct call *call, const struct step *st,
			      struct msgrec *r);

/* engine/run/call_rtx.c: retransmission-of: steps judged */
bool call_rtx_wanted(const struct call *call, const struct msgrec *r);
bool call_rtx_fits(const struct call *call, const struct step *st,
		   const struct msgrec *r);
char *call_rtx_check(const struct call *call, const struct step *st,
		     const struct msgrec *r);
uint32_t call_rtx_timeout(const struct call *call, const struct step *st);
void call_rtx_missing(struct call *call, const struct step *st, uint32_t t);

#endif
