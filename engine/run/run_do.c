/* engine/run/run_do.c — do: steps: the actor's kind acts (agent_act, the
 * kind table in agents/kind.c): a phone at once; a device through its
 * driver (agents/hil/), and the step waits for the driver to say it was
 * done. Either way the step passes when the actor could act; what the
 * actor then sends is checked by the F-steps that follow.
 * Settings reach a device one at a time (set: steps, and before the
 * first step the role's own keys); lint made sure its driver can.
 *
 * A device's reaction counts from the moment its driver's stimulus left
 * (hil_sent), not from the driver's acknowledgement, which may come
 * seconds later. What the device sent before it was asked, that a later
 * step would take as its reaction, fails the do: step: the device acted
 * on its own (auto-answer). To see that rather than race it, the
 * stimulus waits until the device has had QUIET_MS since its last
 * message, sent or received (docs/decisions/0013-acted-before-asked.md).
 */
#include <stdint.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "doverb.h"
#include "placeholder.h"
#include "run.h"
#include "run_priv.h"


static void driver_done_h(int err, const char *why, uint64_t sent,
			  void *arg);


/* the forward-* target a setting names, or NULL */
static const struct role *setting_target(const struct phone_cfg *c,
					 unsigned bit)
{
	switch (bit) {

	case PHONE_CFG_FWD_NOANS:  return c->fwd_noans;
	case PHONE_CFG_FWD_ALWAYS: return c->fwd_always;
	case PHONE_CFG_FWD_BUSY:   return c->fwd_busy;
	default:                   return NULL;
	}
}


/*
 * The next of run->set_left to the device ag plays, as a set: of that
 * one setting (a forward-* target as its URI); doneh hears the driver.
 * The tone is never sent: a device's is the testbed's tone:.
 */
static int set_next(struct run *run, struct agent *ag,
		    const struct phone_cfg *c, agent_done_h *doneh)
{
	unsigned bit = run->set_left & (~run->set_left + 1);
	const struct role *to = setting_target(c, bit);
	struct do_setting ds = {c, bit, NULL};
	struct do_spec one;
	char *uri = NULL, *why = NULL;
	int err;

	run->set_left &= ~bit;
	memset(&one, 0, sizeof(one));
	one.actor = ag->role;
	one.verb = DO_SET;
	one.set = *c;
	one.set.given = bit;

	err = to ? role_aor(&uri, run->sc, to) : 0;
	if (err)
		return err;
	ds.uri = uri;

	run_logf(run, "%s: set %H through %H", ag->role->name,
		 doverb_setting_print, &ds, agent_where, ag);
	err = agent_act(ag, &one, uri, doneh, run, &why);
	mem_deref(uri);
	mem_deref(why);
	/* a setting goes to a driver, which reports back later */
	if (err != EINPROGRESS)
		return err ? err : ENOTSUP;
	ag->set_applied |= bit;

	return 0;
}


static void restore_done_h(int err, const char *why, uint64_t sent,
			   void *arg);
static void restore_next(struct run *run);


static void unreg_done_h(int err, const char *why, uint64_t sent,
			 void *arg)
{
	struct run *run = arg;
	struct agent *ag = run->restoring;
	(void)sent;

	if (ag && err)
		run_logf(run, "teardown: %s's driver could not unregister it: "
			 "%s", ag->role->name, why ? why : "no reason given");
	restore_next(run);
}


/* a device this run registered goes back to unregistered, so that the
 * next flow (of this run or another) waits for a REGISTER of its own,
 * not one that takes the old registration down */
static bool unregister(struct run *run, struct agent *ag)
{
	struct do_spec d;
	char *why = NULL;
	int err;

	ag->registered = false;
	memset(&d, 0, sizeof(d));
	d.actor = ag->role;
	d.verb = DO_UNREGISTER;

	run->restoring = ag;
	run_logf(run, "%s: unregister through %H", ag->role->name,
		 agent_where, ag);
	err = agent_act(ag, &d, NULL, unreg_done_h, run, &why);
	if (err != EINPROGRESS)
		run_logf(run, "teardown: %s's driver could not start "
			 "unregistering it: %s", ag->role->name,
			 why ? why : "no reason given");
	mem_deref(why);

	return err == EINPROGRESS;
}


