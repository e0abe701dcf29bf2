/* engine/cli/suite.c — play a list of scenarios, several at once if asked
 *
 * --jobs N plays up to N scenarios at the same time on the one event
 * loop: runs share no state, and each job slot binds its simulated roles
 * to its own block of the address pool (addrpool.c; by default slot s:
 * 127.0.s.10, .11, …) so they never collide. Roles a testbed pins to an
 * address keep it in every slot. A slot that cannot listen on an address
 * of its block (another process holds it) is retired: the scenario it
 * could not start goes to another slot, and only when no slot is left are
 * the rest refused. Results go to the report in the suite's order,
 * whatever order the scenarios finish in. The suite remembers the
 * Call-IDs of every finished scenario, so a later run names what a
 * device still sends of one ("left over from scenario no-answer-cancel").
 */
#include <limits.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "addrpool.h"
#include "testbed.h"
#include "run.h"
#include "pcapw.h"
#include "clock.h"
#include "console.h"
#include "report.h"
#include "suite.h"
#include "suite_out.h"
#include "capability.h"


enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_BAD = 2, MAX_JOBS = 64 };
enum {
	DEFAULT_JOBS_PER_CORE = 16,
	DEFAULT_JOBS_MAX = 32,
	FDS_PER_JOB = 32,          /* ~10 measured with phones, and room */
};

/* phone scenarios played at once, a core (decision 0040): a sanitizer
 * build's phones cost several times the CPU, and 16 at once on 2 cores
 * missed their READY under ASan; an optimised build plays the library's
 * 24 phone flows 16 at a time in 3.5 s on 2 cores (4 at a time: 8 s) */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
enum { PHONES_PER_CORE = 2 };
static const bool sanitized = true;
#else
enum { PHONES_PER_CORE = 8 };
static const bool sanitized = false;
#endif

struct slot {
	struct suite *su;
	struct run *run;
	struct scenario *sc;
	unsigned order;
	struct addrpool blk;       /* where its roles without an address go */
	bool retired;              /* it could not listen on its block */
	const char *cut;           /* the suite's interruption cut its run
				      short: the reason its step got */
	time_t t0;                 /* when its run started (wall clock) */
	bool played;               /* it played a flow: a device may be
				      reset before the next (reset:) */
	bool failed;               /* … and that flow failed */
	char pcap[1024];
};

/* a scenario a retired slot could not start, for another slot */
struct pending {
	struct scenario *sc;
	unsigned order;
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
	struct suite_out *out;     /* the console, in the suite's order */
	struct report *rp;
	struct le *next;           /* the next scenario to start */
	struct slot slots[MAX_JOBS];
	struct pending again[MAX_JOBS]; /* played before next, in order */
	unsigned nagain;
	struct pending *held;      /* phone scenarios passed over while
				      the phones were at their cap, in
				      order: played first when one ends */
	unsigned nheld;
	unsigned phones;           /* phone scenarios playing now */
	unsigned phone_cap;        /* at most this many at once */
	unsigned jobs;
	unsigned retired;          /* slots retired */
	char why[256];             /* the last slot retired: why */
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
	suite_out_step(sl->su->out, sl->order, st, v);
}


static void log_h(const struct run *run, const char *line, void *arg)
{
	struct slot *sl = arg;

	(void)run;
	suite_out_log(sl->su->out, sl->order, line);
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


/* a phone scenario: one of its roles acts on its own in real time (a
 * phone agent, or a device), so it costs what its audio and timers take
 * however idle the event loop is */
static bool has_phone(const struct scenario *sc)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		if (role_acts(le->data))
			return true;
	}

	return false;
}


