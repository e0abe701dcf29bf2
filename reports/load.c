/* reports/load.c — read a report.json back (for sipflow merge) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "report.h"


static const char *str(const struct odict *o, const char *key)
{
	return odict_string(o, key);
}


static int64_t num(const struct odict *o, const char *key)
{
	const struct odict_entry *e = odict_lookup(o, key);

	return e && e->type == ODICT_INT ? e->u.integer : 0;
}


static double dbl(const struct odict *o, const char *key)
{
	const struct odict_entry *e = odict_lookup(o, key);

	if (!e)
		return 0.0;

	return e->type == ODICT_DOUBLE ? e->u.dbl
	     : e->type == ODICT_INT ? (double)e->u.integer : 0.0;
}


/* a media figure: kept to 0.01 as written (report.c), so a figure read
 * back and written again is the same (libre prints doubles truncated) */
static double fig(const struct odict *o, const char *key)
{
	return round(dbl(o, key) * 100.0) / 100.0;
}


static const struct odict *arr(const struct odict *o, const char *key)
{
	const struct odict_entry *e = odict_lookup(o, key);

	return e && (e->type == ODICT_ARRAY || e->type == ODICT_OBJECT)
		       ? e->u.odict : NULL;
}


/* a report.json from elsewhere is text from elsewhere too */
static int dup(char **out, const char *s)
{
	return report_str(out, s);
}


/* each object of an array, in order */
#define EACH(e, a) \
	for (struct le *le_ = (a) ? (a)->lst.head : NULL; \
	     le_ && ((e) = le_->data, 1); le_ = le_->next) \
		if ((e)->type == ODICT_OBJECT)


static int load_media(struct report_step *st, const struct odict *o)
{
	struct report_media *m;
	int err;

	err = report_media_alloc(&m, st);
	if (err)
		return err;

	err |= dup(&m->from, str(o, "from"));
	err |= dup(&m->to, str(o, "to"));
	err |= dup(&m->dtmf, str(o, "dtmf"));
	(void)odict_get_boolean(o, &m->measured, "measured");
	(void)odict_get_boolean(o, &m->audio, "audio");
	m->start_ms = (uint64_t)num(o, "start_ms");
	m->end_ms = (uint64_t)num(o, "end_ms");
	m->packets = (uint32_t)num(o, "packets");
	m->expected = (uint32_t)num(o, "expected");
	m->lost = (uint32_t)num(o, "lost");
	m->loss_pct = fig(o, "loss_pct");
	m->jitter_ms = fig(o, "jitter_ms");
	m->level_dbov = fig(o, "level_dbov");
	m->mos = fig(o, "mos");
	m->tone_hz = (uint32_t)num(o, "tone_hz");
	m->tone_share = fig(o, "tone_share");
	m->heard_hz = (uint32_t)num(o, "heard_hz");
	m->heard_share = fig(o, "heard_share");

	return err;
}


static int load_medias(struct report_step *st, const struct odict *a)
{
	const struct odict_entry *e;
	int err = 0;

	EACH(e, a)
		err |= load_media(st, e->u.odict);

	return err;
}


