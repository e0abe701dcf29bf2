/* engine/traffic/failif.c — parse and judge a load run's thresholds
 * (the grammar is in failif.h) */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "diag.h"
#include "failif.h"


/* the figures a threshold can name: a row each */
struct figure {
	const char *name;
	enum failif_what what;
	enum failif_kind kind;
	bool step;             /* a step's figure (STEP.name) */
	bool share_ok;         /* may be given as a share (%) */
	double pct;            /* a percentile's rank */
};

static const struct figure figures[] = {
	{"attempted",  FAILIF_ATTEMPTED, FAILIF_COUNT, false, false, 0},
	{"completed",  FAILIF_COMPLETED, FAILIF_COUNT, false, true,  0},
	{"failed",     FAILIF_FAILED, FAILIF_COUNT, false, true,  0},
	{"timeouts",   FAILIF_TIMEOUTS, FAILIF_COUNT, false, true,  0},
	{"unexpected", FAILIF_UNEXPECTED, FAILIF_COUNT, false, true,  0},
	{"rtx",        FAILIF_RTX, FAILIF_COUNT, false, true,  0},
	{"rate",       FAILIF_RATE_ACHIEVED, FAILIF_RATE,  false, false, 0},
	{"concurrent", FAILIF_CONCURRENT, FAILIF_COUNT, false, false, 0},
	{"failed",     FAILIF_FAILED, FAILIF_COUNT, true,  true,  0},
	{"timeouts",   FAILIF_TIMEOUTS, FAILIF_COUNT, true,  true,  0},
	{"rtx",        FAILIF_RTX, FAILIF_COUNT, true,  true,  0},
	{"min",        FAILIF_MIN, FAILIF_TIME,  true,  false, 0},
	{"mean",       FAILIF_MEAN, FAILIF_TIME,  true,  false, 0},
	{"p50",        FAILIF_PCT, FAILIF_TIME,  true,  false, 50},
	{"p90",        FAILIF_PCT, FAILIF_TIME,  true,  false, 90},
	{"p95",        FAILIF_PCT, FAILIF_TIME,  true,  false, 95},
	{"p99",        FAILIF_PCT, FAILIF_TIME,  true,  false, 99},
	{"p999",       FAILIF_PCT, FAILIF_TIME,  true,  false, 99.9},
	{"max",        FAILIF_MAX, FAILIF_TIME,  true,  false, 0},
};

/* the operators, longest first so ">=" is not read as ">" */
static const struct {
	const char *s;
	enum failif_op op;
} ops[] = {
	{">=", FAILIF_GE}, {"<=", FAILIF_LE}, {"==", FAILIF_EQ},
	{"!=", FAILIF_NE}, {">", FAILIF_GT}, {"<", FAILIF_LT},
};

/* a time's units, in microseconds */
static const struct {
	const char *s;
	double us;
} time_units[] = {
	{"us", 1}, {"ms", 1000}, {"s", 1000000},
};


static void destructor(void *data)
{
	struct failif *f = data;

	mem_deref(f->text);
	mem_deref(f->step);
}


static const char *op_name(enum failif_op op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (ops[i].op == op)
			return ops[i].s;
	}

	return "?";
}


static struct pl trimmed(const char *p, size_t l)
{
	struct pl pl = {p, l};

	while (pl.l && (pl.p[0] == ' ' || pl.p[0] == '\t'))
		pl_advance(&pl, 1);
	while (pl.l && (pl.p[pl.l - 1] == ' ' || pl.p[pl.l - 1] == '\t'))
		--pl.l;

	return pl;
}


/* the figure a metric names; its names for a did-you-mean in names[] */
static const struct figure *figure_find(const struct pl *name, bool step,
					const char **names, size_t *nn)
{
	size_t i;

	*nn = 0;
	for (i = 0; i < ARRAY_SIZE(figures); i++) {
		if (figures[i].step != step)
			continue;
		names[(*nn)++] = figures[i].name;
		if (!pl_strcmp(name, figures[i].name))
			return &figures[i];
	}

	return NULL;
}


