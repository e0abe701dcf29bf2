/* engine/run/run_rtx.c — a run's retransmissions (RFC 3261 timers): what
 * scripted roles resend on UDP and when they give up, what a step loses
 * on purpose, and the steps that assert a peer's retransmission
 *
 * A copy is a real packet and a record of its own (copy_of names the
 * original): in the pcap, in the sender's tx list, delivered like any
 * other; its receiver absorbs it as a retransmission (run.c arrived()).
 * The intervals are engine/sip/retrans.c's.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "track.h"
#include "retrans.h"
#include "run.h"
#include "run_priv.h"
#include "clock.h"


/* one message a scripted role resends until its transaction moves on */
struct rtx {
	struct le le;            /* run.rtxs */
	struct run *run;
	struct agent *ag;
	struct msgrec *orig;     /* owned by run.msgs, which outlives us */
	enum rtx_kind kind;
	uint32_t ival;           /* the interval now running */
	unsigned copies;         /* retransmissions sent */
	struct clock_tmr tmr;    /* the next copy (Timer A, E, G) */
	struct clock_tmr tmr_end; /* Timer B, F, H; 64*T1 for a 2xx */
};


static void rtx_destructor(void *data)
{
	struct rtx *x = data;

	clock_tmr_cancel(&x->tmr);
	clock_tmr_cancel(&x->tmr_end);
	list_unlink(&x->le);
}


static const struct step *rec_step(const struct msgrec *r)
{
	return r->copy_of ? r->copy_of->step : r->step;
}


static const char *rec_step_id(const struct msgrec *r)
{
	const struct step *st = rec_step(r);

	return st ? st->id : "-";
}


/**
 * Put r on the wire from ag. It goes into the pcap as it leaves either
 * way; a copy its step loses on purpose (drop:, lose:) is not sent.
 */
int run_xmit(struct run *run, struct agent *ag, struct msgrec *r)
{
	struct msgrec *o = r->copy_of ? r->copy_of : r;
	struct mbuf mb;
	int err;

	if (o->lose_left) {
		run_write_pcap(run, r);
		--o->lose_left;
		r->lost = true;
		run_logf(run, "%s: %H from %H to %H (frame %u) lost on "
			 "purpose: it is in the capture, %H never gets it",
			 rec_step_id(r), call_rec_line, r, call_role_name,
			 r->from, call_role_name, r->to, r->frame,
			 call_role_name, r->to);
		return 0;
	}

	/* a view of the bytes: the record's pos marks its body */
	mbuf_init(&mb);
	mb.buf = r->mb->buf;
	mb.size = mb.end = r->mb->end;

	/* sent first: a connection chooses the address it leaves from */
	err = agent_send(ag, &r->dst, &mb, &r->src);
	run_write_pcap(run, r);

	/* a virtual clock waits for it before it jumps (recv_h) */
	if (!err && r->from && r->to && !role_acts(r->from) &&
	    !role_acts(r->to))
		clock_sent(run->clock);

	return err;
}


/*
 * The role, the transport, the scenario and r's step allow ag to resend
 * r. end_to_end: r is a 2xx to INVITE or the ACK for one; those are resent
 * on a reliable transport too, since a hop further on may be UDP
 * (§13.3.1.4: "independent of whatever transport protocols are used";
 * §13.2.2.4: an ACK for each 2xx that arrives); the rest only on UDP.
 */
static bool rtx_allowed(const struct run *run, const struct agent *ag,
			const struct msgrec *r, bool end_to_end)
{
	const struct step *st = rec_step(r);

	/* a kind the engine builds for has its own socket (agent_alloc) */
	return !run->offline && ag->kind->buildh &&
	       !role_acts(ag->role) && (end_to_end || !agent_reliable(ag)) &&
	       !run->sc->no_retransmit && !ag->role->no_retransmit &&
	       !(st && st->no_retransmit);
}


/* resend o from ag as a record of its own */
static struct msgrec *rtx_copy(struct run *run, struct agent *ag,
			       struct msgrec *o)
{
	struct agent *dut = o->to ? agent_find(&run->agents, o->to) : NULL;
	struct msgrec *c = NULL;
	int err;

