/* engine/load/load_do.c — load what phones do: do: steps and the phone
 * settings (role keys and set: in a do: step), and impair:; what they
 * hear (media: steps) is load_media.c */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "ynode.h"
#include "doverb.h"
#include "load.h"
#include "textfile.h"



static const char *const dtmf_modes[] = {"rfc4733", "inband", "info"};


/* a role that can act or listen: a phone, or a device under test */
struct role *ld_actor_role(struct loader *ld, const yaml_node_t *n,
			   const char *name, size_t len, const char *what)
{
	struct role *r;

	if (!len) {
		yerr(&ld->yd, n, "%s: a role name is missing", what);
		return NULL;
	}

	r = ld_role_n(ld, name, len);
	if (!r) {
		yerr(&ld->yd, n, "%s: role '%b' is not declared (roles: %H)",
		     what, name, len, ld_role_names, ld->sc);
		return NULL;
	}

	return r;
}


bool ld_acts(const struct role *r)
{
	return r->kind == ROLE_PHONE || r->kind == ROLE_DUT;
}


/** "1004Hz", "1004 Hz", "1004" → 1004; 0 when it is not a frequency */
uint32_t ld_hz(const char *s)
{
	char *end = NULL;
	unsigned long v;

	if (!s || !isdigit((unsigned char)*s))
		return 0;

	v = strtoul(s, &end, 10);
	while (end && *end == ' ')
		++end;
	if (!end || (*end && str_casecmp(end, "Hz")))
		return 0;
	if (v < 50 || v > 3950)
		return 0;

	return (uint32_t)v;
}


/* "10%" or "0.1" → 0.1; false when it is not a share */
bool ld_share(const char *s, double *out)
{
	char *end = NULL;
	double v;

	if (!s || !*s)
		return false;

	v = strtod(s, &end);
	if (end == s)
		return false;
	if (*end == '%') {
		v /= 100.0;
		++end;
	}
	if (*end || v < 0 || v > 1)
		return false;

	*out = v;
	return true;
}


/* the PHONE_CFG_* bit of a setting: its place in the model's table */
static unsigned setting_bit(const char *key)
{
	size_t i, n;
	const char *const *names = doverb_settings(&n);

	for (i = 0; i < n; i++) {
		if (!strcmp(key, names[i]))
			return 1u << i;
	}

	return 0;
}


/* busy:, mute:, early-media: true or false */
static void set_bool(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	(void)k;
	(void)ybool(w->yd, v, YFIELD(w, row, bool));
}


/* auto-answer:, forward-after:, give-up: a duration, or off */
static void set_duration(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	uint32_t *ms = YFIELD(w, row, uint32_t);
	const char *s = yscalar(v);
	(void)k;

	if (s && (!strcmp(s, "off") || !strcmp(s, "false"))) {
		*ms = UINT32_MAX;
		return;
	}
	if (!s || duration_parse(ms, s))
		yerr(w->yd, v, "%s: '%s' is not a duration (0s, 2s, 500ms) "
		     "or off", row->key, s ? s : "");
}


/* forward-no-answer:, forward-always:, forward-busy: where the call goes */
static void set_role(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	(void)k;

	*YFIELD(w, row, struct role *) = ld_actor_role(w->arg, v, vs,
						       vs ? strlen(vs) : 0,
						       row->key);
}


/* tone: 1004Hz, or off */
static void set_tone(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct phone_cfg *cfg = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (vs && (!strcmp(vs, "off") || !strcmp(vs, "silence")))
		cfg->tone_hz = 0;
	else if (!(cfg->tone_hz = ld_hz(vs)))
		yerr(w->yd, v, "tone: '%s' is not a frequency from 50 to "
		     "3950 Hz (1004Hz), or off", vs ? vs : "");
}


/* dtmf-mode: rfc4733 | inband | info */
static void set_dtmf_mode(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct phone_cfg *cfg = w->obj;
	const char *vs = yscalar(v);
	size_t i;
	(void)row;
	(void)k;

	for (i = 0; vs && i < ARRAY_SIZE(dtmf_modes); i++) {
		if (!strcmp(vs, dtmf_modes[i]))
			break;
	}
	if (!vs || i == ARRAY_SIZE(dtmf_modes))
		yerr(w->yd, v, "dtmf-mode: '%s' is not rfc4733, inband or "
		     "info", vs ? vs : "");
	else
		cfg->dtmf_mode = (int)i;
}


