/* engine/sip/mutate.c — seeded mutations of a SIP message (sipflow
 * torture): header lines dropped, doubled and swapped; overlong and huge
 * values; numbers that are not numbers in CSeq, Content-Length and
 * Max-Forwards (length lies among them); invalid UTF-8 and control
 * bytes; truncation; broken start lines; other encodings of the same
 * message; splits of a stream's bytes across segments.
 *
 * Pure: mutation n of a seed depends only on the message, the seed and
 * n (a SplitMix64 stream seeded from both), so it is made again alone,
 * byte for byte, to narrow a failure down or to reproduce it. One row
 * per kind; a kind that cannot apply to a message (two headers to swap,
 * a CSeq to break) hands over to the next row.
 */
#include <ctype.h>
#include <string.h>
#include <re.h>
#include "hdr.h"
#include "mutate.h"


enum { MAXLINES = 256 };

struct rng {
	uint64_t s;
};

/* a message cut into lines: ln 0 the start line, then the header lines,
 * each with its line end (CRLF or LF); hend: where the blank line is */
struct view {
	const uint8_t *p;
	size_t len;
	size_t off[MAXLINES];
	size_t clen[MAXLINES];     /* without the line end */
	size_t llen[MAXLINES];     /* with it */
	unsigned n;
	size_t hend;
	size_t body;
};

typedef int (mut_h)(struct mbuf *mb, struct mutation *m,
		    const struct view *v, struct rng *r, size_t max);


/* SplitMix64 (Steele, Lea, Flood 2014): small, seedable, good enough
 * to pick among mutations */
static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}


static size_t pick(struct rng *r, size_t n)
{
	return n ? (size_t)(rnd(r) % n) : 0;
}


static void view_init(struct view *v, const uint8_t *p, size_t len)
{
	size_t i = 0;

	memset(v, 0, sizeof(*v));
	v->p = p;
	v->len = len;
	v->hend = v->body = len;

	while (i < len) {
		const uint8_t *nl = memchr(p + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - p) + 1 : len;
		size_t c = end - i - (nl ? 1 : 0);

		if (c && p[i + c - 1] == '\r')
			--c;
		if (!c && v->n) {
			v->hend = i;
			v->body = end;
			return;
		}
		if (v->n < MAXLINES) {
			v->off[v->n] = i;
			v->clen[v->n] = c;
			v->llen[v->n] = end - i;
			++v->n;
		}
		i = end;
	}
}


/* the header name of line i, white space around it dropped */
static struct pl line_name(const struct view *v, unsigned i)
{
	const char *s = (const char *)v->p + v->off[i];
	const char *colon = memchr(s, ':', v->clen[i]);
	struct pl pl;

	pl.p = s;
	pl.l = colon ? (size_t)(colon - s) : v->clen[i];
	while (pl.l && (pl.p[pl.l - 1] == ' ' || pl.p[pl.l - 1] == '\t'))
		--pl.l;
	return pl;
}


/* where line i's value starts (after the colon and white space) */
static size_t line_value(const struct view *v, unsigned i)
{
	const uint8_t *s = v->p + v->off[i];
	const uint8_t *colon = memchr(s, ':', v->clen[i]);
	size_t a = colon ? (size_t)(colon - s) + 1 : v->clen[i];

	while (a < v->clen[i] && (s[a] == ' ' || s[a] == '\t'))
		++a;
	return v->off[i] + a;
}


/* the first header line named name (compact forms too), 0 if none */
static unsigned find_hdr(const struct view *v, const char *name)
{
	unsigned i;

	for (i = 1; i < v->n; i++) {
		struct pl nm = line_name(v, i);

		if (hdr_name_eq(name, &nm))
			return i;
	}

	return 0;
}


