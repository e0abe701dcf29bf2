/* capture/pcapr_priv.h — the capture reader's state, shared by its
 * parts: the file and the messages (pcapr.c), IP with fragments and the
 * link layers (pcapr_ip.c), TCP streams (pcapr_tcp.c) */
#ifndef SIPFLOW_PCAPR_PRIV_H
#define SIPFLOW_PCAPR_PRIV_H

enum {
	MAX_FRAGS = 64,        /* datagrams being reassembled at once */
	MAX_FLOWS = 4096,      /* TCP flows followed at once */
	MAX_OOO = 64,          /* out-of-order segments kept per flow */
	MAX_STREAM = 1 << 20,  /* bytes buffered per flow without a message */
	MAX_DGRAM = 65535,
};

struct frag {
	struct le le;
	int af;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;
	uint8_t *buf;          /* MAX_DGRAM */
	uint8_t got[MAX_DGRAM / 64 + 1]; /* a bit per 8-byte block received */
	size_t total;          /* known once the last fragment arrived */
};

struct seg {
	struct le le;
	uint32_t seq;
	struct mbuf *mb;
};

struct flow {
	struct le le;
	struct sa src, dst;
	bool synced;
	bool not_sip;
	uint32_t next;         /* next expected sequence number */
	struct mbuf *buf;      /* stream bytes not yet framed */
	struct list ooo;       /* struct seg, ahead of next */
	unsigned nooo;
};

struct reader {
	struct list *rtp;      /* struct pcapr_rtp, or NULL: not wanted */
	pcapr_msg_h *h;
	void *arg;
	struct pcapr_stats *st;
	struct list frags;
	struct list flows;
	unsigned nflows;
	uint32_t frame;
	struct timeval ts;
	struct mbuf *comment;  /* the frame's comments, or NULL */
};

void pcapr_emit(struct reader *rd, const struct sa *src, const struct sa *dst,
		bool tcp, const uint8_t *p, size_t len);
void pcapr_ip(struct reader *rd, const uint8_t *p, size_t len);
bool pcapr_sip_start(const uint8_t *p, size_t len);
void pcapr_tcp_segment(struct reader *rd, struct sa *src, struct sa *dst,
		       const uint8_t *p, size_t len);
void pcapr_flow_destructor(void *data);

#endif
