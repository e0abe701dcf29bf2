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
#include "dialog.h"
#include "placeholder.h"
#include "sdporigin.h"
#include "build.h"
#include "track.h"
#include "agent.h"
#include "ua_priv.h"


static const char allow[] =
	"INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS, INFO, UPDATE";


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


/* a session of the step's own: the codecs it names (else the role's),
 * the media at the address it names (else the role's) */
static int session_for(struct sdp_session **sessp, struct sdp_media **mp,
		       struct agent *ag, const struct sdp_spec *spec)
{
	struct sdp_session *sess;
	struct sdp_media *m;
	int err;

	err = sdp_session_alloc(&sess, &ag->role->addr);
	if (err)
		return err;

	err = sdp_media_add(&m, sess, "audio", agent_media_port(ag),
			    "RTP/AVP");
	if (!err)
		err = agent_codecs_add(m, &spec->codecs);

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
		/* an RTP/SAVP offer is answered, not refused: ua_crypto
		 * writes the profile the exchange calls for */
		(void)sdp_media_set_alt_protos(m, 2, "RTP/AVP", "RTP/SAVP");
		err = sdp_decode(sess, omb, true);
		mem_deref(omb);
		if (err) {
			build_fail(ctx, err, "the SDP offer in %r does not "
				   "decode (%m)", &offer->msg->cseq.met, err);
			goto out;
		}
	}

	err = sdp_encode(mbp, sess, offer == NULL);
	if (!err) {
		struct pl obody = offer ? msgrec_body(offer) : pl_null;

		err = ua_crypto(mbp, &spec->crypto, offer ? &obody : NULL);
	}

 out:
	mem_deref(own);
	return err;
}


/* the SDP of b, an offer or the answer to offer, numbered as the next of
 * b's call (its Call-ID is in b already) — or as the last, when b makes
 * the same offer again (again) */
static int add_sdp_as(struct msgb *b, struct agent *ag,
		      struct buildctx *ctx, const struct msgrec *offer,
		      bool again)
{
	const struct msgb_hdr *cid = msgb_find(b, "Call-ID");
	struct mbuf *mb = NULL;
	int err;

	err = sdp_body(&mb, ag, ctx, offer);
	if (err || !mb)
		return err;

	if (cid)
		err = sdporigin_apply(&ag->sdpcalls, cid->value, again, &mb);
	if (!err)
		err = msgb_body(b, "application/sdp", mb->buf, mb->end);
	mem_deref(mb);

	return err;
}


