/* agents/proxy.c — the scripted proxy: forwards per RFC 3261 §16
 *
 * A request step forwards the newest request of that method the proxy
 * received and has not yet passed on (or the one forwards: names): new
 * Request-URI for an initial request (§16.6 step 2), own Route entry
 * removed (§16.4), Max-Forwards decremented (§16.6 step 3), Record-Route
 * added when configured (step 4), a Via pushed with a new branch (step 8),
 * received/rport filled in on the previous Via (§18.2.1, RFC 3581).
 * A response step forwards a response received for a forwarded request,
 * top Via removed (§16.7 step 3); if there is none, the proxy answers
 * itself. ACK for a non-2xx is hop by hop (§16.7 step 9: the proxy
 * generates it on the INVITE's branch and absorbs the upstream one).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgb.h"
#include "msgrec.h"
#include "hdr.h"
#include "placeholder.h"
#include "build.h"
#include "track.h"
#include "agent.h"


/* has the proxy exchanged a message of this call with dst already? */
static bool in_call_with(const struct agent *ag, const struct role *dst,
			 const struct pl *callid)
{
	const struct list *lists[2] = {&ag->led.tx, &ag->led.rx};
	unsigned i;
	struct le *le;

	for (i = 0; i < 2; i++) {
		for (le = lists[i]->head; le; le = le->next) {
			const struct msgrec *r = le->data;

			if (r->msg && (i ? r->from : r->to) == dst &&
			    !pl_cmp(&r->msg->callid, callid))
				return true;
		}
	}

	return false;
}


/* the received request of this method to pass on to dst, the oldest not
 * passed on yet: a request inside a dialog (To tag) only along a call
 * the proxy already has with dst; a new one to anyone */
static struct msgrec *to_forward(const struct agent *ag, const char *method,
				 const struct role *dst,
				 struct buildctx *ctx)
{
	struct msgrec *first = NULL;
	struct le *le;

	if (ctx->forwards)
		return ctx->forwards->to == ag->role ? ctx->forwards : NULL;

	for (le = ag->led.rx.head; le; le = le->next) {
		struct msgrec *r = le->data;

		if (!track_forwardable(&ag->led, r) || r->from == dst ||
		    pl_strcmp(&r->msg->met, method))
			continue;

		if (in_call_with(ag, dst, &r->msg->callid))
			return r;
		if (!first && !pl_isset(&r->msg->to.tag))
			first = r;
	}

	return first;
}


/* is this Route value our own address? */
static bool route_is_me(const struct pl *val, const struct role *me)
{
	struct sip_addr addr;
	struct sa sa;

	if (sip_addr_decode(&addr, val))
		return false;

	if (sa_set(&sa, &addr.uri.host, addr.uri.port ? addr.uri.port : 5060))
		return false;

	return sa_cmp(&sa, &me->addr, SA_ALL);
}


/* the previous hop's Via, with received= and rport= as §18.2.1 says */
static int via_stamped(struct msgb *b, const struct msgrec *r,
		       const struct pl *val)
{
	const struct sip_via *via = &r->msg->via;
	struct pl rport;
	bool want_rport;

	want_rport = 0 == msg_param_exists(&via->params, "rport", &rport) &&
		     0 != msg_param_decode(&via->params, "rport", &rport);

	if (!want_rport && sa_cmp(&via->addr, &r->src, SA_ADDR))
		return msgb_add(b, "Via", "%r", val);

	if (want_rport) {
		/* replace the bare ;rport with ;received=..;rport=port */
		const char *p = val->p;
		const char *rp = NULL;
		size_t i;

		for (i = 0; i + 6 <= val->l; i++) {
			if (!strncasecmp(p + i, ";rport", 6) &&
			    (i + 6 == val->l || p[i + 6] == ';')) {
				rp = p + i;
				break;
			}
		}
		if (rp)
			return msgb_add(b, "Via", "%b;received=%j;rport=%u%b",
					p, (size_t)(rp - p), &r->src,
					sa_port(&r->src), rp + 6,
					val->l - (size_t)(rp - p) - 6);
	}

	return msgb_add(b, "Via", "%r;received=%j", val, &r->src);
}


/* the forwarded message: the body as received, the step's changes on
 * top; the received one is then passed on */
static int finish_forward(struct mbuf **mbp, struct msgb *b,
			  struct buildctx *ctx, struct msgrec *in,
			  const char *branch)
{
	struct pl body = msgrec_body(in);
	struct phctx ph;
	char cid[128];
	int err = 0;

	if (body.l)
		err = msgb_body(b, NULL, (const uint8_t *)body.p, body.l);
	if (err)
		return err;

	pl_strcpy(&in->msg->callid, cid, sizeof(cid));
	ph = (struct phctx){ctx->sc, cid, branch, NULL, in->msg->cseq.num};
	err = build_finish(mbp, b, ctx, &ph);
	if (!err)
		in->forwarded = true;

	return err;
}


