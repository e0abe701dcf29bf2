/* tests/unit/test_lathist.c — the load mode's latency histogram
 * (engine/traffic/lathist.c): percentiles by nearest rank against a sorted
 * copy of the samples, never below and at most 0.8 % above; merge; the
 * stats line and its refusals */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "lathist.h"
#include "cunit_main.h"


static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}


/* the nearest-rank percentile of n sorted samples */
static uint64_t exact_pct(const uint64_t *s, size_t n, double pct)
{
	double r = pct / 100.0 * (double)n;
	size_t rank = (size_t)r;

	if ((double)rank < r)
		++rank;
	if (rank < 1)
		rank = 1;

	return s[rank - 1];
}


/* a reproducible spread of latencies from 0 µs to past an hour */
static uint64_t sample(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return ((uint64_t)(*seed >> 8) % 4000000u) >> ((*seed >> 3) % 24);
}


static void test_percentiles_within_bound(void)
{
	static const double pcts[] = {0, 1, 50, 90, 95, 99, 99.9, 100};
	enum { N = 20000 };
	struct lathist *h = mem_zalloc(sizeof(*h), NULL);
	uint64_t *s = mem_zalloc(N * sizeof(*s), NULL);
	uint32_t seed = 7;
	size_t i;

	CU_ASSERT_FATAL(h && s);
	lathist_init(h);
	for (i = 0; i < N; i++) {
		s[i] = sample(&seed);
		lathist_add(h, s[i]);
	}
	qsort(s, N, sizeof(*s), cmp_u64);

	CU_ASSERT_EQUAL(h->n, N);
	CU_ASSERT_EQUAL(h->min_us, s[0]);
	CU_ASSERT_EQUAL(h->max_us, s[N - 1]);
	for (i = 0; i < ARRAY_SIZE(pcts); i++) {
		uint64_t want = exact_pct(s, N, pcts[i]);
		uint64_t got = lathist_pct(h, pcts[i]);

		CU_ASSERT_TRUE(got >= want);
		CU_ASSERT_TRUE((double)got <= (double)want * (1 + 1.0 / 128));
	}

	mem_deref(s);
	mem_deref(h);
}


static void test_small_values_exact(void)
{
	struct lathist h;
	uint64_t v;

	lathist_init(&h);
	for (v = 1; v <= 100; v++)
		lathist_add(&h, v);

	CU_ASSERT_EQUAL(lathist_pct(&h, 50), 50);
	CU_ASSERT_EQUAL(lathist_pct(&h, 99), 99);
	CU_ASSERT_EQUAL(lathist_pct(&h, 99.5), 100);
	CU_ASSERT_EQUAL(lathist_pct(&h, 0), 1);
	CU_ASSERT_DOUBLE_EQUAL(lathist_mean(&h), 50.5, 1e-9);
}


static void test_one_sample_is_every_percentile(void)
{
	struct lathist h;

	lathist_init(&h);
	CU_ASSERT_EQUAL(lathist_pct(&h, 99), 0);
	lathist_add(&h, 123457);
	CU_ASSERT_EQUAL(lathist_pct(&h, 1), 123457);
	CU_ASSERT_EQUAL(lathist_pct(&h, 99.9), 123457);
}


static void test_beyond_range_counted(void)
{
	struct lathist h;

	lathist_init(&h);
	lathist_add(&h, LATHIST_MAX_US * 4);
	lathist_add(&h, 5);
	CU_ASSERT_EQUAL(h.n, 2);
	CU_ASSERT_EQUAL(h.max_us, LATHIST_MAX_US * 4);
	CU_ASSERT_EQUAL(lathist_pct(&h, 100), LATHIST_MAX_US * 4);
	CU_ASSERT_EQUAL(h.count[LATHIST_BUCKETS - 1], 1);
}


