/* engine/cli/cli_info.c — the commands that only tell: rules, version,
 * help */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "rules.h"
#include "cli.h"
#include "suite.h"
#include "cmdtab.h"


int cmd_rules(int argc, char *argv[])
{
	const struct rule *t;
	size_t i, n;

	(void)argc;
	(void)argv;
	t = rules_table(&n);
	re_printf("%-22s %-8s %-28s %s\n", "id", "severity", "source", "rule");
	for (i = 0; i < n; i++)
		re_printf("%-22s %-8s %-28s %s\n", t[i].id,
			  t[i].sev == RULE_ERROR ? "error" : "warning",
			  t[i].rfc, t[i].text);
	re_printf("%zu rules; a scenario tunes them with rules: {disable: "
		  "[id], severity: {id: warning}, reason: ...}\n", n);
	return EXIT_PASS;
}


int cmd_version(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	bool san = false;
	unsigned phones = suite_phones_per_core(&san);

	re_printf("sipflow %s (libre %s)\n", SIPFLOW_VERSION,
		  sys_libre_version_get());
	re_printf("phone scenarios at once: %u a core%s\n", phones,
		  san ? " (a sanitizer build)" : "");
	return EXIT_PASS;
}


/* sipflow help [COMMAND] */
int cmd_help(int argc, char *argv[])
{
	struct cli_args a;
	const struct cli_cmd *cmd = NULL;
	int k;

	cli_args_init(&a, cli_cmd_find("help"), argc, argv);
	while ((k = cli_args_next(&a)) != CLI_END) {
		if (k != CLI_POS)
			continue;
		if (cmd)
			return cli_usage(cli_cmd_find("help"));
		cmd = cli_cmd_find(a.arg);
		if (!cmd)
			return cli_unknown_cmd(a.arg);
	}

	return cli_help(cmd);
}
