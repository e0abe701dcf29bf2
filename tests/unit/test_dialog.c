/* tests/unit/test_dialog.c — a scripted user agent's dialogs
 * (engine/sip/dialog.c) against RFC 3261 §12: what a dialog is made of,
 * on each side, and which messages belong to it */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "dialog.h"


/* Alice calls Bob through two proxies that record-route (§12.1.1) */
#define INVITE_HEAD \
	"INVITE sip:bob@b.test SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP p2.test;branch=z9hG4bKp2\r\n" \
	"Via: SIP/2.0/UDP p1.test;branch=z9hG4bKp1\r\n" \
	"Via: SIP/2.0/UDP a.test;branch=z9hG4bKa1\r\n" \
	"Record-Route: <sip:p2.test;lr>\r\n" \
	"Record-Route: <sip:p1.test;lr>\r\n" \
	"From: Alice <sip:alice@a.test>;tag=a1;x=y\r\n" \
	"To: Bob <sip:bob@b.test>\r\n" \
	"Call-ID: call-1@a.test\r\n" \
	"CSeq: 314 INVITE\r\n"

static const char invite[] =
	INVITE_HEAD
	"Contact: <sip:alice@10.0.0.1:5062>\r\n"
	"Content-Length: 0\r\n\r\n";

/* a response to the INVITE as Alice receives it; to_tag "" for none */
static struct msgrec *response(unsigned code, const char *to_tag,
			       const char *contact, const char *rr)
{
	char text[1024];

	re_snprintf(text, sizeof(text),
		    "SIP/2.0 %u %s\r\n"
		    "Via: SIP/2.0/UDP a.test;branch=z9hG4bKa1\r\n"
		    "%s"
		    "From: Alice <sip:alice@a.test>;tag=a1\r\n"
		    "To: Bob <sip:bob@b.test>%s%s\r\n"
		    "Call-ID: call-1@a.test\r\n"
		    "CSeq: 314 INVITE\r\n"
		    "%s%s%s"
		    "Content-Length: 0\r\n\r\n",
		    code, code < 200 ? "Ringing" : "OK", rr,
		    *to_tag ? ";tag=" : "", to_tag,
		    contact ? "Contact: <" : "", contact ? contact : "",
		    contact ? ">\r\n" : "");
	return fx_rec(text);
}

#define RR "Record-Route: <sip:p2.test;lr>\r\n" \
	   "Record-Route: <sip:p1.test;lr>\r\n"


/* a request inside the dialog, as Bob receives it from Alice */
static struct msgrec *in_dialog(const char *callid, const char *from_tag,
				const char *to_tag)
{
	char text[512];

	re_snprintf(text, sizeof(text),
		    "BYE sip:bob@10.0.0.2 SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP a.test;branch=z9hG4bKa9\r\n"
		    "From: <sip:alice@a.test>;tag=%s\r\n"
		    "To: <sip:bob@b.test>%s%s\r\n"
		    "Call-ID: %s\r\n"
		    "CSeq: 315 BYE\r\n"
		    "Content-Length: 0\r\n\r\n",
		    from_tag, *to_tag ? ";tag=" : "", to_tag, callid);
	return fx_rec(text);
}


static void route_is(const struct dialog *d, const char *first,
		     const char *second)
{
	const struct strle *a, *b;

	CU_ASSERT_EQUAL_FATAL(list_count(&d->route), 2);
	a = list_head(&d->route)->data;
	b = list_tail(&d->route)->data;
	CU_ASSERT_STRING_EQUAL(a->str, first);
	CU_ASSERT_STRING_EQUAL(b->str, second);
}


/* §12.1.1: the UAS's dialog — remote tag from From, local tag its own,
 * remote target the Contact, route set the Record-Route in order */
