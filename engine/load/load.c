/* engine/load/load.c — load a scenario from YAML into the model, checking it
 *
 * Every mistake is reported with file:line:column and the loader goes on,
 * so one lint run shows them all. See docs/scenario-format.md.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "ynode.h"
#include "placeholder.h"
#include "rules.h"
#include "hdr.h"
#include "load.h"
#include "assoc.h"
#include "retrans.h"
#include "expand.h"
#include "capability.h"
#include "textfile.h"



static void role_destructor(void *data)
{
	struct role *r = data;

	list_unlink(&r->le);
	mem_deref(r->name);
	mem_deref(r->user);
	mem_deref(r->display);
	mem_deref(r->domain);
	list_flush(&r->codecs);
	list_flush(&r->srtp.suites);
	mem_deref(r->srtp.key);
	mem_deref(r->auth_user);
	mem_deref(r->reg_with);
	mem_deref(r->auth_pass);
	mem_deref(r->decl_auth_user);
	mem_deref(r->decl_auth_pass);
	mem_deref(r->driver);
	mem_deref(r->capture_if);
	mem_deref(r->tls);
	mem_deref(r->dut_name);
}


static void scenario_destructor(void *data)
{
	struct scenario *sc = data;

	list_unlink(&sc->le);
	list_flush(&sc->steps);
	list_flush(&sc->roles);
	list_flush(&sc->tags);
	list_flush(&sc->rules_off);
	list_flush(&sc->rules_warn);
	list_flush(&sc->rules_err);
	mem_deref(sc->rules_reason);
	mem_deref(sc->file);
	mem_deref(sc->name);
	mem_deref(sc->title);
	mem_deref(sc->source);
}



int ld_dup_scalar(struct loader *ld, const yaml_node_t *n, char **out,
		      const char *what)
{
	const char *s = yscalar(n);

	if (!s)
		return ywant(&ld->yd, n, YAML_SCALAR_NODE, what);

	mem_deref(*out);
	return str_dup(out, s);
}


int ld_add_str(struct list *l, const char *s, struct srcpos pos)
{
	struct pl pl;

	pl_set_str(&pl, s);
	return strle_add(l, &pl, &pos, false);
}


int ld_role_names(struct re_printf *pf, const struct scenario *sc)
{
	struct le *le;
	int err = 0;

	for (le = sc->roles.head; le && !err; le = le->next) {
		const struct role *r = le->data;
		err = re_hprintf(pf, "%s%s", r->name, le->next ? ", " : "");
	}

	return err;
}


bool ld_valid_name(const char *s, bool dots)
{
	if (!s || !isalpha((unsigned char)*s))
		return false;

	for (s++; *s; s++) {
		if (isalnum((unsigned char)*s) || *s == '_')
			continue;
		if (dots && (*s == '.' || *s == '-'))
			continue;
		return false;
	}

	return true;
}


/* kind: ua | proxy | phone | dut */
static void role_kind(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	const char *vs = yscalar(v);
	enum role_kind kind;
	(void)row;
	(void)k;

	if (!vs || role_kind_parse(&kind, vs, strlen(vs))) {
		const char *const *names;
		const char *h;
		size_t n;

		names = role_kind_names(&n);
		h = vs ? diag_suggest(vs, names, n) : NULL;
		yerr(w->yd, v, "role %s: unknown kind '%s'%s%s%s (kinds: %H)",
		     r->name, vs ? vs : "", h ? " (did you mean '" : "",
		     h ? h : "", h ? "'?)" : "", role_kinds_print, NULL);
		return;
	}

	r->kind = kind;
	r->dut = r->kind == ROLE_DUT;
}


/* address: [udp:|tcp:|tls:]HOST[:PORT], as declared in the scenario */
static void role_address(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || testbed_parse_addr(&r->decl, &r->decl_tp, vs))
		yerr(w->yd, v, "role %s: address '%s' is not "
		     "[udp:|tcp:|tls:]HOST[:PORT]", r->name, vs ? vs : "");
}


