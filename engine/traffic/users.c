/* engine/traffic/users.c — a load run's users file: CSV with a header row,
 * or SIPp's injection file (formats in users.h) */
#include <string.h>
#include <re.h>
#include "diag.h"
#include "scenario.h"
#include "textfile.h"
#include "users.h"


enum { USERS_MAX_FILE = 256 * 1024 * 1024 };

struct users {
	char *file;
	enum users_order order;
	unsigned nvars;
	unsigned nrows;
	char *names[USERS_MAX_VARS];
	struct mbuf *cells;    /* every value, NUL-terminated, row by row */
	uint32_t *off;         /* where value v of row r starts in cells:
				  off[r * nvars + v] */
	size_t noff, szoff;
	unsigned k, n;         /* instance K of N: rows r, r % N == K-1 */
	unsigned mine;         /* … how many rows that is */
	uint64_t rng;          /* xorshift64 state for RANDOM */
};

/* where the parser is, for its errors */
struct cur {
	const char *p, *end;
	struct srcpos pos;
	const char *file;
	struct diag *dg;
};


static void destructor(void *data)
{
	struct users *u = data;
	unsigned i;

	for (i = 0; i < u->nvars; i++)
		mem_deref(u->names[i]);
	mem_deref(u->cells);
	mem_deref(u->off);
	mem_deref(u->file);
}


static void advance(struct cur *c)
{
	if (*c->p == '\n') {
		++c->pos.line;
		c->pos.col = 1;
	}
	else {
		++c->pos.col;
	}
	++c->p;
}


static bool at_eol(const struct cur *c)
{
	return c->p >= c->end || *c->p == '\n' ||
		(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n');
}


static void skip_eol(struct cur *c)
{
	if (c->p < c->end && *c->p == '\r')
		advance(c);
	if (c->p < c->end && *c->p == '\n')
		advance(c);
}


static int cur_err(const struct cur *c, const struct srcpos *pos,
		   const char *fmt, const char *what)
{
	int err = diag_err(c->dg, c->file, pos ? pos : &c->pos, fmt, what);

	return err ? err : EINVAL;
}


/* one value at the cursor into cells (NUL-terminated); RFC 4180 quoting
 * when quoting is on; stops before sep, the line's end or the input's */
static int value_read(struct users *u, struct cur *c, char sep,
		      bool quoting)
{
	const struct srcpos start = c->pos;
	size_t n = 0;
	int err = 0;

	if (quoting && c->p < c->end && *c->p == '"') {
		advance(c);
		for (;;) {
			if (c->p >= c->end)
				return cur_err(c, &start, "%s", "a quoted "
					       "value is not closed");
			if (*c->p == '"') {
				advance(c);
				if (c->p >= c->end || *c->p != '"')
					break;
			}
			err |= mbuf_write_u8(u->cells, (uint8_t)*c->p);
			++n;
			advance(c);
		}
		if (!at_eol(c) && *c->p != sep)
			return cur_err(c, NULL, "%s", "after a quoted value, "
				       "a separator or the line's end");
	}
	else {
		while (!at_eol(c) && *c->p != sep) {
			if (quoting && *c->p == '"')
				return cur_err(c, NULL, "%s", "a quote inside "
					       "an unquoted value (quote the "
					       "whole value, doubling the "
					       "quote)");
			err |= mbuf_write_u8(u->cells, (uint8_t)*c->p);
			++n;
			advance(c);
		}
	}

	if (n > USERS_MAX_VALUE)
		return cur_err(c, &start, "a value is longer than %s bytes",
			       "4096");
	if (memchr(u->cells->buf + u->cells->end - n, '\0', n))
		return cur_err(c, &start, "%s", "a value holds a NUL byte");

	return err ? ENOMEM : mbuf_write_u8(u->cells, 0);
}


static int off_push(struct users *u, size_t at)
{
	if (u->noff == u->szoff) {
		size_t sz = u->szoff ? 2 * u->szoff : 256;
		/* libre's mem_realloc takes no NULL */
		uint32_t *o = u->off ? mem_realloc(u->off, sz * sizeof(*o)) :
			mem_alloc(sz * sizeof(*o), NULL);

		if (!o)
			return ENOMEM;
		u->off = o;
		u->szoff = sz;
	}
	if (at > UINT32_MAX)
		return EFBIG;

	u->off[u->noff++] = (uint32_t)at;
	return 0;
}


/* one row's values; *nvals their count */
static int row_read(struct users *u, struct cur *c, char sep, bool quoting,
		    unsigned *nvals)
{
	int err;

	*nvals = 0;
	for (;;) {
		err = off_push(u, u->cells->end);
		if (!err)
			err = value_read(u, c, sep, quoting);
		if (err)
			return err;
		++*nvals;
		if (at_eol(c))
			break;
		advance(c);      /* the separator */
		if (*nvals >= USERS_MAX_VARS)
			return cur_err(c, NULL, "more than %s values in a "
				       "row", "64");
	}
	skip_eol(c);

	return 0;
}


static bool is_name(const char *s)
{
	size_t i;

	if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i]; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_'))
			return false;
	}

	return true;
}


