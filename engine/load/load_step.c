/* engine/load/load_step.c — load one step of a scenario: its kind (the
 * table of first keys: media:, do:, event:, wait:, any-order:, else a
 * message step's id) and a message step's keys (timing, association,
 * loss). A message step's line is load_line.c, its headers: and expect:
 * load_hdr.c, its sdp: load_sdp.c; do: and media: load_do.c, event:
 * load_event.c */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <re.h>
#include "scenario.h"
#include "diag.h"
#include "duration.h"
#include "testbed.h"
#include "ynode.h"
#include "placeholder.h"
#include "rules.h"
#include "hdr.h"
#include "load.h"
#include "stepkind.h"


/* answers: / forwards: name an earlier request step */
static struct step *earlier_request(struct loader *ld, struct step *st,
				    const yaml_node_t *v, const char *key)
{
	const char *id = yscalar(v);
	struct step *o = ld_step(ld, id);

	if (!id) {
		ywant(&ld->yd, v, YAML_SCALAR_NODE, key);
		return NULL;
	}
	if (!o || o == st || o->idx >= st->idx) {
		yerr(&ld->yd, v, "step %s: %s: '%s' must name an earlier "
		     "step", st->id, key, id);
		return NULL;
	}
	if (o->type != STEP_MSG || !o->req) {
		yerr(&ld->yd, v, "step %s: %s: %s is not a request", st->id,
		     key, id);
		return NULL;
	}

	return o;
}


/* retransmission-of: F2 — the same message again (RFC 3261 timers) */
static void step_rtx_of(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	struct step *o = vs ? ld_step(ld, vs) : NULL;
	(void)row;
	(void)k;

	if (!o || o == st || o->type != STEP_MSG)
		yerr(w->yd, v, "step %s: retransmission-of: '%s' must name an "
		     "earlier message step", st->id, vs ? vs : "");
	else if (o->from != st->from || o->to != st->to ||
		 o->req != st->req || o->scode != st->scode ||
		 (o->req && strcmp(o->method, st->method)))
		yerr(w->yd, v, "step %s: retransmission-of: %s is %H %s -> "
		     "%s; a retransmission repeats it", st->id, o->id,
		     step_print, o, o->from ? o->from->name : "?",
		     o->to ? o->to->name : "?");
	else
		st->rtx_of = o;
}


/* drop: true is lose: 1; lose: N copies of what sipflow sends */
static void step_lose(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	bool b;

	if (!strcmp(row->key, "drop")) {
		if (!ybool(w->yd, v, &b))
			st->lose = b ? 1 : 0;
	}
	else {
		char *end = NULL;
		unsigned long n = vs ? strtoul(vs, &end, 10) : 0;

		if (!vs || !end || *end || !n || n > 64) {
			yerr(w->yd, v, "step %s: lose: '%s' is not a number "
			     "of copies from 1 to 64", st->id, vs ? vs : "");
			return;
		}
		st->lose = (uint32_t)n;
	}

	if (st->lose && st->from && role_acts(st->from))
		yerr(w->yd, k, "step %s: %s: %s is not played by sipflow; "
		     "only what sipflow sends can be lost", st->id, row->key,
		     st->from->name);
}


/* to-user: B — the Request-URI's user (a role's, or any) */
static void step_to_user(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct loader *ld = w->arg;
	struct step *st = w->obj;
	(void)row;
	(void)k;

	if (!ld_dup_scalar(ld, v, &st->to_user, "to-user"))
		st->to_role = ld_role(ld, st->to_user);
}


/* body: / raw: text, its placeholders checked, into the char * at off */
static void step_text(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	char **out = YFIELD(w, row, char *);
	(void)k;

	if (!ld_dup_scalar(w->arg, v, out, row->key))
		ld_placeholders(w->arg, v, *out, st->id);
}


/* within: / timeout: a duration into the uint32_t at off */
static void step_duration(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	uint32_t ms = 0;
	(void)k;

	if (!vs || duration_parse(&ms, vs) || !ms)
		yerr(w->yd, v, "step %s: %s: '%s' is not a duration (500ms, "
		     "2s, 1m)", st->id, row->key, vs ? vs : "");
	else
		*YFIELD(w, row, uint32_t) = ms;
}


/* answers: F1 — the request a response answers */
static void step_answers(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;

	st->answers = earlier_request(w->arg, st, v, "answers");
	if (st->req && st->answers)
		yerr(w->yd, k, "step %s: answers: is for responses", st->id);
}


/* forwards: F1 — the request a proxy's message forwards */
static void step_forwards(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	st->forwards = earlier_request(w->arg, st, v, "forwards");
}


/* auth:, challenge: and status: (load_auth.c, load_status.c) */
static void step_auth(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	ld_auth(w->arg, w->obj, k, v);
}