static int add_sdp(struct msgb *b, struct agent *ag, struct buildctx *ctx,
		   const struct msgrec *offer)
{
	return add_sdp_as(b, ag, ctx, offer, false);
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


enum { REG_EXPIRES_DFLT = 3600 };

struct bindings {
	struct msgb *b;
	const struct sip_msg *m;
	int err;
};


/* one Contact of the REGISTER: still bound unless it asks expires=0 (or
 * is '*', which removes every binding) */
static bool binding_h(const struct sip_hdr *hdr, const struct sip_msg *msg,
		      void *arg)
{
	struct bindings *bd = arg;
	struct sip_addr addr;
	struct pl ex;
	uint32_t expires = REG_EXPIRES_DFLT;
	(void)msg;

	if (!pl_strcmp(&hdr->val, "*") ||
	    sip_addr_decode(&addr, &hdr->val))
		return false;

	if (!msg_param_decode(&addr.params, "expires", &ex))
		expires = pl_u32(&ex);
	else if (pl_isset(&bd->m->expires))
		expires = pl_u32(&bd->m->expires);
	if (!expires)
		return false;

	bd->err = msgb_add(bd->b, "Contact", "<%r>;expires=%u", &addr.auri,
			   expires);
	return bd->err != 0;
}


/*
 * RFC 3261 §10.3 step 8: "The registrar returns a 200 (OK). The response
 * MUST contain Contact header field values enumerating all current
 * bindings." The testbed's registrar (a device's setup registration,
 * engine/load/prologue.c) holds one registration: what this REGISTER
 * binds, each Contact with the expires it was granted.
 */
static int add_bindings(struct msgb *b, const struct sip_msg *m)
{
	struct bindings bd = {b, m, 0};

	(void)sip_msg_hdr_apply(m, true, SIP_HDR_CONTACT, binding_h, &bd);

	return bd.err;
}


/**
 * The request a response step answers: its request step's message
 * (engine/load/assoc.c), once it has arrived — never a stray or another
 * scenario's request; a step with none (raw:) answers the newest request
 * from peer that has no final response yet (not ACK).
 */
struct msgrec *ua_open_request(const struct agent *ag,
			       const struct role *peer,
			       struct buildctx *ctx)
{
	struct le *le;

	if (ctx->st->assoc)
		return ctx->assoc && ctx->assoc->to == ag->role ? ctx->assoc
								: NULL;

	for (le = ag->led.rx.tail; le; le = le->prev) {
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


/** Why a response step has no request to answer (ENOENT) */
int ua_no_request(const struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st, *rq = st->assoc;

	if (!rq)
		return build_fail(ctx, ENOENT, "%s has no open request from "
				  "%s to answer with %u", ag->role->name,
				  st->to->name, st->scode);

	return build_fail(ctx, ENOENT, "%s has not received the %s of %s "
			  "from %s that %u %s answers", ag->role->name,
			  rq->method, rq->id, st->to->name, st->scode,
			  st->id);
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
		struct msgrec *inv = track_cancelled(&ag->led, req);

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
	if (!err && st->setup && st->scode >= 200 && st->scode < 300 &&
	    !pl_strcmp(&m->met, "REGISTER"))
		err = add_bindings(b, m);
	if (!err && (st->scode == 401 || st->scode == 407))
		err = ua_add_challenge(b, ag, ctx);

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
	struct msgrec *r = track_last_sent(&ag->led, peer, "INVITE");

	return r && r->final ? r : NULL;
}


/* the newest INVITE we sent to peer, if it still waits for a final */
static struct msgrec *pending_invite(const struct agent *ag,
				     const struct role *peer)
{
	struct msgrec *r = track_last_sent(&ag->led, peer, "INVITE");

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

	d = dialog_match(&ag->led.dialogs, inv->final_rec->msg, false);
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


/* the headers of a request within dialog d (RFC 3261 §12.2.1.1): the
 * ACK of inv2xx's 2xx takes that INVITE's CSeq number (§13.2.2.4: a
 * re-INVITE's, not the one that made the dialog), the rest the next
 * local one */
static int dialog_start(struct msgb **bp, char **branchp, uint32_t *cseqp,
			struct agent *ag, struct dialog *d,
			const char *method, const struct msgrec *inv2xx)
{
	bool ack = inv2xx != NULL;
	uint32_t cseq = ack ? inv2xx->msg->cseq.num : ++d->lseq;
	struct msgb *b = NULL;
	char *branch = NULL;
	struct pl met;
	struct le *le;
	int err;

	pl_set_str(&met, method);
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
	if (!ack)
		err |= msgb_add(b, "User-Agent", "sipflow/%s",
				SIPFLOW_VERSION);

 out:
	if (err) {
		mem_deref(b);
		mem_deref(branch);
		return err;
	}

	*bp = b;
	*branchp = branch;
	*cseqp = cseq;
	return 0;
}


/** A request within dialog d, to add to and encode: a teardown's BYE,
 *  NOTIFY, SUBSCRIBE, or with inv2xx the ACK of that INVITE's 2xx */
int ua_dialog_msgb(struct msgb **bp, struct agent *ag, struct dialog *d,
		   const char *method, const struct msgrec *inv2xx)
{
	char *branch = NULL;
	uint32_t cseq;
	int err;

	err = dialog_start(bp, &branch, &cseq, ag, d, method, inv2xx);
	mem_deref(branch);

	return err;
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
	int err;

	pl_set_str(&met, method);
	err = dialog_start(&b, &branch, &cseq, ag, d, method, inv2xx);
	if (err)
		goto out;

	if (inv2xx) {
		/* late offer: the 2xx offered, the ACK answers */
		if (!msgrec_has_sdp(inv2xx) &&
		    msgrec_has_sdp(inv2xx->final_rec))
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
				   &st->to->addr,
				   sip_transp_param(st->to->tp));
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


/*
 * A request outside any dialog: new Call-ID, From tag, CSeq 1 — or, when
 * the last one of this method to the receiver was challenged, its
 * resubmission with credentials: same Call-ID and From tag, CSeq + 1
 * (RFC 3261 §22.2, §8.1.3.5). A REGISTER to a registrar it registered
 * with before keeps that Call-ID, CSeq + 1 (§10.2), and credentials the
 * registrar asked for before go with it (ua_add_credentials).
 */
static int newreq(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	const struct role *me = ag->role;
	const struct msgrec *prev = ua_challenged(ag, st);
	char *ruri = NULL, *aor = NULL, *branch = NULL, *tag = NULL;
	char *callid = NULL;
	bool reg = !str_casecmp(st->method, "REGISTER");
	const struct msgrec *lastreg = reg && !prev
		? track_last_sent(&ag->led, st->to, "REGISTER") : NULL;
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
	if (!err)
		err = ua_add_credentials(b, ag, ctx, prev, ruri);
	/* resent with credentials: the offer of the one challenged */
	if (!err && !pl_strcmp(&met, "INVITE"))
		err = add_sdp_as(b, ag, ctx, NULL, prev != NULL);
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
		d = st->dialog ? dialog_pick(&ag->led.dialogs, st->dialog,
					     NULL) : NULL;
		if (d && !d->terminated)
			return indialog(mbp, ag, ctx, d, NULL);
		return newreq(mbp, ag, ctx);
	}

	if (dialog_method(st->method, &must)) {
		d = dialog_pick(&ag->led.dialogs, st->dialog, st->to);
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
		return ua_no_request(ag, ctx);
	}

	return ua_respond(mbp, ag, ctx, req, true);
}
