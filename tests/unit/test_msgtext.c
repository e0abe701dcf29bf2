/* tests/unit/test_msgtext.c — what a message that libre does not decode
 * still says as text (engine/sip/msgtext.c: status, Call-ID, the top
 * Via's branch), and a
 * message whose top Via has no branch (RFC 2543) decoded all the same
 * (engine/sip/nobranch.c, through msgrec_alloc) */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "msgrec.h"
#include "msgtext.h"


static struct mbuf *text_mb(const char *s)
{
	struct mbuf *mb = mbuf_alloc(strlen(s));

	(void)mbuf_write_str(mb, s);
	mb->pos = 0;
	return mb;
}


static void test_status_and_callid(void)
{
	struct mbuf *mb = text_mb("SIP/2.0 400 Bad\r\nTo: isbn:29\r\n"
				  "i:  abc@host \r\nCall-ID: second\r\n\r\n"
				  "Call-ID: body\r\n");
	struct pl cid = msgtext_callid(mb);

	CU_ASSERT_EQUAL(msgtext_status(mb), 400);
	CU_ASSERT_EQUAL(pl_strcmp(&cid, "abc@host"), 0);
	mem_deref(mb);

	/* a request, a status past 999, no Call-ID before the blank line */
	mb = text_mb("OPTIONS sip:x SIP/2.0\r\n\r\nCall-ID: body\r\n");
	cid = msgtext_callid(mb);
	CU_ASSERT_EQUAL(msgtext_status(mb), 0);
	CU_ASSERT_FALSE(pl_isset(&cid));
	mem_deref(mb);
	mb = text_mb("SIP/2.0 4294967301 better not break the receiver\r\n");
	CU_ASSERT_EQUAL(msgtext_status(mb), 0);
	mem_deref(mb);
}


/* the top Via's branch: compact form, parameters after it, not a
 * "xbranch=", not the second Via's; none when the top Via has none */
static void test_branch(void)
{
	struct mbuf *mb = text_mb("INVITE sip:x SIP/2.0\r\n"
				  "v: SIP/2.0/UDP h;xbranch=no;branch=z9hG4bK"
				  "kdj.insuf;rport, SIP/2.0/UDP g;branch=two"
				  "\r\nVia: SIP/2.0/UDP k;branch=three"
				  "\r\n\r\n");
	struct pl br = msgtext_branch(mb);

	CU_ASSERT_EQUAL(pl_strcmp(&br, "z9hG4bKkdj.insuf"), 0);
	mem_deref(mb);

	mb = text_mb("SIP/2.0 404 No\r\nVia: SIP/2.0/UDP old.test, "
		     "SIP/2.0/UDP g;branch=two\r\n\r\n");
	br = msgtext_branch(mb);
	CU_ASSERT_FALSE(pl_isset(&br));
	mem_deref(mb);
}


static void test_no_branch_decodes(void)
{
	static const char resp[] =
		"SIP/2.0 404 Not Found\r\n"
		"Via: SIP/2.0/UDP 127.0.0.10:5060;rport=5060,\r\n"
		" SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKsecond\r\n"
		"From: <sip:a@example.net>\r\n"
		"To: sip:b@example.net;tag=x\r\n"
		"Call-ID: inv2543.1717@ift.client.example.com\r\n"
		"CSeq: 56 INVITE\r\n"
		"Content-Length: 3\r\n\r\nabc";
	struct mbuf *mb = text_mb(resp);
	struct msgrec *r = NULL;
	struct pl body;

	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, mb), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->msg);
	CU_ASSERT_EQUAL(r->msg->scode, 404);
	CU_ASSERT_EQUAL(pl_strcmp(&r->msg->via.branch, "rfc2543"), 0);
	/* the record keeps the bytes as they came, its body where it is */
	CU_ASSERT_EQUAL(r->mb->end, strlen(resp));
	CU_ASSERT_EQUAL(memcmp(r->mb->buf, resp, strlen(resp)), 0);
	body = msgrec_body(r);
	CU_ASSERT_EQUAL(pl_strcmp(&body, "abc"), 0);
	mem_deref(r);
	mem_deref(mb);

	/* a top Via with a branch that still does not decode: left so */
	mb = text_mb("SIP/2.0 400 Bad\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx"
		     "\r\nTo: isbn:29\r\nFrom: <http://x>\r\nCall-ID: c\r\n"
		     "CSeq: 1 REGISTER\r\n\r\n");
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, mb), 0);
	CU_ASSERT_PTR_NULL(r->msg);
	CU_ASSERT_NOT_EQUAL(r->decode_err, 0);
	mem_deref(r);
	mem_deref(mb);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"status_and_callid", test_status_and_callid},
		{"branch", test_branch},
		{"no_branch_decodes", test_no_branch_decodes},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("msgtext", tests);
}
