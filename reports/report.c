/* reports/report.c — what a suite run produced, kept for the reports
 *
 * A run is freed when its scenario ends; what the report files need of it
 * (verdicts, every message with its text, the roles) is copied here.
 *
 * This is where text from the wire enters every report file: each string
 * is copied through report_str, which makes it valid UTF-8 whatever a
 * peer sent (engine/model/esc.c); a message's text keeps all its bytes,
 * NUL and all, and the exact bytes go along in base64 when the text could
 * not hold them (docs/decisions/0025-peer-bytes-in-reports.md). Each
 * format escapes what is special to it (json.c, xml.c, html.c).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include "scenario.h"
#include "esc.h"
#include "msgrec.h"
#include "run.h"
#include "rules.h"
#include "report.h"


enum { TEXT_MAX = 16384 };


static int sdup(char **out, const char *s);


static void role_destructor(void *data)
{
	struct report_role *r = data;

	list_unlink(&r->le);
	mem_deref(r->name);
	mem_deref(r->kind);
	mem_deref(r->addr);
}


static void media_destructor(void *data)
{
	struct report_media *m = data;

	list_unlink(&m->le);
	mem_deref(m->from);
	mem_deref(m->to);
	mem_deref(m->dtmf);
}


static void step_destructor(void *data)
{
	struct report_step *s = data;

	list_unlink(&s->le);
	list_flush(&s->media);
	mem_deref(s->id);
	mem_deref(s->type);
	mem_deref(s->what);
	mem_deref(s->from);
	mem_deref(s->to);
	mem_deref(s->group);
	mem_deref(s->status);
	mem_deref(s->reason);
	mem_deref(s->file);
}


static void msg_destructor(void *data)
{
	struct report_msg *m = data;

	list_unlink(&m->le);
	mem_deref(m->from);
	mem_deref(m->to);
	mem_deref(m->line);
	mem_deref(m->step);
	mem_deref(m->status);
	mem_deref(m->text);
	mem_deref(m->text_b64);
}


static void finding_destructor(void *data)
{
	struct report_finding *f = data;

	list_unlink(&f->le);
	mem_deref(f->rule);
	mem_deref(f->rfc);
	mem_deref(f->severity);
	mem_deref(f->text);
	mem_deref(f->got);
	mem_deref(f->step);
}


static int add_finding(struct report_scn *s, const struct finding *f)
{
	struct report_finding *rf;
	int err;

	err = report_finding_alloc(&rf, s);
	if (err)
		return err;

	err = sdup(&rf->rule, f->rule->id);
	err |= sdup(&rf->rfc, f->rule->rfc);
	err |= sdup(&rf->severity, f->sev == RULE_ERROR ? "error" : "warning");
	err |= sdup(&rf->text, f->rule->text);
	err |= sdup(&rf->got, f->bad);
	err |= sdup(&rf->step, f->step);
	rf->frame = f->frame;

	return err;
}


static void scn_destructor(void *data)
{
	struct report_scn *s = data;

	list_unlink(&s->le);
	list_flush(&s->tags);
	list_flush(&s->roles);
	list_flush(&s->steps);
	list_flush(&s->msgs);
	list_flush(&s->findings);
	mem_deref(s->name);
	mem_deref(s->file);
	mem_deref(s->title);
	mem_deref(s->source);
	mem_deref(s->pcap);
	mem_deref(s->skipped);
	mem_deref(s->refused);
	mem_deref(s->stamp);
	mem_deref(s->host);
	mem_deref(s->console);
}


static void destructor(void *data)
{
	struct report *rp = data;

	list_flush(&rp->scns);
	mem_deref(rp->started);
	mem_deref(rp->host);
}


/* t as ISO 8601 in UTC: with the zone (Z), or without it, as Ant's
 * JUnit timestamps are written */
static int iso_time(char **out, time_t t, bool zone)
{
	char buf[32];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), zone ? "%Y-%m-%dT%H:%M:%SZ"
		 : "%Y-%m-%dT%H:%M:%S", &tm);
	mem_deref(*out);
	*out = NULL;

	return str_dup(out, buf);
}


