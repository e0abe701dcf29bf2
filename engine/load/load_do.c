/* engine/load/load_do.c — load what phones do and hear: do: steps, media:
 * steps, and the phone settings (role keys and set: in a do: step) */
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



/* role keys only a phone has, besides its settings (doverb_settings) */
static const char *const role_only[] = {
	"proxy", "codecs", "impair", "impair-sip", "record", "auth",
};

static const char *const dtmf_modes[] = {"rfc4733", "inband", "info"};


/* a role that can act or listen: a phone, or a device under test */
static struct role *actor_role(struct loader *ld, const yaml_node_t *n,
			       const char *name, size_t len, const char *what)
{
	struct role *r;

	if (!len) {
		yerr(&ld->yd, n, "%s: a role name is missing", what);
		return NULL;
	}

	r = ld_role_n(ld->sc, name, len);
	if (!r) {
		yerr(&ld->yd, n, "%s: role '%b' is not declared (roles: %H)",
		     what, name, len, ld_role_names, ld->sc);
		return NULL;
	}

	return r;
}


static bool acts(const struct role *r)
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
static bool share(const char *s, double *out)
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


static void set_duration(struct loader *ld, const yaml_node_t *v,
			 uint32_t *ms, const char *key)
{
	const char *s = yscalar(v);

	if (s && (!strcmp(s, "off") || !strcmp(s, "false"))) {
		*ms = UINT32_MAX;
		return;
	}
	if (!s || duration_parse(ms, s))
		yerr(&ld->yd, v, "%s: '%s' is not a duration (0s, 2s, 500ms) "
		     "or off", key, s ? s : "");
}


/* the forwarding settings: each names a role (where the call goes) */
static bool fwd_key(struct loader *ld, const yaml_node_t *k,
		    const yaml_node_t *v, struct phone_cfg *cfg)
{
	static const struct {
		const char *key;
		size_t off;       /* its struct role * in struct phone_cfg */
		unsigned given;
	} fwd[] = {
		{"forward-no-answer", offsetof(struct phone_cfg, fwd_noans),
		 PHONE_CFG_FWD_NOANS},
		{"forward-always", offsetof(struct phone_cfg, fwd_always),
		 PHONE_CFG_FWD_ALWAYS},
		{"forward-busy", offsetof(struct phone_cfg, fwd_busy),
		 PHONE_CFG_FWD_BUSY},
	};
	const char *ks = yscalar(k), *vs = yscalar(v);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fwd); i++) {
		struct role **rp;

		if (strcmp(ks, fwd[i].key))
			continue;
		rp = (struct role **)(void *)((char *)cfg + fwd[i].off);
		*rp = actor_role(ld, v, vs, vs ? strlen(vs) : 0, ks);
		cfg->given |= fwd[i].given;
		return true;
	}

	return false;
}


/**
 * One phone setting (a role key or a key in set:). Returns false when the
 * key is not a phone setting at all.
 */
