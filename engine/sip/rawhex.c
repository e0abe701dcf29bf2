/* engine/sip/rawhex.c — bytes a raw: message cannot hold as YAML text
 * (a non-UTF-8 octet, a bare LF, a NUL), written as RFC 4475 §2.2 does:
 * <hex>0A82</hex> is the two octets 0x0A 0x82, sent as they are.
 */
#include <string.h>
#include <re.h>
#include "rawhex.h"


#define OPEN "<hex>"
#define CLOSE "</hex>"


static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;

	return -1;
}


/* the run of hex digits at p (after <hex>) up to </hex>: its length in
 * digits, or -1 when it is not an even run of hex digits closed by </hex> */
static int run_len(const char *p)
{
	const char *end = strstr(p, CLOSE);
	const char *q;

	if (!end || (end - p) % 2)
		return -1;
	for (q = p; q < end; q++) {
		if (nibble(*q) < 0)
			return -1;
	}

	return (int)(end - p);
}


/** The length of s as sent: each <hex>…</hex> counts as its octets */
size_t rawhex_len(const char *s)
{
	size_t n = 0;
	const char *p;

	while (s && (p = strstr(s, OPEN))) {
		int l = run_len(p + strlen(OPEN));

		if (l < 0) {
			n += (size_t)(p - s) + strlen(OPEN);
			s = p + strlen(OPEN);
			continue;
		}
		n += (size_t)(p - s) + (size_t)l / 2;
		s = p + strlen(OPEN) + l + strlen(CLOSE);
	}

	return n + (s ? strlen(s) : 0);
}


/**
 * Write s to mb with each <hex>…</hex> decoded; EINVAL (and *why) for a
 * <hex> that is not an even run of hex digits closed by </hex>
 */
int rawhex_write(struct mbuf *mb, const char *s, char **why)
{
	const char *p;
	int err = 0;

	while (!err && (p = strstr(s, OPEN))) {
		int i, l = run_len(p + strlen(OPEN));

		if (l < 0) {
			if (why)
				(void)re_sdprintf(why, "raw: <hex> is not an "
						  "even run of hex digits "
						  "closed by </hex>");
			return EINVAL;
		}
		err = mbuf_write_mem(mb, (const uint8_t *)s, (size_t)(p - s));
		p += strlen(OPEN);
		for (i = 0; !err && i < l; i += 2)
			err = mbuf_write_u8(mb, (uint8_t)(nibble(p[i]) << 4 |
							  nibble(p[i + 1])));
		s = p + l + strlen(CLOSE);
	}

	return err ? err : mbuf_write_str(mb, s);
}
