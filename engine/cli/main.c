/* engine/cli/main.c — the sipflow command line: its own options, then a
 * command of the table (cmdtab.c) with its arguments checked against
 * that command's row before it runs
 *
 * Exit status: 0 all passed, 1 a verdict failed (or the run was
 * interrupted), 2 bad input (scenario, testbed, arguments).
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "cli.h"
#include "cmdtab.h"


/* sipflow -h, -V, --man, --completion bash */
static int top_options(int argc, char *argv[])
{
	struct cli_args a;
	bool help;
	int k;

	if (cli_args_check(cli_top(), argc, argv, &help))
		return EXIT_BAD;
	if (help)
		return cli_help(NULL);

	cli_args_init(&a, cli_top(), argc, argv);
	while ((k = cli_args_next(&a)) != CLI_END) {
		switch (k) {

		case CLI_HELP:
			return cli_help(NULL);
		case 'V':
			return cmd_version(0, NULL);
		case 'M':
			return cli_man();
		case 'C':
			return cli_completion(a.arg);
		case CLI_POS:
			/* an option first, a command after it */
			re_fprintf(stderr, "sipflow: '%s' after an option: "
				   "the command comes first (sipflow %s "
				   "--help)\n", a.arg, a.arg);
			return EXIT_BAD;
		default:
			return EXIT_BAD;
		}
	}

	return EXIT_BAD;
}


int main(int argc, char *argv[])
{
	const struct cli_cmd *cmd;
	bool help;
	int rc, err;

	if (argc < 2) {
		re_fprintf(stderr, "usage: sipflow COMMAND [OPTION]... "
			   "[ARGS]\nTry 'sipflow --help' for the commands and "
			   "options.\n");
		return EXIT_BAD;
	}

	if (argv[1][0] == '-')
		return top_options(argc, argv);

	cmd = cli_cmd_find(argv[1]);
	if (!cmd)
		return cli_unknown_cmd(argv[1]);

	/* every argument is one the command takes before it runs: an
	 * unknown one is exit 2, --help anywhere is the command's help */
	if (cli_args_check(cmd, argc - 1, argv + 1, &help))
		return EXIT_BAD;
	if (help)
		return cli_help(cmd);

	err = libre_init();
	if (err) {
		re_fprintf(stderr, "sipflow: libre_init: %m\n", err);
		return EXIT_BAD;
	}

	rc = cmd->fn(argc - 1, argv + 1);

	libre_close();
	return rc;
}
