/* capture/pcapw.c — write every packet of a run to a pcap file
 *
 * Frames are raw IP (LINKTYPE_RAW): an IPv4 or IPv6 header and a UDP
 * header, both with correct checksums, around each datagram; a message
 * over TCP (or TLS, as the SIP it carried) is one TCP segment with
 * consistent sequence numbers per connection. The file is
 * flushed after every packet so that it is whole whenever the run stops.
 */
#include <string.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <re.h>
#include "pcapw.h"


enum {
	IP4_HDR = 20,
	IP6_HDR = 40,
	UDP_HDR = 8,
	TCP_HDR = 20,
	SNAPLEN = 65535 + IP6_HDR,
};

struct pcapw {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	char *path;
	uint8_t *frame;        /* one reusable frame buffer */
	uint32_t frames;
	uint16_t ipid;
	struct list flows;     /* struct flow: TCP connections */
	pcapw_time_h *timeh;   /* what "now" is, or NULL: the wall time */
	void *time_arg;
};


/* now, as the writer's owner keeps time (a run's clock may be virtual) */
static void stamp(const struct pcapw *pw, struct timeval *tv)
{
	if (pw->timeh)
		pw->timeh(tv, pw->time_arg);
	else
		gettimeofday(tv, NULL);
}


/** What the packets written without a stamp of their own are stamped
 *  with: th's time instead of the wall time (NULL: the wall time) */
void pcapw_set_time(struct pcapw *pw, pcapw_time_h *th, void *arg)
{
	if (!pw)
		return;

	pw->timeh = th;
	pw->time_arg = arg;
}


static void destructor(void *data)
{
	struct pcapw *pw = data;

	if (pw->dump) {
		pcap_dump_flush(pw->dump);
		pcap_dump_close(pw->dump);
	}
	if (pw->pcap)
		pcap_close(pw->pcap);
	list_flush(&pw->flows);
	mem_deref(pw->path);
	mem_deref(pw->frame);
}


/** Create (or truncate) a pcap file for raw IP frames */
int pcapw_open(struct pcapw **pwp, const char *path)
{
	struct pcapw *pw;
	int err;

	if (!pwp || !path)
		return EINVAL;

	pw = mem_zalloc(sizeof(*pw), destructor);
	if (!pw)
		return ENOMEM;

	err = str_dup(&pw->path, path);
	if (err)
		goto out;

	pw->frame = mem_alloc(SNAPLEN, NULL);
	pw->pcap = pcap_open_dead(DLT_RAW, SNAPLEN);
	if (!pw->frame || !pw->pcap) {
		err = ENOMEM;
		goto out;
	}

	pw->dump = pcap_dump_open(pw->pcap, path);
	if (!pw->dump) {
		err = errno ? errno : EIO;
		goto out;
	}

	pw->ipid = (uint16_t)rand_u16();

 out:
	if (err)
		mem_deref(pw);
	else
		*pwp = pw;

	return err;
}


static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);

	return sum;
}


static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);

	return (uint16_t)~sum;
}


static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}


static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}


/* the UDP header and payload at p, checksum over the pseudo-header */
static void udp(uint8_t *p, uint32_t pseudo, const struct sa *src,
		const struct sa *dst, const uint8_t *payload, size_t len)
{
	uint16_t ulen = (uint16_t)(UDP_HDR + len);
	uint16_t ck;

	put16(p, sa_port(src));
	put16(p + 2, sa_port(dst));
	put16(p + 4, ulen);
	put16(p + 6, 0);
	memcpy(p + UDP_HDR, payload, len);

	ck = fold(sum16(pseudo + IPPROTO_UDP + ulen, p, ulen));
	put16(p + 6, ck ? ck : 0xffff); /* RFC 768: 0 means "none" */
}


/* the IP header for an L4 packet of l4len bytes; *pseudo: the sum of the
 * addresses for the L4 checksum. Returns the header's length. */
static size_t ip_hdr(struct pcapw *pw, uint8_t proto, const struct sa *src,
		     const struct sa *dst, size_t l4len, uint32_t *pseudo)
{
	uint8_t *ip = pw->frame;

	if (sa_af(src) == AF_INET) {
		memset(ip, 0, IP4_HDR);
		ip[0] = 0x45;                /* version 4, 5 words */
		put16(ip + 2, (uint16_t)(IP4_HDR + l4len));
		put16(ip + 4, pw->ipid++);
		ip[8] = 64;                  /* TTL */
		ip[9] = proto;
		memcpy(ip + 12, &src->u.in.sin_addr, 4);
		memcpy(ip + 16, &dst->u.in.sin_addr, 4);
		put16(ip + 10, fold(sum16(0, ip, IP4_HDR)));
		*pseudo = sum16(0, ip + 12, 8);
		return IP4_HDR;
	}

	memset(ip, 0, IP6_HDR);
	ip[0] = 0x60;                        /* version 6 */
	put16(ip + 4, (uint16_t)l4len);
	ip[6] = proto;
	ip[7] = 64;                          /* hop limit */
	memcpy(ip + 8, &src->u.in6.sin6_addr, 16);
	memcpy(ip + 24, &dst->u.in6.sin6_addr, 16);
	*pseudo = sum16(0, ip + 8, 32);

	return IP6_HDR;
}