static int metric_parse(struct failif *f, const struct pl *metric,
			const struct figure **figp, struct diag *dg)
{
	const char *names[ARRAY_SIZE(figures)];
	const struct figure *fig;
	const char *dot = NULL;
	struct pl name = *metric;
	char *word = NULL;
	size_t i, nn;
	int err;

	for (i = 0; i < metric->l; i++) {
		if (metric->p[i] == '.')
			dot = metric->p + i;
	}
	if (dot) {
		struct pl step = {metric->p, (size_t)(dot - metric->p)};

		if (!step.l)
			return diag_err(dg, NULL, NULL, "--fail-if '%s': no "
					"step before '.'", f->text), EINVAL;
		err = pl_strdup(&f->step, &step);
		if (err)
			return err;
		name.p = dot + 1;
		name.l = (size_t)(metric->p + metric->l - name.p);
	}

	fig = figure_find(&name, f->step != NULL, names, &nn);
	if (fig) {
		*figp = fig;
		f->figure = fig->name;
		f->what = fig->what;
		f->kind = fig->kind;
		f->pct = fig->pct;
		return 0;
	}

	err = pl_strdup(&word, &name);
	if (err)
		return err;
	{
		const char *sugg = diag_suggest(word, names, nn);
		char list[256] = "";
		size_t used = 0;

		for (i = 0; i < nn && used < sizeof(list); i++)
			used += (size_t)re_snprintf(list + used,
					    sizeof(list) - used, "%s%s",
					    i ? ", " : "", names[i]);
		if (sugg)
			err = diag_err(dg, NULL, NULL, "--fail-if '%s': no "
				       "%sfigure '%s': did you mean '%s'?",
				       f->text, f->step ? "step " : "",
				       word, sugg);
		else
			err = diag_err(dg, NULL, NULL, "--fail-if '%s': no "
				       "%sfigure '%s' (%s%s)", f->text,
				       f->step ? "step " : "", word,
				       f->step ? "STEP." : "", list);
	}
	mem_deref(word);

	return err ? err : EINVAL;
}


/* VALUE with its unit, as the figure's kind allows */
static int value_parse(struct failif *f, const struct pl *val,
		       bool share_ok, struct diag *dg)
{
	char num[64];
	char *end;
	double v;
	size_t i;

	if (!val->l || val->l >= sizeof(num))
		return diag_err(dg, NULL, NULL, "--fail-if '%s': no value "
				"after the operator", f->text), EINVAL;

	pl_strcpy(val, num, sizeof(num));
	v = strtod(num, &end);
	if (end == num || !isfinite(v) || v < 0)
		return diag_err(dg, NULL, NULL, "--fail-if '%s': '%s' is not "
				"a number of 0 or more", f->text, num),
			EINVAL;

	switch (f->kind) {

	case FAILIF_COUNT:
		if (!*end) {
			f->value = v;
			return 0;
		}
		if (!strcmp(end, "%") && share_ok && v <= 100) {
			f->share = true;
			f->value = v / 100;
			return 0;
		}
		if (!strcmp(end, "%"))
			return diag_err(dg, NULL, NULL, "--fail-if '%s': %s "
					"%s", f->text, f->figure, v > 100 ?
					"as a share is at most 100%" :
					"is a count, not a share"), EINVAL;
		return diag_err(dg, NULL, NULL, "--fail-if '%s': %s is a "
				"count: '%s' is not its unit (a number, or "
				"a share as 0.1%%)", f->text, f->figure,
				end), EINVAL;

	case FAILIF_TIME:
		for (i = 0; i < ARRAY_SIZE(time_units); i++) {
			if (!strcmp(end, time_units[i].s)) {
				f->value = v * time_units[i].us;
				return 0;
			}
		}
		return diag_err(dg, NULL, NULL, "--fail-if '%s': %s.%s is a "
				"time: give its unit (us, ms, s), as in "
				"50ms", f->text, f->step, f->figure), EINVAL;

	case FAILIF_RATE:
		if (!*end || !strcmp(end, "/s")) {
			f->value = v;
			return 0;
		}
		return diag_err(dg, NULL, NULL, "--fail-if '%s': rate is "
				"calls per second: '%s' is not its unit",
				f->text, end), EINVAL;
	}

	return EINVAL;
}


