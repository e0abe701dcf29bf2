/* engine/cli/cli_capture.c — sipflow ladder, diff and record: commands on
 * captures (verify: cli_verify.c) */
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
#include "cmdtab.h"
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
	struct cli_args a;
	char *why = NULL;
	unsigned npos = 0;
	int c, err;

	cli_args_init(&a, cli_cmd_find("ladder"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		if (c == 'H')
			html = a.arg;
		else if (c == CLI_POS && !npos++)
			file = a.arg;
		else
			npos = 2;
	}
	if (npos != 1)
		return cli_usage(a.cmd);

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
	struct cli_args a;
	bool json = false;
	unsigned nf = 0;
	int i, c, err = 0, rc;

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

	cli_args_init(&a, cli_cmd_find("diff"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END) {
		switch (c) {

		case 'i':
			ignore[o.nignore++] = a.arg;
			break;
		case 'k':
			keep[o.nkeep++] = a.arg;
			break;
		case 'T':
			if (duration_parse(&o.tolerance_ms, a.arg)) {
				re_fprintf(stderr, "--tolerance: '%s' is not "
					   "a duration (500ms, 2s)\n", a.arg);
				err = EINVAL;
			}
			break;
		case 'J':
			json = true;
			break;
		case CLI_POS:
			if (nf < 2)
				files[nf] = a.arg;
			++nf;
			break;
		default:
			err = EINVAL;
			break;
		}
	}

	if (err || nf != 2) {
		rc = err ? EXIT_BAD : cli_usage(a.cmd);
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
	struct cli_args a;
	char *why = NULL;
	int c, err = 0;

	cli_args_init(&a, cli_cmd_find("record"), argc, argv);
	while ((c = cli_args_next(&a)) != CLI_END && !err) {
		if (c == 'i')
			iface = a.arg;
		else if (c == 'F')
			filter = a.arg;
		else if (c == 'o')
			out = a.arg;
		else if (c == 'd' && duration_parse(&duration_ms, a.arg)) {
			re_fprintf(stderr, "--duration: '%s' is not a "
				   "duration (10s, 1m)\n", a.arg);
			err = EINVAL;
		}
		else if (c == CLI_POS) {
			re_fprintf(stderr, "sipflow record: '%s': record "
				   "takes no file but --out's\n", a.arg);
			err = EINVAL;
		}
	}
	if (err || !iface || !out) {
		if (!err)
			re_fprintf(stderr, "sipflow record: --interface and "
				   "--out are required\n");
		return cli_usage(a.cmd);
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
