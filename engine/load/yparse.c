/* engine/load/yparse.c — a YAML text parsed into a document, within bounds
 *
 * libyaml's loader (yaml_parser_load) builds whatever a text says: an
 * alias inside the node it names (`x: &s [*s]`) is a cycle that every
 * walk of the document follows for ever (a stack overflow); aliases of
 * aliases ("billion laughs") stand for 2^n nodes; and nested unclosed
 * `[` or `{` cost libyaml's scanner time quadratic in the depth (it looks
 * at every open level for each token: 100000 of them took 34 s). So the
 * text's events are read first, and the document is built only when
 * they keep the bounds in ynode.h (YAML_DEPTH_MAX, YAML_ANCHORS_MAX,
 * YAML_ALIAS_NODES_MAX, and YAML_DIRECTIVES_MAX counted on the text);
 * the first one crossed is an error at its place. Reading stops there,
 * so a hostile text costs at most its length. The text is UTF-8 (a
 * UTF-16 one was refused for its NUL bytes before the parser saw it).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "ynode.h"


/** An anchor (&name) met so far */
struct anchor {
	char *name;
	struct srcpos pos;
	size_t nodes;            /* what an alias of it stands for, itself
				    included; 0 while it is still open */
};

/** The first document's events, read against the bounds */
struct yguard {
	const char *file;
	const char *from;
	struct diag *dg;
	struct anchor *anchors;  /* YAML_ANCHORS_MAX of them, mem */
	size_t nanchors;
	size_t aliased;          /* nodes the aliases stand for, so far */
	unsigned depth;          /* open sequences and mappings */
	size_t nodes[YAML_DEPTH_MAX + 1];  /* each open one's nodes */
	struct anchor *open[YAML_DEPTH_MAX + 1]; /* its anchor, or NULL */
};


static struct srcpos mark_pos(const yaml_mark_t *mk)
{
	struct srcpos pos;

	pos.line = (unsigned)mk->line + 1;
	pos.col = (unsigned)mk->column + 1;

	return pos;
}


/* a byte offset's place: libyaml's reader errors give only the offset */
static struct srcpos offset_pos(const char *text, size_t len, size_t off)
{
	struct srcpos pos = {1, 1};
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			++pos.line;
			pos.col = 1;
		}
		else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++pos.col;  /* a character, not a UTF-8 tail byte */
		}
	}

	return pos;
}


/* a syntax error libyaml found, at its place */
static void syntax_err(const yaml_parser_t *p, const char *file,
		       const char *text, size_t len, const char *from,
		       struct diag *dg)
{
	const yaml_mark_t *mk = p->problem_mark.line ||
		p->problem_mark.column ? &p->problem_mark : &p->context_mark;
	struct srcpos pos = mark_pos(mk);
	char value[32] = "";

	/* the reader (encoding, control characters) gives an offset */
	if (p->error == YAML_READER_ERROR) {
		pos = offset_pos(text, len, p->problem_offset);
		if (p->problem_value >= 0)
			(void)re_snprintf(value, sizeof(value), " (#x%X)",
					  (unsigned)p->problem_value);
	}

	diag_err(dg, file, &pos, "YAML syntax error: %s%s%s%s%s",
		 p->problem ? p->problem : "unknown", value,
		 p->context ? " " : "", p->context ? p->context : "", from);
}


static int guard_err(struct yguard *g, const yaml_mark_t *mk,
		     const char *fmt, ...)
{
	struct srcpos pos = mark_pos(mk);
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&msg, fmt, ap);
	va_end(ap);

	diag_err(g->dg, g->file, &pos, "%s%s", msg ? msg : "YAML error",
		 g->from);
	mem_deref(msg);

	return EINVAL;
}


/* the anchor of that name defined last, or NULL */
static struct anchor *anchor_find(struct yguard *g, const char *name)
{
	size_t i;

	for (i = g->nanchors; i > 0; i--) {
		if (!strcmp(g->anchors[i - 1].name, name))
			return &g->anchors[i - 1];
	}

	return NULL;
}


/* a node with &name: remembered, open until its end */
static int anchor_add(struct yguard *g, const yaml_char_t *name,
		      const yaml_mark_t *mk, struct anchor **ap)
{
	struct anchor *a;
	struct srcpos pos;

	*ap = NULL;
	if (!name)
		return 0;

	a = anchor_find(g, (const char *)name);
	if (a) {
		return guard_err(g, mk, "anchor &%s is defined twice (first "
				 "at line %u, column %u)", name, a->pos.line,
				 a->pos.col);
	}
	if (g->nanchors >= YAML_ANCHORS_MAX) {
		return guard_err(g, mk, "more than %u anchors (&name) in one "
				 "file", (unsigned)YAML_ANCHORS_MAX);
	}

	pos = mark_pos(mk);
	a = &g->anchors[g->nanchors];
	if (str_dup(&a->name, (const char *)name))
		return ENOMEM;
	a->pos = pos;
	a->nodes = 0;
	++g->nanchors;
	*ap = a;

	return 0;
}


/* n more nodes inside the open container */
static void count(struct yguard *g, size_t n)
{
	if (g->depth)
		g->nodes[g->depth] += n;
}


static int on_scalar(struct yguard *g, const yaml_event_t *ev)
{
	struct anchor *a;
	int err = anchor_add(g, ev->data.scalar.anchor, &ev->start_mark, &a);

	if (err)
		return err;
	if (a)
		a->nodes = 1;
	count(g, 1);

	return 0;
}


