/* engine/run/run_step.c — the step cursor: send what simulated roles send,
 * take what arrives, groups, waits, optional steps, timeouts, and what no
 * step can take */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "msgrec.h"
#include "build.h"
#include "agent.h"
#include "track.h"
#include "match.h"
#include "authcheck.h"
#include "pcapw.h"
#include "rules.h"
#include "run.h"
#include "run_priv.h"


static enum prog send_step(struct run *run, const struct step *st)
{
	struct agent *ag = agent_find(&run->agents, st->from);
	struct buildctx ctx;
	struct msgrec *r = NULL;
	struct mbuf *mb = NULL;
	int err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sc = run->sc;
	ctx.st = st;
	ctx.answers = st->answers ? run->steprec[st->answers->idx] : NULL;
	ctx.assoc = st->assoc ? run->steprec[st->assoc->idx] : NULL;
	ctx.forwards = st->forwards ? run->steprec[st->forwards->idx] : NULL;
	ctx.steprec = run->steprec;

	if (!ag || !ag->kind->buildh) {
		run_step_fail(run, st, 0, "role %s (%s) cannot send",
			      st->from->name,
			      ag ? ag->kind->name : "no agent");
		return PROG_FAIL;
	}

	err = ag->kind->buildh(&mb, ag, &ctx);
	if (err) {
		enum prog p = PROG_FAIL;

		/* in a group, what it answers may simply not be there yet */
		if (err == ENOENT && st->group) {
			/* kept, so a timeout can say why it never left */
			mem_deref(run->defer[st->idx]);
			run->defer[st->idx] = ctx.why;
			ctx.why = NULL;
			p = PROG_WAIT;
		}
		else if (ctx.why) {
			run_step_fail(run, st, 0, "cannot build %H: %s",
				      run_step_line, st, ctx.why);
		}
		else {
			run_step_fail(run, st, 0, "cannot build %H: %m",
				      run_step_line, st, err);
		}
		mem_deref(ctx.why);
		return p;
	}
	mem_deref(ctx.why);

	err = msgrec_alloc(&r, mb);
	if (err) {
		mem_deref(mb);
		run_step_fail(run, st, 0, "cannot record message: %m", err);
		return PROG_FAIL;
	}

	r->from = st->from;
	r->to = st->to;
	r->src = st->from->addr;
	r->dst = st->to->addr;
	r->tp = st->from->tp;
	/* RFC 3261 18.2.2: over a stream a response goes back over the
	 * connection its request came in on (to that request's source) */
	if (ctx.reply_to && agent_reliable(ag))
		r->dst = ctx.reply_to->src;
	r->step = st;
	r->t_ms = run_now(run);
	r->fwd_of = ctx.fwd_of;
	if (st->dialog)
		(void)str_dup(&r->dialog, st->dialog);
	list_append(&run->msgs, &r->le, r);
	run_call_note(run, r);

	r->lose_left = st->lose;
	err = run_xmit(run, ag, r);
	mem_deref(mb);
	if (err) {
		run_step_fail(run, st, r->frame,
			      "cannot send from %J to %J: %m",
			      &r->src, &r->dst, err);
		return PROG_FAIL;
	}

	track_sent(&ag->led, r);
	run_rtx_start(run, ag, r);
	run->v[st->idx].sent = true;
	run->sent[st->idx] = true;

	if (st->to->dut) {
		/* the device's side of the story: it received r */
		struct agent *dut = agent_find(&run->agents, st->to);

		if (dut)
			track_received(&dut->led, r);
		run->steprec[st->idx] = r;
		r->step = st;
		run_step_done(run, st, VERDICT_PASS, r->frame, NULL);
	}

	return PROG_DONE;
}


/*
 * The conformance rules on a received message. Warnings become notes;
 * returns the first finding that fails the step (an error, or under
 * --strict a warning too: the verdict then says so), or NULL.
 */
