/* engine/load/load.c — load a scenario from YAML into the model, checking it
 *
 * Every mistake is reported with file:line:column and the loader goes on,
 * so one lint run shows them all. See docs/scenario-format.md.
 */
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


static const char *const top_keys[] = {
	"scenario", "title", "source", "description", "tags", "timeout",
	"roles", "steps", "rules", "timers", "retransmit", "vars",
	"requires",
};

static const char *const role_keys[] = {
	"kind", "user", "display", "domain", "record-route", "address",
	"retransmit",
};

static const char *const kinds[] = {"ua", "proxy", "phone", "dut"};

static void role_destructor(void *data)
{
	struct role *r = data;

	list_unlink(&r->le);
	mem_deref(r->name);
	mem_deref(r->user);
	mem_deref(r->display);
	mem_deref(r->domain);
	list_flush(&r->codecs);
	mem_deref(r->auth_user);
	mem_deref(r->reg_with);
	mem_deref(r->auth_pass);
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


/** The role named by the l characters at p (not a C string), or NULL */
struct role *ld_role_n(const struct scenario *sc, const char *p, size_t l)
{
	struct le *le;

	for (le = sc && p ? sc->roles.head : NULL; le; le = le->next) {
		struct role *r = le->data;

		if (strlen(r->name) == l && !strncmp(r->name, p, l))
			return r;
	}

	return NULL;
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


static void load_role(struct loader *ld, const yaml_node_t *key,
		      const yaml_node_t *val)
{
	struct ydoc *yd = &ld->yd;
	const char *name = yscalar(key);
	const char *keys[ARRAY_SIZE(role_keys) + 32];
	yaml_node_pair_t *p;
	struct role *r;
	bool have_kind = false;
	size_t nkeys;

	/* its own keys, and a phone's (read by load_phone_keys) */
	memcpy(keys, role_keys, sizeof(role_keys));
	nkeys = ARRAY_SIZE(role_keys);
	nkeys += ld_phone_keys(keys + nkeys, ARRAY_SIZE(keys) - nkeys);

	if (!ld_valid_name(name, false)) {
		yerr(yd, key, "role name '%s' must be a letter followed by "
		     "letters, digits or _", name ? name : "");
		return;
	}
	if (scenario_role(ld->sc, name)) {
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

	YMAP_FOREACH(p, val) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *ks = yscalar(k);
		const char *vs = yscalar(v);

		if (ykey_check(yd, k, keys, nkeys, "role"))
			continue;

		if (!strcmp(ks, "kind")) {
			size_t i;

			have_kind = true;
			for (i = 0; vs && i < ARRAY_SIZE(kinds); i++) {
				if (!strcmp(vs, kinds[i]))
					break;
			}
			if (!vs || i == ARRAY_SIZE(kinds)) {
				const char *h = vs ? diag_suggest(vs, kinds,
						ARRAY_SIZE(kinds)) : NULL;
				yerr(yd, v, "role %s: unknown kind '%s'%s%s%s "
				     "(kinds: ua, proxy, phone, dut)", name,
				     vs ? vs : "", h ? " (did you mean '" : "",
				     h ? h : "", h ? "'?)" : "");
			}
			else {
				r->kind = (enum role_kind)i;
				r->dut = r->kind == ROLE_DUT;
			}
		}
		else if (!strcmp(ks, "user")) {
			ld_dup_scalar(ld, v, &r->user, "user");
		}
		else if (!strcmp(ks, "display")) {
			ld_dup_scalar(ld, v, &r->display, "display");
		}
		else if (!strcmp(ks, "domain")) {
			ld_dup_scalar(ld, v, &r->domain, "domain");
		}
		else if (!strcmp(ks, "record-route")) {
			ybool(yd, v, &r->record_route);
		}
		else if (!strcmp(ks, "retransmit")) {
			bool b;

			if (!ybool(yd, v, &b))
				r->no_retransmit = !b;
		}
		else if (!strcmp(ks, "address")) {
			if (!vs || testbed_parse_addr(&r->decl, &r->decl_tp, vs))
				yerr(yd, v, "role %s: address '%s' is not "
				     "[udp:|tcp:|tls:]HOST[:PORT]", name,
				     vs ? vs : "");
		}
	}

	if (!have_kind)
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
	struct role *r = scenario_role(ld->sc, yscalar(key));
	yaml_node_pair_t *p;

	if (!r || val->type != YAML_MAPPING_NODE)
		return;

	/* a phone sends a tone of its own, so a listener knows who it hears */
	phone_cfg_defaults(&r->cfg);
	r->cfg.tone_hz = 500 + 150 * r->idx;

	YMAP_FOREACH(p, val) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (!ld_phone_key(ks))
			continue;
		/* credentials also serve a scripted ua, and a device a
		 * scripted registrar checks (docs/engine.md, digest) */
		if (r->kind != ROLE_PHONE &&
		    (strcmp(ks, "auth") || r->kind == ROLE_PROXY)) {
			yerr(yd, k, "role %s: '%s' applies to phones (kind: "
			     "phone)%s", r->name, ks, strcmp(ks, "auth") ? ""
			     : ", user agents and devices");
			continue;
		}

		if (ld_phone_cfg(ld, k, v, &r->cfg))
			continue;

		if (!strcmp(ks, "proxy")) {
			r->proxy = vs ? scenario_role(ld->sc, vs) : NULL;
			if (!r->proxy)
				yerr(yd, v, "role %s: proxy: '%s' is not a "
				     "declared role (roles: %H)", r->name,
				     vs ? vs : "", ld_role_names, ld->sc);
			else if (r->proxy == r)
				yerr(yd, v, "role %s: a phone is not its own "
				     "proxy", r->name);
		}
		else if (!strcmp(ks, "impair")) {
			ld_impair(ld, v, &r->impair);
		}
		else if (!strcmp(ks, "impair-sip")) {
			ld_impair(ld, v, &r->impair_sip);
		}
		else if (!strcmp(ks, "record")) {
			ybool(yd, v, &r->record);
		}
		else if (!strcmp(ks, "auth")) {
			testbed_parse_auth(yd, v, &r->auth_user, &r->auth_pass,
					   r->name);
		}
		else if (!strcmp(ks, "codecs")) {
			yaml_node_item_t *it;

			if (ywant(yd, v, YAML_SEQUENCE_NODE, "codecs"))
				continue;
			YSEQ_FOREACH(it, v) {
				yaml_node_t *e = ynode(yd, *it);
				const char *es = yscalar(e);

				if (!es || (str_casecmp(es, "PCMU") &&
					    str_casecmp(es, "PCMA"))) {
					yerr(yd, e, "role %s: codec '%s': a "
					     "phone speaks PCMU and PCMA",
					     r->name, es ? es : "");
					continue;
				}
				ld_add_str(&r->codecs, es, ypos(e));
			}
			if (list_isempty(&r->codecs))
				yerr(yd, v, "role %s: codecs: name at least "
				     "one (PCMU, PCMA)", r->name);
		}
	}
}


static void load_roles(struct loader *ld, const yaml_node_t *n)
{
	yaml_node_pair_t *p;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "roles"))
		return;

	YMAP_FOREACH(p, n)
		load_role(ld, ynode(&ld->yd, p->key), ynode(&ld->yd, p->value));

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