/* the CSV header's names, checked, moved out of the cells */
static int header_take(struct users *u, struct cur *c,
		       const struct srcpos *at)
{
	unsigned i, j;
	int err;

	for (i = 0; i < u->nvars; i++) {
		const char *name = (char *)u->cells->buf + u->off[i];

		if (!is_name(name))
			return cur_err(c, at, "the header names '%s': a "
				       "variable's name is letters, digits "
				       "and '_', not starting with a digit",
				       name);
		for (j = 0; j < i; j++) {
			if (!strcmp(u->names[j], name))
				return cur_err(c, at, "the header names '%s' "
					       "twice", name);
		}
		err = str_dup(&u->names[i], name);
		if (err)
			return err;
	}

	mbuf_rewind(u->cells);
	u->noff = 0;
	return 0;
}


static int sipp_names(struct users *u)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < u->nvars && !err; i++)
		err = re_sdprintf(&u->names[i], "field%u", i);

	return err;
}


/* SIPp's first line: the order, or 0 if this is not SIPp's form */
static int sipp_head(struct users *u, struct cur *c, bool *sipp)
{
	static const struct {
		const char *s;
		enum users_order order;
	} heads[] = {
		{"SEQUENTIAL", USERS_SEQUENTIAL},
		{"RANDOM", USERS_RANDOM},
		{"USER", USERS_SEQUENTIAL},
	};
	size_t i, l;

	*sipp = false;
	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		l = strlen(heads[i].s);
		if ((size_t)(c->end - c->p) < l ||
		    memcmp(c->p, heads[i].s, l))
			continue;
		if (c->p + l < c->end && c->p[l] == ',')
			return diag_err(c->dg, c->file, &(struct srcpos){1,
					(unsigned)l + 1}, "SIPp's '%s' "
					"options (PRINTF=…) are not taken: "
					"write the rows out",
					heads[i].s) ? ENOMEM : EINVAL;
		while (c->p + l < c->end && c->p[l] == ' ')
			++l;
		if (c->p + l < c->end && c->p[l] != '\n' && c->p[l] != '\r')
			continue;

		while (l--)
			advance(c);
		skip_eol(c);
		u->order = heads[i].order;
		*sipp = true;
		return 0;
	}

	return 0;
}


static bool skip_blank_or_comment(struct cur *c, bool comments)
{
	if (c->p < c->end && at_eol(c)) {
		skip_eol(c);
		return true;
	}
	if (comments && c->p < c->end && *c->p == '#') {
		while (!at_eol(c))
			advance(c);
		skip_eol(c);
		return true;
	}

	return false;
}


static int parse(struct users *u, struct cur *c)
{
	struct srcpos first = {0, 0};
	bool sipp, header = true;
	char sep = ',';
	int err;

	err = sipp_head(u, c, &sipp);
	if (err)
		return err;
	if (sipp) {
		sep = ';';
		header = false;
	}

	while (c->p < c->end) {
		const struct srcpos at = c->pos;
		unsigned nvals;

		if (skip_blank_or_comment(c, !sipp))
			continue;

		err = row_read(u, c, sep, !sipp, &nvals);
		if (err)
			return err;

		if (!u->nvars && !first.line) {
			first = at;
			u->nvars = nvals;
			if (header) {
				err = header_take(u, c, &at);
				if (err)
					return err;
				continue;
			}
		}
		else if (nvals != u->nvars) {
			char what[96];

			re_snprintf(what, sizeof(what), "%u values, where %s "
				    "has %u", nvals, header ? "the header" :
				    "the first row", u->nvars);
			return cur_err(c, &at, "a row of %s", what);
		}

		if (++u->nrows > USERS_MAX_ROWS)
			return cur_err(c, &at, "more than %s rows",
				       "10,000,000");
	}

	if (!u->nrows)
		return cur_err(c, &c->pos, "%s", header ? "no user: a header "
			       "row and at least one row of values" :
			       "no user: at least one row of values");

	return sipp ? sipp_names(u) : 0;
}


