/* tests/unit/test_sipframe.c — SIP framed out of a byte stream by
 * Content-Length: one byte at a time, several messages in one read,
 * keep-alive CRLFs, compact l:, and what a hostile peer sends (no
 * Content-Length, a wrong one, a huge one, garbage, an endless line) */
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "sipframe.h"


static const char invite[] =
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"Call-ID: a@test\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 11\r\n"
	"\r\n"
	"hello world";

static const char ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"Call-ID: a@test\r\n"
	"CSeq: 1 INVITE\r\n"
	"l : 0\r\n"
	"\r\n";


/* what came out: each message's length and its bytes, in order */
struct got {
	unsigned n;
	size_t len[8];
	char text[1024];
	size_t used;
};


static void msg_h(const uint8_t *p, size_t len, void *arg)
{
	struct got *g = arg;

	if (g->n < 8)
		g->len[g->n] = len;
	++g->n;
	if (g->used + len < sizeof(g->text)) {
		memcpy(g->text + g->used, p, len);
		g->used += len;
	}
}


static int feed(struct sipframe *f, const char *s, struct got *g,
		const char **why)
{
	return sipframe_feed(f, (const uint8_t *)s, strlen(s), msg_h, g, why);
}


static void test_message_split_byte_by_byte(void)
{
	struct sipframe *f = NULL;
	struct got g;
	const char *why = NULL;
	size_t i;

	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL_FATAL(sipframe_alloc(&f, 0), 0);

	for (i = 0; i + 1 < sizeof(invite) - 1; i++) {
		CU_ASSERT_EQUAL(sipframe_feed(f, (const uint8_t *)invite + i,
					      1, msg_h, &g, &why), 0);
	}
	/* the last byte of the body makes it whole, not before */
	CU_ASSERT_EQUAL(g.n, 0);
	CU_ASSERT_EQUAL(sipframe_pending(f, NULL), sizeof(invite) - 2);
	CU_ASSERT_EQUAL(sipframe_feed(f, (const uint8_t *)invite + i, 1,
				      msg_h, &g, &why), 0);
	CU_ASSERT_EQUAL(g.n, 1);
	CU_ASSERT_EQUAL(g.len[0], sizeof(invite) - 1);
	CU_ASSERT_NSTRING_EQUAL(g.text, invite, sizeof(invite) - 1);
	CU_ASSERT_EQUAL(sipframe_pending(f, NULL), 0);

	mem_deref(f);
}


static void test_pipelined_messages_and_keepalives(void)
{
	struct sipframe *f = NULL;
	const char *why = NULL;
	char buf[1024];
	struct got g;

	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL_FATAL(sipframe_alloc(&f, 0), 0);

	/* RFC 5626 keep-alive, two messages and the head of a third */
	snprintf(buf, sizeof(buf), "\r\n\r\n%s%s\r\n%.20s", invite, ok,
		 invite);
	CU_ASSERT_EQUAL(feed(f, buf, &g, &why), 0);
	CU_ASSERT_EQUAL(g.n, 2);
	CU_ASSERT_EQUAL(g.len[0], strlen(invite));
	CU_ASSERT_EQUAL(g.len[1], strlen(ok));
	CU_ASSERT_EQUAL(sipframe_pending(f, NULL), 20);

	CU_ASSERT_EQUAL(feed(f, invite + 20, &g, &why), 0);
	CU_ASSERT_EQUAL(g.n, 3);
	CU_ASSERT_EQUAL(g.len[2], strlen(invite));
	CU_ASSERT_NSTRING_EQUAL(g.text + strlen(invite) + strlen(ok), invite,
				strlen(invite));

	mem_deref(f);
}


/* one bad case: the first message is refused with a reason naming it */
static void bad(const char *text, size_t max, const char *reason)
{
	struct sipframe *f = NULL;
	const char *why = NULL;
	const uint8_t *p;
	struct got g;

	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL_FATAL(sipframe_alloc(&f, max), 0);
	CU_ASSERT_EQUAL(feed(f, text, &g, &why), EBADMSG);
	CU_ASSERT_EQUAL(g.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, reason));
	if (!strstr(why, reason))
		fprintf(stderr, "why: %s (wanted %s)\n", why, reason);
	/* what could not be framed is kept for the report */
	CU_ASSERT_EQUAL(sipframe_pending(f, &p), strlen(text));
	mem_deref(f);
}


