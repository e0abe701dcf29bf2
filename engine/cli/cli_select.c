/* engine/cli/cli_select.c — one name a scenario: a scenario's name names
 * its capture, its JUnit suite and its ids in the reports, so two flows
 * of one name would overwrite each other's pcap and give two suites of
 * one name; the suite is refused before it plays, naming both places.
 * (A selection that keeps no scenario is refused by select.c.)
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "cli.h"


/* "scenarios/a.yaml:3:1" where scenario: names it, or "scenarios/a.yaml
 * (the file's name)" */
static int name_place(struct re_printf *pf, const struct scenario *sc)
{
	if (sc->name_pos.line)
		return re_hprintf(pf, "%s:%u:%u", sc->file, sc->name_pos.line,
				  sc->name_pos.col);

	return re_hprintf(pf, "%s (its file's name)", sc->file);
}


/* the first scenario of a list (struct scenario) named like sc, before
 * sc itself, or NULL */
static const struct scenario *named(const struct list *l,
				    const struct scenario *sc)
{
	struct le *le;

	for (le = l->head; le && le->data != sc; le = le->next) {
		const struct scenario *o = le->data;

		if (!strcmp(o->name, sc->name))
			return o;
	}

	return NULL;
}


/**
 * Every flow of all (struct scenario, in path order) must have a name of
 * its own: each one that repeats an earlier flow's name is an error in
 * dg at its scenario: key (or its file), naming the other. Returns how
 * many repeat one.
 */
unsigned cli_names_unique(const struct list *all, struct diag *dg)
{
	struct le *le;
	unsigned n = 0;

	for (le = all ? all->head : NULL; le; le = le->next) {
		const struct scenario *sc = le->data;
		const struct scenario *o = named(all, sc);

		if (!o)
			continue;
		++n;
		diag_err(dg, sc->file, sc->name_pos.line ? &sc->name_pos
			 : NULL, "scenario name '%s'%s is also the name of "
			 "%H: each scenario needs a name of its own (its "
			 "pcap, its JUnit suite and its report entry are "
			 "named after it); rename one with scenario:",
			 sc->name, sc->name_pos.line ? "" : " (its file's "
			 "name)", name_place, o);
	}

	return n;
}
