/* engine/load/testbed.c — who plays each role: simulated, or a device under
 * test
 *
 * A testbed file (roles: {P: {kind: dut, address: udp:127.0.0.1:5060}})
 * or --role P=dut:udp:127.0.0.1:5060 binds roles without touching the
 * scenario. Simulated roles without an address get one from the address
 * pool (addrpool.c): 127.0.0.10, .11, … port 5060 by their index, so a
 * capture shows one host per role, skipping addresses other roles have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "load.h"
#include "duration.h"
#include "testbed.h"
#include "prologue.h"
#include "capability.h"


static const char *const kinds[] = {"ua", "proxy", "phone", "dut"};

enum { AUTO_PORT = 5060 };  /* the port of an address from the pool */


static void binding_destructor(void *data)
{
	struct binding *b = data;

	list_unlink(&b->le);
	mem_deref(b->role);
	mem_deref(b->auth_user);
	mem_deref(b->auth_pass);
	mem_deref(b->driver);
	mem_deref(b->capture_if);
	mem_deref(b->tls);
	mem_deref(b->reg_with);
	mem_deref(b->name);
}


static void destructor(void *data)
{
	struct testbed *tb = data;

	list_flush(&tb->bindings);
	mem_deref(tb->file);
}


/** An empty testbed: every role simulated, default addresses */
int testbed_alloc(struct testbed **tbp)
{
	struct testbed *tb;

	if (!tbp)
		return EINVAL;

	tb = mem_zalloc(sizeof(*tb), destructor);
	if (!tb)
		return ENOMEM;

	addrpool_default(&tb->pool);
	*tbp = tb;

	return 0;
}


/**
 * "udp:127.0.0.1:5060", "127.0.0.1:5060", "127.0.0.1", "tcp:[::1]:5062",
 * "tls:127.0.0.1", "[::1]". UDP when not given; port 5060, for TLS 5061
 * (RFC 3261 §19.1.2).
 */
int testbed_parse_addr(struct sa *sa, enum sip_transp *tp, const char *s)
{
	static const struct {
		const char *prefix;
		enum sip_transp tp;
	} tps[] = {
		{"udp:", SIP_TRANSP_UDP},
		{"tcp:", SIP_TRANSP_TCP},
		{"tls:", SIP_TRANSP_TLS},
	};
	enum sip_transp t = SIP_TRANSP_UDP;
	struct pl host, port = PL_INIT;
	const char *p = s;
	char buf[128];
	size_t k;

	if (!sa || !s || !*s)
		return EINVAL;

	for (k = 0; k < ARRAY_SIZE(tps); k++) {
		if (!strncasecmp(p, tps[k].prefix, 4)) {
			t = tps[k].tp;
			p += 4;
			break;
		}
	}

	if (*p == '[') {
		const char *close = strchr(p, ']');

		if (!close)
			return EINVAL;
		host.p = p + 1;
		host.l = (size_t)(close - p - 1);
		if (close[1] == ':') {
			pl_set_str(&port, close + 2);
		}
		else if (close[1]) {
			return EINVAL;
		}
	}
	else {
		const char *colon = strchr(p, ':');

		host.p = p;
		host.l = colon ? (size_t)(colon - p) : strlen(p);
		if (colon)
			pl_set_str(&port, colon + 1);
	}

	if (pl_isset(&port)) {
		size_t i;
		for (i = 0; i < port.l; i++) {
			if (port.p[i] < '0' || port.p[i] > '9')
				return EINVAL;
		}
		if (!port.l || pl_u32(&port) == 0 || pl_u32(&port) > 65535)
			return EINVAL;
	}

	re_snprintf(buf, sizeof(buf), "%r", &host);
	if (sa_set_str(sa, buf, pl_isset(&port) ? (uint16_t)pl_u32(&port)
			 : t == SIP_TRANSP_TLS ? 5061 : 5060))
		return EINVAL;

	if (tp)
		*tp = t;

	return 0;
}


