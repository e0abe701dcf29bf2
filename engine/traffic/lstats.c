/* engine/traffic/lstats.c — a load run's figures: per step the verdicts'
 * outcomes, response times and failure reasons, per run the calls */
#include <string.h>
#include <re.h>
#include "esc.h"
#include "failif.h"
#include "lathist.h"
#include "lstats.h"


struct lstats {
	struct lstats_step *steps;
	unsigned nsteps;
	struct list reasons;   /* struct lstats_reason, first seen first */
	unsigned nreasons;
	uint64_t attempted, completed, failed;
	uint64_t unexpected;
	uint64_t messages;     /* the steps' messages: what a share of
				  rtx and unexpected is of */
	unsigned concurrent_max;
	uint64_t elapsed_ms;
};

/* the reason every further one is counted under, past the bound */
static const char other_reasons[] = "(other reasons: more than 256 "
	"distinct)";


static void reason_destructor(void *data)
{
	struct lstats_reason *r = data;

	list_unlink(&r->le);
	mem_deref(r->text);
}


static void destructor(void *data)
{
	struct lstats *s = data;
	unsigned i;

	list_flush(&s->reasons);
	for (i = 0; i < s->nsteps; i++)
		mem_deref(s->steps[i].rt);
	mem_deref(s->steps);
}


/**
 * Figures for a scenario of nsteps steps named ids[] (the strings must
 * outlive the figures: the scenario's own)
 */
int lstats_alloc(struct lstats **sp, const char *const *ids,
		 unsigned nsteps)
{
	struct lstats *s;
	unsigned i;
	int err = 0;

	if (!sp || !ids || !nsteps)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;

	s->steps = mem_zalloc(nsteps * sizeof(*s->steps), NULL);
	if (!s->steps) {
		err = ENOMEM;
		goto out;
	}
	s->nsteps = nsteps;
	for (i = 0; i < nsteps; i++) {
		s->steps[i].id = ids[i];
		s->steps[i].rt = mem_zalloc(sizeof(struct lathist), NULL);
		if (!s->steps[i].rt) {
			err = ENOMEM;
			goto out;
		}
		lathist_init(s->steps[i].rt);
	}

 out:
	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}


static struct lstats_reason *reason_find(const struct lstats *s,
					 unsigned step, const char *text)
{
	struct le *le;

	for (le = s->reasons.head; le; le = le->next) {
		struct lstats_reason *r = le->data;

		if (r->step == step && !strcmp(r->text, text))
			return r;
	}

	return NULL;
}


/* count a failure's reason; a new one past the bound goes under
 * other_reasons, so a flood of distinct texts costs bounded memory */
static int reason_count(struct lstats *s, unsigned step,
			const struct lstats_obs *o)
{
	struct lstats_reason *r;
	char *text = NULL;
	bool exact;
	int err;

	err = esc_utf8_dup(&text, (const uint8_t *)(o->reason ? o->reason :
						    "(no reason given)"),
			   strlen(o->reason ? o->reason :
				  "(no reason given)"), &exact);
	if (err)
		return err;

	r = reason_find(s, step, text);
	if (!r && s->nreasons >= LSTATS_MAX_REASONS) {
		text = mem_deref(text);
		err = str_dup(&text, other_reasons);
		if (err)
			return err;
		r = reason_find(s, step, text);
	}
	if (r) {
		mem_deref(text);
		++r->count;
		return 0;
	}

	r = mem_zalloc(sizeof(*r), reason_destructor);
	if (!r) {
		mem_deref(text);
		return ENOMEM;
	}
	r->text = text;
	r->step = step;
	r->count = 1;
	r->call = o->call;
	r->frame = o->frame;
	list_append(&s->reasons, &r->le, r);
	++s->nreasons;

	return 0;
}


/** What step idx of one call came to */
int lstats_step(struct lstats *s, unsigned idx, const struct lstats_obs *o)
{
	struct lstats_step *st;

	if (!s || !o || idx >= s->nsteps || o->outcome > LSTATS_NOTRUN)
		return EINVAL;

	st = &s->steps[idx];
	++st->n[o->outcome];

	switch (o->outcome) {

	case LSTATS_PASS:
		++s->messages;
		lathist_add(st->rt, o->us);
		return 0;

	case LSTATS_FAIL:
	case LSTATS_TIMEOUT:
		++s->messages;
		return reason_count(s, idx, o);

	default:
		return 0;
	}
}


void lstats_rtx(struct lstats *s, unsigned idx, uint64_t n)
{
	if (s && idx < s->nsteps)
		s->steps[idx].rtx += n;
}


void lstats_unexpected(struct lstats *s, uint64_t n)
{
	if (s)
		s->unexpected += n;
}


/** A call began, with concurrent calls now under way (itself too) */
void lstats_call_started(struct lstats *s, unsigned concurrent)
{
	if (!s)
		return;

	++s->attempted;
	if (concurrent > s->concurrent_max)
		s->concurrent_max = concurrent;
}