/* transport: udp|tcp|tls — how the role talks, on an address of the
 * pool (address: names both where and how) */
static void role_transport(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || testbed_parse_transp(&r->decl_tp, vs, strlen(vs)))
		yerr(w->yd, v, "role %s: transport '%s' is udp, tcp or tls",
		     r->name, vs ? vs : "");
}


/* proxy: P — the role a phone sends its requests through */
static void phone_proxy(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	struct role *r = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	r->proxy = ld_role(ld, vs);
	if (!r->proxy)
		yerr(w->yd, v, "role %s: proxy: '%s' is not a declared role "
		     "(roles: %H)", r->name, vs ? vs : "", ld_role_names,
		     ld->sc);
	else if (r->proxy == r)
		yerr(w->yd, v, "role %s: a phone is not its own proxy",
		     r->name);
}


/* impair: / impair-sip: {loss: 10%, …} into the impair_spec at off */
static void phone_impair(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;
	ld_impair(w->arg, v, YFIELD(w, row, struct impair_spec));
}


/* auth: {user, password | password-env} */
static void phone_auth(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	(void)row;
	(void)k;

	testbed_parse_auth(w->yd, v, &r->decl_auth_user, &r->decl_auth_pass,
			   r->name);
	mem_deref(r->auth_user);
	mem_deref(r->auth_pass);
	r->auth_user = mem_ref(r->decl_auth_user);
	r->auth_pass = mem_ref(r->decl_auth_pass);
}


/* codecs: [PCMU, PCMA] — what a phone offers, in order */
static void phone_codecs(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	yaml_node_item_t *it;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "codecs"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *e = ynode(w->yd, *it);
		const char *es = yscalar(e);

		if (!es || (str_casecmp(es, "PCMU") &&
			    str_casecmp(es, "PCMA"))) {
			yerr(w->yd, e, "role %s: codec '%s': a phone speaks "
			     "PCMU and PCMA", r->name, es ? es : "");
			continue;
		}
		ld_add_str(&r->codecs, es, ypos(e));
	}
	if (list_isempty(&r->codecs))
		yerr(w->yd, v, "role %s: codecs: name at least one (PCMU, "
		     "PCMA)", r->name);
}


/* rtcp-interval: 500ms — the phone sends its own RTCP reports this often
 * instead of libre's every 5 s (the media leg's bounds,
 * MSTREAM_RTCP_MIN and _MAX of agents/media/mstream.h) */
static void phone_rtcp_interval(const struct ywalk *w,
				const struct ykey *row, const yaml_node_t *k,
				const yaml_node_t *v)
{
	struct role *r = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&r->rtcp_ms, vs) || r->rtcp_ms < 100 ||
	    r->rtcp_ms > 60000)
		yerr(w->yd, v, "role %s: rtcp-interval: '%s' is a duration "
		     "from 100ms to 60s", r->name, vs ? vs : "");
}


/* srtp: [AES_CM_128_HMAC_SHA1_80] — SRTP the phone offers and accepts */
static void phone_srtp(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct role *r = w->obj;
	(void)row;
	(void)k;

	ld_crypto(w->yd, v, &r->srtp, "role %s: srtp", r->name);
}


/* the keys only a phone has, besides its settings (ld_settings): read
 * once every role is declared, as they name other roles */
static const struct ykey phone_rows[] = {
	{"proxy",      phone_proxy,  0},
	{"codecs",     phone_codecs, 0},
	{"impair",     phone_impair, offsetof(struct role, impair)},
	{"impair-sip", phone_impair, offsetof(struct role, impair_sip)},
	{"record",     ykey_bool,    offsetof(struct role, record)},
	{"auth",       phone_auth,   0},
	{"srtp",       phone_srtp,   0},
	{"rtcp-interval", phone_rtcp_interval, 0},
};

