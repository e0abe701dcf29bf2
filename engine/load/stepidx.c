/* engine/load/stepidx.c — the loader's index of step ids
 *
 * Each step the loader reads looks ids up: its own (a duplicate?), and
 * the ones its answers:, forwards:, retransmission-of: and placeholders
 * name. scenario_step walks the list, so a flow of n steps took n^2/2
 * comparisons: 20000 steps (a 500 kB file) took 30 s to lint. The loader
 * keeps the ids in a hash table as it reads them instead.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "load.h"


/** One step in the index */
struct stepidx {
	struct le he;
	struct step *st;
};


static bool id_cmp(struct le *le, void *arg)
{
	const struct stepidx *e = le->data;

	return !strcmp(e->st->id, arg);
}


/** Index a step by its id (read as it is added to the flow); out of
 *  memory, the index is dropped and lookups walk the list */
int ld_step_add(struct loader *ld, struct step *st)
{
	struct stepidx *e;

	if (!st || !st->id)
		return EINVAL;
	if (ld->noids)
		return ENOMEM;

	if (!ld->ids && hash_alloc(&ld->ids, 4096))
		ld->noids = true;
	e = ld->noids ? NULL : mem_zalloc(sizeof(*e), NULL);
	if (!e) {
		ld_steps_free(ld);
		ld->noids = true;
		return ENOMEM;
	}
	e->st = st;
	hash_append(ld->ids, hash_joaat_str(st->id), &e->he, e);

	return 0;
}


/** The step read so far with this id (the first, if it is there
 *  twice), or NULL */
struct step *ld_step(const struct loader *ld, const char *id)
{
	struct le *le;

	if (!id)
		return NULL;
	if (!ld->ids || ld->noids)
		return scenario_step(ld->sc, id);

	le = hash_lookup(ld->ids, hash_joaat_str(id), id_cmp, (void *)id);

	return le ? ((struct stepidx *)le->data)->st : NULL;
}


/** Release the index (the steps are the scenario's) */
void ld_steps_free(struct loader *ld)
{
	hash_flush(ld->ids);
	ld->ids = mem_deref(ld->ids);
}