void lstats_call_ended(struct lstats *s, bool passed)
{
	if (!s)
		return;

	if (passed)
		++s->completed;
	else
		++s->failed;
}


void lstats_set_elapsed(struct lstats *s, uint64_t ms)
{
	if (s)
		s->elapsed_ms = ms;
}


unsigned lstats_nsteps(const struct lstats *s)
{
	return s ? s->nsteps : 0;
}


const struct lstats_step *lstats_step_at(const struct lstats *s,
					 unsigned idx)
{
	return s && idx < s->nsteps ? &s->steps[idx] : NULL;
}


const struct list *lstats_reasons(const struct lstats *s)
{
	return s ? &s->reasons : NULL;
}


uint64_t lstats_attempted(const struct lstats *s)
{
	return s ? s->attempted : 0;
}


uint64_t lstats_completed(const struct lstats *s)
{
	return s ? s->completed : 0;
}


uint64_t lstats_failed(const struct lstats *s)
{
	return s ? s->failed : 0;
}


/** Calls begun per second of the run so far; 0 before any time passed */
double lstats_rate(const struct lstats *s)
{
	if (!s || !s->elapsed_ms)
		return 0;

	return (double)s->attempted * 1000.0 / (double)s->elapsed_ms;
}


static const struct lstats_step *step_named(const struct lstats *s,
					    const char *id)
{
	unsigned i;

	for (i = 0; i < s->nsteps; i++) {
		if (s->steps[i].id && !strcmp(s->steps[i].id, id))
			return &s->steps[i];
	}

	return NULL;
}


/* a step's figure: counts of the calls that reached it, or a time of
 * its passes */
static void step_fig(const struct failif *f, const struct lstats_step *st,
		     struct failif_fig *fig)
{
	const struct lathist *h = st->rt;
	uint64_t reached = st->n[LSTATS_PASS] + st->n[LSTATS_FAIL] +
		st->n[LSTATS_TIMEOUT];

	fig->whole = (double)reached;
	fig->n = reached;

	switch (f->what) {

	case FAILIF_FAILED:
		fig->value = (double)(st->n[LSTATS_FAIL] +
				      st->n[LSTATS_TIMEOUT]);
		break;
	case FAILIF_TIMEOUTS:
		fig->value = (double)st->n[LSTATS_TIMEOUT];
		break;
	case FAILIF_RTX:
		fig->value = (double)st->rtx;
		break;
	case FAILIF_MIN:
		fig->value = (double)(h->n ? h->min_us : 0);
		fig->n = h->n;
		break;
	case FAILIF_MAX:
		fig->value = (double)h->max_us;
		fig->n = h->n;
		break;
	case FAILIF_MEAN:
		fig->value = lathist_mean(h);
		fig->n = h->n;
		break;
	case FAILIF_PCT:
		fig->value = (double)lathist_pct(h, f->pct);
		fig->n = h->n;
		break;
	default:
		fig->n = 0;
		break;
	}
}


/* a whole run's figure: counts of the calls attempted; rtx and
 * unexpected of the messages */
static void run_fig(const struct failif *f, const struct lstats *s,
		    struct failif_fig *fig)
{
	uint64_t v = 0;
	unsigned i;

	fig->n = s->attempted;
	fig->whole = (double)s->attempted;

	switch (f->what) {

	case FAILIF_ATTEMPTED:
		v = s->attempted;
		break;
	case FAILIF_COMPLETED:
		v = s->completed;
		break;
	case FAILIF_FAILED:
		v = s->failed;
		break;
	case FAILIF_TIMEOUTS:
		for (i = 0; i < s->nsteps; i++)
			v += s->steps[i].n[LSTATS_TIMEOUT];
		break;
	case FAILIF_CONCURRENT:
		v = s->concurrent_max;
		break;
	case FAILIF_RATE_ACHIEVED:
		fig->value = lstats_rate(s);
		fig->n = s->elapsed_ms ? s->attempted : 0;
		return;
	case FAILIF_RTX:
		for (i = 0; i < s->nsteps; i++)
			v += s->steps[i].rtx;
		fig->whole = (double)s->messages;
		break;
	case FAILIF_UNEXPECTED:
		v = s->unexpected;
		fig->whole = (double)s->messages;
		break;
	default:
		fig->n = 0;
		break;
	}

	fig->value = (double)v;
}


/**
 * The figure a --fail-if threshold names (failif_fig_h; arg: the
 * lstats). ENOENT for a step the scenario does not have.
 */
int lstats_fig(const struct failif *f, struct failif_fig *fig, void *arg)
{
	const struct lstats *s = arg;

	if (!f || !fig || !s)
		return EINVAL;

	memset(fig, 0, sizeof(*fig));
	fig->f = f;

	if (f->step) {
		const struct lstats_step *st = step_named(s, f->step);

		if (!st)
			return ENOENT;
		step_fig(f, st, fig);
	}
	else {
		run_fig(f, s, fig);
	}

	return 0;
}
