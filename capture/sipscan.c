/* capture/sipscan.c — scan a SIP message where it lies: the start line,
 * the Call-ID (long or compact form, folded lines joined) and the CSeq
 * method, without copying it or decoding every header as libre's
 * sip_msg_decode does. It accepts and rejects a message on the same
 * structural grounds as libre (tests/unit/test_pcapr.c checks both), so
 * the ladder and diff see the messages a live run would. */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "pcapr.h"


static inline bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


/* neither white space nor the colon that ends a header name */
static inline bool name_char(uint8_t c)
{
	return c > ' ' ? c != ':' : !is_ws(c);
}


/* a token: up to the next SP, HT, CR or LF */
static size_t token(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && !is_ws(p[i]); i++)
		;

	return i;
}


/* the status code as libre reads it: digits only, else 0 */
static uint16_t scode_of(const struct pl *pl)
{
	uint32_t v = 0, mul = 1;
	size_t i;

	for (i = pl->l; i-- > 0;) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return 0;
		v += mul * (uint32_t)(pl->p[i] - '0');
		mul *= 10;
	}

	return (uint16_t)v;
}


/* the CSeq method: the token after the first number and whitespace */
static int cseq_met(struct pl *met, const struct pl *val)
{
	size_t i, j, k;

	for (i = 0; i < val->l; i++) {
		if (!isdigit((unsigned char)val->p[i]))
			continue;
		for (j = i; j < val->l && isdigit((unsigned char)val->p[j]);
		     j++)
			;
		for (k = j; k < val->l && is_ws((uint8_t)val->p[k]); k++)
			;
		if (k > j && k < val->l) {
			met->p = val->p + k;
			met->l = token((const uint8_t *)met->p, val->l - k);
			return 0;
		}
		i = j;
	}

	return EBADMSG;
}


/* a Request-URI as libre's uri_decode finds one: somewhere a scheme,
 * a colon and something that is not a parameter */
static bool uri_like(const struct pl *y)
{
	size_t i;

	for (i = 1; i + 1 < y->l; i++) {
		if (y->p[i] == ':' && y->p[i - 1] != ':' &&
		    !strchr(";? ", y->p[i + 1]))
			return true;
	}

	return false;
}


/* a header name: its full form (ASCII, any case) or its compact form */
static bool name_is(const struct pl *name, const char *full, size_t flen,
		    char compact)
{
	size_t i;

	if (name->l == 1)
		return tolower((unsigned char)name->p[0]) == compact;
	if (name->l != flen)
		return false;

	for (i = 0; i < flen; i++) {
		if (tolower((unsigned char)name->p[i]) != full[i])
			return false;
	}

	return true;
}


/* one header is complete: keep what the ladder and the diff need */
static int header(struct pcapr_sip *s, const struct pl *name,
		  const struct pl *val)
{
	if (name_is(name, "call-id", 7, 'i'))
		s->callid = *val;
	else if (name_is(name, "cseq", 4, 0))
		return cseq_met(&s->cseq_met, val);

	return 0;
}


/**
 * Scan a SIP message for its start line, Call-ID and CSeq method, without
 * allocating. A message is taken where libre's sip_msg_decode takes it:
 * "X SP Y SP Z" with Z "SIP/2.0" for a request (whose URI has a scheme)
 * and a status code Y otherwise; header lines each with a name before a
 * colon, folded lines joined; a blank line ending the headers; the last
 * Call-ID and CSeq count. Header values are not decoded, but a CSeq
 * without a number and a method is refused as libre refuses it.
 *
 * Returns 0, EBADMSG (not SIP) or ENODATA (cut short: no end of the
 * start line or of the headers).
 */
int pcapr_sip_scan(struct pcapr_sip *s, const uint8_t *p, size_t len)
{
	const uint8_t *start = p, *end, *v = NULL, *nl, *q;
	struct pl x, y, name = PL_INIT;
	size_t n, ws = 0, lf = 0;
	int err;

	if (!s || !p)
		return EINVAL;

	end = p + len;
	memset(s, 0, sizeof(*s));

	/* RFC 3261 §7.1: start line; X SP Y SP Z CR* LF */
	n = token(p, len);
	if (!n || n == len || p[n] != ' ')
		return n == len ? ENODATA : EBADMSG;
	x.p = (const char *)p;
	x.l = n;
	p += n + 1;
	n = token(p, (size_t)(end - p));
	if (!n || p + n == end || p[n] != ' ')
		return p + n == end ? ENODATA : EBADMSG;
	y.p = (const char *)p;
	y.l = n;
	for (p += n + 1; p < end && *p != '\r' && *p != '\n'; p++)
		;
	s->line.p = (const char *)start;
	s->line.l = (size_t)(p - start);
	while (p < end && *p == '\r')
		++p;
	if (p == end)
		return ENODATA;
	if (*p++ != '\n')
		return EBADMSG;

	s->req = s->line.l - (size_t)(y.p + y.l + 1 - s->line.p) == 7 &&
		 !memcmp(y.p + y.l + 1, "SIP/2.0", 7);
	if (s->req) {
		if (!uri_like(&y))
			return EBADMSG;
		s->met = x;
	}
	else {
		s->scode = scode_of(&y);
		if (!s->scode)
			return EBADMSG;
	}

	/* the header loop of libre's sip_msg_decode, without the copies:
	 * lf counts line ends since the last text, ws the white space */
	for (; p < end; p++) {
		switch (*p) {

		case ' ':
		case '\t':
			lf = 0; /* folding */
			++ws;
			continue;

		case '\r':
			++ws;
			continue;

		case '\n':
			++ws;
			if (!lf++)
				continue;
			++p; /* end of the headers */
			break;

		default:
			break;
		}

		if (lf) {
			struct pl val = PL_INIT;

			if (!name.l)
				return EBADMSG;
			if (v) {
				val.p = (const char *)v;
				val.l = (size_t)(p - v) - ws;
			}
			err = header(s, &name, &val);
			if (err)
				return err;
			if (lf > 1) {
				s->hlen = (size_t)(p - start);
				return 0;
			}
			name.p = NULL;
			v = NULL;
			lf = 0;
		}

		if (!name.p) {
			name.p = (const char *)p;
			name.l = 0;
			ws = 0;
		}

		if (!name.l) {
			if (*p != ':') {
				/* the rest of the name at once */
				while (p + 1 < end && name_char(p[1]))
					++p;
				ws = 0;
				continue;
			}
			if ((size_t)((const char *)p - name.p) <= ws)
				return EBADMSG;
			name.l = (size_t)((const char *)p - name.p) - ws;
			continue;
		}

		/* in a value: only where its line ends matters */
		if (!v)
			v = p;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return ENODATA;
		for (q = nl; q > p && is_ws(q[-1]); q--)
			;
		ws = (size_t)(nl - q);
		p = nl - 1;
	}

	return ENODATA;
}
