/* engine/run.c — play one scenario: the step cursor on libre's loop
 *
 * One cursor walks the top-level steps. A step whose sender is simulated
 * is built by that role's agent and sent; if its receiver is simulated
 * too, the step completes when the message arrives there and passes the
 * same checks as a message from a device. A step whose sender is a DUT
 * waits (bounded) for its message. An any-order group completes when all
 * its members have, in whatever order they happen; a member that cannot
 * be built yet (what it answers has not arrived) waits for the others.
 * Everything received goes to an inbox first; a message no remaining
 * step can take fails the step that was waiting, naming what arrived.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "msgrec.h"
#include "agent.h"
#include "track.h"
#include "match.h"
#include "pcapw.h"
#include "rules.h"
#include "run.h"


enum { DEFAULT_TIMEOUT_MS = 5000 };

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
	struct list msgs;          /* struct msgrec, every message */
	struct list inbox;         /* received, not yet taken by a step */
	struct list findings;      /* struct finding: broken rules */
	struct pcapw *pcap;
	struct verdict *v;         /* per step index */
	struct msgrec **steprec;   /* per step index: its message */
	bool *sent;                /* per step index: sent, not yet arrived */
	struct le *cur;            /* current top-level step */
	const struct step *armed;  /* the step the timeout is armed for */
	bool wait_started;
	uint64_t t0;               /* tmr_jiffies() at start */
	uint64_t t_prev;           /* when the previous top step completed */
	struct tmr tmr_to;
	struct tmr tmr_wait;
	struct tmr tmr_kick;
	bool started;
	bool finished;
	bool offline;              /* verifying a capture (run_inject) */
	uint64_t vclock;           /* offline: the capture's time, ms */
};


static void finish(struct run *run);
static void kick(struct run *run);


static void destructor(void *data)
{
	struct run *run = data;
	unsigned i;

	tmr_cancel(&run->tmr_to);
	tmr_cancel(&run->tmr_wait);
	tmr_cancel(&run->tmr_kick);
	list_flush(&run->agents);
	list_clear(&run->inbox);
	list_flush(&run->findings);
	list_flush(&run->msgs);
	for (i = 0; run->v && i < run->sc->nsteps; i++)
		mem_deref(run->v[i].reason);
	mem_deref(run->v);
	mem_deref(run->steprec);
	mem_deref(run->sent);
	mem_deref(run->pcap);
}


/** A verdict's word, as reports print it */
const char *verdict_name(enum verdict_status s)
{
	switch (s) {

	case VERDICT_PASS:   return "pass";
	case VERDICT_FAIL:   return "FAIL";
	case VERDICT_SKIP:   return "skip";
	case VERDICT_NOTRUN: return "not run";
	default:             return "pending";
	}
}


static uint64_t now_ms(const struct run *run)
{
	return run->offline ? run->vclock : tmr_jiffies() - run->t0;
}


static void run_logf(struct run *run, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;

	if (!run->h.logh)
		return;

	va_start(ap, fmt);
	(void)re_vsdprintf(&line, fmt, ap);
	va_end(ap);

	if (line)
		run->h.logh(run, line, run->h.arg);
	mem_deref(line);
}


static uint32_t step_timeout(const struct run *run, const struct step *st)
{
	uint32_t t = st->timeout_ms ? st->timeout_ms
		   : run->sc->timeout_ms ? run->sc->timeout_ms
		   : run->opts.timeout_ms ? run->opts.timeout_ms
		   : DEFAULT_TIMEOUT_MS;

	if (st->within_ms && st->within_ms + 500 > t)
		t = st->within_ms + 500;

	return t;
}


static void step_done(struct run *run, const struct step *st,
		      enum verdict_status s, uint32_t frame, char *reason)
{
	struct verdict *v = &run->v[st->idx];

	v->status = s;
	v->frame = frame;
	v->t_ms = now_ms(run);
	mem_deref(v->reason);
	v->reason = reason;

	if (run->h.steph)
		run->h.steph(run, st, v, run->h.arg);
}


static void step_fail(struct run *run, const struct step *st,
		      uint32_t frame, const char *fmt, ...)
{
	char *reason = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&reason, fmt, ap);
	va_end(ap);

	step_done(run, st, VERDICT_FAIL, frame, reason);
}