static const struct finding *check_rules(struct run *run, struct msgrec *r,
					 struct msgrec *ant,
					 const struct step *st)
{
	struct ledger *rcv = ledger_find(&run->ledgers, r->to);
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

	le = run->findings.tail;
	rules_check(&run->findings, &c, run->sc, st, run->opts.strict);

	for (le = le ? le->next : run->findings.head; le; le = le->next) {
		const struct finding *f = le->data;

		if (finding_fails(f) && !first)
			first = f;
		else if (f->sev == RULE_WARNING)
			run_logf(run, "%s: warning: %H (frame %u)",
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


/* a message no step may take: left over from an earlier run or scenario
 * against the same device (engine/run/run_teardown.c) */
static bool stray(const struct run *run, const struct msgrec *r)
{
	return run_stray(run, r);
}


typedef bool (step_visit_h)(const struct step *st, void *arg);

/* the steps from the cursor on, group members included, in order */
static bool visit_rest(const struct run *run, step_visit_h *h, void *arg)
{
	struct le *le, *me;

	for (le = run->cur; le; le = le->next) {
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
	const struct run *run;
	const struct msgrec *r;
};


static bool later_h(const struct step *st, void *arg)
{
	struct later *l = arg;

	return l->run->v[st->idx].status == VERDICT_PENDING &&
	       match_kind(st, l->r);
}


/* a response that answers another request than st's answers: names,
 * and that a later pending step (or another member of st's group) takes
 * whole, is that step's: a device may answer two requests in either
 * order (a proxy relays the 200 to a NOTIFY before the 200 to a CANCEL) */
struct elsewhere {
	struct later l;          /* a pending step of the message's kind */
	struct run *run;
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

	res = match_step(m, e->run->sc, e->r, &e->run->ledgers,
			 e->run->steprec, &ant, &why);
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
static bool answers_elsewhere(struct run *run, const struct step *st,
			      struct msgrec *r)
{
	struct elsewhere e = {{run, r}, run, st, r};
	struct msgrec *req = NULL;

	if (!match_answers_other(st, r, &run->ledgers, run->steprec, &req))
		return false;
	if (!req->step && visit_rest(run, another_h, &e))
		return true;

	return visit_rest(run, elsewhere_h, &e);
}


/* find the message an expected step is waiting for in the inbox */
static enum prog take(struct run *run, const struct step *st)
{
	struct le *le;

	for (le = run->inbox.head; le; le = le->next) {
		struct msgrec *r = le->data, *ant = NULL;
		enum match_res res;
		char *why = NULL;

		if (stray(run, r))
			continue;   /* unexpected() absorbs it */
		if (!r->msg && run_unparsed_takes(run, st, r)) {
			run_unparsed_take(run, st, r);
			return PROG_DONE;
		}
		if (r->malformed && !run_answers_raw(run, st, r))
			continue;   /* unexpected() fails on it */
		if (!run_rtx_fits(run, st, r))
			continue;

		res = match_step(st, run->sc, r, &run->ledgers, run->steprec,
				 &ant, &why);
		if (res == MATCH_NO ||
		    (res == MATCH_BAD && answers_elsewhere(run, st, r))) {
			mem_deref(why);
			continue;
		}

		list_unlink(&r->in_le);
		r->step = st;
		run->steprec[st->idx] = r;
		run_call_note(run, r);

		if (res == MATCH_BAD) {
			run_step_fail(run, st, r->frame, "%s%H",
				      why ? why : "", broken_print,
				      check_rules(run, r, ant, st));
			mem_deref(why);
			return PROG_FAIL;
		}
		mem_deref(why);

		if (ant)
			ant->forwarded = true;

		{
			const struct finding *f = check_rules(run, r, ant, st);

			if (f) {
				run_step_fail(run, st, r->frame, "%H",
					  finding_print, f);
				return PROG_FAIL;
			}
		}

		if (st->rtx_of) {
			char *late = run_rtx_check(run, st, r);

			if (late) {
				run_step_done(run, st, VERDICT_FAIL, r->frame,
					      late);
				return PROG_FAIL;
			}
		}

		if (st->within_ms && run_reaction(run, r) > st->within_ms) {
			run_step_fail(run, st, r->frame, "%H arrived after "
				      "%llu ms; within: allows %u ms",
				      run_step_line, st,
				  (unsigned long long)run_reaction(run, r),
				  st->within_ms);
			return PROG_FAIL;
		}

		run_step_done(run, st, VERDICT_PASS, r->frame, NULL);
		return PROG_DONE;
	}

	return PROG_WAIT;
}


static enum prog msg_progress(struct run *run, const struct step *st)
{
	enum prog p;

	if (run->v[st->idx].status != VERDICT_PENDING)
		return PROG_DONE;

	if (!role_acts(st->from) && !run->sent[st->idx]) {
		p = send_step(run, st);
		if (p != PROG_DONE || st->to->dut)
			return p;
	}

	return take(run, st);
}




/* the first pending step at the cursor, preferring one between these
 * two roles (a group has several) */
const struct step *run_waiting_step(const struct run *run,
				       const struct role *from,
				       const struct role *to)
{
	const struct step *cur = run->cur ? run->cur->data : NULL;
	const struct step *first = NULL;
	struct le *le;

	if (!cur || cur->type != STEP_GROUP)
		return cur;

	for (le = cur->members.head; le; le = le->next) {
		const struct step *m = le->data;

		if (m->type != STEP_MSG ||
		    run->v[m->idx].status != VERDICT_PENDING)
			continue;
		if (!first)
			first = m;
		if (m->from == from && m->to == to)
			return m;
	}

	return first ? first : cur;
}




struct first_pending {
	const struct run *run;
	const struct step *st;
};


static bool first_pending_h(const struct step *st, void *arg)
{
	struct first_pending *f = arg;

	if (f->run->v[st->idx].status != VERDICT_PENDING)
		return false;
	f->st = st;
	return true;
}


/** The step the run waits on, or, between two steps (the one at the
 *  cursor has its verdict and the next is not armed yet), the first step
 *  from the cursor on without one: where a failure that belongs to no
 *  message (a device lost) is told. NULL when every step has a verdict */
const struct step *run_pending_step(const struct run *run)
{
	const struct step *st = run_waiting_step(run, NULL, NULL);
	struct first_pending f = {run, NULL};

	if (st && run->v[st->idx].status == VERDICT_PENDING)
		return st;
	visit_rest(run, first_pending_h, &f);
	return f.st;
}


/** True when a pending step from the cursor on would take r, a message
 *  of this run */
bool run_later_step(const struct run *run, const struct msgrec *r)
{
	struct later l = {run, r};

	return r->msg && !stray(run, r) && visit_rest(run, later_h, &l);
}


/*
 * Messages in the inbox that no step from the cursor on can take: an
 * unlisted 100 Trying is absorbed (it is hop by hop); anything else fails
 * the step that was waiting. Returns true if the run failed.
 */
/* an optional step skipped (its next step's message came first) whose
 * message r is, arriving late: a proxy's 180 may follow its 200 */
static const struct step *late_optional(const struct run *run,
					struct msgrec *r)
{
	unsigned i;

	for (i = 0; r->msg && i < run->sc->nsteps; i++) {
		const struct step *st = scenario_step_at(run->sc, i);
		struct msgrec *ant = NULL;
		enum match_res res;
		char *why = NULL;

		if (!st || !st->optional ||
		    run->v[i].status != VERDICT_SKIP || run->steprec[i])
			continue;

		res = match_step(st, run->sc, r, &run->ledgers, run->steprec,
				 &ant, &why);
		mem_deref(why);
		if (res == MATCH_YES)
			return st;
	}

	return NULL;
}


static bool unexpected(struct run *run)
{
	struct le *le = run->inbox.head;

	while (le) {
		struct msgrec *r = le->data;
		const struct step *st;

		le = le->next;

		/* not SIP as RFC 3261 writes it: no step takes it (what
		 * answers a raw: request is judged below, by its status) */
		st = run_waiting_step(run, r->from, r->to);
		if ((r->malformed || r->bad) &&
		    !(st && run_answers_raw(run, st, r))) {
			if (!st)
				return false;
			if (!r->msg) {
				/* st failed naming it, or a leftover
				 * absorbed */
				if (run_unparsed_unexpected(run, st, r))
					return true;
				if (!r->in_le.list)
					continue;
			}
			list_unlink(&r->in_le);
			run_step_fail(run, st, r->frame, "malformed message "
				      "from %H at %H (frame %u): %s",
				      run_role_name, r->from, run_role_name,
				      r->to, r->frame, r->bad ? r->bad
				      : r->malformed);
			return true;
		}

		if (stray(run, r)) {
			list_unlink(&r->in_le);
			run_stray_absorb(run, r);
			continue;
		}

		if (run_later_step(run, r))
			continue;

		st = late_optional(run, r);
		if (st) {
			const struct finding *f;

			list_unlink(&r->in_le);
			run->steprec[st->idx] = r;  /* its step's, if late */
			f = check_rules(run, r, NULL, st);
			if (f) {
				const struct step *w;

				w = run_waiting_step(run, r->from, r->to);
				run_step_fail(run, w ? w : st, r->frame,
					      "%H in the late message of "
					      "optional %s", finding_print,
					      f, st->id);
				return true;
			}
			run_logf(run, "absorbed %H from %H to %H (frame %u): "
				 "the message of optional step %s, skipped, "
				 "came late", run_rec_line, r, run_role_name,
				 r->from, run_role_name, r->to, r->frame,
				 st->id);
			continue;
		}

		if (r->msg && !r->msg->req && r->msg->scode == 100) {
			const struct finding *f;

			list_unlink(&r->in_le);
			f = check_rules(run, r, NULL, NULL);
			if (f) {
				st = run_waiting_step(run, r->from, r->to);
				if (st)
					run_step_fail(run, st, r->frame,
						      "%H in an unlisted "
						      "100 Trying",
						      finding_print, f);
				return true;
			}
			run_logf(run, "absorbed an unlisted 100 Trying "
				 "from %H to %H (frame %u)", run_role_name,
				 r->from, run_role_name, r->to, r->frame);
			continue;
		}

		st = run_waiting_step(run, r->from, r->to);
		if (!st)
			return false;

		if (!r->msg) {
			if (run_unparsed_unexpected(run, st, r))
				return true;    /* st failed, naming it */
			if (!r->in_le.list)
				continue;       /* a leftover, absorbed */
		}

		list_unlink(&r->in_le);
		if (st->type == STEP_MSG && st->from == r->from &&
		    st->to == r->to) {
			struct auth_reject rj = {r, &run->ledgers};

			run_step_fail(run, st, r->frame, "expected %H from "
				      "%s, got %H (frame %u)%H%H",
				      run_step_line, st, st->from->name,
				      run_rec_line, r, r->frame,
				      auth_rejected_print, &rj, broken_print,
				      check_rules(run, r, NULL, st));
		}
		else {
			run_step_fail(run, st, r->frame, "unexpected %H "
				      "from %H to %H (frame %u) while "
				      "waiting for %H%H", run_rec_line, r,
				      run_role_name, r->from, run_role_name,
				      r->to, r->frame, run_step_line, st,
				      broken_print,
				      check_rules(run, r, NULL, st));
		}
		return true;
	}

	return false;
}


/** True when st has its verdict already; *p: how the cursor goes on */
bool run_step_settled(const struct run *run, const struct step *st,
		      enum prog *p)
{
	switch (run->v[st->idx].status) {

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


static void wait_h(void *arg)
{
	struct run *run = arg;
	const struct step *st = run->cur ? run->cur->data : NULL;

	if (st && st->type == STEP_WAIT)
		run_step_done(run, st, VERDICT_PASS, 0, NULL);
	run_kick(run);
}


/* a group's members: messages, in whatever order they come, and media:
 * steps, which all listen at the same time */
static enum prog group_progress(struct run *run, const struct step *g)
{
	bool all = true;
	struct le *le;

	for (le = g->members.head; le; le = le->next) {
		const struct step *m = le->data;
		enum prog p = m->type == STEP_MEDIA ? run_media_step(run, m)
			    : msg_progress(run, m);

		if (p == PROG_FAIL)
			return PROG_FAIL;
		if (p == PROG_WAIT)
			all = false;
	}

	if (all)
		run_step_done(run, g, VERDICT_PASS, 0, NULL);

	return all ? PROG_DONE : PROG_WAIT;
}


/* an optional step is skipped once the next step's message is here */
static bool skip_optional(struct run *run, const struct step *st)
{
	struct le *le, *nx;

	if (!st->optional || !role_acts(st->from))
		return false;

	for (nx = run->cur->next; nx; nx = nx->next) {
		const struct step *n = nx->data;

		if (n->type != STEP_MSG)
			return false;

		for (le = run->inbox.head; le; le = le->next) {
			if (match_kind(n, le->data) ||
			    run_unparsed_takes(run, n, le->data)) {
				run_step_done(run, st, VERDICT_SKIP, 0, NULL);
				return true;
			}
		}
		if (!n->optional)
			return false;
	}

	return false;
}


static enum prog progress(struct run *run, const struct step *st)
{
	enum prog p;

	switch (st->type) {

	case STEP_WAIT:
		if (run->v[st->idx].status != VERDICT_PENDING)
			return PROG_DONE;
		if (run->offline) {
			/* in a capture, the time has passed already */
			run_step_done(run, st, VERDICT_PASS, 0, NULL);
			return PROG_DONE;
		}
		if (!run->wait_started) {
			run->wait_started = true;
			clock_tmr_start(&run->tmr_wait, run->clock,
					st->wait_ms, wait_h, run);
		}
		return PROG_WAIT;

	case STEP_GROUP:
		return group_progress(run, st);

	case STEP_DO:
		return run_do_step(run, st);

	case STEP_MEDIA:
		return run_media_step(run, st);

	case STEP_EVENT:
		return run_event_step(run, st);

	default:
		p = msg_progress(run, st);
		if (p == PROG_WAIT && skip_optional(run, st))
			return PROG_DONE;
		return p;
	}
}


/* what the sender sent while the step waited, held in the inbox for a
 * later step: to the step's receiver (a 401 where a 200 was due), else
 * to anyone (a proxy that challenges again instead of forwarding) */
static const struct msgrec *instead(const struct run *run,
				    const struct step *st)
{
	const struct msgrec *other = NULL;
	struct le *le;

	if (st->type != STEP_MSG)
		return NULL;

	for (le = run->inbox.head; le; le = le->next) {
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


struct held {
	const struct run *run;
	const struct step *st;
};


/* "; the TCP connection from B (127.0.0.11) holds an incomplete message
 * (…)": why a message that began to arrive never reached the step */
static int held_print(struct re_printf *pf, const struct held *h)
{
	struct agent_from af;

	if (h->st->type != STEP_MSG)
		return 0;

	af.ag = agent_find(&h->run->agents, h->st->to);
	af.from = h->st->from;

	return agent_held_print(pf, &af);
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
void run_step_missing(struct run *run, const struct step *st,
		      const char *when)
{
	const struct msgrec *r = instead(run, st);
	struct auth_reject rj = {r, &run->ledgers};

	if (r)
		run_step_fail(run, st, r->frame, "no %H from %s at %s %s; %s "
			      "sent %H%H%s%s instead (frame %u)%H",
			      run_step_line, st, st->from->name, st->to->name,
			      when, st->from->name, run_rec_line, r,
			      other_method, &(struct sent){st, r},
			      r->to != st->to && r->to ? " to " : "",
			      r->to != st->to && r->to ? r->to->name : "",
			      r->frame, auth_rejected_print, &rj);
	else if (run->defer[st->idx])
		run_step_fail(run, st, 0, "no %H from %s at %s %s: %s",
			      run_step_line, st, st->from->name, st->to->name,
			      when, run->defer[st->idx]);
	else
		run_step_fail(run, st, 0, "no %H from %s at %s %s%H%H",
			      run_step_line, st, st->from->name, st->to->name,
			      when, held_print, &(struct held){run, st},
			      run_icmp_print, &(struct icmp_of){run,
			      st->from});
}


static void timeout_h(void *arg)
{
	struct run *run = arg;
	const struct step *st = run_waiting_step(run, NULL, NULL);
	uint32_t t;

	if (!st || run->finished)
		return;

	/* a device's driver bounds its own actions (hil_timeout), a media
	 * step its own window; a group waiting on no message (its media
	 * members still listening, or judged and the cursor not yet moved)
	 * is waiting for them, not for a message that is missing */
	if (st->type != STEP_MSG)
		return;

	t = run_step_timeout(run, st);
	/* a timeout that is no failure: an optional step a device did not
	 * take, or an absent: step that saw no copy, as it asserts */
	if (st->type == STEP_MSG && (st->absent ||
				     (st->optional && role_acts(st->from)))) {
		run_step_done(run, st,
			      st->absent ? VERDICT_PASS : VERDICT_SKIP, 0,
			      NULL);
		run_kick(run);
		return;
	}

	if (st->type == STEP_MSG && st->rtx_of) {
		run_rtx_missing(run, st, t);
	}
	else if (run->sent[st->idx]) {
		run_step_fail(run, st, 0, "%H was sent to %s but never "
			      "arrived within %u.%u s", run_step_line, st,
			      st->to->name, t / 1000, t % 1000 / 100);
	}
	else {
		char when[32];

		(void)re_snprintf(when, sizeof(when), "within %u.%u s",
				  t / 1000, t % 1000 / 100);
		run_step_missing(run, st, when);
	}

	run_finish(run);
}


static void kick_h(void *arg);


/* each role takes part once its kind says it is ready (a phone's socket
 * in sight, a driver that reached its device): the first step waits for
 * that, at most READY_MS */
static const struct agent *unready(const struct run *run)
{
	struct le *le;

	for (le = run->agents.head; le; le = le->next) {
		const struct agent *ag = le->data;

		if (!agent_ready(ag))
			return ag;
	}

	return NULL;
}


static bool wait_ready(struct run *run)
{
	const struct agent *ag;

	if (run->ready || run->offline)
		return false;

	ag = unready(run);
	if (!ag) {
		/* then each device gets the settings its role declares */
		if (run_do_presets(run))
			return true;
		run->ready = true;
		return false;
	}

	if (run_now(run) < READY_MS) {
		clock_tmr_start(&run->tmr_kick, run->clock, 2, kick_h, run);
		return true;
	}

	if (run->cur)
		run_step_fail(run, run->cur->data, 0, "%H within %u ms",
			      agent_unready_print, ag, READY_MS);
	run_finish(run);
	return true;
}


void run_advance(struct run *run)
{
	if (wait_ready(run))
		return;

	while (run->cur && !run->finished) {
		const struct step *st = run->cur->data;
		enum prog p = progress(run, st);

		if (p == PROG_FAIL) {
			run_finish(run);
			return;
		}

		if (p == PROG_WAIT) {
			if (unexpected(run)) {
				run_finish(run);
				return;
			}
			if (run->armed != st && !run->offline) {
				const struct step *w;

				w = run_waiting_step(run, NULL, NULL);
				run->armed = st;
				clock_tmr_start(&run->tmr_to, run->clock,
						run_step_timeout(run, w),
						timeout_h, run);
			}
			return;
		}

		run->cur = run->cur->next;
		run->wait_started = false;
		run->armed = NULL;
		clock_tmr_cancel(&run->tmr_to);
	}

	if (!run->finished)
		run_finish(run);
}


static void kick_h(void *arg)
{
	run_advance(arg);
}


/* run the cursor after the current handler returns */
void run_kick(struct run *run)
{
	if (!run->finished)
		clock_tmr_start(&run->tmr_kick, run->clock, 0, kick_h, run);
}


void run_finish(struct run *run)
{
	unsigned i;

	if (run->finished)
		return;

	run->finished = true;
	run_rtx_stop(run);
	clock_tmr_cancel(&run->tmr_to);
	clock_tmr_cancel(&run->tmr_wait);
	clock_tmr_cancel(&run->tmr_kick);
	run_media_stop(run);
	clock_tmr_cancel(&run->tmr_quiet);
	clock_tmr_cancel(&run->tmr_event);

	for (i = 0; i < run->sc->nsteps; i++) {
		const struct step *st = scenario_step_at(run->sc, i);

		if (st && run->v[i].status == VERDICT_PENDING)
			run_step_done(run, st, VERDICT_NOTRUN, 0, NULL);
	}

	run_teardown(run);
}
