/* capture/pcapw.c — write every packet of a run to a pcapng (or pcap)
 * file, and the verdicts on its frames as comments
 *
 * Frames are raw IP (LINKTYPE_RAW): an IPv4 or IPv6 header and a UDP
 * header, both with correct checksums, around each datagram; a message
 * over TCP (or TLS, as the SIP it carried) is one TCP segment with
 * consistent sequence numbers per connection. The file is
 * flushed after every packet so that it is whole whenever the run stops.
 *
 * pcapng (capture/pcapng.c) or classic pcap (libpcap's dumper). A frame's
 * comments (pcapw_comment) are known only once the run has judged it, so
 * they are kept in memory and pcapw_finish copies the file once with
 * them, into a new file renamed over the old one: until then, and if the
 * copy fails, the file is whole without them.
 *
 * A write that fails (a full disk) is kept with its reason and stops the
 * writing: the file is broken from there. Frames are numbered all the
 * same, so the report's frame numbers stay those of the run. pcapw_close
 * and pcapw_error tell the owner, who fails the run naming the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <re.h>
#include "wfile.h"
#include "esc.h"
#include "pcapng.h"
#include "pcapw.h"


enum {
	IP4_HDR = 20,
	IP6_HDR = 40,
	UDP_HDR = 8,
	TCP_HDR = 20,
	SNAPLEN = 65535 + IP6_HDR,
	LINKTYPE_RAW = 101,
};

/* a frame's comment, until pcapw_finish */
struct note {
	struct le le;
	uint32_t frame;
	uint32_t seq;          /* order of arrival, among a frame's */
	char *text;
};

struct pcapw {
	enum pcapw_fmt fmt;
	pcap_t *pcap;          /* classic pcap: libpcap's dumper */
	pcap_dumper_t *dump;
	struct wfile wf;       /* pcapng: ours */
	struct mbuf *mb;       /* one block being written */
	struct list notes;     /* struct note */
	uint32_t nnotes;
	char *path;
	uint8_t *frame;        /* one reusable frame buffer */
	uint32_t frames;
	int err;               /* the first write that failed, or 0 */
	const char *why;       /* what of the file it cost */
	bool closed;
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


/* the first write that failed: kept, and no more is written */
static int lost(struct pcapw *pw, int err, const char *why)
{
	if (!pw->err) {
		pw->err = err;
		pw->why = why;
	}

	return err;
}


static void destructor(void *data)
{
	struct pcapw *pw = data;

	(void)pcapw_close(pw);
	if (pw->pcap)
		pcap_close(pw->pcap);
	mem_deref(pw->mb);
	list_flush(&pw->notes);
	list_flush(&pw->flows);
	mem_deref(pw->path);
	mem_deref(pw->frame);
}


static const char * const fmt_names[] = {
	[PCAPW_PCAP]   = "pcap",
	[PCAPW_PCAPNG] = "pcapng",
};


/** The format called name ("pcap", "pcapng"): 0, or ENOENT */
int pcapw_format(enum pcapw_fmt *fmtp, const char *name)
{
	size_t i;

	if (!fmtp || !name)
		return EINVAL;

	for (i = 0; i < ARRAY_SIZE(fmt_names); i++) {
		if (!strcmp(name, fmt_names[i])) {
			*fmtp = (enum pcapw_fmt)i;
			return 0;
		}
	}

	return ENOENT;
}


/** The file name extension of fmt: ".pcapng" or ".pcap" */
const char *pcapw_ext(enum pcapw_fmt fmt)
{
	return fmt == PCAPW_PCAPNG ? ".pcapng" : ".pcap";
}


static int open_pcap(struct pcapw *pw, const char *path)
{
	pw->pcap = pcap_open_dead(DLT_RAW, SNAPLEN);
	if (!pw->pcap)
		return ENOMEM;

	pw->dump = pcap_dump_open(pw->pcap, path);
	if (!pw->dump)
		return errno ? errno : EIO;

	return 0;
}


/* write what pw->mb holds and flush it */
static int put_mb(struct pcapw *pw)
{
	size_t n = pw->mb->end;
	int err;

	mbuf_rewind(pw->mb);
	err = wfile_write(&pw->wf, pw->mb->buf, n);
	if (!err)
		err = wfile_flush(&pw->wf);

	return err;
}


static int open_pcapng(struct pcapw *pw, const char *path)
{
	int err;

	pw->mb = mbuf_alloc(SNAPLEN + 256);
	if (!pw->mb)
		return ENOMEM;
	err = wfile_open(&pw->wf, path, "wb");
	if (err)
		return err;

	err  = pcapng_shb(pw->mb, "sipflow");
	err |= pcapng_idb(pw->mb, LINKTYPE_RAW, SNAPLEN);

	return err ? err : put_mb(pw);
}


/** Create (or truncate) a capture file of format fmt for raw IP frames */
int pcapw_open(struct pcapw **pwp, const char *path, enum pcapw_fmt fmt)
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

