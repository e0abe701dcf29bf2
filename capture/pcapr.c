/* capture/pcapr.c — read SIP messages out of any capture
 *
 * libpcap reads pcap and pcapng; a pcapng's frame comments, which libpcap
 * does not show, are read beside it (capture/pcapng.c). Link layers: Ethernet
 * (with 802.1Q tags), Linux cooked (SLL and SLL2), raw IP, IPv4, IPv6, BSD
 * loopback (NULL/LOOP). IPv4 and IPv6 with fragments reassembled; UDP
 * payloads and TCP streams (reassembled in sequence order, messages framed by
 * Content-Length, several per segment or one across many). SIP is found by
 * content, on any port, and scanned where it lies (start line, Call-ID, CSeq
 * method; no copy, no full decode): the handler sees the message in the
 * reader's buffers. What is malformed or truncated is counted and skipped;
 * nothing in a capture can make the reader fail past its limits.
 *
 * This file: the file and the messages; the link layers and IP are
 * capture/pcapr_ip.c, TCP streams capture/pcapr_tcp.c, the SIP scanner
 * capture/sipscan.c.
 */
#include <string.h>
#include <ctype.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <re.h>
#include "pcapng.h"
#include "pcapr.h"
#include "pcapr_priv.h"


/** Does this look like the start of a SIP message? */
bool pcapr_sip_start(const uint8_t *p, size_t len)
{
	size_t i, n = len < 256 ? len : 256;

	if (len >= 8 && !memcmp(p, "SIP/2.0 ", 8))
		return true;

	/* METHOD SP Request-URI SP SIP/2.0 CRLF */
	for (i = 0; i < n && isupper(p[i]); i++)
		;
	if (!i || i >= n || p[i] != ' ')
		return false;
	for (; i < n && p[i] != '\r' && p[i] != '\n'; i++)
		;
	return i >= 8 && !memcmp(p + i - 8, " SIP/2.0", 8);
}


/* RTP (RFC 3550 §5.1): version 2, not RTCP (payload types 72-76 with
 * the marker bit are RTCP's 200-204) */
static void rtp(struct reader *rd, const struct sa *src, const struct sa *dst,
		const uint8_t *p, size_t len)
{
	struct pcapr_rtp *s = NULL;
	uint32_t ssrc, ts;
	uint16_t seq;
	uint8_t pt;
	double arrival, transit;
	struct le *le;

	if (len < 12 || (p[0] >> 6) != 2)
		return;
	pt = p[1] & 0x7f;
	if (pt >= 72 && pt <= 76)
		return;
	seq = (uint16_t)(p[2] << 8 | p[3]);
	ts = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
	     (uint32_t)p[6] << 8 | p[7];
	ssrc = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
	       (uint32_t)p[10] << 8 | p[11];

	for (le = rd->rtp->head; le; le = le->next) {
		struct pcapr_rtp *x = le->data;
		if (x->ssrc == ssrc && sa_cmp(&x->src, src, SA_ALL) &&
		    sa_cmp(&x->dst, dst, SA_ALL)) {
			s = x;
			break;
		}
	}
	if (!s) {
		if (list_count(rd->rtp) >= 1024)
			return;
		s = mem_zalloc(sizeof(*s), NULL);
		if (!s)
			return;
		s->src = *src;
		s->dst = *dst;
		s->ssrc = ssrc;
		s->pt = pt;
		s->base_seq = seq;
		s->max_seq = seq;
		s->first = rd->ts;
		s->first_frame = rd->frame;
		list_append(rd->rtp, &s->le, s);
	}
	else {
		/* §A.1: count sequence wraps */
		if (seq < s->max_seq && s->max_seq - seq > 0x8000)
			s->cycles += 0x10000;
		if ((uint16_t)(seq - s->max_seq) < 0x8000)
			s->max_seq = seq;
	}

	++s->packets;
	s->last = rd->ts;
	s->expected = s->cycles + s->max_seq - s->base_seq + 1;
	s->lost = (int32_t)s->expected - (int32_t)s->packets;

	/* §6.4.1 / §A.8, timestamps in 8 kHz units */
	arrival = (double)rd->ts.tv_sec * 8000.0 +
		  (double)rd->ts.tv_usec * 0.008;
	transit = arrival - (double)ts;
	if (s->have_transit) {
		double d = transit - s->transit;
		if (d < 0)
			d = -d;
		s->jitter_ms += (d / 8.0 - s->jitter_ms) / 16.0;
	}
	s->transit = transit;
	s->have_transit = true;
}


void pcapr_emit(struct reader *rd, const struct sa *src, const struct sa *dst,
		bool tcp, const uint8_t *p, size_t len)
{
	struct pcapr_msg m;

	if (!pcapr_sip_start(p, len)) {
		if (!tcp && rd->rtp)
			rtp(rd, src, dst, p, len);
		return;
	}

	if (pcapr_sip_scan(&m.sip, p, len)) {
		++rd->st->malformed;
		return;
	}

	++rd->st->sip;
	m.frame = rd->frame;
	m.ts = rd->ts;
	m.src = *src;
	m.dst = *dst;
	m.tcp = tcp;
	m.p = p;
	m.len = len;
	if (rd->comment)
		pl_set_mbuf(&m.comment, rd->comment);
	else
		m.comment = pl_null;
	rd->h(&m, rd->arg);
}


