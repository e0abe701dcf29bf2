/* engine/cli/cli_run.c — sipflow run and sipflow lint */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <getopt.h>
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


static void usage_run(void)
{
	re_fprintf(stderr,
		   "usage: sipflow run SCENARIO|DIR... [--testbed FILE]\n"
		   "         [--role NAME=KIND[:TRANSPORT:HOST:PORT]]... "
		   "[--out DIR] [--junit FILE]\n"
		   "         [--timeout DURATION] [--tag T]... [--jobs N] "
		   "[--shard K/N] [--capture IFACE] [--quiet|--verbose]\n"
		   "         [--timer T1|T2|T4=DURATION]... "
		   "[--var NAME=VALUE]...\n"
		   "         [--address-pool FIRST-LAST|ADDRESS/PREFIX] "
		   "[--real-time]\n"
		   "         [--pcap-format pcapng|pcap] [--strict]\n");
}


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


static bool has_tag(const struct scenario *sc, const char *const *tags,
		    size_t ntags)
{
	struct le *le;
	size_t i;

	if (!ntags)
		return true;

	for (le = sc->tags.head; le; le = le->next) {
		const struct strle *t = le->data;

		for (i = 0; i < ntags; i++) {
			if (!strcmp(t->str, tags[i]))
				return true;
		}
	}

	return false;
}


static int parse_shard(unsigned *k, unsigned *n, const char *s)
{
	char *end = NULL;
	unsigned long a, b;

	a = strtoul(s, &end, 10);
	if (!end || *end != '/')
		return EINVAL;
	b = strtoul(end + 1, &end, 10);
	if (!end || *end || !b || !a || a > b || b > 1000)
		return EINVAL;

	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}


/* the flows loaded (all, in path order) each have a name of their own,
 * and the selection keeps one at least; what it keeps moves to scs. Else
 * the run is refused, saying why (exit 2) */
static int run_select(struct list *scs, struct list *all,
		      const struct cli_sel *sel, struct diag *dg)
{
	unsigned nflows = list_count(all), ntagged = 0, idx = 0;
	struct le *le = all->head;

	if (cli_names_unique(all, dg))
		return EINVAL;

	while (le) {
		struct scenario *sc = le->data;

		le = le->next;
		if (!has_tag(sc, sel->tags, sel->ntags))
			continue;
		++ntagged;
		if ((idx++ % sel->shard_n) != sel->shard_k - 1)
			continue;
		list_unlink(&sc->le);
		list_append(scs, &sc->le, sc);
	}

	if (list_isempty(scs)) {
		cli_none_selected(sel, nflows, ntagged);
		return ENOENT;
	}

	return 0;
}


