/* reports/progress.c — a suite's live progress line, on a terminal only
 *
 * While a suite plays, the last line of a terminal says how far it is:
 * "[12/53] 10 passed, 1 failed, 1 skipped  3.2 s  playing basic-call,
 * blind-transfer". It is redrawn in place (CR, then erase to the end of
 * the line) when a scenario starts or ends and every half second, cut to
 * the terminal's width so it never wraps, and erased before any other
 * line is printed (progress_clear) and at the end. Where the output is
 * not a terminal (a CI log, a pipe, a file) nothing of it is written: a
 * log gets the scenarios' own lines only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <re.h>
#include "progress.h"


enum { MAX_PLAYING = 64, TICK_MS = 500 };

struct progress {
	FILE *f;
	struct tmr tmr;
	uint64_t t0;
	unsigned total, done, passed, failed, skipped, refused;
	const char *playing[MAX_PLAYING];
	bool shown;                /* a line is on the screen */
};


static void destructor(void *data)
{
	struct progress *p = data;

	tmr_cancel(&p->tmr);
	progress_clear(p);
}


/* the terminal's width, 80 if it does not say */
static unsigned width(FILE *f)
{
	struct winsize ws;

	if (!ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;

	return 80;
}


static void tick(void *arg)
{
	struct progress *p = arg;

	progress_draw(p);
	tmr_start(&p->tmr, TICK_MS, tick, p);
}


/**
 * A progress line for a suite of total scenarios on f; *pp is NULL (and
 * 0 returned) when f is not a terminal or TERM is dumb: nothing to draw
 */
int progress_alloc(struct progress **pp, FILE *f, unsigned total)
{
	const char *term = getenv("TERM");
	struct progress *p;

	if (!pp || !f)
		return EINVAL;

	*pp = NULL;
	if (!isatty(fileno(f)) || (term && !strcmp(term, "dumb")))
		return 0;

	p = mem_zalloc(sizeof(*p), destructor);
	if (!p)
		return ENOMEM;

	p->f = f;
	p->total = total;
	p->t0 = tmr_jiffies();
	tmr_init(&p->tmr);
	tmr_start(&p->tmr, TICK_MS, tick, p);

	*pp = p;
	return 0;
}


/** A scenario started playing */
void progress_start(struct progress *p, const char *name)
{
	unsigned i;

	if (!p)
		return;

	for (i = 0; i < MAX_PLAYING; i++) {
		if (!p->playing[i]) {
			p->playing[i] = name;
			break;
		}
	}
	progress_draw(p);
}


/** A scenario ended (or was skipped or refused without playing) */
void progress_end(struct progress *p, const char *name,
		  enum progress_end how)
{
	unsigned i;

	if (!p)
		return;

	for (i = 0; i < MAX_PLAYING; i++) {
		if (p->playing[i] == name)
			p->playing[i] = NULL;
	}
	++p->done;
	switch (how) {

	case PROGRESS_PASS:    ++p->passed;  break;
	case PROGRESS_FAIL:    ++p->failed;  break;
	case PROGRESS_SKIP:    ++p->skipped; break;
	default:               ++p->refused; break;
	}
	progress_draw(p);
}


/** Erase the line, so that other output starts on a clean line */
void progress_clear(struct progress *p)
{
	if (!p || !p->shown)
		return;

	(void)fputs("\r\x1b[K", p->f);
	(void)fflush(p->f);
	p->shown = false;
}


/** Draw the line anew */
void progress_draw(struct progress *p)
{
	char line[512];
	unsigned long long ms;
	unsigned i, n, w;
	int k;

	if (!p)
		return;

	ms = tmr_jiffies() - p->t0;
	k = re_snprintf(line, sizeof(line), "[%u/%u] %u passed, %u failed",
			p->done, p->total, p->passed, p->failed);
	n = k > 0 ? (unsigned)k : 0;
	if (p->skipped && n < sizeof(line))
		n += (unsigned)re_snprintf(line + n, sizeof(line) - n,
					   ", %u skipped", p->skipped);
	if (p->refused && n < sizeof(line))
		n += (unsigned)re_snprintf(line + n, sizeof(line) - n,
					   ", %u refused", p->refused);
	if (n < sizeof(line))
		n += (unsigned)re_snprintf(line + n, sizeof(line) - n,
					   "  %llu.%u s", ms / 1000,
					   (unsigned)(ms % 1000 / 100));
	for (i = 0, k = 0; i < MAX_PLAYING && n < sizeof(line); i++) {
		if (!p->playing[i])
			continue;
		n += (unsigned)re_snprintf(line + n, sizeof(line) - n, "%s%s",
					   k++ ? ", " : "  playing ",
					   p->playing[i]);
	}

	/* never wider than the terminal: a wrapped line cannot be
	 * redrawn in place */
	w = width(p->f) - 1;
	if (n > w)
		n = w;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	line[n] = '\0';

	(void)fprintf(p->f, "\r%s\x1b[K", line);
	(void)fflush(p->f);
	p->shown = true;
}
