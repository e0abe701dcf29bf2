/* agents/ua_auth.c — the scripted user agent's digest authentication:
 * the challenges it sends (401/407) and the credentials its requests
 * carry — answering a challenge, the other realms its call was challenged
 * for, and credentials sent at once for a challenge it knows (RFC 3261
 * §22, RFC 8760). The arithmetic is engine/sip/digest.c. */
#include <re.h>
#include "scenario.h"
#include "msgb.h"
#include "msgrec.h"
#include "hdr.h"
#include "placeholder.h"
#include "build.h"
#include "track.h"
#include "digest.h"
#include "agent.h"
#include "ua_priv.h"


/*
 * WWW-Authenticate (401) or Proxy-Authenticate (407) with a fresh nonce
 * (RFC 3261 §22.1, §22.3): realm = challenge: {realm}, else the role's
 * domain, else its address; algorithm and qop from challenge:, MD5 and
 * qop="auth" by default. A headers: entry of the same name replaces it.
 */
int ua_add_challenge(struct msgb *b, const struct agent *ag,
		     const struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	const char *realm = st->auth.realm ? st->auth.realm
			  : role_domain(ctx->sc, ag->role);
	char *addr = NULL, *hval = NULL;
	int err = 0;

	if (!realm) {
		err = re_sdprintf(&addr, "%j", &ag->role->addr);
		realm = addr;
	}
	if (!err)
		err = digest_challenge(&hval, realm, st->auth.algo,
				       !st->auth.noqop);
	if (!err)
		err = msgb_add(b, st->scode == 407 ? "Proxy-Authenticate" :
			       "WWW-Authenticate", "%s", hval);
	mem_deref(addr);
	mem_deref(hval);

	return err;
}


/** The last request of this method to the step's receiver, when its
 *  final response was a challenge (401/407) still to be answered */
struct msgrec *ua_challenged(const struct agent *ag, const struct step *st)
{
	struct msgrec *r = track_last_sent(&ag->led, st->to, st->method);

	return r && r->final_rec && (r->final == 401 || r->final == 407)
		? r : NULL;
}


/* a 401 or 407 that reached us (not a retransmission) */
/* a 401/407 to a request ag sent: one that answers none of its own (a
 * stray: a device's answer to another run's request, which reached the
 * same address) challenges nothing of ag's */
static bool is_challenge(const struct agent *ag, const struct msgrec *r)
{
	return r->msg && !r->msg->req && !r->retrans &&
	       (r->msg->scode == 401 || r->msg->scode == 407) &&
	       track_client_txn(&ag->led, r) != NULL;
}


struct pick {
	struct digest_chal chal;
	char *why;             /* why the first one cannot be answered */
	bool found;
};


/* RFC 8760 §2.4: the topmost challenge we can answer */
static bool pick_h(const struct pl *val, void *arg)
{
	struct pick *pk = arg;
	char *why = NULL;

	pk->found = !digest_chal_decode(&pk->chal, val, &why);
	if (!pk->found && !pk->why)
		pk->why = why;
	else
		mem_deref(why);

	return pk->found;
}


/* the challenge in 401/407 ch we answer (pick_h); false when none can
 * be, pk->why saying why (the caller frees it) */
static bool pick(const struct msgrec *ch, struct pick *pk)
{
	*pk = (struct pick){.found = false};
	(void)hdr_apply(ch->msg, ch->msg->scode == 407 ? "Proxy-Authenticate"
			: "WWW-Authenticate", pick_h, pk);

	return pk->found;
}


/* the credentials header answering c (from a 407 if proxy), for the
 * nc-th use of its nonce; ENOTSUP when c offers only qop=auth-int */
static int answer(struct msgb *b, const struct digest_chal *c, bool proxy,
		  const struct step *st, const char *user, const char *pass,
		  const char *ruri, uint32_t nc)
{
	char *hval = NULL;
	int err;

	err = digest_answer_nc(&hval, c, user, pass, st->method, ruri, nc);
	if (!err)
		err = msgb_add(b, proxy ? "Proxy-Authorization"
			       : "Authorization", "%s", hval);
	mem_deref(hval);

	return err;
}


/*
 * RFC 3261 §22.3: the challenges of other realms ag got earlier in prev's
 * call (a proxy further on challenged after the first: two 407s, two
 * realms, RFC 3665 §3.3) are answered again, the newest per realm, so
 * that each proxy finds its own. Those it cannot answer are left out.
 */
static int add_older(struct msgb *b, const struct agent *ag,
		     const struct step *st, const struct msgrec *prev,
		     struct pl realm, const char *user, const char *pass,
		     const char *ruri)
{
	struct pl done[8];
	unsigned n = 0, i;
	struct le *le;
	bool found;
	int err;

	done[n++] = realm;
	for (le = ag->led.rx.tail; le && n < ARRAY_SIZE(done); le = le->prev) {
		const struct msgrec *r = le->data;
		struct pick pk;

		if (r == prev->final_rec || !is_challenge(ag, r) ||
		    pl_cmp(&r->msg->callid, &prev->msg->callid))
			continue;

		found = pick(r, &pk);
		mem_deref(pk.why);
		if (!found)
			continue;
		for (i = 0; i < n && pl_cmp(&done[i], &pk.chal.realm); i++)
			;
		if (i < n)
			continue;
		done[n++] = pk.chal.realm;

		err = answer(b, &pk.chal, r->msg->scode == 407, st, user, pass,
			     ruri, 1);
		if (err && err != ENOTSUP)
			return err;
	}

	return 0;
}


