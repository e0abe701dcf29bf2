/* agents/teardown.c — what a scripted role (ua, proxy) closes with a
 * device when its flow ends, pass or fail, so that nothing of it reaches
 * the next scenario
 *
 * One sweep when the flow ended, then one after each message that
 * arrives while the run waits for the devices to go quiet (engine/
 * run_teardown.c); each sweep sends only what is still due, so it can
 * run any number of times:
 *   - a request received and not answered gets a final response (the
 *     answers table says which, and why);
 *   - an INVITE it sent still pending is CANCELled once a provisional
 *     came (RFC 3261 §9.1: not before); a non-2xx final is ACKed
 *     (§17.1.1.3); a ua ACKs a 2xx (§13.2.2.4) and then ends the call;
 *   - a ua ends its subscriptions — as notifier a NOTIFY with
 *     Subscription-State: terminated (RFC 6665 §4.2.2, RFC 3515 §2.4.5),
 *     as subscriber a SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); a
 *     REFER's subscriber has no unsubscribe, its NOTIFYs get 481 below —
 *     and sends BYE in every confirmed call (§15.1.1).
 * Only what the role opened with a device is closed: its peer is a dut.
 */
#include <string.h>
#include <strings.h>
#include <re.h>
#include "scenario.h"
#include "msgb.h"
#include "msgrec.h"
#include "dialog.h"
#include "hdr.h"
#include "build.h"
#include "track.h"
#include "agent.h"


enum {
	ANS_KNOWN = 1,       /* the role has the request's dialog */
	ANS_TERMINATED = 2,  /* Subscription-State: terminated */
	ANS_TOTAG = 4,       /* a To tag: meant for a dialog */
};

/* the final response a request still open at the end gets: the first
 * row whose method (NULL: any) and conditions fit */
static const struct answer {
	const char *method;
	unsigned need;
	uint16_t scode;
	const char *reason;
} answers[] = {
	/* RFC 3261 §15.1.2: a BYE of a call the role has is accepted */
	{"BYE", ANS_KNOWN, 200, "OK"},
	/* RFC 6665 §4.1.3: the NOTIFY that ends a subscription is
	 * accepted */
	{"NOTIFY", ANS_KNOWN | ANS_TERMINATED, 200, "OK"},
	/* §21.4.18: the user is not available now. It ends this branch
	 * only: a 6xx would stop a forking proxy everywhere (§16.7 step
	 * 5), a 5xx would say the role failed, 486 that the user is busy */
	{"INVITE", 0, 480, "Temporarily Unavailable"},
	/* §12.2.2: a request in a dialog the role does not have (any
	 * more); a NOTIFY answered so ends its subscription, RFC 6665
	 * §4.1.3 and §4.2.2 */
	{NULL, ANS_TOTAG, 481, "Call/Transaction Does Not Exist"},
	{NULL, 0, 480, "Temporarily Unavailable"},
};


static bool peer_is_device(const struct role *r)
{
	return r && r->dut;
}


static bool substate_terminated(const struct sip_msg *m)
{
	const struct pl *v = hdr_first(m, "Subscription-State");

	return v && v->l >= 10 && !strncasecmp(v->p, "terminated", 10);
}


/* does ag have the call req belongs to? a ua: its dialog; a proxy: a
 * message of that Call-ID before req */
static bool known(const struct agent *ag, const struct msgrec *req)
{
	const struct sip_msg *m = req->msg;
	struct le *le;

	if (ag->role->kind != ROLE_PROXY)
		return dialog_match(&ag->led.dialogs, m, true) != NULL;

	for (le = ag->led.rx.head; le && le->data != req; le = le->next) {
		const struct msgrec *o = le->data;

		if (o->msg && !pl_cmp(&o->msg->callid, &m->callid))
			return true;
	}

	return false;
}


static const struct answer *answer_for(const struct agent *ag,
				       const struct msgrec *req)
{
	const struct sip_msg *m = req->msg;
	unsigned have = 0;
	size_t i;

	if (known(ag, req))
		have |= ANS_KNOWN;
	if (substate_terminated(m))
		have |= ANS_TERMINATED;
	if (pl_isset(&m->to.tag))
		have |= ANS_TOTAG;

	for (i = 0; i < ARRAY_SIZE(answers); i++) {
		const struct answer *a = &answers[i];

		if (a->method && pl_strcmp(&m->met, a->method))
			continue;
		if ((have & a->need) == a->need)
			return a;
	}

	return &answers[ARRAY_SIZE(answers) - 1];
}


