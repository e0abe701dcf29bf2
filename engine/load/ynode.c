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


/** Parse text; a syntax error goes to dg with its place, EINVAL */
int ydoc_load(struct ydoc *yd, const char *file, const char *text,
	      size_t len, struct diag *dg)
{
	return ydoc_load_from(yd, file, text, len, NULL, dg);
}


/** Parse an included file: its errors end with from ("(included …)") */
int ydoc_load_from(struct ydoc *yd, const char *file, const char *text,
		   size_t len, const char *from, struct diag *dg)
{
	yaml_parser_t parser;
	int err = 0;

	memset(yd, 0, sizeof(*yd));
	yd->file = file;
	yd->dg = dg;
	yd->from = from;
	if (!from)
		from = "";

	if (!yaml_parser_initialize(&parser))
		return ENOMEM;

	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len);

	if (!yaml_parser_load(&parser, &yd->doc)) {
		struct srcpos pos;
		const yaml_mark_t *mk = parser.problem_mark.line ||
			parser.problem_mark.column ? &parser.problem_mark
			: &parser.context_mark;

		pos.line = (unsigned)mk->line + 1;
		pos.col = (unsigned)mk->column + 1;
		diag_err(dg, file, &pos, "YAML syntax error: %s%s%s%s",
			 parser.problem ? parser.problem : "unknown",
			 parser.context ? " " : "",
			 parser.context ? parser.context : "", from);
		++yd->nerr;
		err = EINVAL;
	}
	else {
		yd->loaded = true;
		if (!yaml_document_get_root_node(&yd->doc)) {
			struct srcpos pos = {1, 1};
			diag_err(dg, file, &pos, "the file is empty%s", from);
			++yd->nerr;
			err = EINVAL;
		}
	}

	yaml_parser_delete(&parser);
	return err;
}


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


/** A key must be one of keys: else "unknown key 'x' (did you mean …)" */
int ykey_check(struct ydoc *yd, const yaml_node_t *key,
	       const char *const *keys, size_t n, const char *where)
{
	const char *s = yscalar(key);
	const char *hint;
	size_t i;

	if (!s)
		return yerr(yd, key, "%s: a key must be a plain value", where);

	for (i = 0; i < n; i++) {
		if (!strcmp(s, keys[i]))
			return 0;
	}

	hint = diag_suggest(s, keys, n);
	if (hint)
		return yerr(yd, key, "%s: unknown key '%s' (did you mean "
			    "'%s'?)", where, s, hint);

	return yerr(yd, key, "%s: unknown key '%s'", where, s);
}
