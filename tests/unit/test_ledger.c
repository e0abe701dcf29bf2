/* tests/unit/test_ledger.c — a role's ledger (engine/sip/ledger.c): found
 * by role in a run's set, written by track_sent/track_received (a user
 * agent's dialogs, none for a proxy), reset without freeing the run's
 * records */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "scenario.h"
#include "msgrec.h"
#include "dialog.h"
#include "ledger.h"
#include "track.h"
#include "cunit_main.h"

static const char invite[] =
	"INVITE sip:b@x SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKinv\r\n"
	"From: <sip:a@x>;tag=fa\r\nTo: <sip:b@x>\r\n"
	"Call-ID: ledger-1\r\nCSeq: 1 INVITE\r\n"
	"Contact: <sip:a@127.0.0.10>\r\nContent-Length: 0\r\n\r\n";

static const char ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKinv\r\n"
	"From: <sip:a@x>;tag=fa\r\nTo: <sip:b@x>;tag=tb\r\n"
	"Call-ID: ledger-1\r\nCSeq: 1 INVITE\r\n"
	"Contact: <sip:b@127.0.0.11>\r\nContent-Length: 0\r\n\r\n";


static struct msgrec *rec(const char *text, struct role *from,
			  struct role *to)
{
	struct mbuf *mb = mbuf_alloc(512);
	struct msgrec *r = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_write_str(mb, text);
	mb->pos = 0;
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, mb), 0);
	mem_deref(mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->msg);
	r->from = from;
	r->to = to;

	return r;
}


static void test_find_by_role(void)
{
	struct role ra, rb, rc;
	struct ledger la, lb;
	struct list set = LIST_INIT;

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	memset(&rc, 0, sizeof(rc));
	ledger_init(&la, &ra);
	ledger_init(&lb, &rb);
	list_append(&set, &la.le, &la);
	list_append(&set, &lb.le, &lb);

	CU_ASSERT_PTR_EQUAL(ledger_find(&set, &ra), &la);
	CU_ASSERT_PTR_EQUAL(ledger_find(&set, &rb), &lb);
	CU_ASSERT_PTR_NULL(ledger_find(&set, &rc));
	CU_ASSERT_PTR_NULL(ledger_find(NULL, &ra));

	ledger_reset(&la);
	CU_ASSERT_PTR_NULL(ledger_find(&set, &ra));
	CU_ASSERT_EQUAL(list_count(&set), 1);
	ledger_reset(&lb);
	CU_ASSERT_EQUAL(list_count(&set), 0);
}


/* B, of this kind, answers A's INVITE: B's ledger holds both messages,
 * the INVITE is answered, and B keeps ndialogs dialogs */
static void answer(enum role_kind kind, unsigned ndialogs)
{
	struct role ra, rb;
	struct ledger lb;
	struct msgrec *inv, *resp;

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	rb.kind = kind;
	ledger_init(&lb, &rb);

	inv = rec(invite, &ra, &rb);
	resp = rec(ok, &rb, &ra);
	track_received(&lb, inv);
	track_sent(&lb, resp);

	CU_ASSERT_PTR_EQUAL(lb.rx.head->data, inv);
	CU_ASSERT_PTR_EQUAL(lb.tx.head->data, resp);
	CU_ASSERT_PTR_EQUAL(track_server_txn(&lb, resp), inv);
	CU_ASSERT_EQUAL(inv->answered, 200);
	CU_ASSERT_EQUAL(list_count(&lb.dialogs), ndialogs);

	/* the records are the run's: reset only unlinks them */
	ledger_reset(&lb);
	CU_ASSERT_EQUAL(list_count(&lb.rx), 0);
	CU_ASSERT_EQUAL(list_count(&lb.tx), 0);
	CU_ASSERT_EQUAL(list_count(&lb.dialogs), 0);
	CU_ASSERT_PTR_NULL(inv->rx_le.list);
	mem_deref(inv);
	mem_deref(resp);
}


static void test_ua_answer_makes_dialog(void)
{
	answer(ROLE_UA, 1);
}


static void test_proxy_keeps_no_dialogs(void)
{
	answer(ROLE_PROXY, 0);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"find_by_role", test_find_by_role},
		{"ua_answer_makes_dialog", test_ua_answer_makes_dialog},
		{"proxy_keeps_no_dialogs", test_proxy_keeps_no_dialogs},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("ledger", tests);
}
