/* engine/load/load_step.c — load one step of a scenario: the message line,
 * headers, expectations, SDP, timing, association; groups and waits
 * (about 850 lines: every key of a message step is checked here, each
 * with its place; do: and media: steps are engine/load/load_do.c) */
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


static const char *const step_keys[] = {
	"to-user", "headers", "body", "raw", "sdp", "expect", "optional",
	"within", "timeout", "answers", "forwards", "dialog",
	"retransmit", "drop", "lose", "retransmission-of", "absent", "auth",
	"challenge", "status",
};

static const char *const methods[] = {
	"INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "REFER",
	"NOTIFY", "SUBSCRIBE", "INFO", "UPDATE", "PRACK", "MESSAGE",
	"PUBLISH",
};

static const char *const codec_names[] = {
	"PCMU", "PCMA", "G722", "telephone-event",
};

static const char *const directions[] = {
	"sendrecv", "sendonly", "recvonly", "inactive",
};

static void hdr_destructor(void *data)
{
	struct hdr_spec *h = data;

	list_unlink(&h->le);
	mem_deref(h->name);
	mem_deref(h->value);
}


static void expect_destructor(void *data)
{
	struct expect *e = data;

	list_unlink(&e->le);
	if (e->re_ok)
		regfree(&e->re);
	mem_deref(e->name);
	mem_deref(e->value);
}




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
	struct role *r = ld_role_n(ld->sc, t->p, t->l);

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
static void parse_line(struct loader *ld, struct step *st,
		       const yaml_node_t *n)
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
	const struct step *o = scenario_step(ld->sc, sid);
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
	     "(a step's fields: call-id, from-tag, to-tag)", id, sid, field,
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
		if (!scenario_role(ld->sc, name) &&
		    scenario_step(ld->sc, name)) {
			check_step_placeholder(ld, n, name, dot + 1, id);
			return;
		}
		if (!scenario_role(ld->sc, name)) {
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
static bool check_placeholders(struct loader *ld, const yaml_node_t *n,
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


/* a sample value of a placeholder's kind, for checking header shapes */
static int sample_h(struct mbuf *mb, const struct pl *nm, void *arg)
{
	const char *s = "x";

	(void)arg;
	if (!re_regex(nm->p, nm->l, "uri") || !re_regex(nm->p, nm->l,
							 "contact"))
		s = "sip:x@127.0.0.1";
	else if (!re_regex(nm->p, nm->l, "host") ||
		 !re_regex(nm->p, nm->l, "addr"))
		s = "127.0.0.1";
	else if (!re_regex(nm->p, nm->l, "port") ||
		 !re_regex(nm->p, nm->l, "cseq") ||
		 !re_regex(nm->p, nm->l, "length"))
		s = "1";

	return mbuf_write_str(mb, s);
}


static int sample(char **out, const char *text)
{
	return ph_scan(out, text, sample_h, NULL);
}


static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}

	return true;
}


static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("-.!%*_+`'~", *s))
			return false;
	}

	return true;
}


/* the value of a header we know the shape of */
static void check_header_value(struct loader *ld, const yaml_node_t *n,
			       const char *name, const char *value,
			       const char *id)
{
	static const char *const numeric[] = {
		"Max-Forwards", "Expires", "Content-Length", "l",
	};
	static const char *const addr[] = {
		"Contact", "m", "From", "f", "To", "t", "Refer-To", "r",
		"Route", "Record-Route", "Referred-By", "b",
	};
	char *s = NULL;
	size_t i;

	if (sample(&s, value))
		return;

	for (i = 0; i < ARRAY_SIZE(numeric); i++) {
		if (!str_casecmp(name, numeric[i]) && !is_number(s))
			yerr(&ld->yd, n, "step %s: %s must be a number, got "
			     "'%s'", id, name, value);
	}

	if (!str_casecmp(name, "CSeq")) {
		struct sip_cseq cs;
		struct pl pl;

		pl_set_str(&pl, s);
		if (sip_cseq_decode(&cs, &pl) || !cs.num ||
		    !hdr_rx(&pl, "^[0-9]+ [A-Za-z]+$", false))
			yerr(&ld->yd, n, "step %s: CSeq must be '<number> "
			     "<METHOD>', got '%s'", id, value);
	}

	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		struct sip_addr a;
		struct pl pl;

		if (str_casecmp(name, addr[i]))
			continue;
		if (!strcmp(s, "*") && (!str_casecmp(name, "Contact") ||
					!strcmp(name, "m")))
			break;
		pl_set_str(&pl, s);
		if (sip_addr_decode(&a, &pl) || !pl_isset(&a.uri.scheme))
			yerr(&ld->yd, n, "step %s: %s is not a valid "
			     "address ('%s')", id, name, value);
		break;
	}

	mem_deref(s);
}


