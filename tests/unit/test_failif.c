/* tests/unit/test_failif.c — a load run's thresholds
 * (engine/traffic/failif.c): what each form means, when a threshold
 * breaks, that no sample is never a pass, and the mistakes refused with
 * what is wrong */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "diag.h"
#include "failif.h"
#include "cunit_main.h"


static struct failif *parsed(const char *text)
{
	struct failif *f = NULL;
	struct diag dg;

	diag_init(&dg);
	if (failif_parse(&f, text, &dg))
		CU_FAIL(diag_first(&dg));
	diag_reset(&dg);

	return f;
}


/* the error failif_parse gives for text, or "" if it took it */
static const char *refusal(const char *text, char *buf, size_t sz)
{
	struct failif *f = NULL;
	struct diag dg;

	diag_init(&dg);
	buf[0] = '\0';
	if (failif_parse(&f, text, &dg) == EINVAL && diag_first(&dg))
		str_ncpy(buf, diag_first(&dg), sz);
	mem_deref(f);
	diag_reset(&dg);

	return buf;
}


static enum failif_result judged(const char *text, double value,
				 double whole, uint64_t n)
{
	struct failif *f = parsed(text);
	struct failif_fig fig = {f, value, whole, n};
	enum failif_result r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	r = failif_judge(f, &fig);
	mem_deref(f);

	return r;
}


static void test_forms_read(void)
{
	struct failif *f;

	f = parsed("failed>0.1%");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NULL(f->step);
	CU_ASSERT_STRING_EQUAL(f->figure, "failed");
	CU_ASSERT_TRUE(f->share);
	CU_ASSERT_DOUBLE_EQUAL(f->value, 0.001, 1e-12);
	CU_ASSERT_EQUAL(f->op, FAILIF_GT);
	mem_deref(f);

	f = parsed(" F2.p99 >= 50ms ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->step, "F2");
	CU_ASSERT_STRING_EQUAL(f->figure, "p99");
	CU_ASSERT_EQUAL(f->kind, FAILIF_TIME);
	CU_ASSERT_DOUBLE_EQUAL(f->pct, 99, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(f->value, 50000, 1e-9);
	CU_ASSERT_EQUAL(f->op, FAILIF_GE);
	mem_deref(f);

	f = parsed("rate<7999.5/s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->kind, FAILIF_RATE);
	CU_ASSERT_DOUBLE_EQUAL(f->value, 7999.5, 1e-9);
	CU_ASSERT_EQUAL(f->op, FAILIF_LT);
	mem_deref(f);

	f = parsed("F7a.p999>1.5s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_STRING_EQUAL(f->step, "F7a");
	CU_ASSERT_DOUBLE_EQUAL(f->pct, 99.9, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(f->value, 1500000, 1e-6);
	mem_deref(f);

	f = parsed("unexpected!=0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_FALSE(f->share);
	CU_ASSERT_EQUAL(f->op, FAILIF_NE);
	mem_deref(f);
}


static void test_breaks_when_it_holds(void)
{
	/* 2 failed of 1000 is 0.2 %: over 0.1 % */
	CU_ASSERT_EQUAL(judged("failed>0.1%", 2, 1000, 1000), FAILIF_BROKEN);
	/* 1 of 1000 is 0.1 %, not over it */
	CU_ASSERT_EQUAL(judged("failed>0.1%", 1, 1000, 1000),
			FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judged("failed>=0.1%", 1, 1000, 1000),
			FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judged("F2.p99>50ms", 50001, 0, 10), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judged("F2.p99>50ms", 50000, 0, 10),
			FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judged("rate<8000", 6120, 0, 1), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judged("rate<8000", 8000, 0, 1), FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judged("failed>0", 1, 0, 5), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judged("failed==0", 0, 0, 5), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judged("failed<=3", 4, 0, 5), FAILIF_HOLDS_NOT);
}


static void test_no_sample_is_not_a_pass(void)
{
	/* no call reached F2: its p99 cannot be judged */
	CU_ASSERT_EQUAL(judged("F2.p99>50ms", 0, 0, 0), FAILIF_UNJUDGED);
	/* a share of nothing */
	CU_ASSERT_EQUAL(judged("failed>0.1%", 0, 0, 3), FAILIF_UNJUDGED);
}


static void test_value_printed_in_its_unit(void)
{
	struct failif *f = parsed("F2.p99>50ms");
	struct failif_fig fig = {f, 61204, 0, 12};
	char buf[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	re_snprintf(buf, sizeof(buf), "%H", failif_print_fig, &fig);
	CU_ASSERT_STRING_EQUAL(buf, "61.204ms");
	fig.n = 0;
	re_snprintf(buf, sizeof(buf), "%H", failif_print_fig, &fig);
	CU_ASSERT_STRING_EQUAL(buf, "no sample");
	mem_deref(f);

	f = parsed("failed>0.1%");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fig = (struct failif_fig){f, 3, 1200, 1200};
	re_snprintf(buf, sizeof(buf), "%H", failif_print_fig, &fig);
	CU_ASSERT_STRING_EQUAL(buf, "0.250% (3 of 1200)");
	mem_deref(f);
}


static void test_mistakes_refused(void)
{
	static const struct {
		const char *text;
		const char *says;
	} bad[] = {
		{"failed 3", "no comparison"},
		{">3", "no metric"},
		{"failed>", "no value"},
		{"F2.p99>50", "is a time: give its unit"},
		{"F2.p99>50min", "is a time: give its unit"},
		{"failed>3ms", "is a count"},
		{"failed>150%", "at most 100%"},
		{"attempted>10%", "is a count, not a share"},
		{"concurrent>10%", "is a count, not a share"},
		{"rate>5%", "rate is calls per second"},
		{"failed>-1", "not a number of 0 or more"},
		{"failed>abc", "not a number"},
		{"failed>nan", "not a number"},
		{"faild>1", "did you mean 'failed'"},
		{"F2.p98>1ms", "did you mean 'p90'"},
		{"F2.zzzzzzzzzz>1", "STEP.failed"},
		{".p99>1ms", "no step before"},
		{"F2.rate>5", "no step figure 'rate'"},
		{"p99>5ms", "no figure 'p99'"},
	};
	char buf[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		refusal(bad[i].text, buf, sizeof(buf));
		if (!strstr(buf, bad[i].says) ||
		    !strstr(buf, bad[i].text)) {
			CU_FAIL(bad[i].text);
			printf("\n  %s: got '%s', want '%s'\n", bad[i].text,
			       buf, bad[i].says);
		}
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"forms_read", test_forms_read},
		{"breaks_when_it_holds", test_breaks_when_it_holds},
		{"no_sample_is_not_a_pass", test_no_sample_is_not_a_pass},
		{"value_printed_in_its_unit", test_value_printed_in_its_unit},
		{"mistakes_refused", test_mistakes_refused},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("failif", tests);
}