	pw->fmt = fmt;
	pw->frame = mem_alloc(SNAPLEN, NULL);
	if (!pw->frame) {
		err = ENOMEM;
		goto out;
	}

	err = fmt == PCAPW_PCAPNG ? open_pcapng(pw, path) :
		open_pcap(pw, path);
	if (err)
		goto out;

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


/* a frame goes to the file; it has its number even when the file has
 * failed (a full disk), and the first failure is kept */
static int emit(struct pcapw *pw, const struct timeval *ts,
		const uint8_t *frame, size_t len, uint32_t *framep)
{
	struct pcap_pkthdr hdr;
	int err;

	if (pw->closed)
		return EBADF;

	++pw->frames;
	if (framep)
		*framep = pw->frames;
	if (pw->err)
		return pw->err;

	if (pw->fmt == PCAPW_PCAPNG) {
		err = pcapng_epb(pw->mb, ts, frame, len);
		if (!err)
			err = put_mb(pw);
	}
	else {
		memset(&hdr, 0, sizeof(hdr));
		hdr.ts = *ts;
		hdr.len = hdr.caplen = (bpf_u_int32)len;

		errno = 0;
		pcap_dump((u_char *)pw->dump, &hdr, frame);
		err = pcap_dump_flush(pw->dump) ? (errno ? errno : EIO) : 0;
	}

	return err ? lost(pw, err, "cannot write") : 0;
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


static void note_destructor(void *data)
{
	struct note *n = data;

	mem_deref(n->text);
}


/** A comment on frame (1-based), written into the file by pcapw_finish
 *  (pcapng; a classic pcap has no place for it) */
int pcapw_comment(struct pcapw *pw, uint32_t frame, const char *text)
{
	struct note *n;
	int err;

	if (!pw || !frame || frame > pw->frames || !text)
		return EINVAL;

	if (pw->fmt != PCAPW_PCAPNG)
		return 0;

	n = mem_zalloc(sizeof(*n), note_destructor);
	if (!n)
		return ENOMEM;

	/* pcapng's comment is UTF-8; a reason may quote a peer's bytes */
	err = esc_utf8_dup(&n->text, (const uint8_t *)text, strlen(text),
			   NULL);
	if (err) {
		mem_deref(n);
		return err;
	}

	n->frame = frame;
	n->seq = pw->nnotes++;
	list_append(&pw->notes, &n->le, n);

	return 0;
}


static int note_cmp(const void *a, const void *b)
{
	const struct note *x = *(struct note * const *)a;
	const struct note *y = *(struct note * const *)b;

	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}


/* copy the file at pw->path to tmp, the notes (by frame) in their
 * frames' blocks */
static int copy_noted(struct pcapw *pw, struct note **v, size_t n,
		      const char *tmp)
{
	const char **texts = NULL;
	struct pcapng_rd rd;
	struct wfile wf = {.f = NULL};
	struct mbuf *out;
	uint32_t frame = 0;
	size_t i = 0;
	int err;

	err = pcapng_rd_open(&rd, pw->path);
	if (err)
		return err;

	/* every note of a frame goes in: n is more than any frame has */
	texts = mem_zalloc((n ? n : 1) * sizeof(*texts), NULL);
	out = mbuf_alloc(SNAPLEN + 1024);
	if (!texts || !out) {
		err = ENOMEM;
		goto out;
	}
	err = wfile_open(&wf, tmp, "wb");
	if (err)
		goto out;

	while (!(err = pcapng_rd_next(&rd))) {
		const struct mbuf *blk = rd.blk;
		bool epb = rd.type == PCAPNG_EPB;
		size_t k = 0;

		if (epb)
			++frame;
		while (epb && i < n && v[i]->frame == frame)
			texts[k++] = v[i++]->text;
		if (k) {
			mbuf_rewind(out);
			err = pcapng_epb_comment(out, rd.blk, texts, k);
			if (err)
				break;
			blk = out;
		}
		err = wfile_write(&wf, blk->buf, blk->end);
		if (err)
			break;
	}
	if (err == ENODATA)
		err = 0;

 out:
	if (wfile_close(&wf))
		err = wf.err;
	mem_deref(out);
	mem_deref(texts);
	pcapng_rd_close(&rd);

	return err;
}


/**
 * Put the comments given so far into the file (pcapng): the file is
 * copied once with them and the copy renamed over it; the frames
 * written after this are appended as before. When the copy fails the
 * file stays whole, without the comments.
 */
int pcapw_finish(struct pcapw *pw)
{
	struct note **v = NULL;
	char *tmp = NULL;
	struct le *le;
	size_t n = 0;
	int err;

	if (!pw)
		return EINVAL;

	/* a file that failed holds no more than it did: nothing to add */
	if (pw->fmt != PCAPW_PCAPNG || pw->closed || pw->err ||
	    !pw->notes.head)
		return pw->err;

	v = mem_zalloc(list_count(&pw->notes) * sizeof(*v), NULL);
	err = re_sdprintf(&tmp, "%s.tmp", pw->path);
	if (!v || err) {
		err = err ? err : ENOMEM;
		goto out;
	}

	for (le = pw->notes.head; le; le = le->next)
		v[n++] = le->data;
	qsort(v, n, sizeof(*v), note_cmp);

	err = wfile_flush(&pw->wf);
	if (err) {
		(void)lost(pw, err, "cannot write");
		goto out;
	}

	err = copy_noted(pw, v, n, tmp);
	if (!err && rename(tmp, pw->path))
		err = errno ? errno : EIO;
	if (err) {
		(void)remove(tmp);
		(void)lost(pw, err, "cannot write the verdicts into it as "
			   "comments (it is whole without them)");
		goto out;
	}

	/* the same frames, now with their comments: go on after them */
	err = wfile_close(&pw->wf);
	if (!err)
		err = wfile_open(&pw->wf, pw->path, "ab");
	if (err)
		(void)lost(pw, err, "cannot write");

 out:
	list_flush(&pw->notes);
	mem_deref(v);
	mem_deref(tmp);

	return err;
}


/**
 * Close the file: 0 when every frame reached it whole, else the first
 * write that failed (pcapw_error says what it cost). Nothing is written
 * after this.
 */
int pcapw_close(struct pcapw *pw)
{
	if (!pw)
		return EINVAL;
	if (pw->closed)
		return pw->err;

	pw->closed = true;
	if (pw->fmt == PCAPW_PCAPNG && wfile_close(&pw->wf))
		(void)lost(pw, pw->wf.err, "cannot write");
	if (pw->dump) {
		errno = 0;
		if (pcap_dump_flush(pw->dump))
			(void)lost(pw, errno ? errno : EIO, "cannot write");
		pcap_dump_close(pw->dump);
		pw->dump = NULL;
	}

	return pw->err;
}


/** The first write that failed (an errno), 0 if none; *whyp: what it
 *  cost the file ("cannot write") */
int pcapw_error(const struct pcapw *pw, const char **whyp)
{
	if (!pw)
		return 0;
	if (whyp)
		*whyp = pw->why;

	return pw->err;
}
