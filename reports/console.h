/* reports/console.h — the live console report: a line per step */
#ifndef SIPFLOW_CONSOLE_H
#define SIPFLOW_CONSOLE_H

struct report;
struct run;
struct scenario;
struct step;
struct verdict;

/** What a suite prints of each scenario
 *  (docs/decisions/0032-ci-console-and-junit.md) */
enum console_mode {
	CONSOLE_FULL = 0,      /* every scenario's steps and notes */
	CONSOLE_BRIEF,         /* a failing scenario's, a line for the rest */
	CONSOLE_QUIET,         /* nothing of each: the failures at the end */
};

struct console {
	FILE *f;
	char progress[24];     /* "[2/30] " before a summary */
	bool color;            /* ANSI colours, only on a terminal */
	enum console_mode mode;
	const struct scenario *sc; /* the scenario printed (its file) */
	bool blank;            /* what was printed ends with a blank line
				  (or nothing was) */
	int err;               /* the first write that failed, or 0 */
};

void console_init(struct console *c, FILE *f, bool quiet);
void console_begin(struct console *c, const struct scenario *sc,
		   const char *pcap);
void console_step(struct console *c, const struct step *st,
		  const struct verdict *v);
void console_log(struct console *c, const char *line);
void console_end(struct console *c, const struct run *run,
		 const char *pcap);
void console_progress(struct console *c, unsigned done, unsigned total);
void console_skip(struct console *c, const struct scenario *sc,
		  const char *why);
int  console_err(struct console *c);
void console_total(struct console *c, unsigned passed, unsigned failed,
		   unsigned skipped, unsigned notrun, unsigned refused,
		   uint64_t ms);
void console_failures(struct console *c, const struct report *rp);

#endif
