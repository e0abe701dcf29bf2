/* tests/unit/test_diag.c — the "did you mean" of every unknown-name
 * message (diag_suggest, engine/model/diag.c): an edit distance where
 * two neighbours swapped count as one edit */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "diag.h"


static const char *const opts[] = {"tag", "testbed", "out", "filter",
				   "list", "quiet"};
#define SUGGEST(w) diag_suggest((w), opts, ARRAY_SIZE(opts))


/* "tga" for "tag": one swap, not two substitutions */
static void test_swap_is_one_edit(void)
{
	CU_ASSERT_STRING_EQUAL(SUGGEST("tga"), "tag");
	CU_ASSERT_STRING_EQUAL(SUGGEST("lsit"), "list");
	CU_ASSERT_STRING_EQUAL(SUGGEST("tsetbde"), "testbed");
	CU_ASSERT_STRING_EQUAL(SUGGEST("fitler"), "filter");
}


/* the other edits, and case, as before */
static void test_edits(void)
{
	CU_ASSERT_STRING_EQUAL(SUGGEST("filtr"), "filter");
	CU_ASSERT_STRING_EQUAL(SUGGEST("ot"), "out");
	CU_ASSERT_STRING_EQUAL(SUGGEST("QUIET"), "quiet");
	CU_ASSERT_STRING_EQUAL(SUGGEST("testbd"), "testbed");
}


/* nothing close: no suggestion (a short word allows one edit) */
static void test_nothing_close(void)
{
	char longw[80];

	CU_ASSERT_PTR_NULL(SUGGEST("gat"));     /* two swaps away */
	CU_ASSERT_PTR_NULL(SUGGEST("xyz"));
	CU_ASSERT_PTR_NULL(SUGGEST(""));
	CU_ASSERT_PTR_NULL(diag_suggest(NULL, opts, ARRAY_SIZE(opts)));
	CU_ASSERT_PTR_NULL(diag_suggest("tag", NULL, 0));
	memset(longw, 'a', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = '\0';
	CU_ASSERT_PTR_NULL(SUGGEST(longw));
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"swap_is_one_edit", test_swap_is_one_edit},
		{"edits", test_edits},
		{"nothing_close", test_nothing_close},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("diag", tests);
}
