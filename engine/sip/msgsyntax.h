/* engine/sip/msgsyntax.h — is a message written as RFC 3261 §7 and §25.1
 * say, and if not, what is wrong with it */
#ifndef SIPFLOW_MSGSYNTAX_H
#define SIPFLOW_MSGSYNTAX_H

struct sip_msg;

int msgsyntax_check(char **whyp, const uint8_t *p, size_t len);
int msgsyntax_check_msg(char **whyp, const uint8_t *p, size_t len,
			const struct sip_msg *msg);

#endif
