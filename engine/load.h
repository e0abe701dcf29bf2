/* engine/load.h — the scenario loader's private parts, shared by
 * load.c (the document, roles, rules) and load_step.c (the steps) */
#ifndef SIPFLOW_LOAD_H
#define SIPFLOW_LOAD_H

struct loader {
	struct ydoc yd;
	struct scenario *sc;
	unsigned idx;
};

int  ld_dup_scalar(struct loader *ld, const yaml_node_t *n, char **out,
		   const char *what);
int  ld_add_str(struct list *l, const char *s, struct srcpos pos);
int  ld_role_names(struct re_printf *pf, const struct scenario *sc);
bool ld_valid_name(const char *s, bool dots);
void load_steps(struct loader *ld, const yaml_node_t *n, struct step *group,
		struct list *into);

#endif