/** An empty report, stamped with the time it started and the machine */
int report_alloc(struct report **rpp)
{
	struct report *rp;
	char host[256] = "";

	if (!rpp)
		return EINVAL;

	rp = mem_zalloc(sizeof(*rp), destructor);
	if (!rp)
		return ENOMEM;

	if (gethostname(host, sizeof(host) - 1) || !host[0])
		str_ncpy(host, "localhost", sizeof(host));
	if (iso_time(&rp->started, time(NULL), true) ||
	    report_str(&rp->host, host)) {
		mem_deref(rp);
		return ENOMEM;
	}

	*rpp = rp;
	return 0;
}


static const char *status_word(enum verdict_status s)
{
	switch (s) {

	case VERDICT_PASS:   return "pass";
	case VERDICT_FAIL:   return "fail";
	case VERDICT_SKIP:   return "skip";
	case VERDICT_NOTRUN: return "notrun";
	default:             return "pending";
	}
}


/** A copy of s that is valid UTF-8 (NULL stays NULL): what every string
 *  of a report is, whatever a peer put in it */
int report_str(char **out, const char *s)
{
	return s ? esc_utf8_dup(out, (const uint8_t *)s, strlen(s), NULL)
		 : 0;
}


static int sdup(char **out, const char *s)
{
	return report_str(out, s);
}


/* the first len bytes at p, at most max, cut before a character a cut
 * at max would split (a continuation byte follows), so the part kept is
 * as valid as the whole */
static size_t cut(const uint8_t *p, size_t len, size_t max)
{
	size_t n = max;

	if (len <= max)
		return len;
	while (n > 0 && max - n < 3 && (p[n] & 0xc0) == 0x80)
		--n;

	return n;
}


/**
 * A message's start line and text from its n bytes at p, valid UTF-8:
 * the line up to its line end (a NUL does not end it; at most 200
 * bytes), the text all of it past any NUL (at most 16 KiB); when the
 * text is not the bytes themselves (NUL, bytes that are not UTF-8), the
 * bytes in base64 too
 */
int report_msg_bytes(struct report_msg *m, const uint8_t *p, size_t n)
{
	size_t len, eol;
	bool exact = true;
	int err;

	if (!m || (!p && n))
		return EINVAL;

	for (eol = 0; eol < n && p[eol] != '\r' && p[eol] != '\n'; eol++)
		;
	m->line = mem_deref(m->line);
	m->text = mem_deref(m->text);
	m->text_b64 = mem_deref(m->text_b64);
	n = cut(p, n, TEXT_MAX);
	len = 4 * ((n + 2) / 3) + 1;
	err = esc_utf8_dup(&m->line, p, cut(p, eol, 200), NULL);
	err |= esc_utf8_dup(&m->text, p, n, &exact);
	if (err || exact)
		return err;

	m->text_b64 = mem_alloc(len, NULL);
	if (!m->text_b64)
		return ENOMEM;
	err = base64_encode(p, n, m->text_b64, &len);
	if (!err)
		m->text_b64[len] = '\0';

	return err;
}


/* figures are kept to 0.01: what a reader compares */
static double round2(double x)
{
	return round(x * 100.0) / 100.0;
}


static int add_media(struct report_step *rs, const struct run *run,
		     const struct step *st)
{
	const struct media_fig *figs;
	unsigned i, n = run_media_figs(run, st->idx, &figs);
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		const struct media_fig *f = &figs[i];
		struct report_media *m;

		err = report_media_alloc(&m, rs);
		if (err)
			break;
		err |= sdup(&m->from, f->from ? f->from->name : NULL);
		err |= sdup(&m->to, f->to->name);
		m->measured = f->measured;
		m->start_ms = f->start_ms;
		m->end_ms = f->end_ms;
		m->packets = f->packets;
		m->expected = f->expected;
		m->lost = f->lost;
		m->loss_pct = f->packets + f->lost ? round2(100.0 * f->lost /
				(f->packets + f->lost)) : 0.0;
		m->jitter_ms = round2(f->jitter_ms);
		m->level_dbov = round2(f->level_dbov);
		m->mos = round2(f->mos);
		m->audio = f->audio;
		m->tone_hz = f->tone_hz;
		m->tone_share = round2(f->tone_share);
		m->heard_hz = f->heard_hz;
		m->heard_share = round2(f->heard_share);
		if (st->media.expect == MEDIA_DTMF)
			err |= sdup(&m->dtmf, f->dtmf);
	}

	return err;
}