/* the next device with settings of this run to undo: its first one;
 * then the devices it registered */
static void restore_next(struct run *run)
{
	struct phone_cfg dflt;
	struct le *le;

	phone_cfg_defaults(&dflt);

	for (le = run->agents.head; le; le = le->next) {
		struct agent *ag = le->data;

		if (!ag->set_applied && ag->registered && ag->role->dut &&
		    unregister(run, ag))
			return;
		if (!ag->set_applied)
			continue;

		run->restoring = ag;
		run->set_left = ag->set_applied;
		ag->set_applied = 0;
		if (!set_next(run, ag, &dflt, restore_done_h))
			return;
		run_logf(run, "teardown: %s's driver could not start undoing "
			 "its settings", ag->role->name);
	}

	run->restoring = NULL;
}


static void restore_done_h(int err, const char *why, uint64_t sent,
			   void *arg)
{
	struct run *run = arg;
	struct agent *ag = run->restoring;
	struct phone_cfg dflt;

	if (!ag)
		return;
	phone_cfg_defaults(&dflt);

	if (err) {
		run_logf(run, "teardown: %s's driver could not undo a setting "
			 "of this scenario: %s", ag->role->name,
			 why ? why : "no reason given");
		run->set_left = 0;
	}
	ag->set_applied = 0;
	if (run->set_left && !set_next(run, ag, &dflt, restore_done_h))
		return;

	restore_next(run);
}


/**
 * After the flow: each device gets back a phone's defaults (auto-answer
 * off, not busy …) for the settings this run gave it, one at a time, so
 * that what one scenario set does not stay for the next. True while that
 * is under way (the teardown waits for it).
 */
bool run_do_restore(struct run *run)
{
	if (!run->restoring)
		restore_next(run);

	return run->restoring != NULL;
}


enum { QUIET_MS = 200 };


/*
 * What the device sent before t (its stimulus left), still in the inbox,
 * that a later step would take as its reaction: it acted before it was
 * asked. Its own retransmissions are no new act.
 */
static const struct msgrec *acted_before(const struct run *run,
					 const struct step *st, uint64_t t)
{
	struct le *le;

	for (le = run->call->inbox.head; le; le = le->next) {
		const struct msgrec *r = le->data;

		if (r->from == st->act.actor && !r->retrans && r->t_rx < t &&
		    call_later_step(run->call, r))
			return r;
	}

	return NULL;
}


/* "B acted before it was asked: it sent 200 OK to P (frame 6) 3 ms
 * before the driver told it to answer; …" (t: when the driver's request
 * left, or, asked false, when it would have: it was not asked) */
static void fail_acted(struct run *run, const struct step *st,
		       const struct msgrec *r, uint64_t t, bool asked)
{
	const struct do_verb_def *vd = doverb_def(st->act.verb);
	const char *verb = vd ? vd->name : "act";

	call_step_fail(run->call, st, r->frame, "%s acted before it was "
		       "asked: it sent %H to %H (frame %u) %llu ms before the "
		       "driver %s %s%s; the flow has it act only when asked "
		       "(is it set to act on its own, as with auto-answer?)",
		       st->act.actor->name, call_rec_line, r, call_role_name,
		       r->to, r->frame, (unsigned long long)(t - r->t_rx),
		       asked ? "told it to" : "was to tell it to", verb,
		       asked ? "" : " (the driver was not asked)");
}