static void step_challenge(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	ld_challenge(w->arg, w->obj, k, v);
}


static void step_status(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	ld_status(w->arg, w->obj, k, v);
}


/* the keys of a message step, after its message line */
static const struct ykey step_rows[] = {
	{"to-user",    step_to_user,  0},
	{"headers",    ld_headers_key, 0},
	{"body",       step_text,     offsetof(struct step, body)},
	{"raw",        step_text,     offsetof(struct step, raw)},
	{"sdp",        ld_sdp_key,    0},
	{"expect",     ld_expect_key, 0},
	{"optional",   ykey_bool,     offsetof(struct step, optional)},
	{"within",     step_duration, offsetof(struct step, within_ms)},
	{"timeout",    step_duration, offsetof(struct step, timeout_ms)},
	{"answers",    step_answers,  0},
	{"forwards",   step_forwards, 0},
	{"dialog",     ykey_str,      offsetof(struct step, dialog)},
	{"retransmit", ykey_notbool,  offsetof(struct step, no_retransmit)},
	{"drop",       step_lose,     0},
	{"lose",       step_lose,     0},
	{"retransmission-of", step_rtx_of, 0},
	{"absent",     ykey_bool,     offsetof(struct step, absent)},
	{"auth",       step_auth,     0},
	{"challenge",  step_challenge, 0},
	{"status",     step_status,   0},
};

static const struct ykeys step_keys = YKEYS(step_rows);


static struct step *new_step(struct loader *ld, enum step_type type,
			     const yaml_node_t *at)
{
	struct step *st = step_alloc(type);
	const struct yorigin *o = yorigin(&ld->yd, at);

	if (!st)
		return NULL;

	st->pos = ypos(at);

	/* the run's own messages about a step (before it plays) name the
	 * file it was written in, as the loader's do */
	if (o && o->file && strcmp(o->file, ld->yd.file) &&
	    str_dup(&st->file, o->file))
		return mem_deref(st);
	if (o && o->from && *o->from && str_dup(&st->incl, o->from))
		return mem_deref(st);
	st->idx = ld->sc->nsteps++;

	return st;
}




/* a step without an id of its own inside a repeat: (its iteration) */
static const char *id_suffix(const struct loader *ld, const yaml_node_t *n)
{
	const struct yorigin *o = yorigin(&ld->yd, n);

	return o ? o->suffix : "";
}


/* wait: 2s */
static void kind_wait(struct loader *ld, struct step *st,
		      const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	uint32_t ms = 0;

	if (!vs || duration_parse(&ms, vs) || !ms)
		yerr(&ld->yd, v, "wait: '%s' is not a duration (500ms, 2s, "
		     "1m)", vs ? vs : "");
	st->wait_ms = ms;
}


/* any-order: [steps] */
static void kind_group(struct loader *ld, struct step *st,
		       const yaml_node_t *v)
{
	if (!ywant(&ld->yd, v, YAML_SEQUENCE_NODE, "any-order"))
		load_steps(ld, v, st, &st->members);
}


/* The kinds of step a step's first key names; any other first key is a
 * message step's id. Inside any-order:, a kind with ingroup is refused
 * with that reason (the step is still read, for its own errors) */
static const struct step_kind kinds[] = {
	{"media",     STEP_MEDIA, ld_media_step, NULL, false},
	{"do",        STEP_DO,    ld_do_step,
	 "cannot be inside any-order: (a group's media: steps listen at "
	 "once; its do: steps would have no order)", false},
	{"event",     STEP_EVENT, ld_event_step,
	 "cannot be inside any-order: (a group's media: steps listen at "
	 "once; its event: steps would have no order)", false},
	{"wait",      STEP_WAIT,  kind_wait,
	 "cannot be inside any-order:", false},
	{"any-order", STEP_GROUP, kind_group, "groups cannot be nested",
	 true},
};


/** The kind of step a first key names, or NULL: a message step's id */
const struct step_kind *step_kind_find(const char *key)
{
	size_t i;

	for (i = 0; key && i < ARRAY_SIZE(kinds); i++) {
		if (!strcmp(key, kinds[i].key))
			return &kinds[i];
	}

	return NULL;
}


/* "media, do, event, wait, any-order" */
static int kind_names(struct re_printf *pf, void *arg)
{
	size_t i;
	int err = 0;
	(void)arg;

	for (i = 0; i < ARRAY_SIZE(kinds) && !err; i++)
		err = re_hprintf(pf, "%s%s:", i ? ", " : "", kinds[i].key);

	return err;
}


/* a step of a kind (not a message): "<kind>@L<line>" */
static void load_kind(struct loader *ld, const struct step_kind *kd,
		      const yaml_node_t *n, struct step *group,
		      struct list *into)
{
	const yaml_node_pair_t *p = n->data.mapping.pairs.start;
	yaml_node_t *k0 = ynode(&ld->yd, p->key);
	struct step *st;

