/* engine/load/rxbound.c — a scenario's regular expression, bounded before
 * regcomp sees it. glibc's regcomp copies a repeated part once per
 * repetition, and repetitions of repetitions multiply: "(a{255}){255}"
 * or a run of stacked operators ("MD++++…+5") took gigabytes in lint
 * (fuzz_yaml found the second). POSIX leaves adjacent duplication symbols
 * undefined (XBD 9.4.6), so they are refused; an interval's bound is at
 * most RE_DUP_MAX's least value, 255; the repetition counts of nested
 * parts multiply to at most RX_FACTOR_MAX.
 */
#include <string.h>
#include <stdlib.h>
#include <re.h>
#include "rxbound.h"


enum {
	RX_DEPTH_MAX = 32,
	RX_DUP_MAX = 255,
	RX_FACTOR_MAX = 1000,
};


/* an interval at p ("{n}", "{n,}", "{n,m}"): its upper bound (its lower
 * one when open) in *maxp, its length; 0 when it is none */
static size_t interval(const char *p, unsigned long *maxp)
{
	const char *q = p + 1;
	char *end;
	unsigned long lo, hi;

	if (*p != '{' || !(*q >= '0' && *q <= '9'))
		return 0;
	lo = strtoul(q, &end, 10);
	hi = lo;
	if (*end == ',') {
		q = end + 1;
		if (*q >= '0' && *q <= '9')
			hi = strtoul(q, &end, 10);
		else
			end = (char *)q;
	}
	if (*end != '}')
		return 0;
	*maxp = hi;

	return (size_t)(end - p) + 1;
}


/**
 * 0 when re may go to regcomp; else EINVAL with *why saying what is too
 * much (the caller names the step and the file's place)
 */
int rx_bound(const char *re, char **why)
{
	unsigned long factor[RX_DEPTH_MAX + 1], last = 1, m;
	unsigned depth = 0;
	bool quantified = false, atom = false;
	const char *p;
	size_t n;

	factor[0] = 1;
	for (p = re; p && *p; p++) {
		const char c = *p;

		n = 0;
		m = 1;
		if (c == '*' || c == '+' || c == '?' ||
		    (n = interval(p, &m)) > 0) {
			if (quantified)
				return re_sdprintf(why, "repetition operators "
						   "one after another at "
						   "'%b%s' (POSIX leaves them "
						   "undefined)", p - 1,
						   strnlen(p - 1, 12),
						   strlen(p - 1) > 12 ? "…"
						   : "") ? ENOMEM : EINVAL;
			if (m > RX_DUP_MAX)
				return re_sdprintf(why, "a repetition count "
						   "of %lu (at most %u)", m,
						   RX_DUP_MAX) ? ENOMEM
					: EINVAL;
			if (atom && last * m > factor[depth])
				factor[depth] = last * m;
			m = factor[depth];
			if (m > RX_FACTOR_MAX)
				return re_sdprintf(why, "nested repetition "
						   "counts multiply to %lu "
						   "(at most %u)", m,
						   RX_FACTOR_MAX) ? ENOMEM
					: EINVAL;
			quantified = true;
			if (n)
				p += n - 1;
			continue;
		}
		quantified = false;

		if (c == '\\' && p[1]) {
			++p;
			last = 1;
			atom = true;
		}
		else if (c == '[') {
			/* a bracket expression: up to its ']' (one right
			 * after '[' or '[^' is its first member) */
			const char *q = p + 1;

			if (*q == '^')
				++q;
			if (*q == ']')
				++q;
			q = strchr(q, ']');
			if (!q)
				return 0;   /* regcomp says what is wrong */
			p = q;
			last = 1;
			atom = true;
		}
		else if (c == '(') {
			if (depth == RX_DEPTH_MAX)
				return re_sdprintf(why, "groups nested deeper "
						   "than %u", RX_DEPTH_MAX) ?
					ENOMEM : EINVAL;
			factor[++depth] = 1;
			atom = false;
		}
		else if (c == ')' && depth > 0) {
			/* the group is an atom repeated as its inside is */
			last = factor[depth--];
			if (last > factor[depth])
				factor[depth] = last;
			atom = true;
		}
		else if (c == '|' || c == '^' || c == '$') {
			atom = false;
		}
		else {
			last = 1;
			atom = true;
		}
	}

	return 0;
}
