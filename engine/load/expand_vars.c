/* engine/load/expand_vars.c — variables of a flow: vars:, --var, a
 * block's parameters and a repeat:'s counter, each ${name} replaced in
 * the values it is used in (an undefined one named at its place, with
 * the ones there are) */
#include <stddef.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"
#include "expand.h"
#include "expand_priv.h"
#include "nameidx.h"


static void var_arg_destructor(void *data)
{
	struct var_arg *a = data;

	list_unlink(&a->le);
	mem_deref(a->name);
	mem_deref(a->value);
}


bool xp_var_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;

	for (i = 1; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-')
			return false;
	}

	return true;
}


static const struct var_arg *var_find(const struct xscope *s, const char *p,
				   size_t n)
{
	for (; s; s = s->up) {
		const struct var_arg *v = nameidx_find(s->vidx, p, n);

		if (v)
			return v;
		if (s->file_top)
			break;
	}

	return NULL;
}


int xp_var_set(struct xscope *s, const char *name, const char *value)
{
	struct var_arg *v = mem_zalloc(sizeof(*v), var_arg_destructor);

	if (!v)
		return ENOMEM;

	if (str_dup(&v->name, name) || str_dup(&v->value, value)) {
		mem_deref(v);
		return ENOMEM;
	}
	list_append(&s->vars, &v->le, v);
	if (nameidx_add(&s->vidx, v->name, v)) {
		list_unlink(&v->le);
		mem_deref(v);
		return ENOMEM;
	}

	return 0;
}


/* "(variables: a, b)" and a suggestion, for an undefined one */
static int var_names(struct re_printf *pf, const struct xscope *s)
{
	const struct xscope *t;
	const char *sep = "";
	int err = 0;

	for (t = s; t; t = t->up) {
		struct le *le;

		for (le = t->vars.head; le && !err; le = le->next) {
			const struct var_arg *v = le->data;

			err = re_hprintf(pf, "%s%s", sep, v->name);
			sep = ", ";
		}
		if (t->file_top)
			break;
	}

	return *sep ? err : re_hprintf(pf, "none");
}


static const char *var_suggest(const struct xscope *s, const char *name)
{
	const struct xscope *t;
	const char **v, *h;
	size_t n = 0;

	/* every variable in sight is a candidate, however many */
	for (t = s; t; t = t->up) {
		n += list_count(&t->vars);
		if (t->file_top)
			break;
	}
	v = mem_zalloc((n + 1) * sizeof(*v), NULL);
	if (!v)
		return NULL;

	n = 0;
	for (t = s; t; t = t->up) {
		struct le *le;

		for (le = t->vars.head; le; le = le->next)
			v[n++] = ((const struct var_arg *)le->data)->name;
		if (t->file_top)
			break;
	}

	h = diag_suggest(name, v, n);
	mem_deref(v);

	return h;
}


/* where in a scalar's text offset off is: a flow scalar on one line
 * counts columns, anything else points at the scalar */
static struct srcpos text_pos(const yaml_node_t *n, const char *text,
			      size_t off)
{
	struct srcpos pos = ypos(n);
	yaml_scalar_style_t st = n->data.scalar.style;

	if (memchr(text, '\n', off))
		return pos;

	if (st == YAML_PLAIN_SCALAR_STYLE)
		pos.col += (unsigned)off;
	else if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		 st == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		pos.col += (unsigned)off + 1;

	return pos;
}