static int kind_parse(enum role_kind *k, const char *s, size_t l)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strlen(kinds[i]) == l && !strncmp(s, kinds[i], l)) {
			*k = (enum role_kind)i;
			return 0;
		}
	}

	return EINVAL;
}


static struct binding *binding_new(struct testbed *tb, const char *role,
				   size_t len)
{
	struct binding *b = mem_zalloc(sizeof(*b), binding_destructor);

	if (!b)
		return NULL;
	if (re_sdprintf(&b->role, "%b", role, len)) {
		mem_deref(b);
		return NULL;
	}
	b->tp = SIP_TRANSP_UDP;
	list_append(&tb->bindings, &b->le, b);

	return b;
}


/** --role NAME=KIND[:TRANSPORT:HOST:PORT] */
int testbed_add_arg(struct testbed *tb, const char *arg, struct diag *dg)
{
	const char *eq, *colon;
	struct binding *b;
	size_t klen;
	int err;

	if (!tb || !arg)
		return EINVAL;

	eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		diag_err(dg, NULL, NULL, "--role %s: expected "
			 "NAME=KIND[:udp:HOST:PORT], e.g. "
			 "P=dut:udp:127.0.0.1:5060", arg);
		return EINVAL;
	}

	b = binding_new(tb, arg, (size_t)(eq - arg));
	if (!b)
		return ENOMEM;

	colon = strchr(eq + 1, ':');
	klen = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
	err = kind_parse(&b->kind, eq + 1, klen);
	if (err) {
		diag_err(dg, NULL, NULL, "--role %s: %s kind '%b' (kinds: ua, "
			 "proxy, dut)", arg, err == ENOTSUP ? "not yet "
			 "available:" : "unknown", eq + 1, klen);
		mem_deref(b);
		return EINVAL;
	}
	b->has_kind = true;

	if (colon) {
		err = testbed_parse_addr(&b->addr, &b->tp, colon + 1);
		if (err) {
			diag_err(dg, NULL, NULL, "--role %s: '%s' is not "
				 "[udp:|tcp:|tls:]HOST[:PORT]", arg,
				 colon + 1);
			mem_deref(b);
			return EINVAL;
		}
		b->has_addr = true;
	}

	return 0;
}


/** *dst becomes a copy of s (what it held is released) */
void testbed_set_str(char **dst, const char *s)
{
	*dst = mem_deref(*dst);
	(void)str_dup(dst, s);
}


/**
 * password-env: VAR — the password from the environment into *pass; an
 * error at v when VAR is not set (where: "auth", "driver")
 */
void testbed_password_env(struct ydoc *yd, const struct yaml_node_s *v,
			  char **pass, const char *name, const char *where)
{
	const char *var = yscalar(v);
	const char *pw = var ? getenv(var) : NULL;

	if (!pw)
		yerr(yd, v, "role %s: %s: password-env: %s is not set", name,
		     where, var ? var : "");
	else
		testbed_set_str(pass, pw);
}


/**
 * auth: {user: alice, password: secret} or {user: alice, password-env:
 * VAR} — digest credentials for a phone (a testbed's, or a scenario's lab
 * default). The password never reaches a report or a log.
 */
