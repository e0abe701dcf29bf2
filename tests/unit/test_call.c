/* tests/unit/test_call.c — one call of a flow, driven by hand: no socket,
 * no agent, no loop. A fake port records what the call asks of the stage
 * (messages to send, timers, verdicts); the test feeds it what a stage
 * would (a message arrived, a timer expired) and checks what came out.
 */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "run.h"
#include "call.h"
#include "clock.h"


/* A (simulated) calls B, a device under test, which must answer 200 */
static const char flow[] =
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  B: {kind: ua, user: bob}\n"
	"steps:\n"
	"  - F1: INVITE A -> B\n"
	"  - F2: 200 OK B -> A\n";

enum { NSTEPS = 2 };

/* what the call asked of its stage */
struct fake {
	struct fx_run fr;
	struct scenario *sc;
	struct role *a, *b;
	struct clock *clk;
	struct call *call;
	struct list findings;       /* the rules the messages broke */
	unsigned sends;             /* sendh calls */
	const struct step *sent_st; /* … the last one's step */
	uint32_t tmr[CALL_TMR_N];   /* armed: its ms, else CALL_TMR_OFF */
	unsigned verdicts;
	enum verdict_status status[NSTEPS];
	char reason[NSTEPS][512];
	bool stopped, ended;
	unsigned absorbed;
};


static int send_h(struct call *call, const struct step *st,
		  struct msgrec **rp, char **whyp, void *arg)
{
	struct fake *f = arg;
	struct fx_sip s = {.method = "INVITE"};
	(void)call;
	(void)whyp;

	++f->sends;
	f->sent_st = st;
	*rp = fx_run_pass(&f->fr, fx_run_msg(&f->fr, &s, st->from, st->to));
	return 0;
}


static enum prog act_h(struct call *call, const struct step *st, void *arg)
{
	(void)call;
	(void)st;
	(void)arg;
	CU_FAIL("the flow has no step the stage performs");
	return PROG_FAIL;
}


static void fake_tmr(struct call *call, enum call_tmr t, uint32_t ms,
		     void *arg)
{
	struct fake *f = arg;
	(void)call;

	f->tmr[t] = ms;
}


static void verdict_h(struct call *call, const struct step *st,
		      const struct verdict *v, void *arg)
{
	struct fake *f = arg;
	(void)call;

	++f->verdicts;
	CU_ASSERT_FATAL(st->idx < NSTEPS);
	f->status[st->idx] = v->status;
	re_snprintf(f->reason[st->idx], sizeof(f->reason[0]), "%s",
		    v->reason ? v->reason : "");
}


static void stop_h(struct call *call, void *arg)
{
	struct fake *f = arg;
	(void)call;

	f->stopped = true;
}


static void end_h(struct call *call, void *arg)
{
	struct fake *f = arg;
	(void)call;

	CU_ASSERT(f->stopped);
	f->ended = true;
}


static void absorb_h(struct call *call, struct msgrec *r, void *arg)
{
	struct fake *f = arg;
	(void)call;
	(void)r;

	++f->absorbed;
}


static const struct step *step_of(const struct fake *f, unsigned idx)
{
	return scenario_step_at(f->sc, idx);
}


/* the flow loaded, B a device, a call of it started on a capture clock
 * (time moves only when the test says), its first step done */
static void fake_start(struct fake *f)
{
	static const struct sip_timers timers = {500, 4000, 5000};
	struct call_port port = {
		send_h, act_h, fake_tmr, verdict_h, NULL, stop_h, end_h, NULL,
		absorb_h, NULL, f,
	};
	struct call_cfg cfg;
	int t;

	memset(f, 0, sizeof(*f));
	for (t = 0; t < CALL_TMR_N; t++)
		f->tmr[t] = CALL_TMR_OFF;
	f->sc = fx_run_flow(&f->fr, flow);
	f->a = f->sc->roles.head->data;
	f->b = f->sc->roles.head->next->data;
	f->b->dut = true;
	CU_ASSERT_EQUAL_FATAL(clock_alloc(&f->clk, CLOCK_CAPTURE), 0);

	memset(&cfg, 0, sizeof(cfg));
	cfg.sc = f->sc;
	cfg.clock = f->clk;
	cfg.ledgers = &f->fr.ledgers;
	cfg.findings = &f->findings;
	cfg.timers = &timers;
	cfg.timeout_ms = 2000;
	CU_ASSERT_EQUAL_FATAL(call_alloc(&f->call, &cfg, &port), 0);

	call_start(f->call);
	call_advance(f->call);
}


static void fake_end(struct fake *f)
{
	f->call = mem_deref(f->call);
	list_flush(&f->findings);
	fx_run_end(&f->fr);
	f->sc = mem_deref(f->sc);
	f->clk = mem_deref(f->clk);
}