static void test_merge_is_adding_samples(void)
{
	struct lathist *a = mem_zalloc(sizeof(*a), NULL);
	struct lathist *b = mem_zalloc(sizeof(*b), NULL);
	struct lathist *all = mem_zalloc(sizeof(*all), NULL);
	uint32_t seed = 3;
	size_t i;

	CU_ASSERT_FATAL(a && b && all);
	lathist_init(a);
	lathist_init(b);
	lathist_init(all);
	for (i = 0; i < 5000; i++) {
		uint64_t v = sample(&seed);

		lathist_add(i % 3 ? a : b, v);
		lathist_add(all, v);
	}
	lathist_merge(a, b);

	CU_ASSERT_EQUAL(memcmp(a, all, sizeof(*a)), 0);

	mem_deref(all);
	mem_deref(b);
	mem_deref(a);
}


static void test_stats_line_round_trip(void)
{
	struct lathist *h = mem_zalloc(sizeof(*h), NULL);
	struct lathist *back = mem_zalloc(sizeof(*back), NULL);
	uint32_t seed = 11;
	char *line = NULL;
	struct pl pl;
	size_t i;

	CU_ASSERT_FATAL(h && back);
	lathist_init(h);
	for (i = 0; i < 3000; i++)
		lathist_add(h, sample(&seed));

	CU_ASSERT_EQUAL_FATAL(re_sdprintf(&line, "%H", lathist_encode, h), 0);
	pl_set_str(&pl, line);
	CU_ASSERT_EQUAL(lathist_decode(back, &pl), 0);
	CU_ASSERT_EQUAL(memcmp(h, back, sizeof(*h)), 0);

	lathist_init(h);
	line = mem_deref(line);
	CU_ASSERT_EQUAL_FATAL(re_sdprintf(&line, "%H", lathist_encode, h), 0);
	CU_ASSERT_STRING_EQUAL(line, "0 0 0 0");
	pl_set_str(&pl, line);
	CU_ASSERT_EQUAL(lathist_decode(back, &pl), 0);
	CU_ASSERT_EQUAL(back->n, 0);

	mem_deref(line);
	mem_deref(back);
	mem_deref(h);
}


static void test_stats_line_refused(void)
{
	static const char *bad[] = {
		"",                       /* nothing */
		"1 5 5",                  /* a figure missing */
		"1 5 5 5",                /* a count without its bucket */
		"1 5 5 5 5:2",            /* counts do not add up */
		"2 5 5 10 5:1,5:1",       /* a bucket twice */
		"2 5 9 14 9:1,5:1",       /* out of order */
		"1 5 5 5 5:1,",           /* trailing comma */
		"1 5 5 5 99999:1",        /* past the last bucket */
		"1 5 5 5 5:0",            /* an empty bucket written */
		"1 6 6 6 5:1",            /* min outside the first bucket */
		"1 5 5 5 5:x",            /* not a number */
		"1 5 5 5 5:1 ",           /* trailing space */
		"-1 5 5 5 5:1",           /* a sign */
		"1 5 5 5 5:99999999999999999999", /* too long */
	};
	struct lathist *h = mem_zalloc(sizeof(*h), NULL);
	size_t i;

	CU_ASSERT_FATAL(h != NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct pl pl;

		pl_set_str(&pl, bad[i]);
		if (lathist_decode(h, &pl) != EBADMSG) {
			CU_FAIL("a malformed line taken");
			printf("\n  taken: '%s'\n", bad[i]);
		}
	}
	mem_deref(h);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"percentiles_within_bound", test_percentiles_within_bound},
		{"small_values_exact", test_small_values_exact},
		{"one_sample_is_every_percentile",
		 test_one_sample_is_every_percentile},
		{"beyond_range_counted", test_beyond_range_counted},
		{"merge_is_adding_samples", test_merge_is_adding_samples},
		{"stats_line_round_trip", test_stats_line_round_trip},
		{"stats_line_refused", test_stats_line_refused},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("lathist", tests);
}
