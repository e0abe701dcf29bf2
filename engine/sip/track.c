/* engine/sip/track.c — transaction and dialog bookkeeping per role
 *
 * Transactions are matched as RFC 3261 §17.1.3 and §17.2.3 say: by the
 * top Via branch and the CSeq method (ACK and CANCEL aside). The role's
 * ledger (its rx and tx lists, ledger.h) is the transaction state: a
 * request record carries its final status on either side.
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "dialog.h"
#include "ledger.h"
#include "track.h"


/** resp belongs to req's transaction (§17.1.3): branch and CSeq */
bool track_same_txn(const struct sip_msg *req, const struct sip_msg *resp)
{
	return !pl_cmp(&req->via.branch, &resp->via.branch) &&
	       !pl_cmp(&req->cseq.met, &resp->cseq.met) &&
	       req->cseq.num == resp->cseq.num;
}


/** The request in the role's tx that a response it received answers */
struct msgrec *track_client_txn(const struct ledger *led,
				const struct msgrec *resp)
{
	struct le *le;

	for (le = led->tx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		/* a retransmitted copy stands for nothing of its own, ours
		 * (copy_of) or another sender's (its receiver saw a copy) */
		if (r->msg && r->msg->req && !r->copy_of && !r->retrans &&
		    track_same_txn(r->msg, resp->msg))
			return r;
	}

	return NULL;
}


/** The request in the role's rx that a response it sends answers */
struct msgrec *track_server_txn(const struct ledger *led,
				const struct msgrec *resp)
{
	struct le *le;

	for (le = led->rx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		if (r->msg && r->msg->req && !r->retrans &&
		    track_same_txn(r->msg, resp->msg))
			return r;
	}

	return NULL;
}


/** The INVITE in the role's rx a CANCEL it received cancels: same branch and
 *  CSeq number (RFC 3261 §9.2), or NULL */
struct msgrec *track_cancelled(const struct ledger *led,
			       const struct msgrec *cancel)
{
	const struct sip_msg *c = cancel->msg;
	struct le *le;

	for (le = led->rx.tail; c && le; le = le->prev) {
		struct msgrec *r = le->data;

		if (r->msg && r->msg->req && !r->retrans &&
		    !pl_strcmp(&r->msg->met, "INVITE") &&
		    !pl_cmp(&r->msg->via.branch, &c->via.branch) &&
		    r->msg->cseq.num == c->cseq.num)
			return r;
	}

	return NULL;
}


/** The newest request of this method the role sent to peer, or NULL */
struct msgrec *track_last_sent(const struct ledger *led,
			       const struct role *peer, const char *method)
{
	struct le *le;

	for (le = led->tx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		if (r->msg && r->msg->req && r->to == peer && !r->copy_of &&
		    !pl_strcmp(&r->msg->met, method))
			return r;
	}

	return NULL;
}


/**
 * The INVITE the role received that an ACK acknowledges (same Call-ID and CSeq
 * number), or NULL. If its final response was non-2xx, the ACK is hop by
 * hop on the INVITE's transaction (RFC 3261 §17.1.1.3); else it is the
 * end-to-end ACK of a 2xx (§13.2.2.4).
 */
struct msgrec *track_acked_invite(const struct ledger *led,
				  const struct msgrec *ack)
{
	struct le *le;

	if (!ack->msg || pl_strcmp(&ack->msg->met, "ACK"))
		return NULL;

	for (le = led->rx.tail; le; le = le->prev) {
		struct msgrec *r = le->data;

		if (!r->msg || !r->msg->req || r->retrans)
			continue;
		if (!pl_strcmp(&r->msg->met, "INVITE") &&
		    !pl_cmp(&r->msg->callid, &ack->msg->callid) &&
		    r->msg->cseq.num == ack->msg->cseq.num)
			return r;
	}

	return NULL;
}


/** An ACK the role received for a non-2xx final response: it ends there, hop
 *  by hop (RFC 3261 §17.1.1.3), and is never forwarded */
bool track_ack_hop(const struct ledger *led, const struct msgrec *ack)
{
	const struct msgrec *inv = track_acked_invite(led, ack);

	return inv && inv->answered >= 300;
}


/**
 * A request the proxy received that it may still forward: not a
 * retransmission, not forwarded yet, not one it refused itself (its 407
 * challenge, a 404: the request that answers it comes later), not the
 * hop-by-hop ACK of a non-2xx final (RFC 3261 §16.7 step 9)
 */
