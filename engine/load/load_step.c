/* engine/load/load_step.c — load one step of a scenario: the message line,
 * headers, expectations, SDP, timing, association; groups and waits
 * (about 850 lines: every key of a message step is checked here, each
 * with its place; do: and media: steps are engine/load/load_do.c) */
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
		char *probe = NULL, *why = NULL;
		int rc;

		e->op = EXPECT_REGEX;
		str_dup(&e->value, s + 1);
		if (!expect_refs(ld, st, v, e))
			return;

		/* with references, check the syntax with a stand-in for
		 * each; the real one is compiled when a message comes */
		if (e->refs && ph_scan(&probe, s + 1, probe_h, ld->sc))
			return;
		if (rx_bound(probe ? probe : s + 1, &why)) {
			yerr(&ld->yd, v, "step %s: regular expression '%s': "
			     "%s", st->id, s + 1, why ? why : "too large");
			mem_deref(why);
			mem_deref(probe);
			return;
		}
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


/* expect: body: "~v=0" */
static void expect_body(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	load_spec(w->arg, w->obj, v, NULL);
}


/* expect: auth: valid */
static void expect_auth(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	ld_expect_auth(w->arg, w->obj, v);
}


/* expect: header: {Via: "~127", Subject: absent} */
static void expect_header(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	yaml_node_pair_t *q;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_MAPPING_NODE, "expect: header"))
		return;
	YMAP_FOREACH(q, v) {
		yaml_node_t *hk = ynode(w->yd, q->key);
		const char *hn = yscalar(hk);

		if (!hn || !is_token(hn)) {
			yerr(w->yd, hk, "step %s: '%s' is not a header name",
			     st->id, hn ? hn : "");
			continue;
		}
		load_spec(w->arg, st, ynode(w->yd, q->value), hn);
	}
}


/* expect: sdp: {crypto: …} — what the SDP must say of SRTP */
static void expect_sdp_crypto(const struct ywalk *w, const struct ykey *row,
			      const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	char where[64];
	(void)row;
	(void)k;

	re_snprintf(where, sizeof(where), "step %s: expect: sdp: crypto",
		    st->id);
	ld_crypto(w->yd, v, &st->expect_crypto, where);
}


