/* engine/sip/msgtext.c — what a message that does not decode still says
 * as text: its status code, its Call-ID and its top Via branch. A
 * device's answer to a torture message copies the nonsense it was sent
 * (RFC 3261 §8.2.6.2) and may not decode (an isbn: To, RFC 4475 §3.3.4);
 * these fields are enough to tell which request it answers and how
 * (engine/run/call_unparsed.c), and which call a message without a
 * Call-ID belongs to (RFC 4475 §3.1.2.12 has none).
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "msgtext.h"


/** The status code of "SIP/2.0 NNN …" at the start of mb, or 0 */
uint16_t msgtext_status(const struct mbuf *mb)
{
	const uint8_t *p = mb ? mb->buf : NULL;

	if (!p || mb->end < 12 || memcmp(p, "SIP/2.0 ", 8) ||
	    !isdigit(p[8]) || !isdigit(p[9]) || !isdigit(p[10]) ||
	    (p[11] != ' ' && p[11] != '\r'))
		return 0;

	return (uint16_t)((p[8] - '0') * 100 + (p[9] - '0') * 10 +
			  (p[10] - '0'));
}


/* is the line at p a header of this name (or its compact form, any
 * case)? Its value start, or NULL */
static const char *header_value(const char *p, const char *end,
				const char *name, char compact)
{
	const char *q = p;
	size_t n = strlen(name);

	if ((size_t)(end - q) >= n && !strncasecmp(q, name, n))
		q += n;
	else if (q < end && tolower((unsigned char)*q) == compact)
		q += 1;
	else
		return NULL;
	while (q < end && (*q == ' ' || *q == '\t'))
		++q;
	if (q >= end || *q != ':')
		return NULL;
	for (++q; q < end && (*q == ' ' || *q == '\t'); ++q)
		;

	return q;
}


/* the first value of header name in the header of mb (unfolded lines
 * only); an empty pl when there is none */
static struct pl first_header(const struct mbuf *mb, const char *name,
			      char compact)
{
	struct pl pl = PL_INIT;
	const char *p, *end;

	if (!mb || !mb->buf)
		return pl;
	p = (const char *)mb->buf;
	end = p + mb->end;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		const char *v;

		if (le == p || (le == p + 1 && *p == '\r'))
			break;          /* the blank line */
		v = header_value(p, le, name, compact);
		if (v) {
			while (le > v && isspace((unsigned char)le[-1]))
				--le;
			pl.p = v;
			pl.l = (size_t)(le - v);
			return pl;
		}
		p = le + 1;
	}

	return pl;
}


/** The first Call-ID value in the header of mb; an empty pl when there
 *  is none */
struct pl msgtext_callid(const struct mbuf *mb)
{
	return first_header(mb, "call-id", 'i');
}


/** The branch parameter of the top Via of mb; an empty pl when there is
 *  none (a request without a Call-ID is known by it) */
struct pl msgtext_branch(const struct mbuf *mb)
{
	struct pl via = first_header(mb, "via", 'v'), br = PL_INIT;
	const char *p = via.p, *end = via.p + via.l;

	for (; p && p + 7 <= end; ++p) {
		if (*p == ',')
			break;          /* the next Via */
		if (strncasecmp(p, "branch=", 7) || (p > via.p &&
		    p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t'))
			continue;
		br.p = p + 7;
		for (p = br.p; p < end && *p != ';' && *p != ',' &&
			     !isspace((unsigned char)*p); ++p)
			;
		br.l = (size_t)(p - br.p);
		break;
	}

	return br;
}
