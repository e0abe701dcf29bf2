/* engine/check/authcheck.c — check the credentials a request carries against
 * the challenge its receiver sent and the sender's password
 *
 * A scripted role that answered a request 401 or 407 is a registrar or
 * proxy that knows its users' passwords (the testbed's auth: for each
 * role): the next request of that method from the same sender must
 * answer the challenge (RFC 3261 §22.2, §22.3) — realm, nonce, opaque,
 * algorithm and uri as challenged, and the response computed from the
 * password. A step's expect: {auth: …} asks for this explicitly (also
 * where a device or Kamailio challenged), or for credentials that do not
 * check, or for none. The password itself is never part of a reason.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "hdr.h"
#include "digest.h"
#include "ledger.h"
#include "track.h"
#include "authcheck.h"


static const char *cred_hdr(uint16_t code)
{
	return code == 407 ? "Proxy-Authorization" : "Authorization";
}


static const char *chal_hdr(uint16_t code)
{
	return code == 407 ? "Proxy-Authenticate" : "WWW-Authenticate";
}


/* a final response rcv sent to peer itself (not one it relayed) */
static bool own_final(const struct msgrec *o, const struct role *peer)
{
	return o->msg && !o->msg->req && o->to == peer && !o->fwd_of &&
	       o->msg->scode >= 200;
}


/* rcv's newest own final response to peer for a request of method met:
 * its 401/407 is a challenge still to be answered */
static const struct msgrec *last_final(const struct ledger *rcv,
				       const struct role *peer,
				       const struct pl *met)
{
	struct le *le;

	for (le = rcv->tx.tail; le; le = le->prev) {
		const struct msgrec *o = le->data;

		if (own_final(o, peer) && !pl_cmp(&o->msg->cseq.met, met))
			return o;
	}

	return NULL;
}


/* rcv's newest own challenge (code) to peer, or NULL */
static const struct msgrec *last_challenge(const struct ledger *rcv,
					   const struct role *peer,
					   uint16_t code)
{
	struct le *le;

	for (le = rcv->tx.tail; le; le = le->prev) {
		const struct msgrec *o = le->data;

		if (own_final(o, peer) && o->msg->scode == code)
			return o;
	}

	return NULL;
}


static int step_of(struct re_printf *pf, const struct msgrec *r)
{
	if (r && r->step)
		return re_hprintf(pf, " (%s)", r->step->id);
	return re_hprintf(pf, " (frame %u)", r ? r->frame : 0);
}


struct find {
	const struct digest_cred *cr;
	struct digest_chal chal;
	bool found;
	bool any;              /* some challenge decoded */
};


/* the challenge in a 401/407 the credentials answer: same algorithm
 * (RFC 8760: a server may offer several), else the first */
static bool find_h(const struct pl *val, void *arg)
{
	struct find *f = arg;
	struct digest_chal c;
	char *why = NULL;

	if (digest_chal_decode(&c, val, &why)) {
		mem_deref(why);
		return false;
	}
	if (!f->any || c.algo == f->cr->algo)
		f->chal = c;
	f->any = true;
	f->found = c.algo == f->cr->algo;

	return f->found;
}


/* does nonce appear in an older challenge rcv sent peer? */
static const struct msgrec *issued(const struct ledger *rcv,
				   const struct role *peer, uint16_t code,
				   const struct pl *nonce)
{
	struct le *le;

	for (le = rcv->tx.tail; le; le = le->prev) {
		const struct msgrec *o = le->data;
		const struct pl *v;
		struct digest_chal c;
		char *why = NULL;

		if (!own_final(o, peer) || o->msg->scode != code)
			continue;
		v = hdr_first(o->msg, chal_hdr(code));
		if (v && !digest_chal_decode(&c, v, &why) &&
		    !pl_cmp(&c.nonce, nonce))
			return o;
		mem_deref(why);
	}

	return NULL;
}


