/* engine/run_do.c — do: steps: the actor (a phone; a device through its
 * driver) acts at once, and the step passes when it could */
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "agent.h"
#include "phone.h"
#include "doverb.h"
#include "run.h"
#include "run_priv.h"


/** do: the actor acts now; the step passes when it could */
enum prog run_do_step(struct run *run, const struct step *st)
{
	const struct do_spec *d = &st->act;
	struct agent *ag = agent_find(&run->agents, d->actor);
	char *why = NULL;
	int err;

	if (run->v[st->idx].status != VERDICT_PENDING)
		return PROG_DONE;

	if (run->offline) {
		/* a capture holds what was done, not the doing */
		run_step_done(run, st, VERDICT_SKIP, 0, NULL);
		return PROG_DONE;
	}

	if (!ag || !ag->phone) {
		run_step_fail(run, st, 0, "%s is a device under test with no "
			      "driver to act through; do: %H cannot reach it",
			      d->actor->name, doverb_print, d);
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