	if (msgrec_alloc(&c, o->mb))
		return NULL;

	c->from = o->from;
	c->to = o->to;
	c->src = o->src;
	c->dst = o->dst;
	c->t_ms = run_now(run);
	c->copy_of = o;
	list_append(&run->msgs, &c->le, c);
	list_append(&ag->led.tx, &c->tx_le, c);

	/* a device's side: it gets the same message again */
	if (dut && dut->role->dut) {
		c->retrans = true;
		track_received(&dut->led, c);
	}

	err = run_xmit(run, ag, c);
	if (err)
		run_logf(run, "%s: cannot resend %H from %J to %J: %m",
			 rec_step_id(c), call_rec_line, c, &c->src, &c->dst,
			 err);

	return c;
}


/*
 * Has the transaction moved on so that x stops? A client request stops
 * at a response (non-INVITE: a final one; a provisional makes it
 * "proceeding", resent every T2); a final response to INVITE stops at
 * its ACK (§17.2.1, §13.3.1.4).
 */
static bool rtx_over(const struct rtx *x, bool *proceeding)
{
	const struct sip_msg *om = x->orig->msg;
	struct le *le;

	for (le = x->ag->led.rx.head; le; le = le->next) {
		const struct msgrec *r = le->data;
		const struct sip_msg *m = r->msg;

		if (!m)
			continue;

		if (x->kind == RTX_2XX || x->kind == RTX_FINAL) {
			if (m->req && !pl_strcmp(&m->met, "ACK") &&
			    !pl_cmp(&m->callid, &om->callid) &&
			    m->cseq.num == om->cseq.num)
				return true;
			continue;
		}

		if (m->req || !track_same_txn(om, m))
			continue;
		if (x->kind == RTX_INVITE || m->scode >= 200)
			return true;
		*proceeding = true;
	}

	return false;
}


static void rtx_h(void *arg)
{
	struct rtx *x = arg;
	struct run *run = x->run;
	bool proceeding = false;

	if (run->call->finished || rtx_over(x, &proceeding))
		return;

	if (!rtx_copy(run, x->ag, x->orig))
		return;
	++x->copies;

	x->ival = retrans_next(x->kind, x->ival, proceeding, &run->timers);
	clock_tmr_start(&x->tmr, run->clock, x->ival, rtx_h, x);
}


/* 64*T1 after the original: Timer B, F or H, or the end of a 2xx */
static void end_h(void *arg)
{
	struct rtx *x = arg;
	struct run *run = x->run;
	const struct msgrec *o = x->orig;
	const struct step *st;
	bool proceeding = false;
	uint32_t lim = retrans_limit(&run->timers);

	clock_tmr_cancel(&x->tmr);
	if (run->call->finished || rtx_over(x, &proceeding))
		return;

	if (x->kind == RTX_2XX || x->kind == RTX_FINAL) {
		run_logf(run, "%s: no ACK for %H from %H at %H within "
			 "%u.%u s (%s); sent %u times%s",
			 rec_step_id(o), call_rec_line, o, call_role_name,
			 o->to, call_role_name, o->from, lim / 1000,
			 lim % 1000 / 100, x->kind == RTX_2XX ? "64*T1"
			 : "Timer H, 64*T1", x->copies + 1,
			 x->kind == RTX_2XX
			 ? "; RFC 3261 §13.3.1.4: the UAS should end the "
			   "dialog with BYE" : "");
		return;
	}

	/* §17.1.1.2, §17.1.2.2: the transaction timed out */
	st = call_waiting_step(run->call, NULL, NULL);
	if (!st || run->call->v[st->idx].status != VERDICT_PENDING) {
		run_logf(run, "%s: %s fired for %H to %H", rec_step_id(o),
			 retrans_timer_name(x->kind), call_rec_line, o,
			 call_role_name, o->to);
		return;
	}

	call_step_fail(run->call, st, 0, "no %sresponse to %r %s from "
		       "%H: %s fired after %u.%u s (64*T1; sent %u times)%H",
		       x->kind == RTX_INVITE ? "" : "final ", &o->msg->met,
		       rec_step_id(o), call_role_name, o->to,
		       retrans_timer_name(x->kind), lim / 1000,
		       lim % 1000 / 100, x->copies + 1, run_icmp_print,
		       &(struct icmp_of){run, o->to});
	run_finish(run);
}


