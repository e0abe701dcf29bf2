/* engine/cli/suite.h — play a list of scenarios, several at once if asked */
#ifndef SIPFLOW_SUITE_H
#define SIPFLOW_SUITE_H

struct console;
struct report;
struct sip_timers;
struct testbed;

struct suite_opts {
	const char *outdir;
	uint32_t timeout_ms;
	unsigned jobs;             /* scenarios played at once; 0: the
				      default (suite.c default_jobs) */
	const struct testbed *tb;
	const char *capture;       /* capture DUT traffic live on this
				      interface, or NULL */
	const struct sip_timers *timers; /* --timer, or NULL */
	bool real_time;            /* --real-time: no virtual clock */
	bool pcapng;               /* the capture as pcapng (verdicts as
				      frame comments), else classic pcap */
	bool strict;               /* --strict: rule warnings fail steps */
};

int suite_check_pool(struct list *scenarios, const struct suite_opts *opts);
int suite_run(struct list *scenarios, const struct suite_opts *opts,
	      struct console *con, struct report *rp, bool *interrupted);

unsigned suite_phones_per_core(bool *sanitizedp);

#endif
