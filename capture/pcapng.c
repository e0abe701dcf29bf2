/* capture/pcapng.c — the pcapng blocks sipflow writes, and the comments
 * libpcap does not show
 *
 * pcapng (draft-ietf-opsawg-pcapng): a file is blocks, each `type,
 * length, body, length` in 32-bit words; a section header (SHB) gives
 * the byte order, an interface description (IDB) the link type, and an
 * enhanced packet block (EPB) holds one frame and its options — among
 * them opt_comment (code 1), the text Wireshark shows as the frame's
 * comment. libpcap reads the frames but not their options, so the
 * comments are read here, block by block, beside it. Blocks are
 * written in the host's byte order; read in either.
 */
#include <string.h>
#include <re.h>
#include "pcapng.h"


enum {
	OPT_END = 0,
	OPT_COMMENT = 1,
	SHB_USERAPPL = 4,
	MAX_BLOCK = 1 << 24,     /* a block larger than this is not ours */
	EPB_HDR = 28,            /* type, length, interface, ts, caplen,
				    origlen */
};


static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}


/* an option: code, length, value padded to 32 bits */
static int put_opt(struct mbuf *mb, uint16_t code, const void *v, size_t n)
{
	static const uint8_t zero[4];
	int err;

	if (n > 0xffff)
		n = 0xffff;

	err  = mbuf_write_u16(mb, code);
	err |= mbuf_write_u16(mb, (uint16_t)n);
	if (n)
		err |= mbuf_write_mem(mb, v, n);
	err |= mbuf_write_mem(mb, zero, pad4(n) - n);

	return err;
}


/* close the block begun at start: its length at both ends */
static int close_block(struct mbuf *mb, size_t start)
{
	uint32_t len = (uint32_t)(mb->pos + 4 - start);
	size_t end;
	int err;

	err = mbuf_write_u32(mb, len);
	if (err)
		return err;

	end = mb->pos;
	mb->pos = start + 4;
	err = mbuf_write_u32(mb, len);
	mb->pos = end;

	return err;
}


/** A section header (version 1.0, length unknown) naming the writer */
int pcapng_shb(struct mbuf *mb, const char *appl)
{
	size_t start;
	int err;

	if (!mb || !appl)
		return EINVAL;

	start = mb->pos;
	err  = mbuf_write_u32(mb, PCAPNG_SHB);
	err |= mbuf_write_u32(mb, 0);
	err |= mbuf_write_u32(mb, 0x1a2b3c4d);       /* byte order */
	err |= mbuf_write_u16(mb, 1);
	err |= mbuf_write_u16(mb, 0);
	err |= mbuf_write_u32(mb, 0xffffffff);       /* section length: */
	err |= mbuf_write_u32(mb, 0xffffffff);       /* not given */
	err |= put_opt(mb, SHB_USERAPPL, appl, strlen(appl));
	err |= put_opt(mb, OPT_END, NULL, 0);

	return err ? err : close_block(mb, start);
}


/** The one interface: its link type and snap length (µs stamps) */
int pcapng_idb(struct mbuf *mb, uint16_t linktype, uint32_t snaplen)
{
	size_t start;
	int err;

	if (!mb)
		return EINVAL;

	start = mb->pos;
	err  = mbuf_write_u32(mb, PCAPNG_IDB);
	err |= mbuf_write_u32(mb, 0);
	err |= mbuf_write_u16(mb, linktype);
	err |= mbuf_write_u16(mb, 0);
	err |= mbuf_write_u32(mb, snaplen);

	return err ? err : close_block(mb, start);
}


/** One frame on interface 0, without options */
int pcapng_epb(struct mbuf *mb, const struct timeval *ts,
	       const uint8_t *p, size_t len)
{
	static const uint8_t zero[4];
	uint64_t us;
	size_t start;
	int err;

	if (!mb || !ts || (!p && len))
		return EINVAL;

	us = (uint64_t)ts->tv_sec * 1000000 + (uint64_t)ts->tv_usec;
	start = mb->pos;
	err  = mbuf_write_u32(mb, PCAPNG_EPB);
	err |= mbuf_write_u32(mb, 0);
	err |= mbuf_write_u32(mb, 0);                /* interface 0 */
	err |= mbuf_write_u32(mb, (uint32_t)(us >> 32));
	err |= mbuf_write_u32(mb, (uint32_t)us);
	err |= mbuf_write_u32(mb, (uint32_t)len);
	err |= mbuf_write_u32(mb, (uint32_t)len);
	err |= mbuf_write_mem(mb, p, len);
	err |= mbuf_write_mem(mb, zero, pad4(len) - len);

	return err ? err : close_block(mb, start);
}


static uint32_t get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);

	return swap ? __builtin_bswap32(v) : v;
}


static uint16_t get16(const uint8_t *p, bool swap)
{
	uint16_t v;

	memcpy(&v, p, 2);

	return swap ? __builtin_bswap16(v) : v;
}


/* the options of a packet block: [*off, *end), or false (none) */
static bool opts_of(const uint8_t *b, size_t len, bool swap, size_t *off,
		    size_t *end)
{
	uint32_t type = get32(b, swap);
	size_t o;

	if ((type != PCAPNG_EPB && type != PCAPNG_PB) || len < EPB_HDR + 4)
		return false;

	o = EPB_HDR + pad4(get32(b + 20, swap));
	if (o > len - 4)
		return false;

	*off = o;
	*end = len - 4;

	return true;
}


