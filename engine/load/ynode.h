/* engine/load/ynode.h — small helpers over libyaml's document (node) API */
#ifndef SIPFLOW_YNODE_H
#define SIPFLOW_YNODE_H

#include <yaml.h>

struct diag;
struct srcpos;

/** Bounds a YAML text must keep to be loaded (yparse.c): each an error
 *  at the place it is crossed */
enum {
	YAML_DEPTH_MAX = 100,           /* lists and mappings nested */
	YAML_ANCHORS_MAX = 100,         /* anchors (&name) in one file */
	YAML_ALIAS_NODES_MAX = 100000,  /* nodes its aliases stand for */
	YAML_DIRECTIVES_MAX = 100,      /* %TAG and %YAML lines */
};

/** Where a node of an expanded document comes from (engine/load/expand.c) */
struct yorigin {
	const char *file;       /* the file it was written in */
	const char *from;       /* " (included from flow.yaml:12:7 with …)"
				   or "" */
	const char *suffix;     /* a repeat: iteration's id suffix (".2"),
				   or "" */
	bool again;             /* a repeat:'s 2nd+ iteration: an error at
				   a place already reported is not repeated */
};

/** A loaded YAML document, with the file name its errors carry */
struct ydoc {
	yaml_document_t doc;
	bool loaded;
	const char *file;
	struct diag *dg;
	unsigned nerr;          /* errors reported through yerr */
	const char *from;       /* appended to its errors (an included
				   block: "(included from …)"), or NULL */
	const struct yorigin **orig; /* expanded: each node's origin, by
					node id - 1; NULL otherwise */
	size_t norig;
	void *owner;            /* a mem object released with it */
};

int  ydoc_load(struct ydoc *yd, const char *file, const char *text,
	       size_t len, struct diag *dg);
int  ydoc_load_from(struct ydoc *yd, const char *file, const char *text,
		    size_t len, const char *from, struct diag *dg);
const struct yorigin *yorigin(const struct ydoc *yd, const yaml_node_t *n);
void ydoc_free(struct ydoc *yd);
yaml_node_t *ydoc_root(struct ydoc *yd);
yaml_node_t *ynode(struct ydoc *yd, int id);
struct srcpos ypos(const yaml_node_t *n);
const char *yscalar(const yaml_node_t *n);
bool yis_null(const yaml_node_t *n);
int  yerr(struct ydoc *yd, const yaml_node_t *n, const char *fmt, ...);
int  yerr_pos(struct ydoc *yd, const yaml_node_t *n, struct srcpos pos,
	      const char *msg);
int  ywant(struct ydoc *yd, const yaml_node_t *n, yaml_node_type_t t,
	   const char *what);
int  ybool(struct ydoc *yd, const yaml_node_t *n, bool *out);
int  ykey_check(struct ydoc *yd, const yaml_node_t *key,
		const char *const *keys, size_t n, const char *where);
const yaml_node_t *ymap_value(struct ydoc *yd, const yaml_node_t *map,
			      const char *key);


/*
 * YAML keys as tables: a mapping's keys are rows {key, handler, offset},
 * and one walk reads it, reporting a key no row has at its place:
 *
 *   static const struct ykey sdp_keys[] = {
 *           {"codecs",    sdp_codecs},
 *           {"direction", sdp_direction},
 *           {"address",   sdp_address},
 *   };
 *   static const struct ykeys sdp = YKEYS(sdp_keys);
 *   struct ywalk w = {.yd = yd, .obj = st, .arg = ld, .where = "sdp"};
 *   ymap_walk(&w, n, &sdp);
 *
 * "sdp: unknown key 'codec' (did you mean 'codecs'?)", or, when nothing
 * is close, "… (keys: codecs, direction, address)".
 */
struct ywalk;
struct ykey;

/** Reads one key's value; row is the row the key matched */
typedef void (ykey_h)(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v);

/** One key a mapping may have, and what reads its value */
struct ykey {
	const char *key;
	ykey_h *h;             /* NULL: a known key read elsewhere */
	size_t off;            /* the field h fills, in w->obj (ykey_str,
				  ykey_bool, …) */
};

/** The keys a mapping may have: a table, and the next one (a chain) */
struct ykeys {
	const struct ykey *v;
	size_t n;
	const struct ykeys *more;
};

#define YKEYS(rows) {(rows), ARRAY_SIZE(rows), NULL}
#define YKEYS_MORE(rows, more) {(rows), ARRAY_SIZE(rows), (more)}

/** A walk over one mapping: what its handlers read and fill */
struct ywalk {
	struct ydoc *yd;
	void *obj;             /* where the rows' off point into */
	void *arg;             /* the caller's own (a loader, a name) */
	const char *where;     /* an unknown key's prefix: "role", "F1" */
	const struct ykeys *only; /* set: only its rows run; the other
				     known keys are read by another pass */
	const char *name;      /* whose mapping it is (a role), for
				  messages */
};

/** The field row->off of w->obj, as a T */
#define YFIELD(w, row, T) ((T *)(void *)((char *)(w)->obj + (row)->off))

const struct ykey *ykeys_find(const struct ykeys *t, const char *key);
const struct ykey *ykey_row(struct ydoc *yd, const yaml_node_t *key,
			    const struct ykeys *t, const char *where);
int  ymap_walk(const struct ywalk *w, const yaml_node_t *map,
	       const struct ykeys *t);
int  ymap_walk_from(const struct ywalk *w, const yaml_node_t *map,
		    const yaml_node_pair_t *from, const struct ykeys *t);

/* rows every table may use: the value into the field at off */
void ykey_str(const struct ywalk *w, const struct ykey *row,
	      const yaml_node_t *k, const yaml_node_t *v);
void ykey_bool(const struct ywalk *w, const struct ykey *row,
	       const yaml_node_t *k, const yaml_node_t *v);
void ykey_notbool(const struct ywalk *w, const struct ykey *row,
		  const yaml_node_t *k, const yaml_node_t *v);
void ykey_node(const struct ywalk *w, const struct ykey *row,
	       const yaml_node_t *k, const yaml_node_t *v);

#define YMAP_FOREACH(pair, node) \
	for ((pair) = (node)->data.mapping.pairs.start; \
	     (pair) < (node)->data.mapping.pairs.top; (pair)++)

#define YSEQ_FOREACH(item, node) \
	for ((item) = (node)->data.sequence.items.start; \
	     (item) < (node)->data.sequence.items.top; (item)++)

#endif