static void test_uas_dialog_from_request(void)
{
	struct msgrec *req = fx_rec(invite);
	struct list dialogs = LIST_INIT;
	struct role peer = {0};
	struct dialog *d = NULL;

	CU_ASSERT_EQUAL_FATAL(dialog_from_request(&d, &dialogs, req, "b1",
						  &peer), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->callid, "call-1@a.test");
	CU_ASSERT_STRING_EQUAL(d->ltag, "b1");
	CU_ASSERT_STRING_EQUAL(d->rtag, "a1");
	/* From/To without the tag; other parameters stay */
	CU_ASSERT_STRING_EQUAL(d->ruri, "Alice <sip:alice@a.test>;x=y");
	CU_ASSERT_STRING_EQUAL(d->luri, "Bob <sip:bob@b.test>");
	CU_ASSERT_STRING_EQUAL(d->rtarget, "sip:alice@10.0.0.1:5062");
	route_is(d, "<sip:p2.test;lr>", "<sip:p1.test;lr>");
	CU_ASSERT_FALSE(d->uac);
	CU_ASSERT_FALSE(d->confirmed);
	CU_ASSERT_PTR_EQUAL(d->peer, &peer);

	/* the INVITE again (a retransmission): the same dialog */
	CU_ASSERT_EQUAL(dialog_from_request(NULL, &dialogs, req, "b1",
					    &peer), 0);
	CU_ASSERT_EQUAL(list_count(&dialogs), 1);

	list_flush(&dialogs);
	mem_deref(req);
}


/* a request without Contact: the target is the From URI (a scripted
 * peer that leaves it out still gets its BYE somewhere) */
static void test_uas_target_without_contact(void)
{
	struct msgrec *req = fx_rec(INVITE_HEAD "Content-Length: 0\r\n\r\n");
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL;

	CU_ASSERT_EQUAL_FATAL(dialog_from_request(&d, &dialogs, req, "b1",
						  NULL), 0);
	CU_ASSERT_STRING_EQUAL(d->rtarget, "sip:alice@a.test");

	list_flush(&dialogs);
	mem_deref(req);
}


/* the named dialog: a step's dialog: name goes with it */
static void test_dialog_takes_the_steps_name(void)
{
	struct msgrec *req = fx_rec(invite);
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL;

	CU_ASSERT_EQUAL_FATAL(str_dup(&req->dialog, "d1"), 0);
	CU_ASSERT_EQUAL_FATAL(dialog_from_request(&d, &dialogs, req, "b1",
						  NULL), 0);
	CU_ASSERT_STRING_EQUAL(d->name, "d1");

	list_flush(&dialogs);
	mem_deref(req);
}


/* §12.1.2: the UAC's dialog — local tag from From, remote tag from To,
 * route set the Record-Route reversed, local CSeq the request's */
