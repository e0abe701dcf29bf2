/* engine/cli/cmdtab.h — the command line as data: every command and
 * every option it takes, with its argument, default and meaning. The
 * parser (args.c), usage and --help, the man page and the bash
 * completion (help.c) all read this one table, so they cannot drift.
 */
#ifndef SIPFLOW_CMDTAB_H
#define SIPFLOW_CMDTAB_H

#include <stdbool.h>

/** What cli_args_next returns besides an option's key */
enum {
	CLI_END = -1,       /* no argument left */
	CLI_POS = 1,        /* a positional argument (in a->arg) */
	CLI_BAD = '?',      /* unknown option, missing value: said why */
	CLI_HELP = 'h',     /* -h, --help: every command's */
};

enum cli_flag {
	CLI_REPEAT = 1 << 0,  /* may be given more than once */
};

/** One option of a command */
struct cli_opt {
	const char *name;      /* long name, without "--" */
	char shrt;             /* short letter, or 0 */
	int key;               /* what the parser returns for it */
	const char *arg;       /* its argument ("FILE"), or NULL: a flag */
	const char *def;       /* its default, as help prints it, or NULL */
	const char *help;      /* one line */
	unsigned flags;        /* enum cli_flag */
	const char *complete;  /* its argument's completion: "file",
				  "dir", "yaml", "pcap", "iface", or words
				  ("pcapng pcap"), or NULL: none */
};

/** One command */
struct cli_cmd {
	const char *name;
	const char *args;      /* its positional arguments ("FILE|DIR...") */
	const char *summary;   /* one line */
	const char *complete;  /* the positionals' completion, as above */
	const struct cli_opt *opts;   /* ended by a row with no name */
	int (*fn)(int argc, char *argv[]);
};

/** Walking a command's arguments (args.c) */
struct cli_args {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;           /* argv[0] is the command's name */
	int i;                 /* the next one */
	bool rest;             /* past "--": all positional */
	const struct cli_opt *opt;   /* the option just returned */
	const char *arg;       /* its value, or the positional */
};

const struct cli_cmd *cli_cmds(size_t *n);
const struct cli_cmd *cli_top(void);
const struct cli_cmd *cli_cmd_find(const char *name);

void cli_args_init(struct cli_args *a, const struct cli_cmd *cmd,
		   int argc, char *argv[]);
int  cli_args_next(struct cli_args *a);
int  cli_args_check(const struct cli_cmd *cmd, int argc, char *argv[],
		    bool *help);
int  cli_unknown_cmd(const char *name);

int  cli_help(const struct cli_cmd *cmd);
int  cli_usage(const struct cli_cmd *cmd);
int  cli_man(void);
int  cli_completion(const char *shell);

#endif
