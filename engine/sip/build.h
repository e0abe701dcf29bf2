/* engine/sip/build.h — pieces of SIP messages that scripted roles send */
#ifndef SIPFLOW_BUILD_H
#define SIPFLOW_BUILD_H

struct msgb;
struct buildctx;
struct phctx;

int  build_branch(char **out);
int  build_token(char **out);
bool build_is_dialog_creating(const struct pl *method);
int  build_via(struct msgb *b, const struct role *r, const char *branch,
	       bool first);
int  build_response(struct msgb **bp, const struct sip_msg *req,
		    uint16_t scode, const char *reason, const char *ltag);
int  build_ack_non2xx(struct msgb **bp, const struct sip_msg *inv,
		      const struct sip_msg *resp);
int  build_cancel(struct msgb **bp, const struct sip_msg *inv);
int  build_finish(struct mbuf **mbp, struct msgb *b, struct buildctx *ctx,
		  const struct phctx *ph);
int  build_raw(struct mbuf **mbp, struct buildctx *ctx,
	       const struct phctx *ph);
int  build_fail(struct buildctx *ctx, int err, const char *fmt, ...);

#endif