static const struct ykeys phone_keys = YKEYS_MORE(phone_rows,
						  &ld_settings);

/* a role's own keys; a phone's are known too, and read later */
static const struct ykey role_rows[] = {
	{"kind",         role_kind,    0},
	{"user",         ykey_str,     offsetof(struct role, user)},
	{"display",      ykey_str,     offsetof(struct role, display)},
	{"domain",       ykey_str,     offsetof(struct role, domain)},
	{"record-route", ykey_bool,    offsetof(struct role, record_route)},
	{"address",      role_address, 0},
	{"transport",    role_transport, 0},
	{"retransmit",   ykey_notbool, offsetof(struct role, no_retransmit)},
};

static const struct ykeys role_keys = YKEYS_MORE(role_rows, &phone_keys);


static void load_role(struct loader *ld, const yaml_node_t *key,
		      const yaml_node_t *val)
{
	struct ydoc *yd = &ld->yd;
	const char *name = yscalar(key);
	struct ywalk w = {.yd = yd, .arg = ld, .where = "role",
			  .only = &role_keys};
	struct role *r;

	if (!ld_valid_name(name, false)) {
		yerr(yd, key, "role name '%s' must be a letter followed by "
		     "letters, digits or _", name ? name : "");
		return;
	}
	if (ld_role(ld, name)) {
		yerr(yd, key, "role %s is declared twice", name);
		return;
	}
	if (ywant(yd, val, YAML_MAPPING_NODE, "a role"))
		return;

	r = mem_zalloc(sizeof(*r), role_destructor);
	if (!r)
		return;
	(void)str_dup(&r->name, name);
	r->pos = ypos(key);
	r->idx = ld->idx++;
	r->tp = r->decl_tp = SIP_TRANSP_UDP;
	list_append(&ld->sc->roles, &r->le, r);
	(void)ld_role_add(ld, r);

	/* its own keys now, a phone's once every role is declared */
	w.obj = r;
	w.only = &role_keys;
	(void)ymap_walk(&w, val, &role_keys);

	if (!ymap_value(yd, val, "kind"))
		yerr(yd, val, "role %s has no kind (ua, proxy, phone or dut)",
		     name);

	if (!r->user) {
		char *u = NULL;

		if (!str_dup(&u, name)) {
			char *c;
			for (c = u; *c; c++)
				*c = (char)tolower((unsigned char)*c);
		}
		r->user = u;
	}
}


static void load_phone_keys(struct loader *ld, const yaml_node_t *key,
			    const yaml_node_t *val)
{
	struct ydoc *yd = &ld->yd;
	struct role *r = ld_role(ld, yscalar(key));
	struct ywalk w = {.yd = yd, .obj = r, .arg = ld, .where = "role"};
	yaml_node_pair_t *p;

	if (!r || val->type != YAML_MAPPING_NODE)
		return;

	/* a phone sends a tone of its own, so a listener knows who it hears */
	phone_cfg_defaults(&r->cfg);
	r->cfg.tone_hz = 500 + 150 * r->idx;

	YMAP_FOREACH(p, val) {
		yaml_node_t *k = ynode(yd, p->key);
		const char *ks = yscalar(k);
		const struct ykey *row = ykeys_find(&phone_keys, ks);

		/* the role's own keys, or unknown: said by load_role */
		if (!row)
			continue;
		/* credentials also serve a scripted ua, and a device a
		 * scripted registrar checks (docs/engine.md, digest) */
		if (r->kind != ROLE_PHONE &&
		    (row->h != phone_auth || r->kind == ROLE_PROXY)) {
			yerr(yd, k, "role %s: '%s' applies to phones (kind: "
			     "phone)%s", r->name, ks, row->h != phone_auth
			     ? "" : ", user agents and devices");
			continue;
		}

		if (!ld_phone_cfg(ld, k, ynode(yd, p->value), &r->cfg))
			row->h(&w, row, k, ynode(yd, p->value));
	}
}


