/* agents/sipframe.c — SIP messages cut out of a byte stream (TCP, TLS)
 *
 * RFC 3261 §18.3: over a stream the Content-Length header gives the end
 * of a message and MUST be present. Bytes are kept until a message is
 * whole; a message split over many reads or several in one read come out
 * one by one. CRLFs between messages are keep-alives (RFC 5626 §3.5.1)
 * and skipped. A stream that cannot be framed — no Content-Length, one
 * that is not a number, a message beyond the limit, a first line that is
 * not a SIP start line — is an error: the stream has lost its place, so
 * the caller reports what is pending and closes the connection.
 */
#include <ctype.h>
#include <string.h>
#include <re.h>
#include "sipframe.h"


struct sipframe {
	struct mbuf *mb;      /* bytes not yet given out, from pos */
	size_t max;
};


static void destructor(void *data)
{
	struct sipframe *f = data;

	mem_deref(f->mb);
}


/** A framer for one connection; max: the largest message (0: default) */
int sipframe_alloc(struct sipframe **fp, size_t max)
{
	struct sipframe *f;

	if (!fp)
		return EINVAL;

	f = mem_zalloc(sizeof(*f), destructor);
	if (!f)
		return ENOMEM;

	f->mb = mbuf_alloc(4096);
	if (!f->mb) {
		mem_deref(f);
		return ENOMEM;
	}
	f->max = max ? max : SIPFRAME_MAX;
	*fp = f;

	return 0;
}


static const uint8_t *find(const uint8_t *p, size_t n, const char *s)
{
	size_t l = strlen(s), i;

	for (i = 0; i + l <= n; i++) {
		if (!memcmp(p + i, s, l))
			return p + i;
	}

	return NULL;
}


/* "INVITE sip:b@h SIP/2.0" or "SIP/2.0 200 OK" */
static bool start_line(const uint8_t *p, size_t n)
{
	static const char ver[] = "SIP/2.0";
	const size_t vl = sizeof(ver) - 1;
	size_t i;

	if (n > vl && !memcmp(p, ver, vl) && p[vl] == ' ')
		return true;
	if (n < vl + 3 || memcmp(p + n - vl, ver, vl) || p[n - vl - 1] != ' ')
		return false;

	/* a method is a token: letters, digits and a few marks */
	for (i = 0; i < n && p[i] != ' '; i++) {
		if (!isalnum(p[i]) && !strchr("-.!%*_+`'~", p[i]))
			return false;
	}

	return i > 0 && i < n;
}


/* what may still become a start line: no control characters */
static bool start_prefix(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((p[i] < 0x20 && p[i] != '\r') || p[i] == 0x7f)
			return false;
	}

	return true;
}


/*
 * The Content-Length of a header block (start line excluded): 0 and
 * *clen, or why not. Long name or compact "l" (§7.3.3), any case.
 */
static const char *content_length(const uint8_t *p, size_t n, size_t *clen,
				  size_t max)
{
	const uint8_t *line = p, *end = p + n;
	bool found = false;

	while (line < end) {
		const uint8_t *eol = find(line, (size_t)(end - line), "\r\n");
		const uint8_t *q, *name_end;
		size_t v = 0, digits = 0;

		if (!eol)
			eol = end;

		for (q = line; q < eol && *q != ':' && *q != ' ' &&
			     *q != '\t'; q++)
			;
		name_end = q;
		while (q < eol && (*q == ' ' || *q == '\t'))
			++q;

		if (q < eol && *q == ':' &&
		    (((size_t)(name_end - line) == 14 &&
		      !strncasecmp((const char *)line, "Content-Length",
				   14)) ||
		     (name_end - line == 1 &&
		      (*line == 'l' || *line == 'L')))) {

			if (found)
				return "two Content-Length headers";
			found = true;

			for (++q; q < eol && (*q == ' ' || *q == '\t'); q++)
				;
			for (; q < eol && isdigit(*q); q++, digits++) {
				if (v > max)
					continue;
				v = v * 10 + (size_t)(*q - '0');
			}
			while (q < eol && (*q == ' ' || *q == '\t'))
				++q;
			if (!digits || q != eol)
				return "Content-Length is not a number";
			if (v > max)
				return "Content-Length exceeds the size limit";
			*clen = v;
		}

		line = eol + 2;
	}

	return found ? NULL : "no Content-Length (RFC 3261 §18.3)";
}