static void load_headers(struct loader *ld, struct step *st,
			 const yaml_node_t *n)
{
	yaml_node_pair_t *p;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "headers"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(&ld->yd, p->key);
		yaml_node_t *v = ynode(&ld->yd, p->value);
		const char *name = yscalar(k);
		struct hdr_spec *h;

		if (!name || !is_token(name)) {
			yerr(&ld->yd, k, "step %s: '%s' is not a header name",
			     st->id, name ? name : "");
			continue;
		}

		h = mem_zalloc(sizeof(*h), hdr_destructor);
		if (!h)
			return;
		str_dup(&h->name, name);
		h->pos = ypos(k);
		list_append(&st->headers, &h->le, h);

		if (yis_null(v))
			continue;

		if (!yscalar(v)) {
			ywant(&ld->yd, v, YAML_SCALAR_NODE, "a header value");
			continue;
		}
		str_dup(&h->value, yscalar(v));
		if (check_placeholders(ld, v, h->value, st->id))
			check_header_value(ld, v, name, h->value, st->id);
	}
}


/* a role/step reference in a regex, for a syntax check at load */
static int probe_h(struct mbuf *mb, const struct pl *name, void *arg)
{
	return ph_ref_kind(name, arg) == PH_REF ? mbuf_write_str(mb, "x")
					    : mbuf_printf(mb, "{%r}", name);
}


/* mark e when its value names {B.host}, {F2.to-tag} …; false on a role
 * or step with a field it does not have (said where) */
static bool expect_refs(struct loader *ld, const struct step *st,
			const yaml_node_t *v, struct expect *e)
{
	char *why = NULL;
	int n = e->value ? ph_refs(e->value, ld->sc, &why) : 0;

	if (n < 0) {
		yerr(&ld->yd, v, "step %s: %s", st->id,
		     why ? why : "bad reference");
		mem_deref(why);
		return false;
	}
	e->refs = n > 0;

	return true;
}


static void load_spec(struct loader *ld, struct step *st,
		      const yaml_node_t *v, const char *name)
{
	const char *s = yscalar(v);
	struct expect *e;

	if (!s) {
		ywant(&ld->yd, v, YAML_SCALAR_NODE, "an expectation");
		return;
	}

	e = mem_zalloc(sizeof(*e), expect_destructor);
	if (!e)
		return;
	if (name)
		str_dup(&e->name, name);
	e->pos = ypos(v);
	list_append(&st->expects, &e->le, e);

	if (!strcmp(s, "absent")) {
		e->op = EXPECT_ABSENT;
	}
	else if (!strcmp(s, "present")) {
		e->op = EXPECT_PRESENT;
	}
	else if (s[0] == '~') {
		char *probe = NULL;
		int rc;

		e->op = EXPECT_REGEX;
		str_dup(&e->value, s + 1);
		if (!expect_refs(ld, st, v, e))
			return;

		/* with references, check the syntax with a stand-in for
		 * each; the real one is compiled when a message comes */
		if (e->refs && ph_scan(&probe, s + 1, probe_h, ld->sc))
			return;
		rc = regcomp(&e->re, probe ? probe : s + 1,
			     REG_EXTENDED | REG_NOSUB);
		mem_deref(probe);
		if (rc) {
			char buf[128];

			regerror(rc, &e->re, buf, sizeof(buf));
			yerr(&ld->yd, v, "step %s: bad regular expression "
			     "'%s': %s", st->id, s + 1, buf);
		}
		else if (e->refs) {
			regfree(&e->re);
		}
		else {
			e->re_ok = true;
		}
	}
	else {
		e->op = EXPECT_EQUAL;
		str_dup(&e->value, s[0] == '=' ? s + 1 : s);
		(void)expect_refs(ld, st, v, e);
	}
}


