/* capture/pcapr.h — read SIP messages out of any capture */
#ifndef SIPFLOW_PCAPR_H
#define SIPFLOW_PCAPR_H

#include <sys/time.h>

/** One SIP message found in a capture */
struct pcapr_msg {
	uint32_t frame;          /* the frame that completed it (1-based) */
	struct timeval ts;
	struct sa src, dst;
	bool tcp;
	const uint8_t *p;        /* the message's bytes */
	size_t len;
	struct sip_msg *msg;     /* decoded (valid during the handler) */
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

typedef void (pcapr_msg_h)(const struct pcapr_msg *m, void *arg);

int pcapr_read(const char *path, pcapr_msg_h *h, void *arg,
	       struct pcapr_stats *st, char **why);

#endif
