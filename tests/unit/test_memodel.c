/* tests/unit/test_memodel.c — the G.107 E-model (agents/media/memodel.c)
 * against the figures the Recommendations give: R = 93.2 with every
 * parameter at its default (G.107 §3 and Table 3), and the effective
 * equipment impairment of G.711 under random loss with G.113 Appendix
 * I's Bpl (4.3 without packet-loss concealment, 25.1 with it). The
 * expected values are worked by hand here from the printed formulae, not
 * taken from the code. */
#include <math.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "media/mstream.h"


static void test_default_rating_is_93_2(void)
{
	const struct mstream_emodel none = {0, 0, 0};

	/* G.107 §3: "the default values ... result in R = 93.2" */
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(NULL), 93.2, 0.05);
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(&none), 93.2, 0.05);

	/* B.1: MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6 = 4.409 */
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r2mos(93.2), 4.409, 0.002);
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_mos(0, 0, false), 4.409,
			       0.005);
}


static void test_g711_loss_with_and_without_plc(void)
{
	struct mstream_emodel em = {2.0, 4.3, 0};

	/* Ie,eff = 95 * 2 / (2 + 4.3) = 30.16: R = 93.2 - 30.16 */
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(&em), 63.04, 0.1);

	/* with PLC, Bpl 25.1: 95 * 2 / 27.1 = 7.01: R = 86.19 */
	em.bpl = 25.1;
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(&em), 86.19, 0.1);

	/* the MOS of a call: the same Bpl by the receiver's concealment */
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_mos(0.02, 0, false),
			       mstream_emodel_r2mos(63.04), 0.01);
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_mos(0.02, 0, true),
			       mstream_emodel_r2mos(86.19), 0.01);

	/* all lost: Ie,eff = 95 * 100 / (100 + 4.3) = 91.1, R = 2.1 */
	em.ppl = 100;
	em.bpl = 4.3;
	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(&em), 2.12, 0.1);
	CU_ASSERT(mstream_emodel_mos(1.0, 0, false) < 1.1);
}


static void test_delay(void)
{
	struct mstream_emodel em = {0, 0, 0};
	double prev = 101;
	unsigned t;

	/* §3.5: Id grows with the delay; Idd starts past Ta = 100 ms.
	 * At Ta = 200 ms, X = 1: Idd = 25 ((2)^(1/6) - 3 (1 + 3^-6)^(1/6)
	 * + 2) = 3.04, so R falls by more than that from 93.2 */
	for (t = 0; t <= 600; t += 25) {
		em.ta_ms = t;
		CU_ASSERT(mstream_emodel_r(&em) < prev);
		prev = mstream_emodel_r(&em);
	}

	em.ta_ms = 200;
	CU_ASSERT(mstream_emodel_r(&em) < 93.2 - 3.04);
	CU_ASSERT(mstream_emodel_r(&em) > 80);

	/* a quarter of a second is the edge of "satisfied" users (R 80) */
	em.ta_ms = 300;
	CU_ASSERT(mstream_emodel_r(&em) < 80);
	CU_ASSERT(mstream_emodel_mos(0, 300, false) <
		  mstream_emodel_mos(0, 20, false));
}


static void test_out_of_range(void)
{
	struct mstream_emodel em = {-5, -1, -10};

	CU_ASSERT_DOUBLE_EQUAL(mstream_emodel_r(&em), 93.2, 0.05);
	CU_ASSERT_EQUAL(mstream_emodel_r2mos(-3), 1.0);
	CU_ASSERT_EQUAL(mstream_emodel_r2mos(NAN), 1.0);
	CU_ASSERT_EQUAL(mstream_emodel_r2mos(120), 4.5);
	CU_ASSERT(mstream_emodel_mos(2.0, -5, false) >= 1.0);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"default_rating_is_93_2", test_default_rating_is_93_2},
		{"g711_loss_with_and_without_plc",
		 test_g711_loss_with_and_without_plc},
		{"delay", test_delay},
		{"out_of_range", test_out_of_range},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("memodel", tests);
}
