/* tests/unit/test_users.c — a load run's users file
 * (engine/traffic/users.c): CSV with its header and RFC 4180 quoting,
 * SIPp's injection file as SIPp names its fields, the mistakes at their
 * line:column, and instances that never share a user */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "diag.h"
#include "users.h"
#include "cunit_main.h"


static struct users *parsed(const char *text)
{
	struct users *u = NULL;
	struct diag dg;

	diag_init(&dg);
	if (users_parse(&u, "u.csv", text, strlen(text), &dg)) {
		CU_FAIL("users refused");
		printf("\n  %s\n", diag_first(&dg) ? diag_first(&dg) :
		       "(no reason)");
	}
	diag_reset(&dg);

	return u;
}


static void test_csv_with_header(void)
{
	struct users *u = parsed("user,password,domain\r\n"
				 "# a comment\n"
				 "alice,s3cret,example.com\n"
				 "\n"
				 "\"bob, jr\",\"say \"\"hi\"\"\",\n"
				 "carol,\"two\nlines\",x\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(users_vars(u), 3);
	CU_ASSERT_EQUAL(users_rows(u), 3);
	CU_ASSERT_STRING_EQUAL(users_var(u, 1), "password");
	CU_ASSERT_EQUAL(users_var_index(u, "domain"), 2);
	CU_ASSERT_EQUAL(users_var_index(u, "nope"), -1);
	CU_ASSERT_STRING_EQUAL(users_value(u, 0, 0), "alice");
	CU_ASSERT_STRING_EQUAL(users_value(u, 0, 2), "example.com");
	CU_ASSERT_STRING_EQUAL(users_value(u, 1, 0), "bob, jr");
	CU_ASSERT_STRING_EQUAL(users_value(u, 1, 1), "say \"hi\"");
	CU_ASSERT_STRING_EQUAL(users_value(u, 1, 2), "");
	CU_ASSERT_STRING_EQUAL(users_value(u, 2, 1), "two\nlines");
	CU_ASSERT_PTR_NULL(users_value(u, 3, 0));
	CU_ASSERT_EQUAL(users_order(u), USERS_SEQUENTIAL);
	mem_deref(u);
}


static void test_sipp_injection_file(void)
{
	struct users *u = parsed("RANDOM\nSarah;32.125.47.98\n"
				 "Bob;12.45.67.89\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(users_order(u), USERS_RANDOM);
	CU_ASSERT_EQUAL(users_rows(u), 2);
	CU_ASSERT_STRING_EQUAL(users_var(u, 0), "field0");
	CU_ASSERT_STRING_EQUAL(users_var(u, 1), "field1");
	CU_ASSERT_STRING_EQUAL(users_value(u, 1, 1), "12.45.67.89");
	mem_deref(u);

	/* in SIPp's form a '#' and a quote are values like any other */
	u = parsed("SEQUENTIAL\n#1;\"q\"\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_STRING_EQUAL(users_value(u, 0, 0), "#1");
	CU_ASSERT_STRING_EQUAL(users_value(u, 0, 1), "\"q\"");
	mem_deref(u);
}


static void test_sequential_wraps(void)
{
	struct users *u = parsed("n\n0\n1\n2\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	CU_ASSERT_EQUAL(users_pick(u, 0), 0);
	CU_ASSERT_EQUAL(users_pick(u, 2), 2);
	CU_ASSERT_EQUAL(users_pick(u, 3), 0);
	mem_deref(u);
}


/* three instances over ten users: each call of each instance takes a
 * user no other instance ever takes, and together they use every one */
static void test_instances_never_share(void)
{
	static const char text[] = "u\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n";
	unsigned owner[10];
	unsigned k;
	struct diag dg;

	memset(owner, 0, sizeof(owner));
	diag_init(&dg);
	for (k = 1; k <= 3; k++) {
		int order;

		for (order = 0; order < 2; order++) {
			struct users *u = parsed(text);
			unsigned call;

			CU_ASSERT_PTR_NOT_NULL_FATAL(u);
			users_set_order(u, order ? USERS_RANDOM :
					USERS_SEQUENTIAL, 42 + k);
			CU_ASSERT_EQUAL(users_share(u, k, 3, &dg), 0);
			for (call = 0; call < 40; call++) {
				unsigned r = users_pick(u, call);

				CU_ASSERT_TRUE_FATAL(r < 10);
				if (owner[r] && owner[r] != k)
					CU_FAIL("two instances share a user");
				owner[r] = k;
			}
			mem_deref(u);
		}
	}
	for (k = 0; k < 10; k++)
		CU_ASSERT_EQUAL(owner[k], k % 3 + 1);
	diag_reset(&dg);
}


static void test_too_few_users_for_instances(void)
{
	struct users *u = parsed("u\na\nb\n");
	struct diag dg;

	CU_ASSERT_PTR_NOT_NULL_FATAL(u);
	diag_init(&dg);
	CU_ASSERT_EQUAL(users_share(u, 1, 3, &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "2 users for 3 "
					"instances"));
	diag_reset(&dg);
	mem_deref(u);
}


static void test_mistakes_at_their_place(void)
{
	static const struct {
		const char *text;
		const char *says;
	} bad[] = {
		{"", "u.csv:1:1: no user"},
		{"user,pw\n", "u.csv:2:1: no user"},
		{"user,pw\nalice\n", "u.csv:2:1: a row of 1 values, where "
		 "the header has 2"},
		{"user,pw\nalice,a,b\n", "u.csv:2:1: a row of 3 values"},
		{"user,user\nx,y\n", "u.csv:1:1: the header names 'user' "
		 "twice"},
		{"1st\nx\n", "u.csv:1:1: the header names '1st'"},
		{"a b\nx\n", "u.csv:1:1: the header names 'a b'"},
		{"u\n\"open\n", "u.csv:2:1: a quoted value is not closed"},
		{"u\n\"x\"y\n", "u.csv:2:4: after a quoted value"},
		{"u\nab\"c\n", "u.csv:2:3: a quote inside an unquoted"},
		{"SEQUENTIAL,PRINTF=10\na\n", "u.csv:1:11: SIPp's "
		 "'SEQUENTIAL' options"},
		{"SEQUENTIAL\na;b\nc\n", "u.csv:3:1: a row of 1 values, "
		 "where the first row has 2"},
		{"SEQUENTIAL\n", "no user: at least one row"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct users *u = NULL;
		struct diag dg;
		int err;

		diag_init(&dg);
		err = users_parse(&u, "u.csv", bad[i].text,
				  strlen(bad[i].text), &dg);
		if (err != EINVAL || !diag_first(&dg) ||
		    !strstr(diag_first(&dg), bad[i].says)) {
			CU_FAIL("a mistake not named as it should be");
			printf("\n  '%s': got '%s', want '%s'\n", bad[i].text,
			       diag_first(&dg) ? diag_first(&dg) : "(none)",
			       bad[i].says);
		}
		mem_deref(u);
		diag_reset(&dg);
	}
}


static void test_limits(void)
{
	struct mbuf *mb = mbuf_alloc(8192);
	struct users *u = NULL;
	struct diag dg;
	unsigned i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	diag_init(&dg);

	/* a value of 4097 bytes */
	mbuf_printf(mb, "u\n");
	for (i = 0; i < USERS_MAX_VALUE + 1; i++)
		mbuf_write_u8(mb, 'x');
	CU_ASSERT_EQUAL(users_parse(&u, "u.csv", (char *)mb->buf, mb->end,
				    &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "u.csv:2:1: a value "
					"is longer than 4096"));
	diag_reset(&dg);

	/* 65 names */
	mbuf_rewind(mb);
	for (i = 0; i < USERS_MAX_VARS + 1; i++)
		mbuf_printf(mb, "%sv%u", i ? "," : "", i);
	CU_ASSERT_EQUAL(users_parse(&u, "u.csv", (char *)mb->buf, mb->end,
				    &dg), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "more than 64 "
					"values"));
	diag_reset(&dg);

	/* a NUL inside a value */
	CU_ASSERT_EQUAL(users_parse(&u, "u.csv", "u\na\0b\n", 6, &dg),
			EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(diag_first(&dg), "NUL"));
	diag_reset(&dg);

	mem_deref(mb);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"csv_with_header", test_csv_with_header},
		{"sipp_injection_file", test_sipp_injection_file},
		{"sequential_wraps", test_sequential_wraps},
		{"instances_never_share", test_instances_never_share},
		{"too_few_users_for_instances",
		 test_too_few_users_for_instances},
		{"mistakes_at_their_place", test_mistakes_at_their_place},
		{"limits", test_limits},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("users", tests);
}
