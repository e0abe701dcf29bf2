/* engine/sip/placeholder.c — {C.uri}, {call-id} … resolved at send time
 *
 * Role fields: {X.uri} (address of record, sip:user@domain), {X.contact}
 * (sip:user@host:port), {X.host}, {X.port}, {X.addr} (host:port),
 * {X.user}, {X.domain}. Message fields: {call-id}, {branch}, {tag},
 * {cseq}, and {body-length} (the length of what follows the blank line,
 * a <hex>…</hex> there counted as its octets,
 * computed last). Fields of an earlier step's message: {F2.call-id},
 * {F2.from-tag}, {F2.to-tag} — what a phone learns from a dialog-info
 * NOTIFY and puts in Replaces (RFC 3891), written into the flow.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "placeholder.h"
#include "rawhex.h"


#define BODYLEN "{body-length}"


/* the fields a placeholder may name: {X.uri} of a role, {call-id} of the
 * message itself, {F2.to-tag} of an earlier step's message */
const char *const ph_role_fields[] = {
	"uri", "contact", "host", "port", "addr", "user", "domain",
};
const size_t ph_nrole_fields = ARRAY_SIZE(ph_role_fields);

const char *const ph_msg_fields[] = {
	"call-id", "branch", "tag", "cseq", "body-length",
};
const size_t ph_nmsg_fields = ARRAY_SIZE(ph_msg_fields);

const char *const ph_step_fields[] = {
	"call-id", "from-tag", "to-tag", "branch",
};
const size_t ph_nstep_fields = ARRAY_SIZE(ph_step_fields);


/* {F3.2.call-id}: split at the last dot (a step id may hold dots);
 * false when there is none */
static bool split_ref(const struct pl *name, struct pl *pre,
		      struct pl *field)
{
	const char *dot = NULL, *p;

	for (p = name->p; p < name->p + name->l; p++) {
		if (*p == '.')
			dot = p;
	}
	if (!dot)
		return false;

	*pre = (struct pl){name->p, (size_t)(dot - name->p)};
	*field = (struct pl){dot + 1, name->l - pre->l - 1};

	return true;
}


/** The domain a role's address of record uses */
const char *role_domain(const struct scenario *sc, const struct role *r)
{
	struct le *le;

	if (r->domain)
		return r->domain;

	for (le = sc ? sc->roles.head : NULL; le; le = le->next) {
		const struct role *p = le->data;
		if (p->kind == ROLE_PROXY && p->domain)
			return p->domain;
	}

	return NULL;
}


/** sip:user@domain (or @host:port when nobody serves a domain) */
int role_aor(char **out, const struct scenario *sc, const struct role *r)
{
	const char *dom = role_domain(sc, r);

	if (dom)
		return re_sdprintf(out, "sip:%s@%s", r->user, dom);

	return role_contact(out, r);
}


/**
 * sip:user@host:port — where the role really is; ;transport=tcp or tls
 * when it is not on UDP (RFC 3261 §19.1.1)
 */
int role_contact(char **out, const struct role *r)
{
	return re_sdprintf(out, "sip:%s@%J%s", r->user, &r->addr,
			   sip_transp_param(r->tp));
}


static int role_field(struct mbuf *mb, const struct scenario *sc,
		      const struct role *r, const struct pl *field)
{
	char *s = NULL;
	int err;

	if (!pl_strcmp(field, "uri")) {
		err = role_aor(&s, sc, r);
	}
	else if (!pl_strcmp(field, "contact")) {
		err = role_contact(&s, r);
	}
	else if (!pl_strcmp(field, "host")) {
		return mbuf_printf(mb, "%j", &r->addr);
	}
	else if (!pl_strcmp(field, "port")) {
		return mbuf_printf(mb, "%u", sa_port(&r->addr));
	}
	else if (!pl_strcmp(field, "addr")) {
		return mbuf_printf(mb, "%J", &r->addr);
	}
	else if (!pl_strcmp(field, "user")) {
		return mbuf_write_str(mb, r->user);
	}
	else if (!pl_strcmp(field, "domain")) {
		const char *dom = role_domain(sc, r);
		if (dom)
			return mbuf_write_str(mb, dom);
		return mbuf_printf(mb, "%j", &r->addr);
	}
	else {
		return ENOENT;
	}

	if (!err)
		err = mbuf_write_str(mb, s);
	mem_deref(s);
	return err;
}


/* {F2.call-id}: a field of the message step F2 sent or matched */
static int step_field(struct mbuf *mb, const struct pl *sname,
		      const struct pl *field, const struct phctx *ctx,
		      struct msgrec *const *steprec, char **why)
{
	const struct sip_msg *m;
	const struct step *st;
	const struct pl *v;
	char id[64];

