/* capture/trace.h — the SIP messages of a capture, numbered for reading:
 * participants by address, calls by Call-ID, in order of first appearance;
 * the ladder printed as the capture is read */
#ifndef SIPFLOW_TRACE_H
#define SIPFLOW_TRACE_H

#include "pcapr.h"

struct trace_strs;

/** One message with its place in the trace */
struct trace_msg {
	uint32_t frame;
	uint64_t t_us;          /* since the first message */
	unsigned from, to;      /* participant numbers, 1-based */
	unsigned call;          /* call number (by Call-ID), 1-based */
	bool req;
	uint16_t scode;
	struct pl method;       /* request method, or the CSeq method */
	struct pl line;         /* start line */
	const struct pcapr_msg *pm;  /* the message as read */
};

/**
 * The numbering of a capture. A capture may be read more than once: the
 * numbers, the first message's time, the figures and the RTP streams
 * stay those of the first read.
 */
struct trace {
	struct sa *parts;       /* participant addresses, by number - 1 */
	unsigned nparts;
	unsigned ncalls;
	struct pcapr_stats st;  /* of the first read */
	struct list rtp;        /* struct pcapr_rtp, of the first read */
	/* state */
	struct trace_strs *calls;  /* Call-IDs, by call number - 1 */
	uint16_t *pidx;         /* participant hash: number, 0 free */
	uint64_t t0;
	bool have_t0;
	unsigned nreads;
};

int trace_alloc(struct trace **trp);
int trace_read(struct trace *tr, const char *path, pcapr_msg_h *h,
	       void *arg, char **why);
int trace_place(struct trace *tr, struct trace_msg *m,
		const struct pcapr_msg *pm);
int trace_ladder(struct re_printf *pf, struct trace *tr, const char *path,
		 char **why);

/* strings kept once each, numbered from 0 in order of first appearance */
int trace_strs_alloc(struct trace_strs **tsp);
int trace_strs_add(struct trace_strs *ts, uint32_t *idp, const void *p,
		   size_t len);
const char *trace_strs_get(const struct trace_strs *ts, uint32_t id,
			   size_t *lenp);
uint32_t trace_strs_count(const struct trace_strs *ts);

#endif