static int step_line(struct re_printf *pf, const struct step *st)
{
	if (st->type != STEP_MSG)
		return re_hprintf(pf, "%s", st->id);
	if (st->req)
		return re_hprintf(pf, "%s", st->method);
	return re_hprintf(pf, "%u %s", st->scode, st->reason);
}


static int rec_line(struct re_printf *pf, const struct msgrec *r)
{
	if (!r->msg)
		return re_hprintf(pf, "an unparsable message");

	return msgrec_print_line(pf, r);
}


/* the step the previous top-level step was, for within: */
static uint64_t since_prev(const struct run *run)
{
	return now_ms(run) - run->t_prev;
}


static void write_pcap(struct run *run, struct msgrec *r)
{
	int err;

	if (!run->pcap)
		return;

	err = pcapw_write(run->pcap, &r->src, &r->dst, r->mb->buf,
			  r->mb->end, &r->frame);
	if (err)
		run_logf(run, "pcap: cannot write frame: %m", err);
}


/* build and send a step's message; PROG_DONE when it went out */
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
	ctx.agents = &run->agents;
	ctx.answers = st->answers ? run->steprec[st->answers->idx] : NULL;
	ctx.forwards = st->forwards ? run->steprec[st->forwards->idx] : NULL;

	if (!ag || !ag->kind->buildh) {
		step_fail(run, st, 0, "role %s (%s) cannot send", st->from->name,
			  ag ? ag->kind->name : "no agent");
		return PROG_FAIL;
	}

	err = ag->kind->buildh(&mb, ag, &ctx);
	if (err) {
		enum prog p = PROG_FAIL;

		/* in a group, what it answers may simply not be there yet */
		if (err == ENOENT && st->group) {
			p = PROG_WAIT;
		}
		else if (ctx.why) {
			step_fail(run, st, 0, "cannot build %H: %s", step_line,
				  st, ctx.why);
		}
		else {
			step_fail(run, st, 0, "cannot build %H: %m", step_line,
				  st, err);
		}
		mem_deref(ctx.why);
		return p;
	}
	mem_deref(ctx.why);

	err = msgrec_alloc(&r, mb);
	if (err) {
		mem_deref(mb);
		step_fail(run, st, 0, "cannot record message: %m", err);
		return PROG_FAIL;
	}

	r->from = st->from;
	r->to = st->to;
	r->src = st->from->addr;
	r->dst = st->to->addr;
	r->step = st;
	r->t_ms = now_ms(run);
	r->fwd_of = ctx.fwd_of;
	if (st->dialog)
		(void)str_dup(&r->dialog, st->dialog);
	list_append(&run->msgs, &r->le, r);

	write_pcap(run, r);
	err = agent_send(ag, &r->dst, mb);
	mem_deref(mb);
	if (err) {
		step_fail(run, st, r->frame, "cannot send from %J to %J: %m",
			  &r->src, &r->dst, err);
		return PROG_FAIL;
	}

	track_sent(ag, r);
	run->v[st->idx].sent = true;
	run->sent[st->idx] = true;

	if (st->to->dut) {
		/* the device's side of the story: it received r */
		struct agent *dut = agent_find(&run->agents, st->to);

		if (dut)
			track_received(dut, r);
		run->steprec[st->idx] = r;
		r->step = st;
		step_done(run, st, VERDICT_PASS, r->frame, NULL);
	}

	return PROG_DONE;
}


/*
 * The conformance rules on a received message. Warnings become notes;
 * returns the first error found (for the step's verdict), or NULL.
 */
static const struct finding *check_rules(struct run *run, struct msgrec *r,
					 struct msgrec *ant,
					 const struct step *st)
{
	struct agent *rcv = agent_find(&run->agents, r->to);
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

	le = run->findings.tail;
	rules_check(&run->findings, &c, run->sc, st);

	for (le = le ? le->next : run->findings.head; le; le = le->next) {
		const struct finding *f = le->data;

		if (f->sev == RULE_ERROR && !first)
			first = f;
		else if (f->sev == RULE_WARNING)
			run_logf(run, "%s: warning: %H (frame %u)",
				 st ? st->id : "-", finding_print, f,
				 f->frame);
	}

	return first;
}


/* find the message an expected step is waiting for in the inbox */
static enum prog take(struct run *run, const struct step *st)
{
	struct le *le;

