/* engine/load/load.h — the scenario loader's private parts, shared by
 * load.c (the document, roles, rules) and load_step.c (the steps) */
#ifndef SIPFLOW_LOAD_H
#define SIPFLOW_LOAD_H

struct nameidx;

struct loader {
	struct ydoc yd;
	struct scenario *sc;
	unsigned idx;
	const yaml_node_t *roles;     /* roles:, steps:, requires: as */
	const yaml_node_t *steps;     /* written, read after the other */
	const yaml_node_t *requires;  /* keys */
	bool tuned;                   /* rules: disables or softens one */
	struct nameidx *ids;          /* the steps read so far, by id
					 (ldindex.c) */
	struct nameidx *roles_idx;    /* the roles declared, by name */
	bool noidx;                   /* out of memory: no index */
};

/* the phone settings (role keys and set:), engine/load/load_do.c */
extern const struct ykeys ld_settings;

int  ld_step_add(struct loader *ld, struct step *st);
struct step *ld_step(const struct loader *ld, const char *id);
int  ld_role_add(struct loader *ld, struct role *r);
struct role *ld_role(const struct loader *ld, const char *name);
void ld_index_free(struct loader *ld);
int  ld_dup_scalar(struct loader *ld, const yaml_node_t *n, char **out,
		   const char *what);
int  ld_add_str(struct list *l, const char *s, struct srcpos pos);
int  ld_role_names(struct re_printf *pf, const struct scenario *sc);
bool ld_valid_name(const char *s, bool dots);
struct role *ld_role_n(const struct loader *ld, const char *p, size_t l);
uint32_t ld_hz(const char *s);
bool ld_share(const char *s, double *out);
bool ld_acts(const struct role *r);
struct role *ld_actor_role(struct loader *ld, const yaml_node_t *n,
			   const char *name, size_t len, const char *what);
bool ld_phone_cfg(struct loader *ld, const yaml_node_t *k,
		  const yaml_node_t *v, struct phone_cfg *cfg);
void ld_impair(struct loader *ld, const yaml_node_t *n,
	       struct impair_spec *imp);
void ld_do_step(struct loader *ld, struct step *st, const yaml_node_t *n);
void ld_event_step(struct loader *ld, struct step *st,
		   const yaml_node_t *n);
void ld_media_step(struct loader *ld, struct step *st,
		   const yaml_node_t *n);
void ld_auth(struct loader *ld, struct step *st, const yaml_node_t *k,
	     const yaml_node_t *v);
void ld_challenge(struct loader *ld, struct step *st, const yaml_node_t *k,
		  const yaml_node_t *v);
void ld_status(struct loader *ld, struct step *st, const yaml_node_t *k,
	       const yaml_node_t *v);
void ld_expect_auth(struct loader *ld, struct step *st,
		    const yaml_node_t *v);
void ld_crypto(struct ydoc *yd, const yaml_node_t *v,
	       struct crypto_spec *cs, const char *fmt, ...);
void ld_body_crypto(struct loader *ld, const struct step *st,
		    const yaml_node_t *at);
/* a message step's parts: its line and placeholders (load_line.c), its
 * headers: and expect: (load_hdr.c), its sdp: (load_sdp.c) */
void ld_msg_line(struct loader *ld, struct step *st, const yaml_node_t *n);
bool ld_placeholders(struct loader *ld, const yaml_node_t *n,
		     const char *text, const char *id);
ykey_h ld_headers_key;
ykey_h ld_expect_key;
ykey_h ld_sdp_key;
void load_steps(struct loader *ld, const yaml_node_t *n, struct step *group,
		struct list *into);

#endif
