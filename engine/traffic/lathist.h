/* engine/traffic/lathist.h — a latency histogram for the load mode: every
 * sample counted in constant memory, percentiles to within 0.8 % */
#ifndef SIPFLOW_LATHIST_H
#define SIPFLOW_LATHIST_H

struct mbuf;

/*
 * Log-linear buckets over microseconds, as HdrHistogram lays them out:
 * values below 2^LATHIST_SUB_BITS are counted exactly; above, each power of
 * two is cut into 2^(LATHIST_SUB_BITS-1) equal buckets, so a bucket's
 * width is at most 1/128 of its lowest value. A percentile (nearest rank)
 * is reported as the top of its sample's bucket, clamped to the maximum:
 * never below the true value, at most 0.8 % above it, which is the safe
 * side for a threshold ("F2.p99>50ms"). Values past LATHIST_MAX_US (about
 * 38 hours) are counted in the last bucket; min, max, mean and the count
 * stay exact.
 */
enum {
	LATHIST_SUB_BITS = 8,
	LATHIST_HALF = 1 << (LATHIST_SUB_BITS - 1),
	LATHIST_TOP_BIT = 36,
	LATHIST_BUCKETS = (1 << LATHIST_SUB_BITS) +
		(LATHIST_TOP_BIT - LATHIST_SUB_BITS + 1) * LATHIST_HALF,
};
#define LATHIST_MAX_US ((UINT64_C(1) << (LATHIST_TOP_BIT + 1)) - 1)

struct lathist {
	uint64_t n;
	uint64_t min_us, max_us;
	uint64_t sum_us;
	uint64_t count[LATHIST_BUCKETS];
};

void     lathist_init(struct lathist *h);
void     lathist_add(struct lathist *h, uint64_t us);
void     lathist_merge(struct lathist *into, const struct lathist *from);
uint64_t lathist_pct(const struct lathist *h, double pct);
double   lathist_mean(const struct lathist *h);

/* the histogram as one line, "N MIN MAX SUM B:C,…" (the stats files'
 * form, so instances' histograms merge exactly), and back; decode
 * returns EBADMSG for anything else */
int lathist_encode(struct re_printf *pf, const struct lathist *h);
int lathist_decode(struct lathist *h, const struct pl *text);

#endif
