/* engine/suite.c — play a list of scenarios, several at once if asked
 *
 * --jobs N plays up to N scenarios at the same time on the one event
 * loop: runs share no state, and each job slot binds its simulated roles
 * to its own loopback block (slot s: 127.0.s.10, .11, …) so they never
 * collide. Roles a testbed pins to an address keep it in every slot.
 * Results go to the report in the suite's order, whatever order the
 * scenarios finish in. The suite remembers the Call-IDs of every
 * finished scenario, so a later run names what a device still sends of
 * one ("left over from scenario no-answer-cancel").
 */
#include <signal.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "testbed.h"
#include "run.h"
#include "console.h"
#include "report.h"
#include "suite.h"


enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_BAD = 2, MAX_JOBS = 64 };

struct slot {
	struct suite *su;
	struct run *run;
	struct scenario *sc;
	unsigned order;
	char pcap[1024];
};

/* a call a finished scenario made */
struct earlier {
	struct le he;
	char *callid;
	const char *scn;           /* its scenario's name (the scenario
				      outlives the suite) */
};

struct suite {
	const struct suite_opts *opts;
	struct hash *earlier;      /* struct earlier, by Call-ID */
	struct console *con;
	struct report *rp;
	struct le *next;           /* the next scenario to start */
	struct slot slots[MAX_JOBS];
	unsigned jobs;
	unsigned started, done, total;
	unsigned refused;          /* could not be bound or started */
	unsigned order;
	int rc;
	bool interrupted;
};

/* re_main's signal handler has no argument: the suite playing now. The
 * only file-level state in the engine. */
static struct suite *g_suite;


static void start_next(struct suite *su, struct slot *sl);


static void step_h(const struct run *run, const struct step *st,
		   const struct verdict *v, void *arg)
{
	struct slot *sl = arg;

	(void)run;
	if (sl->su->jobs == 1)
		console_step(sl->su->con, st, v);
}


static void log_h(const struct run *run, const char *line, void *arg)
{
	struct slot *sl = arg;

	(void)run;
	if (sl->su->jobs == 1)
		console_log(sl->su->con, line);
}


static void earlier_destructor(void *data)
{
	struct earlier *e = data;

	hash_unlink(&e->he);
	mem_deref(e->callid);
}


static bool earlier_cmp(struct le *le, void *arg)
{
	const struct earlier *e = le->data;

	return !pl_strcmp(arg, e->callid);
}


/* run_earlier_h: which finished scenario made the call callid */
static const char *earlier_h(const struct pl *callid, void *arg)
{
	struct suite *su = arg;
	struct le *le = hash_lookup(su->earlier, hash_joaat_pl(callid),
				    earlier_cmp, (void *)callid);

	return le ? ((struct earlier *)le->data)->scn : NULL;
}


struct remember {
	struct suite *su;
	const char *scn;
};


static void remember_h(const char *callid, void *arg)
{
	struct remember *rm = arg;
	struct earlier *e;
	struct pl pl;

	pl_set_str(&pl, callid);
	if (earlier_h(&pl, rm->su))
		return;

	e = mem_zalloc(sizeof(*e), earlier_destructor);
	if (!e || str_dup(&e->callid, callid)) {
		mem_deref(e);
		return;
	}
	e->scn = rm->scn;
	hash_append(rm->su->earlier, hash_joaat_pl(&pl), &e->he, e);
}


static void finish_slot(struct suite *su, struct slot *sl)
{
	struct remember rm = {su, sl->sc->name};
	int err, rc;

	run_calls_apply(sl->run, remember_h, &rm);

	++su->done;
	if (su->jobs > 1)
		console_replay(su->con, sl->run);
	console_progress(su->con, su->done, su->total);
	console_end(su->con, sl->run, sl->pcap);

	err = report_add_run(su->rp, sl->run, sl->pcap, sl->order);
	if (err)
		re_fprintf(stderr, "report: %m\n", err);

	rc = run_passed(sl->run) ? EXIT_PASS : EXIT_FAIL;
	if (rc > su->rc)
		su->rc = rc;

	sl->run = mem_deref(sl->run);
	sl->sc = NULL;
}


static void done_h(struct run *run, void *arg)
{
	struct slot *sl = arg;
	struct suite *su = sl->su;
	unsigned i;

	(void)run;
	finish_slot(su, sl);
	start_next(su, sl);

	for (i = 0; i < su->jobs; i++) {
		if (su->slots[i].run)
			return;
	}
	re_cancel();
}


