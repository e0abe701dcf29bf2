/* engine/run/call_step.c — the step cursor of a call: what simulated roles
 * send goes out through the port, what arrives is taken (call_take.c),
 * groups, waits, optional steps, timeouts; the events that move it */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "match.h"
#include "authcheck.h"
#include "run.h"
#include "call.h"


/* a simulated role's step: its message goes out through the port; to a
 * device, it is done then (the device's side of the story: it received
 * it) */
static enum prog send_step(struct call *call, const struct step *st)
{
	struct msgrec *r = NULL;
	char *why = NULL;
	int err;

	err = call->port.sendh(call, st, &r, &why, call->port.arg);
	if (r)
		call_note(call, r);   /* a Call-ID of this call now */
	if (err == ENOENT && st->group) {
		/* in a group, what it answers may simply not be there yet;
		 * kept, so a timeout can say why it never left */
		mem_deref(call->defer[st->idx]);
		call->defer[st->idx] = why;
		return PROG_WAIT;
	}
	if (err == ENOENT) {
		char *reason = call_cannot_build(st, err, why);

		mem_deref(why);
		call_step_done(call, st, VERDICT_FAIL, 0, reason);
		return PROG_FAIL;
	}
	if (err) {
		call_step_done(call, st, VERDICT_FAIL, r ? r->frame : 0, why);
		return PROG_FAIL;
	}
	mem_deref(why);

	call->v[st->idx].sent = true;
	call->sent[st->idx] = true;

	if (st->to->dut) {
		call->steprec[st->idx] = r;
		r->step = st;
		call_step_done(call, st, VERDICT_PASS, r->frame, NULL);
	}

	return PROG_DONE;
}


static enum prog msg_progress(struct call *call, const struct step *st)
{
	enum prog p;

	if (call->v[st->idx].status != VERDICT_PENDING)
		return PROG_DONE;

	if (!role_acts(st->from) && !call->sent[st->idx]) {
		p = send_step(call, st);
		if (p != PROG_DONE || st->to->dut)
			return p;
	}

	return call_take(call, st);
}




/* the first pending step at the cursor, preferring one between these
 * two roles (a group has several) */
const struct step *call_waiting_step(const struct call *call,
				       const struct role *from,
				       const struct role *to)
{
	const struct step *cur = call->cur ? call->cur->data : NULL;
	const struct step *first = NULL;
	struct le *le;

	if (!cur || cur->type != STEP_GROUP)
		return cur;

	for (le = cur->members.head; le; le = le->next) {
		const struct step *m = le->data;

		if (m->type != STEP_MSG ||
		    call->v[m->idx].status != VERDICT_PENDING)
			continue;
		if (!first)
			first = m;
		if (m->from == from && m->to == to)
			return m;
	}

	return first ? first : cur;
}




struct first_pending {
	const struct call *call;
	const struct step *st;
};


static bool first_pending_h(const struct step *st, void *arg)
{
	struct first_pending *f = arg;

	if (f->call->v[st->idx].status != VERDICT_PENDING)
		return false;
	f->st = st;
	return true;
}


/** The step the call waits on, or, between two steps (the one at the
 *  cursor has its verdict and the next is not armed yet), the first step
 *  from the cursor on without one: where a failure that belongs to no
 *  message (a device lost) is told. NULL when every step has a verdict */
const struct step *call_pending_step(const struct call *call)
{
	const struct step *st = call_waiting_step(call, NULL, NULL);
	struct first_pending f = {call, NULL};

	if (st && call->v[st->idx].status == VERDICT_PENDING)
		return st;
	call_visit_rest(call, first_pending_h, &f);
	return f.st;
}


/** True when st has its verdict already; *p: how the cursor goes on */
bool call_step_settled(const struct call *call, const struct step *st,
		       enum prog *p)
{
	switch (call->v[st->idx].status) {

	case VERDICT_PENDING:
		return false;
	case VERDICT_FAIL:
		*p = PROG_FAIL;
		return true;
	default:
		*p = PROG_DONE;
		return true;
	}
}


/* the wait: step's time is up */
static void wait_over(struct call *call)
{
	const struct step *st = call->cur ? call->cur->data : NULL;

	if (st && st->type == STEP_WAIT)
		call_step_done(call, st, VERDICT_PASS, 0, NULL);
	call_kick(call);
}


/* a group's members: messages, in whatever order they come, and media:
 * steps, which all listen at the same time */
static enum prog group_progress(struct call *call, const struct step *g)
{
	bool all = true;
	struct le *le;