int cmd_run(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"testbed", required_argument, NULL, 't'},
		{"role",    required_argument, NULL, 'r'},
		{"out",     required_argument, NULL, 'o'},
		{"timeout", required_argument, NULL, 'T'},
		{"junit",   required_argument, NULL, 'j'},
		{"tag",     required_argument, NULL, 'g'},
		{"jobs",    required_argument, NULL, 'J'},
		{"shard",   required_argument, NULL, 's'},
		{"capture", required_argument, NULL, 'c'},
		{"quiet",   no_argument,       NULL, 'q'},
		{"verbose", no_argument,       NULL, 'v'},
		{"real-time", no_argument,     NULL, 'R'},
		{"timer",   required_argument, NULL, 'm'},
		{"var",     required_argument, NULL, 'V'},
		{"address-pool", required_argument, NULL, 'p'},
		{"pcap-format", required_argument, NULL, 'f'},
		{"strict",  no_argument,       NULL, 'S'},
		{"help",    no_argument,       NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *tbfile = NULL, **roles = NULL, **tags = NULL;
	const char *junit = NULL;
	size_t nroles = 0, ntags = 0, i;
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
	unsigned shard_k = 1, shard_n = 1;
	bool quiet = false, verbose = false, interrupted = false;
	struct list rest = LIST_INIT;   /* loaded, not selected */
	uint64_t t0;
	int c, rc = EXIT_PASS;

	memset(&so, 0, sizeof(so));
	so.outdir = "sipflow-out";
	so.jobs = 0;   /* the default: suite.c */
	so.timers = &timers;
	so.pcapng = true;
	diag_init(&dg);
	optind = 1;

	/* a place for every --role and --tag there can be: none is
	 * dropped, however many are given */
	roles = mem_zalloc((size_t)argc * sizeof(*roles), NULL);
	tags = mem_zalloc((size_t)argc * sizeof(*tags), NULL);
	if (!roles || !tags) {
		rc = EXIT_BAD;
		goto out;
	}
	while ((c = getopt_long(argc, argv, "t:r:o:T:j:g:J:s:c:m:qvRSV:p:f:h",
				longopts, NULL)) != -1) {
		switch (c) {

		case 't':
			tbfile = optarg;
			break;
		case 'r':
			roles[nroles++] = optarg;
			break;
		case 'g':
			tags[ntags++] = optarg;
			break;
		case 'o':
			so.outdir = optarg;
			break;
		case 'c':
			so.capture = optarg;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'J': {
			char *end = NULL;
			unsigned long n = strtoul(optarg, &end, 10);

			if (!end || *end || !n || n > 64) {
				re_fprintf(stderr, "--jobs: '%s' is not a "
					   "number from 1 to 64\n", optarg);
				rc = EXIT_BAD;
			}
			so.jobs = (unsigned)n;
			break;
		}
		case 's':
			if (parse_shard(&shard_k, &shard_n, optarg)) {
				re_fprintf(stderr, "--shard: '%s' is not K/N "
					   "with 1 <= K <= N\n", optarg);
				rc = EXIT_BAD;
			}
			break;
		case 'T':
			if (duration_parse(&so.timeout_ms, optarg) ||
			    !so.timeout_ms) {
				re_fprintf(stderr, "--timeout: '%s' is not a "
					   "duration (500ms, 2s, 1m)\n",
					   optarg);
				rc = EXIT_BAD;
			}
			break;
		case 'm': {
			/* --timer T1=100ms: RFC 3261's timers, over timers: */
			char name[4] = "";
			const char *eq = strchr(optarg, '=');

			if (eq && eq - optarg < (long)sizeof(name))
				memcpy(name, optarg, (size_t)(eq - optarg));
			if (!eq || sip_timer_set(&timers, name, eq + 1)) {
				re_fprintf(stderr, "--timer: '%s' is not "
					   "T1|T2|T4=DURATION (T1=100ms)\n",
					   optarg);
				rc = EXIT_BAD;
			}
			break;
		}
		case 'q':
			quiet = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'S':
			so.strict = true;
			break;
		case 'R':
			so.real_time = true;
			break;
		case 'V':
			if (!var_opt(&vars, optarg))
				rc = EXIT_BAD;
			break;
		case 'p': {
			const char *why = NULL;

			if (addrpool_parse(&pool, optarg, &why)) {
				re_fprintf(stderr, "--address-pool: '%s' is "
					   "not an address pool: %s ("
					   ADDRPOOL_FORMS ")\n", optarg, why);
				rc = EXIT_BAD;
			}
			has_pool = true;
			break;
		}
		case 'f': {
			enum pcapw_fmt fmt = PCAPW_PCAPNG;

			if (pcapw_format(&fmt, optarg)) {
				re_fprintf(stderr, "--pcap-format: '%s' is "
					   "not pcapng or pcap\n", optarg);
				rc = EXIT_BAD;
			}
			so.pcapng = fmt == PCAPW_PCAPNG;
			break;
		}
		case 'h':
			usage_run();
			goto out;
		default:
			usage_run();
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

	if (rc == EXIT_PASS && optind >= argc) {
		re_fprintf(stderr, "sipflow run: no scenario given\n");
		usage_run();
		rc = EXIT_BAD;
	}

	for (i = (size_t)optind; rc == EXIT_PASS && i < (size_t)argc; i++) {
		if (collect(&fl, argv[i], 0))
			rc = EXIT_BAD;
	}

	if (rc == EXIT_PASS && !fl.n) {
		re_fprintf(stderr, "sipflow run: no *.yaml scenario found\n");
		rc = EXIT_BAD;
	}

	/* load them all first: a broken file stops the suite before it
	 * plays anything. --tag filters, --shard K/N keeps every Nth of
	 * what is left, in file order, so shards never overlap */
	for (i = 0; rc == EXIT_PASS && i < fl.n; i++) {
		struct scenario *sc = NULL;

		/* a block (ENOTSUP) is played where a flow includes it */
		if (scenario_load_vars(&sc, fl.v[i], NULL, &vars, &dg))
			continue;
		list_append(&rest, &sc->le, sc);
	}
	if (rc == EXIT_PASS && !vars_used(&vars, &dg))
		rc = EXIT_BAD;
	if (dg.nerr)
		rc = EXIT_BAD;
	if (rc == EXIT_PASS) {
		struct cli_sel sel = {tags, ntags, shard_k, shard_n};

		if (run_select(&scs, &rest, &sel, &dg))
			rc = EXIT_BAD;
	}

	so.tb = tb;
	if (rc == EXIT_PASS && suite_check_pool(&scs, &so))
		rc = EXIT_BAD;

	if (rc != EXIT_PASS)
		goto out;

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
	mem_deref(roles);
	mem_deref(tags);
	return rc;
}



int cmd_lint(int argc, char *argv[])
{
	struct files fl = {NULL, 0, 0};
	struct list vars = LIST_INIT;
	struct diag dg;
	unsigned bad = 0;
	int i, rc = EXIT_PASS;
	size_t k;

	struct testbed *tb = NULL;

	if (argc < 2) {
		re_fprintf(stderr, "usage: sipflow lint FILE|DIR... "
			   "[--testbed FILE] [--var NAME=VALUE]...\n");
		return EXIT_BAD;
	}

	diag_init(&dg);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--testbed") && i + 1 < argc) {
			/* a device's driver must be able to do its do:
			 * steps */
			tb = mem_deref(tb);
			if (testbed_load(&tb, argv[++i], &dg))
				rc = EXIT_BAD;
			continue;
		}
		if (!strcmp(argv[i], "--var") && i + 1 < argc) {
			if (!var_opt(&vars, argv[++i]))
				rc = EXIT_BAD;
			continue;
		}
		if (collect(&fl, argv[i], 0))
			rc = EXIT_BAD;
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
