/* capture/diff_mask.c — a header value as diff compares it: what differs
 * between any two runs is replaced by a word, and a volatile value by a
 * label naming where it was first seen, so that its consistency is still
 * compared.
 *
 * Addresses (IPv4 and IPv6, with their port), received= and rport= become
 * "<addr>" and "*". A volatile value (a Call-ID, a tag, a branch, a
 * digest nonce, cnonce, response or opaque, an Event id=) becomes
 * "<kind K>", the K-th value of its kind seen in this call, in capture
 * order. Call-IDs are numbered across calls, the rest within their call
 * (values of other calls that happen to be equal are not related); a
 * dialog named by Replaces is "<call-id 1 of call -1>" (the call before)
 * and its tags are looked up among that call's. Two runs of one flow see
 * their values in the same places, so their labels are the same; a
 * value used where another was (a Replaces naming another dialog, an
 * Authorization answering a nonce never sent) gets another label, and
 * the comparison reports it. The Call-ID of each call is its first value
 * of kind call-id; Replaces, Join, Target-Dialog and a URI's ?Replaces=
 * (URL-escaped) name a dialog by Call-ID and tags. The seconds a
 * subscription has left (Subscription-State expires=) count down with
 * the clock: '*', but 0 stays 0.
 */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "hdr.h"
#include "pcapr.h"
#include "trace.h"
#include "diff.h"
#include "diff_priv.h"


enum tok_kind {
	TOK_CALLID, TOK_TAG, TOK_BRANCH, TOK_NONCE, TOK_CNONCE,
	TOK_RESPONSE, TOK_OPAQUE, TOK_ID,
	TOK_N,
	TOK_STAR = TOK_N,      /* masked with '*', no consistency */
	TOK_DIALOG,            /* a URL-escaped Replaces: a dialog */
	TOK_COUNTDOWN,         /* seconds left: '*', but 0 stays 0 */
};

static const char *const tok_name[TOK_N] = {
	"call-id", "tag", "branch", "nonce", "cnonce", "response", "opaque",
	"id",
};

/* the parameters whose values are masked: after ';', ',', ' ', '?' or
 * '&', the name and '=' */
static const struct {
	const char *name;      /* lower case */
	size_t len;
	enum tok_kind kind;
} params[] = {
	{"tag=", 4, TOK_TAG},           {"to-tag=", 7, TOK_TAG},
	{"from-tag=", 9, TOK_TAG},      {"local-tag=", 10, TOK_TAG},
	{"remote-tag=", 11, TOK_TAG},   {"branch=", 7, TOK_BRANCH},
	{"received=", 9, TOK_STAR},     {"rport=", 6, TOK_STAR},
	{"nonce=", 6, TOK_NONCE},       {"nextnonce=", 10, TOK_NONCE},
	{"cnonce=", 7, TOK_CNONCE},     {"response=", 9, TOK_RESPONSE},
	{"rspauth=", 8, TOK_RESPONSE},  {"opaque=", 7, TOK_OPAQUE},
	{"id=", 3, TOK_ID},             {"replaces=", 9, TOK_DIALOG},
	{"expires=", 8, TOK_COUNTDOWN}, /* in Subscription-State only */
};

/* what may start a masked part: a digit (an address), '[' and ':'
 * (IPv6), a separator before a parameter */
static const bool mask_start[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['['] = 1, [':'] = 1,
	[';'] = 1, [','] = 1, [' '] = 1, ['?'] = 1, ['&'] = 1,
};

/* what may start a masked parameter's name */
static const bool param_start[256] = {
	['t'] = 1, ['f'] = 1, ['l'] = 1, ['r'] = 1, ['b'] = 1, ['n'] = 1,
	['c'] = 1, ['o'] = 1, ['i'] = 1, ['e'] = 1,
	['T'] = 1, ['F'] = 1, ['L'] = 1, ['R'] = 1, ['B'] = 1, ['N'] = 1,
	['C'] = 1, ['O'] = 1, ['I'] = 1, ['E'] = 1,
};

/* where a parameter's value ends, unquoted */
static const bool val_end[256] = {
	[';'] = 1, ['>'] = 1, [','] = 1, ['&'] = 1, [' '] = 1, ['\t'] = 1,
	['?'] = 1, ['"'] = 1,
};


