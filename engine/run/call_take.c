/* engine/run/call_take.c — what arrives, to the steps: the message a step
 * waits for taken from the inbox and judged (match, rules, timing), and
 * what no remaining step can take */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "track.h"
#include "match.h"
#include "authcheck.h"
#include "rules.h"
#include "run.h"
#include "call.h"


/*
 * The conformance rules on a received message. Warnings become notes;
 * returns the first finding that fails the step (an error, or under
 * --strict a warning too: the verdict then says so), or NULL.
 */
static const struct finding *check_rules(struct call *call, struct msgrec *r,
					 struct msgrec *ant,
					 const struct step *st)
{
	struct ledger *rcv = ledger_find(call->cfg.ledgers, r->to);
	const struct finding *first = NULL;
	struct rulectx c;
	struct le *le;

	if (!r->msg)
		return NULL;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.m = r->msg;
	c.rcv = rcv;
	c.ant = ant ? ant : r->fwd_of;
	if (!r->msg->req && rcv)
		c.req = track_client_txn(rcv, r);

	/* the answer to a raw: request copies its From, To, Call-ID, CSeq
	 * and Via (RFC 3261 §8.2.6.2): rules on them would judge the torture
	 * message, not the device (docs/decisions/0029) */
	if ((c.req && c.req->step && c.req->step->raw) ||
	    (st && !st->req && st->assoc && st->assoc->raw))
		return NULL;

	le = call->cfg.findings->tail;
	rules_check(call->cfg.findings, &c, call->cfg.sc, st,
		    call->cfg.strict);

	le = le ? le->next : call->cfg.findings->head;
	for (; le; le = le->next) {
		const struct finding *f = le->data;

		if (finding_fails(f) && !first)
			first = f;
		else if (f->sev == RULE_WARNING)
			call_logf(call, "%s: warning: %H (frame %u)",
				  st ? st->id : "-", finding_print, f,
				  f->frame);
	}

	return first;
}


/* after why a message no step took fails a step: the error rule it
 * breaks by itself, if any — what makes a response without a Call-ID or
 * with two CSeqs fit no transaction */
static int broken_print(struct re_printf *pf, const struct finding *f)
{
	return f ? re_hprintf(pf, "; the message breaks %H", finding_print,
			      f) : 0;
}


/** The steps from the cursor on, group members included, in order, to h
 *  until it returns true (then true) */
bool call_visit_rest(const struct call *call, call_visit_h *h, void *arg)
{
	struct le *le, *me;

	for (le = call->cur; le; le = le->next) {
		const struct step *st = le->data;

		if (st->type != STEP_GROUP) {
			if (h(st, arg))
				return true;
			continue;
		}
		for (me = st->members.head; me; me = me->next) {
			if (h(me->data, arg))
				return true;
		}
	}

	return false;
}


struct later {
	const struct call *call;
	const struct msgrec *r;
};


static bool later_h(const struct step *st, void *arg)
{
	struct later *l = arg;

	return l->call->v[st->idx].status == VERDICT_PENDING &&
	       match_kind(st, l->r);
}


/* a response that answers another request than st's answers: names,
 * and that a later pending step (or another member of st's group) takes
 * whole, is that step's: a device may answer two requests in either
 * order (a proxy relays the 200 to a NOTIFY before the 200 to a CANCEL) */
struct elsewhere {
	struct later l;          /* a pending step of the message's kind */
	struct call *call;
	const struct step *st;
	struct msgrec *r;
};


static bool elsewhere_h(const struct step *m, void *arg)
{
	struct elsewhere *e = arg;
	struct msgrec *ant = NULL;
	enum match_res res;
	char *why = NULL;

	if (m == e->st || !later_h(m, &e->l))
		return false;

	res = match_step(m, e->call->cfg.sc, e->r, e->call->cfg.ledgers,
			 e->call->steprec, &ant, &why);
	mem_deref(why);

	return res == MATCH_YES;
}


/* a pending step of r's kind other than st */
static bool another_h(const struct step *m, void *arg)
{
	struct elsewhere *e = arg;

	return m != e->st && later_h(m, &e->l);
}