/* the newest 401/407 the step's receiver sent ag for a request of the
 * step's method, or NULL */
static const struct msgrec *known_challenge(const struct agent *ag,
					    const struct step *st)
{
	struct le *le;

	for (le = ag->led.rx.tail; le; le = le->prev) {
		const struct msgrec *r = le->data;

		if (is_challenge(ag, r) && r->from == st->to &&
		    !pl_strcmp(&r->msg->cseq.met, st->method))
			return r;
	}

	return NULL;
}


struct uses {
	const struct pl *nonce;
	bool hit;
};


static bool uses_h(const struct pl *val, void *arg)
{
	struct uses *u = arg;
	struct digest_cred cr;
	char *why = NULL;

	if (digest_cred_decode(&cr, val, &why))
		mem_deref(why);
	else
		u->hit = !pl_cmp(&cr.nonce, u->nonce);

	return u->hit;
}


/* how many requests ag sent with credentials for nonce */
static uint32_t nonce_uses(const struct agent *ag, const struct pl *nonce)
{
	uint32_t n = 0;
	struct le *le;

	for (le = ag->led.tx.head; le; le = le->next) {
		const struct msgrec *o = le->data;
		struct uses u = {nonce, false};

		if (!o->msg || !o->msg->req || o->copy_of)
			continue;
		(void)hdr_apply(o->msg, "Authorization", uses_h, &u);
		(void)hdr_apply(o->msg, "Proxy-Authorization", uses_h, &u);
		n += u.hit;
	}

	return n;
}


/*
 * RFC 3261 §22.1: once the receiver challenged a request of this method,
 * a later one carries credentials for that challenge at once, with the
 * nonce's next nc (what a phone does on a re-REGISTER; RFC 3665 §2.2,
 * §2.4). Nothing when there is no such challenge or none we can answer.
 */
static int add_preemptive(struct msgb *b, const struct agent *ag,
			  const struct step *st, const char *user,
			  const char *pass, const char *ruri)
{
	const struct msgrec *ch = known_challenge(ag, st);
	struct pick pk;
	bool found;
	int err;

	if (!ch)
		return 0;

	found = pick(ch, &pk);
	mem_deref(pk.why);
	if (!found)
		return 0;

	err = answer(b, &pk.chal, ch->msg->scode == 407, st, user, pass, ruri,
		     nonce_uses(ag, &pk.chal.nonce) + 1);

	return err == ENOTSUP ? 0 : err;
}


/*
 * The credentials a new request carries, computed with the step's auth:
 * or the role's credentials (auth: false: none). prev: the request it
 * resubmits after a 401/407 (ua_challenged): Authorization or
 * Proxy-Authorization answering that challenge (RFC 3261 §22.2, §22.3),
 * and the other realms of its call. Else the credentials of a challenge
 * the receiver made before, if any (add_preemptive).
 */
int ua_add_credentials(struct msgb *b, struct agent *ag, struct buildctx *ctx,
		       const struct msgrec *prev, const char *ruri)
{
	const struct step *st = ctx->st;
	const struct role *me = ag->role;
	const char *user = st->auth.user ? st->auth.user : me->auth_user;
	const char *pass = st->auth.pass ? st->auth.pass : me->auth_pass;
	struct pick pk;
	const struct step *cst;
	bool proxy;
	int err;

	if (st->auth.off)
		return 0;
	if (!prev)
		return user && pass ? add_preemptive(b, ag, st, user, pass,
						     ruri) : 0;

	cst = prev->final_rec->step;
	proxy = prev->final == 407;
	if (!user || !pass)
		return build_fail(ctx, EACCES, "%s has no credentials to "
				  "answer the %u from %s%s%s%s: give role %s "
				  "auth: in the testbed (or the step auth: "
				  "{user, password})", me->name, prev->final,
				  st->to->name, cst ? " (" : "",
				  cst ? cst->id : "", cst ? ")" : "",
				  me->name);

	if (!pick(prev->final_rec, &pk)) {
		err = build_fail(ctx, EPROTO, "the %u from %s has no %s "
				 "%s can answer%s%s", prev->final,
				 st->to->name, proxy ? "Proxy-Authenticate"
				 : "WWW-Authenticate", me->name,
				 pk.why ? ": " : "", pk.why ? pk.why : "");
		mem_deref(pk.why);
		return err;
	}
	mem_deref(pk.why);

	err = answer(b, &pk.chal, proxy, st, user, pass, ruri, 1);
	if (err == ENOTSUP)
		return build_fail(ctx, err, "the %u from %s offers only "
				  "qop=%r", prev->final, st->to->name,
				  &pk.chal.qop);

	if (!err)
		err = add_older(b, ag, st, prev, pk.chal.realm, user, pass,
				ruri);

	return err;
}
