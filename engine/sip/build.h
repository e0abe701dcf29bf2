/* engine/sip/build.h — pieces of SIP messages that scripted roles send */
#ifndef SIPFLOW_BUILD_H
#define SIPFLOW_BUILD_H

struct msgb;
struct msgrec;
struct phctx;
struct scenario;
struct step;

/** What a step's builder may look at besides the role it builds for */
struct buildctx {
	const struct scenario *sc;
	const struct step *st;
	struct msgrec *answers;     /* answers: resolved, or NULL */
	struct msgrec *assoc;       /* a response step's request (st->assoc)
				       as played so far, or NULL */
	struct msgrec *forwards;    /* forwards: resolved, or NULL */
	struct msgrec *const *steprec; /* per step index, its message so far
				       (placeholders {F2.call-id} …) */
	bool later;                 /* out: not possible yet (in a group) */
	struct msgrec *fwd_of;      /* out: the message a proxy forwards */
	struct msgrec *reply_to;    /* out: the request a response answers
				       (it goes back where that came from) */
	char *why;                  /* out: why the build failed */
};

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