static void driver_done_h(int err, const char *why, uint64_t sent,
			  void *arg)
{
	struct run *run = arg;
	const struct step *st = run->acting;
	const struct msgrec *early;
	struct agent *ag;

	if (!st || run->call->finished) {
		run->acting = NULL;
		return;
	}

	ag = agent_find(&run->agents, st->act.actor);
	/* a set: step is done when its last setting is */
	if (!err && run->set_left && ag) {
		err = set_next(run, ag, &st->act.set, driver_done_h);
		if (!err)
			return;
		why = "the driver could not start it";
	}
	run->acting = NULL;
	if (err) {
		call_step_fail(run->call, st, 0, "%s's driver (%H) failed: %s",
			       st->act.actor->name, agent_where, ag,
			       why ? why : "no reason given");
		run_finish(run);
		return;
	}

	/* the stimulus: when the driver's request left, else when it was
	 * asked; the device's reaction counts from there */
	run->call->at[st->idx] = sent ?
		clock_of_jiffies(run->clock, sent) - run->t0 : run->t_acted;

	early = acted_before(run, st, run->call->at[st->idx]);
	if (early) {
		fail_acted(run, st, early, run->call->at[st->idx], true);
		run_finish(run);
		return;
	}

	if (ag && (st->act.verb == DO_REGISTER ||
		   st->act.verb == DO_PROVISION))
		ag->registered = true;
	else if (ag && st->act.verb == DO_UNREGISTER)
		ag->registered = false;

	/* the driver's own time, apart */
	run->call->v[st->idx].device_ms =
		(int64_t)(run_now(run) - run->t_acted);
	call_step_done(run->call, st, VERDICT_PASS, 0, NULL);
	call_on_act_done(run->call);
}


static void quiet_h(void *arg)
{
	struct run *run = arg;

	call_on_act_done(run->call);
}


/* the device's last message, sent or received, before st */
static const struct msgrec *last_of(const struct run *run,
				    const struct role *dev)
{
	struct le *le;

	for (le = run->msgs.tail; le; le = le->prev) {
		const struct msgrec *r = le->data;

		if (r->from == dev || r->to == dev)
			return r;
	}

	return NULL;
}


/*
 * Before the stimulus: the device has QUIET_MS after its last message
 * (once, from when the cursor came here: bounded), so what it does on
 * its own comes in first; then whatever it did fails the step and the
 * driver is not asked at all.
 */
static bool quiet(struct run *run, const struct step *st)
{
	const struct msgrec *early;
	uint64_t now = run_now(run);

	if (run->quiet_st != st) {
		const struct msgrec *last = last_of(run, st->act.actor);

		run->quiet_st = st;
		run->quiet_until = last ? msgrec_time(last) + QUIET_MS : 0;
	}
	if (now < run->quiet_until) {
		clock_tmr_start(&run->tmr_quiet, run->clock,
				run->quiet_until - now, quiet_h, run);
		return false;
	}

	early = acted_before(run, st, UINT64_MAX);
	if (early)
		fail_acted(run, st, early, now, false);

	return true;
}


/*
 * The actor acts on d (uri: its target's, or NULL): passes at once, or
 * waits for the word of its driver (driver_done_h), or fails. A kind
 * that cannot act fails naming the step.
 */
static enum prog act(struct run *run, const struct step *st,
		     struct agent *ag, const char *uri)
{
	const struct do_spec *d = &st->act;
	char *why = NULL;
	int err;

	err = agent_act(ag, d, uri, driver_done_h, run, &why);
	if (err == EINPROGRESS) {
		run->acting = st;
		return PROG_WAIT;
	}
	if (run->acting == st)
		run->acting = NULL;

	if (err == ENOTSUP)
		call_step_fail(run->call, st, 0, "do: %H (step %s): %s",
			       doverb_print, d, st->id,
			       why ? why : "the role cannot act");
	else if (err)
		call_step_fail(run->call, st, 0, "%s", why ? why : "failed");
	else
		call_step_done(run->call, st, VERDICT_PASS, 0, NULL);
	mem_deref(why);

	return err ? PROG_FAIL : PROG_DONE;
}


/*
 * A device: it has its quiet first, then gets the verb through its
 * driver, and its reaction counts from the stimulus (a set: goes one
 * setting at a time)
 */
static enum prog drive(struct run *run, const struct step *st,
		       struct agent *ag)
{
	const struct do_spec *d = &st->act;
	char *uri = NULL;
	enum prog p;
	int err;

	if (!quiet(run, st))
		return PROG_WAIT;
	if (run->call->v[st->idx].status == VERDICT_FAIL)
		return PROG_FAIL;

	if (d->target) {
		err = role_aor(&uri, run->sc, d->target);
		if (err) {
			call_step_fail(run->call, st, 0, "no URI for %s: %m",
				       d->target->name, err);
			return PROG_FAIL;
		}
	}

