/* engine/check/authcheck.h — is a received request's digest answer right? */
#ifndef SIPFLOW_AUTHCHECK_H
#define SIPFLOW_AUTHCHECK_H

struct msgrec;
struct step;

/** A 401/407 and the run's ledgers, for auth_rejected_print (%H) */
struct auth_reject {
	const struct msgrec *resp;
	const struct list *ledgers;
};

int auth_rejected_print(struct re_printf *pf, const struct auth_reject *rj);
int auth_check(const struct step *st, const struct msgrec *r,
	       const struct list *ledgers, char **why);

#endif
