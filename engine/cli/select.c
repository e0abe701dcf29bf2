/* engine/cli/select.c — which of the loaded scenarios a run plays.
 *
 * In this order: --tag (any of them), --filter REGEX (the scenario's
 * name, POSIX extended), --rerun-failed OUTDIR (the names that did not
 * pass in that run's report.json), then --shard K/N keeps every N-th of
 * what is left, in file order, so shards never overlap and always
 * cover the selection. --list prints the result instead of playing it.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <regex.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "report.h"
#include "cli.h"
#include "select.h"
#include "testbed.h"


void select_init(struct select *s, const char **tags)
{
	memset(s, 0, sizeof(*s));
	s->tags = tags;
	s->shard_k = s->shard_n = 1;
}


void select_reset(struct select *s)
{
	size_t i;

	if (s->has_re)
		regfree(&s->re);
	for (i = 0; i < s->nfailed; i++)
		mem_deref(s->failed[i]);
	mem_deref(s->failed);
	s->has_re = false;
	s->failed = NULL;
	s->nfailed = 0;
}


/** --filter REGEX: EINVAL, said why, when it is not one */
int select_filter(struct select *s, const char *regex)
{
	char why[128];
	int err;

	if (s->has_re) {
		regfree(&s->re);
		s->has_re = false;
	}

	err = regcomp(&s->re, regex, REG_EXTENDED | REG_NOSUB);
	if (err) {
		regerror(err, &s->re, why, sizeof(why));
		re_fprintf(stderr, "--filter: '%s' is not a regular "
			   "expression (POSIX extended): %s\n", regex, why);
		return EINVAL;
	}
	s->has_re = true;
	s->regex = regex;

	return 0;
}


/** --shard K/N, 1 <= K <= N <= 1000: EINVAL, said why */
int select_shard(struct select *s, const char *arg)
{
	char *end = NULL;
	unsigned long a, b;

	a = strtoul(arg, &end, 10);
	if (end && *end == '/') {
		b = strtoul(end + 1, &end, 10);
		if (end && !*end && b && a && a <= b && b <= 1000) {
			s->shard_k = (unsigned)a;
			s->shard_n = (unsigned)b;
			return 0;
		}
	}

	re_fprintf(stderr, "--shard: '%s' is not K/N with 1 <= K <= N\n",
		   arg);
	return EINVAL;
}


/**
 * --rerun-failed OUTDIR: the scenarios that failed (or ended in any way
 * but passed or skipped) in OUTDIR/report.json. EINVAL, said why, when
 * there is no such report or it is not one
 */
int select_rerun(struct select *s, const char *outdir)
{
	struct report *rp = NULL;
	struct le *le;
	char *path = NULL;
	size_t n = 0;
	int err;

	err = re_sdprintf(&path, "%s/report.json", outdir);
	if (!err)
		err = report_alloc(&rp);
	if (!err)
		err = report_load_json(rp, path);
	if (err) {
		re_fprintf(stderr, "--rerun-failed: %s/report.json: %s\n",
			   outdir, err == EBADMSG ? "not a sipflow "
			   "report.json (not JSON)" : err == EPROTO ? "not a "
			   "sipflow report.json (unknown schema)" :
			   strerror(err));
		mem_deref(path);
		mem_deref(rp);
		return EINVAL;
	}
	path = mem_deref(path);

	s->failed = mem_zalloc((list_count(&rp->scns) + 1) *
			       sizeof(*s->failed), NULL);
	for (le = rp->scns.head; s->failed && le; le = le->next) {
		const struct report_scn *sc = le->data;

		if (sc->passed || sc->skipped || !sc->name)
			continue;
		if (str_dup(&s->failed[n], sc->name))
			break;
		++n;
	}
	s->nfailed = n;
	s->rerun = true;
	s->rerun_dir = outdir;

	/* a refused scenario is in the report (result "refused") and is
	 * played again; one an interrupt never reached is only counted */
	if (rp->notrun)
		re_fprintf(stderr, "--rerun-failed: %s: %u scenarios were not "
			   "reached (the run was interrupted); report.json "
			   "does not name them, so they are not played "
			   "again\n", path, rp->notrun);
	mem_deref(rp);

	return s->failed ? 0 : ENOMEM;
}


static bool has_tag(const struct scenario *sc, const char *const *tags,
		    size_t ntags)
{
	struct le *le;
	size_t i;

	if (!ntags)
		return true;

	for (le = sc->tags.head; le; le = le->next) {
		const struct strle *t = le->data;

		for (i = 0; i < ntags; i++) {
			if (!strcmp(t->str, tags[i]))
				return true;
		}
	}

	return false;
}


static bool failed_before(const struct select *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nfailed; i++) {
		if (!strcmp(s->failed[i], name))
			return true;
	}

	return false;
}


