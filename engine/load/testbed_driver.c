/* engine/load/testbed_driver.c — a device's driver: in a testbed, and checked
 * against the scenario before anything runs
 *
 *   A: {kind: dut, address: udp:192.0.2.50:5060,
 *       driver: {type: baresip, control: 127.0.0.1:4444}}
 *
 * Each driver kind takes its own keys (agents/hil/); a do: step its
 * driver cannot perform is an error at its line, as lint reports it, not
 * a surprise in the middle of a run.
 */
#include <stddef.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "doverb.h"
#include "duration.h"
#include "hil/hil.h"
#include "testbed.h"


/* exec: commands: {dial: "phonectl {uri}", answer: …} */
static void parse_commands(struct ydoc *yd, const yaml_node_t *v,
			   struct hil_cfg *cfg, const char *name)
{
	yaml_node_pair_t *p;

	if (ywant(yd, v, YAML_MAPPING_NODE, "commands"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		yaml_node_t *pv = ynode(yd, p->value);
		const char *ks = yscalar(pk), *vs = yscalar(pv);
		const struct do_verb_def *vd;

		vd = ks ? doverb_find(ks, strlen(ks)) : NULL;
		if (!vd) {
			yerr(yd, pk, "role %s: driver: commands: '%s' is not "
			     "a do: verb", name, ks ? ks : "");
			continue;
		}
		if (!vs || !*vs) {
			yerr(yd, pv, "role %s: driver: commands: %s: needs a "
			     "command line", name, ks);
			continue;
		}
		testbed_set_str(&cfg->cmd[vd->verb], vs);
	}
}


static void parse_key(struct ydoc *yd, const yaml_node_t *pk,
		      const yaml_node_t *pv, struct hil_cfg *cfg,
		      const char *name)
{
	const char *ks = yscalar(pk), *vs = yscalar(pv);
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
		{"control",  offsetof(struct hil_cfg, control)},
		{"url",      offsetof(struct hil_cfg, url)},
		{"events",   offsetof(struct hil_cfg, events)},
		{"user",     offsetof(struct hil_cfg, user)},
		{"password", offsetof(struct hil_cfg, pass)},
		{"input",    offsetof(struct hil_cfg, input)},
		{"output",   offsetof(struct hil_cfg, output)},
	};
	size_t i;

	if (!strcmp(ks, "commands")) {
		parse_commands(yd, pv, cfg, name);
		return;
	}
	if (!vs || !*vs) {
		yerr(yd, pv, "role %s: driver: %s is empty", name, ks);
		return;
	}
	if (!strcmp(ks, "timeout")) {
		if (duration_parse(&cfg->timeout_ms, vs) || !cfg->timeout_ms)
			yerr(yd, pv, "role %s: driver: timeout: '%s' is not a "
			     "duration (5s, 500ms, 2m)", name, vs);
		return;
	}
	if (!strcmp(ks, "password-env")) {
		testbed_password_env(yd, pv, &cfg->pass, name, "driver");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		if (!strcmp(ks, strs[i].key)) {
			testbed_set_str((char **)(void *)((char *)cfg + strs[i].off),
				vs);
			return;
		}
	}
}


/**
 * driver: {type: KIND, …} — the keys the kind takes (did you mean …
 * otherwise), the one it needs; the password may come from the
 * environment (password-env) and is never printed.
 */
void testbed_parse_driver(struct ydoc *yd, const struct yaml_node_s *v,
			  struct hil_cfg **cfgp, const char *name)
{
	const struct hil_driver *drv = NULL;
	const yaml_node_t *type = NULL;
	const char *const *keys;
	const char *required;
	yaml_node_pair_t *p;
	bool has_required = false;
	size_t n;

	if (ywant(yd, v, YAML_MAPPING_NODE, "driver"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);

		if (yscalar(pk) && !strcmp(yscalar(pk), "type"))
			type = ynode(yd, p->value);
	}
	if (!type) {
		yerr(yd, v, "role %s: driver: needs type: (%H)", name,
		     hil_driver_types, NULL);
		return;
	}
	drv = hil_driver_find(yscalar(type));
	if (!drv) {
		yerr(yd, type, "role %s: driver: unknown type '%s' (types: %H)",
		     name, yscalar(type) ? yscalar(type) : "",
		     hil_driver_types, NULL);
		return;
	}

	*cfgp = mem_deref(*cfgp);
	if (hil_cfg_alloc(cfgp, drv))
		return;

	keys = hil_driver_keys(drv, &n, &required);
	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		char where[64];

		re_snprintf(where, sizeof(where), "driver %s", hil_driver_type(drv));
		if (ykey_check(yd, pk, keys, n, where))
			continue;
		if (required && !strcmp(yscalar(pk), required))
			has_required = true;
		if (strcmp(yscalar(pk), "type"))
			parse_key(yd, pk, ynode(yd, p->value), *cfgp, name);
	}

	if (required && !has_required)
		yerr(yd, v, "role %s: driver %s needs %s:", name,
		     hil_driver_type(drv), required);
}