/**
 * Parse one --fail-if threshold; on a mistake, an error in dg naming the
 * threshold and what is wrong, and EINVAL
 */
int failif_parse(struct failif **fp, const char *text, struct diag *dg)
{
	const struct figure *fig = NULL;
	struct pl metric, val;
	struct failif *f;
	const char *at = NULL;
	size_t i, oplen = 0;
	int err;

	if (!fp || !text || !dg)
		return EINVAL;

	f = mem_zalloc(sizeof(*f), destructor);
	if (!f)
		return ENOMEM;

	err = str_dup(&f->text, text);
	if (err)
		goto out;

	for (i = 0; text[i] && !at; i++) {
		size_t k;

		for (k = 0; k < ARRAY_SIZE(ops); k++) {
			size_t l = strlen(ops[k].s);

			if (!strncmp(text + i, ops[k].s, l)) {
				at = text + i;
				oplen = l;
				f->op = ops[k].op;
				break;
			}
		}
	}
	if (!at) {
		err = diag_err(dg, NULL, NULL, "--fail-if '%s': no comparison "
			       "(METRIC OP VALUE, OP one of > >= < <= == "
			       "!=, as in 'failed>0.1%%')", text);
		err = err ? err : EINVAL;
		goto out;
	}

	metric = trimmed(text, (size_t)(at - text));
	val = trimmed(at + oplen, strlen(at + oplen));
	if (!metric.l) {
		err = diag_err(dg, NULL, NULL, "--fail-if '%s': no metric "
			       "before '%s'", text, op_name(f->op));
		err = err ? err : EINVAL;
		goto out;
	}

	err = metric_parse(f, &metric, &fig, dg);
	if (!err)
		err = value_parse(f, &val, fig->share_ok, dg);

 out:
	if (err)
		mem_deref(f);
	else
		*fp = f;

	return err;
}


/** Does the comparison hold for what fig measured (the run fails)? */
enum failif_result failif_judge(const struct failif *f,
				const struct failif_fig *fig)
{
	double v;

	if (!f || !fig || !fig->n)
		return FAILIF_UNJUDGED;

	v = fig->value;
	if (f->share) {
		if (fig->whole <= 0)
			return FAILIF_UNJUDGED;
		v /= fig->whole;
	}

	switch (f->op) {

	case FAILIF_GT: return v > f->value ? FAILIF_BROKEN : 0;
	case FAILIF_GE: return v >= f->value ? FAILIF_BROKEN : 0;
	case FAILIF_LT: return v < f->value ? FAILIF_BROKEN : 0;
	case FAILIF_LE: return v <= f->value ? FAILIF_BROKEN : 0;
	case FAILIF_EQ: return v == f->value ? FAILIF_BROKEN : 0;
	case FAILIF_NE: return v != f->value ? FAILIF_BROKEN : 0;
	}

	return FAILIF_UNJUDGED;
}


/** What was measured, in the threshold's own unit: "61.204ms",
 *  "0.250% (3 of 1200)", "3", "7981.5/s"; "no sample" when there was
 *  none */
int failif_print_fig(struct re_printf *pf, const struct failif_fig *fig)
{
	const struct failif *f = fig ? fig->f : NULL;

	if (!f)
		return 0;

	if (!fig->n || (f->share && fig->whole <= 0))
		return re_hprintf(pf, "no sample");

	switch (f->kind) {

	case FAILIF_TIME:
		return re_hprintf(pf, "%.3fms", fig->value / 1000);

	case FAILIF_RATE:
		return re_hprintf(pf, "%.1f/s", fig->value);

	case FAILIF_COUNT:
		/* counts are whole (libre's %.0f would print 6 places) */
		if (f->share)
			return re_hprintf(pf, "%.3f%% (%llu of %llu)",
					  100 * fig->value / fig->whole,
					  (unsigned long long)fig->value,
					  (unsigned long long)fig->whole);
		return re_hprintf(pf, "%llu", (unsigned long long)fig->value);
	}

	return 0;
}
