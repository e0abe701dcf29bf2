/* engine/main.c — the sipflow command line: a table of subcommands
 *
 * Exit status: 0 all passed, 1 a verdict failed (or the run was
 * interrupted), 2 bad input (scenario, testbed, arguments).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <dirent.h>
#include <sys/stat.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "rules.h"
#include "suite.h"
#include "trace.h"
#include "pcapr.h"
#include "diff.h"


enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_BAD = 2 };



struct cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int argc, char *argv[]);
};


static int cmd_help(int argc, char *argv[]);


/* ---- collecting scenario files ---- */

struct files {
	char **v;
	size_t n, cap;
};


static int files_add(struct files *fl, const char *path)
{
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 16;
		char **v = realloc(fl->v, cap * sizeof(*v));
		if (!v)
			return ENOMEM;
		fl->v = v;
		fl->cap = cap;
	}

	fl->v[fl->n] = strdup(path);
	if (!fl->v[fl->n])
		return ENOMEM;
	++fl->n;

	return 0;
}


static void files_free(struct files *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->v[i]);
	free(fl->v);
}


static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


static bool is_yaml(const char *name)
{
	size_t l = strlen(name);

	return (l > 5 && !strcmp(name + l - 5, ".yaml")) ||
	       (l > 4 && !strcmp(name + l - 4, ".yml"));
}


/* a file as given, or every *.yaml below a folder, sorted */
static int collect(struct files *fl, const char *path, unsigned depth)
{
	struct stat st;
	struct dirent *de;
	size_t first = fl->n;
	DIR *d;
	int err = 0;

	if (stat(path, &st)) {
		re_fprintf(stderr, "%s: %m\n", path, errno);
		return errno;
	}

	if (!S_ISDIR(st.st_mode))
		return files_add(fl, path);

	if (depth > 8)
		return 0;

	d = opendir(path);
	if (!d) {
		re_fprintf(stderr, "%s: %m\n", path, errno);
		return errno;
	}

	while (!err && (de = readdir(d))) {
		char sub[1024];

		if (de->d_name[0] == '.')
			continue;

		re_snprintf(sub, sizeof(sub), "%s%s%s", path,
			    path[strlen(path) - 1] == '/' ? "" : "/",
			    de->d_name);
		if (stat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			err = collect(fl, sub, depth + 1);
		else if (is_yaml(de->d_name))
			err = files_add(fl, sub);
	}
	closedir(d);

	if (!err)
		qsort(fl->v + first, fl->n - first, sizeof(*fl->v), cmpstr);

	return err;
}


static int mkdirs(const char *path)
{
	char buf[1024];
	char *p;

	re_snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return errno;

	return 0;
}


/* ---- run ---- */

/* report.json, junit.xml and report.html in the output folder */
static void write_reports(const struct report *rp, const char *outdir,
			  const char *junit)
{
	static const struct {
		const char *name;
		int (*write)(const struct report *rp, const char *path);
	} files[] = {
		{"report.json", report_write_json},
		{"junit.xml", report_write_junit},
		{"report.html", report_write_html},
	};
	char path[1024];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (junit && files[i].write == report_write_junit)
			re_snprintf(path, sizeof(path), "%s", junit);
		else
			re_snprintf(path, sizeof(path), "%s/%s", outdir,
				    files[i].name);
		err = files[i].write(rp, path);
		if (err)
			re_fprintf(stderr, "%s: cannot write: %m\n", path,
				   err);
	}
}


