/* engine/load/testbed.c — who plays each role: simulated, or a device under
 * test
 *
 * A testbed file (roles: {P: {kind: dut, address: udp:127.0.0.1:5060}})
 * or --role P=dut:udp:127.0.0.1:5060 binds roles without touching the
 * scenario. Simulated roles without an address get one from the address
 * pool (addrpool.c): 127.0.0.10, .11, … port 5060 by their index, so a
 * capture shows one host per role, skipping addresses other roles have.
 */
#include <stddef.h>
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
#include "capability.h"
#include "textfile.h"


static const char *const kinds[] = {"ua", "proxy", "phone", "dut"};

enum {
	TESTBED_MAX = 1024 * 1024 /* a testbed file's size, at most */
};


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


/** "udp", "tcp" or "tls", any case, of the n bytes at s: its transport
 *  in *tp; EINVAL for anything else (sipflow plays no other) */
int testbed_parse_transp(enum sip_transp *tp, const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum sip_transp tp;
	} tps[] = {
		{"udp", SIP_TRANSP_UDP},
		{"tcp", SIP_TRANSP_TCP},
		{"tls", SIP_TRANSP_TLS},
	};
	size_t k;

	for (k = 0; s && n == 3 && k < ARRAY_SIZE(tps); k++) {
		if (!strncasecmp(s, tps[k].name, 3)) {
			*tp = tps[k].tp;
			return 0;
		}
	}

	return EINVAL;
}


/**
 * "udp:127.0.0.1:5060", "127.0.0.1:5060", "127.0.0.1", "tcp:[::1]:5062",
 * "tls:127.0.0.1", "[::1]". UDP when not given; port 5060, for TLS 5061
 * (RFC 3261 §19.1.2).
 */
