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


/* exec: commands: {dial: "phonectl {uri}", answer: …} — keyed by the
 * do: verbs' own table */
static void drv_commands(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct hil_cfg *cfg = w->obj;
	yaml_node_pair_t *p;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_MAPPING_NODE, "commands"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(w->yd, p->key);
		yaml_node_t *pv = ynode(w->yd, p->value);
		const char *ks = yscalar(pk), *vs = yscalar(pv);
		const struct do_verb_def *vd;

		vd = ks ? doverb_find(ks, strlen(ks)) : NULL;
		if (!vd) {
			yerr(w->yd, pk, "role %s: driver: commands: '%s' is "
			     "not a do: verb", w->name, ks ? ks : "");
			continue;
		}
		if (!vs || !*vs) {
			yerr(w->yd, pv, "role %s: driver: commands: %s: needs "
			     "a command line", w->name, ks);
			continue;
		}
		testbed_set_str(&cfg->cmd[vd->verb], vs);
	}
}


/* one request of a key sequence, onto *seq ('\n' between them) */
static void key_add(const struct ywalk *w, const yaml_node_t *v,
		    char **seq, unsigned *n, const char *verb)
{
	const char *vs = yscalar(v);
	char *s = NULL;

	if (!vs || !*vs || strchr(vs, '\n')) {
		yerr(w->yd, v, "role %s: driver: keys: %s: each request is "
		     "one line (key=… without the key=: \"F_TRANSFER\", "
		     "\"number={user}\")", w->name, verb);
		return;
	}
	if (++*n > HIL_KEYS_MAX) {
		yerr(w->yd, v, "role %s: driver: keys: %s: at most %u "
		     "requests", w->name, verb, HIL_KEYS_MAX);
		return;
	}
	if (re_sdprintf(&s, "%s%s%s", *seq ? *seq : "", *seq ? "\n" : "",
			vs))
		return;
	mem_deref(*seq);
	*seq = s;
}


/* yealink-http: keys: {dial: "number={user}&outgoing_uri={line}",
 * transfer: [F_TRANSFER, "number={user}", F_TRANSFER]} — the Action URI
 * requests of a verb, as the phone's firmware takes them */
static void drv_keyseq(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct hil_cfg *cfg = w->obj;
	yaml_node_pair_t *p;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_MAPPING_NODE, "keys"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(w->yd, p->key);
		yaml_node_t *pv = ynode(w->yd, p->value);
		const char *ks = yscalar(pk);
		const struct do_verb_def *vd;
		yaml_node_item_t *it;
		unsigned n = 0;

		vd = ks ? doverb_find(ks, strlen(ks)) : NULL;
		if (!vd || vd->verb == DO_SET) {
			yerr(w->yd, pk, "role %s: driver: keys: '%s' is not "
			     "a do: verb with keys", w->name, ks ? ks : "");
			continue;
		}
		cfg->keys[vd->verb] = mem_deref(cfg->keys[vd->verb]);
		if (pv->type != YAML_SEQUENCE_NODE) {
			key_add(w, pv, &cfg->keys[vd->verb], &n, ks);
			continue;
		}
		YSEQ_FOREACH(it, pv)
			key_add(w, ynode(w->yd, *it), &cfg->keys[vd->verb],
				&n, ks);
		if (!n)
			yerr(w->yd, pv, "role %s: driver: keys: %s: no "
			     "request", w->name, ks);
	}
}


/* a driver key's value: not empty, or an error (NULL) */
static const char *drv_value(const struct ywalk *w, const struct ykey *row,
			     const yaml_node_t *v)
{
	const char *vs = yscalar(v);

	if (vs && *vs)
		return vs;

	yerr(w->yd, v, "role %s: driver: %s is empty", w->name, row->key);
	return NULL;
}


/* control:, url:, user:, … a string into the char * at off */
static void drv_str(const struct ywalk *w, const struct ykey *row,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = drv_value(w, row, v);
	(void)k;

	if (vs)
		testbed_set_str(YFIELD(w, row, char *), vs);
}


static void drv_timeout(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct hil_cfg *cfg = w->obj;
	const char *vs = drv_value(w, row, v);
	(void)k;

	if (vs && (duration_parse(&cfg->timeout_ms, vs) || !cfg->timeout_ms))
		yerr(w->yd, v, "role %s: driver: timeout: '%s' is not a "
		     "duration (5s, 500ms, 2m)", w->name, vs);
}


static void drv_password_env(const struct ywalk *w, const struct ykey *row,
			     const yaml_node_t *k, const yaml_node_t *v)
{
	struct hil_cfg *cfg = w->obj;
	(void)k;

	if (drv_value(w, row, v))
		testbed_password_env(w->yd, v, &cfg->pass, w->name, "driver");
}


/* every key a driver may take; which ones a kind takes is its own
 * (hil_driver_keys), checked before these rows run */
static const struct ykey drv_rows[] = {
	{"type",         NULL,             0},
	{"commands",     drv_commands,     0},
	{"keys",         drv_keyseq,       0},
	{"timeout",      drv_timeout,      0},
	{"password-env", drv_password_env, 0},
	{"control",      drv_str, offsetof(struct hil_cfg, control)},
	{"account",      drv_str, offsetof(struct hil_cfg, account)},
	{"start",        drv_str, offsetof(struct hil_cfg, start)},
	{"provision",    drv_str, offsetof(struct hil_cfg, provision)},
	{"url",          drv_str, offsetof(struct hil_cfg, url)},
	{"events",       drv_str, offsetof(struct hil_cfg, events)},
	{"line",         drv_str, offsetof(struct hil_cfg, line)},
	{"user",         drv_str, offsetof(struct hil_cfg, user)},
	{"password",     drv_str, offsetof(struct hil_cfg, pass)},
	{"input",        drv_str, offsetof(struct hil_cfg, input)},
	{"output",       drv_str, offsetof(struct hil_cfg, output)},
	{"recording",    drv_str, offsetof(struct hil_cfg, recording)},
};