static void usage_run(void)
{
	re_fprintf(stderr,
		   "usage: sipflow run SCENARIO|DIR... [--testbed FILE]\n"
		   "         [--role NAME=KIND[:TRANSPORT:HOST:PORT]]... "
		   "[--out DIR] [--junit FILE]\n"
		   "         [--timeout DURATION] [--tag T]... [--jobs N] "
		   "[--shard K/N] [--quiet]\n");
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


static int cmd_run(int argc, char *argv[])
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
		{"quiet",   no_argument,       NULL, 'q'},
		{"help",    no_argument,       NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *tbfile = NULL, *roles[32], *tags[32], *junit = NULL;
	size_t nroles = 0, ntags = 0, i, idx;
	struct testbed *tb = NULL;
	struct files fl = {NULL, 0, 0};
	struct list scs = LIST_INIT;
	struct report *rp = NULL;
	struct suite_opts so;
	struct console con;
	struct diag dg;
	unsigned shard_k = 1, shard_n = 1;
	bool quiet = false, interrupted = false;
	uint64_t t0;
	int c, rc = EXIT_PASS;

	memset(&so, 0, sizeof(so));
	so.outdir = "sipflow-out";
	so.jobs = 1;
	diag_init(&dg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:r:o:T:j:g:J:s:qh", longopts,
				NULL)) != -1) {
		switch (c) {

		case 't':
			tbfile = optarg;
			break;
		case 'r':
			if (nroles < ARRAY_SIZE(roles))
				roles[nroles++] = optarg;
			break;
		case 'g':
			if (ntags < ARRAY_SIZE(tags))
				tags[ntags++] = optarg;
			break;
		case 'o':
			so.outdir = optarg;
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
		case 'q':
			quiet = true;
			break;
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
		if (tbfile ? testbed_load(&tb, tbfile, &dg)
			   : testbed_alloc(&tb))
			rc = EXIT_BAD;
		for (i = 0; rc == EXIT_PASS && i < nroles; i++) {
			if (testbed_add_arg(tb, roles[i], &dg))
				rc = EXIT_BAD;
		}
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
	for (i = 0, idx = 0; rc == EXIT_PASS && i < fl.n; i++) {
		struct scenario *sc = NULL;

		if (scenario_load(&sc, fl.v[i], &dg))
			continue;
		if (!has_tag(sc, tags, ntags) ||
		    (idx++ % shard_n) != shard_k - 1) {
			mem_deref(sc);
			continue;
		}
		list_append(&scs, &sc->le, sc);
	}
	if (dg.nerr)
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
	so.tb = tb;
	t0 = tmr_jiffies();
	rc = suite_run(&scs, &so, &con, rp, &interrupted);

	rp->ms = tmr_jiffies() - t0;
	rp->interrupted = interrupted;
	console_total(&con, report_count(rp, true), report_count(rp, false),
		      rp->notrun, rp->ms);
	write_reports(rp, so.outdir, junit);

 out:
	if (dg.nerr || dg.nwarn)
		re_fprintf(stderr, "%H", diag_print, &dg);
	diag_reset(&dg);
	list_flush(&scs);
	files_free(&fl);
	mem_deref(tb);
	mem_deref(rp);
	return rc;
}


/* ---- lint ---- */

static int cmd_lint(int argc, char *argv[])
{
	struct files fl = {NULL, 0, 0};
	struct diag dg;
	unsigned bad = 0;
	int i, rc = EXIT_PASS;
	size_t k;

	if (argc < 2) {
		re_fprintf(stderr, "usage: sipflow lint FILE|DIR...\n");
		return EXIT_BAD;
	}

	for (i = 1; i < argc; i++) {
		if (collect(&fl, argv[i], 0))
			rc = EXIT_BAD;
	}

	diag_init(&dg);
	for (k = 0; k < fl.n; k++) {
		struct scenario *sc = NULL;
		unsigned before = dg.nerr;

		if (!scenario_load(&sc, fl.v[k], &dg))
			mem_deref(sc);
		if (dg.nerr > before)
			++bad;
	}

	re_fprintf(stderr, "%H", diag_print, &dg);
	re_printf("%zu files: %zu ok, %u with errors\n", fl.n,
		  fl.n - bad, bad);
	if (dg.nerr)
		rc = EXIT_BAD;

	diag_reset(&dg);
	files_free(&fl);
	return rc;
}


/* the ladder of a capture as a report scenario, for report.html */
static int trace_report(struct report *rp, const struct trace *tr,
			const char *path)
{
	struct report_scn *s;
	struct le *le;
	unsigned i;
	int err;

	err = report_scn_alloc(&s, rp);
	if (err)
		return err;

	s->capture = true;
	s->passed = true;
	err |= str_dup(&s->name, path);
	err |= str_dup(&s->file, path);
	err |= str_dup(&s->pcap, path);
	for (i = 0; i < tr->nparts; i++) {
		char a[64];

		re_snprintf(a, sizeof(a), "%J", &tr->parts[i]);
		err |= report_role_add(&s->roles, a, "participant", a);
	}

	for (le = tr->msgs.head; le && !err; le = le->next) {
		const struct trace_msg *m = le->data;
		struct report_msg *rm;

		err = report_msg_alloc(&rm, s);
		if (err)
			break;
		rm->frame = m->frame;
		rm->t_ms = m->t_us / 1000;
		err |= re_sdprintf(&rm->from, "%J", &tr->parts[m->from - 1]);
		err |= re_sdprintf(&rm->to, "%J", &tr->parts[m->to - 1]);
		err |= str_dup(&rm->line, m->line);
		err |= re_sdprintf(&rm->text, "%b", m->mb->buf,
				   m->mb->end > 16384 ? (size_t)16384
						      : m->mb->end);
	}

	return err;
}


/* sipflow ladder FILE.pcap [--html OUT] */
static int cmd_ladder(int argc, char *argv[])
{
	struct trace *tr = NULL;
	const char *html = NULL, *file = NULL;
	char *why = NULL;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			file = NULL;
			break;
		}
	}
	if (!file) {
		re_fprintf(stderr, "usage: sipflow ladder FILE.pcap "
			   "[--html OUT.html]\n");
		return EXIT_BAD;
	}

	err = trace_load(&tr, file, &why);
	if (err) {
		re_fprintf(stderr, "%s: %s\n", file, why ? why : strerror(err));
		mem_deref(why);
		return EXIT_BAD;
	}

	re_printf("%H", trace_print_ladder, tr);
	if (tr->st->malformed || tr->st->truncated)
		re_printf("\n%u malformed SIP messages and %u truncated "
			  "packets skipped\n", tr->st->malformed,
			  tr->st->truncated);

	if (html) {
		struct report *rp = NULL;

		err = report_alloc(&rp);
		if (!err)
			err = trace_report(rp, tr, file);
		if (!err)
			err = report_write_html(rp, html);
		if (err)
			re_fprintf(stderr, "%s: %m\n", html, err);
		mem_deref(rp);
	}

	mem_deref(why);
	mem_deref(tr);
	return err ? EXIT_BAD : EXIT_PASS;
}


