/* capture/trace.h — the SIP messages of a capture, grouped for reading:
 * participants by address, calls by Call-ID */
#ifndef SIPFLOW_TRACE_H
#define SIPFLOW_TRACE_H

struct pcapr_stats;

struct trace_msg {
	struct le le;
	uint32_t frame;
	uint64_t t_us;          /* since the first message */
	unsigned from, to;      /* participant numbers, 1-based */
	unsigned call;          /* call number (by Call-ID), 1-based */
	unsigned seq;           /* message number within its call, 1-based */
	bool req;
	uint16_t scode;
	char *method;           /* request method, or the CSeq method */
	char *line;             /* start line */
	struct mbuf *mb;        /* the whole message */
};

struct trace {
	struct list msgs;       /* struct trace_msg, in capture order */
	struct sa *parts;       /* participant addresses, by number - 1 */
	unsigned nparts;
	unsigned ncalls;
	struct pcapr_stats *st;
	struct list rtp;        /* struct pcapr_rtp */
};

int trace_load(struct trace **trp, const char *path, char **why);
struct sip_msg *trace_decode(const struct trace_msg *m);
int trace_print_ladder(struct re_printf *pf, const struct trace *tr);

#endif
