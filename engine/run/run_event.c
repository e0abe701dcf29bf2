/* engine/run/run_event.c — event: steps: what a device reports through its
 * driver (a Yealink's Action URL, baresip's control socket events), judged
 * like a message
 *
 * Every event a device's driver reports while the flow runs is kept with
 * its arrival time. An event: step passes when an event of its name from
 * its device, not taken by an earlier event: step, came after its
 * stimulus happened and within the step's bound (within:, else the step
 * timeout). The stimulus is the latest step before it that is not the
 * device's own message or event — a message to the device, a do: step
 * (from when its driver's request left) — as for a message's reaction.
 * Otherwise it fails once the bound has passed, naming what the device
 * reported instead — or that it reported nothing — and events that came
 * before the window.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "agent.h"
#include "run.h"
#include "run_priv.h"


enum { SEEN_MAX = 8 };   /* events named in a failure, at most */

struct devevent {
	struct le le;
	const struct role *from;
	char *name;
	char *detail;           /* a peer's URI, or NULL */
	uint64_t t;             /* run_now() when it came */
	bool taken;             /* by an event: step */
};


static void devevent_destructor(void *data)
{
	struct devevent *e = data;

	list_unlink(&e->le);
	mem_deref(e->name);
	mem_deref(e->detail);
}


/** An agent's device reported an event: kept for the event: steps */
void run_event_h(struct agent *ag, const char *name, const char *detail,
		 void *arg)
{
	struct run *run = arg;
	struct devevent *e;

	if (run->call->finished || !name)
		return;

	e = mem_zalloc(sizeof(*e), devevent_destructor);
	if (!e)
		return;
	e->from = ag->role;
	e->t = run_now(run);
	if (str_dup(&e->name, name) ||
	    (detail && str_dup(&e->detail, detail))) {
		mem_deref(e);
		return;
	}
	list_append(&run->events, &e->le, e);
	call_on_act_done(run->call);
}


/* the event's stimulus: the latest step before it that is not the
 * device's own doing (its messages and events are its reactions, in
 * whatever order it reports them) — a message to it, a do: of it, any
 * other step; NULL: the flow's start */
static const struct step *stimulus(const struct run *run,
				   const struct step *ev)
{
	const struct le *le;

	le = run->call->cur ? run->call->cur->prev : NULL;
	for (; le; le = le->prev) {
		const struct step *st = le->data;

		if (st->type == STEP_MSG && st->from == ev->ev.from)
			continue;
		if (st->type == STEP_EVENT && st->ev.from == ev->ev.from)
			continue;
		return st;
	}

	return NULL;
}


static void event_tmr_h(void *arg)
{
	run_advance(arg);
}


struct seen {
	const struct run *run;
	const struct step *st;
	uint64_t from;
};


/* "call_established (+120 ms), log_on (30 ms before it)" — what the
 * device reported that the step did not take */
static int seen_print(struct re_printf *pf, const struct seen *s)
{
	struct le *le;
	unsigned n = 0;
	int err = 0;

	for (le = s->run->events.head; le && !err; le = le->next) {
		const struct devevent *e = le->data;
		bool after = e->t >= s->from;
		uint64_t d = after ? e->t - s->from : s->from - e->t;

		if (e->from != s->st->ev.from || e->taken)
			continue;
		if (n++ == SEEN_MAX) {
			err = re_hprintf(pf, ", …");
			break;
		}
		err = re_hprintf(pf, "%s%s (%s%llu ms%s)",
				 n > 1 ? ", " : "", e->name,
				 after ? "+" : "", (unsigned long long)d,
				 after ? "" : " before it");
	}

	if (!n)
		err = re_hprintf(pf, "nothing");

	return err;
}


/* the first event of the step's name from its device not yet taken,
 * from t on */
static struct devevent *find(const struct run *run, const struct step *st,
			     uint64_t t)
{
	struct le *le;

	for (le = run->events.head; le; le = le->next) {
		struct devevent *e = le->data;

		if (e->from == st->ev.from && !e->taken && e->t >= t &&
		    !strcmp(e->name, st->ev.name))
			return e;
	}

	return NULL;
}


/** The event: step at the cursor: done, waiting, or failed */
enum prog run_event_step(struct run *run, const struct step *st)
{
	const struct step *prev = stimulus(run, st);
	uint64_t from = prev ? run->call->at[prev->idx] : 0;
	uint64_t now = run_now(run);
	uint32_t within = st->within_ms ? st->within_ms
		: call_step_timeout(run->call, st);
	struct seen s = {run, st, from};
	struct devevent *e;

	if (run->call->v[st->idx].status != VERDICT_PENDING)
		return PROG_DONE;

	e = find(run, st, from);
	if (e && e->t - from <= within) {
		e->taken = true;
		clock_tmr_cancel(&run->tmr_event);
		run_logf(run, "%s: %s reported %s%s%s (+%llu ms)", st->id,
			 st->ev.from->name, e->name, e->detail ? " " : "",
			 e->detail ? e->detail : "",
			 (unsigned long long)(e->t - from));
		call_step_done(run->call, st, VERDICT_PASS, 0, NULL);
		run->call->at[st->idx] = e->t;
		return PROG_DONE;
	}

	if (e) {
		call_step_fail(run->call, st, 0, "%s reported %s %llu ms "
			       "after %s, later than within: %u.%u s",
			       st->ev.from->name,
			       st->ev.name, (unsigned long long)(e->t - from),
			       prev ? prev->id : "the start", within / 1000,
			       within % 1000 / 100);
		return PROG_FAIL;
	}

	if (now < from + within) {
		clock_tmr_start(&run->tmr_event, run->clock,
				from + within - now, event_tmr_h, run);
		return PROG_WAIT;
	}

	call_step_fail(run->call, st, 0, "no %s event from %s within "
		       "%u.%u s of %s; %s reported %H", st->ev.name,
		       st->ev.from->name,
		       within / 1000, within % 1000 / 100,
		       prev ? prev->id : "the start", st->ev.from->name,
		       seen_print, &s);
	return PROG_FAIL;
}
