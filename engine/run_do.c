/* engine/run_do.c — do: steps: a phone acts at once; a device acts
 * through its driver (agents/hil/), and the step waits for the driver to
 * say it was done. Either way the step passes when the actor could act;
 * what the actor then sends is checked by the F-steps that follow. */
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "phone.h"
#include "doverb.h"
#include "placeholder.h"
#include "hil/hil.h"
#include "run.h"
#include "run_priv.h"


static void driver_done_h(int err, const char *why, void *arg)
{
	struct run *run = arg;
	const struct step *st = run->acting;
	struct agent *ag;

	run->acting = NULL;
	if (!st || run->finished)
		return;

	ag = agent_find(&run->agents, st->act.actor);
	if (err) {
		run_step_fail(run, st, 0, "%s's driver (%H) failed: %s",
			      st->act.actor->name, hil_print, ag ? ag->hil
			      : NULL, why ? why : "no reason given");
		run_finish(run);
		return;
	}

	run->v[st->idx].device_ms = (int64_t)(run_now(run) - run->t_acted);
	run_step_done(run, st, VERDICT_PASS, 0, NULL);
	run_kick(run);
}


/* a device: hand the verb to its driver, wait for its word */
static enum prog drive(struct run *run, const struct step *st,
		       struct agent *ag)
{
	const struct do_spec *d = &st->act;
	char *uri = NULL;
	int err;

	if (run->acting == st)
		return PROG_WAIT;

	if (d->target) {
		err = role_aor(&uri, run->sc, d->target);
		if (err) {
			run_step_fail(run, st, 0, "no URI for %s: %m",
				      d->target->name, err);
			return PROG_FAIL;
		}
	}

	run->acting = st;
	run->t_acted = run_now(run);
	run->v[st->idx].stimulus = true;
	run->v[st->idx].device_ms = -1;
	run_logf(run, "%s: %H through %H%s%s", st->id, doverb_print, d,
		 hil_print, ag->hil, uri ? ": " : "", uri ? uri : "");
	err = hil_act(ag->hil, d, uri, driver_done_h, run);
	mem_deref(uri);
	if (err) {
		run->acting = NULL;
		run_step_fail(run, st, 0, "%s's driver (%H) is busy: %m",
			      d->actor->name, hil_print, ag->hil, err);
		return PROG_FAIL;
	}

	return PROG_WAIT;
}


/** do: the actor acts; the step passes when it could */
enum prog run_do_step(struct run *run, const struct step *st)
{
	const struct do_spec *d = &st->act;
	struct agent *ag = agent_find(&run->agents, d->actor);
	char *why = NULL;
	enum prog p;
	int err;

	if (run_step_settled(run, st, &p))
		return p;

	if (run->offline) {
		/* a capture holds what was done, not the doing */
		run_step_done(run, st, VERDICT_SKIP, 0, NULL);
		return PROG_DONE;
	}

	if (ag && ag->hil)
		return drive(run, st, ag);

	if (!ag || !ag->phone) {
		/* run_alloc refuses this; a guard, not a path */
		run_step_fail(run, st, 0, "%s has no driver to act through",
			      d->actor->name);
		return PROG_FAIL;
	}

	err = phone_do(ag->phone, d, &why);
	if (err) {
		run_step_fail(run, st, 0, "%s", why ? why : "failed");
		mem_deref(why);
		return PROG_FAIL;
	}
	mem_deref(why);

	run_step_done(run, st, VERDICT_PASS, 0, NULL);
	return PROG_DONE;
}
