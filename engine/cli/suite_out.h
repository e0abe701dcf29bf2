/* engine/cli/suite_out.h — a suite's console output in the suite's order */
#ifndef SIPFLOW_SUITE_OUT_H
#define SIPFLOW_SUITE_OUT_H

struct console;
struct suite_out;

int  suite_out_alloc(struct suite_out **sop, struct console *con,
		     unsigned total, bool parallel);
struct console *suite_out_console(struct suite_out *so, unsigned order);
void suite_out_done(struct suite_out *so, unsigned order);
void suite_out_flush(struct suite_out *so);

#endif
