/* reports/json.c — report.json: the whole suite run as one JSON document
 *
 * The schema is in docs/reports.md. Built as a libre odict and encoded
 * with json_encode_odict, so the same shape can be read back (merge).
 */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "wfile.h"
#include "report.h"


enum { HASH = 8 };

static int put_str(struct odict *o, const char *key, const char *val)
{
	if (!val)
		return odict_entry_add(o, key, ODICT_NULL);

	return odict_entry_add(o, key, ODICT_STRING, val);
}


static int put_int(struct odict *o, const char *key, int64_t val)
{
	return odict_entry_add(o, key, ODICT_INT, val);
}


static int put_dbl(struct odict *o, const char *key, double val)
{
	return odict_entry_add(o, key, ODICT_DOUBLE, val);
}


/* a count that is 0 for none: null then */
static int put_opt(struct odict *o, const char *key, uint32_t val)
{
	return val ? put_int(o, key, val) : odict_entry_add(o, key,
							    ODICT_NULL);
}


static int put_bool(struct odict *o, const char *key, bool val)
{
	return odict_entry_add(o, key, ODICT_BOOL, val);
}


/* a child object or array; the caller fills it, then puts it */
static int child(struct odict **cp)
{
	return odict_alloc(cp, HASH);
}


static int put_child(struct odict *o, const char *key, int type,
		     struct odict *c)
{
	int err = odict_entry_add(o, key, type, c);

	mem_deref(c);
	return err;
}


/* fills the object of one list element */
typedef int (fill_h)(struct odict *o, const void *x);


/* key: [ an object per element of l, filled by fill ] */
static int put_list(struct odict *o, const char *key, const struct list *l,
		    fill_h *fill)
{
	struct odict *arr, *e;
	struct le *le;
	unsigned i = 0;
	int err;

	err = child(&arr);
	for (le = l->head; le && !err; le = le->next) {
		char k[16];

		err = child(&e);
		if (err)
			break;
		err = fill(e, le->data);
		re_snprintf(k, sizeof(k), "%u", i++);
		err |= put_child(arr, k, ODICT_OBJECT, e);
	}

	if (err) {
		mem_deref(arr);
		return err;
	}

	return put_child(o, key, ODICT_ARRAY, arr);
}


static int media_fill(struct odict *o, const void *x)
{
	const struct report_media *m = x;
	int err;

	err = put_str(o, "from", m->from);
	err |= put_str(o, "to", m->to);
	err |= put_bool(o, "measured", m->measured);
	err |= put_int(o, "start_ms", (int64_t)m->start_ms);
	err |= put_int(o, "end_ms", (int64_t)m->end_ms);
	if (!m->measured)
		return err;

	err |= put_int(o, "packets", m->packets);
	err |= put_int(o, "expected", m->expected);
	err |= put_int(o, "lost", m->lost);
	err |= put_dbl(o, "loss_pct", m->loss_pct);
	err |= put_dbl(o, "jitter_ms", m->jitter_ms);
	err |= put_dbl(o, "level_dbov", m->level_dbov);
	err |= put_dbl(o, "mos", m->mos);
	err |= put_bool(o, "audio", m->audio);
	err |= put_opt(o, "tone_hz", m->tone_hz);
	err |= put_dbl(o, "tone_share", m->tone_share);
	err |= put_opt(o, "heard_hz", m->heard_hz);
	err |= put_dbl(o, "heard_share", m->heard_share);
	if (m->dtmf)
		err |= put_str(o, "dtmf", m->dtmf);

	return err;
}


static int step_fill(struct odict *o, const void *x)
{
	const struct report_step *s = x;
	int err;

	err = put_str(o, "id", s->id);
	err |= put_str(o, "type", s->type);
	err |= put_str(o, "what", s->what);
	err |= put_str(o, "from", s->from);
	err |= put_str(o, "to", s->to);
	err |= put_str(o, "group", s->group);
	err |= put_str(o, "status", s->status);
	err |= put_int(o, "frame", s->frame);
	err |= put_int(o, "t_ms", (int64_t)s->t_ms);
	err |= put_bool(o, "sent", s->sent);
	if (s->stimulus)
		err |= put_bool(o, "stimulus", true);
	if (s->absent)
		err |= put_bool(o, "absent", true);
	if (s->setup)
		err |= put_bool(o, "setup", true);
	if (s->device_ms >= 0)
		err |= put_int(o, "device_ms", s->device_ms);
	err |= put_str(o, "reason", s->reason);
	if (s->type && !strcmp(s->type, "media"))
		err |= put_list(o, "media", &s->media, media_fill);

	return err;
}


