/* engine/load/load_media.c — load what phones hear: a media: step (who
 * listens to whom, for how long, what must be heard, the bounds on loss,
 * jitter and MOS) */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "ynode.h"
#include "load.h"


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


/* media: between: [A, B] — both talk and listen */
static void media_between(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct media_spec *m = w->obj;
	yaml_node_item_t *it;
	unsigned i = 0;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "between"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *e = ynode(w->yd, *it);
		const char *es = yscalar(e);
		struct role *r = ld_actor_role(w->arg, e, es,
					       es ? strlen(es) : 0,
					       "between");
		if (i == 0)
			m->from = r;
		else if (i == 1)
			m->to = r;
		++i;
	}
	if (i != 2)
		yerr(w->yd, v, "media: between: names two roles");
	m->between = true;
}


/* media: from: A / to: B — the role into the struct role * at off */
static void media_role(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	(void)k;

	*YFIELD(w, row, struct role *) = ld_actor_role(w->arg, v, vs,
						       vs ? strlen(vs) : 0,
						       row->key);
}


static void media_expect_key(const struct ywalk *w, const struct ykey *row,
			     const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	media_expect(w->arg, w->obj, v);
}


/* media: for: 1s — how long it listens */
static void media_for(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct media_spec *m = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&m->for_ms, vs) || m->for_ms < 100)
		yerr(w->yd, v, "media: for: '%s' is not a duration of at "
		     "least 100ms", vs ? vs : "");
}


static void media_max_loss(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	struct media_spec *m = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!ld_share(vs, &m->max_loss))
		yerr(w->yd, v, "media: max-loss: '%s' is not a share (1%% or "
		     "0.01)", vs ? vs : "");
}


static void media_max_jitter(const struct ywalk *w, const struct ykey *row,
			     const yaml_node_t *k, const yaml_node_t *v)
{
	struct media_spec *m = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (!vs || duration_parse(&m->max_jitter_ms, vs))
		yerr(w->yd, v, "media: max-jitter: '%s' is not a duration "
		     "(30ms)", vs ? vs : "");
}


static void media_min_mos(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct media_spec *m = w->obj;
	const char *vs = yscalar(v);
	char *end = NULL;
	(void)row;
	(void)k;

	m->min_mos = vs ? strtod(vs, &end) : 0;
	if (!vs || !end || *end || m->min_mos < 1 || m->min_mos > 4.5)
		yerr(w->yd, v, "media: min-mos: '%s' is not a MOS from 1 to "
		     "4.5", vs ? vs : "");
}


/**
 * media: {between: [A, B], expect: two-way}
 * media: {from: A, to: B, expect: tone 1004Hz, for: 1s,
 *         max-loss: 1%, max-jitter: 30ms, min-mos: 4.0}
 */
void ld_media_step(struct loader *ld, struct step *st, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"between",    media_between,    0},
		{"from",       media_role, offsetof(struct media_spec, from)},
		{"to",         media_role, offsetof(struct media_spec, to)},
		{"expect",     media_expect_key, 0},
		{"for",        media_for,        0},
		{"max-loss",   media_max_loss,   0},
		{"max-jitter", media_max_jitter, 0},
		{"min-mos",    media_min_mos,    0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct media_spec *m = &st->media;
	struct ydoc *yd = &ld->yd;
	struct ywalk w = {.yd = yd, .obj = m, .arg = ld, .where = "media"};
	bool have_expect;

	m->max_loss = -1;
	m->for_ms = 1000;
	if (ywant(yd, n, YAML_MAPPING_NODE, "media"))
		return;

	(void)ymap_walk(&w, n, &keys);
	have_expect = ymap_value(yd, n, "expect") != NULL;

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
	if (m->to && !ld_acts(m->to))
		yerr(yd, n, "media: %s is a scripted %s without an audio "
		     "path; make it kind: phone", m->to->name,
		     m->to->kind == ROLE_PROXY ? "proxy" : "ua");
	if (m->between && m->from && !ld_acts(m->from))
		yerr(yd, n, "media: %s is a scripted %s without an audio "
		     "path; make it kind: phone", m->from->name,
		     m->from->kind == ROLE_PROXY ? "proxy" : "ua");
	if (m->expect == MEDIA_DTMF && m->for_ms == 1000)
		m->for_ms = 500 + 250 * (uint32_t)str_len(m->dtmf);
}
