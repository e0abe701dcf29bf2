/* engine/sip/nobranch.c — decode a message whose top Via has no branch.
 *
 * RFC 2543 had no branch parameter, and RFC 3261 §17.2.3 still matches
 * such requests; RFC 4475 §3.4.1 sends one (and §3.1.2.7, §3.1.1.7 have a
 * branch-less top Via), and a device answering it copies that Via into
 * its response (§8.2.6.2). libre decodes no message without a branch. So
 * a message whose top Via value has none is decoded from a copy that
 * gives it ";branch=rfc2543" — no magic cookie, so rule VIA-BRANCH still
 * sees an RFC 2543 Via; the record keeps the bytes as they came.
 */
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "nobranch.h"


#define MARK ";branch=rfc2543"


/* is p (at a line start) the name of a Via header: Via or v, then
 * optional SP/HT and a colon? Returns the value's start, or NULL */
static const char *via_value(const char *p, const char *end)
{
	const char *q = p;

	if (end - q >= 3 && !strncasecmp(q, "via", 3))
		q += 3;
	else if (q < end && tolower((unsigned char)*q) == 'v')
		q += 1;
	else
		return NULL;
	while (q < end && (*q == ' ' || *q == '\t'))
		++q;

	return q < end && *q == ':' ? q + 1 : NULL;
}


/* where the top Via's first value ends: a comma, or a line end that no
 * folding continues; NULL when there is no Via before the blank line */
static const char *top_via_end(const char *p, const char *end,
			       const char **value)
{
	const char *q;

	for (; p < end; ) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *v;

		if (!eol || eol == p || (eol == p + 1 && *p == '\r'))
			return NULL;        /* the blank line: no Via */
		v = via_value(p, end);
		if (!v) {
			p = eol + 1;
			continue;
		}
		for (q = v; q < end; q++) {
			if (*q == ',')
				break;
			if (*q == '\r' && q + 2 < end && q[1] == '\n' &&
			    q[2] != ' ' && q[2] != '\t')
				break;
		}
		*value = v;
		return q;
	}

	return NULL;
}


/* does the Via value [p, end) name a branch parameter? */
static bool has_branch(const char *p, const char *end)
{
	for (; end - p >= 6; p++) {
		if (!strncasecmp(p, "branch", 6))
			return true;
	}

	return false;
}


/**
 * Decode mb, whose top Via value has no branch parameter, from a copy
 * that gives it one; *bodyp is where the body starts in mb. ENOENT when
 * the top Via has a branch (or there is no Via): nothing to do here.
 */
int nobranch_decode(struct sip_msg **msgp, const struct mbuf *mb,
		    size_t *bodyp)
{
	const char *start = (const char *)mb->buf;
	const char *end = start + mb->end;
	const char *value = NULL, *at, *line;
	struct mbuf *cp;
	int err;

	line = memchr(start, '\n', mb->end);
	if (!line)
		return ENOENT;
	at = top_via_end(line + 1, end, &value);
	if (!at)
		return ENOENT;
	if (has_branch(value, at))
		return ENOENT;

	cp = mbuf_alloc(mb->end + sizeof(MARK));
	if (!cp)
		return ENOMEM;
	err  = mbuf_write_mem(cp, mb->buf, (size_t)(at - start));
	err |= mbuf_write_str(cp, MARK);
	err |= mbuf_write_mem(cp, (const uint8_t *)at, (size_t)(end - at));
	if (!err) {
		cp->pos = 0;
		err = sip_msg_decode(msgp, cp);
		if (!err && *msgp)
			*bodyp = cp->pos - strlen(MARK);
	}
	mem_deref(cp);

	return err ? err : (*msgp ? 0 : EBADMSG);
}