static int send_msgb(struct agent *ag, struct agent_teardown *td,
		     struct role *to, struct msgb *b, struct msgrec *reply_to)
{
	struct mbuf *mb = NULL;
	int err;

	err = msgb_encode(&mb, b);
	if (!err)
		err = td->sendh(ag, to, mb, reply_to, td->arg);
	mem_deref(mb);

	return err;
}


static int respond(struct agent *ag, struct agent_teardown *td,
		   struct msgrec *req, uint16_t scode, const char *reason)
{
	struct msgb *b = NULL;
	int err;

	if (!req->ltag && !pl_isset(&req->msg->to.tag)) {
		err = build_token(&req->ltag);
		if (err)
			return err;
	}

	err = build_response(&b, req->msg, scode, reason, req->ltag);
	if (!err)
		err = send_msgb(ag, td, req->from, b, req);
	mem_deref(b);

	return err;
}


/**
 * Answer req, a request ag received that has no final response yet: a
 * CANCEL with 200 and its INVITE with 487 (RFC 3261 §9.2), or 481 when
 * there is no such INVITE; anything else as the answers table says.
 */
int teardown_answer(struct agent *ag, struct agent_teardown *td,
		    struct msgrec *req)
{
	const struct answer *a;
	struct msgrec *inv;
	int err;

	if (!req->msg || !req->msg->req || req->answered >= 200 ||
	    !pl_strcmp(&req->msg->met, "ACK"))
		return 0;

	if (!pl_strcmp(&req->msg->met, "CANCEL")) {
		inv = track_cancelled(&ag->led, req);
		if (!inv || inv->answered >= 200)
			return respond(ag, td, req, 481,
				       "Call/Transaction Does Not Exist");

		if (!inv->ltag && build_token(&inv->ltag))
			return ENOMEM;
		if (!req->ltag && str_dup(&req->ltag, inv->ltag))
			return ENOMEM;
		err = respond(ag, td, req, 200, "OK");
		if (!err)
			err = respond(ag, td, inv, 487, "Request Terminated");
		return err;
	}

	a = answer_for(ag, req);
	return respond(ag, td, req, a->scode, a->reason);
}


/* requests from a device (or any that came during the teardown) still
 * without a final response */
static void answer_open(struct agent *ag, struct agent_teardown *td)
{
	struct le *le;

	for (le = ag->led.rx.head; le; le = le->next) {
		struct msgrec *r = le->data;

		if (r->retrans || !(peer_is_device(r->from) || r->teardown))
			continue;
		(void)teardown_answer(ag, td, r);
	}
}


/* a message of inv's transaction ag received: a provisional response */
static bool provisional_came(const struct agent *ag,
			     const struct msgrec *inv)
{
	struct le *le;

	for (le = ag->led.rx.head; le; le = le->next) {
		const struct msgrec *r = le->data;

		if (r->msg && !r->msg->req && r->msg->scode < 200 &&
		    track_same_txn(inv->msg, r->msg))
			return true;
	}

	return false;
}


/* ag sent a request of this method on inv's Call-ID and CSeq number
 * (its CANCEL, the ACK of its 2xx) */
static bool sent_for(const struct agent *ag, const struct msgrec *inv,
		     const char *method)
{
	struct le *le;

	for (le = ag->led.tx.head; le; le = le->next) {
		const struct msgrec *r = le->data;

		if (r->msg && r->msg->req && !r->copy_of &&
		    !pl_strcmp(&r->msg->met, method) &&
		    !pl_cmp(&r->msg->callid, &inv->msg->callid) &&
		    r->msg->cseq.num == inv->msg->cseq.num)
			return true;
	}

	return false;
}


static int own_request(struct agent *ag, struct agent_teardown *td,
		       struct msgrec *inv, bool cancel)
{
	struct msgb *b = NULL;
	int err;