static void load_roles(struct loader *ld, const yaml_node_t *n)
{
	yaml_node_pair_t *p;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "roles"))
		return;

	YMAP_FOREACH(p, n)
		load_role(ld, ynode(&ld->yd, p->key),
			  ynode(&ld->yd, p->value));

	/* phone keys name other roles: read them once all are declared */
	YMAP_FOREACH(p, n)
		load_phone_keys(ld, ynode(&ld->yd, p->key),
				ynode(&ld->yd, p->value));

	if (list_isempty(&ld->sc->roles))
		yerr(&ld->yd, n, "roles: declare at least two roles");
}


/* a rule id the table knows, else an error with a suggestion */
static bool known_rule(struct loader *ld, const yaml_node_t *n)
{
	const char *id = yscalar(n);
	const struct rule *t;
	const char **ids;
	const char *h;
	size_t i, nr;

	if (id && rule_find(id))
		return true;

	t = rules_table(&nr);
	ids = mem_zalloc((nr + 1) * sizeof(*ids), NULL);
	for (i = 0; ids && i < nr; i++)
		ids[i] = t[i].id;
	h = id && ids ? diag_suggest(id, ids, nr) : NULL;
	yerr(&ld->yd, n, "rules: unknown rule '%s'%s%s%s (sipflow rules "
	     "lists them)", id ? id : "", h ? " (did you mean '" : "",
	     h ? h : "", h ? "'?)" : "");
	mem_deref(ids);

	return false;
}


/* rules: disable: [ids] */
static void rules_disable(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	yaml_node_item_t *it;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "rules: disable"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *id = ynode(w->yd, *it);

		if (known_rule(ld, id))
			ld_add_str(&ld->sc->rules_off, yscalar(id), ypos(id));
		ld->tuned = true;
	}
}


/* rules: severity: {id: warning|error} */
static void rules_severity(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	yaml_node_pair_t *q;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_MAPPING_NODE, "rules: severity"))
		return;
	YMAP_FOREACH(q, v) {
		yaml_node_t *id = ynode(w->yd, q->key);
		yaml_node_t *sv = ynode(w->yd, q->value);
		const char *ss = yscalar(sv);

		ld->tuned = true;
		if (!known_rule(ld, id))
			continue;
		if (ss && !strcmp(ss, "warning"))
			ld_add_str(&ld->sc->rules_warn, yscalar(id), ypos(id));
		else if (ss && !strcmp(ss, "error"))
			ld_add_str(&ld->sc->rules_err, yscalar(id), ypos(id));
		else
			yerr(w->yd, sv, "rules: severity of %s is warning or "
			     "error", yscalar(id));
	}
}


/* rules: {disable: [ids], severity: {id: warning|error}, reason: text} */
static void load_rules(const struct ywalk *tw, const struct ykey *trow,
		       const yaml_node_t *k, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"disable",  rules_disable,  0},
		{"severity", rules_severity, 0},
		{"reason",   ykey_str,
		 offsetof(struct scenario, rules_reason)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct loader *ld = tw->arg;
	struct ywalk w = {.yd = &ld->yd, .obj = ld->sc, .arg = ld,
			  .where = "rules"};
	(void)trow;
	(void)k;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "rules"))
		return;

	ld->tuned = false;
	(void)ymap_walk(&w, n, &keys);

	if (ld->tuned && (!ld->sc->rules_reason || !*ld->sc->rules_reason))
		yerr(&ld->yd, n, "rules: say why in reason: when you disable "
		     "or soften a rule");
}


/* timers: {T1: 100ms, T2: 1s, T4: 5s} — RFC 3261's, for this scenario
 * (their names are RFC 3261's, in either case: sip_timer_set reads
 * them) */
