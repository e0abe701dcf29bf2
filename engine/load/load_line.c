/* engine/load/load_line.c — a message step's line ("INVITE A -> P",
 * "180 Ringing B -> P") and the placeholders ({A.uri}, {F2.to-tag}) its
 * text may hold, each checked at its place */
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
#include "rxbound.h"


static const char *const methods[] = {
	"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "REFER",
	"NOTIFY", "SUBSCRIBE", "INFO", "UPDATE", "PRACK", "MESSAGE",
	"PUBLISH",
};


/* a token in the message line, with its column */
struct tok {
	const char *p;
	size_t l;
	unsigned col;
};


/* the tokens of s into t (NULL: only count them); how many */
static size_t tokenize(const char *s, unsigned col0, struct tok *t)
{
	size_t n = 0;
	const char *p = s;

	while (*p) {
		const char *b;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		b = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (t) {
			t[n].p = b;
			t[n].col = col0 + (unsigned)(b - s);
			t[n].l = (size_t)(p - b);
		}
		n++;
	}

	return n;
}


static int tok_err(struct loader *ld, const yaml_node_t *n,
		   const struct tok *t, const char *fmt, ...)
{
	struct srcpos pos = ypos(n);
	char *msg = NULL;
	va_list ap;

	if (t)
		pos.col = t->col;

	va_start(ap, fmt);
	(void)re_vsdprintf(&msg, fmt, ap);
	va_end(ap);

	yerr_pos(&ld->yd, n, pos, msg);
	mem_deref(msg);

	return EINVAL;
}


static struct role *tok_role(struct loader *ld, const yaml_node_t *n,
			     const struct tok *t, const char *id)
{
	struct role *r = ld_role_n(ld, t->p, t->l);

	if (!r)
		tok_err(ld, n, t, "step %s: role \"%b\" is not declared "
			"(roles: %H)", id, t->p, t->l, ld_role_names, ld->sc);

	return r;
}


/* the tokens of a message line, nt of them at t */
static void parse_tokens(struct loader *ld, struct step *st,
			 const yaml_node_t *n, const struct tok *t, size_t nt)
{
	const char *s = yscalar(n);
	size_t arrow, i;

	for (arrow = 0; arrow < nt; arrow++) {
		if (t[arrow].l == 2 && !strncmp(t[arrow].p, "->", 2))
			break;
	}

	if (arrow == nt || arrow < 2 || arrow + 2 != nt) {
		tok_err(ld, n, NULL, "step %s: expected '<METHOD or STATUS> "
			"<FROM> -> <TO>', got '%s'", st->id, s);
		return;
	}

	if (isdigit((unsigned char)t[0].p[0])) {
		char *end = NULL;
		long code = strtol(t[0].p, &end, 10);

		if (end != t[0].p + t[0].l || code < 100 || code > 699) {
			tok_err(ld, n, &t[0], "step %s: unknown status "
				"%b (a status is 100-699)", st->id, t[0].p,
				t[0].l);
			return;
		}
		st->req = false;
		st->scode = (uint16_t)code;
		if (arrow > 2)
			re_sdprintf(&st->reason, "%b", t[1].p,
				    (size_t)(t[arrow - 2].p + t[arrow - 2].l
					     - t[1].p));
		else
			str_dup(&st->reason, sip_reason_std(st->scode));
	}
	else {
		char *m = NULL;

		if (arrow != 2) {
			tok_err(ld, n, &t[1], "step %s: a request line is "
				"'<METHOD> <FROM> -> <TO>'", st->id);
			return;
		}
		if (re_sdprintf(&m, "%b", t[0].p, t[0].l))
			return;
		for (i = 0; i < ARRAY_SIZE(methods); i++) {
			if (!strcmp(m, methods[i]))
				break;
		}
		if (i == ARRAY_SIZE(methods)) {
			const char *h = diag_suggest(m, methods,
						     ARRAY_SIZE(methods));
			tok_err(ld, n, &t[0], "step %s: unknown method "
				"'%s'%s%s%s", st->id, m,
				h ? " (did you mean '" : "", h ? h : "",
				h ? "'?)" : "");
			mem_deref(m);
			return;
		}
		st->req = true;
		st->method = m;
	}

	st->from = tok_role(ld, n, &t[arrow - 1], st->id);
	st->to = tok_role(ld, n, &t[arrow + 1], st->id);
	if (st->from && st->from == st->to)
		tok_err(ld, n, &t[arrow + 1], "step %s: a role cannot send to "
			"itself", st->id);
}


