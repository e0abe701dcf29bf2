/* tests/unit/test_clock.c — a run's clock (engine/run/clock.c): a virtual
 * clock jumps to its earliest timer when nothing is in flight and only
 * then, fires timers due at the same time in the order started, keeps
 * its stamps in step; a real one waits */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "clock.h"
#include "cunit_main.h"


struct fired;

/* one timer of a test: 'a', 'b' or 'c' */
struct tag {
	struct fired *f;
	char c;
	struct clock_tmr t;
};

/* a clock, three timers on it, and what fired, in order, and when on
 * the clock */
struct fired {
	struct clock *clk;
	struct tag tag[3];
	char order[16];
	uint64_t at[16];
	size_t n;
	bool stop;             /* re_cancel() at the first */
};


static void fire_h(void *arg)
{
	struct tag *t = arg;
	struct fired *f = t->f;

	if (f->n < sizeof(f->order) - 1) {
		f->at[f->n] = clock_now(f->clk);
		f->order[f->n++] = t->c;
	}
	if (f->stop)
		re_cancel();
}


static void setup(struct fired *f, enum clock_kind kind)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	CU_ASSERT_EQUAL_FATAL(clock_alloc(&f->clk, kind), 0);
	for (i = 0; i < ARRAY_SIZE(f->tag); i++) {
		f->tag[i].f = f;
		f->tag[i].c = (char)('a' + i);
	}
}


/* start timer c ('a'..'c') of f in ms */
static void start(struct fired *f, char c, uint64_t ms)
{
	struct tag *t = &f->tag[c - 'a'];

	clock_tmr_start(&t->t, f->clk, ms, fire_h, t);
}


/* libre's loop for at most ms of wall time; the wall ms it took */
static uint64_t loop(uint32_t ms)
{
	uint64_t t0 = tmr_jiffies();

	cunit_loop_for(ms);
	return tmr_jiffies() - t0;
}


static void test_virtual_jumps_when_idle(void)
{
	struct fired f;
	struct timeval tv0, tv1;
	uint64_t wall;

	setup(&f, CLOCK_VIRTUAL);
	CU_ASSERT_TRUE(clock_is_virtual(f.clk));

	clock_tv(f.clk, &tv0);
	start(&f, 'a', 32000);
	start(&f, 'b', 500);
	start(&f, 'c', 32000);

	wall = loop(300);
	clock_tv(f.clk, &tv1);

	/* all three fired in a fraction of the wall time they stand for,
	 * those due at the same time in the order started */
	CU_ASSERT_STRING_EQUAL(f.order, "bac");
	CU_ASSERT_TRUE(wall < 1000);
	/* each fired at its time, late by at most the real time that passed
	 * (one timer a loop turn: on a busy machine, turns take time) */
	CU_ASSERT_TRUE(f.at[0] >= 500 && f.at[0] <= 500 + wall);
	CU_ASSERT_TRUE(f.at[1] >= 32000 && f.at[1] <= 32000 + wall);
	CU_ASSERT_TRUE(f.at[2] >= f.at[1] && f.at[2] <= 32000 + wall);
	CU_ASSERT_TRUE(clock_skipped(f.clk) >= 31500);
	/* the stamps moved with the clock */
	CU_ASSERT_TRUE(tv1.tv_sec - tv0.tv_sec >= 31);

	mem_deref(f.clk);
}


/* with a datagram in flight the clock runs in real time; once it has
 * arrived the clock jumps again */
static void test_virtual_waits_for_inflight(void)
{
	struct fired f;
	uint64_t wall;

	setup(&f, CLOCK_VIRTUAL);

	clock_sent(f.clk);
	start(&f, 'a', 10000);
	wall = loop(200);
	CU_ASSERT_EQUAL(f.n, 0);
	CU_ASSERT_TRUE(wall >= 190);
	CU_ASSERT_EQUAL(clock_skipped(f.clk), 0);

	clock_arrived(f.clk);
	(void)loop(200);
	CU_ASSERT_STRING_EQUAL(f.order, "a");
	CU_ASSERT_TRUE(f.at[0] >= 10000 && f.at[0] < 10100);

	mem_deref(f.clk);
}


/* a datagram that never arrives only slows the run down: its timers
 * fire in real time */