	if (group && kd->holds_steps) {
		yerr(&ld->yd, k0, "%s: %s", kd->key, kd->ingroup);
		return;
	}

	st = new_step(ld, kd->type, k0);
	if (!st)
		return;
	re_sdprintf(&st->id, "%s@L%u%s", kd->key, st->pos.line,
		    id_suffix(ld, k0));
	st->group = group;
	list_append(into, &st->le, st);
	(void)ld_step_add(ld, st);
	if (group && kd->ingroup)
		yerr(&ld->yd, k0, "%s: %s", kd->key, kd->ingroup);
	if (p + 1 < n->data.mapping.pairs.top)
		yerr(&ld->yd, ynode(&ld->yd, p[1].key), "%s: takes no other "
		     "keys", kd->key);

	kd->h(ld, st, ynode(&ld->yd, p->value));
}


/* true when v is no message line at all: not a value, or no "->" */
static bool not_a_line(const yaml_node_t *v)
{
	const char *s = yscalar(v);

	return !s || !strstr(s, "->");
}


/* a first key that is neither a kind nor a message step: "unknown step
 * kind 'wiat' (did you mean 'wait:'?)"; true if said */
static bool unknown_kind(struct loader *ld, const yaml_node_t *k0,
			 const yaml_node_t *v0, const char *id)
{
	const char *names[ARRAY_SIZE(kinds)];
	const char *hint;
	size_t i;

	if (!not_a_line(v0))
		return false;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		names[i] = kinds[i].key;
	hint = id ? diag_suggest(id, names, ARRAY_SIZE(names)) : NULL;

	if (hint)
		yerr(&ld->yd, k0, "unknown step kind '%s' (did you mean "
		     "'%s:'?)", id, hint);
	else if (!yscalar(v0))
		yerr(&ld->yd, k0, "unknown step kind '%s' (kinds: %H; a "
		     "message step is 'F1: INVITE A -> B')", id ? id : "",
		     kind_names, NULL);
	else
		return false;

	return true;
}


static void load_step(struct loader *ld, const yaml_node_t *n,
		      struct step *group, struct list *into)
{
	struct ydoc *yd = &ld->yd;
	const struct step_kind *kd;
	yaml_node_pair_t *p;
	yaml_node_t *k0, *v0;
	const char *id;
	struct step *st;

	if (ywant(yd, n, YAML_MAPPING_NODE, "a step"))
		return;

	p = n->data.mapping.pairs.start;
	if (p == n->data.mapping.pairs.top) {
		yerr(yd, n, "an empty step");
		return;
	}
	k0 = ynode(yd, p->key);
	v0 = ynode(yd, p->value);
	id = yscalar(k0);

	kd = step_kind_find(id);
	if (kd) {
		load_kind(ld, kd, n, group, into);
		return;
	}
	if (unknown_kind(ld, k0, v0, id))
		return;

	if (!ld_valid_name(id, true)) {
		yerr(yd, k0, "'%s' is not a step id (a letter, then letters, "
		     "digits, '.', '-' or '_': F1, F2a)", id ? id : "");
		return;
	}
	if (ld_step(ld, id)) {
		yerr(yd, k0, "duplicate step id '%s' (first at line %u)", id,
		     ld_step(ld, id)->pos.line);
		return;
	}

	st = new_step(ld, STEP_MSG, k0);
	if (!st)
		return;
	str_dup(&st->id, id);
	st->group = group;
	list_append(into, &st->le, st);
	(void)ld_step_add(ld, st);

	ld_msg_line(ld, st, v0);

	{
		struct ywalk w = {.yd = yd, .obj = st, .arg = ld,
				  .where = st->id};

		(void)ymap_walk_from(&w, n, p + 1, &step_keys);
	}

	if (st->raw && (!list_isempty(&st->headers) || st->body ||
			st->sdp.set))
		yerr(yd, k0, "step %s: raw: gives the whole message; "
		     "headers/body/sdp do not apply", st->id);
	ld_body_crypto(ld, st, k0);
	if (st->absent && !st->rtx_of)
		yerr(yd, k0, "step %s: absent: asserts that no retransmission "
		     "comes; it needs retransmission-of:", st->id);
}


void load_steps(struct loader *ld, const yaml_node_t *n, struct step *group,
		struct list *into)
{
	yaml_node_item_t *it;

	if (ywant(&ld->yd, n, YAML_SEQUENCE_NODE,
		  group ? "any-order" : "steps"))
		return;

	YSEQ_FOREACH(it, n)
		load_step(ld, ynode(&ld->yd, *it), group, into);

	if (n->data.sequence.items.start == n->data.sequence.items.top)
		yerr(&ld->yd, n, "%s: no steps",
		     group ? "any-order" : "steps");
}
