/* engine/load/testbed_bind.c — a testbed applied to a scenario: each role
 * as its binding says (kind, address, driver, credentials, device
 * settings), addresses from the pool for simulated roles without one, and
 * the setup steps the testbed adds before the flow (prologue.c)
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "prologue.h"


enum {
	AUTO_PORT = 5060,         /* the port of an address from the pool */
	AUTO_PORT_TLS = 5061,     /* … for a role on TLS (RFC 3261 §26.2) */
};


/* the role holds a reference to what the binding holds */
static void share(void *dstp, void *obj)
{
	void **dst = dstp;

	mem_deref(*dst);
	*dst = mem_ref(obj);
}


/*
 * Role r as the testbed binds it: its kind, address, driver, credentials
 * and settings; r->auto_addr when it is simulated and nothing gives it an
 * address (the pool will)
 */
static int bind_role(struct role *r, const struct scenario *sc,
		     const struct testbed *tb, struct diag *dg)
{
	bool has_addr = sa_isset(&r->decl, SA_ADDR);
	struct le *be;
	int err = 0;

	/* binding again starts from the scenario as declared */
	sa_init(&r->addr, AF_UNSPEC);
	if (has_addr)
		r->addr = r->decl;
	r->tp = r->decl_tp;
	r->auto_addr = false;
	r->listen_err = 0;

	r->dut = r->kind == ROLE_DUT;
	r->driver = mem_deref(r->driver);
	r->capture_if = mem_deref(r->capture_if);
	r->tls = mem_deref(r->tls);
	r->reg_with = mem_deref(r->reg_with);
	r->reg_timeout_ms = 0;
	r->reset_between = r->reset_after_failure = false;
	r->reset_timeout_ms = 0;
	r->dut_tone_hz = 0;
	r->dut_name = mem_deref(r->dut_name);
	/* a previous binding's credentials go; the scenario's own stay */
	share(&r->auth_user, r->decl_auth_user);
	share(&r->auth_pass, r->decl_auth_pass);
	r->dut_offers = 0;
	r->dut_has_offers = false;
	for (be = tb ? tb->bindings.head : NULL; be; be = be->next) {
		const struct binding *b = be->data;

		if (strcmp(b->role, r->name))
			continue;
		if (b->has_kind)
			r->dut = b->kind == ROLE_DUT;
		if (b->has_kind && b->kind == ROLE_PHONE &&
		    r->kind != ROLE_PHONE) {
			diag_err(dg, sc->file, &r->pos, "role %s is not "
				 "a phone in the scenario; a testbed "
				 "binds a phone role to phone or dut",
				 r->name);
			err = EINVAL;
		}
		if (b->driver)
			share(&r->driver, b->driver);
		if (b->tone_hz)
			r->dut_tone_hz = b->tone_hz;
		if (b->name)
			share(&r->dut_name, b->name);
		if (b->has_offers) {
			r->dut_offers = b->offers;
			r->dut_has_offers = true;
		}
		if (b->capture_if)
			share(&r->capture_if, b->capture_if);
		if (b->tls)
			share(&r->tls, b->tls);
		if (b->reg_with) {
			share(&r->reg_with, b->reg_with);
			r->reg_timeout_ms = b->reg_timeout_ms;
		}
		if (b->has_reset) {
			r->reset_between = b->reset_between;
			r->reset_after_failure = b->reset_after_failure;
			r->reset_timeout_ms = b->reset_timeout_ms;
		}
		if (b->auth_user) {
			share(&r->auth_user, b->auth_user);
			share(&r->auth_pass, b->auth_pass);
		}
		if (b->has_kind && b->kind == ROLE_PROXY &&
		    r->kind == ROLE_UA) {
			diag_err(dg, sc->file, &r->pos, "role %s is a "
				 "ua in the scenario; a testbed can "
				 "bind it to ua or dut, not proxy",
				 r->name);
			err = EINVAL;
		}
		if (b->has_addr) {
			r->addr = b->addr;
			r->tp = b->tp;
			has_addr = true;
		}
	}

	if (r->tls && r->tp != SIP_TRANSP_TLS) {
		diag_err(dg, sc->file, &r->pos, "role %s has tls: "
			 "settings but its address is %s, not tls:",
			 r->name, sip_transp_name(r->tp));
		err = EINVAL;
	}

	if (has_addr)
		return err;

	if (r->dut) {
		diag_err(dg, sc->file, &r->pos, "role %s is bound to a "
			 "DUT but has no address", r->name);
		return EINVAL;
	}

	r->auto_addr = true;
	return err;
}


