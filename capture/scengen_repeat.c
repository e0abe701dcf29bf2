/* capture/scengen_repeat.c — a run of the same exchange written once, as
 * a repeat: (docs/scenario-format.md): re-REGISTERs, OPTIONS pings, the
 * same call made again. The steps are written first, each on its own
 * (scengen_step.c); a block of up to MAX_BLOCK steps that the next ones
 * say again, word for word but for their ids, frames and a pause a
 * little longer or shorter, becomes `repeat: N` with the first one's
 * steps (the pause the first one ended with, each time). Only where
 * nothing ties the iterations apart: no any-order
 * group, and no step id of the run named by any step (answers:,
 * forwards:, a placeholder), in it or after it. */
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <re.h>
#include "scengen.h"
#include "scengen_priv.h"


enum {
	MAX_BLOCK = 8,     /* steps in the exchange repeated */
	WAIT_PCT = 10,     /* pauses this close are the same pause */
	WAIT_MS = 50,      /* ... or this close */
};


/* the step line of a chunk: "- F<n>: " */
static const char *step_line(const char *s)
{
	const char *p = strstr(s, "- F");

	return p;
}


/* the pause a chunk ends with (its wait:), in ms, or 0 */
static unsigned wait_of(const char *s)
{
	const char *p = strstr(s, "\n  - wait: ");

	return p ? (unsigned)strtoul(p + 11, NULL, 10) : 0;
}


static bool near(unsigned a, unsigned b)
{
	unsigned d = a > b ? a - b : b - a, hi = a > b ? a : b;

	return d <= WAIT_MS || d * 100 <= hi * WAIT_PCT;
}


/*
 * Two steps say the same: from the step line's ": " on, the same text
 * but for the frame comment (to the line's end) and the pause after it,
 * which need only be near.
 */
static bool same_step(const char *a, const char *b)
{
	const char *la = step_line(a), *lb = step_line(b);
	const char *ca, *cb, *ea, *eb;

	if (!la || !lb || !near(wait_of(a), wait_of(b)) ||
	    (wait_of(a) == 0) != (wait_of(b) == 0))
		return false;
	ca = strchr(la, ':');
	cb = strchr(lb, ':');
	ea = ca ? strstr(ca, "    # frame") : NULL;
	eb = cb ? strstr(cb, "    # frame") : NULL;
	if (!ea || !eb || ea - ca != eb - cb || memcmp(ca, cb, ea - ca))
		return false;
	ea = strchr(ea, '\n');
	eb = strchr(eb, '\n');
	if (!ea || !eb)
		return false;
	ca = strstr(ea, "\n  - wait: ");
	cb = strstr(eb, "\n  - wait: ");
	ca = ca ? ca : ea + strlen(ea);
	cb = cb ? cb : eb + strlen(eb);

	return ca - ea == cb - eb && !memcmp(ea, eb, (size_t)(ca - ea));
}


/* does text (past its step line) name a step numbered lo to hi? */
static bool names_steps(const char *s, uint32_t lo, uint32_t hi)
{
	const char *p = step_line(s);

	p = p ? strchr(p, '\n') : s;
	for (; p && *p; p++) {
		unsigned long k;
		char *end;

		if (*p != 'F' || (p > s && (isalnum((unsigned char)p[-1]) ||
					    p[-1] == '_')))
			continue;
		if (!isdigit((unsigned char)p[1]))
			continue;
		k = strtoul(p + 1, &end, 10);
		if (k >= lo && k <= hi)
			return true;
		p = end - 1;
	}

	return false;
}


/* how many times the block of len steps at s is said over, in a row (1:
 * not at all, or not as a repeat may say it) */
static size_t times(const struct scengen_chunk *cv, size_t n, size_t s,
		    size_t len)
{
	size_t k = 1, j, i;

	while (s + (k + 1) * len <= n) {
		for (j = 0; j < len; j++) {
			if (!same_step(cv[s + j].text,
				       cv[s + k * len + j].text))
				break;
		}
		if (j < len)
			break;
		k++;
	}
	if (k < 2)
		return 1;
	for (i = s; i < s + k * len; i++) {
		if (cv[i].grouped)
			return 1;
	}
	/* no step of the run named anywhere (its ids are gone, or F3.2) */
	for (i = 0; i < n; i++) {
		if (names_steps(cv[i].text, cv[s].step,
				cv[s + k * len - 1].step))
			return 1;
	}

	return k;
}


/* the chunk, each line indented four more (inside repeat's steps:) */
static int print_indented(struct re_printf *pf, const char *s)
{
	int err = 0;

	while (*s && !err) {
		const char *e = strchr(s, '\n');
		size_t l = e ? (size_t)(e - s) + 1 : strlen(s);

		err = re_hprintf(pf, "    %b", s, l);
		s += l;
	}

	return err;
}


/**
 * Print the n step chunks, a run of the same exchange (two times or more)
 * as one repeat: whose steps are the run's first.
 */
int scengen_print_repeats(struct re_printf *pf,
			  const struct scengen_chunk *cv, size_t n)
{
	size_t i = 0, len, k, best, bestlen, j;
	int err = 0;

	while (i < n && !err) {
		best = 1;
		bestlen = 1;
		for (len = 1; len <= MAX_BLOCK && i + 2 * len <= n; len++) {
			k = times(cv, n, i, len);
			if (k > 1 && k * len > best * bestlen) {
				best = k;
				bestlen = len;
			}
		}
		if (best < 2) {
			err = re_hprintf(pf, "%s", cv[i].text);
			i++;
			continue;
		}
		err = re_hprintf(pf, "  - repeat: %zu    # steps F%u to F%u: "
				 "the same exchange %zu times\n    steps:\n",
				 best, cv[i].step,
				 cv[i + best * bestlen - 1].step, best);
		for (j = 0; j < bestlen && !err; j++)
			err = print_indented(pf, cv[i + j].text);
		i += best * bestlen;
	}

	return err;
}
