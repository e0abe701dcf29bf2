/* engine/load/expand_priv.h — what expand.c (flows, variables, repeat:) and
 * expand_block.c (include: of blocks) share */
#ifndef SIPFLOW_EXPAND_PRIV_H
#define SIPFLOW_EXPAND_PRIV_H

/** One scope: a file (the flow or an included block) or a repeat:
 *  iteration inside one. Variables and step ids resolve in the scope,
 *  then in the enclosing ones up to its file's (blocks do not see the
 *  variables of the flow that includes them: they get parameters) */
struct xscope {
	struct xscope *up;
	bool file_top;           /* the file's own scope: lookups stop */
	struct ydoc *src;        /* the document nodes are copied from */
	const char *path;        /* the file, as includes resolve it */
	char *real;              /* its realpath (include cycles) */
	unsigned depth;          /* include nesting */
	unsigned base;           /* added to the number of its step ids */
	const char *suffix;      /* appended to its step ids */
	const struct yorigin *org;
	struct list vars;        /* struct var_arg: vars:, params, a loop's */
	struct nameidx *vidx;    /* vars by name (nameidx.c) */
	struct list ids;         /* struct xid */
	struct nameidx *iidx;    /* ids by local name, the latest */
};

/** The expansion of one flow */
struct xp {
	struct ydoc *out;
	struct diag *dg;
	struct list origins;     /* struct xorg, owned */
	const struct yorigin **orig;
	size_t norig, cap;
	unsigned fmax;           /* highest step number so far */
	const char **roles;      /* the flow's role names (mem), all */
	size_t nroles;
	const struct list *args; /* --var (struct var_arg) */
	unsigned nerr;           /* errors in included files */
	bool full;               /* XP_NODES_MAX reached (reported once) */
	unsigned nincl;          /* include: files read so far */
	size_t nread;            /* and their bytes */
	size_t text;             /* bytes of the values copied so far */
};

const struct yorigin *xp_origin(struct xp *xp, const char *file,
				const char *chain, const char *suffix,
				bool again);
const char *xp_chain(const struct yorigin *o);
bool xp_var_name_ok(const char *s, size_t n);
int  xp_var_set(struct xscope *s, const char *name, const char *value);
char *xp_subst(struct xscope *s, const yaml_node_t *n, const char *text);
void xp_scope_close(struct xscope *s);
void xp_load_vars(struct xp *xp, struct xscope *s, const yaml_node_t *n);
void xp_copy_steps(struct xp *xp, struct xscope *s, const yaml_node_t *n,
		   int seq);
void xp_include(struct xp *xp, struct xscope *s, const yaml_node_t *n,
		int seq);

#endif
