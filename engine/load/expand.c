/* engine/load/expand.c — include:, vars: and repeat: expanded into one YAML
 * document before the loader reads it
 *
 * The loader (load.c, load_step.c, load_do.c) knows nothing of blocks,
 * variables or loops: it reads the expanded document as if the flow had
 * been written out in full. Every node of that document keeps the start
 * mark of the node it was copied from and an origin (the file it was
 * written in, "(included from …)", a repeat's id suffix), so an error is
 * still reported at file:line:column where the mistake was written.
 *
 * Step ids: a block's steps are numbered F1, F2 … in the block and
 * continue the flow's numbering where it is included (the highest number
 * so far plus the block's own); a repeat: iteration appends ".k" (F3.2).
 * answers:/forwards: inside a block or a loop follow their step's new id.
 * See docs/scenario-format.md, "Blocks, variables and loops".
 * The copy, step ids and repeat: share the scope and origin machinery;
 * variables (vars:, --var, ${name}) are expand_vars.c, include: and its
 * params expand_block.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "ynode.h"
#include "expand.h"
#include "expand_priv.h"
#include "nameidx.h"
#include "stepkind.h"


/** A step id as written in a scope, and what it became */
struct xid {
	struct le le;
	char *local;
	char *final;
};

/** An origin, owned by the expansion */
struct xorg {
	struct yorigin o;        /* first: an origin is its xorg */
	struct le le;
	char *file, *from, *chain, *suffix;
};


static void xid_destructor(void *data)
{
	struct xid *x = data;

	list_unlink(&x->le);
	mem_deref(x->local);
	mem_deref(x->final);
}


static void xorg_destructor(void *data)
{
	struct xorg *g = data;

	list_unlink(&g->le);
	mem_deref(g->file);
	mem_deref(g->from);
	mem_deref(g->chain);
	mem_deref(g->suffix);
}


static void xp_destructor(void *data)
{
	struct xp *xp = data;

	list_flush(&xp->origins);
	mem_deref(xp->orig);
	mem_deref(xp->roles);
}


void xp_scope_close(struct xscope *s)
{
	s->vidx = mem_deref(s->vidx);  /* it points into the vars */
	s->iidx = mem_deref(s->iidx);
	list_flush(&s->vars);
	list_flush(&s->ids);
	s->real = mem_deref(s->real);
}


const struct yorigin *xp_origin(struct xp *xp, const char *file,
					 const char *chain,
					 const char *suffix, bool again)
{
	struct xorg *g = mem_zalloc(sizeof(*g), xorg_destructor);

	if (!g)
		return NULL;

	if (str_dup(&g->file, file) ||
	    str_dup(&g->chain, chain ? chain : "") ||
	    str_dup(&g->suffix, suffix ? suffix : "") ||
	    (chain && *chain ? re_sdprintf(&g->from, " (%s)", chain)
			     : str_dup(&g->from, ""))) {
		mem_deref(g);
		return NULL;
	}

	g->o.file = g->file;
	g->o.from = g->from;
	g->o.suffix = g->suffix;
	g->o.again = again;
	list_append(&xp->origins, &g->le, g);

	return &g->o;
}


const char *xp_chain(const struct yorigin *o)
{
	return o ? ((const struct xorg *)(const void *)o)->chain : "";
}


/* a new node of the output: keep the source's place and its origin */
static int stamp(struct xp *xp, int id, const yaml_node_t *n,
		 const struct xscope *s)
{
	yaml_node_t *o;

	if (!id)
		return ENOMEM;

	o = yaml_document_get_node(&xp->out->doc, id);
	o->start_mark = n->start_mark;
	o->end_mark = n->end_mark;

	if ((size_t)id > xp->cap) {
		size_t cap = xp->cap ? xp->cap * 2 : 256;
		const struct yorigin **v;

		while (cap < (size_t)id)
			cap *= 2;
		v = xp->orig ? mem_realloc(xp->orig, cap * sizeof(*v))
			     : mem_zalloc(cap * sizeof(*v), NULL);
		if (!v)
			return ENOMEM;
		xp->orig = v;
		xp->cap = cap;
	}
	xp->orig[id - 1] = s->org;
	if ((size_t)id > xp->norig)
		xp->norig = (size_t)id;

	return 0;
}


