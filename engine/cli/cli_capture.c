/* engine/cli/cli_capture.c — sipflow ladder, diff and verify: commands on
 * captures */
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
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "esc.h"
#include "rules.h"
#include "suite.h"
#include "trace.h"
#include "pcapr.h"
#include "diff.h"
#include "cli.h"
#include "live.h"
#include <signal.h>


/* the ladder of a capture as a report scenario, for report.html */
struct html {
	struct report_scn *s;
	struct trace *tr;
	int err;
};


static void html_msg_h(const struct pcapr_msg *pm, void *arg)
{
	struct html *h = arg;
	struct report_msg *rm;
	struct trace_msg m;

	if (h->err)
		return;

	h->err = trace_place(h->tr, &m, pm);
	if (!h->err)
		h->err = report_msg_alloc(&rm, h->s);
	if (h->err)
		return;

	rm->frame = m.frame;
	rm->t_ms = m.t_us / 1000;
	h->err |= re_sdprintf(&rm->from, "%J", &h->tr->parts[m.from - 1]);
	h->err |= re_sdprintf(&rm->to, "%J", &h->tr->parts[m.to - 1]);
	h->err |= report_msg_bytes(rm, pm->p, pm->len);
}


/* tr has read the capture once already: its participants are known */
static int trace_report(struct report *rp, struct trace *tr,
			const char *path)
{
	struct report_scn *s;
	struct html h;
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
	if (err)
		return err;

	h.s = s;
	h.tr = tr;
	h.err = 0;
	err = trace_read(tr, path, html_msg_h, &h, NULL);

	return err ? err : h.err;
}


/* stdout for a re_printf; the errno of a write that failed in the int
 * at arg */
static int stdout_h(const char *p, size_t size, void *arg)
{
	int *werr = arg;

	errno = 0;
	if (fwrite(p, 1, size, stdout) == size)
		return 0;

	*werr = errno ? errno : EIO;
	return *werr;
}


/* sipflow ladder FILE.pcap [--html OUT] */
int cmd_ladder(int argc, char *argv[])
{
	int werr = 0;
	struct re_printf pf = {stdout_h, &werr};
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

	err = trace_alloc(&tr);
	if (!err)
		err = trace_ladder(&pf, tr, file, &why);
	if (err == EPIPE) {
		/* the reader has seen enough (| head) */
		mem_deref(why);
		mem_deref(tr);
		return EXIT_PASS;
	}
	if (err && werr) {
		re_fprintf(stderr, "sipflow ladder: stdout: cannot write: "
			   "%m\n", werr);
		mem_deref(why);
		mem_deref(tr);
		return EXIT_BAD;
	}
	if (err) {
		re_fprintf(stderr, "%s: %s\n", file,
			   why ? why : strerror(err));
		mem_deref(why);
		mem_deref(tr);
		return EXIT_BAD;
	}

	if (tr->st.malformed || tr->st.truncated)
		re_printf("\n%u malformed SIP messages and %u truncated "
			  "packets skipped\n", tr->st.malformed,
			  tr->st.truncated);

	if (html) {
		struct report *rp = NULL;

		err = report_alloc(&rp);
		if (!err)
			err = trace_report(rp, tr, file);
		if (err)
			re_fprintf(stderr, "%s: %m\n", file, err);
		else if ((err = report_write_html(rp, html)) != 0)
			re_fprintf(stderr, "%s: cannot write: %m\n", html,
				   err);
		mem_deref(rp);
	}

	/* the ladder's last lines wait in stdout's buffer till here */
	werr = stdout_flush();
	if (werr)
		re_fprintf(stderr, "sipflow ladder: stdout: cannot write: "
			   "%m\n", werr);

	mem_deref(why);
	mem_deref(tr);
	return err || werr ? EXIT_BAD : EXIT_PASS;
}


/* sipflow diff OLD.pcap NEW.pcap [--ignore H] [--keep H] [--tolerance T]
 *              [--json] */
int cmd_diff(int argc, char *argv[])
{
	const char *files[2] = {NULL, NULL}, **ignore = NULL, **keep = NULL;
	struct diff_opts o;
	struct diff_capture *dc[2] = {NULL, NULL};
	struct list items = LIST_INIT;
	bool json = false;
	unsigned nf = 0;
	int i, err = 0, rc;

	memset(&o, 0, sizeof(o));
	o.tolerance_ms = 500;

	/* a place for every --ignore and --keep there can be: none is
	 * dropped, however many are given */
	ignore = mem_zalloc((size_t)argc * sizeof(*ignore), NULL);
	keep = mem_zalloc((size_t)argc * sizeof(*keep), NULL);
	if (!ignore || !keep) {
		rc = EXIT_BAD;
		goto out;
	}
	o.ignore = ignore;
	o.keep = keep;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ignore") && i + 1 < argc)
			ignore[o.nignore++] = argv[++i];
		else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
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
		rc = EXIT_BAD;
		goto out;
	}

	for (i = 0; i < 2; i++) {
		char *why = NULL;

		err = diff_load(&dc[i], files[i], &o, &why);
		if (err) {
			re_fprintf(stderr, "%s: %s\n", files[i],
				   why ? why : strerror(err));
			mem_deref(why);
			rc = EXIT_BAD;
			goto out;
		}
		mem_deref(why);
	}

	err = diff_captures(&items, dc[0], dc[1], &o);
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
			  files[0], diff_capture_msgs(dc[0]),
			  diff_capture_calls(dc[0]), files[1],
			  diff_capture_msgs(dc[1]),
			  diff_capture_calls(dc[1]));
		re_printf("%H", diff_print, &items);
		re_printf("%u differences\n", list_count(&items));
	}
	rc = list_isempty(&items) ? EXIT_PASS : EXIT_FAIL;
	err = stdout_flush();
	if (err) {
		re_fprintf(stderr, "sipflow diff: stdout: cannot write: %m\n",
			   err);
		rc = EXIT_BAD;
	}

 out:
	list_flush(&items);
	mem_deref(dc[0]);
	mem_deref(dc[1]);
	mem_deref(ignore);
	mem_deref(keep);
	return rc;
}


