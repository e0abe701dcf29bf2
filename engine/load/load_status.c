/* engine/load/load_status.c — a response step's status: alternatives, the
 * codes a received response may have where the RFC allows more than one
 * (status: [408, 480]), or a class of final responses where it allows
 * any (status: [4xx, 5xx, 6xx]: a device may reject an RFC 4475 torture
 * message as it likes); docs/decisions/0012-status-alternatives.md,
 * 0029-torture-verdicts.md */
#include <stdlib.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "load.h"


/* what a final or provisional response does to its transaction: the
 * flow after it (ACK, dialog, more responses) depends on it; a class
 * (2..6) counts as its codes */
static int outcome(uint16_t alt)
{
	uint16_t code = status_alt_code(alt);

	return code < 200 ? 1 : code < 300 ? 2 : 3;
}


/* 2xx..6xx: the class (2..6); 0 for anything else */
static uint16_t class_of(const char *s)
{
	if (!s || s[0] < '2' || s[0] > '6' || str_casecmp(s + 1, "xx"))
		return 0;

	return (uint16_t)(s[0] - '0');
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


/* is this alternative (a code or a class) listed already? */
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

	/* a class of final responses (2xx-6xx) where the source allows
	 * any of them; 1xx is not taken (list the provisional responses
	 * the flow expects) */
	if (!code)
		code = class_of(s);
	if (!code) {
		bool cls = s && s[0] == '1' && !str_casecmp(s + 1, "xx");

		yerr(yd, c, "step %s: status: '%s' is not a status code "
		     "(100-699) or a class of final responses (2xx-6xx)%s",
		     st->id, s ? s : "",
		     cls ? "; list the provisional codes the RFC allows" : "");
		return;
	}
	if (listed(st, code)) {
		yerr(yd, c, "step %s: status: %s is listed twice", st->id,
		     s);
		return;
	}
	/* 2xx beside 3xx-6xx: checked once the step's request is known
	 * (engine/load/assoc.c), since a flow that ACKs needs one kind */
	if (st->scode && outcome(code) != outcome(st->scode) &&
	    (outcome(code) == 1 || outcome(st->scode) == 1)) {
		yerr(yd, c, "step %s: status: %s and %u do not end the "
		     "transaction alike; alternatives are all 1xx, all 2xx "
		     "or all 3xx-6xx", st->id, s, st->scode);
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
	else if (st->scode && !step_accepts(st, st->scode))
		yerr(yd, v, "step %s: status: does not list %u, the code of "
		     "the message line (what a scripted sender sends)",
		     st->id, st->scode);
}
