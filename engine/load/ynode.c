/* engine/load/ynode.c — small helpers over libyaml's document (node) API
 *
 * Every node keeps its start mark, so every error a loader reports can
 * say file:line:column (libyaml counts from 0; people count from 1).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"


void ydoc_free(struct ydoc *yd)
{
	if (!yd)
		return;

	if (yd->loaded) {
		yaml_document_delete(&yd->doc);
		yd->loaded = false;
	}
	yd->orig = NULL;
	yd->norig = 0;
	yd->owner = mem_deref(yd->owner);
}


/** Where a node of an expanded document was written, or NULL */
const struct yorigin *yorigin(const struct ydoc *yd, const yaml_node_t *n)
{
	size_t i;

	if (!yd || !yd->orig || !n || n < yd->doc.nodes.start ||
	    n >= yd->doc.nodes.top)
		return NULL;

	i = (size_t)(n - yd->doc.nodes.start);

	return i < yd->norig ? yd->orig[i] : NULL;
}


yaml_node_t *ydoc_root(struct ydoc *yd)
{
	return yd->loaded ? yaml_document_get_root_node(&yd->doc) : NULL;
}


yaml_node_t *ynode(struct ydoc *yd, int id)
{
	return yaml_document_get_node(&yd->doc, id);
}


/** Where a node starts, 1-based */
struct srcpos ypos(const yaml_node_t *n)
{
	struct srcpos p = {0, 0};

	if (n) {
		p.line = (unsigned)n->start_mark.line + 1;
		p.col = (unsigned)n->start_mark.column + 1;
	}

	return p;
}


/** A scalar's text, or NULL for a mapping or sequence */
const char *yscalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;

	return (const char *)n->data.scalar.value;
}


/** A plain null: ~, null, or nothing */
bool yis_null(const yaml_node_t *n)
{
	const char *s = yscalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;

	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}


/* an error already reported at this place (file:line:col:) */
static bool reported(const struct diag *dg, const char *file,
		     struct srcpos pos)
{
	char pre[512];
	struct le *le;
	size_t n;

	if (!dg || re_snprintf(pre, sizeof(pre), "%s:%u:%u:", file,
			       pos.line, pos.col) < 0)
		return false;

	n = strlen(pre);
	for (le = dg->items.head; le; le = le->next) {
		const struct diag_item *it = le->data;

		if (!strncmp(it->text, pre, n))
			return true;
	}

	return false;
}


/** An error at pos, a place in node n's file (its origin, when the
 *  document is expanded: the block or flow it was written in) */
int yerr_pos(struct ydoc *yd, const yaml_node_t *n, struct srcpos pos,
	     const char *msg)
{
	const struct yorigin *o = yorigin(yd, n);
	const char *file = o ? o->file : yd->file;
	const char *from = o ? o->from : (yd->from ? yd->from : "");

	++yd->nerr;

	/* a repeat: body is checked once per iteration: say it once */
	if (o && o->again && reported(yd->dg, file, pos))
		return EINVAL;

	diag_err(yd->dg, file, &pos, "%s%s", msg ? msg : "error", from);

	return EINVAL;
}


/** An error at a node's place; returns EINVAL */
int yerr(struct ydoc *yd, const yaml_node_t *n, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&msg, fmt, ap);
	va_end(ap);

	yerr_pos(yd, n, ypos(n), msg);
	mem_deref(msg);

	return EINVAL;
}


static const char *type_name(yaml_node_type_t t)
{
	switch (t) {

	case YAML_SCALAR_NODE:   return "a value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE:  return "a mapping";
	default:                 return "nothing";
	}
}


/** Check a node's type: "roles: must be a mapping, not a list" */
int ywant(struct ydoc *yd, const yaml_node_t *n, yaml_node_type_t t,
	  const char *what)
{
	if (n && n->type == t)
		return 0;

	return yerr(yd, n, "%s must be %s, not %s", what, type_name(t),
		    n ? type_name(n->type) : "nothing");
}


/** true/false/yes/no/on/off */
int ybool(struct ydoc *yd, const yaml_node_t *n, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes",
					  "Yes", "on"};
	static const char *const no[] = {"false", "False", "FALSE", "no",
					 "No", "off"};
	const char *s = yscalar(n);
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}

	return yerr(yd, n, "expected true or false, got '%s'",
		    s ? s : type_name(n ? n->type : YAML_NO_NODE));
}


/* "unknown key 'x' (did you mean 'y'?)", or the keys there are */
static int unknown_key(struct ydoc *yd, const yaml_node_t *key,
		       const char *const *keys, size_t n, const char *where)
{
	const char *s = yscalar(key);
	const char *hint = diag_suggest(s, keys, n);
	struct mbuf *mb;
	size_t i;
	int err;

	if (hint)
		return yerr(yd, key, "%s: unknown key '%s' (did you mean "
			    "'%s'?)", where, s, hint);

	mb = mbuf_alloc(256);
	for (i = 0; mb && i < n; i++)
		(void)mbuf_printf(mb, "%s%s", i ? ", " : "", keys[i]);
	err = yerr(yd, key, "%s: unknown key '%s' (keys: %b)", where, s,
		   mb ? mb->buf : NULL, mb ? mb->end : (size_t)0);
	mem_deref(mb);

	return err;
}


