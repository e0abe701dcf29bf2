/* engine/load/ldindex.c — the loader's indexes of step ids and role names
 *
 * Each step the loader reads looks ids up: its own (a duplicate?), and
 * the ones its answers:, forwards:, retransmission-of: and placeholders
 * name; each role and each message line look role names up. Walking the
 * scenario's lists (scenario_step, scenario_role) made a flow of n steps
 * or roles take n^2/2 comparisons: 20000 steps (a 500 kB file) took 30 s
 * to lint, 20000 roles 12 s. The loader keeps both in indexes
 * (nameidx.c) as it reads them instead; out of memory, it drops them and
 * walks the lists.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "load.h"
#include "nameidx.h"


/* an index could not grow: none is used from now on */
static int no_index(struct loader *ld)
{
	ld_index_free(ld);
	ld->noidx = true;

	return ENOMEM;
}


/* obj under name into *ni, unless an index failed before */
static int index_add(struct loader *ld, struct nameidx **ni,
		     const char *name, void *obj)
{
	if (!obj || !name)
		return EINVAL;
	if (ld->noidx)
		return ENOMEM;

	return nameidx_add(ni, name, obj) ? no_index(ld) : 0;
}


/** Index a step by its id (read as it is added to the flow) */
int ld_step_add(struct loader *ld, struct step *st)
{
	return index_add(ld, &ld->ids, st ? st->id : NULL, st);
}


/** The step read so far with this id (the first, if it is there
 *  twice), or NULL */
struct step *ld_step(const struct loader *ld, const char *id)
{
	if (!id)
		return NULL;
	if (!ld->ids || ld->noidx)
		return scenario_step(ld->sc, id);

	return nameidx_find(ld->ids, id, strlen(id));
}


/** Index a role by its name (read as it is declared) */
int ld_role_add(struct loader *ld, struct role *r)
{
	return index_add(ld, &ld->roles_idx, r ? r->name : NULL, r);
}


/** The role named by the l characters at p (not a C string), or NULL */
struct role *ld_role_n(const struct loader *ld, const char *p, size_t l)
{
	struct le *le;

	if (!p)
		return NULL;
	if (ld->roles_idx && !ld->noidx)
		return nameidx_find(ld->roles_idx, p, l);

	for (le = ld->sc ? ld->sc->roles.head : NULL; le; le = le->next) {
		struct role *r = le->data;

		if (strlen(r->name) == l && !strncmp(r->name, p, l))
			return r;
	}

	return NULL;
}


/** The role of that name, or NULL */
struct role *ld_role(const struct loader *ld, const char *name)
{
	return name ? ld_role_n(ld, name, strlen(name)) : NULL;
}


/** Release the indexes (the steps and roles are the scenario's) */
void ld_index_free(struct loader *ld)
{
	ld->ids = mem_deref(ld->ids);
	ld->roles_idx = mem_deref(ld->roles_idx);
}