/* sipflow diff OLD.pcap NEW.pcap [--ignore H] [--keep H] [--tolerance T]
 *              [--json] */
static int cmd_diff(int argc, char *argv[])
{
	const char *files[2] = {NULL, NULL}, *ignore[32], *keep[32];
	struct diff_opts o;
	struct trace *tr[2] = {NULL, NULL};
	struct list items = LIST_INIT;
	bool json = false;
	unsigned nf = 0;
	int i, err = 0, rc;

	memset(&o, 0, sizeof(o));
	o.ignore = ignore;
	o.keep = keep;
	o.tolerance_ms = 500;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ignore") && i + 1 < argc &&
		    o.nignore < ARRAY_SIZE(ignore))
			ignore[o.nignore++] = argv[++i];
		else if (!strcmp(argv[i], "--keep") && i + 1 < argc &&
			 o.nkeep < ARRAY_SIZE(keep))
			keep[o.nkeep++] = argv[++i];
		else if (!strcmp(argv[i], "--tolerance") && i + 1 < argc) {
			if (duration_parse(&o.tolerance_ms, argv[++i]))
				err = EINVAL;
		}
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] != '-' && nf < 2)
			files[nf++] = argv[i];
		else
			err = EINVAL;
	}

	if (err || nf != 2) {
		re_fprintf(stderr, "usage: sipflow diff OLD.pcap NEW.pcap "
			   "[--ignore HEADER]... [--keep HEADER]...\n"
			   "         [--tolerance 500ms] [--json]\n");
		return EXIT_BAD;
	}

	for (i = 0; i < 2; i++) {
		char *why = NULL;

		err = trace_load(&tr[i], files[i], &why);
		if (err) {
			re_fprintf(stderr, "%s: %s\n", files[i],
				   why ? why : strerror(err));
			mem_deref(why);
			rc = EXIT_BAD;
			goto out;
		}
		mem_deref(why);
	}

	err = diff_traces(&items, tr[0], tr[1], &o);
	if (err) {
		re_fprintf(stderr, "diff: %m\n", err);
		rc = EXIT_BAD;
		goto out;
	}

	if (json) {
		re_printf("%H\n", diff_print_json, &items);
	}
	else {
		re_printf("%s: %u SIP messages in %u calls; %s: %u in %u\n",
			  files[0], list_count(&tr[0]->msgs), tr[0]->ncalls,
			  files[1], list_count(&tr[1]->msgs), tr[1]->ncalls);
		re_printf("%H", diff_print, &items);
		re_printf("%u differences\n", list_count(&items));
	}
	rc = list_isempty(&items) ? EXIT_PASS : EXIT_FAIL;

 out:
	list_flush(&items);
	mem_deref(tr[0]);
	mem_deref(tr[1]);
	return rc;
}


