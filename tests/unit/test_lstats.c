/* tests/unit/test_lstats.c — a load run's figures
 * (engine/traffic/lstats.c): outcomes and response times per step, the
 * reasons counted with their first example, a bound on distinct reasons,
 * and the --fail-if thresholds judged on them */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "diag.h"
#include "failif.h"
#include "lathist.h"
#include "lstats.h"
#include "cunit_main.h"


static const char *const ids[] = {"F1", "F2", "F3"};


/* 100 calls: F1 passes, F2 answers call c in c ms but fails calls 7 and
 * 9 (486 instead of 200), F3 is an optional step that never happens */
static struct lstats *hundred_calls(void)
{
	struct lstats *s = NULL;
	uint64_t c;

	CU_ASSERT_EQUAL_FATAL(lstats_alloc(&s, ids, 3), 0);
	for (c = 0; c < 100; c++) {
		bool bad = c == 7 || c == 9;
		struct lstats_obs f2 = {bad ? LSTATS_FAIL : LSTATS_PASS,
			c * 1000, bad ? "F2: expected 200, got 486" : NULL,
			c, (uint32_t)(10 * c)};

		lstats_call_started(s, (unsigned)(c % 5) + 1);
		lstats_step(s, 0, &(struct lstats_obs){LSTATS_PASS, 50, NULL,
			    c, 0});
		lstats_step(s, 1, &f2);
		lstats_step(s, 2, &(struct lstats_obs){bad ? LSTATS_NOTRUN :
			    LSTATS_SKIP, 0, NULL, c, 0});
		lstats_call_ended(s, !bad);
	}
	lstats_rtx(s, 1, 3);
	lstats_set_elapsed(s, 2000);

	return s;
}


/* how threshold text judges the figures of s */
static enum failif_result judge(const struct lstats *s, const char *text,
				int *errp)
{
	struct failif_fig fig;
	struct failif *f = NULL;
	enum failif_result r;
	struct diag dg;

	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(failif_parse(&f, text, &dg), 0);
	*errp = lstats_fig(f, &fig, (void *)s);
	r = failif_judge(f, &fig);
	mem_deref(f);
	diag_reset(&dg);

	return r;
}


static void test_counts_and_times(void)
{
	struct lstats *s = hundred_calls();
	const struct lstats_step *f2 = lstats_step_at(s, 1);

	CU_ASSERT_EQUAL(lstats_attempted(s), 100);
	CU_ASSERT_EQUAL(lstats_completed(s), 98);
	CU_ASSERT_EQUAL(lstats_failed(s), 2);
	CU_ASSERT_DOUBLE_EQUAL(lstats_rate(s), 50, 1e-9);
	CU_ASSERT_EQUAL(f2->n[LSTATS_PASS], 98);
	CU_ASSERT_EQUAL(f2->n[LSTATS_FAIL], 2);
	CU_ASSERT_EQUAL(f2->rt->n, 98);
	CU_ASSERT_EQUAL(f2->rt->max_us, 99000);
	CU_ASSERT_EQUAL(lstats_step_at(s, 2)->n[LSTATS_SKIP], 98);
	CU_ASSERT_EQUAL(lstats_step_at(s, 2)->n[LSTATS_NOTRUN], 2);
	CU_ASSERT_PTR_NULL(lstats_step_at(s, 3));
	mem_deref(s);
}


static void test_reason_counted_with_first_example(void)
{
	struct lstats *s = hundred_calls();
	const struct list *l = lstats_reasons(s);
	const struct lstats_reason *r;

	CU_ASSERT_EQUAL_FATAL(list_count(l), 1);
	r = l->head->data;
	CU_ASSERT_STRING_EQUAL(r->text, "F2: expected 200, got 486");
	CU_ASSERT_EQUAL(r->step, 1);
	CU_ASSERT_EQUAL(r->count, 2);
	CU_ASSERT_EQUAL(r->call, 7);
	CU_ASSERT_EQUAL(r->frame, 70);
	mem_deref(s);
}


static void test_distinct_reasons_bounded(void)
{
	struct lstats *s = NULL;
	const struct lstats_reason *last;
	unsigned i;

	CU_ASSERT_EQUAL_FATAL(lstats_alloc(&s, ids, 3), 0);
	for (i = 0; i < 300; i++) {
		char why[32];

		re_snprintf(why, sizeof(why), "reason %u \xff", i);
		CU_ASSERT_EQUAL(lstats_step(s, 0, &(struct lstats_obs){
			LSTATS_FAIL, 0, why, i, i}), 0);
	}
	CU_ASSERT_EQUAL(list_count(lstats_reasons(s)),
			LSTATS_MAX_REASONS + 1);
	last = lstats_reasons(s)->tail->data;
	CU_ASSERT_PTR_NOT_NULL(strstr(last->text, "other reasons"));
	CU_ASSERT_EQUAL(last->count, 300 - LSTATS_MAX_REASONS);
	/* a peer's bytes that are not UTF-8 are not kept raw */
	last = lstats_reasons(s)->head->data;
	CU_ASSERT_PTR_NULL(strchr(last->text, '\xff'));
	mem_deref(s);
}


static void test_thresholds_on_the_figures(void)
{
	struct lstats *s = hundred_calls();
	int err;

	CU_ASSERT_EQUAL(judge(s, "failed>1%", &err), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judge(s, "failed>2%", &err), FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judge(s, "F2.failed>=2", &err), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judge(s, "F2.max>99ms", &err), FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judge(s, "F2.max>=99ms", &err), FAILIF_BROKEN);
	/* the median of 98 passes (0..99 ms without 7 and 9) is the 49th,
	 * 50 ms, reported as its bucket's top: 50.175 ms, within 0.8 % */
	CU_ASSERT_EQUAL(judge(s, "F2.p50>51ms", &err), FAILIF_HOLDS_NOT);
	CU_ASSERT_EQUAL(judge(s, "F2.p50>50ms", &err), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judge(s, "F2.rtx>0", &err), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judge(s, "rate<60", &err), FAILIF_BROKEN);
	CU_ASSERT_EQUAL(judge(s, "concurrent>5", &err), FAILIF_HOLDS_NOT);
	/* no call reached F3: its times are no pass */
	CU_ASSERT_EQUAL(judge(s, "F3.p99>1s", &err), FAILIF_UNJUDGED);
	CU_ASSERT_EQUAL(err, 0);
	judge(s, "F9.p99>1ms", &err);
	CU_ASSERT_EQUAL(err, ENOENT);
	mem_deref(s);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"counts_and_times", test_counts_and_times},
		{"reason_counted_with_first_example",
		 test_reason_counted_with_first_example},
		{"distinct_reasons_bounded", test_distinct_reasons_bounded},
		{"thresholds_on_the_figures", test_thresholds_on_the_figures},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("lstats", tests);
}