static int add_step(struct report_scn *s, const struct run *run,
		    const struct step *st)
{
	static const char *const types[] = {"message", "wait", "group", "do",
						 "media", "event"};
	const struct verdict *v = run_verdict(run, st->idx);
	struct report_step *rs;
	int err;

	err = report_step_alloc(&rs, s);
	if (err)
		return err;

	err |= sdup(&rs->id, st->id);
	err |= sdup(&rs->type, types[st->type]);
	err |= re_sdprintf(&rs->what, "%H", step_print, st);
	if (st->type == STEP_MSG) {
		err |= sdup(&rs->from, st->from->name);
		err |= sdup(&rs->to, st->to->name);
	}
	else if (st->type == STEP_MEDIA) {
		if (st->media.from)
			err |= sdup(&rs->from, st->media.from->name);
		err |= sdup(&rs->to, st->media.to->name);
	}
	else if (st->type == STEP_DO) {
		err |= sdup(&rs->from, st->act.actor->name);
	}
	else if (st->type == STEP_EVENT) {
		err |= sdup(&rs->from, st->ev.from->name);
	}
	if (st->group)
		err |= sdup(&rs->group, st->group->id);
	err |= sdup(&rs->status, status_word(v->status));
	err |= sdup(&rs->reason, v->reason);
	if (st->file && run_scenario(run)->file &&
	    strcmp(st->file, run_scenario(run)->file))
		err |= sdup(&rs->file, st->file);
	rs->line = st->setup ? 0 : st->pos.line;
	rs->frame = v->frame;
	rs->t_ms = v->t_ms;
	rs->sent = v->sent;
	rs->stimulus = v->stimulus;
	rs->absent = st->absent;
	rs->setup = st->setup;
	rs->device_ms = v->device_ms;
	if (st->type == STEP_MEDIA)
		err |= add_media(rs, run, st);

	if (verdict_counts(st, v->status)) {
		switch (v->status) {

		case VERDICT_PASS:   ++s->npass; break;
		case VERDICT_FAIL:   ++s->nfail; break;
		case VERDICT_SKIP:   ++s->nskip; break;
		default:             ++s->nnotrun; break;
		}
	}

	return err;
}


static int add_msg(struct report_scn *s, const struct run *run,
		   const struct msgrec *r)
{
	const uint8_t *p = r->mb->buf;
	size_t len = r->mb->end;
	struct report_msg *m;
	int err;

	err = report_msg_alloc(&m, s);
	if (err)
		return err;

	m->frame = r->frame;
	m->t_ms = r->t_ms;
	m->copy_of = r->copy_of ? r->copy_of->frame : 0;
	m->lost = r->lost;
	m->teardown = r->teardown;
	if (r->from)
		err |= sdup(&m->from, r->from->name);
	else
		err |= re_sdprintf(&m->from, "%J", &r->src);
	if (r->to)
		err |= sdup(&m->to, r->to->name);
	else
		err |= re_sdprintf(&m->to, "%J", &r->dst);

	err |= report_msg_bytes(m, p, len);
	if (r->step) {
		const struct verdict *v = run_verdict(run, r->step->idx);

		err |= sdup(&m->step, r->step->id);
		err |= sdup(&m->status, status_word(v->status));
	}

	return err;
}


/* what every scenario entry carries: names, tags, roles */
static int add_scn(struct report_scn **sp, struct report *rp,
		   const struct scenario *sc, unsigned order)
{
	static const char *const kinds[] = {"ua", "proxy", "phone", "dut"};
	struct report_scn *s;
	struct le *le;
	int err;

	err = report_scn_alloc(&s, rp);
	if (err)
		return err;
	s->order = order;
	*sp = s;

	err |= sdup(&s->name, sc->name);
	err |= sdup(&s->file, sc->file);
	err |= sdup(&s->title, sc->title);
	err |= sdup(&s->source, sc->source);
	err |= sdup(&s->host, rp->host);
	err |= iso_time(&s->stamp, time(NULL), false);

	for (le = sc->tags.head; le; le = le->next) {
		const struct strle *t = le->data;
		err |= report_role_add(&s->tags, t->str, NULL, NULL);
	}

	for (le = sc->roles.head; le; le = le->next) {
		const struct role *r = le->data;
		char addr[64];

		re_snprintf(addr, sizeof(addr), "%J", &r->addr);
		err |= report_role_add(&s->roles, r->name,
				       r->dut ? "dut" : kinds[r->kind], addr);
	}

	return err;
}