static int fwd_request(struct mbuf **mbp, struct agent *ag,
		       struct buildctx *ctx, struct msgrec *in)
{
	const struct step *st = ctx->st;
	const struct sip_msg *m = in->msg;
	const struct role *me = ag->role;
	bool initial = !pl_isset(&m->to.tag);
	bool first_via = true, route_checked = false;
	char *branch = NULL, *target = NULL;
	struct msgb *b = NULL;
	struct le *le;
	int err;

	err = build_branch(&branch);
	err |= msgb_alloc(&b);
	if (err)
		goto out;

	/* §16.6 step 2: an initial request goes to the target's contact;
	 * to a next proxy it keeps its Request-URI (that proxy resolves it) */
	if (initial && pl_strcmp(&m->met, "ACK") &&
	    pl_strcmp(&m->met, "CANCEL") && st->to->kind != ROLE_PROXY) {
		err = role_contact(&target, st->to);
		if (err)
			goto out;
		err = msgb_start(b, "%r %s SIP/2.0", &m->met, target);
	}
	else {
		err = msgb_start(b, "%r %r SIP/2.0", &m->met, &m->ruri);
	}
	err |= build_via(b, me, branch, false);

	for (le = m->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (hdr_name_eq("Via", &h->name)) {
			if (first_via)
				err = via_stamped(b, in, &h->val);
			else
				err = msgb_addpl(b, &h->name, &h->val);
			first_via = false;
		}
		else if (hdr_name_eq("Max-Forwards", &h->name)) {
			uint32_t mf = pl_u32(&h->val);
			err = msgb_add(b, "Max-Forwards", "%u",
				       mf ? mf - 1 : 0);
		}
		else if (hdr_name_eq("Route", &h->name) && !route_checked) {
			/* §16.4: drop the first Route if it is us */
			route_checked = true;
			if (!route_is_me(&h->val, me))
				err = msgb_addpl(b, &h->name, &h->val);
		}
		else if (hdr_name_eq("Content-Length", &h->name)) {
			continue; /* recomputed from the body */
		}
		else {
			err = msgb_addpl(b, &h->name, &h->val);
		}
	}
	if (err)
		goto out;

	if (!msgb_find(b, "Max-Forwards"))
		err = msgb_add(b, "Max-Forwards", "70");

	/* §16.6 step 4 */
	if (!err && me->record_route && initial &&
	    build_is_dialog_creating(&m->met)) {
		struct msgb_hdr *h = msgb_find(b, "Record-Route");
		struct msgb_hdr *rr;

		err = msgb_add(b, "Record-Route", "<sip:%J%s;lr>", &me->addr,
			       sip_transp_param(me->tp));
		if (!err && h) {
			/* ours goes above the ones already there */
			rr = b->hdrs.tail->data;
			list_unlink(&rr->le);
			list_insert_before(&b->hdrs, &h->le, &rr->le, rr);
		}
	}

	if (!err)
		err = finish_forward(mbp, b, ctx, in, branch);

 out:
	mem_deref(branch);
	mem_deref(target);
	mem_deref(b);
	return err;
}


/* the request we sent that this response answers (same branch, CSeq) */
static struct msgrec *ctrans_of(const struct agent *ag,
				const struct msgrec *resp)
{
	struct le *le;

	for (le = ag->led.tx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		if (!r->msg || !r->msg->req || r->copy_of)
			continue;
		if (pl_cmp(&r->msg->via.branch, &resp->msg->via.branch))
			continue;
		if (pl_cmp(&r->msg->cseq.met, &resp->msg->cseq.met))
			continue;

		return r;
	}

	return NULL;
}


/*
 * A received response with this status to relay for a response step:
 * one to the request forwarded from the step's request (§16.7), or,
 * when the step names none (raw:), one to any request forwarded from dst.
 * A CANCEL is never forwarded (§16.10), so its 200 is the proxy's own.
 */
static struct msgrec *resp_to_forward(const struct agent *ag,
				      const struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	struct le *le;

	for (le = ag->led.rx.head; le; le = le->next) {
		struct msgrec *r = le->data;
		struct msgrec *ct;

		if (!r->msg || r->msg->req || r->retrans || r->forwarded)
			continue;
		if (!step_accepts(st, r->msg->scode))
			continue;

		ct = ctrans_of(ag, r);
		if (!ct || !ct->fwd_of)
			continue;
		if (st->assoc ? ct->fwd_of == ctx->assoc
			      : ct->fwd_of->from == st->to)
			return r;
	}

	return NULL;
}