/* B's answer to F1's INVITE, with status code, arriving at A */
static void arrive(struct fake *f, unsigned code)
{
	struct fx_sip s = {.code = code, .totag = "tb", .met = "INVITE"};
	struct msgrec *r;

	r = fx_run_pass(&f->fr, fx_run_msg(&f->fr, &s, f->b, f->a));
	call_on_msg(f->call, r);

	/* not verifying a capture: the call looks at it after the
	 * current handler returns */
	CU_ASSERT_EQUAL(f->tmr[CALL_TMR_KICK], 0);
	f->tmr[CALL_TMR_KICK] = CALL_TMR_OFF;
	call_on_timer(f->call, CALL_TMR_KICK);
}


/* F1 went out through the port and passed (the device received it);
 * the call waits for F2, its timeout armed */
static void check_waits_for_f2(const struct fake *f)
{
	CU_ASSERT_EQUAL(f->sends, 1);
	CU_ASSERT_PTR_EQUAL(f->sent_st, step_of(f, 0));
	CU_ASSERT_EQUAL(f->status[0], VERDICT_PASS);
	CU_ASSERT_EQUAL(f->status[1], VERDICT_PENDING);
	CU_ASSERT_EQUAL(f->verdicts, 1);
	CU_ASSERT_EQUAL(f->tmr[CALL_TMR_TIMEOUT], 2000);
	CU_ASSERT_FALSE(f->call->finished);
}


static void test_call_sends_then_takes_the_answer(void)
{
	struct fake f;

	fake_start(&f);
	check_waits_for_f2(&f);

	arrive(&f, 200);
	CU_ASSERT_EQUAL(f.status[1], VERDICT_PASS);
	CU_ASSERT_STRING_EQUAL(f.reason[1], "");
	CU_ASSERT_EQUAL(f.sends, 1);
	CU_ASSERT_EQUAL(f.absorbed, 0);

	/* the last step done: the call ends, its timers stopped, and the
	 * stage is told to stop, then to close what is open */
	CU_ASSERT(f.call->finished);
	CU_ASSERT(f.ended);
	CU_ASSERT_EQUAL(f.tmr[CALL_TMR_TIMEOUT], CALL_TMR_OFF);
	CU_ASSERT_EQUAL(f.verdicts, 2);

	fake_end(&f);
}


static void test_call_timeout_fails_the_waiting_step(void)
{
	struct fake f;

	fake_start(&f);
	check_waits_for_f2(&f);

	clock_set(f.clk, 2000);
	call_on_timer(f.call, CALL_TMR_TIMEOUT);
	CU_ASSERT_EQUAL(f.status[0], VERDICT_PASS);
	CU_ASSERT_EQUAL(f.status[1], VERDICT_FAIL);
	CU_ASSERT_STRING_EQUAL(f.reason[1], "no 200 OK from B at A within "
			       "2.0 s");
	CU_ASSERT(f.call->finished);
	CU_ASSERT(f.ended);

	fake_end(&f);
}


static void test_call_wrong_answer_fails_naming_both(void)
{
	struct fake f;

	fake_start(&f);
	check_waits_for_f2(&f);

	arrive(&f, 486);
	CU_ASSERT_EQUAL(f.status[1], VERDICT_FAIL);
	CU_ASSERT_STRING_EQUAL(f.reason[1], "expected 200 OK from B, got "
			       "486 Not OK (frame 0)");
	CU_ASSERT(f.call->finished);
	CU_ASSERT_EQUAL(f.tmr[CALL_TMR_TIMEOUT], CALL_TMR_OFF);

	fake_end(&f);
}


/* a message of a Call-ID the call does not own goes back to the stage;
 * the step still waits */
static void test_call_stray_goes_to_the_stage(void)
{
	struct fake f;
	struct fx_sip s = {.code = 200, .totag = "tb", .met = "INVITE",
			   .callid = "another-call"};
	struct msgrec *r;

	fake_start(&f);
	r = fx_run_pass(&f.fr, fx_run_msg(&f.fr, &s, f.b, f.a));
	call_on_msg(f.call, r);
	call_on_timer(f.call, CALL_TMR_KICK);

	CU_ASSERT_EQUAL(f.absorbed, 1);
	CU_ASSERT_EQUAL(f.status[1], VERDICT_PENDING);
	CU_ASSERT_FALSE(f.call->finished);

	arrive(&f, 200);
	CU_ASSERT_EQUAL(f.status[1], VERDICT_PASS);

	fake_end(&f);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{ "sends_then_takes_the_answer",
		  test_call_sends_then_takes_the_answer },
		{ "timeout_fails_the_waiting_step",
		  test_call_timeout_fails_the_waiting_step },
		{ "wrong_answer_fails_naming_both",
		  test_call_wrong_answer_fails_naming_both },
		{ "stray_goes_to_the_stage",
		  test_call_stray_goes_to_the_stage },
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("call", tests);
}
