/* engine/load/prologue.c — steps a testbed adds before a flow: a device's
 * reset, registration
 *
 * A device reset between flows (testbed reset: {between: true}, or
 * after-failure: true after a failed one) gets a do: A reset first: its
 * driver restarts it and the step passes once the device is back (its
 * driver reaches it again), within reset: {timeout:}; its registration,
 * when the testbed asks for one, follows and waits for its REGISTER.
 *
 * A registrar-based proxy (Kamailio as shipped: lookup("location"))
 * reaches a user only once that user has registered, as a handset on the
 * bench has done long before anyone dials it. The call flows of RFC 3665
 * §3 and the phone manuals start after that. A testbed says which
 * simulated roles register, and with whom (`register: P`); binding then
 * puts their registrations before the flow's first step, as setup steps
 * of their own: played, checked and recorded like any other (so a
 * registrar that refuses shows at that step), marked as setup in every
 * report. A phone registers through its own stack (`do: B register`),
 * a scripted ua with a REGISTER built as in any flow.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "testbed.h"
#include "prologue.h"
#include "duration.h"
#include "hil/hil.h"


/* register: {with: P, timeout: 20s} */
static void reg_with(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || !*vs)
		yerr(w->yd, v, "role %s: register: with: names the "
		     "registrar's role (register: {with: P})", w->name);
	else
		testbed_set_str(&b->reg_with, vs);
}


static void reg_timeout(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&b->reg_timeout_ms, vs) ||
	    !b->reg_timeout_ms)
		yerr(w->yd, v, "role %s: register: timeout: '%s' is not a "
		     "duration (20s, 500ms, 2m)", w->name, vs ? vs : "");
}


/** register: P, or register: {with: P, timeout: 20s} — the role this one
 *  registers with before each flow; timeout: how long a device's first
 *  REGISTER may take to come (it may be rebooting) */
void testbed_parse_register(struct ydoc *yd, const struct yaml_node_s *v,
			    struct binding *b, const char *name)
{
	static const struct ykey rows[] = {
		{"with",    reg_with,    0},
		{"timeout", reg_timeout, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = yd, .obj = b, .where = "register",
			  .name = name};
	const char *vs = yscalar(v);

	if (v->type == YAML_MAPPING_NODE) {
		(void)ymap_walk(&w, v, &keys);
		if (!b->reg_with)
			yerr(yd, v, "role %s: register: needs with: (the "
			     "registrar's role)", name);
		return;
	}

	if (!vs || !*vs) {
		yerr(yd, v, "role %s: register: names the registrar's role "
		     "(register: P, or register: {with: P, timeout: 20s})",
		     name);
		return;
	}

	testbed_set_str(&b->reg_with, vs);
}


static void reset_flag(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	bool *f = row->off ? &b->reset_after_failure : &b->reset_between;
	const char *vs = yscalar(v);
	(void)k;

	if (vs && !strcmp(vs, "true"))
		*f = true;
	else if (vs && !strcmp(vs, "false"))
		*f = false;
	else
		yerr(w->yd, v, "role %s: reset: %s: '%s' is not true or "
		     "false", w->name, row->key, vs ? vs : "");
}


static void reset_timeout(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&b->reset_timeout_ms, vs) ||
	    !b->reset_timeout_ms)
		yerr(w->yd, v, "role %s: reset: timeout: '%s' is not a "
		     "duration (60s, 500ms, 2m)", w->name, vs ? vs : "");
}


/** reset: {between: true, after-failure: true, timeout: 60s} — when the
 *  device is reset (its driver's reset) before a flow, and how long it
 *  may take to be back */
void testbed_parse_reset(struct ydoc *yd, const struct yaml_node_s *v,
			 struct binding *b, const char *name)
{
	static const struct ykey rows[] = {
		{"between",       reset_flag,    0},
		{"after-failure", reset_flag,    1},
		{"timeout",       reset_timeout, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = yd, .obj = b, .where = "reset",
			  .name = name};

	b->has_reset = true;
	if (ywant(yd, v, YAML_MAPPING_NODE, "reset: {between: true, "
		  "after-failure: true, timeout: 60s}"))
		return;
	(void)ymap_walk(&w, v, &keys);
	if (!b->reset_between && !b->reset_after_failure)
		yerr(yd, v, "role %s: reset: says neither between: true nor "
		     "after-failure: true (when to reset the device)", name);
}


/** reset: needs a device whose driver can reset it: said at reset:, as
 *  the testbed is loaded (lint and run alike) */
void testbed_check_reset(struct ydoc *yd, const struct yaml_node_s *v,
			 const struct binding *b)
{
	struct do_spec d = {.verb = DO_RESET};
	const char *why;

	if (!b->has_reset)
		return;
	if (!b->has_kind || b->kind != ROLE_DUT || !b->driver) {
		yerr(yd, v, "role %s: reset: needs a device with a "
		     "driver (kind: dut, driver: {type: …}) to reset it",
		     b->role);
		return;
	}
	why = hil_check(b->driver, &d);
	if (why)
		yerr(yd, v, "role %s: reset: its driver (%s) cannot "
		     "reset it: %s", b->role,
		     hil_driver_type(b->driver->drv), why);
	else
		b->driver->reset_ms = b->reset_timeout_ms;
}


static void renumber(struct list *steps, unsigned *idx)
{
	struct le *le;

	for (le = steps->head; le; le = le->next) {
		struct step *st = le->data;

		st->idx = (*idx)++;
		renumber(&st->members, idx);
	}
}


/* the setup steps of an earlier binding go: binding starts afresh */
static void strip(struct scenario *sc)
{
	struct le *le = sc->steps.head;

	while (le) {
		struct step *st = le->data;

		le = le->next;
		if (st->setup)
			mem_deref(st);
	}
}


static struct step *add(struct list *into, enum step_type type,
			const char *fmt, const char *who)
{
	struct step *st = step_alloc(type);

	if (!st)
		return NULL;
	st->setup = true;
	if (re_sdprintf(&st->id, fmt, who)) {
		mem_deref(st);
		return NULL;
	}
	list_append(into, &st->le, st);

	return st;
}


static struct step *message(struct list *into, const char *fmt,
			    const char *who, struct role *from,
			    struct role *to, const char *method)
{
	struct step *st = add(into, STEP_MSG, fmt, who);