static int fwd_response(struct mbuf **mbp, struct agent *ag,
			struct buildctx *ctx, struct msgrec *in)
{
	const struct sip_msg *m = in->msg;
	struct msgrec *ct = ctrans_of(ag, in);
	bool first_via = true;
	struct msgb *b = NULL;
	struct le *le;
	int err;

	err = msgb_alloc(&b);
	if (err)
		return err;

	err = msgb_start(b, "SIP/2.0 %u %r", m->scode, &m->reason);
	for (le = m->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		/* §16.7 step 3: our own Via goes */
		if (hdr_name_eq("Via", &h->name) && first_via) {
			first_via = false;
			continue;
		}
		if (hdr_name_eq("Content-Length", &h->name))
			continue;

		err = msgb_addpl(b, &h->name, &h->val);
	}

	if (!err)
		err = finish_forward(mbp, b, ctx, in, NULL);
	if (!err)
		ctx->fwd_of = in;   /* relayed, not the proxy's own */
	if (!err && ct && ct->fwd_of && m->scode >= 200)
		ct->fwd_of->answered = m->scode;
	if (!err && ct)
		ctx->reply_to = ct->fwd_of;

	mem_deref(b);
	return err;
}


/* §16.7 step 9 / §17.1.1.3: the proxy's own ACK for a non-2xx final */
static struct msgrec *invite_to_ack(const struct agent *ag,
				    const struct role *dst)
{
	struct msgrec *r = track_last_sent(&ag->led, dst, "INVITE");

	return r && r->final >= 300 && !r->acked ? r : NULL;
}


static struct msgrec *invite_pending(const struct agent *ag,
				     const struct role *dst)
{
	struct msgrec *r = track_last_sent(&ag->led, dst, "INVITE");

	return r && !r->final ? r : NULL;
}


static int own_request(struct mbuf **mbp, struct agent *ag,
		       struct buildctx *ctx, struct msgrec *inv, bool cancel)
{
	struct msgb *b = NULL;
	struct phctx ph;
	char cid[128];
	int err;

	if (cancel)
		err = build_cancel(&b, inv->msg);
	else
		err = build_ack_non2xx(&b, inv->msg, inv->final_rec->msg);
	if (err)
		return err;

	pl_strcpy(&inv->msg->callid, cid, sizeof(cid));
	ph = (struct phctx){ctx->sc, cid, NULL, NULL, inv->msg->cseq.num};
	err = build_finish(mbp, b, ctx, &ph);
	mem_deref(b);
	if (!err && !cancel)
		inv->acked = true;

	return err;
}


/** Build what a proxy step sends */
int proxy_build(struct mbuf **mbp, struct agent *ag, struct buildctx *ctx)
{
	const struct step *st = ctx->st;
	struct msgrec *in;

	if (st->raw)
		return ua_build(mbp, ag, ctx);

	if (st->req) {
		if (!strcmp(st->method, "ACK") && !ctx->forwards) {
			in = invite_to_ack(ag, st->to);
			if (in)
				return own_request(mbp, ag, ctx, in, false);
		}
		if (!strcmp(st->method, "CANCEL") && !ctx->forwards) {
			in = invite_pending(ag, st->to);
			if (in)
				return own_request(mbp, ag, ctx, in, true);
		}

		in = to_forward(ag, st->method, st->to, ctx);
		if (!in) {
			ctx->later = true;
			return build_fail(ctx, ENOENT, "%s has received no "
					  "%s to forward to %s",
					  ag->role->name, st->method,
					  st->to->name);
		}

		ctx->fwd_of = in;
		return fwd_request(mbp, ag, ctx, in);
	}

	in = ctx->answers ? NULL : resp_to_forward(ag, ctx);
	if (in)
		return fwd_response(mbp, ag, ctx, in);

	/* nothing to pass on: the proxy answers itself (e.g. 100 Trying,
	 * or a 202 to REFER as a B2BUA would) */
	in = ua_open_request(ag, st->to, ctx);
	if (!in) {
		ctx->later = true;
		return ua_no_request(ag, ctx);
	}

	/* a final response to a request the proxy passed on is relayed
	 * when it comes, not made up (§16.7); in a group it may come later */
	if (in->forwarded && st->scode >= 200 && !ctx->answers && st->group) {
		ctx->later = true;
		return build_fail(ctx, ENOENT, "%s waits for a %u to relay "
				  "for the %r it forwarded (answers: Fn makes "
				  "it answer that request itself)",
				  ag->role->name, st->scode, &in->msg->met);
	}

	return ua_respond(mbp, ag, ctx, in, false);
}
