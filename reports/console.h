/* reports/console.h — the live console report: a line per step */
#ifndef SIPFLOW_CONSOLE_H
#define SIPFLOW_CONSOLE_H

struct run;
struct scenario;
struct step;
struct verdict;

struct console {
	FILE *f;
	char progress[24];     /* "[2/30] " before a summary */
	bool color;            /* ANSI colours, only on a terminal */
	bool quiet;            /* summaries only */
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

#endif
