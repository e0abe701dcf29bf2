/* engine/cli/main.c — the sipflow command line: a table of subcommands
 *
 * Exit status: 0 all passed, 1 a verdict failed (or the run was
 * interrupted), 2 bad input (scenario, testbed, arguments).
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "rules.h"
#include "cli.h"


struct cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int argc, char *argv[]);
};


static int cmd_help(int argc, char *argv[]);


static int cmd_rules(int argc, char *argv[])
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


static int cmd_version(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	re_printf("sipflow %s (libre %s)\n", SIPFLOW_VERSION,
		  sys_libre_version_get());
	return EXIT_PASS;
}


static const struct cmd cmds[] = {
	{"run", "SCENARIO|DIR... [options]",
	 "play scenarios; a verdict per step, a pcap per scenario", cmd_run},
	{"lint", "FILE|DIR...",
	 "check scenarios; errors as file:line:column, exit 2", cmd_lint},
	{"ladder", "FILE.pcap [--html OUT]",
	 "the SIP call flow of any capture, as text (and HTML)", cmd_ladder},
	{"diff", "OLD.pcap NEW.pcap [options]",
	 "regression comparison of two captures", cmd_diff},
	{"verify", "SCENARIO --pcap FILE",
	 "check a capture against a scenario, step by step", cmd_verify},
	{"scenario", "FILE.pcap [--call N]",
	 "write a scenario from a capture (roles, steps, any-order)",
	 cmd_scenario},
	{"record", "--interface IF --out FILE",
	 "capture live traffic to a pcap (BPF --filter, --duration)",
	 cmd_record},
	{"torture", "SCENARIO [options]",
	 "seeded mutations sent to a device; the one that kills it",
	 cmd_torture},
	{"merge", "OUTDIR DIR...",
	 "merge shard outputs (report.json) into one report set", cmd_merge},
	{"rules", "", "list the conformance rules", cmd_rules},
	{"version", "", "print the version", cmd_version},
	{"help", "", "this list", cmd_help},
};


static int cmd_help(int argc, char *argv[])
{
	size_t i;

	(void)argc;
	(void)argv;
	re_printf("usage: sipflow COMMAND [ARGS]\n\n");
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		re_printf("  %-8s %-28s %s\n", cmds[i].name, cmds[i].usage,
			  cmds[i].help);
	re_printf("\nexit status: 0 all passed, 1 a verdict failed, "
		  "2 bad input or a file that could not be written\n");
	return EXIT_PASS;
}


int main(int argc, char *argv[])
{
	const struct cmd *cmd = NULL;
	size_t i;
	int rc, err;

	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_BAD;
	}

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[1], cmds[i].name) ||
		    (!strcmp(argv[1], "--help") && cmds[i].fn == cmd_help) ||
		    (!strcmp(argv[1], "--version") &&
		     cmds[i].fn == cmd_version))
			cmd = &cmds[i];
	}

	if (!cmd) {
		re_fprintf(stderr, "sipflow: unknown command '%s'\n",
			   argv[1]);
		cmd_help(0, NULL);
		return EXIT_BAD;
	}

	err = libre_init();
	if (err) {
		re_fprintf(stderr, "sipflow: libre_init: %m\n", err);
		return EXIT_BAD;
	}

	rc = cmd->fn(argc - 1, argv + 1);

	libre_close();
	return rc;
}
