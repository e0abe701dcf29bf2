/* engine/cli/suite_out.h — a suite's console output in the suite's order,
 * and each scenario's text for the reports */
#ifndef SIPFLOW_SUITE_OUT_H
#define SIPFLOW_SUITE_OUT_H

struct console;
struct report_scn;
struct run;
struct scenario;
struct step;
struct suite_out;
struct verdict;

int  suite_out_alloc(struct suite_out **sop, struct console *con,
		     unsigned total, bool parallel);
struct console *suite_out_console(struct suite_out *so, unsigned order);
void suite_out_begin(struct suite_out *so, unsigned order,
		     const struct scenario *sc, const char *pcap);
void suite_out_step(struct suite_out *so, unsigned order,
		    const struct step *st, const struct verdict *v);
void suite_out_log(struct suite_out *so, unsigned order, const char *line);
int  suite_out_end(struct suite_out *so, unsigned order,
		   const struct run *run, const char *pcap,
		   struct report_scn *s);
int  suite_out_skip(struct suite_out *so, unsigned order,
		    const struct scenario *sc, const char *why,
		    struct report_scn *s);
int  suite_out_refused(struct suite_out *so, unsigned order,
		       const struct scenario *sc, const char *why,
		       struct report_scn *s);
void suite_out_clear(struct suite_out *so);
void suite_out_flush(struct suite_out *so);

#endif
