/* tests/unit/test_junit.c — junit.xml from a report (reports/junit.c):
 * Ant's shape, the package from the file's folder, what a failure, an
 * interrupt, a refusal and a step not run become, and what text escapes
 * (decision 0032) */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "report.h"


/* a scenario of file file, played, with steps as "id:status" words; a
 * step "F2:int" failed by the suite's interruption */
static struct report_scn *scn(struct report *rp, const char *name,
			      const char *file, const char *const *steps,
			      bool passed)
{
	struct report_scn *s = NULL;
	unsigned line = 10;

	CU_ASSERT_FATAL(!report_scn_alloc(&s, rp));
	CU_ASSERT_FATAL(!report_str(&s->name, name));
	CU_ASSERT_FATAL(!report_str(&s->file, file));
	s->passed = passed;
	for (; steps && *steps; steps++) {
		struct report_step *st = NULL;
		const char *c = strchr(*steps, ':');

		CU_ASSERT_FATAL(c != NULL);
		CU_ASSERT_FATAL(!report_step_alloc(&st, s));
		CU_ASSERT_FATAL(!re_sdprintf(&st->id, "%b", *steps,
					     (size_t)(c - *steps)));
		CU_ASSERT_FATAL(!report_str(&st->type, "message"));
		CU_ASSERT_FATAL(!report_str(&st->what, "OPTIONS"));
		CU_ASSERT_FATAL(!report_str(&st->from, "A"));
		CU_ASSERT_FATAL(!report_str(&st->to, "B"));
		st->interrupted = !strcmp(c + 1, "int");
		CU_ASSERT_FATAL(!report_str(&st->status, st->interrupted
					    ? "fail" : c + 1));
		if (!strcmp(st->status, "fail"))
			CU_ASSERT_FATAL(!report_str(&st->reason, "got <180>"));
		st->line = line++;
	}

	return s;
}


static char *junit(const struct report *rp)
{
	char *out = NULL;

	CU_ASSERT_FATAL(!re_sdprintf(&out, "%H", report_junit_print, rp));

	return out;
}


static void test_package_is_the_files_folder(void)
{
	static const char *const pass[] = {"F1:pass", NULL};
	static const struct {
		const char *file, *cls;
	} rows[] = {
		{"scenarios/yealink/basic-call.yaml",
		 "classname=\"sipflow.yealink.basic-call\""},
		{"basic-call.yaml", "classname=\"sipflow.basic-call\""},
		{"./basic-call.yaml", "classname=\"sipflow.basic-call\""},
		{"/abs/v1.2 x/basic-call.yaml",
		 "classname=\"sipflow.v1_2_x.basic-call\""},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct report *rp = NULL;
		char *x;

		CU_ASSERT_FATAL(!report_alloc(&rp));
		(void)scn(rp, "basic-call", rows[i].file, pass, true);
		x = junit(rp);
		CU_ASSERT_PTR_NOT_NULL(strstr(x, rows[i].cls));
		if (!strstr(x, rows[i].cls))
			printf("\n%s: %s\n", rows[i].file, x);
		mem_deref(x);
		mem_deref(rp);
	}
}


static void test_failure_error_and_not_run(void)
{
	static const char *const fail[] = {"F1:pass", "F2:fail", "F3:notrun",
					   "F4:notrun", NULL};
	static const char *const cut[] = {"F1:pass", "F2:int", "F3:notrun",
					  NULL};
	struct report *rp = NULL;
	char *x;

	CU_ASSERT_FATAL(!report_alloc(&rp));
	(void)scn(rp, "a", "t/a.yaml", fail, false);
	(void)scn(rp, "b", "t/b.yaml", cut, false);
	x = junit(rp);

	/* Ant's root has no attributes; each suite counts what is there */
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "\n<testsuites>\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "name=\"a\" package=\"sipflow.t\" "
				      "id=\"0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "tests=\"2\" failures=\"1\" "
				      "errors=\"0\" skipped=\"0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "tests=\"2\" failures=\"0\" "
				      "errors=\"1\" skipped=\"0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "name=\"F2 OPTIONS A -&gt; B\" "
				      "time=\"0.000\" file=\"t/a.yaml\" "
				      "line=\"11\">\n      <failure "
				      "type=\"verdict\" message=\"got "
				      "&lt;180&gt;\">got &lt;180&gt;\n"
				      "t/a.yaml:11: step F2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "not run after it: F3 OPTIONS A "
				      "-&gt; B, F4 OPTIONS A -&gt; B"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<error type=\"interrupted\""));
	/* a step not run is no testcase, and nothing is skipped */
	CU_ASSERT_PTR_NULL(strstr(x, "name=\"F3 "));
	CU_ASSERT_PTR_NULL(strstr(x, "<skipped"));
	mem_deref(x);
	mem_deref(rp);
}


static void test_refused_and_skipped_are_one_testcase(void)
{
	struct report *rp = NULL;
	struct report_scn *s;
	char *x;

	CU_ASSERT_FATAL(!report_alloc(&rp));
	s = scn(rp, "r", "t/r.yaml", NULL, false);
	CU_ASSERT_FATAL(!report_str(&s->refused, "t/r.yaml:7:9: no Q"));
	s = scn(rp, "k", "t/k.yaml", NULL, false);
	CU_ASSERT_FATAL(!report_str(&s->skipped, "P lacks registrar"));
	x = junit(rp);

	CU_ASSERT_PTR_NOT_NULL(strstr(x, "name=\"r\" package=\"sipflow.t\" "
				      "id=\"0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "tests=\"1\" failures=\"0\" "
				      "errors=\"1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<error type=\"refused\" "
				      "message=\"t/r.yaml:7:9: no Q\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "tests=\"1\" failures=\"0\" "
				      "errors=\"0\" skipped=\"1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<skipped message=\"P lacks "
				      "registrar\"/>"));
	mem_deref(x);
	mem_deref(rp);
}


/* the console text goes in as it reads: lines whole, colours out, what
 * XML cannot carry escaped */
static void test_system_out_is_the_console_text(void)
{
	static const char *const pass[] = {"F1:pass", NULL};
	static const char text[] = "a — b\n  F1 \x1b[32mpass\x1b[0m <x>\n"
		"\tnote\x01\n";
	struct report *rp = NULL;
	struct report_scn *s;
	char *x;

	CU_ASSERT_FATAL(!report_alloc(&rp));
	s = scn(rp, "a", "t/a.yaml", pass, true);
	CU_ASSERT_FATAL(!report_scn_console(s, text, strlen(text)));
	CU_ASSERT_STRING_EQUAL(s->console, "a — b\n  F1 pass <x>\n"
			       "\tnote\x01\n");
	x = junit(rp);
	CU_ASSERT_PTR_NOT_NULL(strstr(x, "<system-out>a — b\n  F1 pass "
				      "&lt;x&gt;\n\tnote\\x01\n"
				      "</system-out>\n"
				      "    <system-err></system-err>\n"));
	mem_deref(x);
	mem_deref(rp);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"package_is_the_files_folder",
		 test_package_is_the_files_folder},
		{"failure_error_and_not_run", test_failure_error_and_not_run},
		{"refused_and_skipped_are_one_testcase",
		 test_refused_and_skipped_are_one_testcase},
		{"system_out_is_the_console_text",
		 test_system_out_is_the_console_text},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("junit", tests);
}