	for (le = run->inbox.head; le; le = le->next) {
		struct msgrec *r = le->data, *ant = NULL;
		enum match_res res;
		char *why = NULL;

		res = match_step(st, r, &run->agents, run->steprec, &ant,
				 &why);
		if (res == MATCH_NO) {
			mem_deref(why);
			continue;
		}

		list_unlink(&r->in_le);
		r->step = st;
		run->steprec[st->idx] = r;

		if (res == MATCH_BAD) {
			step_done(run, st, VERDICT_FAIL, r->frame, why);
			return PROG_FAIL;
		}
		mem_deref(why);

		if (ant)
			ant->forwarded = true;

		{
			const struct finding *f = check_rules(run, r, ant, st);

			if (f) {
				step_fail(run, st, r->frame, "%H",
					  finding_print, f);
				return PROG_FAIL;
			}
		}

		if (st->within_ms && since_prev(run) > st->within_ms) {
			step_fail(run, st, r->frame, "%H arrived after %llu "
				  "ms; within: allows %u ms", step_line, st,
				  (unsigned long long)since_prev(run),
				  st->within_ms);
			return PROG_FAIL;
		}

		step_done(run, st, VERDICT_PASS, r->frame, NULL);
		return PROG_DONE;
	}

	return PROG_WAIT;
}


static enum prog msg_progress(struct run *run, const struct step *st)
{
	enum prog p;

	if (run->v[st->idx].status != VERDICT_PENDING)
		return PROG_DONE;

	if (!st->from->dut && !run->sent[st->idx]) {
		p = send_step(run, st);
		if (p != PROG_DONE || st->to->dut)
			return p;
	}

	return take(run, st);
}


/* the steps from the cursor on, group members included, in order */
typedef bool (step_visit_h)(const struct step *st, void *arg);

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


/* the first pending step at the cursor, preferring one between these
 * two roles (a group has several) */
static const struct step *waiting_step(const struct run *run,
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

		if (run->v[m->idx].status != VERDICT_PENDING)
			continue;
		if (!first)
			first = m;
		if (m->from == from && m->to == to)
			return m;
	}

	return first ? first : cur;
}


static int role_name(struct re_printf *pf, const struct role *r)
{
	return re_hprintf(pf, "%s", r ? r->name : "an unknown address");
}


/*
 * Messages in the inbox that no step from the cursor on can take: an
 * unlisted 100 Trying is absorbed (it is hop by hop); anything else fails
 * the step that was waiting. Returns true if the run failed.
 */
static bool unexpected(struct run *run)
{
	struct le *le = run->inbox.head;

	while (le) {
		struct msgrec *r = le->data;
		const struct step *st;
		struct later l = {run, r};

		le = le->next;

		if (r->msg && visit_rest(run, later_h, &l))
			continue;

		if (r->msg && !r->msg->req && r->msg->scode == 100) {
			const struct finding *f;

			list_unlink(&r->in_le);
			f = check_rules(run, r, NULL, NULL);
			if (f) {
				st = waiting_step(run, r->from, r->to);
				if (st)
					step_fail(run, st, r->frame, "%H in an "
						  "unlisted 100 Trying",
						  finding_print, f);
				return true;
			}
			run_logf(run, "absorbed an unlisted 100 Trying from %H "
			     "to %H (frame %u)", role_name, r->from,
			     role_name, r->to, r->frame);
			continue;
		}

		st = waiting_step(run, r->from, r->to);
		if (!st)
			return false;

		list_unlink(&r->in_le);
		if (!r->msg) {
			step_fail(run, st, r->frame, "malformed message from "
				  "%H at %H (frame %u): %m", role_name,
				  r->from, role_name, r->to, r->frame,
				  r->decode_err);
		}
		else if (st->type == STEP_MSG && st->from == r->from &&
			 st->to == r->to) {
			step_fail(run, st, r->frame, "expected %H from %s, "
				  "got %H (frame %u)", step_line, st,
				  st->from->name, rec_line, r, r->frame);
		}
		else {
			step_fail(run, st, r->frame, "unexpected %H from %H "
				  "to %H (frame %u) while waiting for %H",
				  rec_line, r, role_name, r->from, role_name,
				  r->to, r->frame, step_line, st);
		}
		return true;
	}

	return false;
}


static void wait_h(void *arg)
{
	struct run *run = arg;
	const struct step *st = run->cur ? run->cur->data : NULL;

	if (st && st->type == STEP_WAIT)
		step_done(run, st, VERDICT_PASS, 0, NULL);
	kick(run);
}


