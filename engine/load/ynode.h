/* engine/load/ynode.h — small helpers over libyaml's document (node) API */
#ifndef SIPFLOW_YNODE_H
#define SIPFLOW_YNODE_H

#include <yaml.h>

struct diag;
struct srcpos;

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

#define YMAP_FOREACH(pair, node) \
	for ((pair) = (node)->data.mapping.pairs.start; \
	     (pair) < (node)->data.mapping.pairs.top; (pair)++)

#define YSEQ_FOREACH(item, node) \
	for ((item) = (node)->data.sequence.items.start; \
	     (item) < (node)->data.sequence.items.top; (item)++)

#endif