static void load_expect(struct loader *ld, struct step *st,
			const yaml_node_t *n)
{
	static const char *const keys[] = {"header", "body", "auth"};
	yaml_node_pair_t *p, *q;

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "expect"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(&ld->yd, p->key);
		yaml_node_t *v = ynode(&ld->yd, p->value);

		if (ykey_check(&ld->yd, k, keys, ARRAY_SIZE(keys), "expect"))
			continue;

		if (!strcmp(yscalar(k), "body")) {
			load_spec(ld, st, v, NULL);
			continue;
		}
		if (!strcmp(yscalar(k), "auth")) {
			ld_expect_auth(ld, st, v);
			continue;
		}

		if (ywant(&ld->yd, v, YAML_MAPPING_NODE, "expect: header"))
			continue;
		YMAP_FOREACH(q, v) {
			yaml_node_t *hk = ynode(&ld->yd, q->key);
			const char *hn = yscalar(hk);

			if (!hn || !is_token(hn)) {
				yerr(&ld->yd, hk, "step %s: '%s' is not a "
				     "header name", st->id, hn ? hn : "");
				continue;
			}
			load_spec(ld, st, ynode(&ld->yd, q->value), hn);
		}
	}
}


static bool one_of(const char *s, const char *const *v, size_t n,
		   bool nocase)
{
	size_t i;

	for (i = 0; s && i < n; i++) {
		if (nocase ? !str_casecmp(s, v[i]) : !strcmp(s, v[i]))
			return true;
	}

	return false;
}


static void load_sdp(struct loader *ld, struct step *st,
		     const yaml_node_t *n)
{
	static const char *const keys[] = {"codecs", "direction", "address"};
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	bool b;

	st->sdp.set = true;
	if (yscalar(n)) {
		if (!ybool(&ld->yd, n, &b)) {
			if (b)
				yerr(&ld->yd, n, "step %s: sdp: is false or a "
				     "mapping {codecs, direction, address}",
				     st->id);
			st->sdp.off = !b;
		}
		return;
	}

	if (ywant(&ld->yd, n, YAML_MAPPING_NODE, "sdp"))
		return;

	YMAP_FOREACH(p, n) {
		yaml_node_t *k = ynode(&ld->yd, p->key);
		yaml_node_t *v = ynode(&ld->yd, p->value);

		if (ykey_check(&ld->yd, k, keys, ARRAY_SIZE(keys), "sdp"))
			continue;

		if (!strcmp(yscalar(k), "address")) {
			if (!yscalar(v) ||
			    sa_set_str(&st->sdp.addr, yscalar(v), 0))
				yerr(&ld->yd, v, "step %s: sdp: address is an "
				     "IPv4 or IPv6 address, without a port",
				     st->id);
			continue;
		}

		if (!strcmp(yscalar(k), "direction")) {
			if (!one_of(yscalar(v), directions,
				    ARRAY_SIZE(directions), false))
				yerr(&ld->yd, v, "step %s: direction is "
				     "sendrecv, sendonly, recvonly or "
				     "inactive", st->id);
			else
				ld_dup_scalar(ld, v, &st->sdp.direction,
					   "direction");
			continue;
		}

		if (ywant(&ld->yd, v, YAML_SEQUENCE_NODE, "codecs"))
			continue;
		YSEQ_FOREACH(it, v) {
			yaml_node_t *c = ynode(&ld->yd, *it);

			if (!one_of(yscalar(c), codec_names,
				    ARRAY_SIZE(codec_names), true)) {
				yerr(&ld->yd, c, "step %s: unknown codec '%s' "
				     "(codecs: PCMU, PCMA, G722, "
				     "telephone-event)", st->id,
				     yscalar(c) ? yscalar(c) : "");
				continue;
			}
			ld_add_str(&st->sdp.codecs, yscalar(c), ypos(c));
		}
	}
}