/*
 * Addresses from blk for the roles that have none: each skips every
 * address (and port) another role of the scenario has — given, or picked
 * before it in declaration order
 */
static int pick_addrs(struct scenario *sc, const struct testbed *tb,
		      const struct addrpool *blk, struct diag *dg)
{
	struct sa *taken;
	size_t nt = 0;
	struct le *le;
	int err = 0;

	taken = mem_zalloc((list_count(&sc->roles) +
			    (tb ? list_count(&tb->bindings) : 0) + 1) *
			   sizeof(*taken), NULL);
	if (!taken)
		return ENOMEM;

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		if (!r->auto_addr && sa_isset(&r->addr, SA_ADDR))
			taken[nt++] = r->addr;
	}

	/* and every address the testbed gives, to a role of this scenario
	 * or not: a suite's testbed puts its devices there (a baresip at
	 * B's address is in use when a flow without B plays) */
	for (le = tb ? tb->bindings.head : NULL; le; le = le->next) {
		const struct binding *b = le->data;

		if (b->has_addr)
			taken[nt++] = b->addr;
	}

	for (le = sc->roles.head; le; le = le->next) {
		struct role *r = le->data;
		uint16_t port = r->tp == SIP_TRANSP_TLS ? AUTO_PORT_TLS
			      : AUTO_PORT;

		if (!r->auto_addr)
			continue;
		if (addrpool_pick(&r->addr, blk, r->idx, port, taken, nt)) {
			diag_err(dg, sc->file, &r->pos, "role %s has no "
				 "address and every address of %H (the "
				 "address pool's block for it) is taken by "
				 "the scenario's other roles; widen "
				 "address-pool", r->name, addrpool_print, blk);
			err = EADDRNOTAVAIL;
			continue;
		}
		taken[nt++] = r->addr;
	}

	mem_deref(taken);
	return err;
}


/**
 * Apply a testbed to a scenario: bindings by role name (ones for roles the
 * scenario lacks are ignored: a testbed serves a suite), then addresses
 * from the testbed's pool (its first block of 256) for simulated roles
 * that have none.
 */
int scenario_bind(struct scenario *sc, const struct testbed *tb,
		  struct diag *dg)
{
	return scenario_bind_block(sc, tb, NULL, dg);
}


/** As scenario_bind, with addresses from blk (NULL: as scenario_bind) */
int scenario_bind_block(struct scenario *sc, const struct testbed *tb,
			const struct addrpool *blk, struct diag *dg)
{
	struct addrpool pool, first;
	struct le *le;
	int err = 0;

	if (!sc)
		return EINVAL;

	if (!blk) {
		if (tb)
			pool = tb->pool;
		else
			addrpool_default(&pool);
		addrpool_block(&first, &pool, 0, 1);
		blk = &first;
	}

	for (le = sc->roles.head; le; le = le->next) {
		if (bind_role(le->data, sc, tb, dg))
			err = EINVAL;
	}

	if (!err)
		err = pick_addrs(sc, tb, blk, dg);
	if (!err)
		err = scenario_prologue(sc, dg);

	return err;
}


/** How many roles of sc the testbed leaves without an address: the
 *  addresses one job slot needs for it (sc is bound to tb on the way) */
unsigned scenario_auto_roles(struct scenario *sc, const struct testbed *tb)
{
	struct le *le;
	unsigned n = 0;

	/* binding errors are reported where the scenario is played */
	(void)scenario_bind(sc, tb, NULL);

	for (le = sc ? sc->roles.head : NULL; le; le = le->next) {
		const struct role *r = le->data;

		n += r->auto_addr;
	}

	return n;
}


/** The device whose testbed capture: names the interface its traffic is
 *  captured on, or NULL */
const struct role *testbed_capture_role(const struct scenario *sc)
{
	struct le *le;

	for (le = sc ? sc->roles.head : NULL; le; le = le->next) {
		const struct role *r = le->data;

		if (r->dut && r->capture_if)
			return r;
	}

	return NULL;
}


/** How messages name the device playing r: its testbed name:, else its
 *  address ("bob-phone", "udp:127.0.0.1:5060") */
int testbed_device_print(struct re_printf *pf, const struct role *r)
{
	if (r->dut_name)
		return re_hprintf(pf, "%s", r->dut_name);

	return re_hprintf(pf, "%s:%J", r->tp == SIP_TRANSP_TCP ? "tcp"
			  : r->tp == SIP_TRANSP_TLS ? "tls" : "udp", &r->addr);
}
