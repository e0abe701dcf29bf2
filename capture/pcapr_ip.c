/* capture/pcapr_ip.c — from a frame to a transport payload: the link
 * layers (Ethernet with 802.1Q/802.1ad tags, Linux cooked SLL and SLL2,
 * raw IP, BSD loopback), IPv4 and IPv6 (extension headers skipped) with
 * fragments reassembled (at most MAX_FRAGS datagrams at once), UDP to the
 * message reader, TCP to its streams (pcapr_tcp.c). */
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <re.h>
#include "pcapr.h"
#include "pcapr_priv.h"


static void frag_destructor(void *data)
{
	struct frag *f = data;

	list_unlink(&f->le);
	mem_deref(f->buf);
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
		pcapr_emit(rd, &src, &dst, false, p + 8, ulen - 8);
	}
	else if (proto == IPPROTO_TCP) {
		pcapr_tcp_segment(rd, &src, &dst, p, len);
	}
	else {
		++rd->st->skipped;
	}
}

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


void pcapr_ip(struct reader *rd, const uint8_t *p, size_t len)
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
