/* agents/ua.c — the scripted user agent: builds what its steps send
 *
 * Every message is derived from the agent's state: a response answers the
 * newest open request from the step's receiver, an in-dialog request uses
 * the dialog's target, route set, tags and next CSeq (RFC 3261 §12.2.1),
 * ACK follows §17.1.1.3 (non-2xx) or §13.2.2.4 (2xx), SDP follows the
 * offer/answer model (RFC 3264) through libre's sdp module.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgb.h"
#include "msgrec.h"
#include "hdr.h"
#include "dialog.h"
#include "placeholder.h"
#include "sdporigin.h"
#include "build.h"
#include "track.h"
#include "digest.h"
#include "agent.h"


static const char allow[] =
	"INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS, INFO, UPDATE";


static const struct {
	const char *name;
	const char *pt;
	uint32_t srate;
	const char *params;
} codecs[] = {
	{"PCMU", "0", 8000, NULL},
	{"PCMA", "8", 8000, NULL},
	{"G722", "9", 8000, NULL},
	{"telephone-event", "101", 8000, "0-15"},
};


static enum sdp_dir dir_parse(const char *s)
{
	if (!s)
		return SDP_SENDRECV;
	if (!strcmp(s, "sendonly"))
		return SDP_SENDONLY;
	if (!strcmp(s, "recvonly"))
		return SDP_RECVONLY;
	if (!strcmp(s, "inactive"))
		return SDP_INACTIVE;

	return SDP_SENDRECV;
}


/* what a role offers unless a step names its codecs (agent.c's own) */
static const char *const default_codecs[] = {"PCMU", "PCMA",
					     "telephone-event"};


static int add_codec(struct sdp_media *m, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(codecs); i++) {
		if (!str_casecmp(name, codecs[i].name))
			return sdp_format_add(NULL, m, false, codecs[i].pt,
					      codecs[i].name, codecs[i].srate,
					      1, NULL, NULL, NULL, false,
					      codecs[i].params);
	}

	return ENOTSUP;
}


/* a session of the step's own: the codecs it names (else the role's),
 * the media at the address it names (else the role's) */
static int session_for(struct sdp_session **sessp, struct sdp_media **mp,
		       struct agent *ag, const struct sdp_spec *spec)
{
	struct sdp_session *sess;
	struct sdp_media *m;
	struct le *le;
	size_t i;
	int err;

	err = sdp_session_alloc(&sess, &ag->role->addr);
	if (err)
		return err;

	err = sdp_media_add(&m, sess, "audio", agent_media_port(ag),
			    "RTP/AVP");
	for (le = spec->codecs.head; le && !err; le = le->next) {
		const struct strle *c = le->data;

		err = add_codec(m, c->str);
	}
	for (i = 0; list_isempty(&spec->codecs) && !err &&
		    i < ARRAY_SIZE(default_codecs); i++)
		err = add_codec(m, default_codecs[i]);

	if (!err && sa_isset(&spec->addr, SA_ADDR)) {
		struct sa a = spec->addr;

		sa_set_port(&a, agent_media_port(ag));
		sdp_media_set_laddr(m, &a);
	}

	if (err) {
		mem_deref(sess);
		return err;
	}

	*sessp = sess;
	*mp = m;
	return 0;
}


/**
 * The SDP a step sends: an offer (offer == NULL) or the answer to offer.
 * sdp: false in the step means none (*mbp stays NULL).
 */
static int sdp_body(struct mbuf **mbp, struct agent *ag,
		    struct buildctx *ctx, const struct msgrec *offer)
{
	const struct sdp_spec *spec = &ctx->st->sdp;
	struct sdp_session *sess = ag->sdp;
	struct sdp_media *m = ag->sdpm;
	struct sdp_session *own = NULL;
	int err;

	*mbp = NULL;
	if (spec->off)
		return 0;

	if (!list_isempty(&spec->codecs) || sa_isset(&spec->addr, SA_ADDR)) {
		err = session_for(&own, &m, ag, spec);
		if (err)
			return build_fail(ctx, err, "sdp: a codec is not "
					  "one of PCMU, PCMA, G722, "
					  "telephone-event");
		sess = own;
	}