static enum prog group_progress(struct run *run, const struct step *g)
{
	bool all = true;
	struct le *le;

	for (le = g->members.head; le; le = le->next) {
		enum prog p = msg_progress(run, le->data);

		if (p == PROG_FAIL)
			return PROG_FAIL;
		if (p == PROG_WAIT)
			all = false;
	}

	if (all)
		step_done(run, g, VERDICT_PASS, 0, NULL);

	return all ? PROG_DONE : PROG_WAIT;
}


/* an optional step is skipped once the next step's message is here */
static bool skip_optional(struct run *run, const struct step *st)
{
	struct le *le, *nx;

	if (!st->optional || !st->from->dut)
		return false;

	for (nx = run->cur->next; nx; nx = nx->next) {
		const struct step *n = nx->data;

		if (n->type != STEP_MSG)
			return false;

		for (le = run->inbox.head; le; le = le->next) {
			if (match_kind(n, le->data)) {
				step_done(run, st, VERDICT_SKIP, 0, NULL);
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
			step_done(run, st, VERDICT_PASS, 0, NULL);
			return PROG_DONE;
		}
		if (!run->wait_started) {
			run->wait_started = true;
			tmr_start(&run->tmr_wait, st->wait_ms, wait_h, run);
		}
		return PROG_WAIT;

	case STEP_GROUP:
		return group_progress(run, st);

	default:
		p = msg_progress(run, st);
		if (p == PROG_WAIT && skip_optional(run, st))
			return PROG_DONE;
		return p;
	}
}


static void timeout_h(void *arg)
{
	struct run *run = arg;
	const struct step *st = waiting_step(run, NULL, NULL);
	uint32_t t;

	if (!st || run->finished)
		return;

	if (st->type == STEP_WAIT)
		return;

	t = step_timeout(run, st);
	if (st->type == STEP_MSG && st->optional && st->from->dut) {
		step_done(run, st, VERDICT_SKIP, 0, NULL);
		kick(run);
		return;
	}

	if (run->sent[st->idx])
		step_fail(run, st, 0, "%H was sent to %s but never arrived "
			  "within %u.%u s", step_line, st, st->to->name,
			  t / 1000, t % 1000 / 100);
	else
		step_fail(run, st, 0, "no %H from %s at %s within %u.%u s",
			  step_line, st, st->from->name, st->to->name,
			  t / 1000, t % 1000 / 100);

	finish(run);
}


static void advance(struct run *run)
{
	while (run->cur && !run->finished) {
		const struct step *st = run->cur->data;
		enum prog p = progress(run, st);

		if (p == PROG_FAIL) {
			finish(run);
			return;
		}

		if (p == PROG_WAIT) {
			if (unexpected(run)) {
				finish(run);
				return;
			}
			if (run->armed != st && !run->offline) {
				const struct step *w;

				w = waiting_step(run, NULL, NULL);
				run->armed = st;
				tmr_start(&run->tmr_to, step_timeout(run, w),
					  timeout_h, run);
			}
			return;
		}

		run->cur = run->cur->next;
		run->t_prev = now_ms(run);
		run->wait_started = false;
		run->armed = NULL;
		tmr_cancel(&run->tmr_to);
	}

	if (!run->finished)
		finish(run);
}


static void kick_h(void *arg)
{
	advance(arg);
}


/* run the cursor after the current handler returns */
static void kick(struct run *run)
{
	if (!run->finished)
		tmr_start(&run->tmr_kick, 0, kick_h, run);
}


static void finish(struct run *run)
{
	unsigned i;

	if (run->finished)
		return;

	run->finished = true;
	tmr_cancel(&run->tmr_to);
	tmr_cancel(&run->tmr_wait);
	tmr_cancel(&run->tmr_kick);

	for (i = 0; i < run->sc->nsteps; i++) {
		const struct step *st = scenario_step_at(run->sc, i);

		if (st && run->v[i].status == VERDICT_PENDING)
			step_done(run, st, VERDICT_NOTRUN, 0, NULL);
	}

	if (run->h.doneh)
		run->h.doneh(run, run->h.arg);
}


/* a datagram at a simulated role's socket */
static void recv_h(struct agent *ag, const struct sa *src, struct mbuf *mb,
		   void *arg)
{
	struct run *run = arg;
	struct agent *snd = agent_by_addr(&run->agents, src);
	struct msgrec *r = NULL;
	struct le *le;

	if (run->finished)
		return;

	/* from a simulated role: the record made when it was sent */
	if (snd && !snd->role->dut) {
		for (le = run->msgs.head; le; le = le->next) {
			struct msgrec *o = le->data;

			if (o->rx_le.list || o->to != ag->role ||
			    o->from != snd->role)
				continue;
			if (o->mb->end == mbuf_get_left(mb) &&
			    !memcmp(o->mb->buf, mbuf_buf(mb), o->mb->end)) {
				r = o;
				break;
			}
		}
	}

	if (!r) {
		if (msgrec_alloc(&r, mb))
			return;

		r->from = snd ? snd->role : NULL;
		r->to = ag->role;
		r->src = *src;
		r->dst = ag->role->addr;
		r->t_ms = now_ms(run);
		list_append(&run->msgs, &r->le, r);
		write_pcap(run, r);
		if (snd)
			track_sent(snd, r);
	}

	r->t_rx = now_ms(run);
	r->retrans = r->msg && track_is_retrans(ag, r);
	track_received(ag, r);

	if (r->retrans) {
		run_logf(run, "absorbed a retransmission of %H from %H at %s "
		     "(frame %u)", rec_line, r, role_name, r->from,
		     ag->role->name, r->frame);
		return;
	}

	list_append(&run->inbox, &r->in_le, r);
	kick(run);
}


/* a step between two devices under test is out of sight */
static int check_visible(const struct scenario *sc, struct diag *dg)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < sc->nsteps; i++) {
		const struct step *st = scenario_step_at(sc, i);

		if (!st || st->type != STEP_MSG)
			continue;
		if (st->from->dut && st->to->dut) {
			diag_err(dg, sc->file, &st->pos, "step %s: %s and %s "
				 "are both devices under test; sipflow "
				 "cannot see that message", st->id,
				 st->from->name, st->to->name);
			err = EINVAL;
		}
	}

	return err;
}


