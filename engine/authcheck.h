/* engine/authcheck.h — is a received request's digest answer right? */
#ifndef SIPFLOW_AUTHCHECK_H
#define SIPFLOW_AUTHCHECK_H

struct msgrec;
struct step;

int auth_check(const struct step *st, const struct msgrec *r,
	       const struct list *agents, char **why);

#endif