/* the message with [a, b) replaced by ins */
static int splice(struct mbuf *mb, const struct view *v, size_t a, size_t b,
		  const void *ins, size_t n)
{
	int err;

	err  = mbuf_write_mem(mb, v->p, a);
	err |= n ? mbuf_write_mem(mb, ins, n) : 0;
	err |= mbuf_write_mem(mb, v->p + b, v->len - b);
	return err ? ENOMEM : 0;
}


static unsigned any_hdr(const struct view *v, struct rng *r)
{
	return 1 + (unsigned)pick(r, v->n - 1);
}


static int m_drop(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	struct pl nm;
	unsigned i;
	(void)max;

	if (v->n < 2)
		return ENOENT;

	i = any_hdr(v, r);
	nm = line_name(v, i);
	re_snprintf(m->what, sizeof(m->what), "header %r left out", &nm);
	return splice(mb, v, v->off[i], v->off[i] + v->llen[i], NULL, 0);
}


static int m_dup(struct mbuf *mb, struct mutation *m,
		 const struct view *v, struct rng *r, size_t max)
{
	struct pl nm;
	unsigned i, j;
	size_t at;
	(void)max;

	if (v->n < 2)
		return ENOENT;

	i = any_hdr(v, r);
	j = 1 + (unsigned)pick(r, v->n);
	at = j < v->n ? v->off[j] : v->hend;
	nm = line_name(v, i);
	re_snprintf(m->what, sizeof(m->what), "header %r twice (again "
		    "before line %u)", &nm, j + 1);
	return splice(mb, v, at, at, v->p + v->off[i], v->llen[i]);
}


static int m_reorder(struct mbuf *mb, struct mutation *m,
		     const struct view *v, struct rng *r, size_t max)
{
	struct pl a, b;
	unsigned i, j, t;
	int err;
	(void)max;

	if (v->n < 3)
		return ENOENT;

	i = any_hdr(v, r);
	j = 1 + (unsigned)pick(r, v->n - 2);
	if (j >= i)
		++j;
	if (j < i) {
		t = i;
		i = j;
		j = t;
	}

	a = line_name(v, i);
	b = line_name(v, j);
	re_snprintf(m->what, sizeof(m->what), "headers %r and %r swapped",
		    &a, &b);

	/* lines of the same length and bytes would change nothing: the
	 * line ends stay where they were, the contents swap */
	err  = mbuf_write_mem(mb, v->p, v->off[i]);
	err |= mbuf_write_mem(mb, v->p + v->off[j], v->clen[j]);
	err |= mbuf_write_mem(mb, v->p + v->off[i] + v->clen[i],
			      v->off[j] - v->off[i] - v->clen[i]);
	err |= mbuf_write_mem(mb, v->p + v->off[i], v->clen[i]);
	err |= mbuf_write_mem(mb, v->p + v->off[j] + v->clen[j],
			      v->len - v->off[j] - v->clen[j]);
	return err ? ENOMEM : 0;
}


/* n bytes of x, at most what max leaves; 0: no room */
static size_t room(const struct view *v, size_t want, size_t max)
{
	if (v->len >= max)
		return 0;

	return want < max - v->len ? want : max - v->len;
}


static int m_long(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	static const size_t sizes[] = {256, 1024, 4096, 16384, 65536};
	size_t n, at;
	struct pl nm;
	unsigned i;
	int err;

	if (v->n < 2)
		return ENOENT;

	i = any_hdr(v, r);
	n = room(v, sizes[pick(r, ARRAY_SIZE(sizes))], max);
	if (n < 16)
		return ENOENT;

	at = v->off[i] + v->clen[i];
	nm = line_name(v, i);
	re_snprintf(m->what, sizeof(m->what), "header %r value %zu bytes "
		    "longer", &nm, n);

	err  = mbuf_write_mem(mb, v->p, at);
	err |= mbuf_fill(mb, 'x', n);
	err |= mbuf_write_mem(mb, v->p + at, v->len - at);
	return err ? ENOMEM : 0;
}


