/* engine/traffic/lstats.h — what a load run's calls did, step by step:
 * verdict counts, response times, failure reasons with an example each */
#ifndef SIPFLOW_LSTATS_H
#define SIPFLOW_LSTATS_H

struct failif;
struct failif_fig;
struct lathist;

enum lstats_outcome {
	LSTATS_PASS = 0,
	LSTATS_FAIL,
	LSTATS_TIMEOUT,        /* failed: its message never came */
	LSTATS_SKIP,           /* an optional step that did not happen */
	LSTATS_NOTRUN,         /* not reached: an earlier step failed */
};

/** One step of one call, as the call's verdict says */
struct lstats_obs {
	enum lstats_outcome outcome;
	uint64_t us;           /* since the step before (its response
				  time), for a pass */
	const char *reason;    /* why it failed, NULL for a pass */
	uint64_t call;         /* the call's number, for the example */
	uint32_t frame;        /* the example's pcap frame, 0: none kept */
};

/** A failure reason of a step: how often, and the first call that had
 *  it (its number and frame: the evidence to open) */
struct lstats_reason {
	struct le le;
	char *text;
	unsigned step;
	uint64_t count;
	uint64_t call;
	uint32_t frame;
};

/** A step's figures */
struct lstats_step {
	const char *id;        /* the scenario's ("F2") */
	uint64_t n[LSTATS_NOTRUN + 1]; /* calls by outcome */
	uint64_t rtx;          /* retransmissions of its message */
	struct lathist *rt;    /* response times of its passes */
};

enum { LSTATS_MAX_REASONS = 256 };

struct lstats;

int  lstats_alloc(struct lstats **sp, const char *const *ids,
		  unsigned nsteps);
int  lstats_step(struct lstats *s, unsigned idx,
		 const struct lstats_obs *o);
void lstats_rtx(struct lstats *s, unsigned idx, uint64_t n);
void lstats_unexpected(struct lstats *s, uint64_t n);
void lstats_call_started(struct lstats *s, unsigned concurrent);
void lstats_call_ended(struct lstats *s, bool passed);
void lstats_set_elapsed(struct lstats *s, uint64_t ms);

unsigned lstats_nsteps(const struct lstats *s);
const struct lstats_step *lstats_step_at(const struct lstats *s,
					 unsigned idx);
const struct list *lstats_reasons(const struct lstats *s);
uint64_t lstats_attempted(const struct lstats *s);
uint64_t lstats_completed(const struct lstats *s);
uint64_t lstats_failed(const struct lstats *s);
double   lstats_rate(const struct lstats *s);

/* a --fail-if threshold's figure (failif_fig_h) */
int lstats_fig(const struct failif *f, struct failif_fig *fig, void *arg);

#endif
