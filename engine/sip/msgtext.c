/* engine/sip/msgtext.c — what a message that does not decode still says
 * as text: its status code and its Call-ID. A device's answer to a
 * torture message copies the nonsense it was sent (RFC 3261 §8.2.6.2) and
 * may not decode (an isbn: To, RFC 4475 §3.3.4); these two fields are
 * enough to tell which request it answers and how (engine/run/
 * run_unparsed.c).
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


/* is the line at p a Call-ID header (Call-ID or i, any case)? Its value
 * start, or NULL */
static const char *callid_value(const char *p, const char *end)
{
	const char *q = p;

	if (end - q >= 7 && !strncasecmp(q, "call-id", 7))
		q += 7;
	else if (q < end && (*q == 'i' || *q == 'I'))
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


/** The first Call-ID value in the header of mb (unfolded lines only);
 *  an empty pl when there is none */
struct pl msgtext_callid(const struct mbuf *mb)
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
		v = callid_value(p, le);
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