/* the expansion stops at a bound, said once at the node past it */
static void full(struct xp *xp, struct xscope *s, const yaml_node_t *n,
		 const char *what)
{
	/* outside a repeat: there is none to lower */
	if (!xp->full)
		yerr(s->src, n, "the expanded flow is too large (%s): %s",
		     what, s->suffix && *s->suffix ? "lower a repeat: count"
		     : "split it into several flows");
	xp->full = true;
}


/* bounded: a repeat: in a repeat: must not eat the machine */
static bool too_big(struct xp *xp, struct xscope *s, const yaml_node_t *n)
{
	size_t nodes = (size_t)(xp->out->doc.nodes.top -
				xp->out->doc.nodes.start);
	char what[64];

	if (nodes < XP_NODES_MAX)
		return false;

	re_snprintf(what, sizeof(what), "more than %u YAML nodes",
		    (unsigned)XP_NODES_MAX);
	full(xp, s, n, what);

	return true;
}


static int copy_node(struct xp *xp, struct xscope *s, const yaml_node_t *n);


static int add_scalar(struct xp *xp, struct xscope *s, const yaml_node_t *n,
		      const char *text)
{
	size_t len = strlen(text);
	int id;

	/* a long value copied by every include: and repeat: */
	xp->text += len;
	if (xp->text > XP_TEXT_MAX) {
		full(xp, s, n, "more than 64 MB of text");
		return 0;
	}

	id = yaml_document_add_scalar(&xp->out->doc, n->tag,
				      (yaml_char_t *)(uintptr_t)text,
				      (int)len, n->data.scalar.style);

	return stamp(xp, id, n, s) ? 0 : id;
}


static int copy_scalar(struct xp *xp, struct xscope *s, const yaml_node_t *n)
{
	char *v = xp_subst(s, n, yscalar(n));
	int id;

	/* keep the node (its text as written) so the loader sees a whole
	 * document; the error is already counted */
	id = add_scalar(xp, s, n, v ? v : yscalar(n));
	mem_deref(v);

	return id;
}


static int add_container(struct xp *xp, struct xscope *s,
			 const yaml_node_t *n)
{
	int id;

	if (n->type == YAML_SEQUENCE_NODE)
		id = yaml_document_add_sequence(&xp->out->doc, n->tag,
					n->data.sequence.style);
	else
		id = yaml_document_add_mapping(&xp->out->doc, n->tag,
					n->data.mapping.style);

	return stamp(xp, id, n, s) ? 0 : id;
}


/* a node as it is, but with variables replaced */
static int copy_node(struct xp *xp, struct xscope *s, const yaml_node_t *n)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	int id;

	if (!n || too_big(xp, s, n))
		return 0;

	if (n->type == YAML_SCALAR_NODE)
		return copy_scalar(xp, s, n);

	id = add_container(xp, s, n);
	if (!id)
		return 0;

	if (n->type == YAML_SEQUENCE_NODE) {
		YSEQ_FOREACH(it, n) {
			int c = copy_node(xp, s, ynode(s->src, *it));

			if (c)
				yaml_document_append_sequence_item(
					&xp->out->doc, id, c);
		}
		return id;
	}

	YMAP_FOREACH(p, n) {
		int k = copy_node(xp, s, ynode(s->src, p->key));
		int v = copy_node(xp, s, ynode(s->src, p->value));

		if (k && v)
			yaml_document_append_mapping_pair(&xp->out->doc, id,
							  k, v);
	}

	return id;
}


