/* engine/load/assoc.c — which request step each response step answers
 *
 * A response belongs to one client transaction (RFC 3261 §17.1.3), so a
 * response step passes only on the answer to one request step. answers:
 * names it; without it, it is the nearest earlier request step sent by
 * the response's receiver to its sender, of a method the status can
 * answer, that has no final response step yet. Computed once, at load:
 * the runner and the scripted roles only read st->assoc.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "assoc.h"


/* Can a response with this status answer a request of this method?
 * RFC 3261 §8.2.6.1: provisional responses other than 100 are for
 * INVITE; §21.4.25: 487 "is never returned for a CANCEL request itself";
 * no request answers an ACK (§17.1.1.3). */
bool assoc_status_fits(uint16_t scode, const char *method)
{
	if (!method || !strcmp(method, "ACK"))
		return false;
	if (scode > 100 && scode < 200)
		return !strcmp(method, "INVITE");
	if (scode == 487)
		return strcmp(method, "CANCEL") != 0;

	return true;
}


/* is o a request step st may answer? */
static bool candidate(const struct step *st, const struct step *o)
{
	return o->type == STEP_MSG && o->req && o->from == st->to &&
	       o->to == st->from && assoc_status_fits(st->scode, o->method);
}


/* has a step before st already given o its final response? */
static bool closed(struct step **flat, const struct step *st,
		   const struct step *o)
{
	unsigned i;

	for (i = o->idx + 1; i < st->idx; i++) {
		const struct step *r = flat[i];

		if (r && r->type == STEP_MSG && !r->req && r->scode >= 200 &&
		    r->assoc == o && !r->rtx_of)
			return true;
	}

	return false;
}


static struct step *implicit(struct step **flat, const struct step *st)
{
	struct step *fallback = NULL;
	unsigned i;

	for (i = st->idx; i-- > 0;) {
		struct step *o = flat[i];

		if (!o || !candidate(st, o))
			continue;
		if (!closed(flat, st, o))
			return o;

		/* a forking proxy relays each branch's 2xx upstream
		 * (RFC 3261 §16.7 step 5): one INVITE, several 2xx */
		if (!fallback && st->scode >= 200 && st->scode < 300 &&
		    !strcmp(o->method, "INVITE"))
			fallback = o;
	}

	return fallback;
}


/* does st accept both a 2xx and a 3xx-6xx? */
static bool mixes_finals(const struct step *st)
{
	bool ok = false, no = false;
	unsigned i;

	for (i = 0; i < st->nalt; i++) {
		uint16_t a = status_alt_code(st->alt[i]);

		ok |= a >= 200 && a < 300;
		no |= a >= 300;
	}

	return ok && no;
}


/* an ACK step after st from its receiver to its sender: the flow goes on
 * in the INVITE's transaction or dialog, so it needs one kind of answer */
static const struct step *ack_after(struct step **flat, unsigned n,
				    const struct step *st)
{
	unsigned i;

	for (i = st->idx + 1; i < n; i++) {
		const struct step *o = flat[i];

		if (o && o->type == STEP_MSG && o->req && o->from == st->to &&
		    o->to == st->from && !strcmp(o->method, "ACK"))
			return o;
	}

	return NULL;
}


/*
 * status: [2xx, 4xx] on the answer to an INVITE: a 2xx is ACKed in its
 * dialog, a 3xx-6xx in its transaction (RFC 3261 §13.2.2.4, §17.1.1.3),
 * so a flow with an ACK after it must say which; without one, the
 * teardown acknowledges whichever came (docs/decisions/0029)
 */
static bool mixed_ok(struct step **flat, unsigned n, const struct step *st)
{
	if (!mixes_finals(st) || !st->assoc ||
	    strcmp(st->assoc->method, "INVITE"))
		return true;

	return ack_after(flat, n, st) == NULL;
}


static void flatten(struct step **flat, const struct list *steps)
{
	struct le *le;

	for (le = steps->head; le; le = le->next) {
		struct step *st = le->data;

		flat[st->idx] = st;
		flatten(flat, &st->members);
	}
}


/**
 * Give every response step its request step (st->assoc). A response
 * step that answers no request step is an error at its place: the run
 * could not judge which transaction it belongs to.
 */
int scenario_associate(struct scenario *sc, struct diag *dg, unsigned *nerr)
{
	struct step **flat;
	unsigned i;

	if (!sc)
		return EINVAL;

	flat = mem_zalloc(sc->nsteps * sizeof(*flat) + 1, NULL);
	if (!flat)
		return ENOMEM;
	flatten(flat, &sc->steps);

	for (i = 0; i < sc->nsteps; i++) {
		struct step *st = flat[i];

		if (!st || st->type != STEP_MSG || st->req)
			continue;

		if (st->rtx_of)
			st->assoc = st->rtx_of->assoc;
		else if (st->answers)
			st->assoc = st->answers;
		else
			st->assoc = implicit(flat, st);

		if (!mixed_ok(flat, sc->nsteps, st)) {
			++*nerr;
			diag_err(dg, step_file(sc, st), &st->pos, "step %s: "
				 "status: takes a 2xx and a 3xx-6xx to %s %s, "
				 "but %s ACKs it (step %s): list one kind",
				 st->id, st->assoc->method, st->assoc->id,
				 st->to->name,
				 ack_after(flat, sc->nsteps, st)->id);
			continue;
		}
		if (st->assoc || st->raw)
			continue;

		++*nerr;
		diag_err(dg, step_file(sc, st), &st->pos, "step %s: %u from "
			 "%s to %s answers no request step before it (a "
			 "request %s sends to %s that a %u can answer; "
			 "answers: names one)", st->id, st->scode,
			 st->from->name, st->to->name, st->to->name,
			 st->from->name, st->scode);
	}

	mem_deref(flat);
	return 0;
}