struct verify {
	struct run *run;
	uint64_t t0;
	bool have_t0;
	int err;
};


static void verify_msg_h(const struct pcapr_msg *m, void *arg)
{
	struct verify *v = arg;
	uint64_t t = (uint64_t)m->ts.tv_sec * 1000 + m->ts.tv_usec / 1000;

	if (!v->have_t0) {
		v->t0 = t;
		v->have_t0 = true;
	}
	if (!v->err)
		v->err = run_inject(v->run, &m->src, &m->dst, m->p, m->len,
				    m->frame, t - v->t0);
}


static void verify_step_h(const struct run *run, const struct step *st,
			  const struct verdict *vd, void *arg)
{
	(void)run;
	console_step(arg, st, vd);
}


static void verify_log_h(const struct run *run, const char *line,
			 void *arg)
{
	(void)run;
	console_log(arg, line);
}


/* sipflow verify SCENARIO --pcap FILE [--role NAME=HOST:PORT]...
 *                [--out DIR] */
static int cmd_verify(int argc, char *argv[])
{
	const char *file = NULL, *pcap = NULL, *outdir = NULL;
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct report *rp = NULL;
	struct console con;
	struct verify v;
	struct run_handlers h = {verify_step_h, verify_log_h, NULL, &con};
	struct run_opts ro = {NULL, 0, true};
	struct diag dg;
	char *why = NULL;
	struct le *le;
	int i, err = 0, rc = EXIT_BAD;

	memset(&v, 0, sizeof(v));
	diag_init(&dg);
	if (testbed_alloc(&tb))
		return EXIT_BAD;

	for (i = 1; i < argc && !err; i++) {
		if (!strcmp(argv[i], "--pcap") && i + 1 < argc) {
			pcap = argv[++i];
		}
		else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			outdir = argv[++i];
		}
		else if (!strcmp(argv[i], "--role") && i + 1 < argc) {
			/* NAME=HOST:PORT: where the role is in the capture */
			const char *eq = strchr(argv[++i], '=');
			char arg[256];

			if (!eq) {
				err = EINVAL;
				break;
			}
			re_snprintf(arg, sizeof(arg), "%b=dut:%s", argv[i],
				    (size_t)(eq - argv[i]), eq + 1);
			if (testbed_add_arg(tb, arg, &dg))
				err = EINVAL;
		}
		else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		}
		else {
			err = EINVAL;
		}
	}

	if (err || !file || !pcap) {
		re_fprintf(stderr, "%H", diag_print, &dg);
		re_fprintf(stderr, "usage: sipflow verify SCENARIO --pcap FILE "
			   "[--role NAME=HOST:PORT]... [--out DIR]\n");
		goto out;
	}

	if (scenario_load(&sc, file, &dg))
		goto out;

	/* roles not named sit where sipflow puts them (127.0.0.10, …) */
	for (le = sc->roles.head; le; le = le->next) {
		struct role *r = le->data;
		struct le *be;
		bool bound = false;

		for (be = tb->bindings.head; be; be = be->next) {
			const struct binding *b = be->data;
			bound |= !strcmp(b->role, r->name);
		}
		if (!bound) {
			char arg[128];
			struct sa a;

			sa_set_in(&a, sa_in(&tb->base) + r->idx,
				  sa_port(&tb->base));
			re_snprintf(arg, sizeof(arg), "%s=dut:%J", r->name,
				    &a);
			if (testbed_add_arg(tb, arg, &dg))
				goto out;
		}
	}
	if (scenario_bind(sc, tb, &dg))
		goto out;

	console_init(&con, stdout, false);
	if (run_alloc(&v.run, sc, &ro, &h, &dg))
		goto out;

	console_begin(&con, sc, NULL);
	run_start(v.run);
	err = pcapr_read(pcap, verify_msg_h, &v, NULL, &why);
	if (err) {
		re_fprintf(stderr, "%s: %s\n", pcap, why ? why : strerror(err));
		goto out;
	}
	run_end_offline(v.run);
	console_end(&con, v.run, pcap);

	if (outdir && !mkdirs(outdir) && !report_alloc(&rp) &&
	    !report_add_run(rp, v.run, pcap, 0))
		write_reports(rp, outdir, NULL);

	rc = run_passed(v.run) ? EXIT_PASS : EXIT_FAIL;

 out:
	if (dg.nerr)
		re_fprintf(stderr, "%H", diag_print, &dg);
	diag_reset(&dg);
	mem_deref(why);
	mem_deref(rp);
	mem_deref(v.run);
	mem_deref(sc);
	mem_deref(tb);
	return rc;
}


