/* engine/check/match.c — does a received message fulfil an expected step?
 *
 * First the kind: sender, receiver, method or status. Then association:
 * a response must answer a request its receiver sent (§17.1.3); an ACK
 * for a non-2xx final response must reuse the INVITE's branch
 * (§17.1.1.3); a request a proxy forwards keeps the Call-ID and CSeq of
 * the one it received (§16.6). Last, the step's expect: assertions and
 * the digest credentials a challenge asked for (engine/check/authcheck.c).
 */
#include <string.h>
#include <re.h>
#include "scenario.h"
#include "msgrec.h"
#include "msgtext.h"
#include "ledger.h"
#include "track.h"
#include "expect.h"
#include "authcheck.h"
#include "match.h"


/** Same sender, receiver and method/status (one the step accepts) */
bool match_kind(const struct step *st, const struct msgrec *r)
{
	if (st->type != STEP_MSG || !r->msg)
		return false;
	if (r->from != st->from || r->to != st->to)
		return false;
	if (st->req)
		return r->msg->req && !pl_strcmp(&r->msg->met, st->method);

	return !r->msg->req && step_accepts(st, r->msg->scode);
}


/**
 * r is a response of st's kind that answers another request than the one
 * st answers (so it may well be a later step's); *reqp gets that request
 */
bool match_answers_other(const struct step *st, const struct msgrec *r,
			 const struct list *ledgers,
			 struct msgrec *const *steprec, struct msgrec **reqp)
{
	struct ledger *rcv;
	struct msgrec *req;

	if (!st->assoc || !match_kind(st, r) || r->msg->req)
		return false;

	rcv = ledger_find(ledgers, st->to);
	req = rcv ? track_client_txn(rcv, r) : NULL;
	if (reqp)
		*reqp = req;

	return req && req != steprec[st->assoc->idx];
}


static int step_name(struct re_printf *pf, const struct msgrec *r)
{
	if (r && r->step)
		return re_hprintf(pf, " (%s)", r->step->id);
	return 0;
}


/* a raw: request that did not decode has no transaction to match: its
 * answer is the response with its Call-ID (RFC 4475 §3.1.2.10 sends one) */
static bool raw_answer(const struct step *st, const struct msgrec *r,
		       struct msgrec *const *steprec)
{
	const struct msgrec *req = st->assoc ? steprec[st->assoc->idx] : NULL;
	struct pl cid;

	if (!req || req->msg || !st->assoc->raw)
		return false;
	cid = msgtext_callid(req->mb);

	return !pl_cmp(&cid, &r->msg->callid);
}


static enum match_res response(const struct step *st, struct msgrec *r,
			       const struct list *ledgers,
			       struct msgrec *const *steprec, char **why)
{
	struct ledger *rcv = ledger_find(ledgers, st->to);
	struct msgrec *req = rcv ? track_client_txn(rcv, r) : NULL;
	struct msgrec *want;

	if (!req && raw_answer(st, r, steprec))
		return MATCH_YES;
	if (!req) {
		(void)re_sdprintf(why, "%u %r does not answer any request %s "
				  "sent (Via branch %r, CSeq %u %r; "
				  "RFC 3261 §17.1.3)", r->msg->scode,
				  &r->msg->reason, st->to->name,
				  &r->msg->via.branch, r->msg->cseq.num,
				  &r->msg->cseq.met);
		return MATCH_BAD;
	}

	if (!st->assoc)
		return MATCH_YES;   /* raw: steps name no request */

	/* §17.1.3: the response belongs to one client transaction, the
	 * one of the request step it answers (engine/load/assoc.c) */
	want = steprec[st->assoc->idx];
	if (want != req) {
		(void)re_sdprintf(why, "got %u %r to %r%s%s (CSeq %u %r, "
				  "frame %u); %s waits for the answer to %s "
				  "%s%s", r->msg->scode, &r->msg->reason,
				  &req->msg->met, req->step ? " " : "",
				  req->step ? req->step->id : "",
				  r->msg->cseq.num, &r->msg->cseq.met,
				  r->frame, st->id, st->assoc->method,
				  st->assoc->id,
				  want ? "" : ", which was not played");
		return MATCH_BAD;
	}

	return MATCH_YES;
}


/* the request a proxy received that this one forwards */
static struct msgrec *antecedent(const struct step *st, struct msgrec *r,
				 const struct list *ledgers,
				 struct msgrec *const *steprec)
{
	struct ledger *snd;
	struct le *le;