	sdp_media_set_ldir(m, dir_parse(spec->direction));

	if (offer) {
		struct mbuf *omb;
		struct pl body = msgrec_body(offer);

		omb = mbuf_alloc(body.l);
		if (!omb) {
			err = ENOMEM;
			goto out;
		}
		(void)mbuf_write_pl(omb, &body);
		omb->pos = 0;
		err = sdp_decode(sess, omb, true);
		mem_deref(omb);
		if (err) {
			build_fail(ctx, err, "the SDP offer in %r does not "
				   "decode (%m)", &offer->msg->cseq.met, err);
			goto out;
		}
	}

	err = sdp_encode(mbp, sess, offer == NULL);

 out:
	mem_deref(own);
	return err;
}


/* the SDP of b, an offer or the answer to offer, numbered as the next of
 * b's call (its Call-ID is in b already) */
static int add_sdp(struct msgb *b, struct agent *ag, struct buildctx *ctx,
		   const struct msgrec *offer)
{
	const struct msgb_hdr *cid = msgb_find(b, "Call-ID");
	struct mbuf *mb = NULL;
	int err;

	err = sdp_body(&mb, ag, ctx, offer);
	if (err || !mb)
		return err;

	if (cid)
		err = sdporigin_apply(&ag->sdpcalls, cid->value, &mb);
	if (!err)
		err = msgb_body(b, "application/sdp", mb->buf, mb->end);
	mem_deref(mb);

	return err;
}


static int add_contact(struct msgb *b, const struct agent *ag)
{
	char *uri = NULL;
	int err;

	err = role_contact(&uri, ag->role);
	if (!err)
		err = msgb_add(b, "Contact", "<%s>", uri);
	mem_deref(uri);

	return err;
}


/**
 * The request a response step answers: the one answers: names, else the
 * newest request from peer that has no final response yet (not ACK).
 */
struct msgrec *ua_open_request(const struct agent *ag,
			       const struct role *peer,
			       struct buildctx *ctx)
{
	struct le *le;

	if (ctx->answers)
		return ctx->answers->to == ag->role ? ctx->answers : NULL;

	for (le = ag->rx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		if (!r->msg || !r->msg->req || r->retrans)
			continue;
		if (r->from != peer || r->answered >= 200)
			continue;
		if (!pl_strcmp(&r->msg->met, "ACK"))
			continue;

		return r;
	}

	return NULL;
}


/*
 * WWW-Authenticate (401) or Proxy-Authenticate (407) with a fresh nonce
 * (RFC 3261 §22.1, §22.3): realm = challenge: {realm}, else the role's
 * domain, else its address; algorithm and qop from challenge:, MD5 and
 * qop="auth" by default. A headers: entry of the same name replaces it.
 */