static void load_timers(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *key, const yaml_node_t *n)
{
	struct loader *ld = w->arg;
	struct ydoc *yd = &ld->yd;
	struct sip_timers *t = &ld->sc->timers;
	struct sip_timers full;
	yaml_node_pair_t *p;
	(void)row;
	(void)key;

	if (ywant(yd, n, YAML_MAPPING_NODE, "timers"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (!ks || (str_casecmp(ks, "T1") && str_casecmp(ks, "T2") &&
			    str_casecmp(ks, "T4")))
			yerr(yd, k, "timers: unknown timer '%s' (T1, T2, T4)",
			     ks ? ks : "");
		else if (sip_timer_set(t, ks, vs))
			yerr(yd, v, "timers: %s: '%s' is not a duration "
			     "(500ms, 2s)", ks, vs ? vs : "");
	}

	sip_timers_resolve(&full, NULL, t);
	if (!sip_timers_valid(&full))
		yerr(yd, n, "timers: T2 (%u ms) is shorter than T1 (%u ms)",
		     full.t2, full.t1);
}


/* timeout: the scenario's per-step default */
static void top_timeout(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct scenario *sc = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&sc->timeout_ms, vs) || !sc->timeout_ms)
		yerr(w->yd, v, "timeout: '%s' is not a duration (500ms, 2s, "
		     "1m)", vs ? vs : "");
}


/* tags: [a, b] */
static void top_tags(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct scenario *sc = w->obj;
	yaml_node_item_t *it;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "tags"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *t = ynode(w->yd, *it);

		if (!ywant(w->yd, t, YAML_SCALAR_NODE, "a tag"))
			ld_add_str(&sc->tags, yscalar(t), ypos(t));
	}
}


/* scenario: its name, and where it is given (two flows of one name are
 * refused by the suite, naming both places) */
static void top_name(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct scenario *sc = w->obj;

	ykey_str(w, row, k, v);
	if (v && v->type == YAML_SCALAR_NODE)
		sc->name_pos = ypos(k);
}


/* roles:, steps:, requires: are read after the walk, in that order */
static void top_later(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;
	*(const yaml_node_t **)(void *)((char *)w->arg + row->off) = v;
}


/* a scenario's keys (vars: was read by the expansion, expand.c) */
static const struct ykey top_rows[] = {
	{"scenario",    top_name,     offsetof(struct scenario, name)},
	{"title",       ykey_str,     offsetof(struct scenario, title)},
	{"source",      ykey_str,     offsetof(struct scenario, source)},
	{"description", NULL,         0},
	{"tags",        top_tags,     0},
	{"timeout",     top_timeout,  0},
	{"roles",       top_later,    offsetof(struct loader, roles)},
	{"steps",       top_later,    offsetof(struct loader, steps)},
	{"rules",       load_rules,   0},
	{"timers",      load_timers,  0},
	{"retransmit",  ykey_notbool, offsetof(struct scenario,
					       no_retransmit)},
	{"vars",        NULL,         0},
	{"requires",    top_later,    offsetof(struct loader, requires)},
};

static const struct ykeys top_keys = YKEYS(top_rows);


static int stem(char **out, const char *file)
{
	const char *b = strrchr(file, '/');
	const char *dot;

	b = b ? b + 1 : file;
	dot = strrchr(b, '.');

	return re_sdprintf(out, "%b", b, dot && dot != b ? (size_t)(dot - b)
						      : strlen(b));
}


/* the flow as written (src) expanded into ld->yd: a block is not a
 * flow (ENOTSUP, after checking what it says of itself) */
static int expand(struct loader *ld, struct ydoc *src,
		  const struct list *vars)
{
	yaml_node_t *root = ydoc_root(src);
	unsigned nerr = 0;
	int err;

	if (xp_is_block(src))
		return xp_check_block(src) ? EINVAL : ENOTSUP;

	if (!root || root->type != YAML_MAPPING_NODE) {
		/* the loader says what is wrong with it */
		ld->yd = *src;
		memset(src, 0, sizeof(*src));
		return 0;
	}

	err = xp_expand(&ld->yd, src, vars, &nerr);
	if (!err && (nerr || src->nerr))
		err = EINVAL;

	return err;
}


