/* engine/load/capability.h — what a scenario needs of a device (requires:)
 * and what a device offers (a testbed's offers:): one vocabulary */
#ifndef SIPFLOW_CAPABILITY_H
#define SIPFLOW_CAPABILITY_H

struct scenario;
struct ydoc;
struct yaml_node_s;

/** One capability: a row of the table in capability.c */
struct capability {
	const char *name;      /* "forward-on-busy" */
	const char *meaning;   /* one line, for docs and errors */
	unsigned sim;          /* 1u << enum role_kind: the simulated kinds
				  that implement it (self-play) */
};

const struct capability *capability_table(size_t *n);
uint32_t capability_parse(struct ydoc *yd, const struct yaml_node_s *v,
			  const char *where);
int  capability_print(struct re_printf *pf, const uint32_t *set);
void capability_load_requires(struct ydoc *yd,
			      const struct yaml_node_s *v,
			      struct scenario *sc);
int  capability_unmet(char **why, const struct scenario *sc);

#endif
