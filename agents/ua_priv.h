/* agents/ua_priv.h — what the scripted user agent's files share:
 * ua.c builds the messages, ua_auth.c their digest headers */
#ifndef SIPFLOW_UA_PRIV_H
#define SIPFLOW_UA_PRIV_H

struct msgb;
struct agent;
struct buildctx;
struct msgrec;
struct step;
struct crypto_spec;
struct mbuf;
struct pl;

int ua_add_challenge(struct msgb *b, const struct agent *ag,
		     const struct buildctx *ctx);
struct msgrec *ua_challenged(const struct agent *ag, const struct step *st);
int ua_add_credentials(struct msgb *b, struct agent *ag, struct buildctx *ctx,
		       const struct msgrec *prev, const char *ruri);
/* ua_crypto.c: the profile and a=crypto lines of its SDP (RFC 4568) */
int ua_crypto(struct mbuf **mbp, const struct crypto_spec *cs,
	      const struct pl *offer);

#endif
