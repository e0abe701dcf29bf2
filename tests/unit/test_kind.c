/* tests/unit/test_kind.c — the kind table, the runner's one door into the
 * agents (agents/kind.c): what each kind does when the runner asks it to
 * act, to be ready, for its media leg; and a do: step on a kind that
 * cannot act, which fails naming the step.
 *
 * Agents listen on 127.0.43.x (test_run.c plays on 127.0.42.x).
 */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "agent.h"
#include "run.h"


static const char flow[] =
	"scenario: kinds\n"
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  B: {kind: dut, user: bob}\n"
	"  C: {kind: phone, user: carol}\n"
	"  P: {kind: proxy}\n"
	"steps:\n"
	"  - do: B answer\n";

static const char *const roles[] = {
	"A=ua:udp:127.0.43.10:5060", "B=ua:udp:127.0.43.11:5060",
	"C=phone:udp:127.0.43.12:5060", "P=proxy:udp:127.0.43.13:5060",
	NULL,
};


/* the flow, with its roles bound (B, a device in the scenario, is bound
 * to a scripted role: no device, no driver) */
static struct scenario *bound(void)
{
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	const char *const *r;
	struct diag dg;
	int err;

	diag_init(&dg);
	err = scenario_load_str(&sc, "kinds.yaml", flow, &dg);
	if (!err)
		err = testbed_alloc(&tb);
	for (r = roles; !err && *r; r++)
		err = testbed_add_arg(tb, *r, &dg);
	if (!err)
		err = scenario_bind(sc, tb, &dg);
	if (err)
		re_fprintf(stderr, "kinds.yaml: %m\n%H", err, diag_print,
			   &dg);
	diag_reset(&dg);
	mem_deref(tb);
	CU_ASSERT_EQUAL(err, 0);
	if (err)
		sc = mem_deref(sc);

	return sc;
}


static struct agent *agent_of(struct scenario *sc, const char *name)
{
	struct role *r = scenario_role(sc, name);
	struct agent *ag = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL_FATAL(agent_alloc(&ag, r, sc, NULL, NULL), 0);

	return ag;
}


/* agent_act on ag: its error, and why in buf */
static int act(struct agent *ag, enum do_verb verb, char *buf, size_t sz)
{
	struct do_spec d;
	char *why = NULL;
	int err;

	memset(&d, 0, sizeof(d));
	d.actor = ag->role;
	d.verb = verb;
	err = agent_act(ag, &d, NULL, NULL, NULL, &why);
	re_snprintf(buf, sz, "%s", why ? why : "");
	mem_deref(why);

	return err;
}


static void test_scripted_kinds_cannot_act(void)
{
	struct scenario *sc = bound();
	struct agent *a, *p;
	char why[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	a = agent_of(sc, "A");
	p = agent_of(sc, "P");

	CU_ASSERT_EQUAL(act(a, DO_ANSWER, why, sizeof(why)), ENOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "A is a scripted ua"));
	CU_ASSERT_EQUAL(act(p, DO_ANSWER, why, sizeof(why)), ENOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "P is a scripted proxy"));

	/* nothing to wait for, no media of their own */
	CU_ASSERT_TRUE(agent_ready(a));
	CU_ASSERT_TRUE(agent_ready(p));
	CU_ASSERT_FALSE(agent_leg(a, NULL));
	CU_ASSERT_FALSE(agent_leg(p, NULL));

	mem_deref(a);
	mem_deref(p);
	mem_deref(sc);
}


static void test_device_without_driver_cannot_act(void)
{
	struct scenario *sc = bound();
	struct agent *b;
	char why[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	b = agent_of(sc, "B");

	CU_ASSERT_STRING_EQUAL(b->kind->name, "dut");
	CU_ASSERT_EQUAL(act(b, DO_ANSWER, why, sizeof(why)), ENOTSUP);
	CU_ASSERT_STRING_EQUAL(why, "B has no driver to act through (a "
			       "device in the scenario, bound to no device)");
	CU_ASSERT_TRUE(agent_ready(b));

	mem_deref(b);
	mem_deref(sc);
}


/* a phone acts: with no call ringing, answer fails for its own reason,
 * not because the kind cannot act; it plays media of its own */
static void test_phone_acts(void)
{
	struct scenario *sc = bound();
	struct agent *c;
	struct agent_leg leg;
	char why[256];
	int err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	c = agent_of(sc, "C");

	err = act(c, DO_ANSWER, why, sizeof(why));
	CU_ASSERT_NOT_EQUAL(err, 0);
	CU_ASSERT_NOT_EQUAL(err, ENOTSUP);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "ringing call to answer"));

	CU_ASSERT_TRUE(agent_leg(c, &leg));
	CU_ASSERT_PTR_NULL(leg.ms);        /* no call yet */

	mem_deref(c);
	mem_deref(sc);
}


static void guard_h(void *arg)
{
	(void)arg;
	re_cancel();
}


static void done_h(struct run *run, void *arg)
{
	(void)run;
	*(bool *)arg = true;
	re_cancel();
}


/* the whole run: the do: step fails at once, its reason naming it */
static void test_do_on_kind_that_cannot_act_names_step(void)
{
	struct scenario *sc = bound();
	struct run_opts opts = {NULL, 1000};
	struct run_handlers h;
	const struct verdict *v;
	struct run *run = NULL;
	struct diag dg;
	struct tmr guard;
	bool done = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	memset(&h, 0, sizeof(h));
	h.doneh = done_h;
	h.arg = &done;
	diag_init(&dg);
	CU_ASSERT_EQUAL_FATAL(run_alloc(&run, sc, &opts, &h, &dg), 0);
	diag_reset(&dg);

	tmr_init(&guard);
	CU_ASSERT_EQUAL_FATAL(run_start(run), 0);
	tmr_start(&guard, 5000, guard_h, NULL);
	if (!done)
		(void)re_main(NULL);
	tmr_cancel(&guard);
	CU_ASSERT_TRUE(done);

	v = run_verdict(run, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->status, VERDICT_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v->reason);
	CU_ASSERT_STRING_EQUAL(v->reason, "do: B answer (step do@L8): B has "
			       "no driver to act through (a device in the "
			       "scenario, bound to no device)");
	CU_ASSERT_FALSE(run_passed(run));

	mem_deref(run);
	mem_deref(sc);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"scripted_kinds_cannot_act",
		 test_scripted_kinds_cannot_act},
		{"device_without_driver_cannot_act",
		 test_device_without_driver_cannot_act},
		{"phone_acts", test_phone_acts},
		{"do_on_kind_that_cannot_act_names_step",
		 test_do_on_kind_that_cannot_act_names_step},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("kind", tests);
}
