/* engine/run/call_rtx.c — the steps that assert a peer's retransmission
 * (retransmission-of:, absent:): which copy a step waits for, and whether
 * it came about one RFC 3261 interval after the copy before it (what
 * scripted roles resend: run_rtx.c). The intervals are
 * engine/sip/retrans.c's.
 */
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "track.h"
#include "retrans.h"
#include "run.h"
#include "call.h"


/* the message a retransmission-of: step repeats, once it is known */
static const struct msgrec *rtx_orig(const struct call *call,
				     const struct step *st)
{
	return st->rtx_of ? call->steprec[st->rtx_of->idx] : NULL;
}


/** r, a retransmission, is what a pending retransmission-of: step waits
 *  for: it goes to the steps instead of being absorbed */
bool call_rtx_wanted(const struct call *call, const struct msgrec *r)
{
	unsigned i;

	for (i = 0; i < call->cfg.sc->nsteps; i++) {
		const struct step *st = scenario_step_at(call->cfg.sc, i);
		const struct msgrec *o = st ? rtx_orig(call, st) : NULL;

		/* an absent: step only minds the copies that come while it
		 * waits; one before is absorbed as usual */
		if (st->absent && st != call_waiting_step(call, NULL, NULL))
			continue;
		if (o && call->v[i].status == VERDICT_PENDING &&
		    st->from == r->from && st->to == r->to &&
		    track_same_msg(o, r))
			return true;
	}

	return false;
}


/** r may be taken by st: a retransmission only by the step that asserts
 *  one, and then only a copy of that step's message */
bool call_rtx_fits(const struct call *call, const struct step *st,
		   const struct msgrec *r)
{
	const struct msgrec *o = rtx_orig(call, st);

	if (!st->rtx_of)
		return !r->retrans;

	return o && r->retrans && track_same_msg(o, r);
}


/* the interval the copy before r's, at r's receiver, and which copy r is */
static uint32_t expected_ival(const struct call *call, const struct step *st,
			      unsigned n)
{
	const struct msgrec *o = rtx_orig(call, st);
	enum rtx_kind kind = o ? retrans_kind(o->msg, true) : RTX_NONE;

	return kind == RTX_NONE ? 0 : retrans_ival(kind, n, call->cfg.timers);
}


/**
 * A retransmission-of: step took r: it must have come about one interval
 * after the copy before it (the first: T1 after the original) — or, for
 * an absent: step, not at all. NULL when it fits, else why not (the
 * caller owns it).
 */
char *call_rtx_check(const struct call *call, const struct step *st,
		     const struct msgrec *r)
{
	const struct msgrec *o = rtx_orig(call, st), *prev = o;
	const struct ledger *rcv = ledger_find(call->cfg.ledgers, r->to);
	uint32_t exp, lo, hi, gap;
	unsigned n = 0;
	char *why = NULL;
	struct le *le;

	if (st->absent) {
		(void)re_sdprintf(&why, "a retransmission of %H (%s) from %s "
				  "came (frame %u) %llu ms after the step "
				  "before; absent: asserts none within %u ms",
				  call_step_line, st->rtx_of, st->rtx_of->id,
				  st->from->name, r->frame,
				  (unsigned long long)call_reaction(call, r),
				  call_step_timeout(call, st));
		return why;
	}

	for (le = rcv ? rcv->rx.head : NULL; le && le->data != r;
	     le = le->next) {
		const struct msgrec *x = le->data;

		if (x == o || track_same_msg(o, x)) {
			prev = x;
			++n;
		}
	}

	exp = expected_ival(call, st, n ? n : 1);
	if (!exp)
		return NULL;   /* resent on request, not on a timer */

	retrans_window(exp, &lo, &hi);
	gap = (uint32_t)(r->t_rx - prev->t_rx);
	if (gap >= lo && gap <= hi)
		return NULL;

	(void)re_sdprintf(&why, "retransmission %u of %H (%s) arrived %u ms "
			  "after the copy before it (frame %u); RFC 3261 "
			  "timers (T1 = %u ms, T2 = %u ms) put it %u ms "
			  "after, accepted %u..%u ms", n ? n : 1,
			  call_step_line, st->rtx_of, st->rtx_of->id, gap,
			  prev->frame, call->cfg.timers->t1,
			  call->cfg.timers->t2, exp, lo, hi);
	return why;
}


/* which retransmission of its message st asserts: 1 for the first */
static unsigned rtx_nth(const struct call *call, const struct step *st)
{
	unsigned i, n = 1;

	for (i = 0; i < st->idx; i++) {
		const struct step *o = scenario_step_at(call->cfg.sc, i);

		if (o && o->rtx_of == st->rtx_of)
			++n;
	}

	return n;
}


/** How long a retransmission-of: step waits: to the end of its window */
uint32_t call_rtx_timeout(const struct call *call, const struct step *st)
{
	uint32_t exp = expected_ival(call, st, rtx_nth(call, st)), lo, hi;

	if (!exp)
		exp = call->cfg.timers->t2;
	retrans_window(exp, &lo, &hi);

	return hi + 100;
}


/** A retransmission-of: step saw none in time */
void call_rtx_missing(struct call *call, const struct step *st, uint32_t t)
{
	call_step_fail(call, st, 0, "no retransmission of %H (%s) from %s at "
		       "%s within %u ms (T1 = %u ms)", call_step_line,
		       st->rtx_of, st->rtx_of->id, st->from->name,
		       st->to->name, t, call->cfg.timers->t1);
}