/* ... or the request it answers is not a step's yet (it waits in the
 * inbox for a later step): the response came before the cursor reached
 * its request — a phone sends a NOTIFY and an INVITE at once, and the
 * answers cross — and a later step of its kind will judge it */
static bool answers_elsewhere(struct call *call, const struct step *st,
			      struct msgrec *r)
{
	struct elsewhere e = {{call, r}, call, st, r};
	struct msgrec *req = NULL;

	if (!match_answers_other(st, r, call->cfg.ledgers, call->steprec,
				 &req))
		return false;
	if (!req->step && call_visit_rest(call, another_h, &e))
		return true;

	return call_visit_rest(call, elsewhere_h, &e);
}


/* find the message an expected step is waiting for in the inbox */
enum prog call_take(struct call *call, const struct step *st)
{
	struct le *le;

	for (le = call->inbox.head; le; le = le->next) {
		struct msgrec *r = le->data, *ant = NULL;
		enum match_res res;
		char *why = NULL;

		if (call_stray(call, r))
			continue;   /* unexpected() absorbs it */
		if (!r->msg && call_unparsed_takes(call, st, r)) {
			call_unparsed_take(call, st, r);
			return PROG_DONE;
		}
		if (r->malformed && !call_answers_raw(call, st, r))
			continue;   /* unexpected() fails on it */
		if (!call_rtx_fits(call, st, r))
			continue;

		res = match_step(st, call->cfg.sc, r, call->cfg.ledgers,
				 call->steprec, &ant, &why);
		if (res == MATCH_NO ||
		    (res == MATCH_BAD && answers_elsewhere(call, st, r))) {
			mem_deref(why);
			continue;
		}

		list_unlink(&r->in_le);
		r->step = st;
		call->steprec[st->idx] = r;
		call_note(call, r);

		if (res == MATCH_BAD) {
			call_step_fail(call, st, r->frame, "%s%H",
				       why ? why : "", broken_print,
				       check_rules(call, r, ant, st));
			mem_deref(why);
			return PROG_FAIL;
		}
		mem_deref(why);

		if (ant)
			ant->forwarded = true;

		{
			const struct finding *f;

			f = check_rules(call, r, ant, st);

			if (f) {
				call_step_fail(call, st, r->frame, "%H",
					  finding_print, f);
				return PROG_FAIL;
			}
		}

		if (st->rtx_of) {
			char *late = call_rtx_check(call, st, r);

			if (late) {
				call_step_done(call, st, VERDICT_FAIL,
					       r->frame, late);
				return PROG_FAIL;
			}
		}

		if (st->within_ms && call_reaction(call, r) > st->within_ms) {
			call_step_fail(call, st, r->frame, "%H arrived after "
				       "%llu ms; within: allows %u ms",
				       call_step_line, st,
				  (unsigned long long)call_reaction(call, r),
				  st->within_ms);
			return PROG_FAIL;
		}

		call_step_done(call, st, VERDICT_PASS, r->frame, NULL);
		return PROG_DONE;
	}

	return PROG_WAIT;
}


/** True when a pending step from the cursor on would take r, a message
 *  of this call */
bool call_later_step(const struct call *call, const struct msgrec *r)
{
	struct later l = {call, r};

	return r->msg && !call_stray(call, r) &&
	       call_visit_rest(call, later_h, &l);
}


/* an optional step skipped (its next step's message came first) whose
 * message r is, arriving late: a proxy's 180 may follow its 200 */
static const struct step *late_optional(const struct call *call,
					struct msgrec *r)
{
	unsigned i;

	for (i = 0; r->msg && i < call->cfg.sc->nsteps; i++) {
		const struct step *st = scenario_step_at(call->cfg.sc, i);
		struct msgrec *ant = NULL;
		enum match_res res;
		char *why = NULL;

		if (!st || !st->optional ||
		    call->v[i].status != VERDICT_SKIP || call->steprec[i])
			continue;

		res = match_step(st, call->cfg.sc, r, call->cfg.ledgers,
				 call->steprec, &ant, &why);
		mem_deref(why);
		if (res == MATCH_YES)
			return st;
	}