static int add_challenge(struct msgb *b, const struct agent *ag,
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


/** A response to req; contact: add our Contact where a dialog forms */
int ua_respond(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx,
	       struct msgrec *req, bool contact)
{
	const struct step *st = ctx->st;
	const struct sip_msg *m = req->msg;
	struct msgb *b = NULL;
	struct phctx ph;
	int err;

	/* the 200 to a CANCEL carries the To tag of the responses to the
	 * INVITE it cancels (RFC 3261 §9.2) */
	if (!req->ltag && !pl_strcmp(&m->met, "CANCEL")) {
		struct msgrec *inv = track_cancelled(ag, req);

		if (inv && !inv->ltag && build_token(&inv->ltag))
			return ENOMEM;
		if (inv && str_dup(&req->ltag, inv->ltag))
			return ENOMEM;
	}

	if (!req->ltag && st->scode > 100) {
		err = build_token(&req->ltag);
		if (err)
			return err;
	}

	err = build_response(&b, m, st->scode, st->reason, req->ltag);
	if (err)
		return err;
	ctx->reply_to = req;

	if (contact && st->scode > 100 && st->scode < 300 &&
	    build_is_dialog_creating(&m->met))
		err = add_contact(b, ag);
	if (!err && (st->scode == 401 || st->scode == 407))
		err = add_challenge(b, ag, ctx);

	/* RFC 3264: answer an offer in the INVITE; offer in a 2xx if the
	 * INVITE had none (the ACK then answers) */
	if (!err && !pl_strcmp(&m->met, "INVITE") &&
	    (st->scode == 183 || (st->scode >= 200 && st->scode < 300))) {
		if (msgrec_has_sdp(req))
			err = add_sdp(b, ag, ctx, req);
		else if (st->scode >= 200)
			err = add_sdp(b, ag, ctx, NULL);
	}

	if (!err) {
		char cid[128];

		pl_strcpy(&m->callid, cid, sizeof(cid));
		ph = (struct phctx){ctx->sc, cid, NULL, req->ltag,
				    m->cseq.num};
		err = build_finish(mbp, b, ctx, &ph);
	}

	mem_deref(b);
	return err;
}


/* the newest INVITE we sent to peer, if it got a final response */
static struct msgrec *answered_invite(const struct agent *ag,
				      const struct role *peer)
{
	struct msgrec *r = track_last_sent(ag, peer, "INVITE");

	return r && r->final ? r : NULL;
}


/* the newest INVITE we sent to peer, if it still waits for a final */
static struct msgrec *pending_invite(const struct agent *ag,
				     const struct role *peer)
{
	struct msgrec *r = track_last_sent(ag, peer, "INVITE");

	return r && !r->final ? r : NULL;
}


static int finish_plain(struct mbuf **mbp, struct msgb *b,
			struct buildctx *ctx, const struct sip_msg *m)
{
	struct phctx ph;
	char cid[128], tag[64];

	pl_strcpy(&m->callid, cid, sizeof(cid));
	pl_strcpy(&m->from.tag, tag, sizeof(tag));
	ph = (struct phctx){ctx->sc, cid, NULL, tag, m->cseq.num};

	return build_finish(mbp, b, ctx, &ph);
}


static int ack(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx);
static int indialog(struct mbuf **mbp, struct agent *ag,
		    struct buildctx *ctx, struct dialog *d,
		    const struct msgrec *inv2xx);


static int ack(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct role *peer = ctx->st->to;
	struct msgrec *inv = answered_invite(ag, peer);
	struct msgb *b = NULL;
	struct dialog *d;
	int err;

	if (!inv)
		return build_fail(ctx, ENOENT, "%s has no answered INVITE "
				  "to %s to acknowledge",
				  ag->role->name, peer->name);

	if (inv->final >= 300) {
		err = build_ack_non2xx(&b, inv->msg, inv->final_rec->msg);
		if (!err)
			err = finish_plain(mbp, b, ctx, inv->msg);
		mem_deref(b);
		if (!err)
			inv->acked = true;
		return err;
	}

	d = dialog_match(&ag->dialogs, inv->final_rec->msg, false);
	if (!d)
		return build_fail(ctx, ENOENT, "%s has no dialog for the "
				  "2xx it acknowledges", ag->role->name);

	return indialog(mbp, ag, ctx, d, inv);
}


/* methods that refresh the remote target and so carry a Contact */
static bool target_refresh(const struct pl *met)
{
	return !pl_strcmp(met, "INVITE") || !pl_strcmp(met, "UPDATE") ||
	       !pl_strcmp(met, "SUBSCRIBE") || !pl_strcmp(met, "NOTIFY") ||
	       !pl_strcmp(met, "REFER");
}


/* a request within dialog d (RFC 3261 §12.2.1.1); ACK when inv2xx */
static int indialog(struct mbuf **mbp, struct agent *ag,
		    struct buildctx *ctx, struct dialog *d,
		    const struct msgrec *inv2xx)
{
	const char *method = inv2xx ? "ACK" : ctx->st->method;
	struct msgb *b = NULL;
	struct phctx ph;
	char *branch = NULL;
	uint32_t cseq;
	struct pl met;
	struct le *le;
	int err;

	pl_set_str(&met, method);
	cseq = inv2xx ? d->invite_cseq : ++d->lseq;

	err = build_branch(&branch);
	err |= msgb_alloc(&b);
	if (err)
		goto out;

	err = msgb_start(b, "%s %s SIP/2.0", method, d->rtarget);
	err |= build_via(b, ag->role, branch, false);
	err |= msgb_add(b, "Max-Forwards", "70");
	for (le = d->route.head; le; le = le->next) {
		const struct strle *r = le->data;
		err |= msgb_add(b, "Route", "%s", r->str);
	}
	err |= msgb_add(b, "From", "%s;tag=%s", d->luri, d->ltag);
	err |= msgb_add(b, "To", "%s;tag=%s", d->ruri, d->rtag);
	err |= msgb_add(b, "Call-ID", "%s", d->callid);
	err |= msgb_add(b, "CSeq", "%u %s", cseq, method);
	if (target_refresh(&met))
		err |= add_contact(b, ag);
	if (!inv2xx)
		err |= msgb_add(b, "User-Agent", "sipflow/%s",
				SIPFLOW_VERSION);
	if (err)
		goto out;

	if (inv2xx) {
		/* late offer: the 2xx offered, the ACK answers */
		if (!msgrec_has_sdp(inv2xx) && msgrec_has_sdp(inv2xx->final_rec))
			err = add_sdp(b, ag, ctx, inv2xx->final_rec);
	}
	else if (!pl_strcmp(&met, "INVITE")) {
		err = add_sdp(b, ag, ctx, NULL);
	}
	if (err)
		goto out;

	ph = (struct phctx){ctx->sc, d->callid, branch, d->ltag, cseq};
	err = build_finish(mbp, b, ctx, &ph);

 out:
	mem_deref(branch);
	mem_deref(b);
	return err;
}


/* the callee of a new request: to-user, else the receiver if not a proxy */
static int callee_uri(char **out, const struct scenario *sc,
		      const struct step *st)
{
	if (st->to_role)
		return role_aor(out, sc, st->to_role);

	if (st->to_user) {
		const char *dom = role_domain(sc, st->from);
		if (dom)
			return re_sdprintf(out, "sip:%s@%s", st->to_user, dom);
		return re_sdprintf(out, "sip:%s@%J%s", st->to_user,
				   &st->to->addr, sip_transp_param(st->to->tp));
	}

	if (!str_casecmp(st->method, "REGISTER")) {
		const char *dom = role_domain(sc, st->from);
		if (dom)
			return re_sdprintf(out, "sip:%s", dom);
		return re_sdprintf(out, "sip:%J%s", &st->to->addr,
				   sip_transp_param(st->to->tp));
	}

	return role_aor(out, sc, st->to);
}


/* the last request of this method to the step's receiver, when its
 * final response was a challenge (401/407) still to be answered */
static struct msgrec *challenged(const struct agent *ag,
				 const struct step *st)
{
	struct msgrec *r = track_last_sent(ag, st->to, st->method);

	return r && r->final_rec && (r->final == 401 || r->final == 407)
		? r : NULL;
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


/*
 * RFC 3261 §22.3: the challenges of other realms ag got earlier in prev's
 * call (a proxy further on challenged after the first: two 407s, two
 * realms, RFC 3665 §3.3) are answered again, the newest per realm, so
 * that each proxy finds its own. Those it cannot answer are left out.
 */
static int add_older_credentials(struct msgb *b, const struct agent *ag,
				 const struct step *st,
				 const struct msgrec *prev, struct pl realm,
				 const char *user, const char *pass,
				 const char *ruri)
{
	struct pl done[8];
	unsigned n = 0, i;
	struct le *le;
	int err = 0;

	done[n++] = realm;
	for (le = ag->rx.tail; le && !err && n < ARRAY_SIZE(done);
	     le = le->prev) {
		const struct msgrec *r = le->data;
		struct pick pk = {.found = false};
		bool proxy;
		char *hval = NULL;

		if (r == prev->final_rec || !r->msg || r->msg->req ||
		    r->retrans || (r->msg->scode != 401 &&
				   r->msg->scode != 407) ||
		    pl_cmp(&r->msg->callid, &prev->msg->callid))
			continue;

		proxy = r->msg->scode == 407;
		(void)hdr_apply(r->msg, proxy ? "Proxy-Authenticate"
				: "WWW-Authenticate", pick_h, &pk);
		mem_deref(pk.why);
		if (!pk.found)
			continue;
		for (i = 0; i < n && pl_cmp(&done[i], &pk.chal.realm); i++)
			;
		if (i < n)
			continue;
		done[n++] = pk.chal.realm;

		if (digest_answer(&hval, &pk.chal, user, pass, st->method,
				  ruri))
			continue;
		err = msgb_add(b, proxy ? "Proxy-Authorization"
			       : "Authorization", "%s", hval);
		mem_deref(hval);
	}

	return err;
}


/*
 * Authorization (401) or Proxy-Authorization (407) answering the
 * challenge prev got (RFC 3261 §22.2, §22.3), computed with the step's
 * auth: or the role's credentials; auth: false sends none.
 */
static int add_credentials(struct msgb *b, struct agent *ag,
			   struct buildctx *ctx, const struct msgrec *prev,
			   const char *ruri)
{
	const struct step *st = ctx->st;
	const struct role *me = ag->role;
	const char *user = st->auth.user ? st->auth.user : me->auth_user;
	const char *pass = st->auth.pass ? st->auth.pass : me->auth_pass;
	bool proxy = prev->final == 407;
	struct pick pk = {.found = false};
	const struct step *cst = prev->final_rec->step;
	char *hval = NULL;
	int err;

	if (st->auth.off)
		return 0;

	if (!user || !pass)
		return build_fail(ctx, EACCES, "%s has no credentials to "
				  "answer the %u from %s%s%s%s: give role %s "
				  "auth: in the testbed (or the step auth: "
				  "{user, password})", me->name, prev->final,
				  st->to->name, cst ? " (" : "",
				  cst ? cst->id : "", cst ? ")" : "",
				  me->name);

	(void)hdr_apply(prev->final_rec->msg, proxy ? "Proxy-Authenticate"
			: "WWW-Authenticate", pick_h, &pk);
	if (!pk.found) {
		err = build_fail(ctx, EPROTO, "the %u from %s has no %s "
				 "%s can answer%s%s", prev->final,
				 st->to->name, proxy ? "Proxy-Authenticate"
				 : "WWW-Authenticate", me->name,
				 pk.why ? ": " : "", pk.why ? pk.why : "");
		mem_deref(pk.why);
		return err;
	}
	mem_deref(pk.why);

	err = digest_answer(&hval, &pk.chal, user, pass, st->method, ruri);
	if (err == ENOTSUP)
		return build_fail(ctx, err, "the %u from %s offers only "
				  "qop=%r", prev->final, st->to->name,
				  &pk.chal.qop);
	if (!err)
		err = msgb_add(b, proxy ? "Proxy-Authorization"
			       : "Authorization", "%s", hval);
	mem_deref(hval);

	if (!err)
		err = add_older_credentials(b, ag, st, prev, pk.chal.realm,
					    user, pass, ruri);

	return err;
}


/* the newest 401/407 the step's receiver sent ag for a request of the
 * step's method, or NULL */
static const struct msgrec *known_challenge(const struct agent *ag,
					    const struct step *st)
{
	struct le *le;

	for (le = ag->rx.tail; le; le = le->prev) {
		const struct msgrec *r = le->data;

		if (!r->msg || r->msg->req || r->retrans || r->from != st->to)
			continue;
		if ((r->msg->scode == 401 || r->msg->scode == 407) &&
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
	size_t i;

	for (i = 0; !u->hit && u->nonce->l && i + u->nonce->l <= val->l;
	     i++)
		u->hit = !memcmp(val->p + i, u->nonce->p, u->nonce->l);

	return u->hit;
}


/* how many requests ag sent with credentials for nonce */
static uint32_t nonce_uses(const struct agent *ag, const struct pl *nonce)
{
	uint32_t n = 0;
	struct le *le;

	for (le = ag->tx.head; le; le = le->next) {
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
 * §2.4). Nothing when the role has no credentials or the step says
 * auth: false.
 */
static int add_preemptive(struct msgb *b, const struct agent *ag,
			  const struct step *st, const struct msgrec *ch,
			  const char *ruri)
{
	const char *user = st->auth.user ? st->auth.user
				: ag->role->auth_user;
	const char *pass = st->auth.pass ? st->auth.pass
				: ag->role->auth_pass;
	bool proxy = ch->msg->scode == 407;
	struct pick pk = {.found = false};
	char *hval = NULL;
	int err;

	if (st->auth.off || !user || !pass)
		return 0;

	(void)hdr_apply(ch->msg, proxy ? "Proxy-Authenticate"
			: "WWW-Authenticate", pick_h, &pk);
	mem_deref(pk.why);
	if (!pk.found)
		return 0;

	err = digest_answer_nc(&hval, &pk.chal, user, pass, st->method, ruri,
			       nonce_uses(ag, &pk.chal.nonce) + 1);
	if (err)
		return err == ENOTSUP ? 0 : err;

	err = msgb_add(b, proxy ? "Proxy-Authorization" : "Authorization",
		       "%s", hval);
	mem_deref(hval);

	return err;
}


/*
 * A request outside any dialog: new Call-ID, From tag, CSeq 1 — or, when
 * the last one of this method to the receiver was challenged, its
 * resubmission with credentials: same Call-ID and From tag, CSeq + 1
 * (RFC 3261 §22.2, §8.1.3.5). A REGISTER to a registrar it registered
 * with before keeps that Call-ID, CSeq + 1 (§10.2), and credentials the
 * registrar asked for before go with it (add_preemptive).
 */
static int newreq(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	const struct role *me = ag->role;
	const struct msgrec *prev = challenged(ag, st);
	const struct msgrec *known = prev ? NULL : known_challenge(ag, st);
	char *ruri = NULL, *aor = NULL, *branch = NULL, *tag = NULL;
	char *callid = NULL;
	bool reg = !str_casecmp(st->method, "REGISTER");
	const struct msgrec *lastreg = reg && !prev
		? track_last_sent(ag, st->to, "REGISTER") : NULL;
	uint32_t cseq = prev ? prev->msg->cseq.num + 1
		      : lastreg ? lastreg->msg->cseq.num + 1 : 1;
	struct msgb *b = NULL;
	struct phctx ph;
	struct pl met;
	int err;

	pl_set_str(&met, st->method);

	err = callee_uri(&ruri, ctx->sc, st);
	err |= role_aor(&aor, ctx->sc, me);
	err |= build_branch(&branch);
	if (prev) {
		err |= pl_strdup(&tag, &prev->msg->from.tag);
		err |= pl_strdup(&callid, &prev->msg->callid);
	}
	else if (lastreg) {
		err |= build_token(&tag);
		err |= pl_strdup(&callid, &lastreg->msg->callid);
	}
	else {
		char *tok = NULL;

		err |= build_token(&tag);
		err |= build_token(&tok);
		err |= re_sdprintf(&callid, "%s@%j", tok, &me->addr);
		mem_deref(tok);
	}
	err |= msgb_alloc(&b);
	if (err)
		goto out;

	err = msgb_start(b, "%s %s SIP/2.0", st->method, ruri);
	err |= build_via(b, me, branch, false);
	err |= msgb_add(b, "Max-Forwards", "70");
	if (me->display)
		err |= msgb_add(b, "From", "\"%s\" <%s>;tag=%s", me->display,
				aor, tag);
	else
		err |= msgb_add(b, "From", "<%s>;tag=%s", aor, tag);
	err |= msgb_add(b, "To", "<%s>", reg ? aor : ruri);
	err |= msgb_add(b, "Call-ID", "%s", callid);
	err |= msgb_add(b, "CSeq", "%u %s", cseq, st->method);
	if (reg || target_refresh(&met))
		err |= add_contact(b, ag);
	if (reg)
		err |= msgb_add(b, "Expires", "3600");
	if (!pl_strcmp(&met, "INVITE"))
		err |= msgb_add(b, "Allow", "%s", allow);
	err |= msgb_add(b, "User-Agent", "sipflow/%s", SIPFLOW_VERSION);
	if (!err && prev)
		err = add_credentials(b, ag, ctx, prev, ruri);
	else if (!err && known)
		err = add_preemptive(b, ag, st, known, ruri);
	if (!err && !pl_strcmp(&met, "INVITE"))
		err = add_sdp(b, ag, ctx, NULL);
	if (err)
		goto out;

	ph = (struct phctx){ctx->sc, callid, branch, tag, cseq};
	err = build_finish(mbp, b, ctx, &ph);

 out:
	mem_deref(ruri);
	mem_deref(aor);
	mem_deref(branch);
	mem_deref(tag);
	mem_deref(callid);
	mem_deref(b);
	return err;
}


/* methods sent inside a dialog when the agent has one */
static bool dialog_method(const char *m, bool *must)
{
	static const char *const always[] = {"BYE", "PRACK", "UPDATE"};
	static const char *const maybe[] = {"INFO", "REFER", "NOTIFY",
					    "MESSAGE"};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(always); i++) {
		if (!strcmp(m, always[i])) {
			*must = true;
			return true;
		}
	}
	for (i = 0; i < ARRAY_SIZE(maybe); i++) {
		if (!strcmp(m, maybe[i])) {
			*must = false;
			return true;
		}
	}

	return false;
}


static int request(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	struct dialog *d;
	bool must = false;

	if (!strcmp(st->method, "ACK"))
		return ack(mbp, ag, ctx);

	if (!strcmp(st->method, "CANCEL")) {
		struct msgrec *inv = pending_invite(ag, st->to);
		struct msgb *b = NULL;
		int err;

		if (!inv)
			return build_fail(ctx, ENOENT, "%s has no pending "
					  "INVITE to %s to cancel",
					  ag->role->name, st->to->name);
		err = build_cancel(&b, inv->msg);
		if (!err)
			err = finish_plain(mbp, b, ctx, inv->msg);
		mem_deref(b);
		return err;
	}

	/* a re-INVITE names its dialog; other methods find theirs */
	if (!strcmp(st->method, "INVITE")) {
		d = st->dialog ? dialog_pick(&ag->dialogs, st->dialog, NULL)
			       : NULL;
		if (d && !d->terminated)
			return indialog(mbp, ag, ctx, d, NULL);
		return newreq(mbp, ag, ctx);
	}

	if (dialog_method(st->method, &must)) {
		d = dialog_pick(&ag->dialogs, st->dialog, st->to);
		/* a REFER, NOTIFY … to a role we have no dialog with starts
		 * one of its own, not inside a call with somebody else */
		if (d && !must && !st->dialog && d->peer != st->to)
			d = NULL;
		if (d && !d->terminated)
			return indialog(mbp, ag, ctx, d, NULL);
		if (must)
			return build_fail(ctx, ENOENT, "%s has no dialog "
					  "to send %s in%s%s",
					  ag->role->name, st->method,
					  st->dialog ? " named " : "",
					  st->dialog ? st->dialog : "");
	}

	return newreq(mbp, ag, ctx);
}


/** Build what a ua step sends */
int ua_build(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	struct msgrec *req;

	if (st->raw) {
		struct phctx ph = {ctx->sc, NULL, NULL, NULL, 1};
		char *branch = NULL, *tag = NULL, *cid = NULL;
		int err;

		err = build_branch(&branch);
		err |= build_token(&tag);
		err |= build_token(&cid);
		ph.branch = branch;
		ph.tag = tag;
		ph.callid = cid;
		if (!err)
			err = build_raw(mbp, ctx, &ph);
		mem_deref(branch);
		mem_deref(tag);
		mem_deref(cid);
		return err;
	}

	if (st->req)
		return request(mbp, ag, ctx);

	req = ua_open_request(ag, st->to, ctx);
	if (!req) {
		ctx->later = true;
		return build_fail(ctx, ENOENT, "%s has no open request from %s "
				  "to answer with %u", ag->role->name,
				  st->to->name, st->scode);
	}

	return ua_respond(mbp, ag, ctx, req, true);
}