/* why the device playing r cannot apply setting bit of c, or NULL */
static const char *setting_why(const struct role *r,
			       const struct phone_cfg *c, unsigned bit,
			       char *buf, size_t sz)
{
	struct do_spec one;

	/* the tone a device sends is its own: the testbed's tone: says
	 * which, and a setting can only agree with it */
	if (bit == PHONE_CFG_TONE) {
		if (r->dut_tone_hz && r->dut_tone_hz == c->tone_hz)
			return NULL;
		if (r->dut_tone_hz)
			re_snprintf(buf, sz, "it sends %u Hz, the testbed's "
				    "tone:", r->dut_tone_hz);
		else
			re_snprintf(buf, sz, "the tone it sends is its own, "
				    "and the testbed gives it no tone:");
		return buf;
	}
	if (!r->driver)
		return "";

	memset(&one, 0, sizeof(one));
	one.actor = (struct role *)r;
	one.verb = DO_SET;
	one.set = *c;
	one.set.given = bit;

	return hil_check(r->driver, &one);
}


/*
 * Each setting in c (a role's own, or a do: set step's) must reach the
 * device through its driver: "scenario.yaml:12:5: B is bound to device
 * bob-phone (driver baresip), which cannot apply busy: true (…)"
 */
static int check_settings(const struct role *r, const struct phone_cfg *c,
			  const char *file, const char *from, struct diag *dg)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < PHONE_CFG_NKEYS; i++) {
		struct do_setting ds = {c, 1u << i, NULL};
		char buf[128];
		const char *why;

		if (!(c->given & (1u << i)))
			continue;
		why = setting_why(r, c, 1u << i, buf, sizeof(buf));
		if (!why)
			continue;

		diag_err(dg, file, &c->at[i], "%s is bound to device %H "
			 "(%s%s), which cannot apply %H%s%s%s%s", r->name,
			 testbed_device_print, r, r->driver ? "driver " :
			 "no driver", r->driver ?
			 hil_driver_type(r->driver->drv) : "",
			 doverb_setting_print, &ds, *why ? " (" : "", why,
			 *why ? ")" : "", from ? from : "");
		err = EINVAL;
	}

	return err;
}


/* the settings a scenario gives a role it declares a phone, when a
 * device plays it */
static int check_role_settings(const struct scenario *sc, struct diag *dg)
{
	struct le *le;
	int err = 0;

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		if (!r->dut || r->kind != ROLE_PHONE)
			continue;
		err |= check_settings(r, &r->cfg, sc->file, NULL, dg);
		if (r->impair.set || r->impair_sip.set) {
			diag_err(dg, sc->file, &r->pos, "%s is bound to device "
				 "%H, which cannot apply impair%s: (only a "
				 "simulated phone's packets can be lost on "
				 "purpose)", r->name, testbed_device_print, r,
				 r->impair.set ? "" : "-sip");
			err = EINVAL;
		}
	}

	return err;
}


/**
 * Every do: step of a device under test must reach it through its
 * driver, and the driver must be able to do it: said at the step's line.
 * Every phone setting of a role a device plays must reach it too (set:
 * steps and the role's own keys), or be said at its line: a setting a
 * device silently ignores makes a verdict for the wrong reason.
 */
int testbed_check_drivers(const struct scenario *sc, struct diag *dg)
{
	unsigned i;
	int err = check_role_settings(sc, dg) ? EINVAL : 0;

	for (i = 0; i < sc->nsteps; i++) {
		const struct step *st = scenario_step_at(sc, i);
		const struct role *r;
		const char *why;

		if (!st || st->type != STEP_DO || !st->act.actor->dut)
			continue;
		r = st->act.actor;

		if (st->act.verb == DO_SET) {
			if (check_settings(r, &st->act.set, step_file(sc, st),
					   step_from(st), dg))
				err = EINVAL;
			continue;
		}

		if (!r->driver) {
			diag_err(dg, step_file(sc, st), &st->pos,
				 "do: %H: %s is a device under test without "
				 "a driver (the testbed's driver: {type: %H})"
				 "%s", doverb_print, &st->act, r->name,
				 hil_driver_types, NULL, step_from(st));
			err = EINVAL;
			continue;
		}

		why = hil_check(r->driver, &st->act);
		if (why) {
			diag_err(dg, step_file(sc, st), &st->pos,
				 "do: %H: %s's driver (%s) cannot do it: "
				 "%s%s", doverb_print, &st->act, r->name,
				 hil_driver_type(r->driver->drv), why,
				 step_from(st));
			err = EINVAL;
		}
	}

	return err;
}