void testbed_parse_auth(struct ydoc *yd, const struct yaml_node_s *v,
			char **user, char **pass, const char *name)
{
	static const char *const keys[] = {"user", "password",
					   "password-env"};
	yaml_node_pair_t *p;

	if (ywant(yd, v, YAML_MAPPING_NODE, "auth"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		yaml_node_t *pv = ynode(yd, p->value);
		const char *ks = yscalar(pk), *vs = yscalar(pv);

		if (ykey_check(yd, pk, keys, ARRAY_SIZE(keys), "auth"))
			continue;
		if (!vs || !*vs) {
			yerr(yd, pv, "role %s: auth: %s is empty", name, ks);
			continue;
		}
		if (!strcmp(ks, "password-env"))
			testbed_password_env(yd, pv, pass, name, "auth");
		else
			testbed_set_str(!strcmp(ks, "user") ? user : pass, vs);
	}

	if (!*user || !*pass)
		yerr(yd, v, "role %s: auth: needs user and password (or "
		     "password-env)", name);
}


/* capture: {interface: eth1} — where a device's own traffic is seen */
static void parse_capture(struct ydoc *yd, const yaml_node_t *v, char **ifp,
			  const char *name)
{
	static const char *const keys[] = {"interface"};
	yaml_node_pair_t *p;

	if (ywant(yd, v, YAML_MAPPING_NODE, "capture"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		const char *vs = yscalar(ynode(yd, p->value));

		if (ykey_check(yd, pk, keys, ARRAY_SIZE(keys), "capture"))
			continue;
		if (!vs || !*vs) {
			yerr(yd, ynode(yd, p->value), "role %s: capture: "
			     "interface is empty", name);
			continue;
		}
		testbed_set_str(ifp, vs);
	}
}


static void tls_destructor(void *data)
{
	struct tls_cfg *cfg = data;

	mem_deref(cfg->cert);
	mem_deref(cfg->key);
	mem_deref(cfg->ca);
}


/*
 * tls: {cert: FILE, key: FILE, ca: FILE, verify: BOOL} — what a TLS role
 * shows (cert, key; default: a self-signed certificate) and whom it
 * trusts (ca); verify is on when ca is given, unless set
 */
static void parse_tls(struct ydoc *yd, const yaml_node_t *v,
		      struct tls_cfg **cfgp, const char *name)
{
	static const char *const keys[] = {"cert", "key", "ca", "verify"};
	struct tls_cfg *cfg;
	yaml_node_pair_t *p;
	bool has_verify = false;

	if (ywant(yd, v, YAML_MAPPING_NODE, "tls"))
		return;

	cfg = mem_zalloc(sizeof(*cfg), tls_destructor);
	if (!cfg)
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		yaml_node_t *pv = ynode(yd, p->value);
		const char *ks = yscalar(pk), *vs = yscalar(pv);
		char **dst;

		if (ykey_check(yd, pk, keys, ARRAY_SIZE(keys), "tls"))
			continue;
		if (!strcmp(ks, "verify")) {
			ybool(yd, pv, &cfg->verify);
			has_verify = true;
			continue;
		}

		dst = !strcmp(ks, "cert") ? &cfg->cert
		    : !strcmp(ks, "key") ? &cfg->key : &cfg->ca;
		if (!vs || !*vs) {
			yerr(yd, pv, "role %s: tls: %s is empty", name, ks);
			continue;
		}
		if (access(vs, R_OK)) {
			yerr(yd, pv, "role %s: tls: %s: cannot read '%s': %m",
			     name, ks, vs, errno);
			continue;
		}
		testbed_set_str(dst, vs);
	}

	if (!has_verify)
		cfg->verify = cfg->ca != NULL;
	if (cfg->verify && !cfg->ca)
		yerr(yd, v, "role %s: tls: verify needs ca (the CA file to "
		     "verify the peer with)", name);
	if (cfg->key && !cfg->cert)
		yerr(yd, v, "role %s: tls: key without cert", name);

	mem_deref(*cfgp);
	*cfgp = cfg;
}


static void load_role(struct testbed *tb, struct ydoc *yd,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	static const char *const keys[] = {"kind", "address", "auth",
					   "driver", "tone", "capture", "tls",
					   "register", "name", "offers"};
	const char *name = yscalar(k);
	yaml_node_pair_t *p;
	struct binding *b;

	if (!name) {
		yerr(yd, k, "a role name must be a plain value");
		return;
	}
	if (ywant(yd, v, YAML_MAPPING_NODE, "a role binding"))
		return;

	b = binding_new(tb, name, strlen(name));
	if (!b)
		return;
	b->pos = ypos(k);

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		yaml_node_t *pv = ynode(yd, p->value);
		const char *vs = yscalar(pv);
		int err;

		if (ykey_check(yd, pk, keys, ARRAY_SIZE(keys), name))
			continue;

		if (!strcmp(yscalar(pk), "auth")) {
			testbed_parse_auth(yd, pv, &b->auth_user,
					   &b->auth_pass, name);
			continue;
		}
		if (!strcmp(yscalar(pk), "driver")) {
			testbed_parse_driver(yd, pv, &b->driver, name);
			continue;
		}
		if (!strcmp(yscalar(pk), "capture")) {
			parse_capture(yd, pv, &b->capture_if, name);
			continue;
		}
		if (!strcmp(yscalar(pk), "tls")) {
			parse_tls(yd, pv, &b->tls, name);
			continue;
		}
		if (!strcmp(yscalar(pk), "register")) {
			testbed_parse_register(yd, pv, b, name);
			continue;
		}
		if (!strcmp(yscalar(pk), "offers")) {
			char where[64];

			re_snprintf(where, sizeof(where), "role %s: offers",
				    name);
			b->offers = capability_parse(yd, pv, where);
			b->has_offers = true;
			continue;
		}
		if (!strcmp(yscalar(pk), "name")) {
			if (!vs || !*vs)
				yerr(yd, pv, "role %s: name is empty", name);
			else
				testbed_set_str(&b->name, vs);
			continue;
		}
		if (!strcmp(yscalar(pk), "tone")) {
			b->tone_hz = vs ? ld_hz(vs) : 0;
			if (!b->tone_hz)
				yerr(yd, pv, "role %s: tone: '%s' is not a "
				     "frequency (1000Hz)", name, vs ? vs : "");
			continue;
		}

		if (!strcmp(yscalar(pk), "kind")) {
			err = vs ? kind_parse(&b->kind, vs, strlen(vs))
				 : EINVAL;
			if (err)
				yerr(yd, pv, "role %s: %s kind '%s' (kinds: "
				     "ua, proxy, phone, dut)", name,
				     err == ENOTSUP ? "not yet available:"
						    : "unknown",
				     vs ? vs : "");
			else
				b->has_kind = true;
		}
		else {
			err = vs ? testbed_parse_addr(&b->addr, &b->tp, vs)
				 : EINVAL;
			if (err)
				yerr(yd, pv, "role %s: address '%s' is not "
				     "[udp:|tcp:|tls:]HOST[:PORT]", name,
				     vs ? vs : "");
			else
				b->has_addr = true;
		}
	}
}