/**
 * The enhanced packet block blk (written by this host) again, with one
 * opt_comment per comment after the options it has, into out
 */
int pcapng_epb_comment(struct mbuf *out, const struct mbuf *blk,
		       const char * const *comments, size_t n)
{
	const uint8_t *b;
	size_t start, off, end, i;
	int err;

	if (!out || !blk || (!comments && n))
		return EINVAL;

	b = blk->buf;
	if (!opts_of(b, blk->end, false, &off, &end))
		return EPROTO;

	start = out->pos;
	err = mbuf_write_mem(out, b, off);

	/* the options it has, up to opt_endofopt */
	while (!err && off + 4 <= end) {
		uint16_t code = get16(b + off, false);
		size_t olen = pad4(get16(b + off + 2, false));

		if (code == OPT_END || off + 4 + olen > end)
			break;
		err = mbuf_write_mem(out, b + off, 4 + olen);
		off += 4 + olen;
	}

	for (i = 0; !err && i < n; i++)
		err = put_opt(out, OPT_COMMENT, comments[i],
			      strlen(comments[i]));
	if (!err)
		err = put_opt(out, OPT_END, NULL, 0);

	return err ? err : close_block(out, start);
}


/** Open path for a walk over its blocks: 0, or EPROTO (not pcapng) */
int pcapng_rd_open(struct pcapng_rd *rd, const char *path)
{
	uint32_t magic;

	if (!rd || !path)
		return EINVAL;

	memset(rd, 0, sizeof(*rd));
	rd->f = fopen(path, "rb");
	if (!rd->f)
		return errno ? errno : EIO;

	if (fread(&magic, 4, 1, rd->f) != 1 || magic != PCAPNG_SHB) {
		pcapng_rd_close(rd);
		return EPROTO;
	}
	rewind(rd->f);

	rd->blk = mbuf_alloc(4096);
	if (!rd->blk) {
		pcapng_rd_close(rd);
		return ENOMEM;
	}

	return 0;
}


/** The next block, whole, into rd->blk: 0, ENODATA (the file ends),
 *  EBADMSG (not a block) */
int pcapng_rd_next(struct pcapng_rd *rd)
{
	uint8_t hdr[12];
	uint32_t len;
	int err;

	if (!rd || !rd->f)
		return EINVAL;

	if (fread(hdr, 8, 1, rd->f) != 1)
		return ENODATA;

	if (get32(hdr, false) == PCAPNG_SHB) {
		uint32_t bom;

		if (fread(hdr + 8, 4, 1, rd->f) != 1)
			return ENODATA;
		bom = get32(hdr + 8, false);
		if (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a)
			return EBADMSG;
		rd->swap = bom == 0x4d3c2b1a;
	}

	len = get32(hdr + 4, rd->swap);
	if (len < 12 || len % 4 || len > MAX_BLOCK)
		return EBADMSG;

	mbuf_rewind(rd->blk);
	err = mbuf_resize(rd->blk, len);
	if (err)
		return err;

	rd->type = get32(hdr, rd->swap);
	memcpy(rd->blk->buf, hdr, rd->type == PCAPNG_SHB ? 12 : 8);
	if (rd->type == PCAPNG_SHB) {
		if (fread(rd->blk->buf + 12, len - 12, 1, rd->f) != 1)
			return ENODATA;
	}
	else if (fread(rd->blk->buf + 8, len - 8, 1, rd->f) != 1) {
		return ENODATA;
	}
	rd->blk->end = len;

	return 0;
}


/** The next block that holds a frame (as libpcap counts them) */
int pcapng_rd_packet(struct pcapng_rd *rd)
{
	int err;

	while (!(err = pcapng_rd_next(rd))) {
		if (rd->type == PCAPNG_EPB || rd->type == PCAPNG_SPB ||
		    rd->type == PCAPNG_PB)
			return 0;
	}

	return err;
}


/** The comments of the packet block just read, into out, each after
 *  sep when out holds text already */
int pcapng_rd_comments(const struct pcapng_rd *rd, struct mbuf *out,
		       const char *sep)
{
	const uint8_t *b;
	size_t off, end;
	int err = 0;

	if (!rd || !rd->blk || !out || !sep)
		return EINVAL;

	b = rd->blk->buf;
	if (!opts_of(b, rd->blk->end, rd->swap, &off, &end))
		return 0;

	while (!err && off + 4 <= end) {
		uint16_t code = get16(b + off, rd->swap);
		size_t olen = get16(b + off + 2, rd->swap);

		if (code == OPT_END || off + 4 + olen > end)
			break;
		if (code == OPT_COMMENT) {
			if (out->end)
				err = mbuf_write_str(out, sep);
			err |= mbuf_write_mem(out, b + off + 4, olen);
		}
		off += 4 + pad4(olen);
	}

	return err;
}


void pcapng_rd_close(struct pcapng_rd *rd)
{
	if (!rd)
		return;

	if (rd->f)
		fclose(rd->f);
	rd->f = NULL;
	rd->blk = mem_deref(rd->blk);
}