static void finish_slot(struct suite *su, struct slot *sl)
{
	struct remember rm = {su, sl->sc->name};
	struct report_scn *s;
	const char *why = NULL;
	int err, rc;

	run_calls_apply(sl->run, remember_h, &rm);

	++su->done;
	rc = run_passed(sl->run) ? EXIT_PASS : EXIT_FAIL;
	sl->played = true;
	sl->failed = rc != EXIT_PASS;

	/* a report or a capture that is not whole fails the suite,
	 * whatever the verdicts: the evidence is lost */
	err = report_add_run(su->rp, sl->run, sl->pcap, sl->order);
	s = report_scn_at(su->rp, sl->order);
	report_scn_stamp(s, sl->t0);
	if (sl->cut)
		report_scn_interrupted(s, sl->cut);
	err |= suite_out_end(su->out, sl->order, sl->run, sl->pcap, s);
	sl->cut = NULL;
	if (err || run_pcap_error(sl->run, &why) ||
	    run_record_error(sl->run, &why))
		suite_out_clear(su->out);
	if (err) {
		re_fprintf(stderr, "%s: not in the reports: %m\n",
			   sl->sc->name, err);
		rc = EXIT_BAD;
	}
	err = run_pcap_error(sl->run, &why);
	if (err) {
		re_fprintf(stderr, "%s: %s: %m\n", sl->pcap, why, err);
		rc = EXIT_BAD;
	}
	err = run_record_error(sl->run, &why);
	if (err) {
		re_fprintf(stderr, "%s: cannot write: %m\n", why, err);
		rc = EXIT_BAD;
	}
	if (rc > su->rc)
		su->rc = rc;

	if (has_phone(sl->sc))
		--su->phones;
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
	/* every idle slot: one may have waited for the phones' cap */
	for (i = 0; i < su->jobs; i++)
		start_next(su, &su->slots[i]);

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
		struct slot *sl = &su->slots[i];

		if (!sl->run)
			continue;
		sl->cut = sig == SIGINT ? "interrupted (SIGINT)"
					: "interrupted (SIGTERM)";
		run_interrupt(sl->run, sl->cut);
	}
}


/*
 * Whether the scenarios may play side by side: every role of each, as
 * the testbed binds it, is simulated on an address of the pool. A device
 * under test plays one flow at a time (two at once would mix their calls
 * and registrations at it, and what it still sends of one would land in
 * the next), and an address a role is pinned to can be listened on once.
 */
static bool side_by_side(unsigned *need, struct list *scenarios,
			 const struct testbed *tb)
{
	struct le *le, *re;

	*need = 1;
	for (le = scenarios->head; le; le = le->next) {
		struct scenario *sc = le->data;
		unsigned n = scenario_auto_roles(sc, tb);

		if (n != list_count(&sc->roles))
			return false;
		if (n > *need)
			*need = n;
		for (re = sc->roles.head; re; re = re->next) {
			const struct role *r = re->data;

			if (r->dut)
				return false;
		}
	}

	return true;
}


/*
 * The jobs a suite plays with when --jobs is not given: one where a
 * device or a pinned address is involved; else DEFAULT_JOBS_PER_CORE a
 * core, at most DEFAULT_JOBS_MAX, and no more than the open-files limit
 * and the address pool have room for. A run is almost all waiting (the
 * library on 2 cores: 0.3 s of CPU in 4.4 s with 32 jobs; a phone's
 * audio plays in real time), so a core serves many
 * (docs/decisions/0020-virtual-time.md).
 */
static unsigned default_jobs(struct list *scenarios, const struct testbed *tb)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n, need, room;
	struct rlimit rl;

	if (!side_by_side(&need, scenarios, tb))
		return 1;

	n = (unsigned)(cores > 0 ? cores : 1) * DEFAULT_JOBS_PER_CORE;
	if (n > DEFAULT_JOBS_MAX)
		n = DEFAULT_JOBS_MAX;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / FDS_PER_JOB < n)
		n = rl.rlim_cur >= FDS_PER_JOB
		  ? (unsigned)(rl.rlim_cur / FDS_PER_JOB) : 1;
	room = addrpool_size(&tb->pool) / need;

	return room && room < n ? room : n;
}


/* how many phone scenarios play at once, whatever the jobs: their audio
 * and timers run in real time, and a phone must be up within READY_MS
 * (docs/decisions/0040-phone-cap.md) */
static unsigned phone_cap(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	return (unsigned)(cores > 0 ? cores : 1) * PHONES_PER_CORE;
}


/** How many phone scenarios a suite plays at once a core, and whether
 *  this is a sanitizer build (sipflow -V says so) */
unsigned suite_phones_per_core(bool *sanitizedp)
{
	if (sanitizedp)
		*sanitizedp = sanitized;

	return PHONES_PER_CORE;
}


