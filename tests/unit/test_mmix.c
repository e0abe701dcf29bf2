/* tests/unit/test_mmix.c — the local conference mixer: each leg sends its
 * own source plus the others' received audio, never its own, saturated;
 * and three real legs on 127.0.0.1 where B hears C through A's mixer */
#include <math.h>
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "media/mstream.h"
#include "media/mmix.h"


enum { FRAME = 160, LAG = 2 * FRAME };


static void fill(int16_t *s, size_t n, int16_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = v;
}


static bool all(const int16_t *s, size_t n, int16_t v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != v)
			return false;
	}

	return true;
}


/* a mixer with n legs, each having received LAG samples of value v[i] */
static struct mmix *conf_open(struct mmix_leg **legs, size_t n,
			      const int16_t *v)
{
	struct mmix *mix = NULL;
	int16_t s[LAG];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(mmix_alloc(&mix), 0);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL_FATAL(mmix_join(&legs[i], mix), 0);
		fill(s, LAG, v[i]);
		mmix_put(legs[i], s, LAG);
	}

	return mix;
}


static void conf_close(struct mmix *mix, struct mmix_leg **legs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		legs[i] = mem_deref(legs[i]);
	mem_deref(mix);
}


static void test_sums_the_others_not_its_own(void)
{
	static const int16_t v[3] = {1000, 200, -30};
	struct mmix_leg *legs[3];
	struct mmix *mix = conf_open(legs, 3, v);
	int16_t pcm[FRAME];

	CU_ASSERT_EQUAL(mmix_count(mix), 3);

	/* own source 7: A sends 7 + B's 200 + C's -30, not its own 1000 */
	fill(pcm, FRAME, 7);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 7 + 200 - 30));

	fill(pcm, FRAME, 0);
	mmix_add(legs[1], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 1000 - 30));

	fill(pcm, FRAME, 0);
	mmix_add(legs[2], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 1000 + 200));

	conf_close(mix, legs, 3);
}


static void test_saturates(void)
{
	static const int16_t hi[3] = {0, 30000, 20000};
	static const int16_t lo[3] = {0, -30000, -20000};
	struct mmix_leg *legs[3];
	struct mmix *mix;
	int16_t pcm[FRAME];

	mix = conf_open(legs, 3, hi);
	fill(pcm, FRAME, 10000);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 32767));
	conf_close(mix, legs, 3);

	mix = conf_open(legs, 3, lo);
	fill(pcm, FRAME, -10000);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, -32768));
	conf_close(mix, legs, 3);
}


/* each sample of a received frame is sent once, in order; a frame not yet
 * received adds nothing and is sent on the next read */
static void test_order_and_underrun(void)
{
	static const int16_t v[2] = {0, 0};
	struct mmix_leg *legs[2];
	struct mmix *mix = conf_open(legs, 2, v);
	int16_t in[FRAME], pcm[FRAME];
	size_t i;

	/* A's cursor starts LAG behind B's writer: B's zeros come first */
	fill(pcm, FRAME, 0);
	mmix_add(legs[0], pcm, FRAME);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 0));

	/* nothing new from B: A sends its own source alone */
	fill(pcm, FRAME, 5);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 5));

	for (i = 0; i < FRAME; i++)
		in[i] = (int16_t)i;
	mmix_put(legs[1], in, FRAME);
	fill(pcm, FRAME, 0);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT_EQUAL(memcmp(pcm, in, sizeof(in)), 0);

	conf_close(mix, legs, 2);
}


/* the negative: a leg that left is heard no more, and a leg alone in
 * the conference hears nothing added */
static void test_left_leg_is_not_mixed(void)
{
	static const int16_t v[2] = {0, 900};
	struct mmix_leg *legs[2];
	struct mmix *mix = conf_open(legs, 2, v);
	int16_t pcm[FRAME];

	legs[1] = mem_deref(legs[1]);
	CU_ASSERT_EQUAL(mmix_count(mix), 1);

	fill(pcm, FRAME, 3);
	mmix_add(legs[0], pcm, FRAME);
	CU_ASSERT(all(pcm, FRAME, 3));

	conf_close(mix, legs, 2);
}