/* answers: / forwards: name an earlier request step */
static struct step *earlier_request(struct loader *ld, struct step *st,
				    const yaml_node_t *v, const char *key)
{
	const char *id = yscalar(v);
	struct step *o = scenario_step(ld->sc, id);

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


/* retransmit:, drop:, lose:, retransmission-of: (RFC 3261 timers) */
static void rtx_option(struct loader *ld, struct step *st,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct ydoc *yd = &ld->yd;
	const char *key = yscalar(k), *vs = yscalar(v);
	struct step *o;
	bool b;

	if (!strcmp(key, "retransmit")) {
		if (!ybool(yd, v, &b))
			st->no_retransmit = !b;
		return;
	}

	if (!strcmp(key, "absent")) {
		if (!ybool(yd, v, &b))
			st->absent = b;
		return;
	}

	if (!strcmp(key, "retransmission-of")) {
		o = vs ? scenario_step(ld->sc, vs) : NULL;
		if (!o || o == st || o->type != STEP_MSG)
			yerr(yd, v, "step %s: retransmission-of: '%s' must "
			     "name an earlier message step", st->id,
			     vs ? vs : "");
		else if (o->from != st->from || o->to != st->to ||
			 o->req != st->req || o->scode != st->scode ||
			 (o->req && strcmp(o->method, st->method)))
			yerr(yd, v, "step %s: retransmission-of: %s is %H %s "
			     "-> %s; a retransmission repeats it", st->id,
			     o->id, step_print, o, o->from ? o->from->name
			     : "?", o->to ? o->to->name : "?");
		else
			st->rtx_of = o;
		return;
	}

	/* drop: true is lose: 1 */
	if (!strcmp(key, "drop")) {
		if (!ybool(yd, v, &b))
			st->lose = b ? 1 : 0;
	}
	else {
		char *end = NULL;
		unsigned long n = vs ? strtoul(vs, &end, 10) : 0;

		if (!vs || !end || *end || !n || n > 64) {
			yerr(yd, v, "step %s: lose: '%s' is not a number of "
			     "copies from 1 to 64", st->id, vs ? vs : "");
			return;
		}
		st->lose = (uint32_t)n;
	}

	if (st->lose && st->from && role_acts(st->from))
		yerr(yd, k, "step %s: %s: %s is not played by sipflow; only "
		     "what sipflow sends can be lost", st->id, key,
		     st->from->name);
}


static void step_option(struct loader *ld, struct step *st,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct ydoc *yd = &ld->yd;
	const char *key = yscalar(k);
	const char *vs = yscalar(v);
	bool b;

	if (!strcmp(key, "to-user")) {
		if (!ld_dup_scalar(ld, v, &st->to_user, "to-user"))
			st->to_role = scenario_role(ld->sc, st->to_user);
	}
	else if (!strcmp(key, "headers")) {
		load_headers(ld, st, v);
	}
	else if (!strcmp(key, "body")) {
		if (!ld_dup_scalar(ld, v, &st->body, "body"))
			check_placeholders(ld, v, st->body, st->id);
	}
	else if (!strcmp(key, "raw")) {
		if (!ld_dup_scalar(ld, v, &st->raw, "raw"))
			check_placeholders(ld, v, st->raw, st->id);
	}
	else if (!strcmp(key, "sdp")) {
		load_sdp(ld, st, v);
	}
	else if (!strcmp(key, "expect")) {
		load_expect(ld, st, v);
	}
	else if (!strcmp(key, "optional")) {
		if (!ybool(yd, v, &b))
			st->optional = b;
	}
	else if (!strcmp(key, "within") || !strcmp(key, "timeout")) {
		uint32_t ms = 0;

		if (!vs || duration_parse(&ms, vs) || !ms)
			yerr(yd, v, "step %s: %s: '%s' is not a duration "
			     "(500ms, 2s, 1m)", st->id, key, vs ? vs : "");
		else if (key[0] == 'w')
			st->within_ms = ms;
		else
			st->timeout_ms = ms;
	}
	else if (!strcmp(key, "answers")) {
		st->answers = earlier_request(ld, st, v, "answers");
		if (st->req && st->answers)
			yerr(yd, k, "step %s: answers: is for responses",
			     st->id);
	}
	else if (!strcmp(key, "forwards")) {
		st->forwards = earlier_request(ld, st, v, "forwards");
	}
	else if (!strcmp(key, "dialog")) {
		ld_dup_scalar(ld, v, &st->dialog, "dialog");
	}
	else if (!strcmp(key, "auth") || !strcmp(key, "challenge")) {
		ld_auth(ld, st, k, v);
	}
	else if (!strcmp(key, "status")) {
		ld_status(ld, st, k, v);
	}
	else {
		rtx_option(ld, st, k, v);
	}
}


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


static void load_step(struct loader *ld, const yaml_node_t *n,
		      struct step *group, struct list *into)
{
	struct ydoc *yd = &ld->yd;
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

	if (id && (!strcmp(id, "media") || !strcmp(id, "do"))) {
		bool is_do = !strcmp(id, "do");

		st = new_step(ld, is_do ? STEP_DO : STEP_MEDIA, k0);
		if (!st)
			return;
		re_sdprintf(&st->id, "%s@L%u%s", id, st->pos.line,
			    id_suffix(ld, k0));
		st->group = group;
		list_append(into, &st->le, st);
		if (group)
			yerr(yd, k0, "%s: cannot be inside any-order:", id);
		if (p + 1 < n->data.mapping.pairs.top)
			yerr(yd, ynode(yd, p[1].key), "%s: takes no other "
			     "keys", id);
		if (is_do)
			ld_do_step(ld, st, v0);
		else
			ld_media_step(ld, st, v0);
		return;
	}

	if (id && !strcmp(id, "wait")) {
		uint32_t ms = 0;

		if (!yscalar(v0) || duration_parse(&ms, yscalar(v0)) || !ms)
			yerr(yd, v0, "wait: '%s' is not a duration (500ms, "
			     "2s, 1m)", yscalar(v0) ? yscalar(v0) : "");
		st = new_step(ld, STEP_WAIT, k0);
		if (!st)
			return;
		re_sdprintf(&st->id, "wait@L%u%s", st->pos.line,
			    id_suffix(ld, k0));
		st->wait_ms = ms;
		st->group = group;
		list_append(into, &st->le, st);
		if (group)
			yerr(yd, k0, "wait: cannot be inside any-order:");
		if (p + 1 < n->data.mapping.pairs.top)
			yerr(yd, ynode(yd, p[1].key), "wait: takes no "
			     "other keys");
		return;
	}

	if (id && !strcmp(id, "any-order")) {
		if (group) {
			yerr(yd, k0, "any-order: groups cannot be nested");
			return;
		}
		st = new_step(ld, STEP_GROUP, k0);
		if (!st)
			return;
		re_sdprintf(&st->id, "any-order@L%u%s", st->pos.line,
			    id_suffix(ld, k0));
		list_append(into, &st->le, st);
		if (!ywant(yd, v0, YAML_SEQUENCE_NODE, "any-order"))
			load_steps(ld, v0, st, &st->members);
		if (p + 1 < n->data.mapping.pairs.top)
			yerr(yd, ynode(yd, p[1].key), "any-order: takes no "
			     "other keys");
		return;
	}

	if (!ld_valid_name(id, true)) {
		yerr(yd, k0, "'%s' is not a step id (a letter, then letters, "
		     "digits, '.', '-' or '_': F1, F2a)", id ? id : "");
		return;
	}
	if (scenario_step(ld->sc, id)) {
		yerr(yd, k0, "duplicate step id '%s' (first at line %u)", id,
		     scenario_step(ld->sc, id)->pos.line);
		return;
	}

	st = new_step(ld, STEP_MSG, k0);
	if (!st)
		return;
	str_dup(&st->id, id);
	st->group = group;
	list_append(into, &st->le, st);

	parse_line(ld, st, v0);

	for (p++; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(yd, p->key);

		if (ykey_check(yd, k, step_keys, ARRAY_SIZE(step_keys),
			       st->id))
			continue;
		step_option(ld, st, k, ynode(yd, p->value));
	}

	if (st->raw && (!list_isempty(&st->headers) || st->body ||
			st->sdp.set))
		yerr(yd, k0, "step %s: raw: gives the whole message; "
		     "headers/body/sdp do not apply", st->id);
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
		yerr(&ld->yd, n, "%s: no steps", group ? "any-order" : "steps");
}