static void expect_sdp(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	static const struct ykey rows[] = {
		{"crypto", expect_sdp_crypto, 0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk sw = {.yd = w->yd, .obj = w->obj, .arg = w->arg,
			   .where = "expect: sdp"};
	(void)row;
	(void)k;

	if (!ywant(w->yd, v, YAML_MAPPING_NODE, "expect: sdp"))
		(void)ymap_walk(&sw, v, &keys);
}


static void load_expect(const struct ywalk *sw, const struct ykey *srow,
			const yaml_node_t *k, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"header", expect_header, 0},
		{"body",   expect_body,   0},
		{"auth",   expect_auth,   0},
		{"sdp",    expect_sdp,    0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = sw->yd, .obj = sw->obj, .arg = sw->arg,
			  .where = "expect"};
	(void)srow;
	(void)k;

	if (!ywant(sw->yd, n, YAML_MAPPING_NODE, "expect"))
		(void)ymap_walk(&w, n, &keys);
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


/* sdp: address: 192.0.2.1 */
static void sdp_address(const struct ywalk *w, const struct ykey *row,
			const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	if (!yscalar(v) || sa_set_str(&st->sdp.addr, yscalar(v), 0))
		yerr(w->yd, v, "step %s: sdp: address is an IPv4 or IPv6 "
		     "address, without a port", st->id);
}


/* sdp: direction: sendonly */
static void sdp_direction(const struct ywalk *w, const struct ykey *row,
			  const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	if (!one_of(yscalar(v), directions, ARRAY_SIZE(directions), false))
		yerr(w->yd, v, "step %s: direction is sendrecv, sendonly, "
		     "recvonly or inactive", st->id);
	else
		ld_dup_scalar(w->arg, v, &st->sdp.direction, "direction");
}


/* sdp: crypto: AES_CM_128_HMAC_SHA1_80 (docs/srtp.md) */
static void sdp_crypto(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	char where[64];
	(void)row;
	(void)k;

	re_snprintf(where, sizeof(where), "step %s: sdp: crypto", st->id);
	ld_crypto(w->yd, v, &st->sdp.crypto, where);
}


/* sdp: codecs: [PCMA, telephone-event] */
static void sdp_codecs(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	yaml_node_item_t *it;
	(void)row;
	(void)k;

	if (ywant(w->yd, v, YAML_SEQUENCE_NODE, "codecs"))
		return;
	YSEQ_FOREACH(it, v) {
		yaml_node_t *c = ynode(w->yd, *it);

		if (!one_of(yscalar(c), codec_names, ARRAY_SIZE(codec_names),
			    true)) {
			yerr(w->yd, c, "step %s: unknown codec '%s' (codecs: "
			     "PCMU, PCMA, G722, telephone-event)", st->id,
			     yscalar(c) ? yscalar(c) : "");
			continue;
		}
		ld_add_str(&st->sdp.codecs, yscalar(c), ypos(c));
	}
}


static void load_sdp(const struct ywalk *sw, const struct ykey *srow,
		     const yaml_node_t *k, const yaml_node_t *n)
{
	static const struct ykey rows[] = {
		{"codecs",    sdp_codecs,    0},
		{"direction", sdp_direction, 0},
		{"address",   sdp_address,   0},
		{"crypto",    sdp_crypto,    0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = sw->yd, .obj = sw->obj, .arg = sw->arg,
			  .where = "sdp"};
	struct step *st = sw->obj;
	bool b;
	(void)srow;
	(void)k;

	st->sdp.set = true;
	if (yscalar(n)) {
		if (!ybool(sw->yd, n, &b)) {
			if (b)
				yerr(sw->yd, n, "step %s: sdp: is false or a "
				     "mapping {codecs, direction, address, "
				     "crypto}",
				     st->id);
			st->sdp.off = !b;
		}
		return;
	}

	if (!ywant(sw->yd, n, YAML_MAPPING_NODE, "sdp"))
		(void)ymap_walk(&w, n, &keys);
}


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


static void step_headers(const struct ywalk *w, const struct ykey *row,
			 const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	load_headers(w->arg, w->obj, v);
}


/* body: / raw: text, its placeholders checked, into the char * at off */
static void step_text(const struct ywalk *w, const struct ykey *row,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	char **out = YFIELD(w, row, char *);
	(void)k;

	if (!ld_dup_scalar(w->arg, v, out, row->key))
		check_placeholders(w->arg, v, *out, st->id);
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
	{"headers",    step_headers,  0},
	{"body",       step_text,     offsetof(struct step, body)},
	{"raw",        step_text,     offsetof(struct step, raw)},
	{"sdp",        load_sdp,      0},
	{"expect",     load_expect,   0},
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

	if (id && (!strcmp(id, "media") || !strcmp(id, "do") ||
		   !strcmp(id, "event"))) {
		bool is_do = !strcmp(id, "do");
		bool is_ev = !strcmp(id, "event");

		st = new_step(ld, is_do ? STEP_DO : is_ev ? STEP_EVENT
			      : STEP_MEDIA, k0);
		if (!st)
			return;
		re_sdprintf(&st->id, "%s@L%u%s", id, st->pos.line,
			    id_suffix(ld, k0));
		st->group = group;
		list_append(into, &st->le, st);
		(void)ld_step_add(ld, st);
		if (group && (is_do || is_ev))
			yerr(yd, k0, "%s: cannot be inside any-order: (a "
			     "group's media: steps listen at once; its "
			     "%s: steps would have no order)", id, id);
		if (p + 1 < n->data.mapping.pairs.top)
			yerr(yd, ynode(yd, p[1].key), "%s: takes no other "
			     "keys", id);
		if (is_do)
			ld_do_step(ld, st, v0);
		else if (is_ev)
			ld_event_step(ld, st, v0);
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
		(void)ld_step_add(ld, st);
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
		(void)ld_step_add(ld, st);
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

	parse_line(ld, st, v0);

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