/** Whether a loaded scenario is played (called once each, in order) */
bool select_keep(struct select *s, const struct scenario *sc)
{
	if (!has_tag(sc, s->tags, s->ntags))
		return false;
	if (s->has_re && regexec(&s->re, sc->name, 0, NULL, 0))
		return false;
	if (s->rerun && !failed_before(s, sc->name))
		return false;

	return (s->idx++ % s->shard_n) == s->shard_k - 1;
}


/** Every scenario of all (loaded, in path order) that is played moves
 *  to scs, in order; the rest stay in all */
void select_all(struct select *s, struct list *scs, struct list *all)
{
	struct le *le = all->head;

	while (le) {
		struct scenario *sc = le->data;

		le = le->next;
		if (!select_keep(s, sc))
			continue;
		list_unlink(&sc->le);
		list_append(scs, &sc->le, sc);
	}
}


/* the selection asked for, as given: "--tag a --filter 'x' --shard 3/3" */
static int asked_print(struct re_printf *pf, const struct select *s)
{
	const char *sep = "";
	size_t i;
	int err = 0;

	for (i = 0; i < s->ntags; i++, sep = " ")
		err |= re_hprintf(pf, "%s--tag %s", sep, s->tags[i]);
	if (s->has_re) {
		err |= re_hprintf(pf, "%s--filter '%s'", sep, s->regex);
		sep = " ";
	}
	if (s->rerun) {
		err |= re_hprintf(pf, "%s--rerun-failed %s (its %zu failed "
				  "scenario%s not among those given)", sep,
				  s->rerun_dir, s->nfailed,
				  s->nfailed == 1 ? " is" : "s are");
		sep = " ";
	}
	if (s->shard_n > 1)
		err |= re_hprintf(pf, "%s--shard %u/%u", sep, s->shard_k,
				  s->shard_n);

	return err;
}


/**
 * Nothing selected: exit 2 saying why, or 0 with --rerun-failed when
 * nothing had failed (there is nothing to do, and that is no mistake);
 * -1 when there is something to play. nflows: the flows loaded (blocks
 * are not flows).
 */
int select_empty(const struct select *s, const struct list *scs,
		 size_t nflows)
{
	if (!list_isempty(scs))
		return -1;

	if (s->rerun && !s->nfailed) {
		re_printf("sipflow run: nothing failed in %s/report.json: "
			  "nothing to rerun\n", s->rerun_dir);
		return EXIT_PASS;
	}

	if (!nflows)
		re_fprintf(stderr, "sipflow run: no scenario selected: the "
			   "files given hold no flow (only blocks)\n");
	else if (s->ntags && !s->has_re && !s->rerun && !s->idx)
		re_fprintf(stderr, "sipflow run: no scenario selected: %H "
			   "matches none of the %zu scenarios loaded (their "
			   "tags: lists)\n", asked_print, s, nflows);
	else
		re_fprintf(stderr, "sipflow run: no scenario selected: %H "
			   "leaves none of the %zu scenario%s loaded (%zu "
			   "past the filters; a shard past their number is "
			   "empty)\n", asked_print, s, nflows,
			   nflows == 1 ? "" : "s", s->idx);
	return EXIT_BAD;
}


/* " A=ua", or bound to tb: " A=ua@udp:127.0.0.10:5060",
 * " B=dut@bob-phone" (the testbed's name of the device) */
static void roles_list(struct scenario *sc, const struct testbed *tb)
{
	struct diag dg;
	struct le *le;
	bool bound;

	diag_init(&dg);
	bound = tb && !scenario_bind(sc, tb, &dg);
	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;

		re_printf(" %s=%s", r->name, r->dut ? "dut"
			  : role_kind_name(r->kind));
		if (bound)
			re_printf("@%H", testbed_device_print, r);
	}
	/* the testbed does not fit: say so on its line (run says how) */
	if (tb && !bound)
		re_printf("  (not bound: %s)", diag_first(&dg) ?
			  diag_first(&dg) : "?");
	diag_reset(&dg);
}


/** --list: one line a scenario: name, file, tags, roles (and kinds);
 *  with a testbed (tb), where each role is bound */
int select_list(const struct list *scs, const struct testbed *tb)
{
	struct le *le, *l2;
	unsigned n = 0;

	for (le = scs->head; le; le = le->next) {
		struct scenario *sc = le->data;

		re_printf("%s  %s  tags:", sc->name, sc->file);
		for (l2 = sc->tags.head; l2; l2 = l2->next)
			re_printf("%s%s", l2 == sc->tags.head ? " " : ",",
				  ((struct strle *)l2->data)->str);
		if (list_isempty(&sc->tags))
			re_printf(" -");
		re_printf("  roles:");
		roles_list(sc, tb);
		re_printf("\n");
		++n;
	}
	re_printf("%u scenarios selected\n", n);

	return stdout_flush() ? EXIT_BAD : EXIT_PASS;
}
