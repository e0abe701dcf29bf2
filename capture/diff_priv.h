/* capture/diff_priv.h — the comparison's private parts, shared by
 * diff_load.c (reading a capture: what is kept of each message) and
 * diff.c (pairing calls and messages, reporting what differs) */
#ifndef SIPFLOW_DIFF_PRIV_H
#define SIPFLOW_DIFF_PRIV_H

enum { MAX_CALL_MSGS = 512, MAX_HDRS = 128, VAL_MAX = 512 };

/* what the comparison needs of one message; its strings are kept once
 * in the capture's table */
struct dmsg {
	uint64_t t_us;
	uint32_t ord;          /* its place among the SIP messages read */
	uint32_t call;
	uint32_t line;         /* start line */
	uint32_t method;       /* request method, or the CSeq method */
	uint32_t hdrs;         /* (name, value) id pairs, values as compared */
	uint32_t sdp;          /* codecs and directions */
	uint16_t from, to;
	uint16_t scode;
	bool req;
};

/* a header value shown as it is, where one side has the header and the
 * other not: read again from the capture once all calls are compared */
struct fetch {
	struct diff_item *d;
	uint32_t ord;
	uint32_t name;         /* the name's id, as spelt */
	unsigned k;            /* its k-th value */
	bool old;
};

struct diff_capture {
	char *path;
	const struct diff_opts *o;
	struct trace *tr;      /* participants and calls */
	struct trace_strs *strs;
	struct dmsg *v;        /* in capture order */
	uint32_t n, cap;
	uint32_t nread;        /* SIP messages read so far */
	struct fetch *fv;
	uint32_t nf, fcap, fi;
	struct trace_strs *names;  /* header names as spelt ... */
	struct dname *namev;   /* ... and how each is compared, by id */
	uint32_t nnames, namecap;
	uint32_t byid[4096];   /* by libre's header id: a name's id + 1 */
	struct trace_strs *toks;  /* volatile values seen, by kind ... */
	struct dtok *tokv;     /* ... and where each was first seen, by id */
	uint32_t ntok, tokcap;
	struct dtok_slot {     /* the last values looked up: their ids + 1 */
		uint64_t h;
		uint32_t scope, id;
		unsigned kind;
	} tokcache[64];
	uint16_t *kcount;      /* values of each kind first seen, by call */
	uint32_t nk, kcap;
	unsigned ncallsmasked; /* calls whose Call-ID is numbered */
	struct trace_strs *origins; /* SDP origins: call, user, session */
	uint64_t *origv;       /* ... and the last o= version of each */
	uint32_t norig, origcap;
	int err;
};

/* a volatile value's label: the k-th of its kind first seen in call */
struct dtok {
	uint32_t call;
	uint16_t k;
};

/* how a header name (as spelt) is compared, decided once per capture */
struct dname {
	uint32_t sid;          /* the name's id in the capture's strings */
	bool skip;             /* ignored, or not compared by default */
	bool keep;             /* compared exactly, unmasked */
	bool cseq;             /* its number is masked */
	bool dialog;           /* names a dialog: Call-ID;tags */
	bool countdown;        /* its expires= counts down */
	bool digest;           /* digest credentials or a challenge */
};

enum { HDR_KEEP = 1, HDR_CSEQ = 2, HDR_DIALOG = 4, HDR_COUNTDOWN = 8,
	HDR_DIGEST = 16 };

/* the headers compared, in message order: from a message as read (raw
 * values) or from the capture's table (values as compared) */
struct hdrs {
	struct pl name[MAX_HDRS];
	struct pl val[MAX_HDRS];
	uint32_t nid[MAX_HDRS];     /* the name's id in the table */
	uint8_t flags[MAX_HDRS];    /* as read: HDR_KEEP, HDR_CSEQ */
	unsigned n;
};

int  diff_text(char **out, const char *s);
int  diff_add(struct list *items, unsigned call, const char *where,
	      const char *what, const char *old, const char *new);
int  diff_sdp(struct list *items, unsigned call, const char *w,
	      const char *sa, const char *sb);
int  diff_grow(void **vp, uint32_t *capp, uint32_t need, size_t size);
void diff_mask(struct diff_capture *dc, char *out, size_t sz,
	       const struct pl *v, unsigned flags, unsigned c);
int  diff_mask_call(struct diff_capture *dc, unsigned c);
int  diff_hdrs_nth(const struct hdrs *h, const struct pl *name, unsigned k);
int  diff_fetch_all(struct diff_capture *dc);

#endif