int testbed_parse_addr(struct sa *sa, enum sip_transp *tp, const char *s)
{
	enum sip_transp t = SIP_TRANSP_UDP;
	struct pl host, port = PL_INIT;
	const char *p = s;
	char buf[128];

	if (!sa || !s || !*s)
		return EINVAL;

	if (strlen(p) >= 4 && p[3] == ':' && !testbed_parse_transp(&t, p, 3))
		p += 4;

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


/* auth: user:, password:, password-env: — none of them empty; w->obj
 * is the char * the value goes to */
static const char *cred_value(const struct ywalk *w, const struct ykey *row,
			      const yaml_node_t *v)
{
	const char *vs = yscalar(v);

	if (vs && *vs)
		return vs;

	yerr(w->yd, v, "role %s: auth: %s is empty", w->name, row->key);
	return NULL;
}


static void cred_user(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = cred_value(w, row, v);
	(void)k;

	if (vs)
		testbed_set_str(((char ***)w->obj)[0], vs);
}


static void cred_pass(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = cred_value(w, row, v);
	(void)k;

	if (vs)
		testbed_set_str(((char ***)w->obj)[1], vs);
}


static void cred_pass_env(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;

	if (cred_value(w, row, v))
		testbed_password_env(w->yd, v, ((char ***)w->obj)[1],
				     w->name, "auth");
}


/**
 * auth: {user: alice, password: secret} or {user: alice, password-env:
 * VAR} — digest credentials for a phone (a testbed's, or a scenario's lab
 * default). The password never reaches a report or a log.
 */
void testbed_parse_auth(struct ydoc *yd, const struct yaml_node_s *v,
			char **user, char **pass, const char *name)
{
	static const struct ykey rows[] = {
		{"user",         cred_user,     0},
		{"password",     cred_pass,     0},
		{"password-env", cred_pass_env, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	char **cred[2] = {user, pass};
	struct ywalk w = {.yd = yd, .obj = cred, .where = "auth",
			  .name = name};

	if (ywant(yd, v, YAML_MAPPING_NODE, "auth"))
		return;

	(void)ymap_walk(&w, v, &keys);

	if (!*user || !*pass)
		yerr(yd, v, "role %s: auth: needs user and password (or "
		     "password-env)", name);
}


/* capture: interface: eth1 */
static void capture_if(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || !*vs)
		yerr(w->yd, v, "role %s: capture: interface is empty",
		     w->name);
	else
		testbed_set_str(w->obj, vs);
}


/* capture: {interface: eth1} — where a device's own traffic is seen */
static void parse_capture(struct ydoc *yd, const yaml_node_t *v, char **ifp,
			  const char *name)
{
	static const struct ykey rows[] = {
		{"interface", capture_if, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = yd, .obj = ifp, .where = "capture",
			  .name = name};

	if (!ywant(yd, v, YAML_MAPPING_NODE, "capture"))
		(void)ymap_walk(&w, v, &keys);
}


static void tls_destructor(void *data)
{
	struct tls_cfg *cfg = data;

	mem_deref(cfg->cert);
	mem_deref(cfg->key);
	mem_deref(cfg->ca);
}


/* tls: cert:, key:, ca: a file it can read, into the char * at off */
static void tls_file(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	const char *name = w->name, *vs = yscalar(v), *why;
	(void)k;

	if (!vs || !*vs) {
		yerr(w->yd, v, "role %s: tls: %s is empty", name, row->key);
		return;
	}
	if (access(vs, R_OK)) {
		yerr(w->yd, v, "role %s: tls: %s: cannot read '%s': %m", name,
		     row->key, vs, errno);
		return;
	}
	/* a FIFO would hold the run's TLS set-up for ever */
	why = textfile_kind(vs);
	if (why) {
		yerr(w->yd, v, "role %s: tls: %s: cannot read '%s': %s", name,
		     row->key, vs, why);
		return;
	}
	testbed_set_str(YFIELD(w, row, char *), vs);
}


/*
 * tls: {cert: FILE, key: FILE, ca: FILE, verify: BOOL} — what a TLS role
 * shows (cert, key; default: a self-signed certificate) and whom it
 * trusts (ca); verify is on when ca is given, unless set
 */
static void parse_tls(struct ydoc *yd, const yaml_node_t *v,
		      struct tls_cfg **cfgp, const char *name)
{
	static const struct ykey rows[] = {
		{"cert",   tls_file,  offsetof(struct tls_cfg, cert)},
		{"key",    tls_file,  offsetof(struct tls_cfg, key)},
		{"ca",     tls_file,  offsetof(struct tls_cfg, ca)},
		{"verify", ykey_bool, offsetof(struct tls_cfg, verify)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = yd, .where = "tls", .name = name};
	struct tls_cfg *cfg;

	if (ywant(yd, v, YAML_MAPPING_NODE, "tls"))
		return;

	cfg = mem_zalloc(sizeof(*cfg), tls_destructor);
	if (!cfg)
		return;

	w.obj = cfg;
	(void)ymap_walk(&w, v, &keys);

	if (!ymap_value(yd, v, "verify"))
		cfg->verify = cfg->ca != NULL;
	if (cfg->verify && !cfg->ca)
		yerr(yd, v, "role %s: tls: verify needs ca (the CA file to "
		     "verify the peer with)", name);
	if (cfg->key && !cfg->cert)
		yerr(yd, v, "role %s: tls: key without cert", name);

	mem_deref(*cfgp);
	*cfgp = cfg;
}


/* the role binding's keys; w->obj is the binding, w->arg its role name */
static void bind_auth(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	(void)row;
	(void)k;

	testbed_parse_auth(w->yd, v, &b->auth_user, &b->auth_pass, w->name);
}


static void bind_driver(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	(void)row;
	(void)k;

	testbed_parse_driver(w->yd, v, &b->driver, w->name);
}


static void bind_capture(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	(void)row;
	(void)k;

	parse_capture(w->yd, v, &b->capture_if, w->name);
}


static void bind_tls(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	(void)row;
	(void)k;

	parse_tls(w->yd, v, &b->tls, w->name);
}


static void bind_register(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	testbed_parse_register(w->yd, v, w->obj, w->name);
}


static void bind_reset(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	testbed_parse_reset(w->yd, v, w->obj, w->name);
}


/* offers: [registrar, …] — what the device does */
static void bind_offers(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	char *where = NULL;
	(void)row;
	(void)k;

	if (re_sdprintf(&where, "role %s: offers", w->name))
		return;
	b->offers = capability_parse(w->yd, v, where);
	b->has_offers = true;
	mem_deref(where);
}


/* name: bob-phone — how messages call the device */
static void bind_name(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || !*vs)
		yerr(w->yd, v, "role %s: name is empty", w->name);
	else
		testbed_set_str(&b->name, vs);
}


/* tone: 1000Hz — what the device sends */
static void bind_tone(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	b->tone_hz = vs ? ld_hz(vs) : 0;
	if (!b->tone_hz)
		yerr(w->yd, v, "role %s: tone: '%s' is not a frequency "
		     "(1000Hz)", w->name, vs ? vs : "");
}


static void bind_kind(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	int err = vs ? kind_parse(&b->kind, vs, strlen(vs)) : EINVAL;
	(void)row;
	(void)k;

	if (err)
		yerr(w->yd, v, "role %s: %s kind '%s' (kinds: ua, proxy, "
		     "phone, dut)", w->name,
		     err == ENOTSUP ? "not yet available:" : "unknown",
		     vs ? vs : "");
	else
		b->has_kind = true;
}


static void bind_address(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct binding *b = w->obj;
	const char *vs = yscalar(v);
	int err = vs ? testbed_parse_addr(&b->addr, &b->tp, vs) : EINVAL;
	(void)row;
	(void)k;

	if (err)
		yerr(w->yd, v, "role %s: address '%s' is not "
		     "[udp:|tcp:|tls:]HOST[:PORT]", w->name,
		     vs ? vs : "");
	else
		b->has_addr = true;
}


static void load_role(struct testbed *tb, struct ydoc *yd,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	static const struct ykey rows[] = {
		{"kind",     bind_kind,     0},
		{"address",  bind_address,  0},
		{"auth",     bind_auth,     0},
		{"driver",   bind_driver,   0},
		{"tone",     bind_tone,     0},
		{"capture",  bind_capture,  0},
		{"tls",      bind_tls,      0},
		{"register", bind_register, 0},
		{"reset",    bind_reset,    0},
		{"name",     bind_name,     0},
		{"offers",   bind_offers,   0},
	};
	static const struct ykeys keys = YKEYS(rows);
	const char *name = yscalar(k);
	struct binding *b;
	struct ywalk w = {.yd = yd, .where = name, .name = name};

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

	w.obj = b;
	if (!ymap_walk(&w, v, &keys) && b->has_reset)
		testbed_check_reset(yd, ymap_value(yd, v, "reset"), b);
}


/*
 * address-pool: FIRST-LAST or ADDRESS/PREFIX; base-address: X, the older
 * form, is the pool from X to the end of X's /8 (127.0.0.10:
 * 127.0.0.10-127.255.255.254, the default). One of the two.
 */
static void load_pool(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct testbed *tb = w->obj;
	struct ydoc *yd = w->yd;
	const char *ks = row->key, *vs = yscalar(v), *why = NULL;
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


/* settle: / settle-max: a duration, how long the devices must be quiet
 * after a scenario and how long the run waits for that at most */
static void parse_settle(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	uint32_t ms = 0;
	(void)k;

	if (!vs || duration_parse(&ms, vs) || !ms) {
		yerr(w->yd, v, "%s: '%s' is not a duration (300ms, 5s)",
		     row->key, vs ? vs : "");
		return;
	}

	*YFIELD(w, row, uint32_t) = ms;
}


/* roles: {NAME: {kind: …, address: …}, …} */
static void load_roles(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	yaml_node_pair_t *q;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_MAPPING_NODE, "roles"))
		return;
	YMAP_FOREACH(q, v)
		load_role(w->obj, w->yd, ynode(w->yd, q->key),
			  ynode(w->yd, q->value));
}


/** Load a testbed file */


int testbed_load(struct testbed **tbp, const char *file, struct diag *dg)
{
	static const struct ykey rows[] = {
		{"roles",        load_roles,   0},
		{"address-pool", load_pool,    0},
		{"base-address", load_pool,    0},
		{"settle",       parse_settle, offsetof(struct testbed,
							settle_ms)},
		{"settle-max",   parse_settle, offsetof(struct testbed,
							settle_max_ms)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.where = "testbed"};
	struct testbed *tb = NULL;
	struct ydoc yd;
	yaml_node_t *root;
	const char *why;
	char *text = NULL;
	size_t len;
	int err;

	if (!tbp || !file)
		return EINVAL;

	err = textfile_read(&text, &len, file, TESTBED_MAX, &why);
	if (err == EFBIG)
		diag_err(dg, file, NULL, "not a testbed (larger than 1 MB)");
	else if (err)
		diag_err(dg, file, NULL, "cannot read: %s",
			 why ? why : strerror(err));
	if (err)
		return EINVAL;

	err = testbed_alloc(&tb);
	if (err) {
		mem_deref(text);
		return err;
	}
	str_dup(&tb->file, file);

	err = ydoc_load(&yd, file, text, len, dg);
	mem_deref(text);
	if (err)
		goto out;

	root = ydoc_root(&yd);
	if (ywant(&yd, root, YAML_MAPPING_NODE, "a testbed"))
		goto out;

	w.yd = &yd;
	w.obj = tb;
	(void)ymap_walk(&w, root, &keys);

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