	if (cancel)
		err = build_cancel(&b, inv->msg);
	else
		err = build_ack_non2xx(&b, inv->msg, inv->final_rec->msg);
	if (!err)
		err = send_msgb(ag, td, inv->to, b, NULL);
	mem_deref(b);
	if (!err && !cancel)
		inv->acked = true;

	return err;
}


/* the ACK of a 2xx, in its dialog (RFC 3261 §13.2.2.4) */
static int ack_2xx(struct agent *ag, struct agent_teardown *td,
		   struct msgrec *inv)
{
	struct dialog *d = dialog_match(&ag->led.dialogs, inv->final_rec->msg,
					false);
	struct msgb *b = NULL;
	int err;

	if (!d)
		return ENOENT;

	err = ua_dialog_msgb(&b, ag, d, "ACK", inv);
	if (!err)
		err = send_msgb(ag, td, inv->to, b, NULL);
	mem_deref(b);

	return err;
}


/* INVITEs ag sent to a device: CANCEL the pending ones, ACK the answered
 * ones; ua: the 2xx too (a proxy passes a 2xx on, it never ACKs one) */
static void close_invites(struct agent *ag, struct agent_teardown *td,
			  bool ua)
{
	struct le *le;

	for (le = ag->led.tx.head; le; le = le->next) {
		struct msgrec *inv = le->data;

		if (!inv->msg || !inv->msg->req || inv->copy_of ||
		    !peer_is_device(inv->to) ||
		    pl_strcmp(&inv->msg->met, "INVITE"))
			continue;

		if (!inv->final) {
			if (provisional_came(ag, inv) &&
			    !sent_for(ag, inv, "CANCEL"))
				(void)own_request(ag, td, inv, true);
		}
		else if (inv->final >= 300) {
			if (!inv->acked)
				(void)own_request(ag, td, inv, false);
		}
		else if (ua && !sent_for(ag, inv, "ACK")) {
			(void)ack_2xx(ag, td, inv);
		}
	}
}


/* the Event header of req, to repeat in what ends its subscription */
static int add_event(struct msgb *b, const struct msgrec *req)
{
	const struct pl *ev = hdr_first(req->msg, "Event");

	if (!pl_strcmp(&req->msg->met, "REFER"))
		return msgb_add(b, "Event", "refer");

	return ev ? msgb_add(b, "Event", "%r", ev) : 0;
}


/* ag sent a request of method in req's dialog whose header name
 * starts with val: a NOTIFY terminated, a SUBSCRIBE Expires 0 */
static bool sent_in_call(const struct agent *ag, const struct msgrec *req,
			 const char *method, const char *name,
			 const char *val)
{
	struct le *le;

	for (le = ag->led.tx.head; le; le = le->next) {
		const struct msgrec *r = le->data;
		const struct pl *v;

		if (!r->msg || !r->msg->req || r->copy_of ||
		    pl_strcmp(&r->msg->met, method) ||
		    pl_cmp(&r->msg->callid, &req->msg->callid))
			continue;
		v = hdr_first(r->msg, name);
		if (v && v->l >= strlen(val) &&
		    !strncasecmp(v->p, val, strlen(val)))
			return true;
	}

	return false;
}


/* the subscription req (a REFER or SUBSCRIBE a device sent, accepted)
 * ends: NOTIFY, terminated (RFC 6665 §4.2.2; a REFER's with a sipfrag
 * body, RFC 3515 §2.4.5: the referenced request was never made) */
static void end_notifier(struct agent *ag, struct agent_teardown *td,
			 struct msgrec *req)
{
	bool refer = !pl_strcmp(&req->msg->met, "REFER");
	static const char frag[] = "SIP/2.0 503 Service Unavailable\r\n";
	struct dialog *d = dialog_match(&ag->led.dialogs, req->msg, true);
	struct msgb *b = NULL;
	int err;

	if (!d || sent_in_call(ag, req, "NOTIFY", "Subscription-State",
			       "terminated"))
		return;

