/* engine/model/esc.c — bytes a peer sent, made safe for who reads them
 *
 * A SIP message is bytes: a peer may put anything in a reason phrase, a
 * header or a body — terminal escapes, a bare CR, NUL, bytes that are
 * not UTF-8. Whatever of it reaches an output goes through one of these
 * first, one rule per kind of reader:
 *
 *   a person at a terminal (the console, stderr): esc_term — valid UTF-8
 *   that prints as it is; every control byte (C0, DEL, and the C1
 *   controls U+0080..U+009F) and every byte that is not part of valid
 *   UTF-8 shown as text: \0, \t, \n, \r, else \xNN. No byte of the peer
 *   moves the cursor, splits a line or recolours the screen.
 *
 *   a parser that needs UTF-8 (report.json, report.html, junit.xml):
 *   esc_utf8_dup — a copy that is valid UTF-8, each ill-formed part as
 *   U+FFFD (as a browser's decoder does) and NUL as U+2400 (a visible
 *   "NUL" sign), the rest kept; the caller learns whether the copy is
 *   exact (docs/decisions/0025-peer-bytes-in-reports.md). Each format
 *   then escapes what is special to it (JSON, XML, HTML).
 */
#include <string.h>
#include <re.h>
#include "esc.h"


/*
 * The well-formed UTF-8 sequences (Unicode 15, table 3-7): by first byte,
 * the length and the range of the second byte; every later byte is
 * 0x80..0xbf. Absent first bytes (0x80..0xc1, 0xf5..0xff) start none.
 */
static const struct {
	uint8_t first_lo, first_hi, len, lo, hi;
} seqs[] = {
	{0xc2, 0xdf, 2, 0x80, 0xbf},
	{0xe0, 0xe0, 3, 0xa0, 0xbf},
	{0xe1, 0xec, 3, 0x80, 0xbf},
	{0xed, 0xed, 3, 0x80, 0x9f},     /* not the surrogates */
	{0xee, 0xef, 3, 0x80, 0xbf},
	{0xf0, 0xf0, 4, 0x90, 0xbf},
	{0xf1, 0xf3, 4, 0x80, 0xbf},
	{0xf4, 0xf4, 4, 0x80, 0x8f},     /* not past U+10FFFF */
};


/**
 * The UTF-8 sequence at p (of at most n > 0 bytes): its length, and in
 * *cpp its code point — or ESC_BAD when p does not start a well-formed
 * sequence, the length then that of its maximal subpart (the bytes a
 * decoder replaces with one U+FFFD, as WHATWG's and Python's do: a
 * stray byte alone, a sequence cut short as a whole).
 */
size_t esc_utf8_seq(const uint8_t *p, size_t n, uint32_t *cpp)
{
	uint32_t cp, none;
	size_t i, k;

	if (!p || !n)
		return 0;
	if (!cpp)
		cpp = &none;

	if (p[0] < 0x80) {
		*cpp = p[0];
		return 1;
	}

	for (k = 0; k < ARRAY_SIZE(seqs); k++) {
		if (p[0] >= seqs[k].first_lo && p[0] <= seqs[k].first_hi)
			break;
	}
	*cpp = ESC_BAD;
	if (k == ARRAY_SIZE(seqs))
		return 1;

	cp = p[0] & (0x7f >> seqs[k].len);
	for (i = 1; i < seqs[k].len; i++) {
		uint8_t lo = i == 1 ? seqs[k].lo : 0x80;
		uint8_t hi = i == 1 ? seqs[k].hi : 0xbf;

		if (i >= n || p[i] < lo || p[i] > hi)
			return i;
		cp = cp << 6 | (p[i] & 0x3f);
	}

	*cpp = cp;
	return i;
}


/** Print byte c as a person reads a control byte: \0, \t, \n, \r, else
 *  \xNN */
int esc_ctl(struct re_printf *pf, uint8_t c)
{
	switch (c) {

	case '\0': return re_hprintf(pf, "\\0");
	case '\t': return re_hprintf(pf, "\\t");
	case '\n': return re_hprintf(pf, "\\n");
	case '\r': return re_hprintf(pf, "\\r");
	default:   return re_hprintf(pf, "\\x%02x", c);
	}
}


static bool is_ctl(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}


/** Print n bytes at p for a terminal: printable UTF-8 as it is, every
 *  control byte and every byte not part of valid UTF-8 as esc_ctl */
int esc_term(struct re_printf *pf, const uint8_t *p, size_t n)
{
	size_t i = 0, run = 0;
	int err = 0;

	if (!pf)
		return EINVAL;

	while (i < n && !err) {
		uint32_t cp = ESC_BAD;
		size_t len = esc_utf8_seq(p + i, n - i, &cp);
		size_t k;

		if (cp != ESC_BAD && !is_ctl(cp)) {
			i += len;
			run += len;
			continue;
		}

		/* what printed as it is, up to here; then this, escaped */
		if (run)
			err = pf->vph((const char *)p + i - run, run, pf->arg);
		run = 0;
		for (k = 0; k < len && !err; k++)
			err = esc_ctl(pf, p[i + k]);
		i += len;
	}

	if (!err && run)
		err = pf->vph((const char *)p + i - run, run, pf->arg);

	return err;
}


/** esc_term of a string (for %H); NULL prints nothing */
int esc_term_str(struct re_printf *pf, const char *s)
{
	return s ? esc_term(pf, (const uint8_t *)s, strlen(s)) : 0;
}


/** esc_term of a pl (for %H), NUL bytes and all */
int esc_term_pl(struct re_printf *pf, const struct pl *pl)
{
	return pl ? esc_term(pf, (const uint8_t *)pl->p, pl->l) : 0;
}


/**
 * A copy of the n bytes at p that is valid UTF-8 (and a C string): each
 * ill-formed part (esc_utf8_seq) as U+FFFD, each NUL as U+2400, all
 * else as it is. *exactp (may be NULL): whether the copy holds the same
 * bytes.
 */
int esc_utf8_dup(char **strp, const uint8_t *p, size_t n, bool *exactp)
{
	static const char repl[] = "\xef\xbf\xbd", nul[] = "\xe2\x90\x80";
	bool exact = true;
	size_t i = 0, o = 0;
	char *s;

	if (!strp || (!p && n))
		return EINVAL;

	/* no byte becomes more than three */
	s = mem_alloc(3 * n + 1, NULL);
	if (!s)
		return ENOMEM;

	while (i < n) {
		uint32_t cp = ESC_BAD;
		size_t len = esc_utf8_seq(p + i, n - i, &cp);

		if (cp != ESC_BAD && cp) {
			memcpy(s + o, p + i, len);
			o += len;
		}
		else {
			memcpy(s + o, cp ? repl : nul, 3);
			o += 3;
			exact = false;
		}
		i += len;
	}
	s[o] = '\0';

	/* the copy is kept (a report holds every message): no slack */
	if (o < 3 * n) {
		char *t = mem_realloc(s, o + 1);

		if (t)
			s = t;
	}

	if (exactp)
		*exactp = exact;
	*strp = s;

	return 0;
}
