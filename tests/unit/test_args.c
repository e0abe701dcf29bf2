/* tests/unit/test_args.c — a command's arguments read against its row of
 * the command table (engine/cli/args.c): values after the option or an
 * '=', short letters with and without a space, positionals anywhere,
 * '--', and the refusals: an unknown option, a value missing, a flag
 * given one */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "cli.h"
#include "cmdtab.h"


/* every key and value (or positional) of a command line, as "k=v;" */
static int walk(char *buf, size_t size, const char *cmd, int argc,
		char *argv[])
{
	struct cli_args a;
	size_t n = 0;
	int k, bad = 0;

	buf[0] = '\0';
	cli_args_init(&a, cli_cmd_find(cmd), argc, argv);
	while ((k = cli_args_next(&a)) != CLI_END) {
		if (k == CLI_BAD) {
			++bad;
			continue;
		}
		n += (size_t)re_snprintf(buf + n, size - n, "%c=%s;",
					 k == CLI_POS ? '@' : k,
					 a.arg ? a.arg : "");
	}

	return bad;
}


static void test_values(void)
{
	char *argv[] = {"run", "a.yaml", "--out", "o1", "--tag=smoke",
			"-q", "-oDIR", "-j", "4", "b.yaml", "--", "--list",
			"-q"};
	char buf[256];

	CU_ASSERT_EQUAL(walk(buf, sizeof(buf), "run", 13, argv), 0);
	CU_ASSERT_STRING_EQUAL(buf, "@=a.yaml;o=o1;g=smoke;q=;o=DIR;J=4;"
			       "@=b.yaml;@=--list;@=-q;");
}


static void test_refused(void)
{
	char *unknown[] = {"run", "--filtr", "x", "--tga=y", "-Z"};
	char *missing[] = {"run", "a.yaml", "--out"};
	char *flag[] = {"run", "--quiet=yes", "--list"};
	char *prefix[] = {"run", "--test", "tb.yaml"};
	char buf[256];

	/* every one is refused, and the walk goes on past it */
	CU_ASSERT_EQUAL(walk(buf, sizeof(buf), "run", 5, unknown), 3);
	CU_ASSERT_STRING_EQUAL(buf, "@=x;");
	CU_ASSERT_EQUAL(walk(buf, sizeof(buf), "run", 3, missing), 1);
	CU_ASSERT_EQUAL(walk(buf, sizeof(buf), "run", 3, flag), 1);
	CU_ASSERT_STRING_EQUAL(buf, "l=;");
	/* no abbreviations: --test is not --testbed */
	CU_ASSERT_EQUAL(walk(buf, sizeof(buf), "run", 3, prefix), 1);
}


static void test_check_help(void)
{
	char *after[] = {"lint", "x.yaml", "--help"};
	char *dashdash[] = {"lint", "--", "--help"};
	char *bad[] = {"lint", "-h", "--nope"};
	bool help;

	CU_ASSERT_EQUAL(cli_args_check(cli_cmd_find("lint"), 3, after,
				       &help), 0);
	CU_ASSERT(help);
	CU_ASSERT_EQUAL(cli_args_check(cli_cmd_find("lint"), 3, dashdash,
				       &help), 0);
	CU_ASSERT(!help);
	/* an unknown option wins over --help: the line is wrong */
	CU_ASSERT_NOT_EQUAL(cli_args_check(cli_cmd_find("lint"), 3, bad,
					   &help), 0);
}


/* the table itself: names unique in a command, each with a meaning, a
 * letter at most once, and --help in every command */
static void test_table(void)
{
	const struct cli_cmd *cmds;
	const struct cli_opt *o, *p;
	size_t i, n;

	cmds = cli_cmds(&n);
	CU_ASSERT(n >= 10);
	for (i = 0; i <= n; i++) {
		const struct cli_cmd *c = i < n ? &cmds[i] : cli_top();
		bool help = false;

		CU_ASSERT_PTR_NOT_NULL(c->summary);
		for (o = c->opts; o->name; o++) {
			CU_ASSERT(o->help && *o->help);
			help |= o->key == CLI_HELP;
			for (p = o + 1; p->name; p++) {
				CU_ASSERT(strcmp(o->name, p->name) != 0);
				CU_ASSERT(!o->shrt || o->shrt != p->shrt);
				CU_ASSERT(o->key != p->key);
			}
		}
		CU_ASSERT(help);
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"values", test_values},
		{"refused", test_refused},
		{"check_help", test_check_help},
		{"table", test_table},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("args", tests);
}
