/* engine/cli/suite_out.c — a suite's console output in the suite's order,
 * however many scenarios play at once, and each scenario's text for the
 * reports
 *
 * Each scenario writes its lines (header, steps, notes, as --verbose
 * prints them) to a console of its own, a memory stream, as it plays.
 * When it ends its text and summary line are kept in its report entry
 * (junit.xml's <system-out>), and what the console mode shows of it goes
 * out once every scenario before it in the suite's order has gone out:
 * the output of --jobs N is that of --jobs 1, but for the timing
 * figures. --verbose with one job prints the lines as they come too.
 * What a scenario shows:
 *  - CONSOLE_FULL: its lines and its summary line, then a blank line;
 *  - CONSOLE_BRIEF: a failing scenario as FULL, set apart by blank
 *    lines; a passing or skipped one its summary line alone;
 *  - CONSOLE_QUIET: nothing (the failures block at the end says it).
 * On a terminal, a progress line (reports/progress.c) sits under the
 * output and is erased before each write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "run.h"
#include "console.h"
#include "progress.h"
#include "report.h"
#include "suite_out.h"


/* one scenario's text, by its place in the suite */
struct held {
	struct console con;        /* where it writes as it plays */
	FILE *mf;                  /* its lines, open while it plays */
	char *buf;
	size_t len;
	char *line;                /* its summary line, as shown */
	bool ladder;               /* its lines are shown */
	bool started;
	bool done;
};

struct suite_out {
	struct console *con;       /* where everything goes in the end */
	struct progress *prog;     /* on a terminal, else NULL */
	struct held *h;            /* per place */
	unsigned total;
	unsigned shown;            /* places printed (or passed over) */
	bool live;                 /* lines printed as they come */
	bool blank;                /* the output ends with a blank line */
};


static void close_held(struct held *h)
{
	errno = 0;
	if (h->mf && fclose(h->mf) && !h->con.err)
		h->con.err = errno ? errno : ENOMEM;
	h->mf = NULL;
}


static void destructor(void *data)
{
	struct suite_out *so = data;
	unsigned i;

	for (i = 0; so->h && i < so->total; i++) {
		close_held(&so->h[i]);
		free(so->h[i].buf);
		mem_deref(so->h[i].line);
	}
	mem_deref(so->h);
	mem_deref(so->prog);
}


/** Output for total scenarios to con; parallel: more than one at once */
int suite_out_alloc(struct suite_out **sop, struct console *con,
		    unsigned total, bool parallel)
{
	struct suite_out *so;
	int err;

	if (!sop || !con)
		return EINVAL;

	so = mem_zalloc(sizeof(*so), destructor);
	if (!so)
		return ENOMEM;

	so->con = con;
	so->total = total;
	so->blank = true;
	so->live = !parallel && con->mode == CONSOLE_FULL;
	so->h = mem_zalloc((total ? total : 1) * sizeof(*so->h), NULL);
	err = so->h ? progress_alloc(&so->prog, con->f, total) : ENOMEM;
	if (err) {
		mem_deref(so);
		return err;
	}

	*sop = so;
	return 0;
}


static void put(struct suite_out *so, const char *p, size_t n)
{
	errno = 0;
	if (n && fwrite(p, 1, n, so->con->f) != n && !so->con->err)
		so->con->err = errno ? errno : EIO;
}


/** The console the scenario at place order writes to */
struct console *suite_out_console(struct suite_out *so, unsigned order)
{
	struct held *h;

	if (!so->h || order >= so->total)
		return so->con;

	h = &so->h[order];
	if (!h->mf && !h->done) {
		h->mf = open_memstream(&h->buf, &h->len);
		if (!h->mf)
			return so->con;  /* out of memory: printed at once */
		console_init(&h->con, h->mf, false);
		h->con.color = so->con->color;
	}

	return h->mf ? &h->con : so->con;
}


/** The scenario sc at place order starts playing: its header */
void suite_out_begin(struct suite_out *so, unsigned order,
		     const struct scenario *sc, const char *pcap)
{
	progress_start(so->prog, sc->name);
	console_begin(suite_out_console(so, order), sc, pcap);
	if (so->live) {
		progress_clear(so->prog);
		console_begin(so->con, sc, pcap);
		progress_draw(so->prog);
	}
}


/** A step of the scenario at place order got its verdict */
void suite_out_step(struct suite_out *so, unsigned order,
		    const struct step *st, const struct verdict *v)
{
	console_step(suite_out_console(so, order), st, v);
	if (so->live) {
		progress_clear(so->prog);
		console_step(so->con, st, v);
		progress_draw(so->prog);
	}
}


/** A note of the scenario at place order */
void suite_out_log(struct suite_out *so, unsigned order, const char *line)
{
	console_log(suite_out_console(so, order), line);
	if (so->live) {
		progress_clear(so->prog);
		console_log(so->con, line);
		progress_draw(so->prog);
	}
}