/* "INVITE A -> P", "180 Ringing B -> P" */
void ld_msg_line(struct loader *ld, struct step *st, const yaml_node_t *n)
{
	const char *s = yscalar(n);
	struct tok *t;
	unsigned col0;
	size_t nt;

	if (!s) {
		ywant(&ld->yd, n, YAML_SCALAR_NODE, "a step's message line");
		return;
	}

	col0 = ypos(n).col;
	if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		++col0;

	/* as many tokens as it has: a reason phrase has no length limit */
	nt = tokenize(s, col0, NULL);
	t = mem_zalloc((nt + 1) * sizeof(*t), NULL);
	if (!t)
		return;
	tokenize(s, col0, t);
	parse_tokens(ld, st, n, t, nt);
	mem_deref(t);
}


/* {F2.call-id}: an earlier message step, one of its fields */
static void check_step_placeholder(struct loader *ld, const yaml_node_t *n,
				   const char *sid, const char *field,
				   const char *id)
{
	const struct step *o = ld_step(ld, sid);
	const char *h;
	size_t i;

	if (!strcmp(sid, id) || o->type != STEP_MSG) {
		yerr(&ld->yd, n, "step %s: placeholder {%s.%s} must name an "
		     "earlier message step", id, sid, field);
		return;
	}
	for (i = 0; i < ph_nstep_fields; i++) {
		if (!strcmp(field, ph_step_fields[i]))
			return;
	}
	h = diag_suggest(field, ph_step_fields, ph_nstep_fields);
	yerr(&ld->yd, n, "step %s: unknown placeholder {%s.%s}%s%s%s%s%s "
	     "(a step's fields: call-id, from-tag, to-tag, branch)", id, sid,
	     field,
	     h ? " (did you mean {" : "", h ? sid : "", h ? "." : "",
	     h ? h : "", h ? "}?)" : "");
}


/* {A.uri}, {call-id}, {F2.to-tag}: name is what is between the braces */
static void check_placeholder(struct loader *ld, const yaml_node_t *n,
			      char *name, const char *id)
{
	char *dot = strrchr(name, '.');
	size_t i;

	if (dot) {
		*dot = '\0';
		if (!ld_role(ld, name) &&
		    ld_step(ld, name)) {
			check_step_placeholder(ld, n, name, dot + 1, id);
			return;
		}
		if (!ld_role(ld, name)) {
			yerr(&ld->yd, n, "step %s: placeholder {%s.%s} names "
			     "neither a declared role (roles: %H) nor an "
			     "earlier step", id, name, dot + 1, ld_role_names,
			     ld->sc);
			return;
		}
		for (i = 0; i < ph_nrole_fields; i++) {
			if (!strcmp(dot + 1, ph_role_fields[i]))
				return;
		}
		{
			const char *h = diag_suggest(dot + 1, ph_role_fields,
						     ph_nrole_fields);
			yerr(&ld->yd, n, "step %s: unknown placeholder "
			     "{%s.%s}%s%s%s%s%s", id, name, dot + 1,
			     h ? " (did you mean {" : "", h ? name : "",
			     h ? "." : "", h ? h : "", h ? "}?)" : "");
		}
		return;
	}

	for (i = 0; i < ph_nmsg_fields; i++) {
		if (!strcmp(name, ph_msg_fields[i]))
			return;
	}
	{
		const char *h = diag_suggest(name, ph_msg_fields,
					     ph_nmsg_fields);
		yerr(&ld->yd, n, "step %s: unknown placeholder {%s}%s%s%s",
		     id, name, h ? " (did you mean {" : "", h ? h : "",
		     h ? "}?)" : "");
	}
}


/* {A.uri}, {call-id}: every placeholder must be known */
bool ld_placeholders(struct loader *ld, const yaml_node_t *n,
		     const char *text, const char *id)
{
	unsigned before = ld->yd.nerr;
	const char *p = text;

	while ((p = strchr(p, '{'))) {
		const char *close = strchr(p, '}');
		char *name = NULL;

		if (!close)
			break;
		if (re_sdprintf(&name, "%b", p + 1, (size_t)(close - p - 1)))
			break;
		p = close + 1;
		check_placeholder(ld, n, name, id);
		mem_deref(name);
	}

	return ld->yd.nerr == before;
}