/** Copy what the reports need of a finished run */
int report_add_run(struct report *rp, const struct run *run,
		   const char *pcap, unsigned order)
{
	const struct scenario *sc = run_scenario(run);
	struct report_scn *s = NULL;
	struct le *le, *me;
	int err = 0;

	if (!rp || !sc)
		return EINVAL;

	err = add_scn(&s, rp, sc, order);
	if (!s)
		return err;

	err |= sdup(&s->pcap, pcap);
	s->passed = run_passed(run);
	s->ms = run_elapsed_ms(run);

	for (le = sc->steps.head; le; le = le->next) {
		const struct step *st = le->data;

		err |= add_step(s, run, st);
		for (me = st->members.head; me; me = me->next)
			err |= add_step(s, run, me->data);
	}

	for (le = run_msgs(run)->head; le; le = le->next)
		err |= add_msg(s, run, le->data);

	for (le = run_findings(run)->head; le; le = le->next)
		err |= add_finding(s, le->data);

	return err;
}


/* a scenario that was not played: why goes in the string at offset
 * field of its entry (skipped or refused) */
static int add_unplayed(struct report *rp, const struct scenario *sc,
			const char *why, unsigned order, size_t field)
{
	struct report_scn *s = NULL;
	int err;

	if (!rp || !sc || !why)
		return EINVAL;

	err = add_scn(&s, rp, sc, order);
	if (s)
		err |= sdup((char **)(void *)((char *)s + field), why);

	return err;
}


/** A scenario not played because what plays a role cannot serve it
 *  (requires:): skipped, with why */
int report_add_skip(struct report *rp, const struct scenario *sc,
		    const char *why, unsigned order)
{
	return add_unplayed(rp, sc, why, order,
			    offsetof(struct report_scn, skipped));
}


/** A scenario that could not be bound or started: refused, with why */
int report_add_refused(struct report *rp, const struct scenario *sc,
		       const char *why, unsigned order)
{
	return add_unplayed(rp, sc, why, order,
			    offsetof(struct report_scn, refused));
}


/** The scenario at place order of the suite, or NULL */
struct report_scn *report_scn_at(const struct report *rp, unsigned order)
{
	struct le *le;

	for (le = rp ? rp->scns.tail : NULL; le; le = le->prev) {
		struct report_scn *s = le->data;

		if (s->order == order)
			return s;
	}

	return NULL;
}


/** Keep len bytes of text as the scenario's console text, without the
 *  colours a terminal was given (the only escapes in it: a peer's bytes
 *  were escaped before they were printed, engine/model/esc.c) */
int report_scn_console(struct report_scn *s, const char *text, size_t len)
{
	struct mbuf *mb;
	size_t i = 0;
	int err = 0;

	if (!s || (!text && len))
		return EINVAL;

	mb = mbuf_alloc(len + 1);
	if (!mb)
		return ENOMEM;
	while (i < len && !err) {
		if (text[i] == 0x1b && i + 1 < len && text[i + 1] == '[') {
			i += 2;
			while (i < len && (text[i] == ';' ||
					   (text[i] >= '0' && text[i] <= '9')))
				++i;
			++i;      /* the final byte: m */
			continue;
		}
		err = mbuf_write_u8(mb, (uint8_t)text[i++]);
	}
	err |= mbuf_write_u8(mb, 0);
	s->console = mem_deref(s->console);
	if (!err)
		err = sdup(&s->console, (const char *)mb->buf);
	mem_deref(mb);

	return err;
}


/** When the scenario started (wall clock) */
void report_scn_stamp(struct report_scn *s, time_t t)
{
	if (s)
		(void)iso_time(&s->stamp, t, false);
}


/** The suite was stopped while s played: its steps that failed with
 *  why failed for that, not by a verdict (JUnit: an error) */