static void test_virtual_lost_datagram_real_time(void)
{
	struct fired f;
	uint64_t wall;

	setup(&f, CLOCK_VIRTUAL);
	f.stop = true;

	clock_sent(f.clk);
	start(&f, 'a', 100);
	wall = loop(2000);
	CU_ASSERT_STRING_EQUAL(f.order, "a");
	CU_ASSERT_TRUE(wall >= 95 && wall < 1000);
	CU_ASSERT_EQUAL(clock_skipped(f.clk), 0);

	mem_deref(f.clk);
}


static void test_cancel(void)
{
	struct fired f;
	uint64_t t;

	setup(&f, CLOCK_VIRTUAL);

	start(&f, 'a', 1000);
	start(&f, 'b', 2000);
	clock_tmr_cancel(&f.tag[0].t);
	clock_tmr_cancel(&f.tag[0].t);   /* twice: harmless */
	(void)loop(200);
	CU_ASSERT_STRING_EQUAL(f.order, "b");
	CU_ASSERT_TRUE(f.at[0] >= 2000 && f.at[0] < 2100);

	/* restarting moves it (the clock went on in real time meanwhile) */
	t = clock_now(f.clk);
	start(&f, 'a', 5000);
	start(&f, 'a', 100);
	(void)loop(200);
	CU_ASSERT_STRING_EQUAL(f.order, "ba");
	CU_ASSERT_TRUE(f.at[1] - t >= 100 && f.at[1] - t < 200);

	start(&f, 'c', 1000);
	mem_deref(f.clk);
	clock_tmr_cancel(&f.tag[2].t);   /* after its clock: nothing to do */
}


/* a real clock waits: a 150 ms timer takes 150 ms */
static void test_real_waits(void)
{
	struct fired f;
	uint64_t wall;

	setup(&f, CLOCK_REAL);
	CU_ASSERT_FALSE(clock_is_virtual(f.clk));
	f.stop = true;

	start(&f, 'a', 150);
	wall = loop(2000);
	CU_ASSERT_STRING_EQUAL(f.order, "a");
	CU_ASSERT_TRUE(wall >= 145);
	CU_ASSERT_TRUE(f.at[0] >= 145 && f.at[0] < 1000);
	CU_ASSERT_EQUAL(clock_skipped(f.clk), 0);

	mem_deref(f.clk);
}


/* a capture's clock is what it is told */
/* a moment libre's tmr_jiffies() gave (a driver's stimulus) is read on
 * the run's clock, as clock_now() said then: a device's reaction counts
 * from there (was: raw jiffies minus the clock's start, years off) */
static void test_real_jiffies(void)
{
	struct fired f;
	uint64_t j, now;

	setup(&f, CLOCK_REAL);
	f.stop = true;
	start(&f, 'a', 120);
	(void)loop(2000);

	j = tmr_jiffies();
	now = clock_now(f.clk);
	CU_ASSERT_TRUE(now >= 115);
	CU_ASSERT_TRUE(clock_of_jiffies(f.clk, j) <= now);
	CU_ASSERT_TRUE(now - clock_of_jiffies(f.clk, j) < 50);
	CU_ASSERT_TRUE(clock_of_jiffies(f.clk, j - 100) + 100 ==
		       clock_of_jiffies(f.clk, j));

	mem_deref(f.clk);
}


static void test_capture_set(void)
{
	struct clock *clk = NULL;

	CU_ASSERT_EQUAL_FATAL(clock_alloc(&clk, CLOCK_CAPTURE), 0);
	CU_ASSERT_EQUAL(clock_now(clk), 0);
	clock_set(clk, 1234);
	CU_ASSERT_EQUAL(clock_now(clk), 1234);
	mem_deref(clk);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"virtual_jumps_when_idle", test_virtual_jumps_when_idle},
		{"virtual_waits_for_inflight",
		 test_virtual_waits_for_inflight},
		{"virtual_lost_datagram_real_time",
		 test_virtual_lost_datagram_real_time},
		{"cancel", test_cancel},
		{"real_waits", test_real_waits},
		{"real_jiffies", test_real_jiffies},
		{"capture_set", test_capture_set},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("clock", tests);
}