/* the number in a step id (F12a → 12), 0 if none */
static unsigned id_number(const char *id, size_t *pre, size_t *len)
{
	size_t i = 0, j;
	unsigned long n;

	while (isalpha((unsigned char)id[i]))
		i++;
	for (j = i; isdigit((unsigned char)id[j]); j++)
		;
	if (!i || j == i || j - i > 6)
		return 0;

	n = strtoul(id + i, NULL, 10);
	if (pre)
		*pre = i;
	if (len)
		*len = j - i;

	return (unsigned)n;
}


/* a message step's id in its scope: renumbered, suffixed, recorded */
static int step_id(struct xp *xp, struct xscope *s, const yaml_node_t *k,
		   const char *local)
{
	size_t pre = 0, len = 0;
	unsigned n = id_number(local, &pre, &len);
	char *final = NULL;
	struct xid *x;
	int id;

	if (n && s->base)
		re_sdprintf(&final, "%b%u%s%s", local, pre, n + s->base,
			    local + pre + len, s->suffix);
	else
		re_sdprintf(&final, "%s%s", local, s->suffix);
	if (!final)
		return 0;

	n = id_number(final, NULL, NULL);
	if (n > xp->fmax)
		xp->fmax = n;

	x = mem_zalloc(sizeof(*x), xid_destructor);
	if (x && !str_dup(&x->local, local)) {
		x->final = mem_ref(final);
		list_append(&s->ids, &x->le, x);
		(void)nameidx_set(&s->iidx, x->local, x);
	}
	else {
		mem_deref(x);
	}

	id = add_scalar(xp, s, k, final);
	mem_deref(final);

	return id;
}


/* answers: F3 / forwards: F3 name the step as it was renamed */
static int step_ref(struct xp *xp, struct xscope *s, const yaml_node_t *v)
{
	const struct xscope *t;
	char *local;
	int id = 0;

	if (!yscalar(v))
		return copy_node(xp, s, v);
	local = xp_subst(s, v, yscalar(v));
	if (!local)
		return add_scalar(xp, s, v, yscalar(v));

	for (t = s; t && !id; t = t->up) {
		const struct xid *x = nameidx_find(t->iidx, local,
						   strlen(local));

		if (x)
			id = add_scalar(xp, s, v, x->final);
		if (t->file_top)
			break;
	}
	if (!id)
		id = add_scalar(xp, s, v, local);
	mem_deref(local);

	return id;
}


static const char *first_key(struct ydoc *yd, const yaml_node_t *n)
{
	if (!n || n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.start == n->data.mapping.pairs.top)
		return NULL;

	return yscalar(ynode(yd, n->data.mapping.pairs.start->key));
}


/* one step (not an include: or a repeat:) */
static int copy_step(struct xp *xp, struct xscope *s, const yaml_node_t *n)
{
	const char *k0 = first_key(s->src, n);
	const struct step_kind *kind;
	bool msg, group;
	yaml_node_pair_t *p;
	int id;

	if (!k0 || too_big(xp, s, n))
		return copy_node(xp, s, n);

	/* a kind's key (wait:, event: …) is no id to renumber; any-order:
	 * holds steps */
	kind = step_kind_find(k0);
	group = kind && kind->holds_steps;
	msg = !kind;

	id = add_container(xp, s, n);
	if (!id)
		return 0;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(s->src, p->key);
		yaml_node_t *v = ynode(s->src, p->value);
		const char *ks = yscalar(k);
		int ki, vi;

		if (p == n->data.mapping.pairs.start && msg) {
			char *local = xp_subst(s, k, k0);

			ki = local ? step_id(xp, s, k, local)
				   : add_scalar(xp, s, k, k0);
			mem_deref(local);
		}
		else {
			ki = copy_node(xp, s, k);
		}

		if (p == n->data.mapping.pairs.start && group &&
		    v->type == YAML_SEQUENCE_NODE) {
			vi = add_container(xp, s, v);
			if (vi)
				xp_copy_steps(xp, s, v, vi);
		}
		else if (msg && ks && (!strcmp(ks, "answers") ||
				       !strcmp(ks, "forwards")))
			vi = step_ref(xp, s, v);
		else
			vi = copy_node(xp, s, v);

		if (ki && vi)
			yaml_document_append_mapping_pair(&xp->out->doc, id,
							  ki, vi);
	}

	return id;
}


