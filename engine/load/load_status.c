/* engine/load/load_status.c — a response step's status: alternatives, the
 * codes a received response may have where the RFC allows more than one
 * (status: [408, 480]); docs/decisions/0012-status-alternatives.md */
#include <stdlib.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "load.h"


/* what a final or provisional response does to its transaction: the
 * flow after it (ACK, dialog, more responses) depends on it */
static int outcome(uint16_t code)
{
	return code < 200 ? 1 : code < 300 ? 2 : 3;
}


/* a status code 100-699, or 0 */
static uint16_t code_of(const char *s)
{
	char *end = NULL;
	long code;

	if (!s || *s < '0' || *s > '9')
		return 0;
	code = strtol(s, &end, 10);
	if (*end || code < 100 || code > 699)
		return 0;

	return (uint16_t)code;
}


static bool listed(const struct step *st, uint16_t code)
{
	unsigned i;

	for (i = 0; i < st->nalt; i++) {
		if (st->alt[i] == code)
			return true;
	}

	return false;
}


static void add_code(struct loader *ld, struct step *st,
		     const yaml_node_t *c)
{
	struct ydoc *yd = &ld->yd;
	const char *s = yscalar(c);
	uint16_t code = code_of(s);

	if (!code) {
		/* 4xx is not taken: a class holds codes the RFC does not
		 * allow where the step stands (400 for a timeout) */
		bool cls = s && s[0] >= '1' && s[0] <= '6' &&
			   !str_casecmp(s + 1, "xx");

		yerr(yd, c, "step %s: status: '%s' is not a status code "
		     "(100-699)%s", st->id, s ? s : "",
		     cls ? "; list the codes the RFC allows, not a class"
		     : "");
		return;
	}
	if (listed(st, code)) {
		yerr(yd, c, "step %s: status: %u is listed twice", st->id,
		     code);
		return;
	}
	if (st->scode && outcome(code) != outcome(st->scode)) {
		yerr(yd, c, "step %s: status: %u and %u do not end the "
		     "transaction alike; alternatives are all 1xx, all 2xx "
		     "or all 3xx-6xx", st->id, code, st->scode);
		return;
	}
	if (st->nalt == STEP_NALT) {
		yerr(yd, c, "step %s: status: lists more than %u codes",
		     st->id, STEP_NALT);
		return;
	}

	st->alt[st->nalt++] = code;
}


/**
 * status: [408, 480] on a response step: a received response passes with
 * any of these codes; a scripted sender sends the message line's, which
 * must be among them
 */
void ld_status(struct loader *ld, struct step *st, const yaml_node_t *k,
	       const yaml_node_t *v)
{
	struct ydoc *yd = &ld->yd;
	yaml_node_item_t *it;
	unsigned nerr = yd->nerr;

	if (st->req) {
		yerr(yd, k, "step %s: status: is for a response step",
		     st->id);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		yerr(yd, v, "step %s: status: is a list of codes, as [408, "
		     "480]", st->id);
		return;
	}

	YSEQ_FOREACH(it, v)
		add_code(ld, st, ynode(yd, *it));

	if (yd->nerr != nerr)
		return;
	if (!st->nalt)
		yerr(yd, v, "step %s: status: lists no code", st->id);
	else if (st->scode && !listed(st, st->scode))
		yerr(yd, v, "step %s: status: does not list %u, the code of "
		     "the message line (what a scripted sender sends)",
		     st->id, st->scode);
}
