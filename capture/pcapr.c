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
 * (About 840 lines: one path from a file to a message, link layer to TCP
 * reassembly; the SIP scanner is capture/sipscan.c.)
 */
#define _GNU_SOURCE 1  /* memmem */
#include <string.h>
#include <ctype.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <re.h>
#include "pcapng.h"
#include "pcapr.h"


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


static void frag_destructor(void *data)
{
	struct frag *f = data;

	list_unlink(&f->le);
	mem_deref(f->buf);
}


static void seg_destructor(void *data)
{
	struct seg *s = data;

	list_unlink(&s->le);
	mem_deref(s->mb);
}


static void flow_destructor(void *data)
{
	struct flow *f = data;

	list_unlink(&f->le);
	list_flush(&f->ooo);
	mem_deref(f->buf);
}


/* does this look like the start of a SIP message? */
static bool sip_start(const uint8_t *p, size_t len)
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


static void emit(struct reader *rd, const struct sa *src, const struct sa *dst,
		 bool tcp, const uint8_t *p, size_t len)
{
	struct pcapr_msg m;

	if (!sip_start(p, len)) {
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


/* the Content-Length of a header block (0 if none) */
static size_t clen_of(const uint8_t *p, size_t hlen)
{
	size_t i = 0;

	while (i < hlen) {
		const uint8_t *line = p + i;
		size_t l = 0;

		while (i + l < hlen && line[l] != '\n')
			l++;
		if ((l > 15 && !strncasecmp((const char *)line,
					    "Content-Length:", 15)) ||
		    (l > 2 && (line[0] == 'l' || line[0] == 'L') &&
		     (line[1] == ':' || line[1] == ' '))) {
			const uint8_t *c = memchr(line, ':', l);
			size_t v = 0;

			for (c = c ? c + 1 : line + l; c < line + l; c++) {
				if (isdigit(*c))
					v = v * 10 + (size_t)(*c - '0');
				else if (*c != ' ' && *c != '\t')
					break;
				if (v > MAX_STREAM)
					return MAX_STREAM;
			}
			return v;
		}
		i += l + 1;
	}

	return 0;
}


/* cut whole messages off the front of a flow's stream */
static void frame_stream(struct reader *rd, struct flow *fl)
{
	struct mbuf *b = fl->buf;

	for (;;) {
		const uint8_t *p = mbuf_buf(b), *eoh = NULL;
		size_t left = mbuf_get_left(b), hlen, clen;

		/* keepalives (CRLF) between messages */
		while (left && (*p == '\r' || *p == '\n')) {
			++p;
			--left;
			mbuf_advance(b, 1);
		}
		if (!left)
			break;

		if (left >= 8 && !sip_start(p, left)) {
			fl->not_sip = true;
			break;
		}

		eoh = memmem(p, left, "\r\n\r\n", 4);
		if (!eoh)
			break;
		eoh += 4;

		hlen = (size_t)(eoh - p);
		clen = clen_of(p, hlen);
		if (left < hlen + clen)
			break;

		emit(rd, &fl->src, &fl->dst, true, p, hlen + clen);
		mbuf_advance(b, (ssize_t)(hlen + clen));
	}

	/* keep what is left at the front of the buffer */
	if (b->pos == b->end) {
		mbuf_rewind(b);
	}
	else if (b->pos > 65536) {
		size_t left = mbuf_get_left(b);
		memmove(b->buf, mbuf_buf(b), left);
		b->pos = 0;
		b->end = left;
	}

	if (mbuf_get_left(b) > MAX_STREAM) {
		mbuf_rewind(b);
		fl->not_sip = true;
	}
}


static struct flow *flow_get(struct reader *rd, const struct sa *src,
			     const struct sa *dst)
{
	struct flow *fl;
	struct le *le;

	for (le = rd->flows.head; le; le = le->next) {
		fl = le->data;
		if (sa_cmp(&fl->src, src, SA_ALL) &&
		    sa_cmp(&fl->dst, dst, SA_ALL))
			return fl;
	}

	if (rd->nflows >= MAX_FLOWS) {
		mem_deref(rd->flows.head->data);
		--rd->nflows;
	}

	fl = mem_zalloc(sizeof(*fl), flow_destructor);
	if (!fl)
		return NULL;
	fl->buf = mbuf_alloc(2048);
	if (!fl->buf) {
		mem_deref(fl);
		return NULL;
	}
	fl->src = *src;
	fl->dst = *dst;
	list_append(&rd->flows, &fl->le, fl);
	++rd->nflows;

	return fl;
}


static void append(struct flow *fl, const uint8_t *p, size_t len)
{
	size_t pos = fl->buf->pos;

	fl->buf->pos = fl->buf->end;
	(void)mbuf_write_mem(fl->buf, p, len);
	fl->buf->pos = pos;
	fl->next += (uint32_t)len;
}


/* in sequence order: data at or overlapping next is appended; data
 * ahead of it waits; data behind it (a retransmission) is dropped */
static void tcp_data(struct reader *rd, struct flow *fl, uint32_t seq,
		     const uint8_t *p, size_t len)
{
	bool more = true;

	if (!fl->synced) {
		fl->synced = true;
		fl->next = seq;
	}

	if ((int32_t)(seq - fl->next) > 0) {
		struct seg *s;

		if (fl->nooo >= MAX_OOO)
			return;
		s = mem_zalloc(sizeof(*s), seg_destructor);
		if (!s)
			return;
		s->seq = seq;
		s->mb = mbuf_alloc(len);
		if (s->mb)
			(void)mbuf_write_mem(s->mb, p, len);
		list_append(&fl->ooo, &s->le, s);
		++fl->nooo;
		return;
	}

	if ((int32_t)(seq + (uint32_t)len - fl->next) > 0) {
		uint32_t skip = fl->next - seq;
		append(fl, p + skip, len - skip);
	}

	while (more) {
		struct le *le;

		more = false;
		for (le = fl->ooo.head; le; le = le->next) {
			struct seg *s = le->data;
			uint32_t end = s->seq + (uint32_t)s->mb->end;

			if ((int32_t)(s->seq - fl->next) > 0)
				continue;
			if ((int32_t)(end - fl->next) > 0) {
				uint32_t skip = fl->next - s->seq;
				append(fl, s->mb->buf + skip,
				       s->mb->end - skip);
			}
			mem_deref(s);
			--fl->nooo;
			more = true;
			break;
		}
	}

	frame_stream(rd, fl);
}


static void transport(struct reader *rd, int af, const uint8_t *sa,
		      const uint8_t *da, uint8_t proto, const uint8_t *p,
		      size_t len)
{
	struct sa src, dst;

	if (af == AF_INET) {
		uint32_t s, d;
		memcpy(&s, sa, 4);
		memcpy(&d, da, 4);
		sa_set_in(&src, ntohl(s), 0);
		sa_set_in(&dst, ntohl(d), 0);
	}
	else {
		sa_set_in6(&src, sa, 0);
		sa_set_in6(&dst, da, 0);
	}

	if (proto == IPPROTO_UDP) {
		size_t ulen;

		if (len < 8) {
			++rd->st->truncated;
			return;
		}
		sa_set_port(&src, (uint16_t)(p[0] << 8 | p[1]));
		sa_set_port(&dst, (uint16_t)(p[2] << 8 | p[3]));
		ulen = (size_t)(p[4] << 8 | p[5]);
		if (ulen < 8 || ulen > len)
			ulen = len;
		emit(rd, &src, &dst, false, p + 8, ulen - 8);
	}
	else if (proto == IPPROTO_TCP) {
		size_t off;
		uint32_t seq;
		struct flow *fl;

		if (len < 20) {
			++rd->st->truncated;
			return;
		}
		sa_set_port(&src, (uint16_t)(p[0] << 8 | p[1]));
		sa_set_port(&dst, (uint16_t)(p[2] << 8 | p[3]));
		seq = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
		      (uint32_t)p[6] << 8 | p[7];
		off = (size_t)(p[12] >> 4) * 4;
		if (off < 20 || off > len) {
			++rd->st->truncated;
			return;
		}

		fl = flow_get(rd, &src, &dst);
		if (!fl)
			return;
		if (p[13] & 0x02) { /* SYN */
			fl->synced = true;
			fl->next = seq + 1;
			mbuf_rewind(fl->buf);
			fl->not_sip = false;
			return;
		}
		if (len > off && !fl->not_sip)
			tcp_data(rd, fl, seq, p + off, len - off);
	}
	else {
		++rd->st->skipped;
	}
}


/* a fragment: once the datagram is whole, pass it on */
/* the 8-byte blocks a fragment at off (a multiple of 8) fills: all of
 * them if it is the last, else only those it fills whole */
static void mark(struct frag *f, size_t off, size_t len, bool more)
{
	size_t b, end = (more ? off + len : off + len + 7) / 8;

	for (b = off / 8; b < end; b++)
		f->got[b / 8] |= (uint8_t)(1u << (b % 8));
}


/* every block up to the last fragment's end received: a fragment that
 * came twice does not stand in for one that never came */
static bool whole(const struct frag *f)
{
	size_t b, n = (f->total + 7) / 8;

	for (b = 0; b < n; b++) {
		if (!(f->got[b / 8] & (1u << (b % 8))))
			return false;
	}

	return true;
}


static void fragment(struct reader *rd, int af, const uint8_t *sa,
		     const uint8_t *da, uint32_t id, uint8_t proto,
		     size_t off, bool more, const uint8_t *p, size_t len)
{
	size_t alen = af == AF_INET ? 4 : 16;
	struct frag *f = NULL;
	struct le *le;

	for (le = rd->frags.head; le; le = le->next) {
		struct frag *x = le->data;
		if (x->af == af && x->id == id && x->proto == proto &&
		    !memcmp(x->src, sa, alen) && !memcmp(x->dst, da, alen)) {
			f = x;
			break;
		}
	}

	if (!f) {
		if (list_count(&rd->frags) >= MAX_FRAGS)
			mem_deref(rd->frags.head->data);
		f = mem_zalloc(sizeof(*f), frag_destructor);
		if (!f)
			return;
		f->buf = mem_alloc(MAX_DGRAM, NULL);
		if (!f->buf) {
			mem_deref(f);
			return;
		}
		f->af = af;
		f->id = id;
		f->proto = proto;
		memcpy(f->src, sa, alen);
		memcpy(f->dst, da, alen);
		list_append(&rd->frags, &f->le, f);
	}

	if (off + len > MAX_DGRAM) {
		mem_deref(f);
		return;
	}

	memcpy(f->buf + off, p, len);
	mark(f, off, len, more);
	if (!more)
		f->total = off + len;

	if (f->total && whole(f)) {
		++rd->st->fragments;
		transport(rd, af, f->src, f->dst, proto, f->buf, f->total);
		mem_deref(f);
	}
}


static void ipv4(struct reader *rd, const uint8_t *p, size_t len)
{
	size_t ihl, tot, off;
	bool more;

	if (len < 20 || (p[0] >> 4) != 4) {
		++rd->st->skipped;
		return;
	}
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = (size_t)(p[2] << 8 | p[3]);
	if (ihl < 20 || tot < ihl) {
		++rd->st->skipped;
		return;
	}
	if (tot > len) {
		++rd->st->truncated;
		return;
	}

	off = (size_t)((p[6] & 0x1f) << 8 | p[7]) * 8;
	more = p[6] & 0x20;
	if (off || more) {
		fragment(rd, AF_INET, p + 12, p + 16,
			 (uint32_t)(p[4] << 8 | p[5]), p[9], off, more,
			 p + ihl, tot - ihl);
		return;
	}

	transport(rd, AF_INET, p + 12, p + 16, p[9], p + ihl, tot - ihl);
}


static void ipv6(struct reader *rd, const uint8_t *p, size_t len)
{
	size_t plen, off = 40;
	uint8_t nh;

	if (len < 40 || (p[0] >> 4) != 6) {
		++rd->st->skipped;
		return;
	}
	plen = (size_t)(p[4] << 8 | p[5]);
	if (40 + plen > len) {
		++rd->st->truncated;
		return;
	}
	len = 40 + plen;
	nh = p[6];

	for (;;) {
		switch (nh) {

		case 0:   /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
			if (off + 8 > len)
				goto trunc;
			nh = p[off];
			off += ((size_t)p[off + 1] + 1) * 8;
			continue;

		case 44: { /* fragment */
			size_t fo;
			uint32_t id;

			if (off + 8 > len)
				goto trunc;
			fo = (size_t)(p[off + 2] << 8 | p[off + 3]) & 0xfff8;
			id = (uint32_t)p[off + 4] << 24 |
			     (uint32_t)p[off + 5] << 16 |
			     (uint32_t)p[off + 6] << 8 | p[off + 7];
			fragment(rd, AF_INET6, p + 8, p + 24, id, p[off], fo,
				 p[off + 3] & 1, p + off + 8, len - off - 8);
			return;
		}

		default:
			if (off > len)
				goto trunc;
			transport(rd, AF_INET6, p + 8, p + 24, nh, p + off,
				  len - off);
			return;
		}
	}

 trunc:
	++rd->st->truncated;
}


static void ip(struct reader *rd, const uint8_t *p, size_t len)
{
	if (len && (p[0] >> 4) == 4)
		ipv4(rd, p, len);
	else if (len && (p[0] >> 4) == 6)
		ipv6(rd, p, len);
	else
		++rd->st->skipped;
}


/**
 * Where the IP header starts in a frame of link type dlt: 0 and *off, or
 * EPROTO (not IP), EMSGSIZE (cut short), ENOTSUP (link type unknown).
 */
int pcapr_link_ip(int dlt, const uint8_t *p, size_t len, size_t *off)
{
	uint16_t type;
	size_t o;

	switch (dlt) {

	case DLT_EN10MB:
		o = 14;
		if (len < o)
			return EMSGSIZE;
		type = (uint16_t)(p[12] << 8 | p[13]);
		break;

	case DLT_LINUX_SLL:
		o = 16;
		if (len < o)
			return EMSGSIZE;
		type = (uint16_t)(p[14] << 8 | p[15]);
		break;

	case DLT_LINUX_SLL2:
		o = 20;
		if (len < o)
			return EMSGSIZE;
		type = (uint16_t)(p[0] << 8 | p[1]);
		break;

	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case 101: /* LINKTYPE_RAW as some files carry it */
		*off = 0;
		return len ? 0 : EMSGSIZE;

	case DLT_NULL:
	case DLT_LOOP:
		if (len < 4)
			return EMSGSIZE;
		*off = 4;
		return 0;

	default:
		return ENOTSUP;
	}

	/* 802.1Q / 802.1ad tags */
	while ((type == 0x8100 || type == 0x88a8) && o + 4 <= len) {
		type = (uint16_t)(p[o + 2] << 8 | p[o + 3]);
		o += 4;
	}

	if (type != 0x0800 && type != 0x86dd)
		return EPROTO;
	if (o >= len)
		return EMSGSIZE;

	*off = o;
	return 0;
}


/**
 * The addresses and ports of an unfragmented UDP datagram or TCP segment,
 * from its IP header on (IPv4 without fragments, IPv6 without extension
 * headers): 0, or EPROTO.
 */
int pcapr_addrs(const uint8_t *p, size_t len, struct sa *src, struct sa *dst)
{
	size_t ihl, tot;
	uint8_t proto;

	if (len >= 20 && (p[0] >> 4) == 4) {
		uint32_t s, d;

		ihl = (size_t)(p[0] & 0x0f) * 4;
		tot = (size_t)(p[2] << 8 | p[3]);
		proto = p[9];
		if (ihl < 20 || tot > len || (p[6] & 0x3f) || p[7])
			return EPROTO;
		memcpy(&s, p + 12, 4);
		memcpy(&d, p + 16, 4);
		sa_set_in(src, ntohl(s), 0);
		sa_set_in(dst, ntohl(d), 0);
	}
	else if (len >= 40 && (p[0] >> 4) == 6) {
		ihl = 40;
		tot = 40 + (size_t)(p[4] << 8 | p[5]);
		proto = p[6];
		if (tot > len)
			return EPROTO;
		sa_set_in6(src, p + 8, 0);
		sa_set_in6(dst, p + 24, 0);
	}
	else {
		return EPROTO;
	}

	if ((proto != IPPROTO_UDP || tot < ihl + 8) &&
	    (proto != IPPROTO_TCP || tot < ihl + 20))
		return EPROTO;

	sa_set_port(src, (uint16_t)(p[ihl] << 8 | p[ihl + 1]));
	sa_set_port(dst, (uint16_t)(p[ihl + 2] << 8 | p[ihl + 3]));

	return 0;
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
		ip(rd, data + off, ph->caplen - off);
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
	ip(&f->rd, pkt, len);

	return 0;
}