bool ld_phone_cfg(struct loader *ld, const yaml_node_t *k,
		  const yaml_node_t *v, struct phone_cfg *cfg)
{
	const char *ks = yscalar(k), *vs = yscalar(v);
	size_t i, nkeys;
	const char *const *cfg_keys = doverb_settings(&nkeys);

	for (i = 0; ks && i < nkeys; i++) {
		if (!strcmp(ks, cfg_keys[i]))
			break;
	}
	if (!ks || i == nkeys)
		return false;
	/* where it is written: a device that cannot apply it says so there */
	cfg->at[i] = ypos(k);

	if (!strcmp(ks, "busy")) {
		ybool(&ld->yd, v, &cfg->busy);
		cfg->given |= PHONE_CFG_BUSY;
	}
	else if (!strcmp(ks, "early-media")) {
		ybool(&ld->yd, v, &cfg->early_media);
		cfg->given |= PHONE_CFG_EARLY_MEDIA;
	}
	else if (!strcmp(ks, "mute")) {
		ybool(&ld->yd, v, &cfg->mute);
		cfg->given |= PHONE_CFG_MUTE;
	}
	else if (!strcmp(ks, "auto-answer")) {
		set_duration(ld, v, &cfg->auto_answer_ms, ks);
		cfg->given |= PHONE_CFG_AUTO_ANSWER;
	}
	else if (!strcmp(ks, "forward-after")) {
		set_duration(ld, v, &cfg->fwd_after_ms, ks);
		cfg->given |= PHONE_CFG_FWD_AFTER;
	}
	else if (!strcmp(ks, "give-up")) {
		set_duration(ld, v, &cfg->giveup_ms, ks);
		cfg->given |= PHONE_CFG_GIVE_UP;
	}
	else if (fwd_key(ld, k, v, cfg)) {
		/* forward-no-answer, forward-always, forward-busy: a role */
	}
	else if (!strcmp(ks, "tone")) {
		if (vs && (!strcmp(vs, "off") || !strcmp(vs, "silence")))
			cfg->tone_hz = 0;
		else if (!(cfg->tone_hz = ld_hz(vs)))
			yerr(&ld->yd, v, "tone: '%s' is not a frequency from "
			     "50 to 3950 Hz (1004Hz), or off",
			     vs ? vs : "");
		cfg->given |= PHONE_CFG_TONE;
	}
	else if (!strcmp(ks, "dtmf-mode")) {
		for (i = 0; vs && i < ARRAY_SIZE(dtmf_modes); i++) {
			if (!strcmp(vs, dtmf_modes[i]))
				break;
		}
		if (!vs || i == ARRAY_SIZE(dtmf_modes))
			yerr(&ld->yd, v, "dtmf-mode: '%s' is not rfc4733, "
			     "inband or info", vs ? vs : "");
		else
			cfg->dtmf_mode = (int)i;
		cfg->given |= PHONE_CFG_DTMF_MODE;
	}
	else if (!strcmp(ks, "send-codec")) {
		if (vs && !str_casecmp(vs, "PCMU"))
			cfg->send_codec = 0;
		else if (vs && !str_casecmp(vs, "PCMA"))
			cfg->send_codec = 8;
		else
			yerr(&ld->yd, v, "send-codec: '%s' is not PCMU or PCMA",
			     vs ? vs : "");
		cfg->given |= PHONE_CFG_SEND_CODEC;
	}

	return true;
}


/** The role keys only a phone has; true when ks is one */
bool ld_phone_key(const char *ks)
{
	const char *keys[PHONE_CFG_NKEYS + ARRAY_SIZE(role_only)];
	size_t i, n = ld_phone_keys(keys, ARRAY_SIZE(keys));

	for (i = 0; ks && i < n; i++) {
		if (!strcmp(ks, keys[i]))
			return true;
	}

	return false;
}


/** The phone role keys (its settings and the rest) into v; how many */
size_t ld_phone_keys(const char **v, size_t max)
{
	size_t i, n = 0, nkeys;
	const char *const *cfg_keys = doverb_settings(&nkeys);

	for (i = 0; i < ARRAY_SIZE(role_only) && n < max; i++)
		v[n++] = role_only[i];
	for (i = 0; i < nkeys && n < max; i++)
		v[n++] = cfg_keys[i];

	return n;
}


