/* capture/pcapr_tcp.c — TCP streams of a capture: segments put in
 * sequence order (retransmissions dropped, at most MAX_OOO segments held
 * ahead per flow, MAX_FLOWS flows), the stream cut into SIP messages by
 * Content-Length — several in one segment or one over many. */
#define _GNU_SOURCE 1  /* memmem */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "pcapr.h"
#include "pcapr_priv.h"


static void seg_destructor(void *data)
{
	struct seg *s = data;

	list_unlink(&s->le);
	mem_deref(s->mb);
}


void pcapr_flow_destructor(void *data)
{
	struct flow *f = data;

	list_unlink(&f->le);
	list_flush(&f->ooo);
	mem_deref(f->buf);
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

		if (left >= 8 && !pcapr_sip_start(p, left)) {
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

		pcapr_emit(rd, &fl->src, &fl->dst, true, p, hlen + clen);
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

	fl = mem_zalloc(sizeof(*fl), pcapr_flow_destructor);
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


/**
 * A TCP segment (its header on) from src to dst, ports not yet set: a SYN
 * starts the flow's stream again; data goes into it in sequence order
 * and is framed into messages as they complete.
 */
void pcapr_tcp_segment(struct reader *rd, struct sa *src, struct sa *dst,
		       const uint8_t *p, size_t len)
{
	size_t off;
	uint32_t seq;
	struct flow *fl;

	if (len < 20) {
		++rd->st->truncated;
		return;
	}
	sa_set_port(src, (uint16_t)(p[0] << 8 | p[1]));
	sa_set_port(dst, (uint16_t)(p[2] << 8 | p[3]));
	seq = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
	      (uint32_t)p[6] << 8 | p[7];
	off = (size_t)(p[12] >> 4) * 4;
	if (off < 20 || off > len) {
		++rd->st->truncated;
		return;
	}

	fl = flow_get(rd, src, dst);
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