	err = ua_dialog_msgb(&b, ag, d, "NOTIFY", NULL);
	err |= add_event(b, req);
	err |= msgb_add(b, "Subscription-State",
			"terminated;reason=noresource");
	if (!err && refer)
		err = msgb_body(b, "message/sipfrag", (const uint8_t *)frag,
				sizeof(frag) - 1);
	if (!err)
		(void)send_msgb(ag, td, req->from, b, NULL);
	mem_deref(b);
}


/* the subscription ag made with a SUBSCRIBE that was accepted: Expires:
 * 0 (RFC 6665 §4.1.2.3) */
static void end_subscriber(struct agent *ag, struct agent_teardown *td,
			   struct msgrec *sub)
{
	struct dialog *d;
	struct msgb *b = NULL;
	int err;

	if (!sub->final_rec || sent_in_call(ag, sub, "SUBSCRIBE", "Expires",
					    "0"))
		return;
	d = dialog_match(&ag->led.dialogs, sub->final_rec->msg, false);
	if (!d)
		return;

	err = ua_dialog_msgb(&b, ag, d, "SUBSCRIBE", NULL);
	err |= add_event(b, sub);
	err |= msgb_add(b, "Expires", "0");
	if (!err)
		(void)send_msgb(ag, td, sub->to, b, NULL);
	mem_deref(b);
}


static void end_subscriptions(struct agent *ag, struct agent_teardown *td)
{
	struct le *le;

	for (le = ag->led.rx.head; le; le = le->next) {
		struct msgrec *r = le->data;

		if (r->msg && r->msg->req && !r->retrans &&
		    peer_is_device(r->from) && r->answered >= 200 &&
		    r->answered < 300 &&
		    (!pl_strcmp(&r->msg->met, "REFER") ||
		     !pl_strcmp(&r->msg->met, "SUBSCRIBE")))
			end_notifier(ag, td, r);
	}

	for (le = ag->led.tx.head; le; le = le->next) {
		struct msgrec *r = le->data;

		if (r->msg && r->msg->req && !r->copy_of &&
		    peer_is_device(r->to) && r->final >= 200 &&
		    r->final < 300 && !pl_strcmp(&r->msg->met, "SUBSCRIBE"))
			end_subscriber(ag, td, r);
	}
}


/* an INVITE of d's Call-ID that got (or was answered with) a 2xx: d is
 * a call, not only a subscription */
static bool is_call(const struct agent *ag, const struct dialog *d)
{
	const struct list *lists[2] = {&ag->led.tx, &ag->led.rx};
	struct le *le;
	unsigned i;

	for (i = 0; i < 2; i++) {
		for (le = lists[i]->head; le; le = le->next) {
			const struct msgrec *r = le->data;
			uint16_t sc = i ? r->answered : r->final;

			if (r->msg && r->msg->req &&
			    !pl_strcmp(&r->msg->met, "INVITE") &&
			    !pl_strcmp(&r->msg->callid, d->callid) &&
			    sc >= 200 && sc < 300)
				return true;
		}
	}

	return false;
}


/* BYE in every confirmed call with a device (RFC 3261 §15.1.1) */
static void bye_calls(struct agent *ag, struct agent_teardown *td)
{
	struct le *le;

	for (le = ag->led.dialogs.head; le; le = le->next) {
		struct dialog *d = le->data;
		struct msgb *b = NULL;

		if (d->terminated || !d->confirmed ||
		    !peer_is_device(d->peer) || !is_call(ag, d))
			continue;

		if (!ua_dialog_msgb(&b, ag, d, "BYE", NULL))
			(void)send_msgb(ag, td, d->peer, b, NULL);
		mem_deref(b);
		d->terminated = true;
	}
}


/** A scripted user agent's teardown: answer, CANCEL or ACK, end the
 *  subscriptions, then the calls */
void ua_teardown(struct agent *ag, struct agent_teardown *td)
{
	answer_open(ag, td);
	close_invites(ag, td, true);
	end_subscriptions(ag, td);
	bye_calls(ag, td);
}


/** A scripted proxy's teardown: answer what it still holds, CANCEL or
 *  ACK its own INVITEs; the calls it carried are its UAs' to end */
void proxy_teardown(struct agent *ag, struct agent_teardown *td)
{
	answer_open(ag, td);
	close_invites(ag, td, false);
}
