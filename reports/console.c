/* reports/console.c — the live console report: a line per step
 *
 * What a run says of a peer's message (a step's reason, a note) may hold
 * its bytes: they go out through esc_term (engine/model/esc.c), so no
 * byte of a peer reaches the terminal raw — no escape sequence, CR or
 * line break of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <re.h>
#include "scenario.h"
#include "esc.h"
#include "run.h"
#include "rules.h"
#include "console.h"


#define RED    "\x1b[31m"
#define GREEN  "\x1b[32m"
#define YELLOW "\x1b[33m"
#define DIM    "\x1b[2m"
#define RESET  "\x1b[0m"


/* out it goes now; the first write that fails is kept (console_err) */
static void flush(struct console *c)
{
	errno = 0;
	if ((fflush(c->f) || ferror(c->f)) && !c->err)
		c->err = errno ? errno : EIO;
}


/** The first write to the console that failed (an errno), 0 if none */
int console_err(struct console *c)
{
	flush(c);
	return c->err;
}


/** Colour only when f is a terminal and NO_COLOR is unset; quiet: no
 *  scenario's lines (CONSOLE_QUIET), else all (CONSOLE_FULL) */
void console_init(struct console *c, FILE *f, bool quiet)
{
	c->f = f;
	c->err = 0;
	c->mode = quiet ? CONSOLE_QUIET : CONSOLE_FULL;
	c->sc = NULL;
	c->blank = true;
	c->progress[0] = '\0';
	c->color = isatty(fileno(f)) && !getenv("NO_COLOR");
}


static const char *paint(const struct console *c, enum verdict_status s)
{
	if (!c->color)
		return "";

	switch (s) {

	case VERDICT_PASS:   return GREEN;
	case VERDICT_FAIL:   return RED;
	case VERDICT_SKIP:   return YELLOW;
	default:             return DIM;
	}
}


void console_begin(struct console *c, const struct scenario *sc,
		   const char *pcap)
{
	(void)pcap;
	c->sc = sc;
	if (c->mode != CONSOLE_FULL)
		return;

	re_fprintf(c->f, "%s%s%s\n", sc->name, sc->title ? " — " : "",
		   sc->title ? sc->title : "");
	flush(c);
}


/* "tests/x.yaml:42: " before a failed step's reason: where the step is
 * written (a step the testbed added is written nowhere) */
static void where(struct console *c, const struct step *st,
		  const struct verdict *v)
{
	const char *file = step_file(c->sc, st);

	if (v->status == VERDICT_FAIL && !st->setup && st->pos.line && file)
		re_fprintf(c->f, "%H:%u: ", esc_term_str, file,
			   st->pos.line);
}


/** F5  302 Moved Temporarily  B -> P  pass  frame 9 */
void console_step(struct console *c, const struct step *st,
		  const struct verdict *v)
{
	char w[64], dir[40];

	if (c->mode != CONSOLE_FULL || st->type == STEP_GROUP)
		return;

	re_snprintf(w, sizeof(w), "%H", step_print, st);
	if (st->type != STEP_MSG)
		dir[0] = '\0';
	else
		re_snprintf(dir, sizeof(dir), "%s -> %s", st->from->name,
			    st->to->name);

	re_fprintf(c->f, "  %-6s %-26s %-10s %s%-7s%s",
		   st->type == STEP_MSG ? st->id : "", w, dir,
		   paint(c, v->status), verdict_name(v->status),
		   c->color ? RESET : "");
	if (v->frame)
		re_fprintf(c->f, " frame %u", v->frame);
	if (v->device_ms >= 0)
		re_fprintf(c->f, "  %s %lld ms", v->stimulus ? "driver"
			   : "device", (long long)v->device_ms);
	if (v->reason) {
		re_fprintf(c->f, "\n  %-6s %s", "", paint(c, v->status));
		where(c, st, v);
		re_fprintf(c->f, "%H%s", esc_term_str, v->reason,
			   c->color ? RESET : "");
	}
	re_fprintf(c->f, "\n");
	flush(c);
}