static int on_start(struct yguard *g, const yaml_event_t *ev,
		    const yaml_char_t *anchor)
{
	struct anchor *a;
	int err;

	if (g->depth >= YAML_DEPTH_MAX) {
		return guard_err(g, &ev->start_mark, "nested deeper than %u "
				 "levels (lists and mappings inside each "
				 "other)", (unsigned)YAML_DEPTH_MAX);
	}

	err = anchor_add(g, anchor, &ev->start_mark, &a);
	if (err)
		return err;

	++g->depth;
	g->nodes[g->depth] = 1;
	g->open[g->depth] = a;

	return 0;
}


static int on_end(struct yguard *g)
{
	size_t n;

	if (!g->depth)
		return 0;

	n = g->nodes[g->depth];
	if (g->open[g->depth])
		g->open[g->depth]->nodes = n;
	--g->depth;
	count(g, n);

	return 0;
}


static int on_alias(struct yguard *g, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct anchor *a = anchor_find(g, name);

	if (!a) {
		return guard_err(g, &ev->start_mark, "alias *%s names no "
				 "anchor (&%s) before it", name, name);
	}
	if (!a->nodes) {
		return guard_err(g, &ev->start_mark, "alias *%s is inside "
				 "the node it names (&%s at line %u, column "
				 "%u): it would contain itself", name, name,
				 a->pos.line, a->pos.col);
	}

	g->aliased += a->nodes;
	if (g->aliased > YAML_ALIAS_NODES_MAX) {
		return guard_err(g, &ev->start_mark, "aliases stand for more "
				 "than %u YAML nodes (aliases of aliases?)",
				 (unsigned)YAML_ALIAS_NODES_MAX);
	}
	count(g, a->nodes);

	return 0;
}


/* one event against the bounds; *done at the first document's end */
static int guard_event(struct yguard *g, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {

	case YAML_SCALAR_EVENT:
		return on_scalar(g, ev);

	case YAML_SEQUENCE_START_EVENT:
		return on_start(g, ev, ev->data.sequence_start.anchor);

	case YAML_MAPPING_START_EVENT:
		return on_start(g, ev, ev->data.mapping_start.anchor);

	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(g);

	case YAML_ALIAS_EVENT:
		return on_alias(g, ev);

	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		*done = true;
		return 0;

	default:
		return 0;
	}
}


static void yguard_destructor(void *data)
{
	struct yguard *g = data;
	size_t i;

	for (i = 0; i < g->nanchors; i++)
		mem_deref(g->anchors[i].name);
	mem_deref(g->anchors);
}


/* libyaml reads a document's directives (%TAG, %YAML) all at once, and
 * compares each %TAG with every one before it: 65000 of them took 97 s,
 * before the first event. So the prologue (the lines before the
 * document: directives, comments, blank lines) is counted first. */
static int directives_check(const char *file, const char *text, size_t len,
			    const char *from, struct diag *dg)
{
	struct srcpos pos = {1, 1};
	unsigned n = 0;
	size_t i = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;  /* a byte order mark */

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;

		if (text[i] == '%') {
			if (++n > YAML_DIRECTIVES_MAX) {
				diag_err(dg, file, &pos, "more than %u YAML "
					 "directives (%%TAG, %%YAML)%s",
					 (unsigned)YAML_DIRECTIVES_MAX, from);
				return EINVAL;
			}
		}
		else if (text[i] != '#' && text[i] != '\n' &&
			 text[i] != '\r') {
			break;  /* the document (or ---) begins */
		}
		i = end;
		++pos.line;
	}

	return 0;
}


/* the first document's events within the bounds: 0, or EINVAL after an
 * error at its place (a syntax error too) */
static int yguard_check(const char *file, const char *text, size_t len,
			const char *from, struct diag *dg)
{
	yaml_parser_t parser;
	struct yguard *g;
	bool done = false;
	int err;

	err = directives_check(file, text, len, from, dg);
	if (err)
		return err;

	g = mem_zalloc(sizeof(*g), yguard_destructor);
	if (!g)
		return ENOMEM;
	g->anchors = mem_zalloc(YAML_ANCHORS_MAX * sizeof(*g->anchors),
				NULL);
	if (!g->anchors || !yaml_parser_initialize(&parser)) {
		mem_deref(g);
		return ENOMEM;
	}
	g->file = file;
	g->from = from;
	g->dg = dg;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	/* each event consumes text: at most one per byte, and a few */
	while (!err && !done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_err(&parser, file, text, len, from, dg);
			err = EINVAL;
			break;
		}
		err = guard_event(g, &ev, &done);
		yaml_event_delete(&ev);
	}

	yaml_parser_delete(&parser);
	mem_deref(g);

	return err;
}


/** Parse text; a syntax error goes to dg with its place, EINVAL */
int ydoc_load(struct ydoc *yd, const char *file, const char *text,
	      size_t len, struct diag *dg)
{
	return ydoc_load_from(yd, file, text, len, NULL, dg);
}


/** Parse an included file: its errors end with from ("(included …)").
 *  A text past a bound (ynode.h) is an error at the place it is crossed */
int ydoc_load_from(struct ydoc *yd, const char *file, const char *text,
		   size_t len, const char *from, struct diag *dg)
{
	yaml_parser_t parser;
	int err;

	memset(yd, 0, sizeof(*yd));
	yd->file = file;
	yd->dg = dg;
	yd->from = from;
	if (!from)
		from = "";

	err = yguard_check(file, text, len, from, dg);
	if (err) {
		++yd->nerr;
		return err;
	}

	if (!yaml_parser_initialize(&parser))
		return ENOMEM;

	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	if (!yaml_parser_load(&parser, &yd->doc)) {
		syntax_err(&parser, file, text, len, from, dg);
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