	if (!st)
		return NULL;
	st->req = true;
	st->from = from;
	st->to = to;
	if (str_dup(&st->method, method))
		return NULL;   /* freed with the list */

	return st;
}


static struct step *reply(struct list *into, const char *fmt,
			  const char *who, struct step *rq, uint16_t scode)
{
	struct step *st = add(into, STEP_MSG, fmt, who);

	if (!st)
		return NULL;
	st->from = rq->to;
	st->to = rq->from;
	st->scode = scode;
	st->assoc = rq;
	if (str_dup(&st->reason, sip_reason_std(scode)))
		return NULL;

	return st;
}


/* a device sipflow provisions before each flow (driver: {provision:}) */
static bool provisions(const struct role *r)
{
	return r->dut && r->driver && r->driver->provision;
}


/* the role presses its register button first: a phone always, a device
 * when its driver can (else it registers by itself: booting, refreshing,
 * or as provisioned) */
static bool presses_register(const struct role *r)
{
	struct do_spec d = {.actor = (struct role *)r, .verb = DO_REGISTER};

	if (r->kind == ROLE_PHONE && !r->dut)
		return true;
	if (provisions(r))
		return false;

	return r->dut && r->driver && !hil_check(r->driver, &d);
}


/*
 * REGISTER, 200 OK. A device with credentials in the testbed is
 * challenged first, the registrar answering as any registrar with digest
 * does (RFC 3261 §22.4): REGISTER, 401, REGISTER with credentials
 * (checked against the testbed's password), 200 OK. A device's first
 * REGISTER may take register: {timeout:}.
 */
static int registration(struct list *into, struct role *r,
			struct role *reg)
{
	struct step *rq, *ok;

	if (presses_register(r)) {
		struct step *d = add(into, STEP_DO, "setup@%s", r->name);

		if (!d)
			return ENOMEM;
		d->act.actor = r;
		d->act.verb = DO_REGISTER;
	}

	rq = message(into, "reg-%s", r->name, r, reg, "REGISTER");
	if (!rq)
		return ENOMEM;
	if (r->dut)
		rq->timeout_ms = r->reg_timeout_ms;

	if (r->dut && r->auth_user) {
		if (!reply(into, "reg-%s-401", r->name, rq, 401))
			return ENOMEM;
		rq = message(into, "reg-%s-auth", r->name, r, reg,
			     "REGISTER");
		if (!rq)
			return ENOMEM;
	}

	ok = reply(into, "reg-%s-ok", r->name, rq, 200);

	return ok ? 0 : ENOMEM;
}


/* a setup do: step of device r: its reset before the flow (after the
 * flow before it, or only after a failed one: testbed reset:), or its
 * provisioning, which restarts it too */
static int setup_do(struct list *into, const char *fmt, struct role *r,
		    enum do_verb verb)
{
	struct step *d = add(into, STEP_DO, fmt, r->name);

	if (!d)
		return ENOMEM;
	d->act.actor = r;
	d->act.verb = verb;

	return 0;
}


/**
 * Put the registrations the testbed asks for (role->reg_with) before the
 * flow. A registrar the scenario does not have is no error (the flow has
 * no one to call that role through); a phone whose proxy is another role
 * is, since its stack registers through its proxy.
 */
int scenario_prologue(struct scenario *sc, struct diag *dg)
{
	struct list pro = LIST_INIT;
	struct le *le;
	unsigned idx = 0;
	int err = 0;

	if (!sc)
		return EINVAL;

	strip(sc);

	for (le = sc->roles.head; le && !err; le = le->next) {
		struct role *r = le->data, *reg;

		if (provisions(r))
			err = setup_do(&pro, "provision@%s", r, DO_PROVISION);
		else if (r->dut && ((r->reset_between && sc->follows) ||
				    (r->reset_after_failure &&
				     sc->follows_failure)))
			err = setup_do(&pro, "reset@%s", r, DO_RESET);
		if (err || !r->reg_with)
			continue;

		reg = scenario_role(sc, r->reg_with);
		if (!reg || reg == r)
			continue;

		if (r->dut && reg->dut) {
			diag_err(dg, sc->file, &r->pos, "role %s: the testbed "
				 "registers device %s with %s, a device too: "
				 "only a simulated registrar answers a "
				 "device's REGISTER", r->name, r->name,
				 reg->name);
			err = EINVAL;
			break;
		}

		if (r->kind == ROLE_PHONE && !r->dut && r->proxy != reg) {
			diag_err(dg, sc->file, &r->pos, "role %s: the testbed "
				 "registers it with %s, but the phone's proxy "
				 "is %s: a phone registers through its proxy",
				 r->name, reg->name,
				 r->proxy ? r->proxy->name : "none");
			err = EINVAL;
			break;
		}

		err = registration(&pro, r, reg);
	}

	if (err) {
		list_flush(&pro);
		return err;
	}

	/* the flow after its setup, indices in the new order */
	while ((le = list_tail(&pro)) != NULL) {
		list_unlink(le);
		list_prepend(&sc->steps, le, le->data);
	}
	renumber(&sc->steps, &idx);
	sc->nsteps = idx;

	return 0;
}