/*
 * Feed bytes read from the stream; msgh gets each whole message. Returns
 * 0 (more may come), or EBADMSG with *why: the stream cannot be framed
 * (sipframe_pending gives the bytes that could not be).
 */
int sipframe_feed(struct sipframe *f, const uint8_t *p, size_t n,
		  sipframe_msg_h *msgh, void *arg, const char **why)
{
	struct mbuf *mb;
	int err;

	if (!f || (!p && n))
		return EINVAL;

	mb = f->mb;
	if (mb->pos && mb->pos == mb->end)
		mbuf_rewind(mb);

	mb->pos = mb->end;
	err = mbuf_write_mem(mb, p, n);
	mb->pos = 0;
	while (err == 0 && mb->pos < mb->end) {
		const uint8_t *b = mbuf_buf(mb), *eol, *eoh;
		size_t left = mbuf_get_left(mb), hlen, clen = 0;
		const char *bad;

		/* keep-alive CRLFs between messages */
		if (b[0] == '\r' || b[0] == '\n') {
			++mb->pos;
			continue;
		}

		eol = find(b, left, "\r\n");
		if (!eol && !start_prefix(b, left)) {
			*why = "not a SIP start line";
			return EBADMSG;
		}
		if (!eol) {
			if (left > f->max) {
				*why = "a line longer than the size limit";
				return EBADMSG;
			}
			break;
		}
		if (!start_line(b, (size_t)(eol - b))) {
			*why = "not a SIP start line";
			return EBADMSG;
		}

		eoh = find(b, left, "\r\n\r\n");
		if (!eoh) {
			if (left > f->max) {
				*why = "headers longer than the size limit";
				return EBADMSG;
			}
			break;
		}
		hlen = (size_t)(eoh - b) + 4;

		bad = content_length(eol + 2, (size_t)(eoh - eol), &clen,
				     f->max);
		if (!bad && hlen + clen > f->max)
			bad = "a message longer than the size limit";
		if (bad) {
			*why = bad;
			return EBADMSG;
		}
		if (left < hlen + clen)
			break;

		mb->pos += hlen + clen;
		if (msgh)
			msgh(b, hlen + clen, arg);
	}

	/* keep what is not whole: drop what was given out */
	if (!err && mb->pos) {
		size_t left = mbuf_get_left(mb);

		memmove(mb->buf, mbuf_buf(mb), left);
		mb->pos = 0;
		mb->end = left;
	}

	return err;
}


/** The bytes held (a message not yet whole, or what could not be framed) */
size_t sipframe_pending(const struct sipframe *f, const uint8_t **p)
{
	if (!f) {
		if (p)
			*p = NULL;
		return 0;
	}

	if (p)
		*p = mbuf_buf(f->mb);

	return mbuf_get_left(f->mb);
}


/**
 * What the framer holds, for a person (%H): "an incomplete message
 * (SIP/2.0 180 Ringing): Content-Length 5000, 12 bytes of body arrived",
 * or "an incomplete message (…): 40 bytes of headers, no blank line
 * yet". Nothing when it holds nothing.
 */
int sipframe_held_print(struct re_printf *pf, const struct sipframe *f)
{
	const uint8_t *b, *eol, *eoh;
	size_t left, clen = 0, sl;
	int err;

	left = sipframe_pending(f, &b);
	while (left && (*b == '\r' || *b == '\n')) {
		++b;
		--left;
	}
	if (!left)
		return 0;

	eol = find(b, left, "\r\n");
	sl = eol ? (size_t)(eol - b) : left;
	err = re_hprintf(pf, "an incomplete message (%b%s): ", b,
			 sl > 60 ? (size_t)60 : sl, sl > 60 ? "…" : "");

	eoh = eol ? find(b, left, "\r\n\r\n") : NULL;
	if (!eoh ||
	    content_length(eol + 2, (size_t)(eoh - eol), &clen, f->max)) {
		return err | re_hprintf(pf, "%zu bytes of headers, no blank "
					"line yet", left);
	}

	left -= (size_t)(eoh - b) + 4;

	return err | re_hprintf(pf, "Content-Length %zu, %zu byte%s of body "
				"arrived", clen, left, left == 1 ? "" : "s");
}
