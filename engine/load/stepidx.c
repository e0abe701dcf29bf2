/* engine/load/stepidx.c — the loader's index of step ids
 *
 * Each step the loader reads looks ids up: its own (a duplicate?), and
 * the ones its answers:, forwards:, retransmission-of: and placeholders
 * name. scenario_step walks the list, so a flow of n steps took n^2/2
 * comparisons: 20000 steps (a 500 kB file) took 30 s to lint. The loader
 * keeps the ids in an index (nameidx.c) as it reads them instead.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "load.h"
#include "nameidx.h"


/** Index a step by its id (read as it is added to the flow); out of
 *  memory, the index is dropped and lookups walk the list */
int ld_step_add(struct loader *ld, struct step *st)
{
	if (!st || !st->id)
		return EINVAL;
	if (ld->noids)
		return ENOMEM;

	if (nameidx_add(&ld->ids, st->id, st)) {
		ld_steps_free(ld);
		ld->noids = true;
		return ENOMEM;
	}

	return 0;
}


/** The step read so far with this id (the first, if it is there
 *  twice), or NULL */
struct step *ld_step(const struct loader *ld, const char *id)
{
	if (!id)
		return NULL;
	if (!ld->ids || ld->noids)
		return scenario_step(ld->sc, id);

	return nameidx_find(ld->ids, id, strlen(id));
}


/** Release the index (the steps are the scenario's) */
void ld_steps_free(struct loader *ld)
{
	ld->ids = mem_deref(ld->ids);
}