	for (le = g->members.head; le; le = le->next) {
		const struct step *m = le->data;
		enum prog p = m->type == STEP_MEDIA ?
			call->port.acth(call, m, call->port.arg) :
			msg_progress(call, m);

		if (p == PROG_FAIL)
			return PROG_FAIL;
		if (p == PROG_WAIT)
			all = false;
	}

	if (all)
		call_step_done(call, g, VERDICT_PASS, 0, NULL);

	return all ? PROG_DONE : PROG_WAIT;
}


/* an optional step is skipped once the next step's message is here */
static bool skip_optional(struct call *call, const struct step *st)
{
	struct le *le, *nx;

	if (!st->optional || !role_acts(st->from))
		return false;

	for (nx = call->cur->next; nx; nx = nx->next) {
		const struct step *n = nx->data;

		if (n->type != STEP_MSG)
			return false;

		for (le = call->inbox.head; le; le = le->next) {
			if (match_kind(n, le->data) ||
			    call_unparsed_takes(call, n, le->data)) {
				call_step_done(call, st, VERDICT_SKIP, 0,
					       NULL);
				return true;
			}
		}
		if (!n->optional)
			return false;
	}

	return false;
}


static enum prog progress(struct call *call, const struct step *st)
{
	enum prog p;

	switch (st->type) {

	case STEP_WAIT:
		if (call->v[st->idx].status != VERDICT_PENDING)
			return PROG_DONE;
		if (call->cfg.offline) {
			/* in a capture, the time has passed already */
			call_step_done(call, st, VERDICT_PASS, 0, NULL);
			return PROG_DONE;
		}
		if (!call->wait_started) {
			call->wait_started = true;
			call->port.tmrh(call, CALL_TMR_WAIT, st->wait_ms,
					call->port.arg);
		}
		return PROG_WAIT;

	case STEP_GROUP:
		return group_progress(call, st);

	case STEP_DO:
	case STEP_MEDIA:
	case STEP_EVENT:
		/* the stage performs it; call_on_act_done when it is done */
		return call->port.acth(call, st, call->port.arg);

	default:
		p = msg_progress(call, st);
		if (p == PROG_WAIT && skip_optional(call, st))
			return PROG_DONE;
		return p;
	}
}


/* what the sender sent while the step waited, held in the inbox for a
 * later step: to the step's receiver (a 401 where a 200 was due), else
 * to anyone (a proxy that challenges again instead of forwarding) */
static const struct msgrec *instead(const struct call *call,
				    const struct step *st)
{
	const struct msgrec *other = NULL;
	struct le *le;

	if (st->type != STEP_MSG)
		return NULL;

	for (le = call->inbox.head; le; le = le->next) {
		const struct msgrec *r = le->data;

		if (!r->msg || r->from != st->from)
			continue;
		if (r->to == st->to)
			return r;
		if (!other)
			other = r;
	}

	return other;
}


struct why_of {
	const struct call *call;
	const struct step *st;
};


/* what the stage adds to why st's message never came */
static int why_print(struct re_printf *pf, const struct why_of *w)
{
	const struct call_port *p = &w->call->port;

	return p->whyh ? p->whyh(pf, w->st, p->arg) : 0;
}


struct sent {
	const struct step *st;
	const struct msgrec *r;
};


/* " to INVITE" when r answers another method than st's request */
static int other_method(struct re_printf *pf, const struct sent *sn)
{
	const struct step *st = sn->st;
	const struct msgrec *r = sn->r;

	if (!r->msg || r->msg->req || !st->assoc ||
	    !pl_strcmp(&r->msg->cseq.met, st->assoc->method))
		return 0;

	return re_hprintf(pf, " to %r", &r->msg->cseq.met);
}


/**
 * A message step's message never came (when: "within 2.0 s", "in the
 * capture"): it fails, naming what its sender sent instead, if anything
 */
void call_step_missing(struct call *call, const struct step *st,
		       const char *when)
{
	const struct msgrec *r = instead(call, st);
	struct auth_reject rj = {r, call->cfg.ledgers};

	if (r)
		call_step_fail(call, st, r->frame, "no %H from %s at %s %s; "
			       "%s sent %H%H%s%s instead (frame %u)%H",
			       call_step_line, st, st->from->name,
			       st->to->name, when, st->from->name,
			       call_rec_line, r,
			       other_method, &(struct sent){st, r},
			       r->to != st->to && r->to ? " to " : "",
			       r->to != st->to && r->to ? r->to->name : "",
			       r->frame, auth_rejected_print, &rj);
	else if (call->defer[st->idx])
		call_step_fail(call, st, 0, "no %H from %s at %s %s: %s",
			       call_step_line, st, st->from->name,
			       st->to->name, when, call->defer[st->idx]);
	else
		call_step_fail(call, st, 0, "no %H from %s at %s %s%H",
			       call_step_line, st, st->from->name,
			       st->to->name, when, why_print,
			       &(struct why_of){call, st});
}


