/* tests/unit/test_track.c — transactions and dialogs as a role's ledger
 * sees them (engine/sip/track.c), against RFC 3261 §17: a response to its
 * client transaction by branch and CSeq method, retransmissions, the ACK
 * of a non-2xx final, CANCEL and its INVITE, a proxy without dialogs */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "dialog.h"
#include "ledger.h"
#include "track.h"


/* A and B are user agents, C another one, P a proxy; A, B and P have
 * ledgers */
static struct role ra = {.name = "A"}, rb = {.name = "B"};
static struct role rc = {.name = "C"};
static struct role rp = {.name = "P", .kind = ROLE_PROXY};
static struct fx_run fr;
static struct ledger *la, *lb, *lp;


static void setup(void)
{
	struct role *roles[] = {&ra, &rb, &rp};

	fx_run_init(&fr, roles, ARRAY_SIZE(roles));
	la = fx_led(&fr, &ra);
	lb = fx_led(&fr, &rb);
	lp = fx_led(&fr, &rp);
}


static void teardown(void)
{
	fx_run_end(&fr);
}


/* a request of Call-ID callid, top Via branch z9hG4bK<branch>, CSeq
 * cseq method, To tag totag ("" for none) */
static struct msgrec *req_in(const char *callid, const char *method,
			     const char *branch, unsigned cseq,
			     const char *totag, struct role *from,
			     struct role *to)
{
	struct fx_sip s = {.method = method, .branch = branch, .cseq = cseq,
			   .callid = callid, .totag = *totag ? totag : NULL};

	return fx_run_msg(&fr, &s, from, to);
}


static struct msgrec *req(const char *method, const char *branch,
			  unsigned cseq, struct role *from, struct role *to)
{
	return req_in("trk-1", method, branch, cseq, "", from, to);
}


/* a response of Call-ID callid: status code, branch, CSeq cseq met, To
 * tag totag */
static struct msgrec *resp_in(const char *callid, unsigned code,
			      const char *branch, unsigned cseq,
			      const char *met, const char *totag,
			      struct role *from, struct role *to)
{
	struct fx_sip s = {.code = code, .branch = branch, .cseq = cseq,
			   .met = met, .callid = callid,
			   .totag = *totag ? totag : NULL};

	return fx_run_msg(&fr, &s, from, to);
}


static struct msgrec *resp(unsigned code, const char *branch, unsigned cseq,
			   const char *met, const char *totag,
			   struct role *from, struct role *to)
{
	return resp_in("trk-1", code, branch, cseq, met, totag, from, to);
}


/* the receiver's side of r arriving, as the run does it */
static struct msgrec *arrives(struct ledger *led, struct msgrec *r)
{
	r->retrans = track_is_retrans(led, r);
	track_received(led, r);
	return r;
}


/* §17.1.3: a response matches the client transaction whose request had
 * its top Via branch and its CSeq method; the CANCEL's 200 is the
 * CANCEL's, though it shares the INVITE's branch (§9.1) */
static void test_response_to_its_client_transaction(void)
{
	struct msgrec *inv, *can, *opt;

	setup();
	inv = req("INVITE", "inv", 1, &ra, &rb);
	can = req("CANCEL", "inv", 1, &ra, &rb);
	opt = req("OPTIONS", "opt", 2, &ra, &rb);
	track_sent(la, inv);
	track_sent(la, can);
	track_sent(la, opt);

	CU_ASSERT_PTR_EQUAL(track_client_txn(la,
		resp(487, "inv", 1, "INVITE", "tb", &rb, &ra)), inv);
	CU_ASSERT_PTR_EQUAL(track_client_txn(la,
		resp(200, "inv", 1, "CANCEL", "tb", &rb, &ra)), can);
	CU_ASSERT_PTR_EQUAL(track_client_txn(la,
		resp(200, "opt", 2, "OPTIONS", "tb", &rb, &ra)), opt);

	/* another branch, or the same branch with another method: no
	 * transaction of A's */
	CU_ASSERT_PTR_NULL(track_client_txn(la,
		resp(200, "other", 1, "INVITE", "tb", &rb, &ra)));
	CU_ASSERT_PTR_NULL(track_client_txn(la,
		resp(200, "opt", 2, "INFO", "tb", &rb, &ra)));
	CU_ASSERT_PTR_NULL(track_client_txn(la,
		resp(200, "inv", 1, "OPTIONS", "tb", &rb, &ra)));
	CU_ASSERT_FALSE(track_same_txn(inv->msg,
		resp(200, "inv", 2, "INVITE", "tb", &rb, &ra)->msg));
	teardown();
}


/* §17.1.1.2: the first final response completes the client transaction;
 * provisionals do not, nor does a later final (a retransmission or a
 * forked 2xx) replace it */