/* the value of header name replaced by val (a line added at the end of
 * the headers if there is none); suffix: the rest of the old value kept
 * after the first word (CSeq's method) */
static int set_value(struct mbuf *mb, const struct view *v,
		     const char *name, const char *val, bool suffix)
{
	unsigned i = find_hdr(v, name);
	size_t a, b;
	char line[160];

	if (!i) {
		re_snprintf(line, sizeof(line), "%s: %s\r\n", name, val);
		return splice(mb, v, v->hend, v->hend, line, strlen(line));
	}

	a = line_value(v, i);
	b = v->off[i] + v->clen[i];
	if (suffix) {
		size_t s = a;

		while (s < b && v->p[s] != ' ' && v->p[s] != '\t')
			++s;
		b = s;
	}

	return splice(mb, v, a, b, val, strlen(val));
}


/* numbers a parser must refuse or clamp (RFC 3261 §8.1.1.5: CSeq is
 * below 2**31; §20.22: Max-Forwards 0-255, 25.1 1*DIGIT) */
static const char *const bad_numbers[] = {
	"-1", "4294967296", "2147483648", "99999999999999999999999999",
	"0x10", "1e3", "1.5", "", " ", "+1", "abc", "0000000000000000000001",
};


static int m_cseq(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	const char *bad = bad_numbers[pick(r, ARRAY_SIZE(bad_numbers))];
	(void)max;

	if (!find_hdr(v, "CSeq"))
		return ENOENT;

	re_snprintf(m->what, sizeof(m->what), "CSeq number '%s'", bad);
	return set_value(mb, v, "CSeq", bad, true);
}


static int m_clen(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	size_t body = v->len - v->body;
	size_t k = pick(r, ARRAY_SIZE(bad_numbers) + 4);
	char val[32];
	(void)max;

	/* a lie about a number that is one: longer or shorter than the
	 * body (RFC 3261 §18.3, §20.14) */
	if (k >= ARRAY_SIZE(bad_numbers)) {
		static const long lies[] = {1, 1000, -1, 65536};
		long d = lies[k - ARRAY_SIZE(bad_numbers)];

		if (d < 0 && !body)
			d = 1;
		re_snprintf(val, sizeof(val), "%zu",
			    (size_t)((long)body + d));
	}
	else {
		str_ncpy(val, bad_numbers[k], sizeof(val));
	}

	re_snprintf(m->what, sizeof(m->what), "Content-Length '%s' (body %zu "
		    "bytes)", val, body);
	return set_value(mb, v, "Content-Length", val, false);
}


static int m_maxfwd(struct mbuf *mb, struct mutation *m,
		    const struct view *v, struct rng *r, size_t max)
{
	static const char *const extra[] = {"256", "0", "70 70"};
	size_t k = pick(r, ARRAY_SIZE(bad_numbers) + ARRAY_SIZE(extra));
	const char *val = k < ARRAY_SIZE(bad_numbers) ? bad_numbers[k]
		: extra[k - ARRAY_SIZE(bad_numbers)];
	(void)max;

	re_snprintf(m->what, sizeof(m->what), "Max-Forwards '%s'", val);
	return set_value(mb, v, "Max-Forwards", val, false);
}


/* bytes no UTF-8 decoder may accept (RFC 3629 §3): an overlong '/',
 * bytes never used, a surrogate, a five-byte form, a lead byte alone, a
 * continuation byte alone */
static const struct {
	const char *b;
	const char *hex;
} bad_utf8[] = {
	{"\xc0\xaf", "C0 AF"},
	{"\xff\xfe", "FF FE"},
	{"\xed\xa0\x80", "ED A0 80"},
	{"\xf8\x88\x80\x80\x80", "F8 88 80 80 80"},
	{"\xc3", "C3"},
	{"\x80\x80", "80 80"},
};