static void test_missing_content_length(void)
{
	bad("OPTIONS sip:b@h SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
	    "\r\n", 0, "no Content-Length");
}


static void test_bad_content_length(void)
{
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length: 1x\r\n\r\n", 0,
	    "not a number");
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length:\r\n\r\n", 0,
	    "not a number");
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length: 0\r\nl: 0\r\n\r\n",
	    0, "two Content-Length");
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length: 99999999999999999"
	    "999999\r\n\r\n", 0, "exceeds the size limit");
}


static void test_oversize(void)
{
	char big[600];

	/* headers and body together over the limit */
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length: 200\r\n\r\n", 100,
	    "Content-Length exceeds the size limit");
	bad("OPTIONS sip:b@h SIP/2.0\r\nContent-Length: 90\r\n\r\n", 100,
	    "a message longer than the size limit");

	/* headers that never end */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "OPTIONS sip:b@h SIP/2.0\r\nX: ", 28);
	bad(big, 256, "headers longer than the size limit");

	/* a first line that never ends */
	memcpy(big, "OPTIONSXsip:b@hXSIP/2.0XXX: ", 28);
	bad(big, 256, "line longer than the size limit");
}


static void test_garbage_and_short_content_length(void)
{
	struct sipframe *f = NULL;
	const char *why = NULL;
	const uint8_t *p;
	struct got g;
	char buf[1024];

	bad("\x16\x03\x01\x02\x00\x01", 0, "not a SIP start line");
	bad("hello there\r\n", 0, "not a SIP start line");

	/* a Content-Length one short: the body's last byte starts the next
	 * message, which is not one */
	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL_FATAL(sipframe_alloc(&f, 0), 0);
	re_snprintf(buf, sizeof(buf), "OPTIONS sip:b@h SIP/2.0\r\n"
		    "Content-Length: 4\r\n\r\nhello\r\n%s", ok);
	CU_ASSERT_EQUAL(feed(f, buf, &g, &why), EBADMSG);
	CU_ASSERT_EQUAL(g.n, 1);
	CU_ASSERT_PTR_NOT_NULL(why);
	CU_ASSERT_EQUAL(sipframe_pending(f, &p), strlen(ok) + 3);
	CU_ASSERT_EQUAL(p[0], 'o');
	mem_deref(f);
}


/* what an incomplete message is said to be after a step's timeout */
static void test_held_says_what_is_missing(void)
{
	struct sipframe *f = NULL;
	const char *why = NULL;
	struct got g = {0};
	char out[256];

	CU_ASSERT_EQUAL_FATAL(sipframe_alloc(&f, 0), 0);

	/* nothing held: nothing said */
	CU_ASSERT_EQUAL(feed(f, "\r\n", &g, &why), 0);
	re_snprintf(out, sizeof(out), "%H", sipframe_held_print, f);
	CU_ASSERT_STRING_EQUAL(out, "");

	/* headers without their end */
	CU_ASSERT_EQUAL(feed(f, "SIP/2.0 180 Ringing\r\nCSeq: 1 INVITE\r\n",
			     &g, &why), 0);
	re_snprintf(out, sizeof(out), "%H", sipframe_held_print, f);
	CU_ASSERT_STRING_EQUAL(out, "an incomplete message (SIP/2.0 180 "
			       "Ringing): 37 bytes of headers, no blank line "
			       "yet");

	/* the body promised, and 12 bytes of it */
	CU_ASSERT_EQUAL(feed(f, "Content-Length: 5000\r\n\r\nhello world!",
			     &g, &why), 0);
	CU_ASSERT_EQUAL(g.n, 0);
	re_snprintf(out, sizeof(out), "%H", sipframe_held_print, f);
	CU_ASSERT_STRING_EQUAL(out, "an incomplete message (SIP/2.0 180 "
			       "Ringing): Content-Length 5000, 12 bytes of "
			       "body arrived");

	mem_deref(f);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"message_split_byte_by_byte",
		 test_message_split_byte_by_byte},
		{"pipelined_messages_and_keepalives",
		 test_pipelined_messages_and_keepalives},
		{"missing_content_length", test_missing_content_length},
		{"bad_content_length", test_bad_content_length},
		{"oversize", test_oversize},
		{"garbage_and_short_content_length",
		 test_garbage_and_short_content_length},
		{"held_says_what_is_missing", test_held_says_what_is_missing},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("sipframe", tests);
}