/* send-codec: PCMU | PCMA, whatever was agreed (a fault) */
static void set_send_codec(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	struct phone_cfg *cfg = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (vs && !str_casecmp(vs, "PCMU"))
		cfg->send_codec = 0;
	else if (vs && !str_casecmp(vs, "PCMA"))
		cfg->send_codec = 8;
	else
		yerr(w->yd, v, "send-codec: '%s' is not PCMU or PCMA",
		     vs ? vs : "");
}


/* one row per phone setting; its PHONE_CFG_* bit is its place in the
 * model's table (doverb_settings), which names the same keys */
static const struct ykey setting_rows[] = {
	{"busy",        set_bool,     offsetof(struct phone_cfg, busy)},
	{"auto-answer", set_duration, offsetof(struct phone_cfg,
					       auto_answer_ms)},
	{"forward-no-answer", set_role, offsetof(struct phone_cfg,
						 fwd_noans)},
	{"forward-after", set_duration, offsetof(struct phone_cfg,
						 fwd_after_ms)},
	{"mute",        set_bool,     offsetof(struct phone_cfg, mute)},
	{"tone",        set_tone,     0},
	{"dtmf-mode",   set_dtmf_mode, 0},
	{"send-codec",  set_send_codec, 0},
	{"early-media", set_bool,     offsetof(struct phone_cfg,
					       early_media)},
	{"forward-always", set_role,  offsetof(struct phone_cfg,
					       fwd_always)},
	{"forward-busy", set_role,    offsetof(struct phone_cfg, fwd_busy)},
	{"give-up",     set_duration, offsetof(struct phone_cfg, giveup_ms)},
};

_Static_assert(ARRAY_SIZE(setting_rows) == PHONE_CFG_NKEYS,
	       "a row for each phone setting (doverb_settings)");

const struct ykeys ld_settings = YKEYS(setting_rows);


/* a setting's row: where it is written (a device that cannot apply it
 * says so there), that it is given, then its value */
static void setting(const struct ywalk *w, const struct ykey *row,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	struct phone_cfg *cfg = w->obj;
	unsigned bit = setting_bit(row->key);
	unsigned i;

	for (i = 0; i < PHONE_CFG_NKEYS; i++) {
		if (bit == 1u << i)
			cfg->at[i] = ypos(k);
	}
	cfg->given |= bit;
	row->h(w, row, k, v);
}


/**
 * One phone setting (a role key or a key in set:). Returns false when the
 * key is not a phone setting at all.
 */
bool ld_phone_cfg(struct loader *ld, const yaml_node_t *k,
		  const yaml_node_t *v, struct phone_cfg *cfg)
{
	const struct ykey *row = ykeys_find(&ld_settings, yscalar(k));
	struct ywalk w = {.yd = &ld->yd, .obj = cfg, .arg = ld,
			  .where = "set"};

	if (!row)
		return false;

	setting(&w, row, k, v);

	return true;
}


/* impair: jitter: 30ms */
static void impair_jitter(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct impair_spec *imp = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&imp->jitter_ms, vs))
		yerr(w->yd, v, "impair: jitter: '%s' is not a duration "
		     "(30ms)", vs ? vs : "");
}


/* impair: seed: 7 — the same losses each run */
static void impair_seed(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct impair_spec *imp = w->obj;
	const char *vs = yscalar(v);
	char *end = NULL;
	(void)row;
	(void)k;

	imp->seed = vs ? (uint32_t)strtoul(vs, &end, 10) : 0;
	if (!vs || !end || *end)
		yerr(w->yd, v, "impair: seed: '%s' is not a number",
		     vs ? vs : "");
}


/* impair: loss:, reorder:, duplicate: a share into the double at off */
static void impair_share(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	(void)k;

	if (!ld_share(vs, YFIELD(w, row, double)))
		yerr(w->yd, v, "impair: %s: '%s' is not a share (10%% or 0.1)",
		     row->key, vs ? vs : "");
}


/** impair: {loss: 10%, jitter: 30ms, reorder: 2%, duplicate: 1%, seed} */
void ld_impair(struct loader *ld, const yaml_node_t *n,
	       struct impair_spec *imp)
{
	static const struct ykey rows[] = {
		{"loss",      impair_share,  offsetof(struct impair_spec,
						      loss)},
		{"jitter",    impair_jitter, 0},
		{"reorder",   impair_share,  offsetof(struct impair_spec,
						      reorder)},
		{"duplicate", impair_share,  offsetof(struct impair_spec,
						      duplicate)},
		{"seed",      impair_seed,   0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = &ld->yd, .obj = imp, .arg = ld,
			  .where = "impair"};

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "impair"))
		return;

	imp->set = true;
	imp->seed = 1;
	(void)ymap_walk(&w, n, &keys);
}