/* a frame goes to the file */
static int emit(struct pcapw *pw, const struct timeval *ts,
		const uint8_t *frame, size_t len, uint32_t *framep)
{
	struct pcap_pkthdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.ts = *ts;
	hdr.len = hdr.caplen = (bpf_u_int32)len;

	pcap_dump((u_char *)pw->dump, &hdr, frame);
	if (pcap_dump_flush(pw->dump))
		return EIO;

	++pw->frames;
	if (framep)
		*framep = pw->frames;

	return 0;
}


static int check_addrs(const struct sa *src, const struct sa *dst,
		       size_t len, size_t l4hdr)
{
	int af = sa_af(src);

	if (af != sa_af(dst) || (af != AF_INET && af != AF_INET6))
		return EAFNOSUPPORT;
	if (len + l4hdr + (af == AF_INET ? IP4_HDR : 0) > 65535)
		return EMSGSIZE;

	return 0;
}


/** Write one UDP datagram with a given time; *framep: its frame number */
int pcapw_write_ts(struct pcapw *pw, const struct timeval *ts,
		   const struct sa *src, const struct sa *dst,
		   const uint8_t *payload, size_t len, uint32_t *framep)
{
	uint32_t pseudo;
	size_t off;
	int err;

	if (!pw || !ts || !src || !dst || (!payload && len))
		return EINVAL;

	err = check_addrs(src, dst, len, UDP_HDR);
	if (err)
		return err;

	off = ip_hdr(pw, IPPROTO_UDP, src, dst, UDP_HDR + len, &pseudo);
	udp(pw->frame + off, pseudo, src, dst, payload, len);

	return emit(pw, ts, pw->frame, off + UDP_HDR + len, framep);
}


/* a TCP connection seen in the file: the next sequence number each way */
struct flow {
	struct le le;
	struct sa a, b;
	uint32_t seq_ab, seq_ba;
};


static struct flow *flow_get(struct pcapw *pw, const struct sa *src,
			     const struct sa *dst, bool *fwd)
{
	struct flow *fl;
	struct le *le;

	for (le = pw->flows.head; le; le = le->next) {
		fl = le->data;

		if (sa_cmp(&fl->a, src, SA_ALL) && sa_cmp(&fl->b, dst, SA_ALL))
			*fwd = true;
		else if (sa_cmp(&fl->a, dst, SA_ALL) &&
			 sa_cmp(&fl->b, src, SA_ALL))
			*fwd = false;
		else
			continue;

		return fl;
	}

	fl = mem_zalloc(sizeof(*fl), NULL);
	if (!fl)
		return NULL;

	fl->a = *src;
	fl->b = *dst;
	fl->seq_ab = rand_u32();
	fl->seq_ba = rand_u32();
	list_append(&pw->flows, &fl->le, fl);
	*fwd = true;

	return fl;
}


/*
 * Write one message as a TCP segment of the connection src-dst (PSH,
 * ACK), its sequence number following what the file already holds of
 * that direction, acknowledging all of the other; no handshake.
 */
int pcapw_write_tcp(struct pcapw *pw, const struct sa *src,
		    const struct sa *dst, const uint8_t *payload, size_t len,
		    uint32_t *framep)
{
	struct timeval tv;
	uint32_t pseudo, *seq, *ack;
	struct flow *fl;
	uint8_t *p;
	size_t off;
	bool fwd;
	int err;

	if (!pw || !src || !dst || (!payload && len))
		return EINVAL;

	err = check_addrs(src, dst, len, TCP_HDR);
	if (err)
		return err;

	fl = flow_get(pw, src, dst, &fwd);
	if (!fl)
		return ENOMEM;
	seq = fwd ? &fl->seq_ab : &fl->seq_ba;
	ack = fwd ? &fl->seq_ba : &fl->seq_ab;

	off = ip_hdr(pw, IPPROTO_TCP, src, dst, TCP_HDR + len, &pseudo);
	p = pw->frame + off;
	memset(p, 0, TCP_HDR);
	put16(p, sa_port(src));
	put16(p + 2, sa_port(dst));
	put32(p + 4, *seq);
	put32(p + 8, *ack);
	p[12] = (TCP_HDR / 4) << 4;          /* data offset */
	p[13] = 0x18;                        /* PSH, ACK */
	put16(p + 14, 65535);                /* window */
	memcpy(p + TCP_HDR, payload, len);
	put16(p + 16, fold(sum16(pseudo + IPPROTO_TCP + TCP_HDR + len, p,
				 TCP_HDR + len)));
	*seq += (uint32_t)len;

	stamp(pw, &tv);

	return emit(pw, &tv, pw->frame, off + TCP_HDR + len, framep);
}


/** Write an IP packet as captured elsewhere (live capture of a DUT) */
int pcapw_write_ip(struct pcapw *pw, const struct timeval *ts,
		   const uint8_t *ip, size_t len, uint32_t *framep)
{
	if (!pw || !ts || !ip || !len || len > SNAPLEN)
		return EINVAL;

	return emit(pw, ts, ip, len, framep);
}


/** Write one UDP datagram stamped now (pcapw_set_time) */
int pcapw_write(struct pcapw *pw, const struct sa *src, const struct sa *dst,
		const uint8_t *payload, size_t len, uint32_t *framep)
{
	struct timeval tv;

	stamp(pw, &tv);

	return pcapw_write_ts(pw, &tv, src, dst, payload, len, framep);
}


/** How many frames the file holds */
uint32_t pcapw_frames(const struct pcapw *pw)
{
	return pw ? pw->frames : 0;
}


const char *pcapw_path(const struct pcapw *pw)
{
	return pw ? pw->path : NULL;
}