static const struct ykeys drv_keys = YKEYS(drv_rows);


/**
 * driver: {type: KIND, …} — the keys the kind takes (did you mean …
 * otherwise), the one it needs; the password may come from the
 * environment (password-env) and is never printed.
 */
void testbed_parse_driver(struct ydoc *yd, const struct yaml_node_s *v,
			  struct hil_cfg **cfgp, const char *name)
{
	const struct hil_driver *drv = NULL;
	const yaml_node_t *type;
	const char *const *keys;
	const char *required;
	struct ywalk w = {.yd = yd, .name = name};
	yaml_node_pair_t *p;
	char *where = NULL;
	size_t n;

	if (ywant(yd, v, YAML_MAPPING_NODE, "driver"))
		return;

	type = ymap_value(yd, v, "type");
	if (!type) {
		yerr(yd, v, "role %s: driver: needs type: (%H)", name,
		     hil_driver_types, NULL);
		return;
	}
	drv = hil_driver_find(yscalar(type));
	if (!drv) {
		yerr(yd, type,
		     "role %s: driver: unknown type '%s' (types: %H)",
		     name, yscalar(type) ? yscalar(type) : "",
		     hil_driver_types, NULL);
		return;
	}

	*cfgp = mem_deref(*cfgp);
	if (hil_cfg_alloc(cfgp, drv))
		return;

	keys = hil_driver_keys(drv, &n, &required);
	if (re_sdprintf(&where, "driver %s", hil_driver_type(drv)))
		return;
	w.obj = *cfgp;
	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		const struct ykey *row;

		/* the keys this kind takes, then what reads each */
		if (ykey_check(yd, pk, keys, n, where))
			continue;
		row = ykeys_find(&drv_keys, yscalar(pk));
		if (row && row->h)
			row->h(&w, row, pk, ynode(yd, p->value));
	}
	mem_deref(where);

	if (required && !ymap_value(yd, v, required))
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


/* srtp: on a role a device plays: its SRTP is its own configuration,
 * which sipflow sets only by provisioning it (driver: {provision:}); a
 * device that keeps its own would make the flow pass or fail for the
 * wrong reason */
static int check_srtp(const struct role *r, const char *file,
		      struct diag *dg)
{
	struct do_spec d = {.actor = (struct role *)r,
			    .verb = DO_PROVISION};

	if (!r->srtp.set)
		return 0;
	if (r->driver && r->driver->provision && !hil_check(r->driver, &d))
		return 0;

	diag_err(dg, file, &r->srtp.pos, "%s is bound to device %H (%s%s), "
		 "which cannot apply srtp: (a device's SRTP is its own "
		 "configuration; a baresip driver with provision: sets it)",
		 r->name, testbed_device_print, r, r->driver ? "driver " :
		 "no driver", r->driver ? hil_driver_type(r->driver->drv)
		 : "");
	return EINVAL;
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
		err |= check_srtp(r, sc->file, dg);
		if (r->impair.set || r->impair_sip.set) {
			diag_err(dg, sc->file, &r->pos, "%s is bound to "
				 "device %H, which cannot apply impair%s: "
				 "(only a simulated phone's packets can be "
				 "lost on purpose)", r->name,
				 testbed_device_print, r,
				 r->impair.set ? "" : "-sip");
			err = EINVAL;
		}
		if (r->rtcp_ms) {
			diag_err(dg, sc->file, &r->pos, "%s is bound to "
				 "device %H, which cannot apply "
				 "rtcp-interval: (a device sends RTCP when "
				 "it will)", r->name, testbed_device_print, r);
			err = EINVAL;
		}
	}

	return err;
}


/* event: A NAME — A is a device whose driver reports NAME; else an error
 * at the step (a scenario played without the device is skipped with it:
 * nothing else would report the event) */
static bool check_event(const struct scenario *sc, const struct step *st,
			struct diag *dg)
{
	const struct role *r = st->ev.from;
	const char *why;

	if (!r->dut || !r->driver) {
		diag_err(dg, step_file(sc, st), &st->pos, "event: %s %s: %s "
			 "is %s: only a device's driver reports events%s",
			 r->name, st->ev.name, r->name, r->dut ? "a device "
			 "under test without a driver" : "not bound to a "
			 "device (the testbed's kind: dut, driver: …)",
			 step_from(st));
		return true;
	}

	why = hil_check_event(r->driver, st->ev.name);
	if (!why)
		return false;

	diag_err(dg, step_file(sc, st), &st->pos, "event: %s %s: %s's driver "
		 "(%s) cannot report it: %s (events: %H)%s", r->name,
		 st->ev.name, r->name, hil_driver_type(r->driver->drv), why,
		 hil_event_names, r->driver, step_from(st));
	return true;
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

		if (st && st->type == STEP_EVENT) {
			if (check_event(sc, st, dg))
				err = EINVAL;
			continue;
		}
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
