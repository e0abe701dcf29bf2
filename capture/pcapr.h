/* capture/pcapr.h — read SIP messages out of any capture */
#ifndef SIPFLOW_PCAPR_H
#define SIPFLOW_PCAPR_H

#include <sys/time.h>

/**
 * What the scanner reads of a SIP message without decoding it: the start
 * line, the Call-ID and the CSeq method. The pl's point into the message.
 */
struct pcapr_sip {
	bool req;
	uint16_t scode;          /* a response's status code */
	struct pl line;          /* the start line, without its line end */
	struct pl met;           /* a request's method */
	struct pl cseq_met;      /* the CSeq method (empty if no CSeq) */
	struct pl callid;        /* the Call-ID (empty if none) */
	size_t hlen;             /* start line and headers, blank line too */
};

/** One header as libre's decoder lists it (pcapr_hdrs_next) */
struct pcapr_hdr {
	struct pl name;          /* as spelt */
	struct pl val;           /* white space around it dropped */
	enum sip_hdrid id;       /* libre's: compact forms, any case */
};

/** A walk over a message's headers */
struct pcapr_hdrs {
	const uint8_t *p, *end;  /* the next line; after the last, the body */
	struct pcapr_hdr line;   /* the line being read */
	const char *rest, *rend; /* its values not given yet (Via, Route) */
	bool split;              /* more values of the line to come */
	bool eoh;                /* the last line was read */
	bool via;                /* the first Via value was checked */
	struct pl cseq_met;      /* the last CSeq's method */
};

/** One SIP message found in a capture */
struct pcapr_msg {
	uint32_t frame;          /* the frame that completed it (1-based) */
	struct timeval ts;
	struct sa src, dst;
	bool tcp;
	const uint8_t *p;        /* the message's bytes: in the reader's */
	size_t len;              /* buffers, valid during the handler only */
	struct pcapr_sip sip;    /* scanned */
	struct pl comment;       /* the frame's comments (pcapng), one a
				    line; empty if none */
};

/** What a read saw */
struct pcapr_stats {
	uint32_t frames;         /* packets in the file */
	uint32_t sip;            /* SIP messages decoded */
	uint32_t malformed;      /* SIP-looking payloads that did not decode */
	uint32_t truncated;      /* packets cut short (snaplen or file end) */
	uint32_t skipped;        /* packets that were not IP/UDP/TCP */
	uint32_t fragments;      /* IP fragments reassembled */
};

/** One RTP stream (by source, destination and SSRC), RFC 3550 figures */
struct pcapr_rtp {
	struct le le;
	struct sa src, dst;
	uint32_t ssrc;
	uint8_t pt;
	uint32_t packets;
	uint32_t expected;       /* by sequence numbers, with wrap */
	int32_t lost;            /* expected - received (negative: dups) */
	double jitter_ms;        /* interarrival jitter (§6.4.1), 8 kHz */
	uint32_t first_frame;
	struct timeval first, last;
	/* state */
	uint16_t max_seq;
	uint32_t cycles;
	uint32_t base_seq;
	double transit;
	bool have_transit;
};

typedef void (pcapr_msg_h)(const struct pcapr_msg *m, void *arg);

int pcapr_sip_scan(struct pcapr_sip *s, const uint8_t *p, size_t len);
void pcapr_hdrs_init(struct pcapr_hdrs *it, const uint8_t *p, size_t len);
int pcapr_hdrs_next(struct pcapr_hdrs *it, struct pcapr_hdr *h);

int pcapr_read(const char *path, pcapr_msg_h *h, void *arg,
	       struct pcapr_stats *st, char **why);
int pcapr_link_ip(int dlt, const uint8_t *p, size_t len, size_t *off);
int pcapr_addrs(const uint8_t *p, size_t len, struct sa *src, struct sa *dst);
struct pcapr_feed;
int pcapr_feed_alloc(struct pcapr_feed **fp, pcapr_msg_h *h, void *arg);
int pcapr_feed(struct pcapr_feed *f, const struct timeval *ts,
	       const uint8_t *pkt, size_t len, uint32_t frame);
int pcapr_read_rtp(const char *path, pcapr_msg_h *h, void *arg,
		   struct pcapr_stats *st, struct list *rtp, char **why);

#endif