/** A note from the run: absorbed retransmissions and the like */
void console_log(struct console *c, const char *line)
{
	if (c->mode != CONSOLE_FULL)
		return;

	re_fprintf(c->f, "  %s%-6s note: %H%s\n", c->color ? DIM : "", "",
		   esc_term_str, line, c->color ? RESET : "");
	flush(c);
}


/** Remember "[done/total]" for the next summary line of a suite */
void console_progress(struct console *c, unsigned done, unsigned total)
{
	if (total > 1)
		re_snprintf(c->progress, sizeof(c->progress), "[%u/%u] ",
			    done, total);
	else
		c->progress[0] = '\0';
}


/* "  warnings: CONTACT-3XX at F2, …": the SHOULDs of the RFC its
 * messages broke, which a scenario passes with (its notes say more) */
static void warnings(struct console *c, const struct run *run)
{
	struct le *le;
	unsigned n = 0;

	for (le = run_findings(run)->head; le; le = le->next) {
		const struct finding *f = le->data;

		if (f->sev != RULE_WARNING || f->strict)
			continue;
		if (n++ < 3)
			re_fprintf(c->f, "%s%s%s%s", n == 1 ? "  warnings: "
				   : ", ", f->rule->id, f->step ? " at " : "",
				   f->step ? f->step : "");
	}
	if (n > 3)
		re_fprintf(c->f, " and %u more", n - 3);
}


/** The scenario's summary line (then a blank line but in a brief
 *  console: a scenario's lines are set apart) */
void console_end(struct console *c, const struct run *run,
		 const char *pcap)
{
	const struct scenario *sc = run_scenario(run);
	bool ok = run_passed(run);
	uint64_t ms = run_elapsed_ms(run);
	const char *why = NULL;
	int err = run_pcap_error(run, &why);

	re_fprintf(c->f, "%s%s%s%s %s: %u passed, %u failed, %u skipped, "
		   "%u not run (%llu.%03llu s)%s%s", c->progress,
		   paint(c, ok ? VERDICT_PASS : VERDICT_FAIL),
		   ok ? "PASS" : "FAIL", c->color ? RESET : "", sc->name,
		   run_count(run, VERDICT_PASS), run_count(run, VERDICT_FAIL),
		   run_count(run, VERDICT_SKIP),
		   run_count(run, VERDICT_NOTRUN),
		   (unsigned long long)(ms / 1000),
		   (unsigned long long)(ms % 1000), pcap ? "  pcap " : "",
		   pcap ? pcap : "");
	if (err)
		re_fprintf(c->f, " (not whole: %s: %m)", why, err);
	warnings(c, run);
	re_fprintf(c->f, "\n");
	if (c->mode == CONSOLE_FULL)
		re_fprintf(c->f, "\n");
	flush(c);
}


/** A scenario not played: what plays a role cannot serve it */
void console_skip(struct console *c, const struct scenario *sc,
		  const char *why)
{
	re_fprintf(c->f, "%s%sSKIP%s %s: skipped: %H\n", c->progress,
		   paint(c, VERDICT_SKIP), c->color ? RESET : "", sc->name,
		   esc_term_str, why);
	if (c->mode == CONSOLE_FULL)
		re_fprintf(c->f, "\n");
	flush(c);
}


/** The closing line of a suite */
void console_total(struct console *c, unsigned passed, unsigned failed,
		   unsigned skipped, unsigned notrun, unsigned refused,
		   uint64_t ms)
{
	re_fprintf(c->f, "scenarios: %u passed, %u failed", passed, failed);
	if (skipped)
		re_fprintf(c->f, ", %u skipped", skipped);
	if (notrun)
		re_fprintf(c->f, ", %u not run", notrun);
	if (refused)
		re_fprintf(c->f, ", %u refused (see above)", refused);
	re_fprintf(c->f, " (%llu.%03llu s)\n", (unsigned long long)(ms / 1000),
		   (unsigned long long)(ms % 1000));
	flush(c);
}