static int load_scn(struct report *rp, const struct odict *o)
{
	struct report_scn *s;
	const struct odict_entry *e;
	int err = 0;

	err = report_scn_alloc(&s, rp);
	if (err)
		return err;

	err |= dup(&s->name, str(o, "name"));
	err |= dup(&s->file, str(o, "file"));
	err |= dup(&s->title, str(o, "title"));
	err |= dup(&s->source, str(o, "source"));
	err |= dup(&s->pcap, str(o, "pcap"));
	s->passed = str(o, "result") && !strcmp(str(o, "result"), "pass");
	if (str(o, "result") && !strcmp(str(o, "result"), "skip"))
		err |= dup(&s->skipped, str(o, "skip_reason") ?
			   str(o, "skip_reason") : "skipped");
	s->ms = (uint64_t)num(o, "duration_ms");
	s->npass = (unsigned)num(o, "passed");
	s->nfail = (unsigned)num(o, "failed");
	s->nskip = (unsigned)num(o, "skipped");
	s->nnotrun = (unsigned)num(o, "not_run");

	{
		const struct odict *t = arr(o, "tags");
		for (struct le *le = t ? t->lst.head : NULL; le;
		     le = le->next) {
			e = le->data;
			if (e->type == ODICT_STRING)
				err |= report_role_add(&s->tags, e->u.str,
						       NULL, NULL);
		}
	}

	EACH(e, arr(o, "roles"))
		err |= report_role_add(&s->roles, str(e->u.odict, "name"),
				       str(e->u.odict, "kind"),
				       str(e->u.odict, "address"));

	EACH(e, arr(o, "steps")) {
		const struct odict *so = e->u.odict;
		struct report_step *st;

		err |= report_step_alloc(&st, s);
		if (err)
			break;
		err |= dup(&st->id, str(so, "id"));
		err |= dup(&st->type, str(so, "type"));
		err |= dup(&st->what, str(so, "what"));
		err |= dup(&st->from, str(so, "from"));
		err |= dup(&st->to, str(so, "to"));
		err |= dup(&st->group, str(so, "group"));
		err |= dup(&st->status, str(so, "status"));
		err |= dup(&st->reason, str(so, "reason"));
		st->frame = (uint32_t)num(so, "frame");
		st->t_ms = (uint64_t)num(so, "t_ms");
		(void)odict_get_boolean(so, &st->sent, "sent");
		(void)odict_get_boolean(so, &st->stimulus, "stimulus");
		(void)odict_get_boolean(so, &st->absent, "absent");
		(void)odict_get_boolean(so, &st->setup, "setup");
		if (odict_lookup(so, "device_ms"))
			st->device_ms = (int64_t)num(so, "device_ms");
		err |= load_medias(st, arr(so, "media"));
	}

	EACH(e, arr(o, "messages")) {
		const struct odict *mo = e->u.odict;
		struct report_msg *m;

		err |= report_msg_alloc(&m, s);
		if (err)
			break;
		m->frame = (uint32_t)num(mo, "frame");
		m->t_ms = (uint64_t)num(mo, "t_ms");
		err |= dup(&m->from, str(mo, "from"));
		err |= dup(&m->to, str(mo, "to"));
		err |= dup(&m->line, str(mo, "line"));
		err |= dup(&m->step, str(mo, "step"));
		err |= dup(&m->status, str(mo, "status"));
		err |= dup(&m->text, str(mo, "text"));
		err |= dup(&m->text_b64, str(mo, "text_base64"));
		m->copy_of = (uint32_t)num(mo, "copy_of");
		(void)odict_get_boolean(mo, &m->lost, "lost");
		(void)odict_get_boolean(mo, &m->teardown, "teardown");
	}

	EACH(e, arr(o, "findings")) {
		const struct odict *fo = e->u.odict;
		struct report_finding *f;

		err |= report_finding_alloc(&f, s);
		if (err)
			break;
		err |= dup(&f->rule, str(fo, "rule"));
		err |= dup(&f->rfc, str(fo, "rfc"));
		err |= dup(&f->severity, str(fo, "severity"));
		err |= dup(&f->text, str(fo, "text"));
		err |= dup(&f->got, str(fo, "got"));
		err |= dup(&f->step, str(fo, "step"));
		f->frame = (uint32_t)num(fo, "frame");
	}

	/* a skipped scenario has no steps: it was not played */
	if (!s->name || (!s->steps.head && !s->skipped))
		return EBADMSG;

	return err;
}


/** Add the scenarios of a report.json to rp (schema 1) */
int report_load_json(struct report *rp, const char *path)
{
	struct odict *o = NULL;
	const struct odict_entry *e;
	char *text;
	FILE *f;
	long n;
	int err = 0;

	if (!rp || !path)
		return EINVAL;

	f = fopen(path, "rb");
	if (!f)
		return errno;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n <= 0 || n > 256L * 1024 * 1024) {
		fclose(f);
		return EBADMSG;
	}
	text = malloc((size_t)n + 1);
	if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		fclose(f);
		return EIO;
	}
	text[n] = '\0';
	fclose(f);

	err = json_decode_odict(&o, 32, text, (size_t)n, 16);
	free(text);
	if (err)
		return EBADMSG;

	if (num(o, "schema") != 1 || !arr(o, "scenarios")) {
		mem_deref(o);
		return EPROTO;
	}

	rp->ms += (uint64_t)num(o, "duration_ms");
	{
		const struct odict_entry *ie = odict_lookup(o, "interrupted");
		if (ie && ie->type == ODICT_BOOL && ie->u.boolean)
			rp->interrupted = true;
	}
	{
		const struct odict *t = arr(o, "totals");
		if (t) {
			rp->notrun += (unsigned)num(t, "not_run");
			rp->refused += (unsigned)num(t, "refused");
		}
	}

	EACH(e, arr(o, "scenarios")) {
		err = load_scn(rp, e->u.odict);
		if (err)
			break;
	}

	mem_deref(o);
	return err;
}