	if (pl_strcpy(sname, id, sizeof(id)))
		return ENOENT;
	st = scenario_step(ctx->sc, id);
	if (!st || st->type != STEP_MSG)
		return ENOENT;

	if (!pl_strcmp(field, "call-id") || !pl_strcmp(field, "from-tag") ||
	    !pl_strcmp(field, "to-tag") || !pl_strcmp(field, "branch")) {
		m = steprec && steprec[st->idx] ? steprec[st->idx]->msg
						: NULL;
		if (!m) {
			if (why)
				re_sdprintf(why, "{%r.%r}: step %s has no "
					    "message (yet)", sname, field, id);
			return ENODATA;
		}
		v = !pl_strcmp(field, "call-id") ? &m->callid :
		    !pl_strcmp(field, "from-tag") ? &m->from.tag :
		    !pl_strcmp(field, "branch") ? &m->via.branch : &m->to.tag;
		if (!pl_isset(v)) {
			if (why)
				re_sdprintf(why, "{%r.%r}: the message of "
					    "step %s has no %r", sname, field,
					    id, field);
			return ENODATA;
		}
		return mbuf_write_pl(mb, v);
	}

	return ENOENT;
}


static int one(struct mbuf *mb, const struct pl *name,
	       const struct phctx *ctx, struct msgrec *const *steprec,
	       char **why)
{
	struct pl rname, field;

	if (split_ref(name, &rname, &field)) {
		struct le *le;

		for (le = ctx->sc->roles.head; le; le = le->next) {
			const struct role *r = le->data;
			if (!pl_strcmp(&rname, r->name))
				return role_field(mb, ctx->sc, r, &field);
		}

		return step_field(mb, &rname, &field, ctx, steprec, why);
	}

	if (!pl_strcmp(name, "call-id") && ctx->callid)
		return mbuf_write_str(mb, ctx->callid);
	if (!pl_strcmp(name, "branch") && ctx->branch)
		return mbuf_write_str(mb, ctx->branch);
	if (!pl_strcmp(name, "tag") && ctx->tag)
		return mbuf_write_str(mb, ctx->tag);
	if (!pl_strcmp(name, "cseq"))
		return mbuf_printf(mb, "%u", ctx->cseq);
	if (!pl_strcmp(name, "body-length"))
		return mbuf_write_str(mb, BODYLEN);

	return ENOENT;
}


static int body_length(char **out)
{
	char *s = *out, *mark, *body, *res = NULL;
	size_t blen;
	int err;

	mark = strstr(s, BODYLEN);
	if (!mark)
		return 0;

	body = strstr(s, "\r\n\r\n");
	blen = body ? rawhex_len(body + 4) : 0;
	/* the body may itself hold the marker text; count it as replaced */
	if (body && mark > body)
		return EINVAL;

	*mark = '\0';
	err = re_sdprintf(&res, "%s%zu%s", s, blen, mark + strlen(BODYLEN));
	if (err)
		return err;

	mem_deref(s);
	*out = res;
	return 0;
}


/**
 * Copy in to *out, calling h for each {name} to write its replacement.
 * The first error h returns stops the scan and is returned.
 */
int ph_scan(char **out, const char *in, ph_h *h, void *arg)
{
	struct mbuf *mb;
	const char *p = in;
	int err = 0;

	if (!out || !in || !h)
		return EINVAL;

	mb = mbuf_alloc(strlen(in) + 64);
	if (!mb)
		return ENOMEM;

	while (*p && !err) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		struct pl name;

		if (!open || !close) {
			err = mbuf_write_str(mb, p);
			break;
		}

		err = mbuf_write_mem(mb, (const uint8_t *)p,
				     (size_t)(open - p));
		if (err)
			break;

		name.p = open + 1;
		name.l = (size_t)(close - open - 1);
		err = h(mb, &name, arg);
		p = close + 1;
	}

	if (!err) {
		mb->pos = 0;
		err = mbuf_strdup(mb, out, mb->end);
	}
	mem_deref(mb);

	return err;
}


struct expand {
	const struct phctx *ctx;
	struct msgrec *const *steprec;
	char **why;
};


static int expand_h(struct mbuf *mb, const struct pl *name, void *arg)
{
	struct expand *x = arg;
	int err = one(mb, name, x->ctx, x->steprec, x->why);

	if (err == ENOENT && x->why)
		re_sdprintf(x->why, "unknown placeholder {%r}", name);

	return err;
}