/*
 * address-pool: FIRST-LAST or ADDRESS/PREFIX; base-address: X, the older
 * form, is the pool from X to the end of X's /8 (127.0.0.10:
 * 127.0.0.10-127.255.255.254, the default). One of the two.
 */
static void load_pool(struct testbed *tb, struct ydoc *yd,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	const char *ks = yscalar(k), *vs = yscalar(v), *why = NULL;
	struct addrpool pool;
	struct sa sa;

	if (tb->has_pool) {
		yerr(yd, k, "%s: the address pool is already given; use "
		     "address-pool or base-address, not both", ks);
		return;
	}

	if (!strcmp(ks, "address-pool")) {
		if (addrpool_parse(&pool, vs, &why)) {
			yerr(yd, v, "address-pool '%s' is not an address "
			     "pool: %s (" ADDRPOOL_FORMS ")", vs ? vs : "",
			     why);
			return;
		}
	}
	else {
		if (!vs || sa_set_str(&sa, vs, 0) || sa_af(&sa) != AF_INET) {
			yerr(yd, v, "base-address '%s' is not an IPv4 "
			     "address (roles that need IPv6 get an address: "
			     "in roles:)", vs ? vs : "");
			return;
		}
		pool.first = sa_in(&sa);
		pool.last = (pool.first | 0x00ffffffu) - 1;
		if (pool.last < pool.first)
			pool.last = pool.first;
	}

	tb->pool = pool;
	tb->has_pool = true;
}


