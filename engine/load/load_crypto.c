/* engine/load/load_crypto.c — SRTP keys as a scenario writes them (RFC
 * 4568): a phone's srtp:, a step's sdp: crypto:, and the a=crypto lines
 * of a body a scripted role sends, each checked at lint */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "ynode.h"
#include "sdpcrypto.h"
#include "textline.h"
#include "load.h"


static void add_suite(struct ydoc *yd, const yaml_node_t *n,
		      struct crypto_spec *cs, const char *where)
{
	const char *s = yscalar(n);

	if (!sdpcrypto_suite_ok(s)) {
		yerr(yd, n, "%s: crypto-suite '%s' is not one sipflow keys "
		     "(%s)", where, s ? s : "", sdpcrypto_suites());
		return;
	}
	(void)ld_add_str(&cs->suites, s, ypos(n));
}


static void suites(struct ydoc *yd, const yaml_node_t *v,
		   struct crypto_spec *cs, const char *where)
{
	yaml_node_item_t *it;

	if (yscalar(v)) {
		add_suite(yd, v, cs, where);
		return;
	}
	if (ywant(yd, v, YAML_SEQUENCE_NODE, "suites"))
		return;
	YSEQ_FOREACH(it, v)
		add_suite(yd, ynode(yd, *it), cs, where);
	if (list_isempty(&cs->suites))
		yerr(yd, v, "%s: name at least one crypto-suite (%s)", where,
		     sdpcrypto_suites());
}


/* the ywalk's obj is the crypto_spec, arg the "where" text */
static void k_suites(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	(void)row;
	(void)k;
	suites(w->yd, v, w->obj, w->arg);
}


static void k_tag(const struct ywalk *w, const struct ykey *row,
		  const yaml_node_t *k, const yaml_node_t *v)
{
	struct crypto_spec *cs = w->obj;
	const char *s = yscalar(v);
	struct pl pl;
	(void)row;
	(void)k;

	pl_set_str(&pl, s ? s : "");
	if (!s || !*s || strlen(s) > 9 || strspn(s, "0123456789") !=
	    strlen(s)) {
		yerr(w->yd, v, "%s: tag: '%s' is not 1 to 9 digits (RFC 4568 "
		     "§9.1)", (const char *)w->arg, s ? s : "");
		return;
	}
	cs->tag = pl_u32(&pl);
}


static void k_key(const struct ywalk *w, const struct ykey *row,
		  const yaml_node_t *k, const yaml_node_t *v)
{
	struct crypto_spec *cs = w->obj;
	(void)row;
	(void)k;

	if (yscalar(v))
		(void)str_dup(&cs->key, yscalar(v));
	else
		ywant(w->yd, v, YAML_SCALAR_NODE, "key");
}


/* key: as a=crypto would carry it, for each suite the spec names */
static void check_key(struct ydoc *yd, const yaml_node_t *n,
		      const struct crypto_spec *cs, const char *where)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/=";
	struct le *le;

	if (cs->key && strspn(cs->key, b64) != strlen(cs->key)) {
		yerr(yd, n, "%s: key: is not base64, as inline: carries it "
		     "(RFC 4568 §6.1)", where);
		return;
	}

	for (le = cs->suites.head; cs->key && le; le = le->next) {
		const struct strle *s = le->data;
		struct sdpcrypto c;
		char *val = NULL, why[160];
		struct pl pl;

		if (re_sdprintf(&val, "1 %s inline:%s", s->str, cs->key))
			return;
		pl_set_str(&pl, val);
		if (sdpcrypto_decode(&c, &pl, why, sizeof(why)))
			yerr(yd, n, "%s: key: %s", where, why);
		mem_deref(val);
	}
}


static void crypto_spec(struct ydoc *yd, const yaml_node_t *v,
			struct crypto_spec *cs, const char *where)
{
	static const struct ykey rows[] = {
		{"suites",    k_suites, 0},
		{"tag",       k_tag,    0},
		{"key",       k_key,    0},
		{"wrong-key", ykey_bool, offsetof(struct crypto_spec,
						  wrong_key)},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = yd, .obj = cs, .arg = (void *)where,
			  .where = where};
	const char *s = yscalar(v);

	cs->set = true;
	cs->pos = ypos(v);

	if (s && (!strcmp(s, "none") || !strcmp(s, "off") ||
		  !strcmp(s, "false"))) {
		cs->off = true;
		return;
	}
	if (v->type != YAML_MAPPING_NODE) {
		suites(yd, v, cs, where);
		return;
	}

	(void)ymap_walk(&w, v, &keys);
	if (cs->key && list_isempty(&cs->suites))
		yerr(yd, v, "%s: key: goes with the suites: it is keyed for",
		     where);
	check_key(yd, v, cs, where);
}


/**
 * A crypto spec: a suite, a list of them, none (RTP, no a=crypto), or
 * {suites, tag, key, wrong-key}. The text of fmt prefixes every error
 * ("step %s: sdp: crypto"), as long as the names in it are.
 */
void ld_crypto(struct ydoc *yd, const yaml_node_t *v,
	       struct crypto_spec *cs, const char *fmt, ...)
{
	char *where = NULL;
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsdprintf(&where, fmt, ap);
	va_end(ap);

	crypto_spec(yd, v, cs, where ? where : "crypto");
	mem_deref(where);
}


/* more a=crypto lines in body (after its first m=) than the nm sections
 * of mv kept */
static bool more_crypto(const struct pl *body,
			const struct sdpcrypto_media *mv, unsigned nm)
{
	const char *p = body->p, *end = body->p + body->l;
	unsigned kept = 0, seen = 0, i;
	bool media = false;
	struct pl line;

	for (i = 0; i < nm; i++)
		kept += mv[i].n;

	while (text_line(&p, end, &line)) {
		media |= line.l >= 2 && !strncmp(line.p, "m=", 2);
		if (media && line.l > 9 && !strncmp(line.p, "a=crypto:", 9))
			++seen;
	}

	return seen > kept;
}


/**
 * The a=crypto lines of a body a scripted role sends: each must be what
 * RFC 4568 §9.1 and §6.1 write, else lint refuses it
 */
void ld_body_crypto(struct loader *ld, const struct step *st,
		    const yaml_node_t *at)
{
	struct sdpcrypto_media mv[SDPCRYPTO_M_MAX + 1];
	unsigned nm, i, j;
	struct pl body;

	if (!st->body)
		return;

	pl_set_str(&body, st->body);
	nm = sdpcrypto_scan(&body, mv, ARRAY_SIZE(mv));
	if (nm > SDPCRYPTO_M_MAX || more_crypto(&body, mv, nm)) {
		/* what sdpcrypto_scan does not keep is neither checked
		 * here nor keyed by the role that sends it */
		yerr(&ld->yd, at, "step %s: body: more than %u m= sections "
		     "or %u a=crypto lines in one (sipflow reads no more)",
		     st->id, (unsigned)SDPCRYPTO_M_MAX,
		     (unsigned)SDPCRYPTO_MAX);
		return;
	}
	for (i = 0; i < nm; i++) {
		for (j = 0; j < mv[i].n; j++) {
			struct sdpcrypto c;
			char why[160];

			if (!sdpcrypto_decode(&c, &mv[i].crypto[j], why,
					      sizeof(why)))
				continue;
			yerr(&ld->yd, at, "step %s: body: %H: %s", st->id,
			     sdpcrypto_print_masked, &mv[i].line[j], why);
		}
	}
}