static int m_utf8(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	size_t k = pick(r, ARRAY_SIZE(bad_utf8));
	size_t a, b, at;
	struct pl nm;
	unsigned i;
	(void)max;

	if (v->n < 2)
		return ENOENT;

	i = any_hdr(v, r);
	a = line_value(v, i);
	b = v->off[i] + v->clen[i];
	at = a + pick(r, b - a + 1);
	nm = line_name(v, i);
	re_snprintf(m->what, sizeof(m->what), "bytes %s (invalid UTF-8) in "
		    "header %r", bad_utf8[k].hex, &nm);
	return splice(mb, v, at, at, bad_utf8[k].b, strlen(bad_utf8[k].b));
}


static int m_ctrl(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	static const uint8_t ctl[] = {0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c,
				      0x1b, 0x7f, '\r', '\n'};
	uint8_t c = ctl[pick(r, sizeof(ctl))];
	unsigned i;
	size_t at;
	struct pl nm;
	(void)max;

	if (!v->n)
		return ENOENT;

	i = (unsigned)pick(r, v->n);
	at = v->off[i] + pick(r, v->clen[i] + 1);
	nm = line_name(v, i);
	if (i)
		re_snprintf(m->what, sizeof(m->what), "byte 0x%02x in header "
			    "%r, column %zu", c, &nm, at - v->off[i] + 1);
	else
		re_snprintf(m->what, sizeof(m->what), "byte 0x%02x in the "
			    "start line, column %zu", c, at + 1);

	return splice(mb, v, at, at, &c, 1);
}


static int m_trunc(struct mbuf *mb, struct mutation *m,
		   const struct view *v, struct rng *r, size_t max)
{
	size_t cut;
	(void)max;

	if (v->len < 2)
		return ENOENT;

	cut = 1 + pick(r, v->len - 1);
	re_snprintf(m->what, sizeof(m->what), "cut after byte %zu of %zu",
		    cut, v->len);
	return mbuf_write_mem(mb, v->p, cut) ? ENOMEM : 0;
}


/* start lines: %1 %2 %3 its words (the third: the rest of the line),
 * %l the first in lower case, %L a 1000-byte word */
static const struct {
	const char *fmt;
	const char *what;
} starts[] = {
	{"%1 %2 SIP/3.0", "version SIP/3.0"},
	{"%1 %2", "no third word"},
	{"%1  %2  %3", "two spaces between words"},
	{"%1\t%2\t%3", "tabs between words"},
	{"%1%2 %3", "no space after the first word"},
	{"%1  %3", "empty second word"},
	{"%1 %2 %3 %3", "a fourth word"},
	{"%l %2 %3", "first word in lower case"},
	{"%L %2 %3", "a 1000-byte first word"},
	{" %1 %2 %3", "a leading space"},
	{"%1 <%2> %3", "second word in angle brackets"},
	{"%1 x%2 %3", "second word with an unknown scheme"},
	{"%1 %2 sip/2.0", "version in lower case"},
	{"", "an empty start line"},
	{"%1 %2 SIP/2.0/UDP", "version SIP/2.0/UDP"},
};


static int m_start(struct mbuf *mb, struct mutation *m,
		   const struct view *v, struct rng *r, size_t max)
{
	size_t k = pick(r, ARRAY_SIZE(starts));
	const char *s = (const char *)v->p, *f;
	struct pl w[3];
	size_t c, i, e;
	int err = 0;
	(void)max;

	if (!v->n)
		return ENOENT;

	/* the three words of the start line */
	c = v->clen[0];
	for (i = 0, e = 0; i < 3; i++) {
		size_t b = e;

		e = b;
		while (e < c && (i == 2 || s[e] != ' '))
			++e;
		w[i].p = s + b;
		w[i].l = e - b;
		if (e < c)
			++e;
	}

	re_snprintf(m->what, sizeof(m->what), "start line: %s",
		    starts[k].what);
	err |= mbuf_write_mem(mb, v->p, v->off[0]);
	for (f = starts[k].fmt; *f && !err; f++) {
		if (*f != '%') {
			err = mbuf_write_u8(mb, (uint8_t)*f);
			continue;
		}
		++f;
		if (*f >= '1' && *f <= '3') {
			err = mbuf_write_pl(mb, &w[*f - '1']);
		}
		else if (*f == 'l') {
			for (i = 0; i < w[0].l && !err; i++)
				err = mbuf_write_u8(mb,
					(uint8_t)tolower(w[0].p[i]));
		}
		else {
			err = mbuf_fill(mb, 'A', 1000);
		}
	}
	err |= mbuf_write_mem(mb, v->p + c, v->len - c);
	return err ? ENOMEM : 0;
}