/* the credentials against what rcv challenged with (ch, its response) */
static int against_challenge(const struct digest_cred *cr,
			     const struct msgrec *ch,
			     const struct ledger *rcv, const struct role *peer,
			     char **why)
{
	const char *who = rcv->role->name;
	uint16_t code = ch->msg->scode;
	struct find f = {.cr = cr};
	const struct msgrec *old;

	(void)hdr_apply(ch->msg, chal_hdr(code), find_h, &f);
	if (!f.any)
		return 0;   /* nothing we can read: the hash decides */

	if (pl_cmp(&cr->realm, &f.chal.realm)) {
		(void)re_sdprintf(why, "realm \"%r\" is not %s's realm "
				  "\"%r\" (its %u%H)", &cr->realm, who,
				  &f.chal.realm, code, step_of, ch);
		return EACCES;
	}
	if (pl_cmp(&cr->nonce, &f.chal.nonce)) {
		old = issued(rcv, peer, code, &cr->nonce);
		if (old)
			(void)re_sdprintf(why, "stale nonce: it is from %s's "
					  "%u%H, but %s challenged again"
					  "%H", who, code, step_of, old,
					  who, step_of, ch);
		else
			(void)re_sdprintf(why, "unknown nonce \"%r\": %s "
					  "never issued it (its %u%H has "
					  "\"%r\")", &cr->nonce, who, code,
					  step_of, ch, &f.chal.nonce);
		return EACCES;
	}
	if (!f.found) {
		(void)re_sdprintf(why, "algorithm %s does not answer %s's "
				  "challenge for %s (RFC 8760)",
				  digest_algo_name(cr->algo), who,
				  digest_algo_name(f.chal.algo));
		return EACCES;
	}
	if (pl_isset(&f.chal.opaque) && pl_cmp(&cr->opaque,
					      &f.chal.opaque)) {
		(void)re_sdprintf(why, "opaque is not returned as %s sent "
				  "it (RFC 2617 §3.2.2)", who);
		return EACCES;
	}
	if (f.chal.qop_auth && !pl_isset(&cr->qop)) {
		(void)re_sdprintf(why, "no qop although %s's challenge "
				  "offers qop=auth (RFC 3261 §22.4 item 8: a "
				  "client that receives qop in a challenge "
				  "MUST send it)", who);
		return EACCES;
	}

	return 0;
}


/* the password of the role whose credentials name this user: the
 * sender's first (a proxy may forward someone else's request) */
static const struct role *user_role(const struct list *ledgers,
				    const struct role *from,
				    const struct pl *user)
{
	struct le *le;

	if (from && from->auth_user && from->auth_pass &&
	    !pl_strcmp(user, from->auth_user))
		return from;

	for (le = ledgers->head; le; le = le->next) {
		const struct ledger *led = le->data;
		const struct role *r = led->role;

		if (r->auth_user && r->auth_pass &&
		    !pl_strcmp(user, r->auth_user))
			return r;
	}

	return NULL;
}


/* the credentials value for a realm (RFC 3261 §22.3: a proxy finds its
 * own among those for proxies further on) */
struct own_realm {
	struct pl realm;
	const struct pl *v;
};


static bool own_realm_h(const struct pl *val, void *arg)
{
	struct own_realm *o = arg;
	struct digest_cred cr;
	char *why = NULL;

	if (digest_cred_decode(&cr, val, &why)) {
		mem_deref(why);
		return false;
	}
	if (pl_cmp(&cr.realm, &o->realm))
		return false;

	o->v = val;
	return true;
}


/* of the values of header hn in m, the one for the realm of rcv's
 * challenge ch; else the first */
static const struct pl *creds_for(const struct sip_msg *m, const char *hn,
				  const struct msgrec *ch, uint16_t code)
{
	struct own_realm o = {.v = NULL};
	const struct pl *cv;
	struct digest_chal c;
	char *why = NULL;

	cv = ch ? hdr_first(ch->msg, chal_hdr(code)) : NULL;
	if (cv && !digest_chal_decode(&c, cv, &why)) {
		o.realm = c.realm;
		(void)hdr_apply(m, hn, own_realm_h, &o);
	}
	mem_deref(why);

	return o.v ? o.v : hdr_first(m, hn);
}


/*
 * The credentials of kind code (401: Authorization, 407:
 * Proxy-Authorization) in r: ENOENT when there are none, EACCES and a
 * reason when they do not check, 0 when they do.
 */
static int check_creds(const struct msgrec *r, uint16_t code,
		       const struct ledger *rcv, const struct list *ledgers,
		       char **why)
{
	const char *hn = cred_hdr(code);
	const struct pl *v;
	const struct msgrec *ch;
	const struct role *u;
	struct digest_cred cr;
	char *pwhy = NULL, *met = NULL;
	int err;

	ch = last_challenge(rcv, r->from, code);
	v = creds_for(r->msg, hn, ch, code);
	if (!v) {
		(void)re_sdprintf(why, "no %s%s%s%s%H", hn,
				  ch ? " answers " : "",
				  ch ? rcv->role->name : "",
				  ch ? "'s challenge" : "",
				  step_of, ch);
		return ENOENT;
	}

	if (digest_cred_decode(&cr, v, &pwhy)) {
		(void)re_sdprintf(why, "%s does not parse: %s", hn, pwhy);
		mem_deref(pwhy);
		return EACCES;
	}

	if (ch) {
		err = against_challenge(&cr, ch, rcv, r->from, why);
		if (err)
			return err;
	}

	if (pl_cmp(&cr.uri, &r->msg->ruri)) {
		(void)re_sdprintf(why, "uri \"%r\" is not the Request-URI "
				  "\"%r\" (RFC 3261 §22.4)", &cr.uri,
				  &r->msg->ruri);
		return EACCES;
	}

	u = user_role(ledgers, r->from, &cr.username);
	if (!u) {
		if (r->from && !r->from->auth_user)
			(void)re_sdprintf(why, "cannot check user %r: the "
					  "testbed gives role %s no auth:",
					  &cr.username, r->from->name);
		else
			(void)re_sdprintf(why, "user %r is not a user %s "
					  "knows (%s's user is %s)",
					  &cr.username,
					  rcv->role->name,
					  r->from ? r->from->name : "?",
					  r->from ? r->from->auth_user : "");
		return EACCES;
	}

	err = pl_strdup(&met, &r->msg->met);
	if (!err)
		err = digest_verify(&cr, met, u->auth_pass, why);
	mem_deref(met);

	return err;
}


