/* engine/cli/cmdtab.c — the table of commands and their options: what
 * the parser accepts is exactly what --help, the man page and the bash
 * completion list (docs/decisions/0033-one-command-table.md). Adding an
 * option is adding a row here and a case in its command.
 */
#include <string.h>
#include <re.h>
#include "cli.h"
#include "cmdtab.h"


#define OPT_HELP \
	{"help", 'h', CLI_HELP, NULL, NULL, \
	 "print this help and exit", 0, NULL}
#define OPT_END {NULL, 0, 0, NULL, NULL, NULL, 0, NULL}
#define ROLE_ARG "NAME=KIND[:TRANSPORT:HOST:PORT]"


static const struct cli_opt top_opts[] = {
	OPT_HELP,
	{"version", 'V', 'V', NULL, NULL,
	 "print the version and exit", 0, NULL},
	{"man", 0, 'M', NULL, NULL,
	 "print this manual page (roff) and exit", 0, NULL},
	{"completion", 0, 'C', "SHELL", NULL,
	 "print the shell completion script (bash) and exit", 0, "bash"},
	OPT_END,
};


static const struct cli_opt run_opts[] = {
	{"testbed", 0, 't', "FILE", NULL,
	 "the devices under test and where every role plays", 0, "yaml"},
	{"role", 0, 'r', ROLE_ARG, NULL,
	 "who plays a role, over the testbed (P=dut:udp:127.0.0.1:5060)",
	 CLI_REPEAT, NULL},
	{"out", 'o', 'o', "DIR", "sipflow-out",
	 "output folder: a pcap per scenario, report.json, junit.xml, "
	 "report.html", 0, "dir"},
	{"junit", 0, 'j', "FILE", "OUT/junit.xml",
	 "write the JUnit XML there instead", 0, "file"},
	{"timeout", 0, 'T', "DURATION", "5s",
	 "a step's wait when neither it nor its scenario sets one", 0,
	 NULL},
	{"tag", 0, 'g', "TAG", NULL,
	 "play only scenarios with one of these tags", CLI_REPEAT, NULL},
	{"filter", 0, 'F', "REGEX", NULL,
	 "play only scenarios whose name matches (POSIX extended regex)",
	 0, NULL},
	{"rerun-failed", 0, 'X', "OUTDIR", NULL,
	 "play only the scenarios that failed in OUTDIR/report.json", 0,
	 "dir"},
	{"shard", 0, 's', "K/N", "1/1",
	 "play the K-th of N slices of the selection (CI runners)", 0,
	 NULL},
	{"list", 0, 'l', NULL, NULL,
	 "print the selected scenarios (file, tags, roles); play nothing",
	 0, NULL},
	{"jobs", 'j', 'J', "N", "as many as fit",
	 "scenarios played at once, 1 to 64 (1 with a device)", 0, NULL},
	{"capture", 0, 'c', "IFACE", NULL,
	 "capture the devices' own traffic live on this interface", 0,
	 "iface"},
	{"quiet", 'q', 'q', NULL, NULL,
	 "print only failures and the closing line", 0, NULL},
	{"timer", 0, 'm', "T1|T2|T4=DURATION", "T1=500ms,T2=4s,T4=5s",
	 "an RFC 3261 timer, over the scenario's timers:", CLI_REPEAT,
	 NULL},
	{"var", 0, 'V', "NAME=VALUE", NULL,
	 "a value for a scenario's vars:", CLI_REPEAT, NULL},
	{"address-pool", 0, 'p', "FIRST-LAST|ADDRESS/PREFIX",
	 "127.0.0.10-127.0.3.255",
	 "where roles without an address are put", 0, NULL},
	{"real-time", 0, 'R', NULL, NULL,
	 "no virtual clock: waits take their real time", 0, NULL},
	{"pcap-format", 0, 'f', "FORMAT", "pcapng",
	 "pcapng (verdicts as frame comments) or pcap", 0, "pcapng pcap"},
	{"strict", 0, 'S', NULL, NULL,
	 "a conformance rule's warning fails its step", 0, NULL},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt lint_opts[] = {
	{"testbed", 0, 't', "FILE", NULL,
	 "also check each device's driver can do the do: steps", 0,
	 "yaml"},
	{"var", 0, 'V', "NAME=VALUE", NULL,
	 "a value for a scenario's vars:", CLI_REPEAT, NULL},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt ladder_opts[] = {
	{"html", 0, 'H', "OUT.html", NULL,
	 "also write the ladder as an HTML report", 0, "file"},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt diff_opts[] = {
	{"ignore", 0, 'i', "HEADER", NULL,
	 "a header whose values are not compared", CLI_REPEAT, NULL},
	{"keep", 0, 'k', "HEADER", NULL,
	 "a header compared though it is ignored by default", CLI_REPEAT,
	 NULL},
	{"tolerance", 0, 'T', "DURATION", "500ms",
	 "timing differences below this are not differences", 0, NULL},
	{"json", 0, 'J', NULL, NULL,
	 "print the differences as JSON", 0, NULL},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt verify_opts[] = {
	{"pcap", 0, 'P', "FILE", NULL,
	 "the capture to judge (required)", 0, "pcap"},
	{"testbed", 0, 't', "FILE", NULL,
	 "where the roles are in the capture, as run takes it", 0, "yaml"},
	{"role", 0, 'r', "NAME=HOST:PORT", NULL,
	 "where a role is in the capture, over the testbed", CLI_REPEAT,
	 NULL},
	{"out", 'o', 'o', "DIR", NULL,
	 "also write report.json, junit.xml, report.html there", 0, "dir"},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt scenario_opts[] = {
	{"call", 0, 'c', "N", "every call",
	 "only the N-th call of the capture (by first message)", 0, NULL},
	{"roles", 0, 'r', "NAME=HOST[:PORT],...", "guessed",
	 "name these addresses' roles instead of guessing", 0, NULL},
	{"out", 'o', 'o', "FILE", "standard output",
	 "write the scenario there", 0, "file"},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt record_opts[] = {
	{"interface", 0, 'i', "IFACE", NULL,
	 "the interface to capture on (required)", 0, "iface"},
	{"out", 'o', 'o', "FILE", NULL,
	 "the pcap to write (required)", 0, "file"},
	{"filter", 0, 'F', "BPF", NULL,
	 "a capture filter (tcpdump syntax)", 0, NULL},
	{"duration", 0, 'd', "DURATION", "until SIGINT",
	 "stop after this long", 0, NULL},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt torture_opts[] = {
	{"testbed", 0, 't', "FILE", NULL,
	 "the device under test and where every role plays", 0, "yaml"},
	{"role", 0, 'r', ROLE_ARG, NULL,
	 "who plays a role, over the testbed", CLI_REPEAT, NULL},
	{"seed", 0, 's', "N", "1",
	 "the mutations' seed: the same seed sends the same mutations", 0,
	 NULL},
	{"count", 0, 'n', "N", "100", "mutations to send", 0, NULL},
	{"every", 0, 'k', "K", "10",
	 "a liveness check after every K mutations", 0, NULL},
	{"out", 'o', 'o', "DIR", "sipflow-out",
	 "output folder: pcap, reports, the reproducer", 0, "dir"},
	{"gap", 0, 'g', "DURATION", "10ms", "between two mutations", 0,
	 NULL},
	{"timeout", 0, 'T', "DURATION", "2s",
	 "a liveness check's wait for the answer", 0, NULL},
	{"restart", 0, 'R', "COMMAND", NULL,
	 "a shell command that restarts a dead device", 0, NULL},
	{"revive", 0, 'v', "DURATION", "10s with --restart, else --timeout",
	 "how long a dead device may take to answer again", 0, NULL},
	{"var", 0, 'V', "NAME=VALUE", NULL,
	 "a value for the scenario's vars:", CLI_REPEAT, NULL},
	{"quiet", 'q', 'q', NULL, NULL, "no progress lines", 0, NULL},
	OPT_HELP,
	OPT_END,
};


static const struct cli_opt help_only[] = {
	OPT_HELP,
	OPT_END,
};


static const struct cli_cmd cmds[] = {
	{"run", "SCENARIO|DIR...",
	 "play scenarios; a verdict per step, a pcap per scenario",
	 "yaml", run_opts, cmd_run},
	{"lint", "FILE|DIR...",
	 "check scenarios; errors as file:line:column, exit 2",
	 "yaml", lint_opts, cmd_lint},
	{"ladder", "FILE.pcap",
	 "the SIP call flow of any capture, as text (and HTML)",
	 "pcap", ladder_opts, cmd_ladder},
	{"diff", "OLD.pcap NEW.pcap",
	 "regression comparison of two captures",
	 "pcap", diff_opts, cmd_diff},
	{"verify", "SCENARIO",
	 "check a capture against a scenario, step by step",
	 "yaml", verify_opts, cmd_verify},
	{"scenario", "FILE.pcap",
	 "write a scenario from a capture (roles, steps, any-order)",
	 "pcap", scenario_opts, cmd_scenario},
	{"record", "",
	 "capture live traffic to a pcap",
	 NULL, record_opts, cmd_record},
	{"torture", "SCENARIO",
	 "seeded mutations sent to a device; the one that kills it",
	 "yaml", torture_opts, cmd_torture},
	{"merge", "OUTDIR DIR|REPORT.json...",
	 "merge shard outputs (report.json) into one report set",
	 "dir", help_only, cmd_merge},
	{"rules", "", "list the conformance rules",
	 NULL, help_only, cmd_rules},
	{"version", "", "print the version",
	 NULL, help_only, cmd_version},
	{"help", "[COMMAND]", "this list, or a command's options",
	 "command", help_only, cmd_help},
};


static const struct cli_cmd top = {
	"sipflow", "COMMAND [ARGS]",
	"SIP conformance test harness and call-flow simulator",
	"command", top_opts, NULL,
};


const struct cli_cmd *cli_cmds(size_t *n)
{
	*n = ARRAY_SIZE(cmds);
	return cmds;
}


/** sipflow's own options, before a command */
const struct cli_cmd *cli_top(void)
{
	return &top;
}


const struct cli_cmd *cli_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	}

	return NULL;
}
