/* engine/run/clock.h — a run's clock: its time, its timers, and virtual
 * time, which jumps to the next timer when nothing is in flight */
#ifndef SIPFLOW_CLOCK_H
#define SIPFLOW_CLOCK_H

#include <sys/time.h>

struct clock;

enum clock_kind {
	CLOCK_REAL = 0,  /* libre's timers and tmr_jiffies() */
	CLOCK_VIRTUAL,   /* real time plus the waits it skipped */
	CLOCK_CAPTURE,   /* what clock_set says: a capture's timestamps */
};

/** A timer of a clock: started and cancelled like libre's struct tmr
 *  (zeroed memory is a stopped one) */
struct clock_tmr {
	struct le le;            /* clock.pending (virtual) */
	struct tmr tmr;          /* real and capture */
	struct clock *clk;
	uint64_t at;             /* when it fires, clock ms */
	tmr_h *th;
	void *arg;
};

int  clock_alloc(struct clock **clkp, enum clock_kind kind);
bool clock_is_virtual(const struct clock *clk);
void clock_start(struct clock *clk);
uint64_t clock_now(const struct clock *clk);
uint64_t clock_of_jiffies(const struct clock *clk, uint64_t jiffies);
void clock_set(struct clock *clk, uint64_t ms);
void clock_tv(const struct clock *clk, struct timeval *tv);
uint64_t clock_skipped(const struct clock *clk);
void clock_sent(struct clock *clk);
void clock_arrived(struct clock *clk);

void clock_tmr_start(struct clock_tmr *t, struct clock *clk, uint64_t delay,
		     tmr_h *th, void *arg);
void clock_tmr_cancel(struct clock_tmr *t);

#endif