/** impair: {loss: 10%, jitter: 30ms, reorder: 2%, duplicate: 1%, seed} */
void ld_impair(struct loader *ld, const yaml_node_t *n,
	       struct impair_spec *imp)
{
	static const char *const keys[] = {
		"loss", "jitter", "reorder", "duplicate", "seed",
	};
	yaml_node_pair_t *p;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "impair"))
		return;

	imp->set = true;
	imp->seed = 1;
	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(&ld->yd, p->key);
		yaml_node_t *v = ynode(&ld->yd, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);
		double *d = NULL;

		if (ykey_check(&ld->yd, k, keys, ARRAY_SIZE(keys), "impair"))
			continue;

		if (!strcmp(ks, "jitter")) {
			if (!vs || duration_parse(&imp->jitter_ms, vs))
				yerr(&ld->yd, v, "impair: jitter: '%s' is not "
				     "a duration (30ms)", vs ? vs : "");
			continue;
		}
		if (!strcmp(ks, "seed")) {
			char *end = NULL;
			imp->seed = vs ? (uint32_t)strtoul(vs, &end, 10) : 0;
			if (!vs || !end || *end)
				yerr(&ld->yd, v, "impair: seed: '%s' is not a "
				     "number", vs ? vs : "");
			continue;
		}

		d = !strcmp(ks, "loss") ? &imp->loss
		  : !strcmp(ks, "reorder") ? &imp->reorder : &imp->duplicate;
		if (!share(vs, d))
			yerr(&ld->yd, v, "impair: %s: '%s' is not a share "
			     "(10%% or 0.1)", ks, vs ? vs : "");
	}
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
		d->target = actor_role(ld, n, text, strlen(text), vd->name);
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
		if (text[0] != '/' && ld->sc->file && strrchr(ld->sc->file, '/'))
			(void)re_sdprintf(&d->text, "%b/%s", ld->sc->file,
					  (size_t)(strrchr(ld->sc->file, '/') -
						   ld->sc->file), text);
		else
			(void)str_dup(&d->text, text);
		break;

	case DO_ARG_TRANSFER:
		if (text) {
			d->target = actor_role(ld, n, text, strlen(text),
					       "transfer");
		}
		else if (n && n->type == YAML_MAPPING_NODE) {
			static const char *const keys[] = {"to", "attended"};
			yaml_node_pair_t *p;

			YMAP_FOREACH(p, n) {
				yaml_node_t *k = ynode(yd, p->key);
				yaml_node_t *v = ynode(yd, p->value);
				const char *vs = yscalar(v);

				if (ykey_check(yd, k, keys, ARRAY_SIZE(keys),
					       "transfer"))
					continue;
				if (!strcmp(yscalar(k), "to"))
					d->target = actor_role(ld, v, vs,
						vs ? strlen(vs) : 0, "transfer");
				else
					ybool(yd, v, &d->attended);
			}
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
			yaml_node_pair_t *p;

			YMAP_FOREACH(p, n) {
				yaml_node_t *k = ynode(yd, p->key);

				size_t nk;
				const char *const *keys = doverb_settings(&nk);

				if (!ld_phone_cfg(ld, k, ynode(yd, p->value),
						  &d->set))
					ykey_check(yd, k, keys, nk, "set");
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
		d->actor = actor_role(ld, n, s, (size_t)(sp - s), "do");
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
		d->actor = actor_role(ld, k, ks, ks ? strlen(ks) : 0, "do");

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

	if (d->actor && !acts(d->actor))
		yerr(yd, n, "do: %s is a %s; only a phone or a device under "
		     "test acts on do: (kind: phone)", d->actor->name,
		     d->actor->kind == ROLE_PROXY ? "proxy" : "scripted ua");
	if (d->actor && d->target == d->actor)
		yerr(yd, n, "do: %s cannot %s itself", d->actor->name,
		     vd ? vd->name : "call");
}


/* expect: two-way | audio | silence | tone 1004Hz | dtmf "123#" */
static void media_expect(struct loader *ld, struct media_spec *m,
			 const yaml_node_t *v)
{
	const char *s = yscalar(v);

	if (!s) {
		ywant(&ld->yd, v, YAML_SCALAR_NODE, "media: expect");
		return;
	}

	if (!strcmp(s, "two-way")) {
		m->expect = MEDIA_TWO_WAY;
	}
	else if (!strcmp(s, "audio")) {
		m->expect = MEDIA_AUDIO;
	}
	else if (!strcmp(s, "silence")) {
		m->expect = MEDIA_SILENCE;
	}
	else if (!strncmp(s, "tone ", 5)) {
		m->expect = MEDIA_TONE;
		m->tone_hz = ld_hz(s + 5);
		if (!m->tone_hz)
			yerr(&ld->yd, v, "media: '%s': the tone is not a "
			     "frequency from 50 to 3950 Hz (tone 1004Hz)", s);
	}
	else if (!strncmp(s, "dtmf ", 5)) {
		const char *dg = s + 5;
		size_t l;

		while (*dg == ' ' || *dg == '"')
			++dg;
		l = strcspn(dg, "\"");
		m->expect = MEDIA_DTMF;
		(void)re_sdprintf(&m->dtmf, "%b", dg, l);
		if (!l || strspn(m->dtmf, "0123456789*#ABCD") != l)
			yerr(&ld->yd, v, "media: '%s': not DTMF digits "
			     "(dtmf \"123#\")", s);
	}
	else {
		yerr(&ld->yd, v, "media: expect '%s' is not two-way, audio, "
		     "silence, tone NHz or dtmf \"DIGITS\"", s);
	}
}


/**
 * media: {between: [A, B], expect: two-way}
 * media: {from: A, to: B, expect: tone 1004Hz, for: 1s,
 *         max-loss: 1%, max-jitter: 30ms, min-mos: 4.0}
 */
void ld_media_step(struct loader *ld, struct step *st, const yaml_node_t *n)
{
	static const char *const keys[] = {
		"between", "from", "to", "expect", "for", "max-loss",
		"max-jitter", "min-mos",
	};
	struct media_spec *m = &st->media;
	struct ydoc *yd = &ld->yd;
	yaml_node_pair_t *p;
	bool have_expect = false;

	m->max_loss = -1;
	m->for_ms = 1000;
	if (ywant(yd, n, YAML_MAPPING_NODE, "media"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(yd, p->key);
		yaml_node_t *v = ynode(yd, p->value);
		const char *ks = yscalar(k), *vs = yscalar(v);

		if (ykey_check(yd, k, keys, ARRAY_SIZE(keys), "media"))
			continue;

		if (!strcmp(ks, "between")) {
			yaml_node_item_t *it;
			unsigned i = 0;

			if (ywant(yd, v, YAML_SEQUENCE_NODE, "between"))
				continue;
			YSEQ_FOREACH(it, v) {
				yaml_node_t *e = ynode(yd, *it);
				const char *es = yscalar(e);
				struct role *r = actor_role(ld, e, es,
						es ? strlen(es) : 0, "between");
				if (i == 0)
					m->from = r;
				else if (i == 1)
					m->to = r;
				++i;
			}
			if (i != 2)
				yerr(yd, v, "media: between: names two roles");
			m->between = true;
		}
		else if (!strcmp(ks, "from")) {
			m->from = actor_role(ld, v, vs, vs ? strlen(vs) : 0,
					     "from");
		}
		else if (!strcmp(ks, "to")) {
			m->to = actor_role(ld, v, vs, vs ? strlen(vs) : 0,
					   "to");
		}
		else if (!strcmp(ks, "expect")) {
			media_expect(ld, m, v);
			have_expect = true;
		}
		else if (!strcmp(ks, "for")) {
			if (!vs || duration_parse(&m->for_ms, vs) ||
			    m->for_ms < 100)
				yerr(yd, v, "media: for: '%s' is not a "
				     "duration of at least 100ms",
				     vs ? vs : "");
		}
		else if (!strcmp(ks, "max-loss")) {
			if (!share(vs, &m->max_loss))
				yerr(yd, v, "media: max-loss: '%s' is not a "
				     "share (1%% or 0.01)", vs ? vs : "");
		}
		else if (!strcmp(ks, "max-jitter")) {
			if (!vs || duration_parse(&m->max_jitter_ms, vs))
				yerr(yd, v, "media: max-jitter: '%s' is not "
				     "a duration (30ms)", vs ? vs : "");
		}
		else if (!strcmp(ks, "min-mos")) {
			char *end = NULL;
			m->min_mos = vs ? strtod(vs, &end) : 0;
			if (!vs || !end || *end || m->min_mos < 1 ||
			    m->min_mos > 4.5)
				yerr(yd, v, "media: min-mos: '%s' is not a "
				     "MOS from 1 to 4.5", vs ? vs : "");
		}
	}

	if (!have_expect)
		m->expect = m->between ? MEDIA_TWO_WAY : MEDIA_AUDIO;
	if (m->between && m->expect != MEDIA_TWO_WAY &&
	    m->expect != MEDIA_SILENCE)
		yerr(yd, n, "media: between: goes with expect: two-way or "
		     "silence; use from:/to: for one direction");
	if (!m->between && m->expect == MEDIA_TWO_WAY)
		yerr(yd, n, "media: expect: two-way needs between: [X, Y]");
	if (!m->to)
		yerr(yd, n, "media: who listens? (to: B, or between: [A, B])");
	if (!m->from && m->expect != MEDIA_DTMF && m->expect != MEDIA_TONE &&
	    m->expect != MEDIA_SILENCE)
		yerr(yd, n, "media: who talks? (from: A)");
	if (m->from && m->from == m->to)
		yerr(yd, n, "media: %s cannot listen to itself",
		     m->to->name);
	if (m->to && !acts(m->to))
		yerr(yd, n, "media: %s is a scripted %s without an audio "
		     "path; make it kind: phone", m->to->name,
		     m->to->kind == ROLE_PROXY ? "proxy" : "ua");
	if (m->between && m->from && !acts(m->from))
		yerr(yd, n, "media: %s is a scripted %s without an audio "
		     "path; make it kind: phone", m->from->name,
		     m->from->kind == ROLE_PROXY ? "proxy" : "ua");
	if (m->expect == MEDIA_DTMF && m->for_ms == 1000)
		m->for_ms = 500 + 250 * (uint32_t)str_len(m->dtmf);
}