/* the slots a suite of scenarios plays in: --jobs or the default, at
 * most one a scenario */
static unsigned slot_count(const struct suite_opts *o,
			   struct list *scenarios)
{
	unsigned n = o->jobs ? o->jobs : default_jobs(scenarios, o->tb);
	unsigned total = list_count(scenarios);

	if (n > MAX_JOBS)
		n = MAX_JOBS;
	if (n > total)
		n = total;

	return n ? n : 1;
}


/* a device's driver cannot play sc (a setting it cannot apply, a do: it
 * cannot do): *why says where and why; lint --testbed calls it an error */
static bool undrivable(char **why, const struct scenario *sc)
{
	struct diag dg;
	bool bad;

	diag_init(&dg);
	bad = testbed_check_drivers(sc, &dg) && diag_first(&dg);
	if (bad)
		(void)str_dup(why, diag_first(&dg));
	diag_reset(&dg);

	return bad;
}


/* a scenario whose requires: the bound roles do not meet, or that a
 * device's driver cannot play, is not played: skipped, with the reason,
 * in every report */
static bool skipped(struct suite *su, const struct scenario *sc,
		    unsigned order)
{
	const char *w;
	char *why = NULL;
	int err;

	if (capability_unmet(&why, sc) != ENOTSUP && !undrivable(&why, sc))
		return false;

	++su->done;
	w = why ? why : "a requirement is not met";
	err = report_add_skip(su->rp, sc, w, order);
	err |= suite_out_skip(su->out, order, sc, w,
			      report_scn_at(su->rp, order));
	if (err) {
		re_fprintf(stderr, "%s: not in the reports: %m\n", sc->name,
			   err);
		su->rc = EXIT_BAD;
	}
	mem_deref(why);

	return true;
}


/* the first of n pending scenarios, taken off the queue */
static struct scenario *pop_first(struct pending *q, unsigned *n,
				  unsigned *order)
{
	struct scenario *sc = q[0].sc;

	*order = q[0].order;
	--*n;
	memmove(q, q + 1, *n * sizeof(*q));

	return sc;
}


/* the next scenario to play: one a retired slot gave back, else (the
 * phones below their cap) a phone scenario held back, else the next of
 * the suite, holding back phone scenarios while the phones are at their
 * cap. Each keeps its place in the suite's order. NULL: none left, or
 * only held ones (a slot looks again when a run ends). */
static struct scenario *take_next(struct suite *su, unsigned *order)
{
	bool room = su->phones < su->phone_cap;
	struct scenario *sc;

	if (su->nagain)
		return pop_first(su->again, &su->nagain, order);
	if (su->nheld && room)
		return pop_first(su->held, &su->nheld, order);

	while (su->next) {
		sc = su->next->data;
		su->next = su->next->next;
		if (room || !has_phone(sc)) {
			*order = su->order++;
			return sc;
		}
		su->held[su->nheld].sc = sc;
		su->held[su->nheld].order = su->order++;
		++su->nheld;
	}

	return NULL;
}


/* sc could not be played, why (said on stderr): refused, in the reports
 * too */
static void refuse(struct suite *su, const struct scenario *sc,
		   const char *why, unsigned order)
{
	if (report_add_refused(su->rp, sc, why, order) ||
	    suite_out_refused(su->out, order, sc, why,
			      report_scn_at(su->rp, order)))
		re_fprintf(stderr, "%s: not in the reports\n", sc->name);
	su->rc = EXIT_BAD;
	++su->started;
	++su->refused;
	++su->done;
}


/* the role of sc whose address from the pool could not be listened on */
static const struct role *pool_role_failed(const struct scenario *sc)
{
	struct le *le;

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		if (r->auto_addr && r->listen_err)
			return r;
	}

	return NULL;
}


/* no slot is left: every scenario not played yet is refused, saying so */
static void refuse_rest(struct suite *su)
{
	struct scenario *sc;
	unsigned order;

	su->phone_cap = UINT_MAX;  /* every one left, held or not */
	while ((sc = take_next(su, &order)) != NULL) {
		char why[384];

		re_snprintf(why, sizeof(why), "no job slot is left to play "
			    "it (%u of %u retired; the last: %s)",
			    su->retired, su->jobs, su->why);
		suite_out_clear(su->out);
		re_fprintf(stderr, "%s: refused: %s\n", sc->file, why);
		refuse(su, sc, why, order);
	}
}


