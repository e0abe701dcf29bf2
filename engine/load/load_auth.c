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


/** auth: false, or auth: {user, password | password-env}, on a message
 *  step */
void ld_auth(struct loader *ld, struct step *st,
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


/* challenge: algorithm: SHA-256 */
static void chal_algorithm(const struct ywalk *w, const struct ykey *row,
			   const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	enum digest_algo a;
	struct pl pl;
	(void)row;
	(void)k;

	pl_set_str(&pl, vs ? vs : "?");
	if (!vs || !*vs || digest_algo_parse(&a, &pl))
		yerr(w->yd, v, "step %s: challenge: algorithm '%s' is not one "
		     "of MD5, MD5-sess, SHA-256, SHA-256-sess", st->id,
		     vs ? vs : "");
	else
		st->auth.algo = a;
}


/* challenge: qop: auth | none */
static void chal_qop(const struct ywalk *w, const struct ykey *row,
		     const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	const char *vs = yscalar(v);
	(void)row;
	(void)k;

	if (vs && !strcmp(vs, "none"))
		st->auth.noqop = true;
	else if (!vs || strcmp(vs, "auth"))
		yerr(w->yd, v, "step %s: challenge: qop is auth or none, not "
		     "'%s'", st->id, vs ? vs : "");
}


/* challenge: realm: example.test */
static void chal_realm(const struct ywalk *w, const struct ykey *row,
		       const yaml_node_t *k, const yaml_node_t *v)
{
	struct step *st = w->obj;
	(void)row;
	(void)k;

	ld_dup_scalar(w->arg, v, &st->auth.realm, "challenge: realm");
}


/** challenge: {algorithm: SHA-256, qop: auth|none, realm: …} on a 401 or
 *  407 a scripted role sends */
void ld_challenge(struct loader *ld, struct step *st, const yaml_node_t *k,
		  const yaml_node_t *v)
{
	static const struct ykey rows[] = {
		{"algorithm", chal_algorithm, 0},
		{"qop",       chal_qop,       0},
		{"realm",     chal_realm,     0},
	};
	static const struct ykeys keys = YKEYS(rows);
	struct ywalk w = {.yd = &ld->yd, .obj = st, .arg = ld,
			  .where = "challenge"};

	if (st->req || (st->scode != 401 && st->scode != 407)) {
		yerr(&ld->yd, k, "step %s: challenge: is for a 401 or 407 "
		     "response", st->id);
		return;
	}
	if (!ywant(&ld->yd, v, YAML_MAPPING_NODE, "challenge"))
		(void)ymap_walk(&w, v, &keys);
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
