/* engine/cli/args.c — a command's arguments read against its row of the
 * command table (cmdtab.c): --name VALUE, --name=VALUE, -x VALUE, flags,
 * positionals anywhere ("--" ends the options). An option the table does
 * not have is refused with the nearest one there is (diag_suggest, as
 * for YAML keys) and exit 2.
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "diag.h"
#include "cli.h"
#include "cmdtab.h"


void cli_args_init(struct cli_args *a, const struct cli_cmd *cmd,
		   int argc, char *argv[])
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->argc = argc;
	a->argv = argv;
	a->i = 1;
}


/* " run" of "sipflow run: …", or "" for sipflow's own options */
static const char *prog(const struct cli_args *a)
{
	return a->cmd->fn ? a->cmd->name : "";
}


/* "unknown option '--tga' (did you mean '--tag'?)", or the options */
static int unknown(const struct cli_args *a, const char *word, size_t len)
{
	const struct cli_opt *o;
	const char *names[64];
	char *spelled = NULL;
	const char *hint = NULL;
	size_t n = 0;

	/* the word as long as it was typed */
	(void)re_sdprintf(&spelled, "%b", word, len);
	for (o = a->cmd->opts; o->name && n < ARRAY_SIZE(names); o++)
		names[n++] = o->name;

	/* compare without the dashes: "--tga" is one edit from "--tag" */
	if (spelled)
		hint = diag_suggest(spelled + strspn(spelled, "-"), names, n);

	re_fprintf(stderr, "sipflow%s%s: unknown option '%b'", *prog(a) ?
		   " " : "", prog(a), word, len);
	if (hint)
		re_fprintf(stderr, " (did you mean '--%s'?)", hint);
	re_fprintf(stderr, "\n");
	mem_deref(spelled);

	return CLI_BAD;
}


static const struct cli_opt *by_long(const struct cli_cmd *cmd,
				     const char *name, size_t len)
{
	const struct cli_opt *o;

	for (o = cmd->opts; o->name; o++) {
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	}

	return NULL;
}


static const struct cli_opt *by_short(const struct cli_cmd *cmd, char c)
{
	const struct cli_opt *o;

	for (o = cmd->opts; o->name; o++) {
		if (o->shrt && o->shrt == c)
			return o;
	}

	return NULL;
}


/**
 * The next argument: an option's key (a->opt, its value in a->arg),
 * CLI_POS (a->arg), CLI_END, or CLI_BAD (said why on stderr)
 */
int cli_args_next(struct cli_args *a)
{
	const char *s, *eq;
	const struct cli_opt *o;

	a->opt = NULL;
	a->arg = NULL;
	if (a->i >= a->argc)
		return CLI_END;

	s = a->argv[a->i++];
	if (a->rest || s[0] != '-' || !s[1]) {
		a->arg = s;
		return CLI_POS;
	}
	if (!strcmp(s, "--")) {
		a->rest = true;
		return cli_args_next(a);
	}

	if (s[1] == '-') {
		eq = strchr(s + 2, '=');
		o = by_long(a->cmd, s + 2, eq ? (size_t)(eq - s - 2)
			    : strlen(s + 2));
		if (!o)
			return unknown(a, s, eq ? (size_t)(eq - s)
				       : strlen(s));
		if (eq && !o->arg) {
			re_fprintf(stderr, "sipflow%s%s: option '--%s' takes "
				   "no value\n", *prog(a) ? " " : "", prog(a),
				   o->name);
			return CLI_BAD;
		}
		if (eq)
			a->arg = eq + 1;
	}
	else {
		/* -q, -o DIR, -oDIR */
		o = by_short(a->cmd, s[1]);
		if (!o || (s[2] && !o->arg))
			return unknown(a, s, strlen(s));
		if (s[2])
			a->arg = s + 2;
	}

	a->opt = o;
	if (o->arg && !a->arg) {
		if (a->i >= a->argc) {
			re_fprintf(stderr, "sipflow%s%s: option '--%s' "
				   "needs %s\n", *prog(a) ? " " : "", prog(a),
				   o->name, o->arg);
			return CLI_BAD;
		}
		a->arg = a->argv[a->i++];
	}

	return o->key;
}


/**
 * Every argument read once before the command sees them: 0 when all are
 * known (*help set if --help is among them), else EINVAL, each wrong
 * one said on a line of its own (all of them, not only the first)
 */
int cli_args_check(const struct cli_cmd *cmd, int argc, char *argv[],
		   bool *help)
{
	struct cli_args a;
	unsigned bad = 0;
	int k;

	*help = false;
	cli_args_init(&a, cmd, argc, argv);
	while ((k = cli_args_next(&a)) != CLI_END) {
		if (k == CLI_BAD)
			++bad;
		if (k == CLI_HELP)
			*help = true;
	}
	if (!bad)
		return 0;

	re_fprintf(stderr, "Try 'sipflow %s%s--help' for %s.\n",
		   prog(&a), *prog(&a) ? " " : "", cmd->fn ? "its options" :
		   "the commands and options");
	return EINVAL;
}


/** "unknown command 'rn' (did you mean 'run'?)", exit status 2 */
int cli_unknown_cmd(const char *name)
{
	const char *names[32];
	const struct cli_cmd *cmds;
	size_t i, n;
	const char *hint;

	cmds = cli_cmds(&n);
	for (i = 0; i < n && i < ARRAY_SIZE(names); i++)
		names[i] = cmds[i].name;
	hint = diag_suggest(name, names, i);

	re_fprintf(stderr, "sipflow: unknown command '%s'", name);
	if (hint)
		re_fprintf(stderr, " (did you mean '%s'?)", hint);
	re_fprintf(stderr, "\nTry 'sipflow --help' for the commands.\n");

	return EXIT_BAD;
}