/* the length of a port after an address at p ("" or ":5060"), or 0 */
static size_t port_len(const char *p, size_t left)
{
	size_t j = 1;

	if (!left || p[0] != ':')
		return 0;
	while (j < left && isdigit((unsigned char)p[j]))
		j++;

	return j > 1 ? j : 0;
}


/* the length of an IPv4 address (with its port) at p, or 0 */
static size_t addr4_len(const char *p, size_t left)
{
	size_t j = 0, dots = 0;

	while (j < left && (isdigit((unsigned char)p[j]) || p[j] == '.')) {
		dots += p[j] == '.';
		j++;
	}
	if (dots != 3)
		return 0;

	return j + port_len(p + j, left - j);
}


/* the length of an IPv6 address at p: "[2001:db8::1]:5060" with its
 * port, or bare where it starts with a digit or ':' ("2001:db8::1",
 * "::1": a "::" or seven ':'), or 0 */
static size_t addr6_len(const char *p, size_t left, bool boundary)
{
	size_t j, colons = 0;
	bool dbl = false, br = p[0] == '[';

	if (!br && !boundary)
		return 0;
	for (j = br; j < left && (isxdigit((unsigned char)p[j]) ||
				  p[j] == ':' || p[j] == '.'); j++) {
		colons += p[j] == ':';
		dbl |= p[j] == ':' && j > br && p[j - 1] == ':';
	}
	if (colons < 2 || (!dbl && colons != 7))
		return 0;
	if (!br)
		return j;
	if (j == left || p[j] != ']')
		return 0;
	j++;

	return j + port_len(p + j, left - j);
}


/* p starts with lit (lower case, as strncasecmp compares) */
static bool starts_icase(const char *p, size_t left, const char *lit,
			 size_t n)
{
	size_t i;

	if (left <= n)
		return false;
	for (i = 0; i < n; i++) {
		if (tolower((unsigned char)p[i]) != lit[i])
			return false;
	}

	return true;
}


/* the parameter at p whose value is masked, or -1 */
static int param_at(const char *p, size_t left, unsigned flags)
{
	size_t k;

	if (!left || !param_start[(unsigned char)*p])
		return -1;
	for (k = 0; k < ARRAY_SIZE(params); k++) {
		if ((params[k].kind != TOK_COUNTDOWN ||
		     (flags & HDR_COUNTDOWN)) &&
		    starts_icase(p, left, params[k].name, params[k].len))
			return (int)k;
	}

	return -1;
}


/* a 64-bit FNV-1a hash: a value is kept as its hash, not its text */
static uint64_t fnv64(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}

	return h;
}


/* a masked value's place: the message's call, the call whose values a
 * tag is looked up among (the dialog a Replaces names, else the call),
 * and where the value goes */
struct mctx {
	struct diff_capture *dc;
	unsigned c;
	unsigned scope;
	char *out;
	size_t o, sz;
};


/* the volatile value p of a kind, looked up among call scope's (0: all
 * calls', for Call-IDs) and numbered on first sight there; its label
 * into lab: "<tag 2>" the second tag of this call, "<tag 2 of call -1>"
 * of the call before (calls count by first appearance; a label relative
 * to the call is the same string in each call of a repeated flow). The
 * call where it was first seen into *callp. */