/* print the places that are done, up to the first that is not */
static void show(struct suite_out *so, bool all)
{
	progress_clear(so->prog);
	while (so->shown < so->total) {
		struct held *h = &so->h[so->shown];

		if (!h->done && !all)
			break;
		close_held(h);
		if (h->ladder && !so->live && !so->blank)
			put(so, "\n", 1);
		if (h->ladder && !so->live)
			put(so, h->buf, h->len);
		if (h->line)
			put(so, h->line, strlen(h->line));
		if (h->line && h->ladder) {
			put(so, "\n", 1);
			so->blank = true;
		}
		else if (h->line) {
			so->blank = false;
		}
		if (h->con.err && !so->con->err)
			so->con->err = h->con.err;
		free(h->buf);
		h->buf = NULL;
		++so->shown;
	}
	so->con->blank = so->blank;
	(void)console_err(so->con);
	progress_draw(so->prog);
}


/* the scenario at place order said all it says: out it goes once every
 * place before it is out */
static void done(struct suite_out *so, unsigned order)
{
	if (!so || !so->h || order >= so->total)
		return;

	if (so->h[order].mf)
		(void)fflush(so->h[order].mf);
	so->h[order].done = true;
	show(so, false);
}


/* the summary line as the console shows it: progress counter, colour */
static int summary(char **linep, const struct suite_out *so,
		   unsigned order, const struct run *run, const char *pcap,
		   const struct scenario *sc, const char *why)
{
	struct console c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return ENOMEM;

	console_init(&c, f, false);
	c.mode = CONSOLE_BRIEF;
	c.color = so->con->color;
	console_progress(&c, order + 1, so->total);
	if (run)
		console_end(&c, run, pcap);
	else
		console_skip(&c, sc, why);
	err = fclose(f) ? ENOMEM : c.err;
	if (!err)
		err = str_dup(linep, buf ? buf : "");
	free(buf);

	return err;
}


/* keep the held text, then what console_end or console_skip prints
 * without a counter, as the scenario's console text in the report */
static int keep(struct suite_out *so, struct held *h, const struct run *run,
		const char *pcap, const struct scenario *sc, const char *why,
		struct report_scn *s)
{
	struct console c;

	if (!h->mf)
		return 0;

	(void)so;
	console_init(&c, h->mf, false);
	c.mode = CONSOLE_BRIEF;
	c.color = false;
	if (run)
		console_end(&c, run, pcap);
	else
		console_skip(&c, sc, why);
	if (fflush(h->mf))
		return ENOMEM;

	return s ? report_scn_console(s, h->buf, h->len) : 0;
}


/** The scenario at place order ended: its text into s (its report
 *  entry), its summary line and, as the mode says, its lines out */
int suite_out_end(struct suite_out *so, unsigned order,
		  const struct run *run, const char *pcap,
		  struct report_scn *s)
{
	const struct scenario *sc = run_scenario(run);
	bool ok = run_passed(run);
	struct held *h;
	size_t body;
	int err = 0;

	if (!so || !so->h || order >= so->total)
		return EINVAL;

	h = &so->h[order];
	progress_end(so->prog, sc->name, ok ? PROGRESS_PASS : PROGRESS_FAIL);
	if (h->mf)
		(void)fflush(h->mf);
	body = h->len;
	err = keep(so, h, run, pcap, NULL, NULL, s);
	h->len = body;   /* shown: the lines, then the counted summary */
	h->ladder = so->con->mode == CONSOLE_FULL ||
		    (so->con->mode == CONSOLE_BRIEF && !ok);
	if (so->con->mode != CONSOLE_QUIET)
		err |= summary(&h->line, so, order, run, pcap, NULL, NULL);
	if (h->mf) {
		close_held(h);
		h->len = body;
	}
	done(so, order);

	return err;
}


/** The scenario sc at place order was not played, why: skipped */
int suite_out_skip(struct suite_out *so, unsigned order,
		   const struct scenario *sc, const char *why,
		   struct report_scn *s)
{
	struct held *h;
	int err = 0;

	if (!so || !so->h || order >= so->total)
		return EINVAL;

	h = &so->h[order];
	progress_end(so->prog, sc->name, PROGRESS_SKIP);
	(void)suite_out_console(so, order);
	err = keep(so, h, NULL, NULL, sc, why, s);
	close_held(h);
	h->len = 0;
	h->ladder = so->con->mode == CONSOLE_FULL;
	if (so->con->mode != CONSOLE_QUIET)
		err |= summary(&h->line, so, order, NULL, NULL, sc, why);
	done(so, order);

	return err;
}


/** The scenario sc at place order could not be started: refused (what
 *  went to stderr, why, is its console text) */
int suite_out_refused(struct suite_out *so, unsigned order,
		      const struct scenario *sc, const char *why,
		      struct report_scn *s)
{
	int err = 0;

	if (!so || !so->h || order >= so->total)
		return EINVAL;

	progress_end(so->prog, sc ? sc->name : NULL, PROGRESS_REFUSED);
	if (s && why)
		err = report_scn_console(s, why, strlen(why));
	close_held(&so->h[order]);
	so->h[order].len = 0;
	done(so, order);

	return err;
}


/** Erase the progress line, before a line goes to stderr (the same
 *  terminal, most often); the next event draws it again */
void suite_out_clear(struct suite_out *so)
{
	if (so)
		progress_clear(so->prog);
}


/** The suite ended: whatever is held goes out, in order (a scenario not
 *  played leaves no gap), and the progress line goes */
void suite_out_flush(struct suite_out *so)
{
	if (!so || !so->h)
		return;

	show(so, true);
	so->prog = mem_deref(so->prog);
}
