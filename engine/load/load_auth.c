/* engine/load/load_auth.c — a step's digest keys: auth: on a request a ua
 * sends, challenge: on a 401/407 a scripted role sends, expect: {auth:}
 * on a request a role receives (docs/scenario-format.md) */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "testbed.h"
#include "ynode.h"
#include "digest.h"
#include "load.h"


static const char *const expect_vals[] = {
	"auto", "valid", "invalid", "absent", "any",
};


/* auth: false, or auth: {user, password | password-env} */
static void load_cred(struct loader *ld, struct step *st,
		      const yaml_node_t *k, const yaml_node_t *v)
{
	bool b;

	if (!st->req || !st->from || st->from->kind != ROLE_UA) {
		yerr(&ld->yd, k, "step %s: auth: is for a request a ua "
		     "role sends (its answer to a 401/407)", st->id);
		return;
	}

	if (v->type != YAML_MAPPING_NODE) {
		if (ybool(&ld->yd, v, &b))
			return;
		if (b)
			yerr(&ld->yd, v, "step %s: auth: true is what a ua "
			     "does anyway; give false or {user, password}",
			     st->id);
		st->auth.off = !b;
		return;
	}

	testbed_parse_auth(&ld->yd, v, &st->auth.user, &st->auth.pass,
			   st->from->name);
}


/* challenge: {algorithm: SHA-256, qop: auth|none, realm: …} */
static void load_challenge(struct loader *ld, struct step *st,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	static const char *const keys[] = {"algorithm", "qop", "realm"};
	struct ydoc *yd = &ld->yd;
	yaml_node_pair_t *p;

	if (st->req || (st->scode != 401 && st->scode != 407)) {
		yerr(yd, k, "step %s: challenge: is for a 401 or 407 "
		     "response", st->id);
		return;
	}
	if (ywant(yd, v, YAML_MAPPING_NODE, "challenge"))
		return;

	YMAP_FOREACH(p, v) {
		yaml_node_t *pk = ynode(yd, p->key);
		yaml_node_t *pv = ynode(yd, p->value);
		const char *ks = yscalar(pk), *vs = yscalar(pv);
		enum digest_algo a;
		struct pl pl;

		if (ykey_check(yd, pk, keys, ARRAY_SIZE(keys), "challenge"))
			continue;

		if (!strcmp(ks, "algorithm")) {
			pl_set_str(&pl, vs ? vs : "?");
			if (!vs || !*vs || digest_algo_parse(&a, &pl))
				yerr(yd, pv, "step %s: challenge: algorithm "
				     "'%s' is not one of MD5, MD5-sess, "
				     "SHA-256, SHA-256-sess", st->id,
				     vs ? vs : "");
			else
				st->auth.algo = a;
		}
		else if (!strcmp(ks, "qop")) {
			if (vs && !strcmp(vs, "none"))
				st->auth.noqop = true;
			else if (!vs || strcmp(vs, "auth"))
				yerr(yd, pv, "step %s: challenge: qop is auth "
				     "or none, not '%s'", st->id,
				     vs ? vs : "");
		}
		else {
			ld_dup_scalar(ld, pv, &st->auth.realm,
				      "challenge: realm");
		}
	}
}


/** auth: or challenge: on a message step */
void ld_auth(struct loader *ld, struct step *st, const yaml_node_t *k,
	     const yaml_node_t *v)
{
	if (!strcmp(yscalar(k), "auth"))
		load_cred(ld, st, k, v);
	else
		load_challenge(ld, st, k, v);
}


/** expect: {auth: valid|invalid|absent|any|auto} on a request step */
void ld_expect_auth(struct loader *ld, struct step *st,
		    const yaml_node_t *v)
{
	const char *vs = yscalar(v);
	size_t i;

	if (!st->req) {
		yerr(&ld->yd, v, "step %s: expect: auth: is for requests",
		     st->id);
		return;
	}

	for (i = 0; vs && i < ARRAY_SIZE(expect_vals); i++) {
		if (!strcmp(vs, expect_vals[i])) {
			st->auth.expect = (enum auth_expect)i;
			return;
		}
	}

	yerr(&ld->yd, v, "step %s: expect: auth: '%s' is not one of auto, "
	     "valid, invalid, absent, any", st->id, vs ? vs : "");
}