static void test_full_and_bad_arguments(void)
{
	struct mmix_leg *legs[MMIX_LEGS + 1];
	struct mmix *mix = NULL;
	size_t i;

	CU_ASSERT_EQUAL(mmix_alloc(NULL), EINVAL);
	CU_ASSERT_EQUAL_FATAL(mmix_alloc(&mix), 0);
	CU_ASSERT_EQUAL(mmix_join(NULL, mix), EINVAL);
	CU_ASSERT_EQUAL(mmix_join(&legs[0], NULL), EINVAL);

	for (i = 0; i < MMIX_LEGS; i++)
		CU_ASSERT_EQUAL_FATAL(mmix_join(&legs[i], mix), 0);
	CU_ASSERT_EQUAL(mmix_join(&legs[MMIX_LEGS], mix), E2BIG);

	/* a freed slot is taken again */
	legs[2] = mem_deref(legs[2]);
	CU_ASSERT_EQUAL(mmix_join(&legs[2], mix), 0);
	CU_ASSERT_EQUAL(mmix_count(mix), MMIX_LEGS);

	mmix_put(NULL, NULL, 0);
	mmix_add(NULL, NULL, 0);
	conf_close(mix, legs, MMIX_LEGS);
}


static struct mstream *leg_open(void)
{
	struct mstream *ms = NULL;
	struct sa lo;

	sa_set_str(&lo, "127.0.0.1", 0);
	CU_ASSERT_EQUAL_FATAL(mstream_alloc(&ms, &lo, "t@127.0.0.1", NULL,
					    NULL), 0);

	return ms;
}


static void pair(struct mstream *a, struct mstream *b)
{
	CU_ASSERT_EQUAL_FATAL(mstream_set_remote(a, mstream_local(b),
						 MSTREAM_PCMU, -1), 0);
	CU_ASSERT_EQUAL_FATAL(mstream_set_remote(b, mstream_local(a),
						 MSTREAM_PCMU, -1), 0);
}


/* the best share of hz in four 100 ms windows of what ms played out */
static double heard(const struct mstream *ms, uint32_t hz)
{
	int16_t buf[3200];
	double best = 0;
	size_t i;

	CU_ASSERT_EQUAL(mstream_recent(ms, buf, 3200), 3200);
	for (i = 0; i < 3200; i += 800) {
		const double s = mstream_tone_share(buf + i, 800, hz);

		if (s > best)
			best = s;
	}

	return best;
}


/* A (silent) talks to B on one leg and to C on another: with the legs
 * in A's mixer B hears C's 800 Hz and C hears B's 650 Hz; without, both
 * hear only A's silence */
static void three_way(bool mixed)
{
	struct mstream *ab = leg_open(), *ac = leg_open();
	struct mstream *b = leg_open(), *c = leg_open();
	struct mmix *mix = NULL;

	pair(ab, b);
	pair(ac, c);
	CU_ASSERT_EQUAL(mstream_source_tone(b, 650, -10), 0);
	CU_ASSERT_EQUAL(mstream_source_tone(c, 800, -10), 0);
	if (mixed) {
		CU_ASSERT_EQUAL_FATAL(mmix_alloc(&mix), 0);
		CU_ASSERT_EQUAL(mstream_mix(ab, mix), 0);
		CU_ASSERT_EQUAL(mstream_mix(ac, mix), 0);
	}

	cunit_loop_for(900);

	if (mixed) {
		CU_ASSERT(heard(b, 800) > 0.8);
		CU_ASSERT(heard(c, 650) > 0.8);
		/* what A itself plays out is the other leg's only */
		CU_ASSERT(heard(ab, 650) > 0.8);
		CU_ASSERT(heard(ab, 800) < 0.1);
	}
	else {
		CU_ASSERT(heard(b, 800) < 0.1);
		CU_ASSERT(heard(c, 650) < 0.1);
	}

	mem_deref(ab);
	mem_deref(ac);
	mem_deref(b);
	mem_deref(c);
	mem_deref(mix);
}


static void test_legs_hear_each_other_through_the_mixer(void)
{
	three_way(true);
}


static void test_without_the_mixer_they_do_not(void)
{
	three_way(false);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"sums_the_others_not_its_own",
		 test_sums_the_others_not_its_own},
		{"saturates", test_saturates},
		{"order_and_underrun", test_order_and_underrun},
		{"left_leg_is_not_mixed", test_left_leg_is_not_mixed},
		{"full_and_bad_arguments", test_full_and_bad_arguments},
		{"legs_hear_each_other_through_the_mixer",
		 test_legs_hear_each_other_through_the_mixer},
		{"without_the_mixer_they_do_not",
		 test_without_the_mixer_they_do_not},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("mmix", tests);
}