/** Load a scenario from text (NULL: read the file); file is the name
 *  errors carry and includes are relative to; vars (struct var_arg,
 *  may be NULL) override its vars:. ENOTSUP: the file is a block (not
 *  an error; nothing to play) */
int scenario_load_vars(struct scenario **scp, const char *file,
		       const char *text, const struct list *vars,
		       struct diag *dg)
{
	struct ywalk w = {.where = "scenario"};
	struct loader ld;
	struct ydoc src;
	yaml_node_t *root;
	char *buf = NULL;
	size_t len;
	int err;

	if (!scp || !file)
		return EINVAL;

	if (!text) {
		const char *why;

		err = textfile_read(&buf, &len, file, XP_FILE_MAX, &why);
		if (err == EFBIG)
			diag_err(dg, file, NULL, "not a scenario (larger than "
				 "4 MB)");
		else if (err)
			diag_err(dg, file, NULL, "cannot read: %s",
				 why ? why : strerror(err));
		if (err)
			return err;
		text = buf;
	}
	else {
		len = strlen(text);
	}

	memset(&ld, 0, sizeof(ld));
	w.arg = &ld;
	err = ydoc_load(&src, file, text, len, dg);
	if (!err)
		err = expand(&ld, &src, vars);
	ydoc_free(&src);
	mem_deref(buf);
	if (err) {
		ydoc_free(&ld.yd);
		return err;
	}

	ld.sc = mem_zalloc(sizeof(*ld.sc), scenario_destructor);
	if (!ld.sc) {
		ydoc_free(&ld.yd);
		return ENOMEM;
	}
	str_dup(&ld.sc->file, file);

	root = ydoc_root(&ld.yd);
	if (ywant(&ld.yd, root, YAML_MAPPING_NODE, "a scenario"))
		goto out;

	w.yd = &ld.yd;
	w.obj = ld.sc;
	(void)ymap_walk(&w, root, &top_keys);

	if (!ld.roles)
		yerr(&ld.yd, root, "the scenario has no roles:");
	else
		load_roles(&ld, ld.roles);

	/* it names roles: read once they are all declared */
	if (ld.requires)
		capability_load_requires(&ld.yd, ld.requires, ld.sc);

	if (!ld.steps)
		yerr(&ld.yd, root, "the scenario has no steps:");
	else
		load_steps(&ld, ld.steps, NULL, &ld.sc->steps);

	if (!ld.yd.nerr)
		(void)scenario_associate(ld.sc, dg, &ld.yd.nerr);

	if (!ld.sc->name)
		stem(&ld.sc->name, file);

 out:
	err = ld.yd.nerr ? EINVAL : 0;
	ydoc_free(&ld.yd);
	ld_index_free(&ld);

	if (err)
		mem_deref(ld.sc);
	else
		*scp = ld.sc;

	return err;
}


/* the old entry points: a block given as a flow is a mistake there */
static int no_block(int err, const char *file, struct diag *dg)
{
	if (err != ENOTSUP)
		return err;

	diag_err(dg, file, NULL, "a block (block:), not a flow: include it "
		 "from a flow");

	return EINVAL;
}


/** Load a scenario from text; name is the file name errors carry */
int scenario_load_str(struct scenario **scp, const char *name,
		      const char *text, struct diag *dg)
{
	if (!text)
		return EINVAL;

	return no_block(scenario_load_vars(scp, name, text, NULL, dg), name,
			dg);
}


/** Load a scenario file */
int scenario_load(struct scenario **scp, const char *file, struct diag *dg)
{
	return no_block(scenario_load_vars(scp, file, NULL, NULL, dg), file,
			dg);
}