/** ag sent r for a step: resend it as RFC 3261 says, if it is due */
void run_rtx_start(struct run *run, struct agent *ag, struct msgrec *r)
{
	enum rtx_kind kind;
	struct rtx *x;

	if (!r->msg)
		return;

	kind = retrans_kind(r->msg, !ag->kind->forwards);
	if (kind == RTX_NONE || !rtx_allowed(run, ag, r, kind == RTX_2XX))
		return;

	x = mem_zalloc(sizeof(*x), rtx_destructor);
	if (!x)
		return;

	x->run = run;
	x->ag = ag;
	x->orig = r;
	x->kind = kind;
	x->ival = retrans_next(kind, 0, false, &run->timers);
	list_append(&run->rtxs, &x->le, x);
	clock_tmr_start(&x->tmr, run->clock, x->ival, rtx_h, x);
	clock_tmr_start(&x->tmr_end, run->clock, retrans_limit(&run->timers),
			end_h, x);
}


/* what ag sent in answer to o, the newest: the response of o's server
 * transaction; for a final response to INVITE, the ACK (§17.1.1.2,
 * §13.2.2.4), or at a proxy the 2xx it passed on (§16.7) */
static struct msgrec *answer_of(const struct agent *ag,
				const struct msgrec *o)
{
	const struct sip_msg *om = o->msg;
	bool proxy = ag->kind->forwards;
	struct le *le;

	if (om->req && !pl_strcmp(&om->met, "ACK"))
		return NULL;
	if (!om->req && (om->scode < 200 ||
			 pl_strcmp(&om->cseq.met, "INVITE")))
		return NULL;

	for (le = ag->led.tx.tail; le; le = le->prev) {
		struct msgrec *a = le->data;
		const struct sip_msg *m = a->msg;

		if (!m || a->copy_of)
			continue;
		if (om->req) {
			if (!m->req && track_same_txn(om, m))
				return a;
		}
		else if (proxy && om->scode < 300) {
			if (a->fwd_of == o)
				return a;
		}
		else if (m->req && !pl_strcmp(&m->met, "ACK") &&
			 !pl_cmp(&m->callid, &om->callid) &&
			 m->cseq.num == om->cseq.num) {
			return a;
		}
	}

	return NULL;
}


/**
 * r arrived at rcv again (a retransmission): a scripted role resends
 * what it answered the first copy with — the last response to a request
 * (§17.2.1, §17.2.2), the ACK for a final response to INVITE
 */
void run_rtx_answer(struct run *run, struct agent *rcv, struct msgrec *r)
{
	struct msgrec *o, *a, *c;

	o = track_original(&rcv->led, r);
	if (!o || !o->msg)
		return;

	a = answer_of(rcv, o);
	if (!a || !rtx_allowed(run, rcv, a,
			       retrans_kind(o->msg, true) == RTX_2XX))
		return;

	c = rtx_copy(run, rcv, a);
	if (c && a->fwd_of)
		run_logf(run, "%H passed on the retransmitted %H (frame %u) "
			 "as frame %u (RFC 3261 §16.7)", call_role_name,
			 rcv->role, call_rec_line, r, r->frame, c->frame);
	else if (c)
		run_logf(run, "%H resent %H (frame %u) for the retransmitted "
			 "%H (frame %u)", call_role_name, rcv->role,
			 call_rec_line, c, c->frame, call_rec_line, r,
			 r->frame);
}


/** The run ends: nothing more is resent */
void run_rtx_stop(struct run *run)
{
	list_flush(&run->rtxs);
}