/**
 * A run of a bound scenario (every role has an address). Opens the
 * sockets of the simulated roles and the pcap file; bad bindings (an
 * address in use, a step between two DUTs) are reported into dg.
 */
int run_alloc(struct run **runp, struct scenario *sc,
	      const struct run_opts *opts, const struct run_handlers *h,
	      struct diag *dg)
{
	struct run *run;
	struct le *le;
	int err;

	if (!runp || !sc || !opts)
		return EINVAL;

	if (!opts->offline) {
		err = check_visible(sc, dg);
		if (err)
			return err;
	}

	run = mem_zalloc(sizeof(*run), destructor);
	if (!run)
		return ENOMEM;

	run->sc = sc;
	run->opts = *opts;
	run->offline = opts->offline;
	if (h)
		run->h = *h;

	run->v = mem_zalloc(sizeof(*run->v) * (sc->nsteps + 1), NULL);
	run->steprec = mem_zalloc(sizeof(*run->steprec) * (sc->nsteps + 1),
				  NULL);
	run->sent = mem_zalloc(sizeof(*run->sent) * (sc->nsteps + 1), NULL);
	if (!run->v || !run->steprec || !run->sent) {
		err = ENOMEM;
		goto out;
	}

	for (le = sc->roles.head; le; le = le->next) {
		struct role *role = le->data;
		struct agent *ag;

		err = agent_alloc(&ag, role, recv_h, run);
		if (err) {
			diag_err(dg, sc->file, &role->pos, "role %s: cannot "
				 "listen on %s:%J: %m", role->name,
				 sip_transp_name(role->tp), &role->addr, err);
			goto out;
		}
		list_append(&run->agents, &ag->le, ag);
	}

	if (opts->pcap_path) {
		err = pcapw_open(&run->pcap, opts->pcap_path);
		if (err) {
			diag_err(dg, NULL, NULL, "%s: cannot write: %m",
				 opts->pcap_path, err);
			goto out;
		}
	}

 out:
	if (err)
		mem_deref(run);
	else
		*runp = run;

	return err;
}


/** Start playing; the done handler says when it ended */
int run_start(struct run *run)
{
	if (!run || run->started)
		return EINVAL;

	run->started = true;
	run->t0 = tmr_jiffies();
	run->t_prev = 0;
	run->cur = run->sc->steps.head;
	if (run->offline)
		advance(run);
	else
		kick(run);

	return 0;
}


