/* engine/sip/placeholder.h — {C.uri}, {call-id} … resolved at send time */
#ifndef SIPFLOW_PLACEHOLDER_H
#define SIPFLOW_PLACEHOLDER_H

struct scenario;
struct role;
struct msgrec;

/** The values a message's own placeholders take */
struct phctx {
	const struct scenario *sc;
	const char *callid;
	const char *branch;
	const char *tag;
	uint32_t cseq;
};

/** Write the replacement of {name} into mb */
typedef int (ph_h)(struct mbuf *mb, const struct pl *name, void *arg);

int ph_scan(char **out, const char *in, ph_h *h, void *arg);
int ph_expand(char **out, const char *in, const struct phctx *ctx,
	      char **why);
int ph_expand_steps(char **out, const char *in, const struct phctx *ctx,
		    struct msgrec *const *steprec, char **why);
extern const char *const ph_role_fields[];
extern const size_t ph_nrole_fields;
extern const char *const ph_msg_fields[];
extern const size_t ph_nmsg_fields;
extern const char *const ph_step_fields[];
extern const size_t ph_nstep_fields;

/** What {name} in an expect: value is */
enum ph_ref {
	PH_TEXT = 0,     /* no reference: stays as written (a regex's {3}) */
	PH_REF,          /* a role's or a step's field */
	PH_NO_FIELD,     /* a role or step with a field it does not have */
	PH_NO_STEP,      /* a step's field of a step there is not (in a
			  * repeat: F2 is F2.1, F2.2 …) */
};

enum ph_ref ph_ref_kind(const struct pl *name, const struct scenario *sc);
int ph_refs(const char *in, const struct scenario *sc, char **why);
int ph_expand_refs(char **out, const char *in, const struct phctx *ctx,
		   struct msgrec *const *steprec, bool re_quote, char **why);
const char *role_domain(const struct scenario *sc, const struct role *r);
int role_aor(char **out, const struct scenario *sc, const struct role *r);
int role_contact(char **out, const struct role *r);

#endif
