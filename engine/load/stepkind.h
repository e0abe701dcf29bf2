/* engine/load/stepkind.h — the kinds of step a step's first key names
 * (media:, do:, event:, wait:, any-order:); any other first key is a
 * message step's id. One table (engine/load/load_step.c) for the loader
 * and for the expansion (expand.c: a kind is no id to renumber) */
#ifndef SIPFLOW_STEPKIND_H
#define SIPFLOW_STEPKIND_H

struct loader;
struct step;

/** Reads the value of a step of a kind into st */
typedef void (step_kind_h)(struct loader *ld, struct step *st,
			   const yaml_node_t *v);

/** One kind of step */
struct step_kind {
	const char *key;          /* its first key */
	int type;                 /* enum step_type */
	step_kind_h *h;
	const char *ingroup;      /* why it cannot be in any-order:, or
				     NULL */
	bool holds_steps;         /* its value is steps (any-order:): not
				     read at all inside a group */
};

const struct step_kind *step_kind_find(const char *key);

#endif