static int m_huge(struct mbuf *mb, struct mutation *m,
		  const struct view *v, struct rng *r, size_t max)
{
	static const size_t sizes[] = {8192, 32768, 65000};
	static const char via[] = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch="
		"z9hG4bKtorture%05u\r\n";
	bool many = pick(r, 2);
	size_t n = room(v, sizes[pick(r, ARRAY_SIZE(sizes))], max);
	unsigned i, lines;
	int err;

	if (n < 64)
		return ENOENT;

	err = mbuf_write_mem(mb, v->p, v->hend);
	if (many) {
		lines = (unsigned)(n / sizeof(via));
		re_snprintf(m->what, sizeof(m->what), "%u Via lines more",
			    lines);
		for (i = 0; i < lines && !err; i++)
			err = mbuf_printf(mb, via, i);
	}
	else {
		re_snprintf(m->what, sizeof(m->what), "a header of %zu "
			    "bytes", n - 16);
		err |= mbuf_write_str(mb, "X-Torture: ");
		err |= mbuf_fill(mb, 'y', n - 16);
		err |= mbuf_write_str(mb, "\r\n");
	}
	err |= mbuf_write_mem(mb, v->p + v->hend, v->len - v->hend);
	return err ? ENOMEM : 0;
}


/* RFC 3261 §7.3.3 */
static const struct {
	const char *name;
	const char *compact;
} compact[] = {
	{"Via", "v"}, {"From", "f"}, {"To", "t"}, {"Call-ID", "i"},
	{"Contact", "m"}, {"Content-Length", "l"}, {"Content-Type", "c"},
	{"Supported", "k"}, {"Subject", "s"}, {"Content-Encoding", "e"},
};


/* each header line as f rewrites its name (or the line as it is) */
typedef int (name_h)(struct mbuf *mb, const struct pl *name);

static int name_compact(struct mbuf *mb, const struct pl *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(compact); i++) {
		if (!pl_strcasecmp(name, compact[i].name))
			return mbuf_write_str(mb, compact[i].compact);
	}

	return mbuf_write_pl(mb, name);
}


static int name_case(struct mbuf *mb, const struct pl *name, bool up)
{
	size_t i;
	int err = 0;

	for (i = 0; i < name->l && !err; i++)
		err = mbuf_write_u8(mb, (uint8_t)(up ? toupper(name->p[i])
						   : tolower(name->p[i])));
	return err;
}


static int name_upper(struct mbuf *mb, const struct pl *name)
{
	return name_case(mb, name, true);
}


static int name_lower(struct mbuf *mb, const struct pl *name)
{
	return name_case(mb, name, false);
}


/* "Name  :  value": RFC 3261 §7.3.1 HCOLON allows white space */
static int name_spaced(struct mbuf *mb, const struct pl *name)
{
	return mbuf_printf(mb, "%r  ", name);
}


static int rename_all(struct mbuf *mb, const struct view *v, name_h *h)
{
	unsigned i;
	int err;

	err = mbuf_write_mem(mb, v->p, v->llen[0]);
	for (i = 1; i < v->n && !err; i++) {
		struct pl nm = line_name(v, i);
		size_t rest = (size_t)(nm.p + nm.l -
				       (const char *)v->p) - v->off[i];

		err  = h(mb, &nm);
		err |= mbuf_write_mem(mb, v->p + v->off[i] + rest,
				      v->llen[i] - rest);
	}
	err |= mbuf_write_mem(mb, v->p + v->hend, v->len - v->hend);
	return err ? ENOMEM : 0;
}


