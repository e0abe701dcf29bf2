/* capture/scengen_auth.c — what a step written from a capture says of
 * digest authentication (RFC 3261 §22): the challenge a 401/407 offered
 * (challenge:, or the header whole where the scripted role would write
 * it otherwise), and auth: false on a request sent without credentials
 * where a scripted ua would send them at once. A capture holds no
 * password: the roles' come from vars: (scengen_out.c). */
#include <string.h>
#include <re.h>
#include "scengen.h"
#include "scengen_priv.h"


/* challenge: the realm, algorithm and qop a 401/407 offered */
static int print_challenge(struct out *o, const char *ind,
			   const struct sgm *m)
{
	const struct sip_msg *q = m->msg;
	const struct sip_hdr *h;
	struct pl realm, alg, qop;
	int err;

	h = sip_msg_hdr(q, q->scode == 401 ? SIP_HDR_WWW_AUTHENTICATE
			: SIP_HDR_PROXY_AUTHENTICATE);
	if (!h || re_regex(h->val.p, h->val.l, "realm=\"[^\"]*\"", &realm))
		return 0;
	/* the defaults (MD5, qop auth, the role's domain) said by none */
	if (!pl_strcmp(&realm, o->riv[m->g.src].domain) &&
	    (re_regex(h->val.p, h->val.l, "algorithm=[\"]*[^,\" \t\r\n]+",
		      NULL, &alg) || !pl_strcasecmp(&alg, "MD5")) &&
	    !re_regex(h->val.p, h->val.l, "qop=\"[^\"]*\"", &qop) &&
	    !pl_strcmp(&qop, "auth"))
		return 0;
	err = re_hprintf(o->pf, "%schallenge: {realm: ", ind);
	err |= scengen_yq(o->pf, realm.p, realm.l);
	if (!re_regex(h->val.p, h->val.l, "algorithm=[\"]*[^,\" \t\r\n]+",
		      NULL, &alg))
		err |= re_hprintf(o->pf, ", algorithm: %r", &alg);
	if (!re_regex(h->val.p, h->val.l, "qop=\"[^\"]*\"", &qop))
		err |= re_hprintf(o->pf, ", qop: %s",
				  scengen_pfind(&qop, "auth") ? "auth"
				  : "none");
	else
		err |= re_hprintf(o->pf, ", qop: none");

	return err | re_hprintf(o->pf, "}\n");
}


/** Was request r answered with a 401 or 407? */
bool scengen_challenged(const struct sgen *sg, const struct sgm *r)
{
	size_t j;

	for (j = 0; j < sg->n; j++) {
		const struct sgm *a = &sg->mv[j];

		if (!a->g.req && a->g.src == r->g.dst &&
		    a->g.dst == r->g.src && a->g.call == r->g.call &&
		    a->g.cseq == r->g.cseq && !strcmp(a->g.met, r->g.met) &&
		    (a->g.scode == 401 || a->g.scode == 407))
			return true;
	}

	return false;
}


/** Is this challenge what a scripted role writes (engine/sip/digest.c:
 *  it always has an opaque)? Else the step sends it as captured. */
bool scengen_chal_default(const struct sip_hdr *h)
{
	return scengen_pfind(&h->val, "opaque=") != NULL;
}


/* a request of a role that has credentials, sent without them, to a
 * receiver that challenged one of its requests of this method before:
 * a scripted ua would answer that challenge again at once */
static bool no_preemptive(const struct out *o, const struct sgm *const *sv,
			  size_t i)
{
	const struct sgm *m = sv[i];
	const struct sip_msg *q = m->msg;
	size_t j;

	if (!q->req || m->relay || o->sg->rv[m->g.src].proxy ||
	    !o->riv[m->g.src].auth[0] || !scengen_ood(q) ||
	    sip_msg_hdr(q, SIP_HDR_AUTHORIZATION) ||
	    sip_msg_hdr(q, SIP_HDR_PROXY_AUTHORIZATION))
		return false;
	for (j = 0; j < i; j++) {
		const struct sgm *a = sv[j];

		if (!a->g.req && a->g.src == m->g.dst &&
		    a->g.dst == m->g.src && !strcmp(a->g.met, m->g.met) &&
		    (a->g.scode == 401 || a->g.scode == 407))
			return true;
	}

	return false;
}


/** challenge: on a 401/407 a role sends of itself; auth: false on a
 *  request that went without the credentials a scripted ua would add */
int scengen_print_auth(struct out *o, const char *ind,
		       const struct sgm *const *sv, size_t i)
{
	const struct sgm *m = sv[i];
	const struct sip_msg *q = m->msg;

	if (!q->req && (q->scode == 401 || q->scode == 407))
		return print_challenge(o, ind, m);
	if (no_preemptive(o, sv, i))
		return re_hprintf(o->pf, "%sauth: false\n", ind);

	return 0;
}