static int tok_label(struct mctx *x, char *lab, size_t sz,
		     enum tok_kind kind, const char *p, size_t len,
		     unsigned scope, unsigned *callp)
{
	struct diff_capture *dc = x->dc;
	uint8_t key[1 + sizeof(uint32_t) + sizeof(uint64_t)];
	uint64_t h = fnv64(p, len);
	struct dtok_slot *slot;
	const struct dtok *t;
	uint32_t id, first = scope ? scope : x->c;
	int err;

	/* the values of a dialog repeat in each of its messages: the last
	 * ones seen are looked up first */
	slot = &dc->tokcache[(h ^ scope ^ kind) % ARRAY_SIZE(dc->tokcache)];
	if (slot->id && slot->h == h && slot->scope == scope &&
	    slot->kind == kind) {
		id = slot->id - 1;
		goto label;
	}

	key[0] = (uint8_t)kind;
	memcpy(key + 1, &scope, sizeof(uint32_t));
	memcpy(key + 1 + sizeof(uint32_t), &h, sizeof(h));
	err = trace_strs_add(dc->toks, &id, key, sizeof(key));
	if (err)
		return err;

	if (id == dc->ntok) {
		struct dtok *n;

		err = diff_grow((void **)&dc->tokv, &dc->tokcap, dc->ntok + 1,
				sizeof(*dc->tokv));
		if (!err)
			err = diff_grow((void **)&dc->kcount, &dc->kcap,
					(first + 1) * TOK_N,
					sizeof(*dc->kcount));
		if (err)
			return err;
		if ((first + 1) * TOK_N > dc->nk) {
			memset(dc->kcount + dc->nk, 0,
			       ((first + 1) * TOK_N - dc->nk) *
			       sizeof(*dc->kcount));
			dc->nk = (first + 1) * TOK_N;
		}
		n = &dc->tokv[dc->ntok++];
		n->call = first;
		n->k = ++dc->kcount[first * TOK_N + kind];
	}
	slot->h = h;
	slot->scope = scope;
	slot->kind = kind;
	slot->id = id + 1;

 label:
	t = &dc->tokv[id];
	if (callp)
		*callp = t->call;
	if (t->call == x->c)
		re_snprintf(lab, sz, "<%s %u>", tok_name[kind], t->k);
	else if (t->call > x->c)
		re_snprintf(lab, sz, "<%s %u of call +%u>", tok_name[kind],
			    t->k, t->call - x->c);
	else
		re_snprintf(lab, sz, "<%s %u of call -%u>", tok_name[kind],
			    t->k, x->c - t->call);
	return 0;
}


/** Call c's own Call-ID is the first value of kind call-id seen in it */
int diff_mask_call(struct diff_capture *dc, unsigned c)
{
	struct mctx x = {dc, c, c, NULL, 0, 0};
	char lab[64];
	const char *s;
	size_t l;

	s = trace_strs_get(dc->tr->calls, c - 1, &l);
	if (!s)
		return 0;

	return tok_label(&x, lab, sizeof(lab), TOK_CALLID, s, l, 0, NULL);
}


/* room for n more characters and the last word */
static bool room(const struct mctx *x, size_t n)
{
	return x->o + n + 12 < x->sz;
}


static void put(struct mctx *x, const char *p, size_t n)
{
	if (!room(x, n))
		return;
	memcpy(x->out + x->o, p, n);
	x->o += n;
}


/* a volatile value's label, put */
static void put_label(struct mctx *x, enum tok_kind kind, const char *p,
		      size_t len, unsigned scope, unsigned *callp)
{
	char lab[64];

	if (x->dc->err)
		return;
	x->dc->err = tok_label(x, lab, sizeof(lab), kind, p, len, scope,
			       callp);
	put(x, lab, strlen(lab));
}


static void mask_into(struct mctx *x, const struct pl *v, unsigned flags);


/* a URL-escaped Replaces value (in a Refer-To), unescaped, masked as a
 * dialog */
static void mask_escaped(struct mctx *x, const char *p, size_t n)
{
	char u[VAL_MAX];
	struct pl pl;
	size_t i, k = 0;

	for (i = 0; i < n && k < sizeof(u); i++) {
		if (p[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)p[i + 1]) &&
		    isxdigit((unsigned char)p[i + 2])) {
			u[k++] = (char)(ch_hex(p[i + 1]) << 4 |
					ch_hex(p[i + 2]));
			i += 2;
		}
		else
			u[k++] = p[i];
	}
	pl.p = u;
	pl.l = k;
	mask_into(x, &pl, HDR_DIALOG);
}


/* the value of parameter k at p (after its name): masked; its length */
static size_t mask_param(struct mctx *x, const char *p, size_t left, int k)
{
	enum tok_kind kind = params[k].kind;
	size_t j = 0, s, e;
	bool q = left && p[0] == '"';

	if (q) {
		for (j = 1; j < left && p[j] != '"'; j++)
			;
		s = 1;
		e = j;
		j += j < left;
	}
	else {
		for (; j < left && !val_end[(unsigned char)p[j]]; j++)
			;
		if (kind == TOK_DIALOG)
			for (; j < left && p[j] != '&' && p[j] != '>'; j++)
				;
		s = 0;
		e = j;
	}

	if (kind == TOK_COUNTDOWN && j == 1 && p[0] == '0')
		put(x, p, j);
	else if (kind == TOK_STAR || kind == TOK_COUNTDOWN)
		put(x, "*", 1);
	else if (kind == TOK_DIALOG)
		mask_escaped(x, p, j);
	else {
		if (q)
			put(x, "\"", 1);
		put_label(x, kind, p + s, e - s, x->scope, NULL);
		if (q)
			put(x, "\"", 1);
	}

	return j;
}