/* transfer: {to: C, attended: true} */
static void transfer_to(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct do_spec *d = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	d->target = ld_actor_role(w->arg, v, vs, vs ? strlen(vs) : 0,
				  "transfer");
}


/* the argument of a verb, from text ("C", "486", "123#") or a node */
static void do_arg(struct loader *ld, struct step *st,
		   const struct do_verb_def *vd, const yaml_node_t *n,
		   const char *text)
{
	struct do_spec *d = &st->act;
	struct ydoc *yd = &ld->yd;

	if (!text && n && n->type == YAML_SCALAR_NODE && !yis_null(n))
		text = yscalar(n);
	if (text && !*text)
		text = NULL;

	switch (vd->arg) {

	case DO_ARG_NONE:
		if (text || (n && n->type != YAML_SCALAR_NODE))
			yerr(yd, n, "do: %s takes nothing (%s)", vd->name,
			     vd->usage);
		break;

	case DO_ARG_ROLE:
		if (!text) {
			yerr(yd, n, "do: %s needs a role (%s)", vd->name,
			     vd->usage);
			break;
		}
		d->target = ld_actor_role(ld, n, text, strlen(text), vd->name);
		break;

	case DO_ARG_SCODE:
		d->scode = 486;
		if (text) {
			char *end = NULL;
			unsigned long c = strtoul(text, &end, 10);

			if (!end || *end || c < 300 || c > 699)
				yerr(yd, n, "do: reject: '%s' is not a status "
				     "code from 300 to 699", text);
			else
				d->scode = (uint16_t)c;
		}
		break;

	case DO_ARG_DIGITS:
		if (!text || strspn(text, "0123456789*#ABCDabcd") !=
		    strlen(text)) {
			yerr(yd, n, "do: dtmf: '%s' is not DTMF digits "
			     "(0-9 * # A-D)", text ? text : "");
			break;
		}
		(void)str_dup(&d->text, text);
		break;

	case DO_ARG_FILE:
		if (!text) {
			yerr(yd, n, "do: play needs a file (%s)", vd->usage);
			break;
		}
		/* a relative path is the scenario file's neighbour */
		if (text[0] != '/' && ld->sc->file &&
		    strrchr(ld->sc->file, '/'))
			(void)re_sdprintf(&d->text, "%b/%s", ld->sc->file,
					  (size_t)(strrchr(ld->sc->file, '/') -
						   ld->sc->file), text);
		else
			(void)str_dup(&d->text, text);
		/* a FIFO would hold the run's event loop for ever */
		if (d->text && textfile_kind(d->text))
			yerr(yd, n, "do: play: cannot read '%s': %s", text,
			     textfile_kind(d->text));
		break;

	case DO_ARG_TRANSFER:
		if (text) {
			d->target = ld_actor_role(ld, n, text, strlen(text),
						  "transfer");
		}
		else if (n && n->type == YAML_MAPPING_NODE) {
			static const struct ykey rows[] = {
				{"to",       transfer_to, 0},
				{"attended", ykey_bool,
				 offsetof(struct do_spec, attended)},
			};
			static const struct ykeys keys = YKEYS(rows);
			struct ywalk w = {.yd = yd, .obj = d, .arg = ld,
					  .where = "transfer"};

			(void)ymap_walk(&w, n, &keys);
		}
		if (!d->target)
			yerr(yd, n, "do: transfer needs a target (%s)",
			     vd->usage);
		break;

	case DO_ARG_SET:
		if (!n || n->type != YAML_MAPPING_NODE) {
			yerr(yd, n, "do: set needs a mapping (%s)", vd->usage);
			break;
		}
		{
			struct ywalk w = {.yd = yd, .obj = &d->set, .arg = ld,
					  .where = "set"};
			yaml_node_pair_t *p;

			YMAP_FOREACH(p, n) {
				yaml_node_t *k = ynode(yd, p->key);
				const struct ykey *row;

				row = ykey_row(yd, k, &ld_settings, "set");
				if (row)
					setting(&w, row, k,
						ynode(yd, p->value));
			}
		}
		break;
	}
}


/* "dial, answer, …": every verb, in the table's order */
static int verbs_print(struct re_printf *pf, void *arg)
{
	const struct do_verb_def *t;
	size_t i, nv;
	int err = 0;
	(void)arg;

	t = doverb_table(&nv);
	for (i = 0; i < nv; i++)
		err |= re_hprintf(pf, "%s%s", i ? ", " : "", t[i].name);

	return err;
}