/** Load a testbed file */
/* settle: / settle-max: a duration, how long the devices must be quiet
 * after a scenario and how long the run waits for that at most */
static void parse_settle(struct ydoc *yd, const yaml_node_t *k,
			 const yaml_node_t *v, struct testbed *tb)
{
	bool max = !strcmp(yscalar(k), "settle-max");
	const char *vs = yscalar(v);
	uint32_t ms = 0;

	if (!vs || duration_parse(&ms, vs) || !ms) {
		yerr(yd, v, "%s: '%s' is not a duration (300ms, 5s)",
		     yscalar(k), vs ? vs : "");
		return;
	}

	if (max)
		tb->settle_max_ms = ms;
	else
		tb->settle_ms = ms;
}


int testbed_load(struct testbed **tbp, const char *file, struct diag *dg)
{
	static const char *const keys[] = {"roles", "address-pool",
					   "base-address", "settle",
					   "settle-max"};
	struct testbed *tb = NULL;
	struct ydoc yd;
	yaml_node_t *root;
	yaml_node_pair_t *p, *q;
	char *text = NULL;
	FILE *f;
	long n;
	int err;

	if (!tbp || !file)
		return EINVAL;

	f = fopen(file, "rb");
	if (!f) {
		err = errno;
		diag_err(dg, file, NULL, "cannot read: %m", err);
		return EINVAL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n >= 0 && n < 1024 * 1024)
		text = calloc(1, (size_t)n + 1);
	if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(text);
		diag_err(dg, file, NULL, "cannot read");
		return EINVAL;
	}
	fclose(f);

	err = testbed_alloc(&tb);
	if (err) {
		free(text);
		return err;
	}
	str_dup(&tb->file, file);

	err = ydoc_load(&yd, file, text, strlen(text), dg);
	free(text);
	if (err)
		goto out;

	root = ydoc_root(&yd);
	if (ywant(&yd, root, YAML_MAPPING_NODE, "a testbed"))
		goto out;

	YMAP_FOREACH(p, root) {
		yaml_node_t *k = ynode(&yd, p->key);
		yaml_node_t *v = ynode(&yd, p->value);

		if (ykey_check(&yd, k, keys, ARRAY_SIZE(keys), "testbed"))
			continue;

		if (!strcmp(yscalar(k), "settle") ||
		    !strcmp(yscalar(k), "settle-max")) {
			parse_settle(&yd, k, v, tb);
			continue;
		}

		if (strcmp(yscalar(k), "roles")) {
			load_pool(tb, &yd, k, v);
			continue;
		}

		if (ywant(&yd, v, YAML_MAPPING_NODE, "roles"))
			continue;
		YMAP_FOREACH(q, v)
			load_role(tb, &yd, ynode(&yd, q->key),
				  ynode(&yd, q->value));
	}

	if (tb->settle_ms && tb->settle_max_ms &&
	    tb->settle_max_ms < tb->settle_ms)
		yerr(&yd, root, "settle-max (%u ms) is shorter than settle "
		     "(%u ms)", tb->settle_max_ms, tb->settle_ms);

 out:
	err = yd.nerr ? EINVAL : err;
	ydoc_free(&yd);
	if (err)
		mem_deref(tb);
	else
		*tbp = tb;

	return err;
}


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
	r->dut_tone_hz = 0;
	r->dut_name = mem_deref(r->dut_name);
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
		if (b->reg_with)
			share(&r->reg_with, b->reg_with);
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

		if (!r->auto_addr)
			continue;
		if (addrpool_pick(&r->addr, blk, r->idx, AUTO_PORT, taken,
				  nt)) {
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