/* a value into x; a dialog's (Replaces, Join, Target-Dialog) tags are
 * looked up among the values of the call its Call-ID names */
static void mask_into(struct mctx *x, const struct pl *v, unsigned flags)
{
	unsigned scope = x->scope;
	size_t i = 0, j;
	int k;

	if (flags & HDR_DIALOG) {
		for (j = 0; j < v->l && v->p[j] != ';'; j++)
			;
		if (j)
			put_label(x, TOK_CALLID, v->p, j, 0, &x->scope);
		i = j;
	}

	while (i < v->l && room(x, 0)) {
		const char *p = v->p + i;
		size_t left = v->l - i;
		bool bound = !i || !isalnum((unsigned char)p[-1]);

		if (isdigit((unsigned char)*p) && (j = addr4_len(p, left))) {
			put(x, "<addr>", 6);
			i += j;
			continue;
		}
		if ((j = addr6_len(p, left, bound))) {
			put(x, "<addr>", 6);
			i += j;
			continue;
		}
		if (strchr(";, ?&", *p) &&
		    (k = param_at(p + 1, left - 1, flags)) >= 0) {
			put(x, p, 1 + params[k].len);  /* as spelt */
			i += 1 + params[k].len;
			i += mask_param(x, v->p + i, v->l - i, k);
			continue;
		}

		/* up to what may start a masked part, as it is */
		for (j = 1; j < left && room(x, j) &&
			    !mask_start[(unsigned char)p[j]];
		     j++)
			;
		put(x, p, j);
		i += j;
	}

	x->scope = scope;
}


static int param_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


/*
 * A digest challenge or credentials (masked already) as a set of
 * parameters: sorted, and algorithm=MD5 left out. RFC 7616 §3.3, §3.4
 * (RFC 2617 §3.2.1, §3.2.2) list them as name=value pairs in no order,
 * and an algorithm not said is MD5; two implementations write them in
 * their own order, and one says algorithm=MD5 where another leaves it
 * out. A value with a comma in its quotes (a domain list) is left as
 * written: it is compared as text.
 */
static void digest_params(char *s, size_t sz)
{
	char copy[VAL_MAX], *pv[32], *p;
	size_t n = 0, i, o, len = strlen(s);
	struct pl scheme = {s, 7};
	bool quoted = false;

	if (len >= sizeof(copy) || len < 7 ||
	    pl_strcasecmp(&scheme, "Digest "))
		return;
	memcpy(copy, s + 7, len - 6);
	pv[n++] = copy;
	for (p = copy; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && quoted)
			return;
		else if (*p == ',') {
			if (n == ARRAY_SIZE(pv))
				return;
			*p = '\0';
			pv[n++] = p + 1;
		}
	}
	for (i = 0; i < n; i++) {
		char *e;

		while (*pv[i] == ' ' || *pv[i] == '\t')
			pv[i]++;
		e = pv[i] + strlen(pv[i]);
		while (e > pv[i] && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
	}
	for (i = 0, o = 0; i < n; i++) {
		if (!str_casecmp(pv[i], "algorithm=MD5") ||
		    !str_casecmp(pv[i], "algorithm=\"MD5\""))
			continue;
		pv[o++] = pv[i];
	}
	n = o;
	qsort(pv, n, sizeof(*pv), param_cmp);
	o = 7;
	for (i = 0; i < n && o < sz; i++)
		o += (size_t)re_snprintf(s + o, sz - o, "%s%s",
					 i ? ", " : "", pv[i]);
	s[min(o, sz - 1)] = '\0';
}


/**
 * The value as compared, masked, into out (at most sz - 12 characters
 * kept before the last word); c is the message's call. CSeq: the method
 * counts, the number does not.
 */
void diff_mask(struct diff_capture *dc, char *out, size_t sz,
	       const struct pl *v, unsigned flags, unsigned c)
{
	struct mctx x = {dc, c, c, out, 0, sz};

	mask_into(&x, v, flags);
	out[x.o] = '\0';

	if (flags & HDR_DIGEST)
		digest_params(out, sz);

	if (flags & HDR_CSEQ) {
		char *sp = strchr(out, ' ');
		if (sp)
			memmove(out, sp + 1, strlen(sp));
	}
}