/** A key must be one of keys: else "unknown key 'x' (did you mean …)" */
int ykey_check(struct ydoc *yd, const yaml_node_t *key,
	       const char *const *keys, size_t n, const char *where)
{
	const char *s = yscalar(key);
	size_t i;

	if (!s)
		return yerr(yd, key, "%s: a key must be a plain value", where);

	for (i = 0; i < n; i++) {
		if (!strcmp(s, keys[i]))
			return 0;
	}

	return unknown_key(yd, key, keys, n, where);
}


/** The value of key in a mapping, or NULL (not there, not a mapping) */
const yaml_node_t *ymap_value(struct ydoc *yd, const yaml_node_t *map,
			      const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE || !key)
		return NULL;

	YMAP_FOREACH(p, map) {
		const char *ks = yscalar(ynode(yd, p->key));

		if (ks && !strcmp(ks, key))
			return ynode(yd, p->value);
	}

	return NULL;
}


/** The row of key in a chain of tables, or NULL */
const struct ykey *ykeys_find(const struct ykeys *t, const char *key)
{
	size_t i;

	for (; t && key; t = t->more) {
		for (i = 0; i < t->n; i++) {
			if (!strcmp(key, t->v[i].key))
				return &t->v[i];
		}
	}

	return NULL;
}


/** The row of a mapping's key; NULL after an error at the key (not a
 *  plain value, or no table has it: with the nearest key, or all) */
const struct ykey *ykey_row(struct ydoc *yd, const yaml_node_t *key,
			    const struct ykeys *t, const char *where)
{
	const struct ykey *row = ykeys_find(t, yscalar(key));
	const struct ykeys *u;
	const char **names;
	size_t n = 0;

	if (row)
		return row;
	if (!yscalar(key)) {
		yerr(yd, key, "%s: a key must be a plain value", where);
		return NULL;
	}

	/* the names of every row, however many the chain has */
	for (u = t; u; u = u->more)
		n += u->n;
	names = mem_zalloc((n + 1) * sizeof(*names), NULL);
	n = 0;
	for (u = t; names && u; u = u->more) {
		size_t i;

		for (i = 0; i < u->n; i++)
			names[n++] = u->v[i].key;
	}
	if (names)
		unknown_key(yd, key, names, n, where);
	else
		yerr(yd, key, "%s: unknown key '%s'", where, yscalar(key));
	mem_deref(names);

	return NULL;
}


static bool runs(const struct ywalk *w, const struct ykey *row)
{
	const struct ykeys *o = w->only;

	return row->h && (!o || (row >= o->v && row < o->v + o->n));
}


/**
 * Read the pairs of a mapping from `from` on: each key's row runs its
 * handler (only w->only's rows, when set); a key no row has is an error
 * at its place. EINVAL when a key was unknown.
 */
int ymap_walk_from(const struct ywalk *w, const yaml_node_t *map,
		   const yaml_node_pair_t *from, const struct ykeys *t)
{
	const yaml_node_pair_t *p;
	int err = 0;

	if (!map || map->type != YAML_MAPPING_NODE)
		return EINVAL;

	for (p = from; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = ynode(w->yd, p->key);
		const struct ykey *row = ykey_row(w->yd, k, t, w->where);

		if (!row)
			err = EINVAL;
		else if (runs(w, row))
			row->h(w, row, k, ynode(w->yd, p->value));
	}

	return err;
}


/** Read every pair of a mapping with the rows of t (ymap_walk_from) */
int ymap_walk(const struct ywalk *w, const yaml_node_t *map,
	      const struct ykeys *t)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return EINVAL;

	return ymap_walk_from(w, map, map->data.mapping.pairs.start, t);
}


/** A value into the char * at off (what it held is released) */
void ykey_str(const struct ywalk *w, const struct ykey *row,
	      const yaml_node_t *k, const yaml_node_t *v)
{
	char **out = YFIELD(w, row, char *);
	(void)k;

	if (ywant(w->yd, v, YAML_SCALAR_NODE, row->key))
		return;

	*out = mem_deref(*out);
	(void)str_dup(out, yscalar(v));
}


/** true/false into the bool at off (unchanged after an error) */
void ykey_bool(const struct ywalk *w, const struct ykey *row,
	       const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;
	(void)ybool(w->yd, v, YFIELD(w, row, bool));
}


/** true/false, the opposite into the bool at off (retransmit: false
 *  sets no_retransmit) */
void ykey_notbool(const struct ywalk *w, const struct ykey *row,
		  const yaml_node_t *k, const yaml_node_t *v)
{
	bool b;
	(void)k;

	if (!ybool(w->yd, v, &b))
		*YFIELD(w, row, bool) = !b;
}


/** The value node itself into the const yaml_node_t * at off (a key
 *  read after the walk) */
void ykey_node(const struct ywalk *w, const struct ykey *row,
	       const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;
	*YFIELD(w, row, const yaml_node_t *) = v;
}