/* one frame of link type dlt into the reader: 0, or ENOTSUP when the
 * link type is not one the reader knows */
static int frame_in(struct reader *rd, int dlt, const struct pcap_pkthdr *ph,
		    const uint8_t *data)
{
	size_t off = 0;

	rd->ts = ph->ts;
	if (ph->caplen < ph->len)
		++rd->st->truncated;

	switch (pcapr_link_ip(dlt, data, ph->caplen, &off)) {

	case 0:
		pcapr_ip(rd, data + off, ph->caplen - off);
		return 0;

	case EPROTO:
		++rd->st->skipped;
		return 0;

	case EMSGSIZE:
		++rd->st->truncated;
		return 0;

	default:
		return ENOTSUP;
	}
}


/**
 * Read every SIP message in a capture, in frame order, into h. Returns
 * an error (with *why) only when the file cannot be read as a capture.
 */
int pcapr_read(const char *path, pcapr_msg_h *h, void *arg,
	       struct pcapr_stats *st, char **why)
{
	return pcapr_read_rtp(path, h, arg, st, NULL, why);
}


/** As pcapr_read, and summarise the RTP streams into rtp (if not NULL) */
int pcapr_read_rtp(const char *path, pcapr_msg_h *h, void *arg,
		   struct pcapr_stats *st, struct list *rtp, char **why)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcapr_stats local;
	struct pcapng_rd ng = {NULL, false, 0, NULL};
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct reader rd;
	pcap_t *pc;
	int dlt, rc;

	if (!path || !h)
		return EINVAL;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));

	pc = pcap_open_offline(path, errbuf);
	if (!pc) {
		if (why)
			re_sdprintf(why, "%s", errbuf);
		return EBADMSG;
	}

	memset(&rd, 0, sizeof(rd));
	rd.rtp = rtp;
	rd.h = h;
	rd.arg = arg;
	rd.st = st;
	dlt = pcap_datalink(pc);

	/* a pcapng's frame comments: its blocks walked beside libpcap */
	if (!pcapng_rd_open(&ng, path)) {
		rd.comment = mbuf_alloc(256);
		if (!rd.comment)
			pcapng_rd_close(&ng);
	}

	while ((rc = pcap_next_ex(pc, &ph, &data)) == 1) {

		rd.frame = ++st->frames;
		if (rd.comment) {
			mbuf_rewind(rd.comment);
			if (!pcapng_rd_packet(&ng))
				(void)pcapng_rd_comments(&ng, rd.comment,
							 "\n");
			rd.comment->pos = 0;
		}
		if (frame_in(&rd, dlt, ph, data)) {
			pcap_close(pc);
			list_flush(&rd.frags);
			list_flush(&rd.flows);
			pcapng_rd_close(&ng);
			mem_deref(rd.comment);
			if (why)
				re_sdprintf(why, "link type %d (%s) is not "
					    "supported", dlt,
					    pcap_datalink_val_to_name(dlt));
			return ENOTSUP;
		}
	}

	if (rc == -1) {
		/* a file cut short: what was read is kept, and said */
		++st->truncated;
		if (why)
			re_sdprintf(why, "%s", pcap_geterr(pc));
	}

	pcap_close(pc);
	list_flush(&rd.frags);
	list_flush(&rd.flows);
	pcapng_rd_close(&ng);
	mem_deref(rd.comment);

	return 0;
}


/* a reader fed one packet at a time: a live capture */
struct pcapr_feed {
	struct reader rd;
	struct pcapr_stats st;
};


static void feed_destructor(void *data)
{
	struct pcapr_feed *f = data;

	list_flush(&f->rd.frags);
	list_flush(&f->rd.flows);
}


/**
 * A reader for IP packets handed over one by one (a live capture, whose
 * caller has found the IP header with pcapr_link_ip): the SIP messages
 * they carry go to h as pcapr_read finds them in a file — datagrams, and
 * TCP streams in sequence order framed by Content-Length — with the frame
 * number the caller gives each packet.
 */
int pcapr_feed_alloc(struct pcapr_feed **fp, pcapr_msg_h *h, void *arg)
{
	struct pcapr_feed *f;

	if (!fp || !h)
		return EINVAL;

	f = mem_zalloc(sizeof(*f), feed_destructor);
	if (!f)
		return ENOMEM;

	f->rd.h = h;
	f->rd.arg = arg;
	f->rd.st = &f->st;
	*fp = f;

	return 0;
}


/** One IP packet (from its IP header on), captured at ts; its messages
 *  reach the handler before this returns */
int pcapr_feed(struct pcapr_feed *f, const struct timeval *ts,
	       const uint8_t *pkt, size_t len, uint32_t frame)
{
	if (!f || !ts || !pkt)
		return EINVAL;

	++f->st.frames;
	f->rd.frame = frame;
	f->rd.ts = *ts;
	pcapr_ip(&f->rd, pkt, len);

	return 0;
}