static int msg_fill(struct odict *o, const void *x)
{
	const struct report_msg *m = x;
	int err;

	err = put_int(o, "frame", m->frame);
	err |= put_int(o, "t_ms", (int64_t)m->t_ms);
	err |= put_str(o, "from", m->from);
	err |= put_str(o, "to", m->to);
	err |= put_str(o, "line", m->line);
	err |= put_str(o, "step", m->step);
	err |= put_str(o, "status", m->status);
	err |= put_str(o, "text", m->text);
	if (m->text_b64)
		err |= put_str(o, "text_base64", m->text_b64);
	if (m->copy_of)
		err |= put_int(o, "copy_of", m->copy_of);
	if (m->lost)
		err |= put_bool(o, "lost", true);
	if (m->teardown)
		err |= put_bool(o, "teardown", true);

	return err;
}


static int finding_fill(struct odict *o, const void *x)
{
	const struct report_finding *f = x;
	int err;

	err = put_str(o, "rule", f->rule);
	err |= put_str(o, "rfc", f->rfc);
	err |= put_str(o, "severity", f->severity);
	err |= put_str(o, "text", f->text);
	err |= put_str(o, "got", f->got);
	err |= put_str(o, "step", f->step);
	err |= put_int(o, "frame", f->frame);

	return err;
}


static int role_fill(struct odict *o, const void *x)
{
	const struct report_role *r = x;
	int err;

	err = put_str(o, "name", r->name);
	err |= put_str(o, "kind", r->kind);
	err |= put_str(o, "address", r->addr);

	return err;
}


static int scn_fill(struct odict *o, const void *x)
{
	const struct report_scn *s = x;
	struct odict *a;
	struct le *le;
	unsigned n;
	int err;

	err = put_str(o, "name", s->name);
	err |= put_str(o, "file", s->file);
	err |= put_str(o, "title", s->title);
	err |= put_str(o, "source", s->source);
	err |= put_str(o, "result", s->capture ? "capture"
				   : s->skipped ? "skip"
				   : s->passed ? "pass" : "fail");
	if (s->skipped)
		err |= put_str(o, "skip_reason", s->skipped);
	err |= put_int(o, "duration_ms", (int64_t)s->ms);
	err |= put_str(o, "pcap", s->pcap);
	err |= put_int(o, "passed", s->npass);
	err |= put_int(o, "failed", s->nfail);
	err |= put_int(o, "skipped", s->nskip);
	err |= put_int(o, "not_run", s->nnotrun);

	/* tags are plain strings */
	err |= child(&a);
	for (n = 0, le = s->tags.head; !err && le; le = le->next, n++) {
		const struct report_role *t = le->data;
		char key[16];

		re_snprintf(key, sizeof(key), "%u", n);
		err = put_str(a, key, t->name);
	}
	err |= put_child(o, "tags", ODICT_ARRAY, a);

	err |= put_list(o, "roles", &s->roles, role_fill);
	err |= put_list(o, "steps", &s->steps, step_fill);
	err |= put_list(o, "messages", &s->msgs, msg_fill);
	err |= put_list(o, "findings", &s->findings, finding_fill);
	err |= report_srtp_put(o, s);

	return err;
}


/** The report as an odict (the JSON document's tree) */
int report_json_odict(struct odict **odp, const struct report *rp)
{
	struct odict *o, *t;
	int err;

	if (!odp || !rp)
		return EINVAL;

	err = child(&o);
	if (err)
		return err;

	err = put_str(o, "tool", "sipflow " SIPFLOW_VERSION);
	err |= put_int(o, "schema", 1);
	err |= put_str(o, "started", rp->started);
	err |= put_int(o, "duration_ms", (int64_t)rp->ms);
	err |= put_bool(o, "interrupted", rp->interrupted);

	err |= child(&t);
	err |= put_int(t, "scenarios", list_count(&rp->scns) + rp->notrun +
		       rp->refused);
	err |= put_int(t, "passed", report_count(rp, true));
	err |= put_int(t, "failed", report_count(rp, false));
	err |= put_int(t, "skipped", report_skipped(rp));
	err |= put_int(t, "not_run", rp->notrun);
	err |= put_int(t, "refused", rp->refused);
	err |= put_child(o, "totals", ODICT_OBJECT, t);

	err |= put_list(o, "scenarios", &rp->scns, scn_fill);

	if (err)
		mem_deref(o);
	else
		*odp = o;

	return err;
}


/** Print the report as JSON (report.json, and inside report.html) */
int report_json_print(struct re_printf *pf, const struct report *rp)
{
	struct odict *o = NULL;
	int err;

	err = report_json_odict(&o, rp);
	if (!err)
		err = json_encode_odict(pf, o);
	mem_deref(o);

	return err;
}


/** Write report.json: 0, or why it is not whole (errno) */
int report_write_json(const struct report *rp, const char *path)
{
	struct wfile wf;
	struct re_printf pf = {wfile_print_h, &wf};
	int err;

	if (!rp || !path)
		return EINVAL;

	err = wfile_open(&wf, path, "w");
	if (err)
		return err;

	err = report_json_print(&pf, rp);
	if (!err)
		err = wfile_write(&wf, "\n", 1);
	if (wfile_close(&wf))
		err = wf.err;     /* the write's own reason, not a sum */

	return err;
}
