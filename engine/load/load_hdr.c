/* engine/load/load_hdr.c — a message step's headers: (names and, where
 * sipflow knows it, the shape of their values) and its expect: (what a
 * received message must carry: header, body, auth, sdp) */
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
		if (ld_placeholders(ld, v, h->value, st->id))
			check_header_value(ld, v, name, h->value, st->id);
	}
}


/* headers: {Name: value, …} */
void ld_headers_key(const struct ywalk *w, const struct ykey *row,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	load_headers(w->arg, w->obj, v);
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
	(void)row;
	(void)k;

	ld_crypto(w->yd, v, &st->expect_crypto, "step %s: expect: sdp: "
		  "crypto", st->id);
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


/* expect: {header, body, auth, sdp} */
void ld_expect_key(const struct ywalk *sw, const struct ykey *srow,
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