/* bare LF for every line end of the head (RFC 3261 §7: CRLF; §7.5 and
 * many parsers take LF) */
static int bare_lf(struct mbuf *mb, const struct view *v)
{
	size_t i;
	int err = 0;

	for (i = 0; i < v->body && !err; i++) {
		if (v->p[i] == '\r' && i + 1 < v->len && v->p[i + 1] == '\n')
			continue;
		err = mbuf_write_u8(mb, v->p[i]);
	}
	err |= mbuf_write_mem(mb, v->p + v->body, v->len - v->body);
	return err ? ENOMEM : 0;
}


/* a value folded onto a continuation line (RFC 3261 §7.3.1: LWS) */
static int fold(struct mbuf *mb, struct mutation *m, const struct view *v,
		struct rng *r)
{
	unsigned i = any_hdr(v, r);
	size_t at = line_value(v, i);
	struct pl nm = line_name(v, i);

	re_snprintf(m->what, sizeof(m->what), "encoding: header %r folded "
		    "onto a continuation line", &nm);
	return splice(mb, v, at, at, "\r\n\t", 3);
}


/* the Request-URI's user part percent-encoded (RFC 3261 §19.1.2) */
static int pct_user(struct mbuf *mb, struct mutation *m,
		    const struct view *v)
{
	const char *s = (const char *)v->p;
	const char *sp = memchr(s, ' ', v->clen[0]);
	const char *colon, *at;
	int err;

	if (!sp)
		return ENOENT;
	colon = memchr(sp, ':', v->clen[0] - (size_t)(sp - s));
	at = memchr(sp, '@', v->clen[0] - (size_t)(sp - s));
	if (!colon || !at || at <= colon + 1)
		return ENOENT;

	re_snprintf(m->what, sizeof(m->what), "encoding: Request-URI user "
		    "part percent-encoded");
	err = mbuf_write_mem(mb, v->p, (size_t)(colon + 1 - s));
	for (++colon; colon < at && !err; colon++)
		err = mbuf_printf(mb, "%%%02X", (uint8_t)*colon);
	err |= mbuf_write_mem(mb, (const uint8_t *)at,
			      v->len - (size_t)(at - s));
	return err ? ENOMEM : 0;
}


static int m_encoding(struct mbuf *mb, struct mutation *m,
		      const struct view *v, struct rng *r, size_t max)
{
	static const struct {
		name_h *h;
		const char *what;
	} names[] = {
		{name_compact, "compact header names"},
		{name_upper, "header names in upper case"},
		{name_lower, "header names in lower case"},
		{name_spaced, "white space before each colon"},
	};
	size_t k = pick(r, ARRAY_SIZE(names) + 3);
	(void)max;

	if (v->n < 2)
		return ENOENT;

	if (k == ARRAY_SIZE(names) + 2 && !pct_user(mb, m, v))
		return 0;
	if (k == ARRAY_SIZE(names) + 1)
		return fold(mb, m, v, r);
	if (k == ARRAY_SIZE(names)) {
		re_snprintf(m->what, sizeof(m->what), "encoding: bare LF "
			    "line ends");
		return bare_lf(mb, v);
	}

	k %= ARRAY_SIZE(names);
	re_snprintf(m->what, sizeof(m->what), "encoding: %s",
		    names[k].what);
	return rename_all(mb, v, names[k].h);
}