static void test_first_final_completes(void)
{
	struct msgrec *inv, *busy;

	setup();
	inv = req("INVITE", "inv", 1, &ra, &rb);
	track_sent(la, inv);

	arrives(la, resp(100, "inv", 1, "INVITE", "", &rb, &ra));
	arrives(la, resp(180, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->final, 0);
	CU_ASSERT_PTR_NULL(inv->final_rec);

	busy = arrives(la, resp(486, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->final, 486);
	CU_ASSERT_PTR_EQUAL(inv->final_rec, busy);

	arrives(la, resp(486, "inv", 1, "INVITE", "tb", &rb, &ra));
	arrives(la, resp(200, "inv", 1, "INVITE", "tc", &rb, &ra));
	CU_ASSERT_EQUAL(inv->final, 486);
	CU_ASSERT_PTR_EQUAL(inv->final_rec, busy);

	/* another transaction's final leaves it alone */
	arrives(la, resp(603, "zzz", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->final, 486);
	teardown();
}


/* a retransmitted copy of a request stands for nothing: the response
 * answers the original, whether the copy is A's own (copy_of) or one
 * its receiver absorbed (retrans) */
static void test_copies_are_not_transactions(void)
{
	struct msgrec *inv, *copy, *echo;

	setup();
	inv = req("INVITE", "inv", 1, &ra, &rb);
	copy = req("INVITE", "inv", 1, &ra, &rb);
	echo = req("INVITE", "inv", 1, &ra, &rb);
	copy->copy_of = inv;
	echo->retrans = true;
	track_sent(la, inv);
	track_sent(la, copy);
	CU_ASSERT_PTR_EQUAL(track_last_sent(la, &rb, "INVITE"), inv);
	track_sent(la, echo);

	CU_ASSERT_PTR_EQUAL(track_client_txn(la,
		resp(180, "inv", 1, "INVITE", "tb", &rb, &ra)), inv);
	teardown();
}


/* §17.2.3: a request with the branch, sent-by and method of one already
 * received is its retransmission; the ACK of a non-2xx shares the
 * INVITE's branch but is not one (its method differs), nor is a new
 * transaction's request, nor the same bytes from another sender */
static void test_request_retransmission_recognised(void)
{
	struct msgrec *inv, *again;

	setup();
	inv = arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	CU_ASSERT_FALSE(inv->retrans);

	again = arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	CU_ASSERT_TRUE(again->retrans);
	CU_ASSERT_PTR_EQUAL(track_original(lb, again), inv);

	CU_ASSERT_FALSE(track_is_retrans(lb,
		req("ACK", "inv", 1, &ra, &rb)));
	CU_ASSERT_FALSE(track_is_retrans(lb,
		req("INVITE", "inv2", 2, &ra, &rb)));
	CU_ASSERT_FALSE(track_is_retrans(lb,
		req("INVITE", "inv", 1, &rc, &rb)));

	/* the server transaction is the original's, not the copy's */
	CU_ASSERT_PTR_EQUAL(track_server_txn(lb,
		resp(180, "inv", 1, "INVITE", "tb", &rb, &ra)), inv);
	teardown();
}


/* a response repeated (§17.1.1.2: a 2xx the UAS retransmits, §13.3.1.4)
 * is recognised; one with another To tag is another dialog's (a forked
 * 2xx, §13.2.2.4), one with another status another response */
static void test_response_retransmission_recognised(void)
{
	struct msgrec *ok;

	setup();
	track_sent(la, req("INVITE", "inv", 1, &ra, &rb));
	arrives(la, resp(183, "inv", 1, "INVITE", "tb", &rb, &ra));
	ok = arrives(la, resp(200, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_FALSE(ok->retrans);

	CU_ASSERT_PTR_EQUAL(track_original(la,
		resp(200, "inv", 1, "INVITE", "tb", &rb, &ra)), ok);
	CU_ASSERT_FALSE(track_is_retrans(la,
		resp(200, "inv", 1, "INVITE", "tc", &rb, &ra)));
	CU_ASSERT_FALSE(track_is_retrans(la,
		resp(180, "inv", 1, "INVITE", "tb", &rb, &ra)));
	teardown();
}


/* §17.1.1.3: the ACK of a non-2xx final is part of the INVITE's
 * transaction and ends at the hop that answered; the ACK of a 2xx is
 * end to end, a transaction of its own (§13.2.2.4, §17.1.1.1) */
static void test_ack_of_non2xx_is_hop_by_hop(void)
{
	struct msgrec *inv, *inv2, *ack, *ack2;

	setup();
	inv = arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	track_sent(lb, resp(486, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->answered, 486);

	ack = arrives(lb, req("ACK", "inv", 1, &ra, &rb));
	CU_ASSERT_PTR_EQUAL(track_acked_invite(lb, ack), inv);
	CU_ASSERT_TRUE(track_ack_hop(lb, ack));

	inv2 = arrives(lb, req_in("trk-2", "INVITE", "i2", 1, "", &ra,
				   &rb));
	track_sent(lb, resp_in("trk-2", 200, "i2", 1, "INVITE", "tb", &rb,
				&ra));
	CU_ASSERT_EQUAL(inv2->answered, 200);
	ack2 = arrives(lb, req_in("trk-2", "ACK", "a2", 1, "tb", &ra, &rb));
	CU_ASSERT_PTR_EQUAL(track_acked_invite(lb, ack2), inv2);
	CU_ASSERT_FALSE(track_ack_hop(lb, ack2));

	/* an ACK of no INVITE B received; not an ACK at all */
	CU_ASSERT_PTR_NULL(track_acked_invite(lb,
		req_in("trk-3", "ACK", "inv", 1, "tb", &ra, &rb)));
	CU_ASSERT_PTR_NULL(track_acked_invite(lb,
		req("ACK", "inv", 7, &ra, &rb)));
	CU_ASSERT_PTR_NULL(track_acked_invite(lb, inv));
	teardown();
}


/* a proxy passes on a request once: not the one it refused itself (its
 * 407), not the ACK of that refusal (its server transaction absorbs it,
 * §17.2.1), not a retransmission (§16.6 works on one request); the ACK
 * of a 2xx it relayed is passed on, end to end (§13.2.2.4) */
static void test_proxy_forwards_once(void)
{
	struct msgrec *inv, *ack, *inv2, *again, *ok, *ack2;

	setup();
	inv = arrives(lp, req("INVITE", "inv", 1, &ra, &rp));
	CU_ASSERT_TRUE(track_forwardable(lp, inv));
	track_sent(lp, resp(407, "inv", 1, "INVITE", "tp", &rp, &ra));
	CU_ASSERT_FALSE(track_forwardable(lp, inv));
	ack = arrives(lp, req("ACK", "inv", 1, &ra, &rp));
	CU_ASSERT_TRUE(track_ack_hop(lp, ack));
	CU_ASSERT_FALSE(track_forwardable(lp, ack));

	inv2 = arrives(lp, req("INVITE", "inv2", 2, &ra, &rp));
	CU_ASSERT_TRUE(track_forwardable(lp, inv2));
	again = arrives(lp, req("INVITE", "inv2", 2, &ra, &rp));
	CU_ASSERT_FALSE(track_forwardable(lp, again));
	inv2->forwarded = true;
	CU_ASSERT_FALSE(track_forwardable(lp, inv2));

	ok = resp(200, "inv2", 2, "INVITE", "tb", &rp, &ra);
	track_sent(lp, ok);
	ack2 = arrives(lp, req_in("trk-1", "ACK", "a2", 2, "tb", &ra, &rp));
	CU_ASSERT_FALSE(track_ack_hop(lp, ack2));
	CU_ASSERT_TRUE(track_forwardable(lp, ack2));
	teardown();
}


/* §9.2: a CANCEL cancels the INVITE of its branch and CSeq number */
static void test_cancel_matches_its_invite(void)
{
	struct msgrec *inv;

	setup();
	inv = arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	arrives(lb, req("OPTIONS", "opt", 1, &ra, &rb));

	CU_ASSERT_PTR_EQUAL(track_cancelled(lb,
		req("CANCEL", "inv", 1, &ra, &rb)), inv);
	CU_ASSERT_PTR_NULL(track_cancelled(lb,
		req("CANCEL", "other", 1, &ra, &rb)));
	CU_ASSERT_PTR_NULL(track_cancelled(lb,
		req("CANCEL", "inv", 2, &ra, &rb)));
	CU_ASSERT_PTR_NULL(track_cancelled(lb,
		req("CANCEL", "opt", 1, &ra, &rb)));

	/* the CANCEL's own 200 answers the CANCEL, not the INVITE (§9.2) */
	track_received(lb, req("CANCEL", "inv", 1, &ra, &rb));
	track_sent(lb, resp(200, "inv", 1, "CANCEL", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->answered, 0);
	track_sent(lb, resp(487, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(inv->answered, 487);
	teardown();
}


/* a user agent's dialogs (§12.1.2): an early one from a 1xx with a To
 * tag, confirmed by the 2xx; a forked 2xx makes a second (§13.2.2.4) */
static void test_ua_dialogs(void)
{
	struct dialog *d;

	setup();
	track_sent(la, req("INVITE", "inv", 1, &ra, &rb));
	arrives(la, resp(100, "inv", 1, "INVITE", "", &rb, &ra));
	CU_ASSERT_EQUAL(list_count(&la->dialogs), 0);
	arrives(la, resp(180, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL_FATAL(list_count(&la->dialogs), 1);
	d = la->dialogs.head->data;
	CU_ASSERT_FALSE(d->confirmed);
	arrives(la, resp(200, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL(list_count(&la->dialogs), 1);
	CU_ASSERT_TRUE(d->confirmed);
	arrives(la, resp(200, "inv", 1, "INVITE", "tc", &rb, &ra));
	CU_ASSERT_EQUAL(list_count(&la->dialogs), 2);

	/* an OPTIONS' 200 makes none (§12.1: INVITE, SUBSCRIBE, REFER) */
	track_sent(la, req("OPTIONS", "opt", 2, &ra, &rb));
	arrives(la, resp(200, "opt", 2, "OPTIONS", "tx", &rb, &ra));
	CU_ASSERT_EQUAL(list_count(&la->dialogs), 2);
	teardown();
}


/* BYE from the peer ends the dialog it names (§15.1.2) */
static void test_bye_ends_dialog(void)
{
	struct dialog *d;

	setup();
	arrives(lb, req("INVITE", "inv", 1, &ra, &rb));
	track_sent(lb, resp(200, "inv", 1, "INVITE", "tb", &rb, &ra));
	CU_ASSERT_EQUAL_FATAL(list_count(&lb->dialogs), 1);
	d = lb->dialogs.head->data;
	CU_ASSERT_TRUE(d->confirmed);
	CU_ASSERT_FALSE(d->terminated);

	arrives(lb, req_in("trk-1", "BYE", "bye", 2, "tb", &ra, &rb));
	CU_ASSERT_TRUE(d->terminated);
	teardown();
}


/* a proxy is no party to a dialog (§16: it keeps transactions only):
 * relaying 1xx and 2xx with To tags, or getting them for what it
 * forwarded, leaves it none */
static void test_proxy_keeps_no_dialog(void)
{
	struct msgrec *inv;

	setup();
	inv = arrives(lp, req("INVITE", "inv", 1, &ra, &rp));
	track_sent(lp, req("INVITE", "fwd", 1, &rp, &rb));
	arrives(lp, resp(180, "fwd", 1, "INVITE", "tb", &rb, &rp));
	arrives(lp, resp(200, "fwd", 1, "INVITE", "tb", &rb, &rp));
	track_sent(lp, resp(180, "inv", 1, "INVITE", "tb", &rp, &ra));
	track_sent(lp, resp(200, "inv", 1, "INVITE", "tb", &rp, &ra));
	arrives(lp, req_in("trk-1", "BYE", "bye", 2, "tb", &ra, &rp));

	CU_ASSERT_EQUAL(inv->answered, 200);
	CU_ASSERT_EQUAL(list_count(&lp->dialogs), 0);
	teardown();
}


/* the newest request of a method the role sent to a peer */
static void test_last_sent(void)
{
	struct msgrec *second;

	setup();
	track_sent(la, req("INVITE", "i1", 1, &ra, &rb));
	second = req("INVITE", "i2", 2, &ra, &rb);
	track_sent(la, second);
	track_sent(la, req("INVITE", "i3", 1, &ra, &rc));
	track_sent(la, req("OPTIONS", "o1", 3, &ra, &rb));
	track_sent(la, resp(200, "x", 1, "INVITE", "ta", &ra, &rb));

	CU_ASSERT_PTR_EQUAL(track_last_sent(la, &rb, "INVITE"), second);
	CU_ASSERT_PTR_NULL(track_last_sent(la, &rb, "BYE"));
	CU_ASSERT_PTR_NULL(track_last_sent(la, &rp, "INVITE"));
	teardown();
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"response_to_its_client_transaction",
		 test_response_to_its_client_transaction},
		{"first_final_completes", test_first_final_completes},
		{"copies_are_not_transactions",
		 test_copies_are_not_transactions},
		{"request_retransmission_recognised",
		 test_request_retransmission_recognised},
		{"response_retransmission_recognised",
		 test_response_retransmission_recognised},
		{"ack_of_non2xx_is_hop_by_hop",
		 test_ack_of_non2xx_is_hop_by_hop},
		{"proxy_forwards_once", test_proxy_forwards_once},
		{"cancel_matches_its_invite", test_cancel_matches_its_invite},
		{"ua_dialogs", test_ua_dialogs},
		{"bye_ends_dialog", test_bye_ends_dialog},
		{"proxy_keeps_no_dialog", test_proxy_keeps_no_dialog},
		{"last_sent", test_last_sent},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("track", tests);
}