/**
 * Offline: one message of the capture, as it went from src to dst at
 * t_ms. Messages between addresses no role has are ignored (0).
 */
int run_inject(struct run *run, const struct sa *src, const struct sa *dst,
	       const uint8_t *p, size_t len, uint32_t frame, uint64_t t_ms)
{
	struct agent *snd, *rcv;
	struct msgrec *r = NULL;
	struct mbuf *mb;
	int err;

	if (!run || !run->offline || !src || !dst || !p)
		return EINVAL;
	if (run->finished)
		return 0;

	snd = agent_by_addr(&run->agents, src);
	rcv = agent_by_addr(&run->agents, dst);
	if (!snd && !rcv)
		return 0;

	run->vclock = t_ms;
	mb = mbuf_alloc(len);
	if (!mb)
		return ENOMEM;
	(void)mbuf_write_mem(mb, p, len);
	mb->pos = 0;
	err = msgrec_alloc(&r, mb);
	mem_deref(mb);
	if (err)
		return err;

	r->from = snd ? snd->role : NULL;
	r->to = rcv ? rcv->role : NULL;
	r->src = *src;
	r->dst = *dst;
	r->frame = frame;
	r->t_ms = t_ms;
	r->t_rx = t_ms;
	list_append(&run->msgs, &r->le, r);
	if (snd)
		track_sent(snd, r);

	if (rcv) {
		r->retrans = r->msg && track_is_retrans(rcv, r);
		track_received(rcv, r);
	}
	if (r->retrans) {
		run_logf(run, "absorbed a retransmission of %H from %H at %H "
			 "(frame %u)", rec_line, r, role_name, r->from,
			 role_name, r->to, r->frame);
		return 0;
	}

	list_append(&run->inbox, &r->in_le, r);
	advance(run);

	return 0;
}


/** Offline: the capture ended; what is still awaited is not in it */
void run_end_offline(struct run *run)
{
	const struct step *st;

	if (!run || run->finished)
		return;

	advance(run);
	if (run->finished)
		return;

	st = waiting_step(run, NULL, NULL);
	if (st && st->type == STEP_MSG &&
	    run->v[st->idx].status == VERDICT_PENDING)
		step_fail(run, st, 0, "no %H from %s at %s in the capture",
			  step_line, st, st->from->name, st->to->name);

	finish(run);
}


/** Stop now (SIGINT, SIGTERM): the waiting step fails with why */
void run_interrupt(struct run *run, const char *why)
{
	const struct step *st;

	if (!run || run->finished)
		return;

	st = waiting_step(run, NULL, NULL);
	if (st && run->v[st->idx].status == VERDICT_PENDING)
		step_fail(run, st, 0, "%s", why);

	finish(run);
}


const struct scenario *run_scenario(const struct run *run)
{
	return run ? run->sc : NULL;
}


const struct verdict *run_verdict(const struct run *run, unsigned idx)
{
	if (!run || idx >= run->sc->nsteps)
		return NULL;

	return &run->v[idx];
}


/** Every message of the run, in the order sent or received */
const struct list *run_msgs(const struct run *run)
{
	return run ? &run->msgs : NULL;
}


/** The rules the run's messages broke (struct finding) */
const struct list *run_findings(const struct run *run)
{
	return run ? &run->findings : NULL;
}


/** The message a step sent or matched, or NULL */
const struct msgrec *run_step_rec(const struct run *run, unsigned idx)
{
	if (!run || idx >= run->sc->nsteps)
		return NULL;

	return run->steprec[idx];
}


/** How many steps ended with status s (group and wait steps aside) */
unsigned run_count(const struct run *run, enum verdict_status s)
{
	unsigned i, n = 0;

	for (i = 0; run && i < run->sc->nsteps; i++) {
		const struct step *st = scenario_step_at(run->sc, i);

		if (st && st->type == STEP_MSG && run->v[i].status == s)
			++n;
	}

	return n;
}


/** True when the run ended and no step failed or went unreached */
bool run_passed(const struct run *run)
{
	return run && run->finished && !run_count(run, VERDICT_FAIL) &&
	       !run_count(run, VERDICT_NOTRUN);
}


uint64_t run_elapsed_ms(const struct run *run)
{
	return run && run->started ? now_ms(run) : 0;
}
