/* agents/ua_priv.h — what the scripted user agent's files share:
 * ua.c builds the messages, ua_auth.c their digest headers */
#ifndef SIPFLOW_UA_PRIV_H
#define SIPFLOW_UA_PRIV_H

struct msgb;
struct agent;
struct buildctx;
struct msgrec;
struct step;

int ua_add_challenge(struct msgb *b, const struct agent *ag,
		     const struct buildctx *ctx);
struct msgrec *ua_challenged(const struct agent *ag, const struct step *st);
int ua_add_credentials(struct msgb *b, struct agent *ag, struct buildctx *ctx,
		       const struct msgrec *prev, const char *ruri);

#endif
