/* engine/load/load_event.c — event: steps: what a device under test must
 * report through its driver (a Yealink's Action URL, baresip's control
 * socket events), judged like a message:
 *
 *   - event: {from: A, name: incoming_call, within: 1s}
 *
 * The name is checked against the driver's vocabulary once the role is
 * bound to a device (engine/load/testbed_driver.c); here only that it is
 * a name and that from: is a role that can be a device.
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "duration.h"
#include "load.h"


static void ev_from(const struct ywalk *w, const struct ykey *row,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	st->ev.from = ld_role(ld, vs);
	if (!st->ev.from) {
		yerr(w->yd, v, "event: from: role '%s' is not declared "
		     "(roles: %H)", vs ? vs : "", ld_role_names, ld->sc);
		return;
	}
	if (!role_acts(st->ev.from))
		yerr(w->yd, v, "event: from: %s is a %s: only a phone, played "
		     "by a device, reports events", vs,
		     st->ev.from->kind == ROLE_PROXY ? "proxy" : "ua");
}


/* a name as Yealink's action_url keys are: lower case, digits, '_' */
static bool ev_name_ok(const char *s)
{
	if (!s || !*s)
		return false;

	for (; *s; s++) {
		if (!islower((uint8_t)*s) && !isdigit((uint8_t)*s) &&
		    *s != '_')
			return false;
	}

	return true;
}


static void ev_name(const struct ywalk *w, const struct ykey *row,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!ev_name_ok(vs)) {
		yerr(w->yd, v, "event: name: '%s' is not an event name "
		     "(incoming_call, call_established …)", vs ? vs : "");
		return;
	}
	st->ev.name = mem_deref(st->ev.name);
	(void)str_dup(&st->ev.name, vs);
}


static void ev_within(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&st->within_ms, vs) || !st->within_ms)
		yerr(w->yd, v, "event: within: '%s' is not a duration "
		     "(500ms, 2s)", vs ? vs : "");
}


/** event: {from: A, name: incoming_call, within: 1s} */
void ld_event_step(struct loader *ld, struct step *st, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"from",   ev_from,   0},
		{"name",   ev_name,   0},
		{"within", ev_within, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = &ld->yd, .obj = st, .arg = ld,
			  .where = "event"};

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "event"))
		return;

	(void)ymap_walk(&w, n, &keys);

	if (!ymap_value(&ld->yd, n, "from"))
		yerr(&ld->yd, n, "event: whose? (from: A)");
	if (!ymap_value(&ld->yd, n, "name"))
		yerr(&ld->yd, n, "event: which? (name: incoming_call)");
}