static void signal_h(int sig)
{
	struct suite *su = g_suite;
	unsigned i;

	if (!su) {
		re_cancel();
		return;
	}

	su->interrupted = true;
	for (i = 0; i < su->jobs; i++) {
		if (su->slots[i].run)
			run_interrupt(su->slots[i].run, sig == SIGINT
				      ? "interrupted (SIGINT)"
				      : "interrupted (SIGTERM)");
	}
}


/* the base address of a job slot: 127.0.s.10 for slot s */
static void slot_base(struct sa *base, const struct testbed *tb, unsigned s)
{
	*base = tb->base;
	if (sa_af(base) == AF_INET)
		sa_set_in(base, sa_in(base) + (s << 8), sa_port(base));
}


static void start_next(struct suite *su, struct slot *sl)
{
	const struct suite_opts *o = su->opts;
	struct run_handlers h = {step_h, log_h, done_h, sl};
	struct run_opts ro;
	struct diag dg;
	struct sa base;
	int err;

	while (su->next && !su->interrupted) {
		struct scenario *sc = su->next->data;

		su->next = su->next->next;
		sl->order = su->order++;
		++su->started;
		diag_init(&dg);

		slot_base(&base, o->tb, (unsigned)(sl - su->slots));
		err = scenario_bind_base(sc, o->tb, &base, &dg);
		if (!err) {
			re_snprintf(sl->pcap, sizeof(sl->pcap), "%s/%s.pcap",
				    o->outdir, sc->name);
			memset(&ro, 0, sizeof(ro));
			ro.pcap_path = sl->pcap;
			ro.timeout_ms = o->timeout_ms;
			ro.capture = o->capture;
			ro.timers = o->timers;
			ro.settle_ms = o->tb->settle_ms;
			ro.settle_max_ms = o->tb->settle_max_ms;
			ro.earlierh = earlier_h;
			ro.earlier_arg = su;
			err = run_alloc(&sl->run, sc, &ro, &h, &dg);
		}
		if (err) {
			if (dg.nerr)
				re_fprintf(stderr, "%H", diag_print, &dg);
			else
				re_fprintf(stderr, "%s: cannot start: %m\n",
					   sc->file, err);
			diag_reset(&dg);
			su->rc = EXIT_BAD;
			++su->refused;
			++su->done;
			continue;
		}
		diag_reset(&dg);

		sl->sc = sc;
		if (su->jobs == 1)
			console_begin(su->con, sc, sl->pcap);
		if (run_start(sl->run)) {
			sl->run = mem_deref(sl->run);
			su->rc = EXIT_BAD;
			++su->refused;
			continue;
		}
		return;
	}
}


/**
 * Play the scenarios (a list of struct scenario), jobs at a time; every
 * finished run is added to rp. Returns the exit status: 0 all passed,
 * 1 a verdict failed or the suite was interrupted, 2 a scenario could not
 * be bound or started.
 */
int suite_run(struct list *scenarios, const struct suite_opts *opts,
	      struct console *con, struct report *rp, bool *interrupted)
{
	struct suite *su;
	unsigned i;
	int rc;

	if (!scenarios || !opts || !opts->tb || !con || !rp)
		return EXIT_BAD;

	su = mem_zalloc(sizeof(*su), NULL);
	if (!su)
		return EXIT_BAD;

	if (hash_alloc(&su->earlier, 256)) {
		mem_deref(su);
		return EXIT_BAD;
	}
	su->opts = opts;
	su->con = con;
	su->rp = rp;
	su->jobs = opts->jobs ? opts->jobs : 1;
	if (su->jobs > MAX_JOBS)
		su->jobs = MAX_JOBS;
	su->next = scenarios->head;
	su->total = list_count(scenarios);

	for (i = 0; i < su->jobs; i++) {
		su->slots[i].su = su;
		start_next(su, &su->slots[i]);
	}

	for (i = 0; i < su->jobs; i++) {
		if (su->slots[i].run)
			break;
	}
	if (i < su->jobs) {
		g_suite = su;
		(void)re_main(signal_h);
		g_suite = NULL;
	}

	/* a run still going here was cut short by a second signal */
	for (i = 0; i < su->jobs; i++) {
		if (su->slots[i].run) {
			run_interrupt(su->slots[i].run, "interrupted");
			su->slots[i].run = mem_deref(su->slots[i].run);
		}
	}

	report_sort(rp);
	rp->notrun = su->total - su->started;
	rp->refused = su->refused;
	if (interrupted)
		*interrupted = su->interrupted;
	rc = su->rc;
	if (su->interrupted && rc == EXIT_PASS)
		rc = EXIT_FAIL;

	hash_flush(su->earlier);
	mem_deref(su->earlier);
	mem_deref(su);
	return rc;
}
