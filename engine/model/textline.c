/* engine/model/textline.c — a text (a message body, a header block) line
 * by line: CRLF and a bare LF both end a line (RFC 4566 §5: an SDP
 * parser should accept either) */
#include <string.h>
#include <re.h>
#include "textline.h"


/**
 * The next line of the text from *p to end, without its CR LF or LF
 *
 * @param p    Where the line starts; moved past its end on return
 * @param end  Where the text ends
 * @param line The line (not NUL terminated)
 *
 * @return false when no text is left
 */
bool text_line(const char **p, const char *end, struct pl *line)
{
	const char *eol;

	if (!p || !*p || *p >= end || !line)
		return false;

	eol = memchr(*p, '\n', (size_t)(end - *p));
	line->p = *p;
	line->l = (size_t)((eol ? eol : end) - *p);
	if (line->l && line->p[line->l - 1] == '\r')
		--line->l;
	*p = eol ? eol + 1 : end;

	return true;
}