	return NULL;
}


/**
 * Messages in the inbox that no step from the cursor on can take: an
 * unlisted 100 Trying is absorbed (it is hop by hop); anything else fails
 * the step that was waiting. Returns true if the call failed.
 */
bool call_unexpected(struct call *call)
{
	struct le *le = call->inbox.head;

	while (le) {
		struct msgrec *r = le->data;
		const struct step *st;

		le = le->next;

		/* not SIP as RFC 3261 writes it: no step takes it (what
		 * answers a raw: request is judged below, by its status) */
		st = call_waiting_step(call, r->from, r->to);
		if ((r->malformed || r->bad) &&
		    !(st && call_answers_raw(call, st, r))) {
			if (!st)
				return false;
			if (!r->msg) {
				/* st failed naming it, or a leftover
				 * absorbed */
				if (call_unparsed_unexpected(call, st, r))
					return true;
				if (!r->in_le.list)
					continue;
			}
			list_unlink(&r->in_le);
			call_step_fail(call, st, r->frame, "malformed message "
				       "from %H at %H (frame %u): %s",
				       call_role_name, r->from, call_role_name,
				       r->to, r->frame, r->bad ? r->bad
				       : r->malformed);
			return true;
		}

		if (call_stray(call, r)) {
			list_unlink(&r->in_le);
			call->port.absorbh(call, r, call->port.arg);
			continue;
		}

		if (call_later_step(call, r))
			continue;

		st = late_optional(call, r);
		if (st) {
			const struct finding *f;

			list_unlink(&r->in_le);
			call->steprec[st->idx] = r;  /* its step's, if late */
			f = check_rules(call, r, NULL, st);
			if (f) {
				const struct step *w;

				w = call_waiting_step(call, r->from, r->to);
				call_step_fail(call, w ? w : st, r->frame,
					       "%H in the late message of "
					       "optional %s", finding_print,
					       f, st->id);
				return true;
			}
			call_logf(call, "absorbed %H from %H to %H (frame "
				  "%u): the message of optional step %s, "
				  "skipped, came late", call_rec_line, r,
				  call_role_name, r->from, call_role_name,
				  r->to, r->frame, st->id);
			continue;
		}

		if (r->msg && !r->msg->req && r->msg->scode == 100) {
			const struct finding *f;

			list_unlink(&r->in_le);
			f = check_rules(call, r, NULL, NULL);
			if (f) {
				st = call_waiting_step(call, r->from, r->to);
				if (st)
					call_step_fail(call, st, r->frame,
						       "%H in an unlisted "
						       "100 Trying",
						       finding_print, f);
				return true;
			}
			call_logf(call, "absorbed an unlisted 100 Trying "
				  "from %H to %H (frame %u)", call_role_name,
				  r->from, call_role_name, r->to, r->frame);
			continue;
		}

		st = call_waiting_step(call, r->from, r->to);
		if (!st)
			return false;

		if (!r->msg) {
			if (call_unparsed_unexpected(call, st, r))
				return true;    /* st failed, naming it */
			if (!r->in_le.list)
				continue;       /* a leftover, absorbed */
		}

		list_unlink(&r->in_le);
		if (st->type == STEP_MSG && st->from == r->from &&
		    st->to == r->to) {
			struct auth_reject rj = {r, call->cfg.ledgers};

			call_step_fail(call, st, r->frame, "expected %H from "
				       "%s, got %H (frame %u)%H%H",
				       call_step_line, st, st->from->name,
				       call_rec_line, r, r->frame,
				       auth_rejected_print, &rj, broken_print,
				       check_rules(call, r, NULL, st));
		}
		else {
			call_step_fail(call, st, r->frame, "unexpected %H "
				       "from %H to %H (frame %u) while "
				       "waiting for %H%H", call_rec_line, r,
				       call_role_name, r->from, call_role_name,
				       r->to, r->frame, call_step_line, st,
				       broken_print,
				       check_rules(call, r, NULL, st));
		}
		return true;
	}

	return false;
}