	if (d->verb == DO_SET && !(d->set.given & ~PHONE_CFG_TONE)) {
		/* nothing to send: the tone is the device's own, and lint
		 * made sure the testbed's agrees */
		call_step_done(run->call, st, VERDICT_PASS, 0, NULL);
		return PROG_DONE;
	}

	run->acting = st;
	run->t_acted = run_now(run);
	run->call->v[st->idx].stimulus = true;
	run->call->v[st->idx].device_ms = -1;
	if (d->verb != DO_SET) {
		run_logf(run, "%s: %H through %H%s%s", st->id, doverb_print,
			 d, agent_where, ag, uri ? ": " : "",
			 uri ? uri : "");
		p = act(run, st, ag, uri);
		mem_deref(uri);
		return p;
	}

	run->set_left = d->set.given & ~PHONE_CFG_TONE;
	err = set_next(run, ag, &d->set, driver_done_h);
	mem_deref(uri);
	if (err) {
		run->acting = NULL;
		call_step_fail(run->call, st, 0, "%s's driver (%H) is "
			       "busy: %m",
			       d->actor->name, agent_where, ag, err);
		return PROG_FAIL;
	}

	return PROG_WAIT;
}


/** do: the actor acts; the step passes when it could */
enum prog run_do_step(struct run *run, const struct step *st)
{
	const struct do_spec *d = &st->act;
	struct agent *ag = agent_find(&run->agents, d->actor);
	enum prog p;

	if (call_step_settled(run->call, st, &p))
		return p;

	if (run->offline) {
		/* a capture holds what was done, not the doing */
		call_step_done(run->call, st, VERDICT_SKIP, 0, NULL);
		return PROG_DONE;
	}

	if (run->acting == st)
		return PROG_WAIT;

	if (!ag) {
		/* every role has its agent; a guard, not a path */
		call_step_fail(run->call, st, 0, "%s has no agent to act",
			       d->actor->name);
		return PROG_FAIL;
	}

	/* what a device does on its own, before it is asked, is seen */
	if (d->actor->dut)
		return drive(run, st, ag);

	return act(run, st, ag, NULL);
}


static void preset_done_h(int err, const char *why, uint64_t sent,
			  void *arg)
{
	struct run *run = arg;
	const struct role *r = run->presetting;
	struct agent *ag = r ? agent_find(&run->agents, r) : NULL;

	if (!r || !ag || run->call->finished) {
		run->presetting = NULL;
		return;
	}

	if (!err && run->set_left) {
		err = set_next(run, ag, &r->cfg, preset_done_h);
		if (!err)
			return;
		why = "the driver could not start it";
	}
	run->presetting = NULL;

	if (err) {
		if (run->call->cur)
			call_step_fail(run->call, run->call->cur->data,
				       0, "%s's driver "
				       "(%H) could not apply the scenario's "
				       "settings for %s: %s", r->name,
				       agent_where, ag, r->name,
				       why ? why : "no reason given");
		run_finish(run);
		return;
	}

	call_on_act_done(run->call);
}


/**
 * Before the first step, each device that plays a role the scenario
 * declares a phone gets that role's settings (busy:, auto-answer: …)
 * through its driver, one at a time. True while that is under way.
 */
bool run_do_presets(struct run *run)
{
	struct le *le;

	if (run->preset || run->offline)
		return false;
	if (run->presetting)
		return true;

	for (le = run->agents.head; le; le = le->next) {
		struct agent *ag = le->data;
		const struct role *r = ag->role;
		int err;

		/* only a role declared a phone has settings, and lint made
		 * sure a device given some has a driver for them */
		if (!r->dut || r->idx < run->preset_from)
			continue;
		run->preset_from = r->idx + 1;
		run->set_left = r->cfg.given & ~PHONE_CFG_TONE;
		if (!run->set_left)
			continue;

		run->presetting = r;
		err = set_next(run, ag, &r->cfg, preset_done_h);
		if (err)
			preset_done_h(err, "the driver could not start it", 0,
				      run);
		return true;
	}

	run->preset = true;
	return false;
}