static bool by_file_h(struct le *le1, struct le *le2, void *arg)
{
	const struct report_scn *a = le1->data, *b = le2->data;

	(void)arg;
	return strcmp(a->file ? a->file : "", b->file ? b->file : "") <= 0;
}


/* sipflow merge OUT DIR...: shard outputs into one report set */
static int cmd_merge(int argc, char *argv[])
{
	struct report *rp = NULL;
	char path[1024];
	struct stat st;
	int i, err, rc = EXIT_PASS;

	if (argc < 3) {
		re_fprintf(stderr, "usage: sipflow merge OUTDIR DIR|REPORT.json"
			   "...\n");
		return EXIT_BAD;
	}

	if (report_alloc(&rp))
		return EXIT_BAD;

	for (i = 2; i < argc; i++) {
		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			re_snprintf(path, sizeof(path), "%s/report.json",
				    argv[i]);
		else
			re_snprintf(path, sizeof(path), "%s", argv[i]);

		err = report_load_json(rp, path);
		if (err) {
			re_fprintf(stderr, "%s: %s\n", path,
				   err == EBADMSG ? "not a sipflow report.json"
				   : err == EPROTO ? "unknown report schema"
				   : strerror(err));
			rc = EXIT_BAD;
		}
	}

	if (rc == EXIT_PASS) {
		list_sort(&rp->scns, by_file_h, NULL);
		if (mkdirs(argv[1])) {
			re_fprintf(stderr, "%s: cannot create: %m\n", argv[1],
				   errno);
			rc = EXIT_BAD;
		}
	}

	if (rc == EXIT_PASS) {
		write_reports(rp, argv[1], NULL);
		re_printf("merged %u scenarios: %u passed, %u failed, %u not "
			  "run\n", list_count(&rp->scns),
			  report_count(rp, true), report_count(rp, false),
			  rp->notrun);
		if (report_count(rp, false) || rp->notrun)
			rc = EXIT_FAIL;
	}

	mem_deref(rp);
	return rc;
}


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
		  "2 bad input\n");
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
