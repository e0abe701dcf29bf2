/* engine/load/expand_block.c — include: a block file of steps with its
 * parameters (params: in the block, with: at the include site) */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "ynode.h"
#include "expand.h"
#include "expand_priv.h"
#include "textfile.h"


static const char *const param_kinds[] = {
	"role", "value", "number", "duration",
};

enum pkind { PK_ROLE = 0, PK_VALUE, PK_NUMBER, PK_DURATION };


/** A block's parameter, as its params: declare it */
struct xparam {
	const char *name;
	enum pkind kind;
	const yaml_node_t *def;  /* default: value, or NULL */
	const yaml_node_t *at;
	const yaml_node_t *kind_node; /* kind: as written, or NULL */
};

/** A block's params: as many as it declares */
struct xparams {
	struct xparam *v;        /* one per key of params: (mem) */
	size_t n;
};


/* a parameter's default: a value */
static void param_default(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct xparam *x = w->obj;
	(void)row;
	(void)k;

	if (!ywant(w->yd, v, YAML_SCALAR_NODE, "a default"))
		x->def = v;
}


/* params: {ua: role, expires: {kind: number, default: 3600}} into ps
 * (ps->v is released with mem_deref); ENOMEM, else 0 */
static int load_params(struct ydoc *yd, const yaml_node_t *n,
		       struct xparams *ps)
{
	static const struct ykey rows[] = {
		{"kind",    ykey_node,     offsetof(struct xparam, kind_node)},
		{"default", param_default, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	yaml_node_pair_t *p;
	struct xparam *pv;
	size_t np = 0;

	ps->v = NULL;
	ps->n = 0;
	if (!n || ywant(yd, n, YAML_MAPPING_NODE, "params"))
		return 0;

	pv = mem_zalloc(((size_t)(n->data.mapping.pairs.top -
				  n->data.mapping.pairs.start) + 1) *
			sizeof(*pv), NULL);
	if (!pv)
		return ENOMEM;
	ps->v = pv;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *name = yscalar(k), *kind = NULL;
		struct xparam *x;
		size_t i;

		if (!name || !xp_var_name_ok(name, strlen(name))) {
			yerr(yd, k, "params: '%s' is not a parameter name (a "
			     "letter, then letters, digits, _ or -)",
			     name ? name : "");
			continue;
		}
		x = &pv[np++];
		x->name = name;
		x->kind = PK_VALUE;
		x->def = NULL;
		x->at = k;

		if (yscalar(v)) {
			kind = yscalar(v);
		}
		else if (!ywant(yd, v, YAML_MAPPING_NODE, "a parameter "
				"(a kind, or {kind: K, default: V})")) {
			struct ywalk w = {.yd = yd, .obj = x, .where = name};

			(void)ymap_walk(&w, v, &keys);
			kind = yscalar(x->kind_node);
		}
		if (!kind)
			continue;

		for (i = 0; i < ARRAY_SIZE(param_kinds); i++) {
			if (!strcmp(kind, param_kinds[i]))
				break;
		}
		if (i == ARRAY_SIZE(param_kinds)) {
			yerr(yd, v, "params: %s: unknown kind '%s' (kinds: "
			     "role, value, number, duration)", name, kind);
			continue;
		}
		x->kind = (enum pkind)i;
		if (x->kind == PK_ROLE && x->def)
			yerr(yd, x->def, "params: %s: a role has no default",
			     name);
	}
	ps->n = np;

	return 0;
}


/* a value fits its parameter's kind; else the reason */
static const char *kind_misfit(const struct xp *xp, enum pkind kind,
			       const char *v)
{
	uint32_t ms;
	size_t i;

	switch (kind) {

	case PK_ROLE:
		for (i = 0; i < xp->nroles; i++) {
			if (!strcmp(xp->roles[i], v))
				return NULL;
		}
		return "is not a declared role";

	case PK_NUMBER:
		if (!*v)
			return "is not a number";
		for (i = 0; v[i]; i++) {
			if (!isdigit((unsigned char)v[i]))
				return "is not a number";
		}
		return NULL;

	case PK_DURATION:
		return duration_parse(&ms, v) || !ms
			       ? "is not a duration (500ms, 2s, 1m)" : NULL;

	default:
		return NULL;
	}
}


static int role_list(struct re_printf *pf, const struct xp *xp)
{
	size_t i;
	int err = 0;

	for (i = 0; i < xp->nroles && !err; i++)
		err = re_hprintf(pf, "%s%s", i ? ", " : "", xp->roles[i]);

	return err;
}


static int param_list(struct re_printf *pf, const struct xparams *ps)
{
	size_t i;
	int err = 0;

	for (i = 0; i < ps->n && !err; i++)
		err = re_hprintf(pf, "%s%s", i ? ", " : "", ps->v[i].name);

	return ps->n ? err : re_hprintf(pf, "none");
}


/* dir/../x and ./x folded, so errors name the file plainly */
static void path_clean(char *path)
{
	size_t n = 0, i, keep = 0, nseg = 1;
	bool abs = path[0] == '/';
	char *p, *save = NULL, *buf = NULL, **seg;

	/* a segment after each '/', however deep the path */
	for (p = path; *p; p++)
		nseg += *p == '/';
	seg = mem_zalloc(nseg * sizeof(*seg), NULL);
	if (!seg || str_dup(&buf, path)) {
		mem_deref(seg);
		return;
	}

	for (p = strtok_r(buf, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (!strcmp(p, "."))
			continue;
		if (!strcmp(p, "..") && n > keep) {
			--n;
			continue;
		}
		if (!strcmp(p, ".."))
			keep = n + 1;
		seg[n++] = p;
	}

	p = path;
	if (abs)
		*p++ = '/';
	for (i = 0; i < n; i++) {
		size_t l = strlen(seg[i]);

		memmove(p, seg[i], l);
		p += l;
		if (i + 1 < n)
			*p++ = '/';
	}
	if (p == path)
		*p++ = '.';
	*p = '\0';
	mem_deref(buf);
	mem_deref(seg);
}


/* the include's file: relative to the file that includes it */
static char *include_path(const char *from, const char *rel)
{
	const char *slash = strrchr(from, '/');
	char *path = NULL;

	if (rel[0] == '/' || !slash)
		str_dup(&path, rel);
	else
		re_sdprintf(&path, "%b/%s", from, (size_t)(slash - from),
			    rel);
	if (path)
		path_clean(path);

	return path;
}


/* "ua: A, expires: 60" as the include site gave them */
static int with_print(struct re_printf *pf, const struct xscope *b)
{
	struct le *le;
	int err = 0;

	for (le = b->vars.head; le && !err; le = le->next) {
		const struct var_arg *v = le->data;

		err = re_hprintf(pf, "%s%s: %s", le == b->vars.head ? "" :
				 ", ", v->name, v->value);
	}

	return err;
}


/* bind the include site's with: to the block's params */
static bool bind_params(struct xp *xp, struct xscope *s, struct xscope *b,
			const yaml_node_t *site, const yaml_node_t *with,
			const char *rel, const struct xparams *ps)
{
	const struct xparam *pv = ps->v;
	size_t np = ps->n;
	const char **names;
	const yaml_node_t **given;
	yaml_node_pair_t *p;
	bool ok = true;
	size_t i;

	/* a name and a given value for each parameter, however many */
	names = mem_zalloc((np + 1) * sizeof(*names), NULL);
	given = mem_zalloc((np + 1) * sizeof(*given), NULL);
	if (!names || !given) {
		mem_deref(names);
		mem_deref(given);
		return false;
	}
	for (i = 0; i < np; i++)
		names[i] = pv[i].name;

	if (with && !ywant(s->src, with, YAML_MAPPING_NODE, "with")) {
		YMAP_FOREACH(p, with) {
			yaml_node_t *k = ynode(s->src, p->key);
			const char *ks = yscalar(k), *h;

			for (i = 0; ks && i < np; i++) {
				if (!strcmp(ks, pv[i].name))
					break;
			}
			if (ks && i < np) {
				given[i] = ynode(s->src, p->value);
				continue;
			}
			h = ks ? diag_suggest(ks, names, np) : NULL;
			yerr(s->src, k, "include %s: unknown parameter '%s'"
			     "%s%s%s (params: %H)", rel, ks ? ks : "",
			     h ? " (did you mean '" : "", h ? h : "",
			     h ? "'?)" : "", param_list, ps);
			ok = false;
		}
	}

	for (i = 0; i < np; i++) {
		const yaml_node_t *v = given[i];
		const char *why;
		char *val;

		if (!v && !pv[i].def) {
			yerr(s->src, site, "include %s: missing parameter "
			     "'%s' (params: %H)", rel, pv[i].name, param_list,
			     ps);
			ok = false;
			continue;
		}
		if (!v) {
			xp_var_set(b, pv[i].name, yscalar(pv[i].def));
			continue;
		}
		if (!yscalar(v)) {
			ywant(s->src, v, YAML_SCALAR_NODE, "a parameter's "
			      "value");
			ok = false;
			continue;
		}
		val = xp_subst(s, v, yscalar(v));
		if (!val) {
			ok = false;
			continue;
		}
		why = kind_misfit(xp, pv[i].kind, val);
		if (why) {
			yerr(s->src, v, "include %s: %s: '%s' %s%s%H%s", rel,
			     pv[i].name, val, why,
			     pv[i].kind == PK_ROLE ? " (roles: " : "",
			     pv[i].kind == PK_ROLE ? role_list : NULL, xp,
			     pv[i].kind == PK_ROLE ? ")" : "");
			ok = false;
		}
		xp_var_set(b, pv[i].name, val);
		mem_deref(val);
	}

	mem_deref(names);
	mem_deref(given);
	return ok;
}


/** An include site's keys, as written */
struct xsite {
	const yaml_node_t *at, *with;
};


/* each include: reads and parses its file: blocks including blocks 50
 * times over, 4 deep, would read 6 million; a repeat: of a 3 MB block
 * read 3 GB. An include (len 0), then the bytes it read: true past the
 * bound (said once, and the expansion stops) */
static bool include_budget(struct xp *xp, struct xscope *s,
			   const yaml_node_t *at, const char *rel, size_t len)
{
	if (!len)
		++xp->nincl;
	xp->nread += len;
	if (xp->nincl <= XP_INCLUDES_MAX && xp->nread <= XP_INCLUDED_MAX)
		return false;

	if (!xp->full)
		yerr(s->src, at, "include %s: %s in one flow (a repeat: or "
		     "blocks that include blocks many times over)", rel,
		     xp->nincl > XP_INCLUDES_MAX ? "more than 10000 includes"
		     : "more than 64 MB of included files");
	xp->full = true;

	return true;
}


/* - include: blocks/register.yaml
 *   with: {ua: A, registrar: P} */
void xp_include(struct xp *xp, struct xscope *s,
			   const yaml_node_t *n, int seq)
{
	static const struct ykey rows[] = {
		{"include", ykey_node, offsetof(struct xsite, at)},
		{"with",    ykey_node, offsetof(struct xsite, with)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct xsite site_keys = {NULL, NULL};
	struct ywalk w = {.yd = s->src, .obj = &site_keys,
			  .where = "include"};
	const yaml_node_t *at, *with;
	const yaml_node_t *root, *steps, *params, *vars;
	struct xparams ps = {NULL, 0};
	struct xscope b;
	struct ydoc yd;
	char *rel = NULL, *path = NULL, *text = NULL, *chain = NULL;
	char *site = NULL, *from = NULL;
	struct srcpos sp;
	const struct xscope *t;
	const char *why;
	size_t len;
	int err;

	memset(&b, 0, sizeof(b));
	memset(&yd, 0, sizeof(yd));

	(void)ymap_walk(&w, n, &keys);
	at = site_keys.at;
	with = site_keys.with;
	if (!at || ywant(s->src, at, YAML_SCALAR_NODE, "include"))
		return;

	rel = xp_subst(s, at, yscalar(at));
	if (!rel)
		return;
	path = include_path(s->path, rel);
	if (!path)
		goto out;

	if (s->depth + 1 > XP_DEPTH) {
		yerr(s->src, at, "include %s: includes nested deeper than %u",
		     rel, (unsigned)XP_DEPTH);
		goto out;
	}

	if (include_budget(xp, s, at, rel, 0))
		goto out;

	err = textfile_read(&text, &len, path, XP_FILE_MAX, &why);
	if (err) {
		yerr(s->src, at, "include %s: cannot read %s: %s", rel, path,
		     why ? why : err == EFBIG ? "larger than 4 MB"
		     : strerror(err));
		goto out;
	}
	if (include_budget(xp, s, at, rel, len))
		goto out;

	b.real = NULL;
	{
		char *rp = realpath(path, NULL);

		if (rp) {
			str_dup(&b.real, rp);
			free(rp);
		}
	}
	for (t = s; t && b.real; t = t->up) {
		if (t->real && !strcmp(t->real, b.real)) {
			yerr(s->src, at, "include %s: include cycle (%s is "
			     "already being included)", rel, path);
			goto out;
		}
	}

	sp = ypos(at);
	re_sdprintf(&site, "included from %s:%u:%u", s->org->file, sp.line,
		    sp.col);
	re_sdprintf(&from, " (%s%s%s)", site, *xp_chain(s->org) ? "; " : "",
		    xp_chain(s->org));
	if (!site || !from)
		goto out;

	/* where it is included from, for its errors */
	b.up = s;
	b.file_top = true;
	b.path = path;
	b.depth = s->depth + 1;
	b.base = xp->fmax;
	b.suffix = s->suffix;
	b.src = &yd;

	if (ydoc_load_from(&yd, path, text, len, from, xp->dg))
		goto out;

	root = ydoc_root(&yd);
	if (!root || root->type != YAML_MAPPING_NODE ||
	    !xp_is_block(&yd)) {
		yerr(s->src, at, "include %s: %s is not a block (a block "
		     "file has block: NAME, params: and steps:)", rel, path);
		goto out;
	}

	/* its keys were checked by xp_check_block where it was linted */
	steps = ymap_value(&yd, root, "steps");
	params = ymap_value(&yd, root, "params");
	vars = ymap_value(&yd, root, "vars");

	if (load_params(&yd, params, &ps) ||
	    !bind_params(xp, s, &b, n, with, rel, &ps) || yd.nerr)
		goto out;

	re_sdprintf(&chain, "%s%s%H%s%s", site,
		    list_isempty(&b.vars) ? "" : " with ", with_print, &b,
		    *xp_chain(s->org) ? "; " : "", xp_chain(s->org));
	b.org = xp_origin(xp, path, chain, s->suffix, s->org->again);
	if (!b.org)
		goto out;
	yd.from = b.org->from;

	if (vars)
		xp_load_vars(xp, &b, vars);
	if (!steps)
		yerr(&yd, root, "the block has no steps:");
	else if (!ywant(&yd, steps, YAML_SEQUENCE_NODE, "steps"))
		xp_copy_steps(xp, &b, steps, seq);

 out:
	mem_deref(ps.v);
	xp->nerr += yd.nerr;
	ydoc_free(&yd);
	xp_scope_close(&b);
	mem_deref(chain);
	mem_deref(site);
	mem_deref(from);
	mem_deref(text);
	mem_deref(path);
	mem_deref(rel);
}


/** The document is a block (a top-level block: key), not a flow */
bool xp_is_block(struct ydoc *src)
{
	return ymap_value(src, ydoc_root(src), "block") != NULL;
}


/* a block's params: — checked for themselves */
static void block_params(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct xparams ps = {NULL, 0};
	(void)row;
	(void)k;

	(void)load_params(w->yd, v, &ps);
	mem_deref(ps.v);
}


static void block_steps(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	*(bool *)w->obj = !ywant(w->yd, v, YAML_SEQUENCE_NODE, "steps");
}


/* block: NAME */
static void block_name(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;

	if (!(yscalar(v) && *yscalar(v)))
		yerr(w->yd, v, "block: give the block a name");
}


static void block_vars(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	(void)ywant(w->yd, v, YAML_MAPPING_NODE, "vars");
}


/** Check what a block says of itself (its keys, name, params); its
 *  steps are checked where it is included, with the parameters given */
int xp_check_block(struct ydoc *src)
{
	static const struct ykey rows[] = {
		{"block",       block_name,   0},
		{"title",       NULL,         0},
		{"source",      NULL,         0},
		{"description", NULL,         0},
		{"params",      block_params, 0},
		{"vars",        block_vars,   0},
		{"steps",       block_steps,  0},
	};
	static const struct ykeys keys = YKEYS(rows);
	yaml_node_t *root = ydoc_root(src);
	unsigned before = src->nerr;
	bool steps = false;
	struct ywalk w = {.yd = src, .obj = &steps, .where = "block"};

	(void)ymap_walk(&w, root, &keys);
	if (!steps && src->nerr == before)
		yerr(src, root, "the block has no steps:");

	return src->nerr > before ? EINVAL : 0;
}