static const struct do_verb_def *verb_of(struct loader *ld,
					 const yaml_node_t *n,
					 const char *s, size_t len)
{
	const struct do_verb_def *vd = doverb_find(s, len);
	const char *names[DO_NVERBS];
	const struct do_verb_def *t;
	char *buf = NULL;
	size_t i, nv;
	const char *h;

	if (vd)
		return vd;

	t = doverb_table(&nv);
	for (i = 0; i < nv && i < ARRAY_SIZE(names); i++)
		names[i] = t[i].name;
	if (re_sdprintf(&buf, "%b", s, len))
		return NULL;
	h = diag_suggest(buf, names, i);
	yerr(&ld->yd, n, "do: unknown verb '%s'%s%s%s (%H)", buf,
	     h ? " (did you mean '" : "", h ? h : "", h ? "'?)" : "",
	     verbs_print, NULL);
	mem_deref(buf);

	return NULL;
}


/**
 * do: ROLE VERB [ARG]  — "B answer", "A dial C", "B reject 486"
 * do: {ROLE: VERB}     — {B: answer}
 * do: {ROLE: {VERB: ARG}} — {B: {transfer: {to: C, attended: true}}}
 */
void ld_do_step(struct loader *ld, struct step *st, const yaml_node_t *n)
{
	struct ydoc *yd = &ld->yd;
	const struct do_verb_def *vd = NULL;
	struct do_spec *d = &st->act;

	if (n->type == YAML_SCALAR_NODE) {
		const char *s = yscalar(n), *sp, *vp, *ap;
		size_t vl;

		sp = strchr(s, ' ');
		if (!sp) {
			yerr(yd, n, "do: '%s' is not 'ROLE VERB [ARG]' "
			     "(B answer, A dial C)", s);
			return;
		}
		d->actor = ld_actor_role(ld, n, s, (size_t)(sp - s), "do");
		for (vp = sp; *vp == ' '; vp++)
			;
		for (ap = vp; *ap && *ap != ' '; ap++)
			;
		vl = (size_t)(ap - vp);
		while (*ap == ' ')
			++ap;
		vd = verb_of(ld, n, vp, vl);
		if (vd) {
			if (vd->arg == DO_ARG_SET) {
				yerr(yd, n, "do: set needs the mapping form: "
				     "{%s: {set: {busy: true}}}",
				     d->actor ? d->actor->name : "B");
				return;
			}
			d->verb = vd->verb;
			do_arg(ld, st, vd, n, ap);
		}
	}
	else if (n->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *p = n->data.mapping.pairs.start;
		yaml_node_t *k, *v;
		const char *ks;

		if (p + 1 != n->data.mapping.pairs.top) {
			yerr(yd, n, "do: one role and one verb per step");
			return;
		}
		k = ynode(yd, p->key);
		v = ynode(yd, p->value);
		ks = yscalar(k);
		d->actor = ld_actor_role(ld, k, ks, ks ? strlen(ks) : 0, "do");

		if (v->type == YAML_SCALAR_NODE) {
			const char *vs = yscalar(v);

			vd = verb_of(ld, v, vs, strlen(vs));
			if (vd) {
				d->verb = vd->verb;
				do_arg(ld, st, vd, NULL, NULL);
			}
		}
		else if (v->type == YAML_MAPPING_NODE &&
			 v->data.mapping.pairs.start + 1 ==
			 v->data.mapping.pairs.top) {
			yaml_node_pair_t *q = v->data.mapping.pairs.start;
			yaml_node_t *vk = ynode(yd, q->key);
			const char *vks = yscalar(vk);

			vd = vks ? verb_of(ld, vk, vks, strlen(vks)) : NULL;
			if (vd) {
				d->verb = vd->verb;
				do_arg(ld, st, vd, ynode(yd, q->value), NULL);
			}
		}
		else {
			yerr(yd, v, "do: {ROLE: VERB} or {ROLE: {VERB: ARG}}");
		}
	}
	else {
		yerr(yd, n, "do: 'ROLE VERB [ARG]' or {ROLE: {VERB: ARG}}");
		return;
	}

	if (d->actor && !ld_acts(d->actor))
		yerr(yd, n, "do: %s is a %s; only a phone or a device under "
		     "test acts on do: (kind: phone)", d->actor->name,
		     d->actor->kind == ROLE_PROXY ? "proxy" : "scripted ua");
	if (d->actor && d->target == d->actor)
		yerr(yd, n, "do: %s cannot %s itself", d->actor->name,
		     vd ? vd->name : "call");
}