/**
 * Replace every {placeholder} in text; steprec (per step index, its
 * message so far, or NULL) resolves {F2.call-id} and the other fields of
 * an earlier step. An unknown one leaves *why set and returns ENOENT (the
 * loader checks names, so this is a safety net).
 */
int ph_expand_steps(char **out, const char *in, const struct phctx *ctx,
		    struct msgrec *const *steprec, char **why)
{
	struct expand x = {ctx, steprec, why};
	int err;

	if (!out || !in || !ctx)
		return EINVAL;

	err = ph_scan(out, in, expand_h, &x);
	if (!err)
		err = body_length(out);

	return err;
}


/** ph_expand_steps() without the steps' messages */
int ph_expand(char **out, const char *in, const struct phctx *ctx,
	      char **why)
{
	return ph_expand_steps(out, in, ctx, NULL, why);
}


/*
 * References in an expect: value — {X.field} of a declared role, or
 * {Fn.field} of an earlier step's message — resolved when a message is
 * checked. Any other {…} (a regex's {3}) stays as written.
 */
static bool in_list(const struct pl *f, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!pl_strcmp(f, v[i]))
			return true;
	}

	return false;
}


/** What {name} is (enum ph_ref) */
enum ph_ref ph_ref_kind(const struct pl *name, const struct scenario *sc)
{
	struct pl pre, field;
	char id[64];

	if (!sc || !split_ref(name, &pre, &field) ||
	    pl_strcpy(&pre, id, sizeof(id)))
		return PH_TEXT;

	if (scenario_role(sc, id))
		return in_list(&field, ph_role_fields, ph_nrole_fields)
			? PH_REF : PH_NO_FIELD;
	if (scenario_step(sc, id))
		return in_list(&field, ph_step_fields, ph_nstep_fields)
			? PH_REF : PH_NO_FIELD;
	if (in_list(&field, ph_step_fields, ph_nstep_fields))
		return PH_NO_STEP;

	return PH_TEXT;
}


struct refs {
	const struct scenario *sc;
	const struct phctx *ctx;
	struct msgrec *const *steprec;
	bool re_quote;
	unsigned n;
	char **why;
};


static int refs_count_h(struct mbuf *mb, const struct pl *name, void *arg)
{
	struct refs *x = arg;
	enum ph_ref k = ph_ref_kind(name, x->sc);

	(void)mb;
	if (k == PH_NO_STEP) {
		struct pl pre, field;

		if (x->why && split_ref(name, &pre, &field))
			re_sdprintf(x->why, "{%r}: no such step (in a repeat: "
				    "step ids get the iteration, {%r.${i}."
				    "%r})", name, &pre, &field);
		return EINVAL;
	}
	if (k == PH_NO_FIELD) {
		if (x->why)
			re_sdprintf(x->why, "{%r}: no such field", name);
		return EINVAL;
	}
	if (k == PH_REF)
		++x->n;

	return 0;
}


/** How many role/step references in is has for an expect: value, or -1
 *  (*why set) for a role or step with a field it does not have */
int ph_refs(const char *in, const struct scenario *sc, char **why)
{
	struct refs x = {sc, NULL, NULL, false, 0, why};
	char *out = NULL;
	int err;

	err = ph_scan(&out, in, refs_count_h, &x);
	mem_deref(out);

	return err ? -1 : (int)x.n;
}


static int refs_expand_h(struct mbuf *mb, const struct pl *name, void *arg)
{
	struct refs *x = arg;
	struct mbuf *v;
	size_t i;
	int err;

	if (ph_ref_kind(name, x->sc) != PH_REF)
		return mbuf_printf(mb, "{%r}", name);

	v = mbuf_alloc(64);
	if (!v)
		return ENOMEM;

	err = one(v, name, x->ctx, x->steprec, x->why);
	for (i = 0; !err && i < v->end; i++) {
		char ch = (char)v->buf[i];

		if (x->re_quote && strchr("\\^$.|?*+()[]{}", ch))
			err = mbuf_write_u8(mb, '\\');
		if (!err)
			err = mbuf_write_u8(mb, (uint8_t)ch);
	}
	mem_deref(v);

	return err;
}


/**
 * Resolve the role/step references of an expect: value; re_quote escapes
 * what they put in, for a regex
 */
int ph_expand_refs(char **out, const char *in, const struct phctx *ctx,
		   struct msgrec *const *steprec, bool re_quote, char **why)
{
	struct refs x = {ctx ? ctx->sc : NULL, ctx, steprec, re_quote, 0,
			 why};

	if (!out || !in || !ctx)
		return EINVAL;

	return ph_scan(out, in, refs_expand_h, &x);
}
