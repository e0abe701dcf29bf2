/* capture/scengen_priv.h — a capture read for a scenario: shared by the
 * reading (scengen.c) and the writing (scengen_out.c) */
#ifndef SIPFLOW_SCENGEN_PRIV_H
#define SIPFLOW_SCENGEN_PRIV_H

enum { SCENGEN_MAX_MSGS = 10000 };  /* steps a scenario may have */

/** One SIP message of the capture */
struct sgm {
	struct scengen_msg g;    /* what the guesses read */
	struct sip_msg *msg;     /* decoded (libre) */
	uint32_t frame;
	double t;                /* seconds since the capture's first */
	double tlast;            /* its last copy before its answer */
	bool tcp;
	long rtx_of;             /* a retransmission of this one, or -1 */
	uint32_t copies;         /* 1 + the retransmissions absorbed */
	uint32_t answered;       /* copies sent before its answer came */
	bool relay;              /* a proxy passing on what it received */
	uint32_t step;           /* its step number (1-based), 0: none */
};

/** The capture, as read */
struct sgen {
	const char *path;
	struct sgm *mv;
	size_t n;
	uint32_t cap, epcap;
	struct sa *epv;          /* endpoints, by address */
	size_t nep;
	struct scengen_role *rv; /* one per endpoint */
	struct hash *callht;     /* Call-IDs seen (struct callent) */
	size_t ncalls;
	uint32_t want;           /* the call asked for (1-based), 0: all */
	char *callid;            /* its Call-ID */
	uint32_t call;           /* the call written (1-based), 0: all */
	size_t over;             /* messages past SCENGEN_MAX_MSGS */
	size_t nrtx;             /* retransmissions absorbed */
	struct timeval t0;       /* the first message's time */
	int err;
};

/* a value a placeholder stands for */
struct tok {
	char val[256];
	size_t len;
	char ph[48];
};

/* a role's user, display name and domain from the messages it sent and
 * was sent; its credentials' user from its Authorization */
struct roleinfo {
	char user[64], display[64], domain[128], auth[64];
};

/* what a captured SDP says (scengen_sdp.c) */
struct sdpinfo {
	char media[16];
	char fmts[128];          /* the first m= line's formats */
	char codecs[8][24];      /* their names, in order */
	unsigned ncodecs;
	bool all_known;          /* every name is in codec_names */
	char dir[16];            /* the first media's direction, if said */
	char caddr[64];          /* the c= address */
};

struct out {
	struct re_printf *pf;
	struct sgen *sg;
	const struct roleinfo *riv;  /* one per endpoint */
	struct tok *tv;
	size_t ntok;
	uint32_t cap;
	int err;
};

/* a step as written (its wait: and any-order: lines before it), before
 * runs of the same exchange become repeat: (scengen_repeat.c) */
struct scengen_chunk {
	char *text;
	uint32_t step;           /* its number */
	bool grouped;            /* in an any-order group */
};

extern const char *const scengen_stack_hdrs[];
enum { SCENGEN_NSTACK = 16 };

int  scengen_out(struct re_printf *pf, struct sgen *sg);
int  scengen_steps(struct out *o);
int  scengen_yq(struct re_printf *pf, const char *p, size_t n);
int  scengen_yqs(struct re_printf *pf, const char *s);
void scengen_rx_lit(char *d, size_t sz, const char *s, size_t n);
void scengen_tok_step(struct out *o, const struct sgm *m);
int  scengen_subst(char **sp, struct out *o, const char *p, size_t n);
bool scengen_has_sdp(const struct sip_msg *q);
bool scengen_ood(const struct sip_msg *q);
const char *scengen_pfind(const struct pl *pl, const char *s);
void scengen_sdp_read(struct sdpinfo *si, const struct sip_msg *q);
int  scengen_print_sdp(struct out *o, const char *ind, const struct sgm *m);
int  scengen_print_expect(struct out *o, const char *ind,
			  const struct sgm *m);
bool scengen_challenged(const struct sgen *sg, const struct sgm *r);
bool scengen_chal_default(const struct sip_hdr *h);
int  scengen_print_auth(struct out *o, const char *ind,
			const struct sgm *const *sv, size_t i);
int  scengen_print_repeats(struct re_printf *pf,
			  const struct scengen_chunk *cv, size_t n);
bool scengen_listed(const char *const *v, size_t n, const struct pl *name);

#endif