/* slot sl could not listen on r's address from its block: it plays no
 * more; sc goes back to be played in another slot */
static void retire(struct suite *su, struct slot *sl, struct scenario *sc,
		   unsigned order, const struct role *r)
{
	unsigned i, s = (unsigned)(sl - su->slots);

	sl->retired = true;
	++su->retired;
	suite_out_clear(su->out);
	re_snprintf(su->why, sizeof(su->why), "slot %u could not listen on "
		    "%s:%J: %m", s, sip_transp_name(r->tp), &r->addr,
		    r->listen_err);
	re_fprintf(stderr, "sipflow run: job slot %u retired: role %s of %s "
		   "cannot listen on %s:%J (%m), an address of its block %H; "
		   "%s\n", s, r->name, sc->name, sip_transp_name(r->tp),
		   &r->addr, r->listen_err, addrpool_print, &sl->blk,
		   su->retired < su->jobs ? "the suite goes on in the other "
		   "slots" : "no slot is left");

	su->again[su->nagain].sc = sc;
	su->again[su->nagain].order = order;
	++su->nagain;

	if (su->retired == su->jobs) {
		refuse_rest(su);
		return;
	}

	/* a slot that is idle now would not look again by itself */
	for (i = 0; i < su->jobs; i++)
		start_next(su, &su->slots[i]);
}


/* the clock a run of sc keeps: virtual when every role is scripted and
 * --real-time was not given (docs/decisions/0020-virtual-time.md) */
static int slot_clock(struct clock **clkp, const struct suite_opts *o,
		      const struct scenario *sc)
{
	bool virt = !o->real_time && !o->capture && run_virtual_ok(sc);

	return clock_alloc(clkp, virt ? CLOCK_VIRTUAL : CLOCK_REAL);
}


/* start sc in slot sl: 0 started, ENOENT the slot must retire (*rp, the
 * role that could not listen), ECANCELED skipped (requires:), else
 * refused (said on stderr; why, its first line) */
static int start_one(struct suite *su, struct slot *sl, struct scenario *sc,
		     const struct role **rp, char *why, size_t whysz)
{
	const struct suite_opts *o = su->opts;
	struct run_handlers h = {step_h, log_h, done_h, sl};
	struct run_opts ro;
	struct diag dg;
	int err;

	diag_init(&dg);
	sc->follows = sl->played;
	sc->follows_failure = sl->failed;
	err = scenario_bind_block(sc, o->tb, &sl->blk, &dg);
	if (!err && skipped(su, sc, sl->order)) {
		diag_reset(&dg);
		return ECANCELED;
	}
	if (!err) {
		re_snprintf(sl->pcap, sizeof(sl->pcap), "%s/%s%s",
			    o->outdir, sc->name, pcapw_ext(o->pcapng ?
			    PCAPW_PCAPNG : PCAPW_PCAP));
		memset(&ro, 0, sizeof(ro));
		ro.pcap_path = sl->pcap;
		ro.pcapng = o->pcapng;
		ro.strict = o->strict;
		ro.timeout_ms = o->timeout_ms;
		ro.capture = o->capture;
		ro.timers = o->timers;
		ro.settle_ms = o->tb->settle_ms;
		ro.settle_max_ms = o->tb->settle_max_ms;
		ro.earlierh = earlier_h;
		ro.earlier_arg = su;
		err = slot_clock(&ro.clock, o, sc);
		if (!err)
			err = run_alloc(&sl->run, sc, &ro, &h, &dg);
		ro.clock = mem_deref(ro.clock);
		*rp = err ? pool_role_failed(sc) : NULL;
		if (*rp) {
			diag_reset(&dg);
			return ENOENT;
		}
	}
	if (err) {
		suite_out_clear(su->out);
		if (dg.nerr && diag_first(&dg))
			re_snprintf(why, whysz, "%s", diag_first(&dg));
		else
			re_snprintf(why, whysz, "%s: cannot start: %m",
				    sc->file, err);
		if (dg.nerr)
			re_fprintf(stderr, "%H", diag_print, &dg);
		else
			re_fprintf(stderr, "%s\n", why);
		diag_reset(&dg);
		return err;
	}
	diag_reset(&dg);

	sl->sc = sc;
	sl->t0 = time(NULL);
	if (has_phone(sc))
		++su->phones;
	suite_out_begin(su->out, sl->order, sc, sl->pcap);
	if (run_start(sl->run)) {
		if (has_phone(sc))
			--su->phones;
		sl->run = mem_deref(sl->run);
		sl->sc = NULL;
		suite_out_clear(su->out);
		re_snprintf(why, whysz, "%s: cannot start", sc->file);
		re_fprintf(stderr, "%s\n", why);
		return EINVAL;
	}

	return 0;
}