/** A repeat:'s keys, as written */
struct xrepeat {
	const yaml_node_t *cnt, *as, *body;
};


/* - repeat: 3
 *   as: i          (the default)
 *   steps: […]     (${i} is 1, 2, 3; F3 becomes F3.1, F3.2, F3.3) */
static void expand_repeat(struct xp *xp, struct xscope *s,
			  const yaml_node_t *n, int seq)
{
	static const struct ykey rows[] = {
		{"repeat", ykey_node, offsetof(struct xrepeat, cnt)},
		{"as",     ykey_node, offsetof(struct xrepeat, as)},
		{"steps",  ykey_node, offsetof(struct xrepeat, body)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct xrepeat r = {NULL, NULL, NULL};
	struct ywalk w = {.yd = s->src, .obj = &r, .where = "repeat"};
	const yaml_node_t *cnt, *body, *as;
	const char *var = "i";
	unsigned long count = 0, k;
	unsigned fmax;
	char *cs, *end = NULL;

	(void)ymap_walk(&w, n, &keys);
	cnt = r.cnt;
	as = r.as;
	body = r.body;

	if (ywant(s->src, cnt, YAML_SCALAR_NODE, "repeat"))
		return;
	cs = xp_subst(s, cnt, yscalar(cnt));
	if (!cs)
		return;
	if (*cs && isdigit((unsigned char)*cs))
		count = strtoul(cs, &end, 10);
	if (!end || *end || count < 1 || count > XP_REPEAT_MAX) {
		yerr(s->src, cnt, "repeat: '%s' is not a count from 1 to %u",
		     cs, (unsigned)XP_REPEAT_MAX);
		count = 0;
	}
	mem_deref(cs);

	if (as) {
		var = yscalar(as);
		if (!var || !xp_var_name_ok(var, strlen(var))) {
			yerr(s->src, as, "repeat: as: '%s' is not a variable "
			     "name", var ? var : "");
			return;
		}
	}
	if (!body) {
		yerr(s->src, n, "repeat: has no steps:");
		return;
	}
	if (ywant(s->src, body, YAML_SEQUENCE_NODE, "repeat: steps") ||
	    !count)
		return;
	if (body->data.sequence.items.start == body->data.sequence.items.top) {
		yerr(s->src, body, "repeat: steps: no steps");
		return;
	}

	/* every iteration numbers its steps as the first one does */
	fmax = xp->fmax;
	for (k = 1; k <= count && !xp->full; k++) {
		struct xscope l;
		char num[16], *suffix = NULL;

		memset(&l, 0, sizeof(l));
		l.up = s;
		l.src = s->src;
		l.path = s->path;
		l.depth = s->depth;
		l.base = s->base;
		re_snprintf(num, sizeof(num), "%lu", k);
		re_sdprintf(&suffix, "%s.%lu", s->suffix, k);
		l.suffix = suffix ? suffix : "";
		l.org = xp_origin(xp, s->org->file, xp_chain(s->org),
				   l.suffix, k > 1 || s->org->again);
		xp->fmax = fmax;
		if (l.org && !xp_var_set(&l, var, num))
			xp_copy_steps(xp, &l, body, seq);
		xp_scope_close(&l);
		mem_deref(suffix);
	}
}


/* a list of steps: include: and repeat: items become the steps they
 * stand for, in place */
void xp_copy_steps(struct xp *xp, struct xscope *s, const yaml_node_t *n,
		       int seq)
{
	yaml_node_item_t *it;

	YSEQ_FOREACH(it, n) {
		yaml_node_t *st = ynode(s->src, *it);
		const char *k0 = first_key(s->src, st);
		int id;

		if (xp->full)
			return;
		if (k0 && !strcmp(k0, "include")) {
			xp_include(xp, s, st, seq);
			continue;
		}
		if (k0 && !strcmp(k0, "repeat")) {
			expand_repeat(xp, s, st, seq);
			continue;
		}
		id = copy_step(xp, s, st);
		if (id)
			yaml_document_append_sequence_item(&xp->out->doc, seq,
							   id);
	}
}


/** Expand src (a flow) into out: vars: resolved (a --var in vars wins),
 *  include: and repeat: steps replaced by the steps they stand for.
 *  Errors go to src's diagnostics; *nerr counts those in included
 *  files. out is a document the loader reads like any other. */
int xp_expand(struct ydoc *out, struct ydoc *src, const struct list *vars,
	      unsigned *nerr)
{
	yaml_node_t *root = ydoc_root(src);
	yaml_node_pair_t *p;
	struct xscope s;
	struct xp *xp;
	int id, err = 0;

	if (!out || !src || !root || root->type != YAML_MAPPING_NODE)
		return EINVAL;

	memset(out, 0, sizeof(*out));
	xp = mem_zalloc(sizeof(*xp), xp_destructor);
	if (!xp)
		return ENOMEM;

	if (!yaml_document_initialize(&out->doc, NULL, NULL, NULL, 1, 1)) {
		mem_deref(xp);
		return ENOMEM;
	}
	out->loaded = true;
	out->file = src->file;
	out->dg = src->dg;
	out->owner = xp;
	xp->out = out;
	xp->dg = src->dg;
	xp->args = vars;

	memset(&s, 0, sizeof(s));
	s.file_top = true;
	s.src = src;
	s.path = src->file;
	s.suffix = "";
	{
		char *rp = realpath(src->file, NULL);

		if (rp) {
			str_dup(&s.real, rp);
			free(rp);
		}
	}
	s.org = xp_origin(xp, src->file, NULL, NULL, false);
	if (!s.org) {
		err = ENOMEM;
		goto out;
	}

	/* role names first (role parameters name them), then vars: */
	YMAP_FOREACH(p, root) {
		const char *ks = yscalar(ynode(src, p->key));
		yaml_node_t *v = ynode(src, p->value);
		yaml_node_pair_t *q;

		if (!ks || strcmp(ks, "roles") || v->type != YAML_MAPPING_NODE)
			continue;
		xp->roles = mem_deref(xp->roles);
		xp->nroles = 0;
		xp->roles = mem_zalloc(((size_t)(v->data.mapping.pairs.top -
						 v->data.mapping.pairs.start)
					+ 1) * sizeof(*xp->roles), NULL);
		if (!xp->roles) {
			err = ENOMEM;
			goto out;
		}
		YMAP_FOREACH(q, v) {
			const char *r = yscalar(ynode(src, q->key));

			if (r)
				xp->roles[xp->nroles++] = r;
		}
	}
	YMAP_FOREACH(p, root) {
		const char *ks = yscalar(ynode(src, p->key));

		if (ks && !strcmp(ks, "vars"))
			xp_load_vars(xp, &s, ynode(src, p->value));
	}

	id = add_container(xp, &s, root);
	if (!id) {
		err = ENOMEM;
		goto out;
	}
	YMAP_FOREACH(p, root) {
		yaml_node_t *k = ynode(src, p->key);
		yaml_node_t *v = ynode(src, p->value);
		const char *ks = yscalar(k);
		int ki, vi;

		if (ks && !strcmp(ks, "vars"))
			continue;

		ki = copy_node(xp, &s, k);
		if (ks && !strcmp(ks, "steps") &&
		    v->type == YAML_SEQUENCE_NODE) {
			vi = add_container(xp, &s, v);
			if (vi)
				xp_copy_steps(xp, &s, v, vi);
		}
		else {
			vi = copy_node(xp, &s, v);
		}
		if (ki && vi)
			yaml_document_append_mapping_pair(&out->doc, id, ki,
							  vi);
	}

	out->orig = xp->orig;
	out->norig = xp->norig;

 out:
	xp_scope_close(&s);
	if (nerr)
		*nerr = xp->nerr;

	return err;
}
