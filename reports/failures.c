/* reports/failures.c — the block a suite's console ends with: each
 * scenario that failed or was refused, its first failing step, why, and
 * where that step is written
 *
 * It is made from the report, so it is the same whatever the console
 * showed before it (--quiet prints it alone, with the closing line): a
 * person reading a CI log finds every failure in one place, at the end,
 * with a file:line to open.
 *
 *   failed scenarios (2):
 *     blind-transfer: F5 183 Session Progress B -> A
 *       scenarios/yealink/blind-transfer.yaml:42: expected 183, got 180
 *     bad-role: refused
 *       tests/x.yaml:7:9: role Q is not declared (roles: A, B)
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "esc.h"
#include "report.h"
#include "console.h"


#define RED    "\x1b[31m"
#define RESET  "\x1b[0m"


static bool failed(const struct report_scn *s)
{
	return s->refused || (!s->skipped && !s->passed);
}


static unsigned notrun(const struct report_scn *s)
{
	struct le *le;
	unsigned n = 0;

	for (le = s->steps.head; le; le = le->next) {
		const struct report_step *st = le->data;
		n += !strcmp(st->status, "notrun");
	}

	return n;
}


static void one(struct console *c, const struct report_scn *s)
{
	const struct report_step *st = report_first_failed(s);
	const char *red = c->color ? RED : "", *reset = c->color ? RESET : "";

	if (s->refused) {
		re_fprintf(c->f, "  %s%H%s: refused\n    %H\n", red,
			   esc_term_str, s->name, reset, esc_term_str,
			   s->refused);
		return;
	}

	if (!st) {
		re_fprintf(c->f, "  %s%H%s: did not finish (%u step%s not "
			   "run)\n    %H\n", red, esc_term_str, s->name, reset,
			   notrun(s), notrun(s) == 1 ? "" : "s",
			   esc_term_str, s->file);
		return;
	}

	re_fprintf(c->f, "  %s%H%s: %H %H", red, esc_term_str, s->name, reset,
		   esc_term_str, st->id, esc_term_str, st->what);
	if (st->from && st->to)
		re_fprintf(c->f, " %H -> %H", esc_term_str, st->from,
			   esc_term_str, st->to);
	re_fprintf(c->f, "%s\n    ", st->interrupted ? " (interrupted)"
		   : "");
	if (st->line)
		re_fprintf(c->f, "%H:%u: ", esc_term_str, st->file ? st->file
			   : s->file, st->line);
	re_fprintf(c->f, "%H", esc_term_str, st->reason ? st->reason
		   : "failed");
	if (st->frame)
		re_fprintf(c->f, " (pcap frame %u)", st->frame);
	re_fprintf(c->f, "\n");
}


/** The failures block: nothing when every scenario passed or was
 *  skipped */
void console_failures(struct console *c, const struct report *rp)
{
	struct le *le;
	unsigned n = 0;

	for (le = rp ? rp->scns.head : NULL; le; le = le->next)
		n += failed(le->data);
	if (!n)
		return;

	re_fprintf(c->f, "%sfailed scenarios (%u):\n", c->blank ? "" : "\n",
		   n);
	for (le = rp->scns.head; le; le = le->next) {
		if (failed(le->data))
			one(c, le->data);
	}
	(void)console_err(c);
}
