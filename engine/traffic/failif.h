/* engine/traffic/failif.h — a load run's pass/fail thresholds:
 * --fail-if 'failed>0.1%', --fail-if 'F2.p99>50ms' */
#ifndef SIPFLOW_FAILIF_H
#define SIPFLOW_FAILIF_H

struct diag;

/*
 * METRIC OP VALUE, OP one of > >= < <= == !=. The threshold fails the run
 * when the comparison holds.
 *
 * METRIC is a whole-run figure or a step's (STEP.figure, STEP a step id of
 * the scenario such as F2):
 *   run:  attempted completed failed timeouts unexpected rtx  (counts)
 *         rate (calls/s achieved)  concurrent (highest at once)
 *   step: STEP.failed STEP.timeouts STEP.rtx                  (counts)
 *         STEP.min .mean .p50 .p90 .p95 .p99 .p999 .max      (times)
 * VALUE is a number with the figure's unit: a count plain or as a share
 * ("0.1%": of the calls attempted, for a step of the calls that reached
 * it, for rtx and unexpected of the messages), a time with its unit
 * (us, ms, s: a bare number is refused, so "50" is never read as the
 * wrong unit), a rate plain or with "/s".
 */
enum failif_kind {
	FAILIF_COUNT,
	FAILIF_TIME,
	FAILIF_RATE,
};

/* what a figure is, for whoever measures it */
enum failif_what {
	FAILIF_ATTEMPTED, FAILIF_COMPLETED, FAILIF_FAILED, FAILIF_TIMEOUTS,
	FAILIF_UNEXPECTED, FAILIF_RTX, FAILIF_RATE_ACHIEVED,
	FAILIF_CONCURRENT, FAILIF_MIN, FAILIF_MEAN, FAILIF_PCT, FAILIF_MAX,
};

enum failif_op {
	FAILIF_GT, FAILIF_GE, FAILIF_LT, FAILIF_LE, FAILIF_EQ, FAILIF_NE,
};

struct failif {
	char *text;            /* as given, for the report */
	char *step;            /* the step's id, NULL for a run figure */
	const char *figure;    /* "failed", "p99", … (static) */
	enum failif_what what;
	enum failif_kind kind;
	enum failif_op op;
	bool share;            /* VALUE was a share (%) */
	double value;          /* counts as given, a share as 0..1, times
				  in microseconds, rates in calls/s */
	double pct;            /* a percentile figure's rank (99 for p99),
				  0 for the others */
};

/** What a threshold's figure measured: its value (counts, µs, calls/s),
 *  and for a count the whole it is a share of; n == 0: no sample to judge
 *  by */
struct failif_fig {
	const struct failif *f;
	double value;
	double whole;
	uint64_t n;
};

/** Fill fig for f's metric; ENOENT if its step is not the scenario's */
typedef int (failif_fig_h)(const struct failif *f, struct failif_fig *fig,
			   void *arg);

enum failif_result {
	FAILIF_HOLDS_NOT = 0,  /* the threshold is kept */
	FAILIF_BROKEN,         /* the comparison holds: the run fails */
	FAILIF_UNJUDGED,       /* no sample (no call reached the step):
				  fails the run too, saying why */
};

int failif_parse(struct failif **fp, const char *text, struct diag *dg);
enum failif_result failif_judge(const struct failif *f,
				const struct failif_fig *fig);
int failif_print_fig(struct re_printf *pf, const struct failif_fig *fig);

#endif