/* the step the call waits on had its time */
static void timed_out(struct call *call)
{
	const struct step *st = call_waiting_step(call, NULL, NULL);
	uint32_t t;

	if (!st || call->finished)
		return;

	/* a device's driver bounds its own actions (hil_timeout), a media
	 * step its own window; a group waiting on no message (its media
	 * members still listening, or judged and the cursor not yet moved)
	 * is waiting for them, not for a message that is missing */
	if (st->type != STEP_MSG)
		return;

	t = call_step_timeout(call, st);
	/* a timeout that is no failure: an optional step a device did not
	 * take, or an absent: step that saw no copy, as it asserts */
	if (st->type == STEP_MSG && (st->absent ||
				     (st->optional && role_acts(st->from)))) {
		call_step_done(call, st,
			       st->absent ? VERDICT_PASS : VERDICT_SKIP, 0,
			       NULL);
		call_kick(call);
		return;
	}

	if (st->type == STEP_MSG && st->rtx_of) {
		call_rtx_missing(call, st, t);
	}
	else if (call->sent[st->idx]) {
		call_step_fail(call, st, 0, "%H was sent to %s but never "
			       "arrived within %u.%u s", call_step_line, st,
			       st->to->name, t / 1000, t % 1000 / 100);
	}
	else {
		char when[32];

		(void)re_snprintf(when, sizeof(when), "within %u.%u s",
				  t / 1000, t % 1000 / 100);
		call_step_missing(call, st, when);
	}

	call_finish(call);
}


/**
 * Move the cursor as far as it goes: each step at it is performed or
 * judged; the call waits (its timeout armed) at the first that cannot be
 * done yet, and ends at a failure or after the last step.
 */
void call_advance(struct call *call)
{
	while (call->cur && !call->finished) {
		const struct step *st = call->cur->data;
		enum prog p = progress(call, st);

		if (p == PROG_FAIL) {
			call_finish(call);
			return;
		}

		if (p == PROG_WAIT) {
			if (call_unexpected(call)) {
				call_finish(call);
				return;
			}
			if (call->armed != st && !call->cfg.offline) {
				const struct step *w;

				w = call_waiting_step(call, NULL, NULL);
				call->armed = st;
				call->port.tmrh(call, CALL_TMR_TIMEOUT,
						call_step_timeout(call, w),
						call->port.arg);
			}
			return;
		}

		call->cur = call->cur->next;
		call->wait_started = false;
		call->armed = NULL;
		call->port.tmrh(call, CALL_TMR_TIMEOUT, CALL_TMR_OFF,
				call->port.arg);
	}

	if (!call->finished)
		call_finish(call);
}


/** A message arrived for this call (a retransmission the stage absorbed
 *  does not): it waits in the inbox for the step that takes it */
void call_on_msg(struct call *call, struct msgrec *r)
{
	list_append(&call->inbox, &r->in_le, r);
	if (call->cfg.offline)
		call_advance(call);
	else
		call_kick(call);
}


/** Timer t the call armed through its port expired */
void call_on_timer(struct call *call, enum call_tmr t)
{
	if (call->finished)
		return;

	switch (t) {

	case CALL_TMR_TIMEOUT:
		timed_out(call);
		break;

	case CALL_TMR_WAIT:
		wait_over(call);
		break;

	default:
		call_advance(call);
		break;
	}
}


/** A step the stage performs (call_act_h) has its verdict, or a driver's
 *  action it waited for ended: the cursor goes on */
void call_on_act_done(struct call *call)
{
	call_kick(call);
}


/** "cannot build F3 …: why" (why NULL: err's text), allocated */
char *call_cannot_build(const struct step *st, int err, const char *why)
{
	char *s = NULL;

	if (why)
		(void)re_sdprintf(&s, "cannot build %H: %s", call_step_line,
				  st, why);
	else
		(void)re_sdprintf(&s, "cannot build %H: %m", call_step_line,
				  st, err);
	return s;
}


int call_step_line(struct re_printf *pf, const struct step *st)
{
	if (st->type != STEP_MSG)
		return re_hprintf(pf, "%s", st->id);

	return step_print(pf, st);
}


int call_rec_line(struct re_printf *pf, const struct msgrec *r)
{
	if (!r->msg)
		return re_hprintf(pf, "an unparsable message");

	return msgrec_print_line(pf, r);
}


int call_role_name(struct re_printf *pf, const struct role *r)
{
	return re_hprintf(pf, "%s", r ? r->name : "an unknown address");
}