bool track_forwardable(const struct ledger *led, const struct msgrec *r)
{
	return r->msg && r->msg->req && !r->retrans && !r->forwarded &&
	       r->answered < 300 && !track_ack_hop(led, r);
}


/**
 * r repeats o: the same bytes, or for a request the same method, branch
 * and CSeq (§17.2.3), for a response the same status, branch, CSeq and To
 * tag; from the same sender
 */
bool track_same_msg(const struct msgrec *o, const struct msgrec *r)
{
	if (!o->msg || !r->msg)
		return o->mb->end == r->mb->end &&
		       !memcmp(o->mb->buf, r->mb->buf, r->mb->end);

	if (o->msg->req != r->msg->req || o->from != r->from)
		return false;
	if (pl_cmp(&o->msg->via.branch, &r->msg->via.branch) ||
	    pl_cmp(&o->msg->cseq.met, &r->msg->cseq.met) ||
	    o->msg->cseq.num != r->msg->cseq.num ||
	    pl_cmp(&o->msg->callid, &r->msg->callid))
		return false;

	if (r->msg->req)
		return !pl_cmp(&o->msg->met, &r->msg->met);

	return o->msg->scode == r->msg->scode &&
	       !pl_cmp(&o->msg->to.tag, &r->msg->to.tag);
}


/** The first message the role received that r repeats, or NULL */
struct msgrec *track_original(const struct ledger *led,
			      const struct msgrec *r)
{
	struct le *le;

	for (le = led->rx.head; le; le = le->next) {
		struct msgrec *o = le->data;

		if (o != r && track_same_msg(o, r))
			return o;
	}

	return NULL;
}


/** True if r repeats a message the role already received */
bool track_is_retrans(const struct ledger *led, const struct msgrec *r)
{
	return track_original(led, r) != NULL;
}


/* an INVITE's 1xx/2xx (§12.1); a SUBSCRIBE's or REFER's 2xx (RFC 6665
 * §4.1.2.1, RFC 3515 §2.4.4), so that the NOTIFYs go in the subscription's
 * dialog */
static bool makes_dialog(const struct sip_msg *req, uint16_t scode)
{
	if (!pl_strcmp(&req->met, "SUBSCRIBE") ||
	    !pl_strcmp(&req->met, "REFER"))
		return scode >= 200 && scode < 300;

	return !pl_strcmp(&req->met, "INVITE") && scode > 100 && scode < 300;
}


static void bye_seen(struct ledger *led, const struct sip_msg *m, bool uas)
{
	struct dialog *d = dialog_match(&led->dialogs, m, uas);

	if (d)
		d->terminated = true;
}


/** The role sent r: update its transactions and dialogs */
void track_sent(struct ledger *led, struct msgrec *r)
{
	bool ua = led->role->kind != ROLE_PROXY;

	list_append(&led->tx, &r->tx_le, r);
	if (!r->msg)
		return;

	if (r->msg->req) {
		if (ua && !pl_strcmp(&r->msg->met, "BYE"))
			bye_seen(led, r->msg, false);
		return;
	}

	{
		struct msgrec *req = track_server_txn(led, r);

		if (!req)
			return;

		if (r->msg->scode >= 200 && r->msg->scode > req->answered)
			req->answered = r->msg->scode;

		if (ua && makes_dialog(req->msg, r->msg->scode) &&
		    pl_isset(&r->msg->to.tag)) {
			struct dialog *d = NULL;
			char *ltag = NULL;

			if (pl_strdup(&ltag, &r->msg->to.tag))
				return;
			if (!dialog_from_request(&d, &led->dialogs, req, ltag,
						 r->to) &&
			    r->msg->scode >= 200)
				d->confirmed = true;
			mem_deref(ltag);
		}
	}
}


/** The role received r: update its transactions and dialogs */
void track_received(struct ledger *led, struct msgrec *r)
{
	bool ua = led->role->kind != ROLE_PROXY;
	struct msgrec *req;

	list_append(&led->rx, &r->rx_le, r);
	if (!r->msg || r->retrans)
		return;

	if (r->msg->req) {
		if (ua && !pl_strcmp(&r->msg->met, "BYE"))
			bye_seen(led, r->msg, true);
		return;
	}

	req = track_client_txn(led, r);
	if (!req)
		return;

	if (r->msg->scode >= 200 && !req->final) {
		req->final = r->msg->scode;
		req->final_rec = r;
	}

	if (ua && makes_dialog(req->msg, r->msg->scode))
		(void)dialog_from_response(NULL, &led->dialogs, req, r,
					   r->from);
}