static int m_split(struct mbuf *mb, struct mutation *m,
		   const struct view *v, struct rng *r, size_t max)
{
	size_t a, b;
	(void)max;

	if (v->len < 3)
		return ENOENT;

	a = 1 + pick(r, v->len - 1);
	b = 1 + pick(r, v->len - 1);
	if (pick(r, 2) || a == b) {
		m->split[0] = a;
		re_snprintf(m->what, sizeof(m->what), "sent in 2 segments, "
			    "cut after byte %zu", a);
	}
	else {
		m->split[0] = a < b ? a : b;
		m->split[1] = a < b ? b : a;
		re_snprintf(m->what, sizeof(m->what), "sent in 3 segments, "
			    "cut after bytes %zu and %zu", m->split[0],
			    m->split[1]);
	}

	return mbuf_write_mem(mb, v->p, v->len) ? ENOMEM : 0;
}


static const struct {
	const char *name;
	mut_h *h;
} kinds[MUT_NKINDS] = {
	[MUT_DROP]     = {"drop-header",     m_drop},
	[MUT_DUP]      = {"duplicate-header", m_dup},
	[MUT_REORDER]  = {"reorder-headers", m_reorder},
	[MUT_LONG]     = {"overlong-value",  m_long},
	[MUT_CSEQ]     = {"bad-cseq",        m_cseq},
	[MUT_CLEN]     = {"bad-content-length", m_clen},
	[MUT_MAXFWD]   = {"bad-max-forwards", m_maxfwd},
	[MUT_UTF8]     = {"invalid-utf8",    m_utf8},
	[MUT_CTRL]     = {"control-byte",    m_ctrl},
	[MUT_TRUNC]    = {"truncated",       m_trunc},
	[MUT_START]    = {"broken-start-line", m_start},
	[MUT_HUGE]     = {"huge-header",     m_huge},
	[MUT_ENCODING] = {"encoding",        m_encoding},
	[MUT_SPLIT]    = {"tcp-split",       m_split},
};


/** The name of a mutation kind ("bad-cseq"), "?" for none */
const char *mut_kind_name(enum mut_kind k)
{
	return (unsigned)k < MUT_NKINDS ? kinds[k].name : "?";
}


/**
 * Mutation n of seed applied to the message p (len bytes) into m (reset
 * first with mutation_reset when reused). stream: the message goes over
 * TCP or TLS (only then are splits made); max: the largest message to
 * make (a UDP datagram's 65507). ENOENT: no kind applies (an empty
 * message).
 */
int mutate(struct mutation *m, const uint8_t *p, size_t len,
	   uint64_t seed, uint64_t n, bool stream, size_t max)
{
	struct view *v;
	struct rng r;
	size_t nk = stream ? MUT_NKINDS : MUT_SPLIT, k0, t;
	char *c;
	int err = ENOENT;

	if (!m || !p)
		return EINVAL;

	memset(m, 0, sizeof(*m));
	if (!len)
		return ENOENT;
	v = mem_zalloc(sizeof(*v), NULL);
	m->mb = mbuf_alloc(len + 1024);
	if (!v || !m->mb) {
		mem_deref(v);
		m->mb = mem_deref(m->mb);
		return ENOMEM;
	}

	view_init(v, p, len);
	r.s = seed ^ (n * 0xd1b54a32d192ed03ULL);
	(void)rnd(&r);
	k0 = pick(&r, nk);

	for (t = 0; t < nk && err == ENOENT; t++) {
		size_t k = (k0 + t) % nk;

		m->kind = (enum mut_kind)k;
		m->mb->pos = m->mb->end = 0;
		m->what[0] = '\0';
		memset(m->split, 0, sizeof(m->split));
		err = kinds[k].h(m->mb, m, v, &r, max ? max : (size_t)-1);
	}

	/* what is printed: printable ASCII only */
	for (c = m->what; *c; c++) {
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	}

	mem_deref(v);
	if (err)
		m->mb = mem_deref(m->mb);
	else
		m->mb->pos = 0;

	return err;
}


/** Release what a mutation holds */
void mutation_reset(struct mutation *m)
{
	if (!m)
		return;

	mem_deref(m->mb);
	memset(m, 0, sizeof(*m));
}
