/* capture/pcapw.c — write every packet of a run to a pcap file
 *
 * Frames are raw IP (LINKTYPE_RAW): an IPv4 or IPv6 header and a UDP
 * header, both with correct checksums, around each datagram. The file is
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
	MAX_UDP4 = 65535 - IP4_HDR - UDP_HDR,
	MAX_UDP6 = 65535 - UDP_HDR,
	SNAPLEN = 65535 + IP6_HDR,
};

struct pcapw {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	char *path;
	uint8_t *frame;        /* one reusable frame buffer */
	uint32_t frames;
	uint16_t ipid;
};


static void destructor(void *data)
{
	struct pcapw *pw = data;

	if (pw->dump) {
		pcap_dump_flush(pw->dump);
		pcap_dump_close(pw->dump);
	}
	if (pw->pcap)
		pcap_close(pw->pcap);
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


static size_t frame4(struct pcapw *pw, const struct sa *src,
		     const struct sa *dst, const uint8_t *payload, size_t len)
{
	uint8_t *ip = pw->frame;
	uint32_t pseudo;

	memset(ip, 0, IP4_HDR);
	ip[0] = 0x45;                        /* version 4, 5 words */
	put16(ip + 2, (uint16_t)(IP4_HDR + UDP_HDR + len));
	put16(ip + 4, pw->ipid++);
	ip[8] = 64;                          /* TTL */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src->u.in.sin_addr, 4);
	memcpy(ip + 16, &dst->u.in.sin_addr, 4);
	put16(ip + 10, fold(sum16(0, ip, IP4_HDR)));

	pseudo = sum16(0, ip + 12, 8);
	udp(ip + IP4_HDR, pseudo, src, dst, payload, len);

	return IP4_HDR + UDP_HDR + len;
}


static size_t frame6(struct pcapw *pw, const struct sa *src,
		     const struct sa *dst, const uint8_t *payload, size_t len)
{
	uint8_t *ip = pw->frame;
	uint32_t pseudo;

	memset(ip, 0, IP6_HDR);
	ip[0] = 0x60;                        /* version 6 */
	put16(ip + 4, (uint16_t)(UDP_HDR + len));
	ip[6] = IPPROTO_UDP;
	ip[7] = 64;                          /* hop limit */
	memcpy(ip + 8, &src->u.in6.sin6_addr, 16);
	memcpy(ip + 24, &dst->u.in6.sin6_addr, 16);

	pseudo = sum16(0, ip + 8, 32);
	udp(ip + IP6_HDR, pseudo, src, dst, payload, len);

	return IP6_HDR + UDP_HDR + len;
}


/** Write one UDP datagram with a given time; *framep: its frame number */
int pcapw_write_ts(struct pcapw *pw, const struct timeval *ts,
		   const struct sa *src, const struct sa *dst,
		   const uint8_t *payload, size_t len, uint32_t *framep)
{
	struct pcap_pkthdr hdr;
	int af;

	if (!pw || !ts || !src || !dst || (!payload && len))
		return EINVAL;

	af = sa_af(src);
	if (af != sa_af(dst) || (af != AF_INET && af != AF_INET6))
		return EAFNOSUPPORT;
	if (len > (af == AF_INET ? (size_t)MAX_UDP4 : (size_t)MAX_UDP6))
		return EMSGSIZE;

	memset(&hdr, 0, sizeof(hdr));
	hdr.ts = *ts;
	hdr.len = (bpf_u_int32)(af == AF_INET
				? frame4(pw, src, dst, payload, len)
				: frame6(pw, src, dst, payload, len));
	hdr.caplen = hdr.len;

	pcap_dump((u_char *)pw->dump, &hdr, pw->frame);
	if (pcap_dump_flush(pw->dump))
		return EIO;

	++pw->frames;
	if (framep)
		*framep = pw->frames;

	return 0;
}


/** Write an IP packet as captured elsewhere (live capture of a DUT) */
int pcapw_write_ip(struct pcapw *pw, const struct timeval *ts,
		   const uint8_t *ip, size_t len, uint32_t *framep)
{
	struct pcap_pkthdr hdr;

	if (!pw || !ts || !ip || !len || len > SNAPLEN)
		return EINVAL;

	memset(&hdr, 0, sizeof(hdr));
	hdr.ts = *ts;
	hdr.len = hdr.caplen = (bpf_u_int32)len;
	pcap_dump((u_char *)pw->dump, &hdr, ip);
	if (pcap_dump_flush(pw->dump))
		return EIO;

	++pw->frames;
	if (framep)
		*framep = pw->frames;

	return 0;
}


/** Write one UDP datagram stamped now */
int pcapw_write(struct pcapw *pw, const struct sa *src, const struct sa *dst,
		const uint8_t *payload, size_t len, uint32_t *framep)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);

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