	if (r->fwd_of)
		return r->fwd_of;
	if (st->forwards)
		return steprec[st->forwards->idx];

	snd = ledger_find(ledgers, st->from);
	for (le = snd ? snd->rx.head : NULL; le; le = le->next) {
		struct msgrec *o = le->data;

		if (!track_forwardable(snd, o))
			continue;
		if (!pl_cmp(&o->msg->met, &r->msg->met) &&
		    !pl_cmp(&o->msg->callid, &r->msg->callid))
			return o;
	}

	/* none with the same Call-ID: the oldest of that method, so the
	 * verdict can say which Call-ID it should have had */
	for (le = snd ? snd->rx.head : NULL; le; le = le->next) {
		struct msgrec *o = le->data;

		if (o->msg && o->msg->req && !o->retrans && !o->forwarded &&
		    !pl_cmp(&o->msg->met, &r->msg->met) &&
		    !track_ack_hop(snd, o))
			return o;
	}

	return NULL;
}


static enum match_res request(const struct step *st, struct msgrec *r,
			      const struct list *ledgers,
			      struct msgrec *const *steprec,
			      struct msgrec **antp, char **why)
{
	struct ledger *rcv = ledger_find(ledgers, st->to);
	struct msgrec *inv, *ant;

	inv = rcv ? track_acked_invite(rcv, r) : NULL;
	if (inv && inv->answered >= 300) {
		if (pl_cmp(&inv->msg->via.branch, &r->msg->via.branch)) {
			(void)re_sdprintf(why, "ACK for %u must reuse the "
					  "INVITE's branch %r%H, got %r "
					  "(RFC 3261 §17.1.1.3)",
					  inv->answered,
					  &inv->msg->via.branch, step_name,
					  inv, &r->msg->via.branch);
			return MATCH_BAD;
		}
		return MATCH_YES;
	}

	if (st->from->kind != ROLE_PROXY)
		return MATCH_YES;

	/* §16.10: a proxy's CANCEL is its own, hop by hop, not a forward
	 * (CANCEL-MIRRORS-INVITE checks it against the INVITE it sent) */
	if (!pl_strcmp(&r->msg->met, "CANCEL") && !st->forwards)
		return MATCH_YES;

	ant = antecedent(st, r, ledgers, steprec);
	if (!ant)
		return MATCH_YES; /* the proxy originated it */

	if (pl_cmp(&ant->msg->callid, &r->msg->callid)) {
		(void)re_sdprintf(why, "forwarded %r has Call-ID %r, but the "
				  "%r it forwards%H has %r (RFC 3261 §16.6)",
				  &r->msg->met, &r->msg->callid,
				  &ant->msg->met, step_name, ant,
				  &ant->msg->callid);
		return MATCH_BAD;
	}
	if (ant->msg->cseq.num != r->msg->cseq.num) {
		(void)re_sdprintf(why, "forwarded %r has CSeq %u, but the %r "
				  "it forwards%H has %u (RFC 3261 §16.6)",
				  &r->msg->met, r->msg->cseq.num,
				  &ant->msg->met, step_name, ant,
				  ant->msg->cseq.num);
		return MATCH_BAD;
	}

	*antp = ant;
	return MATCH_YES;
}


/**
 * Match r against an expected step. steprec holds, per step index, the
 * record each finished step matched. *antp receives the request a proxy
 * forwarded (to be marked as passed on), *why the reason for MATCH_BAD.
 */
enum match_res match_step(const struct step *st,
			  const struct scenario *sc, struct msgrec *r,
			  const struct list *ledgers,
			  struct msgrec *const *steprec,
			  struct msgrec **antp, char **why)
{
	enum match_res res;

	*antp = NULL;
	if (!match_kind(st, r))
		return MATCH_NO;

	if (r->msg->req)
		res = request(st, r, ledgers, steprec, antp, why);
	else
		res = response(st, r, ledgers, steprec, why);

	if (res != MATCH_YES)
		return res;

	if (expect_check(&st->expects, r, sc, steprec, why) ||
	    expect_crypto_check(&st->expect_crypto, r, why))
		return MATCH_BAD;

	if (auth_check(st, r, ledgers, why))
		return MATCH_BAD;

	return MATCH_YES;
}