static void test_uac_dialog_from_response(void)
{
	struct msgrec *req = fx_rec(invite);
	struct msgrec *ringing = response(180, "b1", "sip:bob@10.0.0.2", RR);
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL;

	CU_ASSERT_EQUAL_FATAL(dialog_from_response(&d, &dialogs, req,
						   ringing, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->callid, "call-1@a.test");
	CU_ASSERT_STRING_EQUAL(d->ltag, "a1");
	CU_ASSERT_STRING_EQUAL(d->rtag, "b1");
	CU_ASSERT_STRING_EQUAL(d->luri, "Alice <sip:alice@a.test>");
	CU_ASSERT_STRING_EQUAL(d->ruri, "Bob <sip:bob@b.test>");
	CU_ASSERT_STRING_EQUAL(d->rtarget, "sip:bob@10.0.0.2");
	route_is(d, "<sip:p1.test;lr>", "<sip:p2.test;lr>");
	CU_ASSERT_EQUAL(d->lseq, 314);
	CU_ASSERT_TRUE(d->uac);
	/* an early dialog: a 1xx does not confirm it (§12.1) */
	CU_ASSERT_FALSE(d->confirmed);

	list_flush(&dialogs);
	mem_deref(ringing);
	mem_deref(req);
}


/* the 2xx updates the early dialog's target and route set (§13.2.2.4,
 * §12.1.2); once confirmed, a later response (a retransmitted 200 with
 * another Contact) changes neither (§12.2: only a target refresh
 * request does) */
static void test_uac_2xx_confirms_and_refreshes(void)
{
	struct msgrec *req = fx_rec(invite);
	struct msgrec *ringing = response(180, "b1", "sip:early@10.0.0.2",
					  RR);
	struct msgrec *ok = response(200, "b1", "sip:bob@10.0.0.2:5070",
				     "Record-Route: <sip:p9.test;lr>\r\n");
	struct msgrec *again = response(200, "b1", "sip:other@10.0.0.3",
					RR);
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL, *d2 = NULL;
	const struct strle *rr;

	CU_ASSERT_EQUAL_FATAL(dialog_from_response(&d, &dialogs, req,
						   ringing, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dialog_from_response(&d2, &dialogs, req, ok,
						   NULL), 0);
	CU_ASSERT_PTR_EQUAL(d2, d);
	CU_ASSERT_EQUAL(list_count(&dialogs), 1);
	CU_ASSERT_TRUE(d->confirmed);
	CU_ASSERT_STRING_EQUAL(d->rtarget, "sip:bob@10.0.0.2:5070");
	CU_ASSERT_EQUAL_FATAL(list_count(&d->route), 1);
	rr = list_head(&d->route)->data;
	CU_ASSERT_STRING_EQUAL(rr->str, "<sip:p9.test;lr>");

	CU_ASSERT_EQUAL(dialog_from_response(NULL, &dialogs, req, again,
					     NULL), 0);
	CU_ASSERT_STRING_EQUAL(d->rtarget, "sip:bob@10.0.0.2:5070");
	CU_ASSERT_EQUAL(list_count(&d->route), 1);

	list_flush(&dialogs);
	mem_deref(again);
	mem_deref(ok);
	mem_deref(ringing);
	mem_deref(req);
}


/* §12.1.2: a response without a To tag makes no dialog */
static void test_uac_response_without_to_tag(void)
{
	struct msgrec *req = fx_rec(invite);
	struct msgrec *trying = response(100, "", NULL, "");
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL;

	CU_ASSERT_EQUAL(dialog_from_response(&d, &dialogs, req, trying,
					     NULL), EPROTO);
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(list_count(&dialogs), 0);

	mem_deref(trying);
	mem_deref(req);
}


/* §12.1.2/§13.2.2.4: a forked INVITE answered by two UASs — To tags b1
 * and c1 — is two dialogs, and each response finds its own */
static void test_forked_responses_are_two_dialogs(void)
{
	struct msgrec *req = fx_rec(invite);
	struct msgrec *from_b = response(180, "b1", "sip:bob@10.0.0.2", RR);
	struct msgrec *from_c = response(180, "c1", "sip:bob@10.0.0.3", RR);
	struct list dialogs = LIST_INIT;
	struct dialog *db = NULL, *dc = NULL;

	CU_ASSERT_EQUAL_FATAL(dialog_from_response(&db, &dialogs, req, from_b,
						   NULL), 0);
	CU_ASSERT_EQUAL_FATAL(dialog_from_response(&dc, &dialogs, req, from_c,
						   NULL), 0);
	CU_ASSERT_EQUAL(list_count(&dialogs), 2);
	CU_ASSERT_PTR_NOT_EQUAL(db, dc);
	CU_ASSERT_PTR_EQUAL(dialog_match(&dialogs, from_b->msg, false), db);
	CU_ASSERT_PTR_EQUAL(dialog_match(&dialogs, from_c->msg, false), dc);
	CU_ASSERT_STRING_EQUAL(dc->rtarget, "sip:bob@10.0.0.3");

	list_flush(&dialogs);
	mem_deref(from_c);
	mem_deref(from_b);
	mem_deref(req);
}


/* §12.2.2: a request is in the dialog when its Call-ID, From tag (the
 * remote tag) and To tag (the local tag) are the dialog's; Call-IDs
 * compare byte by byte, case-sensitive (§8.1.1.4) */
static void test_match_needs_callid_and_both_tags(void)
{
	static const struct {
		const char *callid, *from_tag, *to_tag;
		bool in;
	} cases[] = {
		{"call-1@a.test", "a1", "b1", true},
		{"call-1@a.test", "a1", "", true},   /* no To tag yet */
		{"call-2@a.test", "a1", "b1", false},
		{"CALL-1@a.test", "a1", "b1", false},
		{"call-1@a.test", "a2", "b1", false},
		{"call-1@a.test", "a1", "b2", false},
		{"call-1@a.test", "", "b1", false},
	};
	struct msgrec *req = fx_rec(invite);
	struct list dialogs = LIST_INIT;
	struct dialog *d = NULL;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(dialog_from_request(&d, &dialogs, req, "b1",
						  NULL), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct msgrec *m = in_dialog(cases[i].callid,
					     cases[i].from_tag,
					     cases[i].to_tag);
		struct dialog *got = dialog_match(&dialogs, m->msg, true);

		if ((got == d) != cases[i].in)
			re_fprintf(stderr, "  case %zu: %s %s/%s\n", i,
				   cases[i].callid, cases[i].from_tag,
				   cases[i].to_tag);
		CU_ASSERT_PTR_EQUAL(got, cases[i].in ? d : NULL);
		mem_deref(m);
	}

	/* the tags change sides with the direction: as UAC, a response's
	 * From tag is the local one */
	CU_ASSERT_PTR_NULL(dialog_match(&dialogs, req->msg, false));
	CU_ASSERT_PTR_NULL(dialog_match(NULL, req->msg, true));

	list_flush(&dialogs);
	mem_deref(req);
}


static struct dialog *dialog_new(struct list *l, const char *name,
				 const struct role *peer, bool terminated)
{
	struct dialog *d = mem_zalloc(sizeof(*d), NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	d->name = (char *)name;
	d->peer = (struct role *)peer;
	d->terminated = terminated;
	list_append(l, &d->le, d);
	return d;
}


/* a step's dialog: its dialog: name, else the newest live one,
 * preferring the one set up with the step's peer */
static void test_pick(void)
{
	struct role b = {0}, c = {0};
	struct list l = LIST_INIT;
	struct dialog *d1, *d2, *d3;

	CU_ASSERT_PTR_NULL(dialog_pick(&l, NULL, &b));

	d1 = dialog_new(&l, "first", &b, false);
	d2 = dialog_new(&l, NULL, &c, false);
	d3 = dialog_new(&l, "third", &b, false);
	(void)dialog_new(&l, NULL, &b, true);  /* the newest, ended */

	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, "first", &c), d1);
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, "third", NULL), d3);
	/* a name nobody has is no dialog, not another one */
	CU_ASSERT_PTR_NULL(dialog_pick(&l, "fourth", &b));
	/* a terminated one still answers to its name */
	d1->terminated = true;
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, "first", NULL), d1);

	/* by peer: the newest live with it; d4 has ended */
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, NULL, &b), d3);
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, NULL, &c), d2);
	/* nobody's with this peer: the newest live one */
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, NULL, NULL), d3);
	d3->terminated = true;
	CU_ASSERT_PTR_EQUAL(dialog_pick(&l, NULL, &b), d2);

	while (list_head(&l)) {
		struct dialog *d = list_head(&l)->data;

		list_unlink(&d->le);
		mem_deref(d);
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"uas_dialog_from_request", test_uas_dialog_from_request},
		{"uas_target_without_contact",
		 test_uas_target_without_contact},
		{"dialog_takes_the_steps_name",
		 test_dialog_takes_the_steps_name},
		{"uac_dialog_from_response", test_uac_dialog_from_response},
		{"uac_2xx_confirms_and_refreshes",
		 test_uac_2xx_confirms_and_refreshes},
		{"uac_response_without_to_tag",
		 test_uac_response_without_to_tag},
		{"forked_responses_are_two_dialogs",
		 test_forked_responses_are_two_dialogs},
		{"match_needs_callid_and_both_tags",
		 test_match_needs_callid_and_both_tags},
		{"pick", test_pick},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("dialog", tests);
}