static void start_next(struct suite *su, struct slot *sl)
{
	const struct role *r = NULL;
	struct scenario *sc;
	unsigned order;
	int err;

	if (sl->run || sl->retired)
		return;

	while (!su->interrupted && (sc = take_next(su, &order)) != NULL) {
		char why[512] = "";

		sl->order = order;
		err = start_one(su, sl, sc, &r, why, sizeof(why));
		if (!err) {
			++su->started;
			return;
		}
		if (err == ENOENT) {
			retire(su, sl, sc, order, r);
			return;
		}
		if (err == ECANCELED) {
			++su->started;  /* skipped: counted as done */
			continue;
		}
		refuse(su, sc, why, order);
	}
}


/**
 * Whether the testbed's address pool holds a block for every job slot
 * with an address for each role of a scenario that has none. EINVAL, said
 * why on stderr, when it does not.
 */
int suite_check_pool(struct list *scenarios, const struct suite_opts *opts)
{
	const struct scenario *most = NULL;
	unsigned slots, need = 0;
	uint32_t size;
	struct le *le;

	if (!scenarios || !opts || !opts->tb)
		return EINVAL;

	for (le = scenarios->head; le; le = le->next) {
		unsigned n = scenario_auto_roles(le->data, opts->tb);

		if (n > need) {
			need = n;
			most = le->data;
		}
	}

	slots = slot_count(opts, scenarios);
	size = addrpool_size(&opts->tb->pool);
	if (!most || (uint64_t)slots * need <= size)
		return 0;

	re_fprintf(stderr, "sipflow run: the address pool %H has %u "
		   "address%s; --jobs %u needs %u: %u slot%s of %u (%s has %u "
		   "role%s without an address)\n", addrpool_print,
		   &opts->tb->pool, size, size == 1 ? "" : "es",
		   opts->jobs ? opts->jobs : 1, slots * need, slots,
		   slots == 1 ? "" : "s", need, most->name, need,
		   need == 1 ? "" : "s");

	return EINVAL;
}


static void suite_destructor(void *data)
{
	struct suite *su = data;

	hash_flush(su->earlier);
	mem_deref(su->earlier);
	mem_deref(su->out);
	mem_deref(su->held);
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

	su = mem_zalloc(sizeof(*su), suite_destructor);
	if (!su)
		return EXIT_BAD;

	su->opts = opts;
	su->con = con;
	su->rp = rp;
	su->next = scenarios->head;
	su->total = list_count(scenarios);
	su->jobs = slot_count(opts, scenarios);
	su->phone_cap = phone_cap();
	su->held = mem_zalloc((su->total + 1) * sizeof(*su->held), NULL);
	if (!su->held || hash_alloc(&su->earlier, 256) ||
	    suite_out_alloc(&su->out, con, su->total, su->jobs > 1)) {
		mem_deref(su);
		return EXIT_BAD;
	}

	for (i = 0; i < su->jobs; i++) {
		su->slots[i].su = su;
		addrpool_block(&su->slots[i].blk, &opts->tb->pool, i,
			       su->jobs);
	}
	for (i = 0; i < su->jobs; i++)
		start_next(su, &su->slots[i]);

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

	suite_out_flush(su->out);
	report_sort(rp);
	rp->notrun = su->total - su->started;
	if (interrupted)
		*interrupted = su->interrupted;
	rc = su->rc;
	if (su->interrupted && rc == EXIT_PASS)
		rc = EXIT_FAIL;

	mem_deref(su);
	return rc;
}