/**
 * Users from text (the file's contents; file names it in errors)
 */
int users_parse(struct users **up, const char *file, const char *text,
		size_t len, struct diag *dg)
{
	struct users *u;
	struct cur c;
	int err;

	if (!up || !file || !text || !dg)
		return EINVAL;

	u = mem_zalloc(sizeof(*u), destructor);
	if (!u)
		return ENOMEM;

	u->cells = mbuf_alloc(len + 1);
	err = u->cells ? str_dup(&u->file, file) : ENOMEM;
	if (err)
		goto out;

	c = (struct cur){text, text + len, {1, 1}, file, dg};
	err = parse(u, &c);
	if (err)
		goto out;

	u->k = 1;
	u->n = 1;
	u->mine = u->nrows;
	u->rng = 0x9e3779b97f4a7c15ull;

 out:
	if (err)
		mem_deref(u);
	else
		*up = u;

	return err;
}


/** Users from a file (a regular file, read to a bound) */
int users_load(struct users **up, const char *file, struct diag *dg)
{
	const char *why = NULL;
	char *text = NULL;
	size_t len = 0;
	int err;

	if (!up || !file || !dg)
		return EINVAL;

	err = textfile_read(&text, &len, file, USERS_MAX_FILE, &why);
	if (err) {
		diag_err(dg, file, NULL, "cannot read the users file: %s",
			 why ? why : strerror(err));
		return err;
	}

	err = users_parse(up, file, text, len, dg);
	mem_deref(text);

	return err;
}


unsigned users_rows(const struct users *u)
{
	return u ? u->nrows : 0;
}


unsigned users_vars(const struct users *u)
{
	return u ? u->nvars : 0;
}


const char *users_var(const struct users *u, unsigned var)
{
	return u && var < u->nvars ? u->names[var] : NULL;
}


/** A variable's index, or -1 if the file does not name it */
int users_var_index(const struct users *u, const char *name)
{
	unsigned i;

	for (i = 0; u && name && i < u->nvars; i++) {
		if (!strcmp(u->names[i], name))
			return (int)i;
	}

	return -1;
}


const char *users_value(const struct users *u, unsigned row, unsigned var)
{
	if (!u || row >= u->nrows || var >= u->nvars)
		return NULL;

	return (const char *)u->cells->buf + u->off[row * u->nvars + var];
}


enum users_order users_order(const struct users *u)
{
	return u ? u->order : USERS_SEQUENTIAL;
}


/** Take the rows in order or at random (seeded, so a run repeats) */
void users_set_order(struct users *u, enum users_order order,
		     uint64_t seed)
{
	if (!u)
		return;

	u->order = order;
	u->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}


/**
 * Instance k of n (1-based) of a load run spread over several generators
 * takes the rows r with r % n == k - 1, so no two instances ever use the
 * same user; an error if the file has fewer rows than instances
 */
int users_share(struct users *u, unsigned k, unsigned n, struct diag *dg)
{
	if (!u || !dg || !n || !k || k > n)
		return EINVAL;

	if (u->nrows < n) {
		int err = diag_err(dg, u->file, NULL, "%u users for %u "
				   "instances: each instance needs a row "
				   "of its own", u->nrows, n);
		return err ? err : EINVAL;
	}

	u->k = k;
	u->n = n;
	u->mine = (u->nrows - (k - 1) + n - 1) / n;
	return 0;
}


static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}


/** The row call number call (0, 1, …) of this instance takes */
unsigned users_pick(struct users *u, uint64_t call)
{
	uint64_t i;

	if (!u || !u->mine)
		return 0;

	if (u->order == USERS_RANDOM)
		i = xorshift64(&u->rng) % u->mine;
	else
		i = call % u->mine;

	return (unsigned)((u->k - 1) + i * u->n);
}
