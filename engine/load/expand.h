/* engine/load/expand.h — include:, vars: and repeat: expanded into one YAML
 * document that the loader reads as if it were written out */
#ifndef SIPFLOW_EXPAND_H
#define SIPFLOW_EXPAND_H

struct ydoc;
struct diag;
struct list;

enum {
	XP_DEPTH = 8,          /* include: nesting */
	XP_REPEAT_MAX = 1000,  /* repeat: count */
	XP_NODES_MAX = 200000, /* YAML nodes of an expanded flow */
	XP_VALUE_MAX = 1024 * 1024, /* a value, its variables replaced */
	XP_TEXT_MAX = 64 * 1024 * 1024, /* the values of an expanded flow */
	XP_FILE_MAX = 4 * 1024 * 1024, /* a flow or block file, bytes */
	XP_INCLUDES_MAX = 10000, /* include: files read for one flow */
	XP_INCLUDED_MAX = 64 * 1024 * 1024, /* and their bytes */
};

bool xp_is_block(struct ydoc *src);
int  xp_check_block(struct ydoc *src);
int  xp_expand(struct ydoc *out, struct ydoc *src, const struct list *vars,
	       unsigned *nerr);

#endif