/** ${name} replaced by its value; $${ writes ${. NULL after an error */
char *xp_subst(struct xscope *s, const yaml_node_t *n, const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text) + 16);
	const char *p = text;
	char *out = NULL;
	bool bad = false;

	if (!mb)
		return NULL;

	while (*p) {
		const char *d = strstr(p, "${"), *close;
		const struct var_arg *v;
		size_t nl;

		if (!d) {
			mbuf_write_str(mb, p);
			break;
		}
		if (d > p && d[-1] == '$') {
			/* $${ is a literal ${ */
			mbuf_write_mem(mb, (const uint8_t *)p,
				       (size_t)(d - 1 - p));
			mbuf_write_str(mb, "${");
			p = d + 2;
			continue;
		}
		mbuf_write_mem(mb, (const uint8_t *)p, (size_t)(d - p));

		close = strchr(d + 2, '}');
		nl = close ? (size_t)(close - d - 2) : 0;
		if (!close || !xp_var_name_ok(d + 2, nl)) {
			char *m = NULL;

			re_sdprintf(&m, "'${' starts a variable: ${name} "
				    "(a letter, then letters, digits, _ or "
				    "-); write $${ for a literal ${");
			yerr_pos(s->src, n, text_pos(n, text,
				 (size_t)(d - text)), m);
			mem_deref(m);
			bad = true;
			break;
		}

		v = var_find(s, d + 2, nl);
		if (!v) {
			char *name = NULL, *m = NULL;
			const char *h;

			re_sdprintf(&name, "%b", d + 2, nl);
			h = name ? var_suggest(s, name) : NULL;
			re_sdprintf(&m, "undefined variable ${%s}%s%s%s "
				    "(variables: %H)", name,
				    h ? " (did you mean ${" : "", h ? h : "",
				    h ? "}?)" : "", var_names, s);
			yerr_pos(s->src, n, text_pos(n, text,
				 (size_t)(d - text)), m);
			mem_deref(m);
			mem_deref(name);
			bad = true;
		}
		else if (mb->end + strlen(v->value) > XP_VALUE_MAX) {
			/* variables of variables: 4^n bytes */
			char *m = NULL;

			re_sdprintf(&m, "the value is longer than 1 MB once "
				    "${%s} is replaced (variables of "
				    "variables?)", v->name);
			yerr_pos(s->src, n, text_pos(n, text,
				 (size_t)(d - text)), m);
			mem_deref(m);
			bad = true;
			break;
		}
		else {
			mbuf_write_str(mb, v->value);
		}
		p = close + 1;
	}

	if (!bad) {
		mbuf_set_pos(mb, 0);
		mbuf_strdup(mb, &out, mbuf_get_left(mb));
	}
	mem_deref(mb);

	return out;
}


/* vars: {name: value, …}: each value may use the ones before it; a
 * --var of that name wins (taken as given) */
void xp_load_vars(struct xp *xp, struct xscope *s, const yaml_node_t *n)
{
	yaml_node_pair_t *p;

	if (ywant(s->src, n, YAML_MAPPING_NODE, "vars"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(s->src, p->key);
		yaml_node_t *v = ynode(s->src, p->value);
		const char *name = yscalar(k);
		struct var_arg *arg = NULL;
		struct le *le;
		char *val;

		if (!name || !xp_var_name_ok(name, strlen(name))) {
			yerr(s->src, k, "vars: '%s' is not a variable name "
			     "(a letter, then letters, digits, _ or -)",
			     name ? name : "");
			continue;
		}
		if (var_find(s, name, strlen(name))) {
			yerr(s->src, k, "vars: %s is defined twice", name);
			continue;
		}
		if (!yscalar(v)) {
			ywant(s->src, v, YAML_SCALAR_NODE, "a variable's "
			      "value");
			continue;
		}

		for (le = xp->args ? xp->args->head : NULL; le;
		     le = le->next) {
			struct var_arg *a = le->data;

			if (s->depth == 0 && !strcmp(a->name, name))
				arg = a;
		}
		if (arg) {
			++arg->used;
			xp_var_set(s, name, arg->value);
			continue;
		}

		/* after an error (reported), the value as written: its
		 * uses are not "undefined" too */
		val = xp_subst(s, v, yscalar(v));
		xp_var_set(s, name, val ? val : yscalar(v));
		mem_deref(val);
	}
}


/** --var NAME=VALUE onto l (struct var_arg); EINVAL if not that shape */
int var_arg_add(struct list *l, const char *arg)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;
	struct var_arg *a;

	if (!eq || !xp_var_name_ok(arg, (size_t)(eq - arg)))
		return EINVAL;

	a = mem_zalloc(sizeof(*a), var_arg_destructor);
	if (!a)
		return ENOMEM;
	if (re_sdprintf(&a->name, "%b", arg, (size_t)(eq - arg)) ||
	    str_dup(&a->value, eq + 1)) {
		mem_deref(a);
		return ENOMEM;
	}
	list_append(l, &a->le, a);

	return 0;
}
