/* engine/traffic/lathist.c — a latency histogram in log-linear buckets
 * (layout and error bound in lathist.h) */
#include <string.h>
#include <re.h>
#include "lathist.h"


static unsigned msb64(uint64_t v)
{
	return 63u - (unsigned)__builtin_clzll(v);
}


static unsigned bucket_of(uint64_t us)
{
	unsigned shift;

	if (us > LATHIST_MAX_US)
		us = LATHIST_MAX_US;
	if (us < (1u << LATHIST_SUB_BITS))
		return (unsigned)us;

	shift = msb64(us) - (LATHIST_SUB_BITS - 1);
	return (1u << LATHIST_SUB_BITS) + (shift - 1) * LATHIST_HALF +
		(unsigned)((us >> shift) - LATHIST_HALF);
}


/* the highest value bucket b holds */
static uint64_t bucket_top(unsigned b)
{
	unsigned shift;
	uint64_t sub;

	if (b < (1u << LATHIST_SUB_BITS))
		return b;

	b -= 1u << LATHIST_SUB_BITS;
	shift = b / LATHIST_HALF + 1;
	sub = LATHIST_HALF + b % LATHIST_HALF;
	return ((sub + 1) << shift) - 1;
}


void lathist_init(struct lathist *h)
{
	if (!h)
		return;

	memset(h, 0, sizeof(*h));
	h->min_us = UINT64_MAX;
}


void lathist_add(struct lathist *h, uint64_t us)
{
	if (!h)
		return;

	++h->count[bucket_of(us)];
	++h->n;
	h->sum_us += us;
	if (us < h->min_us)
		h->min_us = us;
	if (us > h->max_us)
		h->max_us = us;
}


void lathist_merge(struct lathist *into, const struct lathist *from)
{
	size_t i;

	if (!into || !from || !from->n)
		return;

	for (i = 0; i < LATHIST_BUCKETS; i++)
		into->count[i] += from->count[i];
	into->n += from->n;
	into->sum_us += from->sum_us;
	if (from->min_us < into->min_us)
		into->min_us = from->min_us;
	if (from->max_us > into->max_us)
		into->max_us = from->max_us;
}


/**
 * The pct-th percentile by nearest rank (the sample at rank
 * ceil(pct/100 * n) in ascending order), as its bucket's top clamped to
 * [min, max]; 0 for an empty histogram. pct outside 0..100 is clamped.
 */
uint64_t lathist_pct(const struct lathist *h, double pct)
{
	uint64_t rank, seen = 0;
	unsigned b;

	if (!h || !h->n)
		return 0;

	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;

	/* the rank as the ceiling of an exact product: a double holds n
	 * exactly up to 2^53, and pct/100*n is rounded up only when it is
	 * not already whole */
	{
		double r = pct / 100.0 * (double)h->n;
		rank = (uint64_t)r;
		if ((double)rank < r)
			++rank;
	}
	if (rank < 1)
		rank = 1;

	for (b = 0; b < LATHIST_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank)
			break;
	}

	/* the last bucket also holds what is past the range */
	if (b >= LATHIST_BUCKETS - 1 || bucket_top(b) > h->max_us)
		return h->max_us;
	if (bucket_top(b) < h->min_us)
		return h->min_us;
	return bucket_top(b);
}


double lathist_mean(const struct lathist *h)
{
	if (!h || !h->n)
		return 0;

	return (double)h->sum_us / (double)h->n;
}


/**
 * The whole histogram as one line of text, "N MIN MAX SUM B:C,B:C,…" (the
 * exact figures, then the non-empty buckets), for the stats files that
 * instances of a load run write and `sipflow merge` adds up exactly
 */
int lathist_encode(struct re_printf *pf, const struct lathist *h)
{
	const char *sep = " ";
	unsigned b;
	int err;

	if (!h)
		return 0;

	err = re_hprintf(pf, "%llu %llu %llu %llu",
			 (unsigned long long)h->n,
			 (unsigned long long)(h->n ? h->min_us : 0),
			 (unsigned long long)h->max_us,
			 (unsigned long long)h->sum_us);

	for (b = 0; b < LATHIST_BUCKETS && !err; b++) {
		if (!h->count[b])
			continue;
		err = re_hprintf(pf, "%s%u:%llu", sep, b,
				 (unsigned long long)h->count[b]);
		sep = ",";
	}

	return err;
}


/* a decimal of at most 19 digits at the start of *rest, moved past it */
static int take_u64(struct pl *rest, uint64_t *v)
{
	size_t i = 0;

	while (i < rest->l && i < 20 && rest->p[i] >= '0' &&
	       rest->p[i] <= '9')
		++i;
	if (!i || i > 19)
		return EBADMSG;

	*v = pl_u64(&(struct pl){rest->p, i});
	pl_advance(rest, i);
	return 0;
}


static int take_char(struct pl *rest, char c)
{
	if (!rest->l || rest->p[0] != c)
		return EBADMSG;

	pl_advance(rest, 1);
	return 0;
}


/**
 * A histogram from lathist_encode's line. EBADMSG if it is not one: a
 * malformed number, a bucket out of range, empty, or not after the one
 * before, counts that do not add up to N, or a MIN or MAX outside the
 * first or the last bucket.
 */
int lathist_decode(struct lathist *h, const struct pl *text)
{
	uint64_t v[4], total = 0;
	struct pl rest;
	int first = -1, next = 0;
	size_t i;
	int err = 0;

	if (!h || !text)
		return EINVAL;

	lathist_init(h);
	rest = *text;
	for (i = 0; i < 4 && !err; i++) {
		err = take_u64(&rest, &v[i]);
		if (!err && (i < 3 || rest.l))
			err = take_char(&rest, ' ');
	}
	while (!err && rest.l) {
		uint64_t b, n;

		err = take_u64(&rest, &b);
		if (!err)
			err = take_char(&rest, ':');
		if (!err)
			err = take_u64(&rest, &n);
		/* a comma only between buckets */
		if (!err && rest.l) {
			err = take_char(&rest, ',');
			if (!err && !rest.l)
				err = EBADMSG;
		}
		if (!err && (b >= LATHIST_BUCKETS || (int)b < next || !n))
			err = EBADMSG;
		if (err)
			break;

		h->count[b] = n;
		total += n;
		if (first < 0)
			first = (int)b;
		next = (int)b + 1;
	}
	if (err)
		return err;

	/* min and max must fall in the first and the last bucket held */
	if (total != v[0] || (v[0] && (v[1] > v[2] ||
				       (int)bucket_of(v[1]) != first ||
				       (int)bucket_of(v[2]) != next - 1)))
		return EBADMSG;

	h->n = v[0];
	h->min_us = v[0] ? v[1] : UINT64_MAX;
	h->max_us = v[2];
	h->sum_us = v[3];
	return 0;
}