struct verify {
	struct run *run;
	uint64_t t0;
	bool have_t0;
	int err;
};


/* the reader only scans; what libre does not decode is not a message of
 * the flow to the runner either (it was never fed one) */
static bool decodes(const struct pcapr_msg *m)
{
	struct mbuf *mb = mbuf_alloc(m->len);
	struct sip_msg *msg = NULL;
	bool ok;

	if (!mb)
		return false;
	(void)mbuf_write_mem(mb, m->p, m->len);
	mb->pos = 0;
	ok = !sip_msg_decode(&msg, mb) && msg;
	mem_deref(msg);
	mem_deref(mb);

	return ok;
}


static void verify_msg_h(const struct pcapr_msg *m, void *arg)
{
	struct verify *v = arg;
	uint64_t t = (uint64_t)m->ts.tv_sec * 1000 + m->ts.tv_usec / 1000;

	if (!decodes(m))
		return;

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
int cmd_verify(int argc, char *argv[])
{
	const char *file = NULL, *pcap = NULL, *outdir = NULL;
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	struct report *rp = NULL;
	struct console con;
	struct verify v;
	struct run_handlers h = {verify_step_h, verify_log_h, NULL, &con};
	struct run_opts ro = {.offline = true};
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
		re_fprintf(stderr, "usage: sipflow verify SCENARIO --pcap "
			   "FILE [--role NAME=HOST:PORT]... [--out DIR]\n");
		goto out;
	}

	if (scenario_load(&sc, file, &dg))
		goto out;

	/* roles not named sit where a run of this scenario alone puts
	 * them (127.0.0.10, …, past the named ones' addresses) */
	if (!scenario_bind(sc, tb, NULL)) {
		for (le = sc->roles.head; le; le = le->next) {
			struct role *r = le->data;
			char arg[128];

			if (!r->auto_addr)
				continue;
			re_snprintf(arg, sizeof(arg), "%s=dut:%J", r->name,
				    &r->addr);
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
		re_fprintf(stderr, "%s: %s\n", pcap,
			   why ? why : strerror(err));
		goto out;
	}
	run_end_offline(v.run);
	console_end(&con, v.run, pcap);

	rc = run_passed(v.run) ? EXIT_PASS : EXIT_FAIL;

	/* reports that cannot be written fail the command */
	if (outdir && mkdirs(outdir)) {
		re_fprintf(stderr, "%s: cannot create: %m\n", outdir, errno);
		rc = EXIT_BAD;
	}
	else if (outdir && !report_alloc(&rp) &&
		 !report_add_run(rp, v.run, pcap, 0) &&
		 write_reports(rp, outdir, NULL)) {
		rc = EXIT_BAD;
	}

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


static void record_stop_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static void record_signal_h(int sig)
{
	(void)sig;
	re_cancel();
}


/* sipflow record --interface IF [--filter BPF] --out FILE
 *                [--duration 10s] */
int cmd_record(int argc, char *argv[])
{
	const char *iface = NULL, *filter = NULL, *out = NULL;
	uint32_t duration_ms = 0;
	struct live *lv = NULL;
	struct tmr tmr;
	char *why = NULL;
	int i, err = 0;

	for (i = 1; i < argc && !err; i++) {
		if (!strcmp(argv[i], "--interface") && i + 1 < argc)
			iface = argv[++i];
		else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
			filter = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--duration") && i + 1 < argc)
			err = duration_parse(&duration_ms, argv[++i]);
		else
			err = EINVAL;
	}
	if (err || !iface || !out) {
		re_fprintf(stderr, "usage: sipflow record --interface IF "
			   "[--filter BPF] --out FILE.pcap [--duration T]\n");
		return EXIT_BAD;
	}

	err = live_open(&lv, iface, filter, NULL, NULL, &why);
	if (!err)
		err = live_dump(lv, out);
	if (err) {
		re_fprintf(stderr, "sipflow record: %s\n",
			   why ? why : strerror(err));
		mem_deref(why);
		mem_deref(lv);
		return EXIT_BAD;
	}

	re_printf("recording %s%s%s to %s; SIGINT or SIGTERM stops\n", iface,
		  filter ? " filtered by " : "", filter ? filter : "", out);
	/* the line says the capture is on: a script waits for it (to a
	 * file, stdout is held in a buffer until the end otherwise) */
	(void)stdout_flush();
	tmr_init(&tmr);
	if (duration_ms)
		tmr_start(&tmr, duration_ms, record_stop_h, NULL);
	(void)re_main(record_signal_h);
	tmr_cancel(&tmr);

	err = live_dump_close(lv);
	if (err)
		re_fprintf(stderr, "%s: cannot write: %m\n", out, err);
	else
		re_printf("%u packets written to %s\n", live_count(lv), out);
	mem_deref(lv);
	return err ? EXIT_BAD : EXIT_PASS;
}
