/* engine/run/clock.c — a run's clock: its time, its timers, and virtual
 * time
 *
 * Every timer and timestamp of a run comes from its clock. A real clock
 * is libre's: tmr_start() and tmr_jiffies(), stamps from gettimeofday().
 * A capture's clock says what its messages' timestamps say (clock_set).
 * A virtual clock is real time plus the waits it skipped: its timers sit
 * in a list of its own, and whenever nothing the run sent is still in
 * flight (clock_sent, clock_arrived: every datagram sent to a scripted
 * role has been received and handled) it jumps to the earliest one and
 * fires it, so a 32 s Timer B takes no wall time and still reads 32 s in
 * the run's figures and the pcap's stamps. Only a run whose roles are all
 * scripted may have one: a phone's SIP stack and media, and a device,
 * keep libre's real timers, which the jump would leave behind
 * (docs/decisions/0020-virtual-time.md).
 */
#include <string.h>
#include <re.h>
#include "clock.h"


struct clock {
	enum clock_kind kind;
	uint64_t t0;             /* tmr_jiffies() at the start */
	uint64_t skipped;        /* virtual: the waits jumped over, ms */
	uint64_t set;            /* capture: the time clock_set said */
	struct timeval tv0;      /* capture: the wall time at the start */
	struct list pending;     /* virtual: struct clock_tmr, by time */
	struct tmr tick;         /* virtual: the next jump or timer */
	unsigned inflight;       /* virtual: sent, not yet arrived */
};


static void destructor(void *data)
{
	struct clock *clk = data;

	tmr_cancel(&clk->tick);
	list_clear(&clk->pending);   /* their owners cancel them safely */
}


/** A clock of a kind, started now */
int clock_alloc(struct clock **clkp, enum clock_kind kind)
{
	struct clock *clk;

	if (!clkp)
		return EINVAL;

	clk = mem_zalloc(sizeof(*clk), destructor);
	if (!clk)
		return ENOMEM;

	clk->kind = kind;
	tmr_init(&clk->tick);
	clock_start(clk);

	*clkp = clk;
	return 0;
}


bool clock_is_virtual(const struct clock *clk)
{
	return clk && clk->kind == CLOCK_VIRTUAL;
}


/** Time starts (again) at 0 now */
void clock_start(struct clock *clk)
{
	if (!clk)
		return;

	clk->t0 = tmr_jiffies();
	clk->skipped = 0;
	clk->set = 0;
	gettimeofday(&clk->tv0, NULL);
}


/** Milliseconds since the start */
uint64_t clock_now(const struct clock *clk)
{
	if (!clk)
		return 0;

	if (clk->kind == CLOCK_CAPTURE)
		return clk->set;

	return tmr_jiffies() - clk->t0 + clk->skipped;
}


/**
 * A moment libre's tmr_jiffies() gave (a driver's stimulus left), on this
 * clock: ms since the start, as clock_now() would have said then. A
 * capture's clock has no such moments: 0
 */
uint64_t clock_of_jiffies(const struct clock *clk, uint64_t jiffies)
{
	if (!clk || clk->kind == CLOCK_CAPTURE)
		return 0;

	return jiffies - clk->t0 + clk->skipped;
}


/** A capture's clock: it is ms since the start now */
void clock_set(struct clock *clk, uint64_t ms)
{
	if (clk && clk->kind == CLOCK_CAPTURE)
		clk->set = ms;
}


static void tv_add_ms(struct timeval *tv, uint64_t ms)
{
	uint64_t us = (uint64_t)tv->tv_usec + (ms % 1000) * 1000;

	tv->tv_sec += (time_t)(ms / 1000 + us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}


/** The wall time a packet is stamped with now (pcap) */
void clock_tv(const struct clock *clk, struct timeval *tv)
{
	if (clk && clk->kind == CLOCK_CAPTURE) {
		*tv = clk->tv0;
		tv_add_ms(tv, clk->set);
		return;
	}

	gettimeofday(tv, NULL);
	if (clk)
		tv_add_ms(tv, clk->skipped);
}


/** Virtual: how much waiting the clock skipped, ms */
uint64_t clock_skipped(const struct clock *clk)
{
	return clk ? clk->skipped : 0;
}


static void tick_h(void *arg);


/* virtual: the tick goes off at once when the clock may jump, else when
 * the earliest timer is due in real time (what is in flight may never
 * arrive: then the clock simply runs in real time) */
static void rearm(struct clock *clk)
{
	const struct clock_tmr *t = list_ledata(list_head(&clk->pending));

	uint64_t now;

	if (!t) {
		tmr_cancel(&clk->tick);
		return;
	}

	now = clock_now(clk);
	tmr_start(&clk->tick, clk->inflight && t->at > now ? t->at - now : 0,
		  tick_h, clk);
}


/* virtual: jump to the earliest timer if nothing is in flight, fire it
 * if due; one a tick, so what its handler sent is seen first */
static void tick_h(void *arg)
{
	struct clock *clk = arg;
	struct clock_tmr *t = list_ledata(list_head(&clk->pending));
	uint64_t now = clock_now(clk);

	if (!t)
		return;

	if (t->at > now && !clk->inflight) {
		clk->skipped += t->at - now;
		now = t->at;
	}

	if (t->at > now) {
		rearm(clk);
		return;
	}

	/* the handler may end the run, and with it the clock */
	mem_ref(clk);
	list_unlink(&t->le);
	t->th(t->arg);
	rearm(clk);
	mem_deref(clk);
}


/** Virtual: a datagram left for a scripted role; the clock waits for it */
void clock_sent(struct clock *clk)
{
	if (clock_is_virtual(clk))
		++clk->inflight;
}


/** Virtual: one that left (clock_sent) arrived and was handled */
void clock_arrived(struct clock *clk)
{
	if (!clock_is_virtual(clk) || !clk->inflight)
		return;

	if (!--clk->inflight)
		rearm(clk);
}


/** Start t on clk: th(arg) in delay ms of clk's time */
void clock_tmr_start(struct clock_tmr *t, struct clock *clk, uint64_t delay,
		     tmr_h *th, void *arg)
{
	struct le *le;

	if (!t || !clk || !th)
		return;

	clock_tmr_cancel(t);
	t->clk = clk;
	t->th = th;
	t->arg = arg;
	t->at = clock_now(clk) + delay;

	if (clk->kind != CLOCK_VIRTUAL) {
		tmr_start(&t->tmr, delay, th, arg);
		return;
	}

	/* after those due at the same time: they fire in the order started */
	for (le = list_tail(&clk->pending); le; le = le->prev) {
		const struct clock_tmr *o = le->data;

		if (o->at <= t->at)
			break;
	}
	if (le)
		list_insert_after(&clk->pending, le, &t->le, t);
	else
		list_prepend(&clk->pending, &t->le, t);

	if (list_head(&clk->pending) == &t->le)
		rearm(clk);
}


/** Stop t; a timer that fired or never started is left as it is */
void clock_tmr_cancel(struct clock_tmr *t)
{
	struct clock *clk;
	bool head;

	if (!t)
		return;

	tmr_cancel(&t->tmr);
	if (!t->le.list)
		return;

	clk = t->clk;
	head = list_head(&clk->pending) == &t->le;
	list_unlink(&t->le);
	if (head)
		rearm(clk);
}
