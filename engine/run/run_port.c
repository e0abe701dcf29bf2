/* engine/run/run_port.c — the stage's side of its call: the port through
 * which the call (call.h) has its messages sent by the roles' agents, its
 * do:, media: and event: steps performed, its timers run on the stage's
 * clock, its verdicts reported and its notes logged; and the wait for
 * every role to be ready before the cursor first moves */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "build.h"
#include "agent.h"
#include "track.h"
#include "run.h"
#include "run_priv.h"


/* call_send_h: build st's message by its role's agent and send it */
static int send_h(struct call *call, const struct step *st,
		  struct msgrec **rp, char **whyp, void *arg)
{
	struct run *run = arg;
	struct agent *ag = agent_find(&run->agents, st->from);
	struct buildctx ctx;
	struct msgrec *r = NULL;
	struct mbuf *mb = NULL;
	int err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sc = run->sc;
	ctx.st = st;
	ctx.answers = st->answers ? call->steprec[st->answers->idx] : NULL;
	ctx.assoc = st->assoc ? call->steprec[st->assoc->idx] : NULL;
	ctx.forwards = st->forwards ? call->steprec[st->forwards->idx] : NULL;
	ctx.steprec = call->steprec;

	if (!ag || !ag->kind->buildh) {
		(void)re_sdprintf(whyp, "role %s (%s) cannot send",
				  st->from->name,
				  ag ? ag->kind->name : "no agent");
		return EINVAL;
	}

	err = ag->kind->buildh(&mb, ag, &ctx);
	if (err == ENOENT) {
		*whyp = ctx.why;
		return err;
	}
	if (err) {
		*whyp = call_cannot_build(st, err, ctx.why);
		mem_deref(ctx.why);
		return err;
	}
	mem_deref(ctx.why);

	err = msgrec_alloc(&r, mb);
	if (err) {
		mem_deref(mb);
		(void)re_sdprintf(whyp, "cannot record message: %m", err);
		return err;
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
	*rp = r;

	r->lose_left = st->lose;
	err = run_xmit(run, ag, r);
	mem_deref(mb);
	if (err) {
		(void)re_sdprintf(whyp, "cannot send from %J to %J: %m",
				  &r->src, &r->dst, err);
		return err;
	}

	track_sent(&ag->led, r);
	run_rtx_start(run, ag, r);

	if (st->to->dut) {
		/* the device's side of the story: it received r */
		struct agent *dut = agent_find(&run->agents, st->to);

		if (dut)
			track_received(&dut->led, r);
	}

	return 0;
}


/* call_act_h: a do:, media: or event: step */
static enum prog act_h(struct call *call, const struct step *st,
		       void *arg)
{
	struct run *run = arg;
	(void)call;

	switch (st->type) {

	case STEP_DO:    return run_do_step(run, st);
	case STEP_MEDIA: return run_media_step(run, st);
	case STEP_EVENT: return run_event_step(run, st);
	default:         return PROG_FAIL;
	}
}


static void tmr_timeout_h(void *arg)
{
	struct run *run = arg;

	call_on_timer(run->call, CALL_TMR_TIMEOUT);
}


static void tmr_wait_h(void *arg)
{
	struct run *run = arg;

	call_on_timer(run->call, CALL_TMR_WAIT);
}


static void tmr_kick_h(void *arg)
{
	run_advance(arg);
}


/* call_tmr_h: the call's timers, on the stage's clock */
static void port_tmr(struct call *call, enum call_tmr t, uint32_t ms,
		     void *arg)
{
	static tmr_h *const expiry[CALL_TMR_N] = {
		tmr_timeout_h, tmr_wait_h, tmr_kick_h,
	};
	struct run *run = arg;
	(void)call;

	if (ms == CALL_TMR_OFF)
		clock_tmr_cancel(&run->ctmr[t]);
	else
		clock_tmr_start(&run->ctmr[t], run->clock, ms, expiry[t],
				run);
}


static void verdict_h(struct call *call, const struct step *st,
		      const struct verdict *v, void *arg)
{
	struct run *run = arg;
	(void)call;

	if (run->h.steph)
		run->h.steph(run, st, v, run->h.arg);
}


static void log_h(struct call *call, const char *line, void *arg)
{
	struct run *run = arg;
	(void)call;

	if (run->h.logh)
		run->h.logh(run, line, run->h.arg);
}


/* call_end_h: the call ends; what the stage does for it stops */
static void stop_h(struct call *call, void *arg)
{
	struct run *run = arg;
	(void)call;

	run_rtx_stop(run);
	run_media_stop(run);
	clock_tmr_cancel(&run->tmr_quiet);
	clock_tmr_cancel(&run->tmr_event);
}


/* call_end_h: every verdict given: the roles close what is open */
static void end_h(struct call *call, void *arg)
{
	(void)call;
	run_teardown(arg);
}


static const char *earlier_h(const struct pl *callid, void *arg)
{
	const struct run *run = arg;

	return run->opts.earlierh(callid, run->opts.earlier_arg);
}


static void absorb_h(struct call *call, struct msgrec *r, void *arg)
{
	(void)call;
	run_stray_absorb(arg, r);
}


/* "; the TCP connection from B (127.0.0.11) holds an incomplete message
 * (…)": why a message that began to arrive never reached the step; and
 * "; B's address … answered ICMP port unreachable" */
static int why_h(struct re_printf *pf, const struct step *st, void *arg)
{
	const struct run *run = arg;
	struct agent_from af;
	int err = 0;

	if (st->type == STEP_MSG) {
		af.ag = agent_find(&run->agents, st->to);
		af.from = st->from;
		err = agent_held_print(pf, &af);
	}

	return err | run_icmp_print(pf, &(struct icmp_of){run, st->from});
}


/** The run's call, its port the run's agents, clock and handlers */
int run_call_alloc(struct run *run)
{
	const struct call_cfg cfg = {
		run->sc, run->clock, &run->ledgers, &run->findings,
		&run->timers, run->opts.timeout_ms, run->offline,
		run->opts.strict,
	};
	const struct call_port port = {
		send_h, act_h, port_tmr, verdict_h,
		run->h.logh ? log_h : NULL, stop_h, end_h,
		run->opts.earlierh ? earlier_h : NULL, absorb_h, why_h, run,
	};

	return call_alloc(&run->call, &cfg, &port);
}


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
		port_tmr(run->call, CALL_TMR_KICK, 2, run);
		return true;
	}

	if (run->call->cur)
		call_step_fail(run->call, run->call->cur->data, 0,
			       "%H within %u ms", agent_unready_print, ag,
			       READY_MS);
	run_finish(run);
	return true;
}


/** The call's cursor moves, once every role is ready */
void run_advance(struct run *run)
{
	if (wait_ready(run))
		return;

	call_advance(run->call);
}


/** The call ends (run_teardown closes what it left open) */
void run_finish(struct run *run)
{
	call_finish(run->call);
}