/* rules: {disable: [ids], severity: {id: warning|error}, reason: text} */
static void load_rules(struct loader *ld, const yaml_node_t *n)
{
	static const char *const keys[] = {"disable", "severity", "reason"};
	struct ydoc *yd = &ld->yd;
	bool tuned = false;
	yaml_node_pair_t *p, *q;
	yaml_node_item_t *it;

	if (ywant(yd, n, YAML_MAPPING_NODE, "rules"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *ks;

		if (ykey_check(yd, k, keys, ARRAY_SIZE(keys), "rules"))
			continue;
		ks = yscalar(k);

		if (!strcmp(ks, "reason")) {
			ld_dup_scalar(ld, v, &ld->sc->rules_reason, "reason");
		}
		else if (!strcmp(ks, "disable")) {
			if (ywant(yd, v, YAML_SEQUENCE_NODE, "rules: disable"))
				continue;
			YSEQ_FOREACH(it, v) {
				yaml_node_t *id = ynode(yd, *it);
				if (known_rule(ld, id))
					ld_add_str(&ld->sc->rules_off,
						yscalar(id), ypos(id));
				tuned = true;
			}
		}
		else {
			if (ywant(yd, v, YAML_MAPPING_NODE,
				  "rules: severity"))
				continue;
			YMAP_FOREACH(q, v) {
				yaml_node_t *id = ynode(yd, q->key);
				yaml_node_t *sv = ynode(yd, q->value);
				const char *ss = yscalar(sv);

				tuned = true;
				if (!known_rule(ld, id))
					continue;
				if (ss && !strcmp(ss, "warning"))
					ld_add_str(&ld->sc->rules_warn,
						yscalar(id), ypos(id));
				else if (ss && !strcmp(ss, "error"))
					ld_add_str(&ld->sc->rules_err,
						yscalar(id), ypos(id));
				else
					yerr(yd, sv, "rules: severity of %s "
					     "is warning or error",
					     yscalar(id));
			}
		}
	}

	if (tuned && (!ld->sc->rules_reason || !*ld->sc->rules_reason))
		yerr(yd, n, "rules: say why in reason: when you disable or "
		     "soften a rule");
}


/* timers: {T1: 100ms, T2: 1s, T4: 5s} — RFC 3261's, for this scenario */
static void load_timers(struct loader *ld, const yaml_node_t *n)
{
	struct ydoc *yd = &ld->yd;
	struct sip_timers *t = &ld->sc->timers;
	struct sip_timers full;
	yaml_node_pair_t *p;

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
	struct loader ld;
	struct ydoc src;
	yaml_node_t *root, *roles = NULL, *steps = NULL, *requires = NULL;
	yaml_node_pair_t *p;
	char *buf = NULL;
	int err;

	if (!scp || !file)
		return EINVAL;

	if (!text) {
		err = xp_read(&buf, file);
		if (err == EFBIG)
			diag_err(dg, file, NULL, "not a scenario (larger than "
				 "4 MB)");
		else if (err == EILSEQ)
			diag_err(dg, file, NULL, "not a text file");
		else if (err)
			diag_err(dg, file, NULL, "cannot read: %m", err);
		if (err)
			return err;
		text = buf;
	}

	memset(&ld, 0, sizeof(ld));
	err = ydoc_load(&src, file, text, strlen(text), dg);
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

	YMAP_FOREACH(p, root) {
		yaml_node_t *k = ynode(&ld.yd, p->key);
		yaml_node_t *v = ynode(&ld.yd, p->value);
		const char *ks = yscalar(k);

		if (ykey_check(&ld.yd, k, top_keys, ARRAY_SIZE(top_keys),
			       "scenario"))
			continue;

		if (!strcmp(ks, "roles"))
			roles = v;
		else if (!strcmp(ks, "steps"))
			steps = v;
		else if (!strcmp(ks, "requires"))
			requires = v;
		else if (!strcmp(ks, "scenario"))
			ld_dup_scalar(&ld, v, &ld.sc->name, "scenario");
		else if (!strcmp(ks, "title"))
			ld_dup_scalar(&ld, v, &ld.sc->title, "title");
		else if (!strcmp(ks, "rules"))
			load_rules(&ld, v);
		else if (!strcmp(ks, "timers"))
			load_timers(&ld, v);
		else if (!strcmp(ks, "retransmit")) {
			bool b;

			if (!ybool(&ld.yd, v, &b))
				ld.sc->no_retransmit = !b;
		}
		else if (!strcmp(ks, "source"))
			ld_dup_scalar(&ld, v, &ld.sc->source, "source");
		else if (!strcmp(ks, "timeout")) {
			const char *vs = yscalar(v);
			if (!vs || duration_parse(&ld.sc->timeout_ms, vs) ||
			    !ld.sc->timeout_ms)
				yerr(&ld.yd, v, "timeout: '%s' is not a "
				     "duration (500ms, 2s, 1m)",
				     vs ? vs : "");
		}
		else if (!strcmp(ks, "tags")) {
			yaml_node_item_t *it;

			if (ywant(&ld.yd, v, YAML_SEQUENCE_NODE, "tags"))
				continue;
			YSEQ_FOREACH(it, v) {
				yaml_node_t *t = ynode(&ld.yd, *it);
				if (!ywant(&ld.yd, t, YAML_SCALAR_NODE, "a tag"))
					ld_add_str(&ld.sc->tags, yscalar(t),
						ypos(t));
			}
		}
	}

	if (!roles)
		yerr(&ld.yd, root, "the scenario has no roles:");
	else
		load_roles(&ld, roles);

	/* it names roles: read once they are all declared */
	if (requires)
		capability_load_requires(&ld.yd, requires, ld.sc);

	if (!steps)
		yerr(&ld.yd, root, "the scenario has no steps:");
	else
		load_steps(&ld, steps, NULL, &ld.sc->steps);

	if (!ld.yd.nerr)
		(void)scenario_associate(ld.sc, dg, &ld.yd.nerr);

	if (!ld.sc->name)
		stem(&ld.sc->name, file);

 out:
	err = ld.yd.nerr ? EINVAL : 0;
	ydoc_free(&ld.yd);

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