void report_scn_interrupted(struct report_scn *s, const char *why)
{
	struct le *le;

	for (le = s && why ? s->steps.head : NULL; le; le = le->next) {
		struct report_step *st = le->data;

		if (!strcmp(st->status, "fail") && st->reason &&
		    !strcmp(st->reason, why))
			st->interrupted = true;
	}
}


/** The scenario's first failed step (in file order), or NULL */
const struct report_step *report_first_failed(const struct report_scn *s)
{
	struct le *le;

	for (le = s ? s->steps.head : NULL; le; le = le->next) {
		const struct report_step *st = le->data;

		if (st->status && !strcmp(st->status, "fail"))
			return st;
	}

	return NULL;
}


static bool order_h(struct le *le1, struct le *le2, void *arg)
{
	const struct report_scn *a = le1->data, *b = le2->data;

	(void)arg;
	return a->order <= b->order;
}


/** Put the scenarios in suite order (parallel runs finish in any) */
void report_sort(struct report *rp)
{
	if (rp)
		list_sort(&rp->scns, order_h, NULL);
}


/** A new scenario entry at the end of rp */
int report_scn_alloc(struct report_scn **sp, struct report *rp)
{
	struct report_scn *s = mem_zalloc(sizeof(*s), scn_destructor);

	if (!s)
		return ENOMEM;
	s->order = list_count(&rp->scns);
	list_append(&rp->scns, &s->le, s);
	*sp = s;
	return 0;
}


int report_step_alloc(struct report_step **sp, struct report_scn *s)
{
	struct report_step *st = mem_zalloc(sizeof(*st), step_destructor);

	if (!st)
		return ENOMEM;
	st->device_ms = -1;
	list_append(&s->steps, &st->le, st);
	*sp = st;
	return 0;
}


int report_media_alloc(struct report_media **mp, struct report_step *st)
{
	struct report_media *m = mem_zalloc(sizeof(*m), media_destructor);

	if (!m)
		return ENOMEM;
	list_append(&st->media, &m->le, m);
	*mp = m;
	return 0;
}


int report_msg_alloc(struct report_msg **mp, struct report_scn *s)
{
	struct report_msg *m = mem_zalloc(sizeof(*m), msg_destructor);

	if (!m)
		return ENOMEM;
	list_append(&s->msgs, &m->le, m);
	*mp = m;
	return 0;
}


int report_finding_alloc(struct report_finding **fp, struct report_scn *s)
{
	struct report_finding *f = mem_zalloc(sizeof(*f), finding_destructor);

	if (!f)
		return ENOMEM;
	list_append(&s->findings, &f->le, f);
	*fp = f;
	return 0;
}


/** A role (or tag: name only) at the end of l; addr as printed */
int report_role_add(struct list *l, const char *name, const char *kind,
		    const char *addr)
{
	struct report_role *r = mem_zalloc(sizeof(*r), role_destructor);
	int err;

	if (!r)
		return ENOMEM;

	err = sdup(&r->name, name);
	err |= sdup(&r->kind, kind);
	err |= sdup(&r->addr, addr);
	list_append(l, &r->le, r);

	return err;
}


/* what a scenario came to, for the counts; a bare capture's ladder
 * (ladder --html) was not judged: it is none of them */
enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP, OUT_REFUSED, OUT_NONE };

static enum outcome outcome(const struct report_scn *s)
{
	return s->capture ? OUT_NONE : s->refused ? OUT_REFUSED
	     : s->skipped ? OUT_SKIP : s->passed ? OUT_PASS : OUT_FAIL;
}


static unsigned count(const struct report *rp, enum outcome o)
{
	struct le *le;
	unsigned n = 0;

	for (le = rp ? rp->scns.head : NULL; le; le = le->next)
		n += outcome(le->data) == o;

	return n;
}


/** How many scenarios passed (passed) or failed (!passed); a skipped
 *  or refused one did neither */
unsigned report_count(const struct report *rp, bool passed)
{
	return count(rp, passed ? OUT_PASS : OUT_FAIL);
}


/** How many scenarios were skipped (requires: not met) */
unsigned report_skipped(const struct report *rp)
{
	return count(rp, OUT_SKIP);
}


/** How many scenarios were refused (could not be bound or started) */
unsigned report_refused(const struct report *rp)
{
	return count(rp, OUT_REFUSED);
}