static bool has_creds(const struct msgrec *r)
{
	return hdr_first(r->msg, "Authorization") ||
	       hdr_first(r->msg, "Proxy-Authorization");
}


/* which kind to check: the one present, else the one challenged */
static uint16_t kind_of(const struct msgrec *r, const struct ledger *rcv)
{
	if (hdr_first(r->msg, "Proxy-Authorization"))
		return 407;
	if (hdr_first(r->msg, "Authorization"))
		return 401;

	return last_challenge(rcv, r->from, 407) &&
	       !last_challenge(rcv, r->from, 401) ? 407 : 401;
}


/**
 * Check the request r a step took, as the step's expect: {auth: …} says
 * (auto: when its receiver is a scripted role whose last final response
 * to the sender for this method was a 401/407). 0, or EACCES with why.
 */
int auth_check(const struct step *st, const struct msgrec *r,
	       const struct list *ledgers, char **why)
{
	const struct ledger *rcv;
	const struct msgrec *last;
	enum auth_expect want;
	char *reason = NULL;
	uint16_t code;
	int err;

	if (!st || !r || !r->msg || !r->msg->req || !ledgers)
		return 0;

	want = st->auth.expect;
	rcv = ledger_find(ledgers, r->to);
	if (!rcv || want == AUTH_ANY)
		return 0;

	if (want == AUTH_ABSENT) {
		if (!has_creds(r))
			return 0;
		(void)re_sdprintf(why, "carries %s; the step expects none",
				  kind_of(r, rcv) == 407 ?
				  "Proxy-Authorization" : "Authorization");
		return EACCES;
	}

	code = kind_of(r, rcv);
	if (want == AUTH_AUTO) {
		/* ACK and CANCEL are never challenged (§22.1) */
		if (role_acts(rcv->role) || !pl_strcmp(&r->msg->met, "ACK") ||
		    !pl_strcmp(&r->msg->met, "CANCEL"))
			return 0;
		last = last_final(rcv, r->from, &r->msg->met);
		if (last && (last->msg->scode == 401 ||
			     last->msg->scode == 407))
			code = last->msg->scode;
		else if (!has_creds(r) ||
			 !last_challenge(rcv, r->from, code))
			return 0;
	}

	err = check_creds(r, code, rcv, ledgers, &reason);
	if (want == AUTH_INVALID) {
		/* present, and wrong in any way: what the step wants */
		if (err && err != ENOENT) {
			mem_deref(reason);
			return 0;
		}
		if (!err)
			(void)re_sdprintf(why, "%s checks for user %s; the "
					  "step expects credentials that do "
					  "not",
					  cred_hdr(code),
					  r->from && r->from->auth_user ?
					  r->from->auth_user : "?");
		else
			*why = reason;
		return EACCES;
	}

	if (err) {
		*why = reason;
		return EACCES;
	}

	mem_deref(reason);
	return 0;
}


/**
 * Print ": P rejected the credentials for user alice (wrong password?)"
 * when rj->resp is a 401/407 to a request that carried credentials of
 * that kind (a registrar or proxy under test refusing them); else
 * nothing.
 */
int auth_rejected_print(struct re_printf *pf, const struct auth_reject *rj)
{
	const struct msgrec *resp = rj->resp, *req;
	const struct ledger *uac;
	struct digest_cred cr;
	const struct pl *v;
	char *why = NULL;
	uint16_t code;

	if (!resp || !resp->msg || resp->msg->req || !rj->ledgers)
		return 0;
	code = resp->msg->scode;
	uac = ledger_find(rj->ledgers, resp->to);
	req = (code == 401 || code == 407) && uac ?
		track_client_txn(uac, resp) : NULL;
	v = req ? hdr_first(req->msg, cred_hdr(code)) : NULL;
	if (!v)
		return 0;

	if (digest_cred_decode(&cr, v, &why)) {
		mem_deref(why);
		return re_hprintf(pf, ": %s rejected the credentials",
				  resp->from ? resp->from->name : "it");
	}

	return re_hprintf(pf, ": %s rejected the credentials for user %r "
			  "(wrong password?)", resp->from ? resp->from->name
			  : "it", &cr.username);
}
