/* engine/cli/cli_run.c — sipflow run and sipflow lint */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <dirent.h>
#include <sys/stat.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "addrpool.h"
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "rules.h"
#include "suite.h"
#include "trace.h"
#include "pcapr.h"
#include "pcapw.h"
#include "diff.h"
#include "cli.h"
#include "retrans.h"
#include "cmdtab.h"
#include "select.h"


/* --var NAME=VALUE onto vars; false (said why) if malformed */
static bool var_opt(struct list *vars, const char *arg)
{
	if (!var_arg_add(vars, arg))
		return true;

	re_fprintf(stderr, "--var: '%s' is not NAME=VALUE\n", arg);
	return false;
}


/* a --var no loaded flow declares in vars: is a typo or the wrong suite */
static bool vars_used(const struct list *vars, struct diag *dg)
{
	struct le *le;
	bool ok = true;

	for (le = vars->head; le; le = le->next) {
		const struct var_arg *a = le->data;

		if (a->used)
			continue;
		diag_err(dg, NULL, NULL, "--var %s: no scenario declares %s "
			 "in vars:", a->name, a->name);
		ok = false;
	}

	return ok;
}


int cmd_run(int argc, char *argv[])
{
	const char *tbfile = NULL, **roles = NULL, **tags = NULL;
	const char *junit = NULL, **pos = NULL;
	size_t nroles = 0, npos = 0, i;
	struct cli_args a;
	struct select sel;
	struct testbed *tb = NULL;
	struct files fl = {NULL, 0, 0};
	struct list scs = LIST_INIT, vars = LIST_INIT;
	struct report *rp = NULL;
	struct suite_opts so;
	struct sip_timers timers = {0, 0, 0};
	struct addrpool pool;
	bool has_pool = false;
	struct console con;
	struct diag dg;
	bool quiet = false, verbose = false, interrupted = false;
	bool list = false;
	struct list rest = LIST_INIT;   /* loaded, not (yet) selected */
	uint64_t t0;
	int c, rc = EXIT_PASS;

	memset(&so, 0, sizeof(so));
	so.outdir = "sipflow-out";
	so.jobs = 0;   /* the default: suite.c */
	so.timers = &timers;
	so.pcapng = true;
	diag_init(&dg);

	/* a place for every --role and --tag there can be: none is
	 * dropped, however many are given */
	roles = mem_zalloc((size_t)argc * sizeof(*roles), NULL);
	tags = mem_zalloc((size_t)argc * sizeof(*tags), NULL);
	pos = mem_zalloc((size_t)argc * sizeof(*pos), NULL);
	select_init(&sel, tags);
	if (!roles || !tags || !pos) {
		rc = EXIT_BAD;
		goto out;
	}
	cli_args_init(&a, cli_cmd_find("run"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		switch (c) {

		case CLI_POS:
			pos[npos++] = a.arg;
			break;
		case 'l':
			list = true;
			break;
		case 'F':
			if (select_filter(&sel, a.arg))
				rc = EXIT_BAD;
			break;
		case 'X':
			if (select_rerun(&sel, a.arg))
				rc = EXIT_BAD;
			break;

		case 't':
			tbfile = a.arg;
			break;
		case 'r':
			roles[nroles++] = a.arg;
			break;
		case 'g':
			tags[sel.ntags++] = a.arg;
			break;
		case 'o':
			so.outdir = a.arg;
			break;
		case 'c':
			so.capture = a.arg;
			break;
		case 'j':
			junit = a.arg;
			break;
		case 'J': {
			char *end = NULL;
			unsigned long n = strtoul(a.arg, &end, 10);

			if (!end || *end || !n || n > 64) {
				re_fprintf(stderr, "--jobs: '%s' is not a "
					   "number from 1 to 64\n", a.arg);
				rc = EXIT_BAD;
			}
			so.jobs = (unsigned)n;
			break;
		}
		case 's':
			if (select_shard(&sel, a.arg))
				rc = EXIT_BAD;
			break;
		case 'T':
			if (duration_parse(&so.timeout_ms, a.arg) ||
			    !so.timeout_ms) {
				re_fprintf(stderr, "--timeout: '%s' is not a "
					   "duration (500ms, 2s, 1m)\n",
					   a.arg);
				rc = EXIT_BAD;
			}
			break;
		case 'm': {
			/* --timer T1=100ms: RFC 3261's timers, over timers: */
			char name[4] = "";
			const char *eq = strchr(a.arg, '=');

			if (eq && eq - a.arg < (long)sizeof(name))
				memcpy(name, a.arg, (size_t)(eq - a.arg));
			if (!eq || sip_timer_set(&timers, name, eq + 1)) {
				re_fprintf(stderr, "--timer: '%s' is not "
					   "T1|T2|T4=DURATION (T1=100ms)\n",
					   a.arg);
				rc = EXIT_BAD;
			}
			break;
		}
		case 'v':
			verbose = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			so.strict = true;
			break;
		case 'R':
			so.real_time = true;
			break;
		case 'V':
			if (!var_opt(&vars, a.arg))
				rc = EXIT_BAD;
			break;
		case 'p': {
			const char *why = NULL;

			if (addrpool_parse(&pool, a.arg, &why)) {
				re_fprintf(stderr, "--address-pool: '%s' is "
					   "not an address pool: %s ("
					   ADDRPOOL_FORMS ")\n", a.arg, why);
				rc = EXIT_BAD;
			}
			has_pool = true;
			break;
		}
		case 'f': {
			enum pcapw_fmt fmt = PCAPW_PCAPNG;

			if (pcapw_format(&fmt, a.arg)) {
				re_fprintf(stderr, "--pcap-format: '%s' is "
					   "not pcapng or pcap\n", a.arg);
				rc = EXIT_BAD;
			}
			so.pcapng = fmt == PCAPW_PCAPNG;
			break;
		}
		default:
			/* main() has read them all: --help, an unknown
			 * option, never reach here */
			rc = EXIT_BAD;
			goto out;
		}
	}

	/* the testbed file first, then each --role over it */
	if (rc == EXIT_PASS) {
		if (cli_testbed(&tb, tbfile, roles, nroles, &dg))
			rc = EXIT_BAD;
		if (rc == EXIT_PASS && has_pool)
			tb->pool = pool;
	}

	if (rc == EXIT_PASS && !npos) {
		re_fprintf(stderr, "sipflow run: no scenario given\n");
		cli_usage(a.cmd);
		rc = EXIT_BAD;
	}

	for (i = 0; rc == EXIT_PASS && i < npos; i++) {
		if (collect(&fl, pos[i], 0))
			rc = EXIT_BAD;
	}

	if (rc == EXIT_PASS && !fl.n) {
		re_fprintf(stderr, "sipflow run: no *.yaml scenario found\n");
		rc = EXIT_BAD;
	}

	/* load them all first: a broken file stops the suite before it
	 * plays anything; every flow loaded has a name of its own, whatever
	 * is selected (cli_select.c). Then the selection (select.c) */
	for (i = 0; rc == EXIT_PASS && i < fl.n; i++) {
		struct scenario *sc = NULL;

		/* a block (ENOTSUP) is played where a flow includes it */
		if (scenario_load_vars(&sc, fl.v[i], NULL, &vars, &dg))
			continue;
		list_append(&rest, &sc->le, sc);
	}
	if (rc == EXIT_PASS && !dg.nerr && !cli_names_unique(&rest, &dg))
		select_all(&sel, &scs, &rest);
	if (rc == EXIT_PASS && !vars_used(&vars, &dg))
		rc = EXIT_BAD;
	if (dg.nerr)
		rc = EXIT_BAD;

	so.tb = tb;
	if (rc == EXIT_PASS && suite_check_pool(&scs, &so))
		rc = EXIT_BAD;

	if (rc != EXIT_PASS)
		goto out;

	/* nothing to play (exit 2, or 0 when nothing had failed), or
	 * the selection printed instead of played */
	rc = select_empty(&sel, &scs, list_count(&scs) + list_count(&rest));
	if (rc >= 0)
		goto out;
	rc = EXIT_PASS;
	if (list) {
		/* where each role is bound, when a testbed or --role binds
		 * them */
		rc = select_list(&scs, tbfile || nroles ? tb : NULL);
		goto out;
	}

	if (mkdirs(so.outdir)) {
		re_fprintf(stderr, "%s: cannot create: %m\n", so.outdir,
			   errno);
		rc = EXIT_BAD;
		goto out;
	}

	if (report_alloc(&rp)) {
		rc = EXIT_BAD;
		goto out;
	}

	console_init(&con, stdout, quiet);
	con.mode = quiet ? CONSOLE_QUIET : verbose ? CONSOLE_FULL
		 : CONSOLE_BRIEF;
	t0 = tmr_jiffies();
	rc = suite_run(&scs, &so, &con, rp, &interrupted);

	rp->ms = tmr_jiffies() - t0;
	rp->interrupted = interrupted;
	console_failures(&con, rp);
	console_total(&con, report_count(rp, true), report_count(rp, false),
		      report_skipped(rp), rp->notrun, report_refused(rp),
		      rp->ms);
	/* evidence that is not whole fails the run, whatever the verdicts */
	if (write_reports(rp, so.outdir, junit))
		rc = EXIT_BAD;
	if (console_err(&con)) {
		re_fprintf(stderr, "sipflow run: stdout: cannot write: %m\n",
			   con.err);
		rc = EXIT_BAD;
	}

 out:
	if (dg.nerr || dg.nwarn)
		re_fprintf(stderr, "%H", diag_print, &dg);
	diag_reset(&dg);
	list_flush(&scs);
	list_flush(&rest);
	list_flush(&vars);
	files_free(&fl);
	mem_deref(tb);
	mem_deref(rp);
	select_reset(&sel);
	mem_deref(roles);
	mem_deref(tags);
	mem_deref(pos);
	return rc;
}



int cmd_lint(int argc, char *argv[])
{
	struct files fl = {NULL, 0, 0};
	struct list vars = LIST_INIT;
	struct cli_args a;
	struct diag dg;
	unsigned bad = 0, npos = 0;
	int c, rc = EXIT_PASS;
	size_t k;

	struct testbed *tb = NULL;

	diag_init(&dg);
	cli_args_init(&a, cli_cmd_find("lint"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		switch (c) {

		case 't':
			/* a device's driver must be able to do its do:
			 * steps */
			tb = mem_deref(tb);
			if (testbed_load(&tb, a.arg, &dg))
				rc = EXIT_BAD;
			break;
		case 'V':
			if (!var_opt(&vars, a.arg))
				rc = EXIT_BAD;
			break;
		case CLI_POS:
			++npos;
			if (collect(&fl, a.arg, 0))
				rc = EXIT_BAD;
			break;
		default:
			rc = EXIT_BAD;
			break;
		}
	}
	if (!npos) {
		diag_reset(&dg);
		mem_deref(tb);
		list_flush(&vars);
		return cli_usage(a.cmd);
	}

	for (k = 0; k < fl.n; k++) {
		struct scenario *sc = NULL;
		unsigned before = dg.nerr;

		/* a block (ENOTSUP) says what it takes; its steps are
		 * checked in each flow that includes it */
		if (!scenario_load_vars(&sc, fl.v[k], NULL, &vars, &dg)) {
			if (tb && !scenario_bind(sc, tb, &dg))
				(void)testbed_check_drivers(sc, &dg);
			mem_deref(sc);
		}
		if (dg.nerr > before)
			++bad;
	}

	(void)vars_used(&vars, &dg);
	re_fprintf(stderr, "%H", diag_print, &dg);
	re_printf("%zu files: %zu ok, %u with errors\n", fl.n,
		  fl.n - bad, bad);
	if (dg.nerr)
		rc = EXIT_BAD;

	diag_reset(&dg);
	list_flush(&vars);
	files_free(&fl);
	mem_deref(tb);
	return rc;
}
