/* tests/unit/test_expect.c — expect: assertions on a received message
 * (engine/check/expect.c): headers by any of their names and values, the
 * body, references resolved when the message is checked, and the reason
 * a failed one gives */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "expect.h"


/* an assertion in l; refs: its value names {F1.call-id} or {A.host},
 * resolved (and compiled, for a regex) as the message is checked */
static struct expect *expect_add(struct list *l, const char *name,
				 enum expect_op op, const char *value,
				 bool refs)
{
	struct expect *e = mem_zalloc(sizeof(*e), NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	e->name = (char *)name;
	e->op = op;
	e->value = (char *)value;
	e->refs = refs;
	if (op == EXPECT_REGEX && !refs) {
		CU_ASSERT_EQUAL_FATAL(regcomp(&e->re, value, REG_EXTENDED |
					      REG_NOSUB), 0);
		e->re_ok = true;
	}
	list_append(l, &e->le, e);
	return e;
}


static struct expect *expect_new(struct list *l, const char *name,
				  enum expect_op op, const char *value)
{
	return expect_add(l, name, op, value, false);
}


static void expects_free(struct list *l)
{
	struct le *le;

	while ((le = list_head(l))) {
		struct expect *e = le->data;

		list_unlink(le);
		if (e->re_ok)
			regfree(&e->re);
		mem_deref(e);
	}
}


static void test_by_parsed_name(void)
{
	struct mbuf *mb = mbuf_alloc(strlen(fx_compact));
	struct msgrec *r = NULL;
	struct list l = LIST_INIT;
	char *why = NULL;

	mbuf_write_str(mb, fx_compact);
	CU_ASSERT_EQUAL_FATAL(msgrec_alloc(&r, mb), 0);

	/* long names find compact headers; any list element may match */
	expect_new(&l, "From", EXPECT_REGEX, "^<sip:alice@");
	expect_new(&l, "Supported", EXPECT_EQUAL, "timer");
	expect_new(&l, "Record-Route", EXPECT_EQUAL, "<sip:p2;lr>");
	expect_new(&l, "Via", EXPECT_REGEX, "127\\.0\\.0\\.3");
	expect_new(&l, "Refer-To", EXPECT_ABSENT, NULL);
	expect_new(&l, "call-id", EXPECT_PRESENT, NULL);
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why), 0);
	CU_ASSERT_PTR_NULL(why);
	expects_free(&l);

	/* and each kind of assertion can fail, saying why */
	expect_new(&l, "Supported", EXPECT_EQUAL, "100rel");
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why), EPROTO);
	CU_ASSERT_STRING_EQUAL(why, "header Supported: expected "
			       "\"100rel\", got \"replaces\", \"timer\"");
	why = mem_deref(why);
	expects_free(&l);

	expect_new(&l, "Contact", EXPECT_ABSENT, NULL);
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why), EPROTO);
	CU_ASSERT_STRING_EQUAL(why, "header Contact: expected absent, got "
			       "\"<sip:alice@127.0.0.10>\"");
	why = mem_deref(why);
	expects_free(&l);

	expect_new(&l, NULL, EXPECT_PRESENT, NULL);
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why), EPROTO);
	CU_ASSERT_PTR_NOT_NULL(why);
	why = mem_deref(why);
	expects_free(&l);

	mem_deref(r);
	mem_deref(mb);
}




/* one assertion on r: 0, or EPROTO with why as given */
static void one_fails(const struct msgrec *r, const char *name,
		      enum expect_op op, const char *value,
		      const char *reason)
{
	struct list l = LIST_INIT;
	char *why = NULL;

	expect_new(&l, name, op, value);
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why),
			reason ? EPROTO : 0);
	if (reason) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		CU_ASSERT_STRING_EQUAL(why, reason);
	}
	else {
		CU_ASSERT_PTR_NULL(why);
	}
	mem_deref(why);
	expects_free(&l);
}


/* = is the value to the letter (RFC 3261 §7.3.1 leaves header values'
 * case to each header; expect: compares as written) */
static void test_equal_is_exact(void)
{
	struct msgrec *r = fx_rec(fx_compact);

	one_fails(r, "Call-ID", EXPECT_EQUAL, "abc@127.0.0.10", NULL);
	one_fails(r, "Call-ID", EXPECT_EQUAL, "ABC@127.0.0.10",
		  "header Call-ID: expected \"ABC@127.0.0.10\", got "
		  "\"abc@127.0.0.10\"");
	one_fails(r, "Call-ID", EXPECT_EQUAL, "abc",
		  "header Call-ID: expected \"abc\", got \"abc@127.0.0.10\"");
	/* the regex, by contrast, finds part of it */
	one_fails(r, "Call-ID", EXPECT_REGEX, "abc", NULL);
	one_fails(r, "Subject", EXPECT_EQUAL, "x",
		  "header Subject: expected \"x\", but the message has none");
	one_fails(r, "Subject", EXPECT_REGEX, ".",
		  "header Subject: expected a value matching \".\", but the "
		  "message has none");
	mem_deref(r);
}


/* the reason shows the first three values a header has, no more */
static void test_reason_shows_three_values(void)
{
	struct msgrec *r = fx_rec(fx_compact);

	one_fails(r, "Via", EXPECT_REGEX, "10\\.9\\.9\\.9",
		  "header Via: expected a value matching \"10\\.9\\.9\\.9\", "
		  "got \"SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKa1\", "
		  "\"SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKb2\", "
		  "\"SIP/2.0/UDP 127.0.0.3;branch=z9hG4bKc3\"");
	mem_deref(r);

	r = fx_rec("OPTIONS sip:b@b.test SIP/2.0\r\n"
		   "Via: SIP/2.0/UDP a.test;branch=z9hG4bK1\r\n"
		   "From: <sip:a@a.test>;tag=1\r\nTo: <sip:b@b.test>\r\n"
		   "Call-ID: c\r\nCSeq: 1 OPTIONS\r\n"
		   "Accept: a/1, a/2, a/3, a/4\r\n"
		   "Content-Length: 0\r\n\r\n");
	one_fails(r, "Accept", EXPECT_EQUAL, "a/9",
		  "header Accept: expected \"a/9\", got \"a/1\", \"a/2\", "
		  "\"a/3\"");
	one_fails(r, "Accept", EXPECT_EQUAL, "a/4", NULL);
	mem_deref(r);
}


/* the body: none, some, its text */
static void test_body(void)
{
	struct msgrec *empty = fx_rec(fx_compact);
	struct msgrec *sdp = fx_rec(
		"MESSAGE sip:b@b.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP a.test;branch=z9hG4bK1\r\n"
		"From: <sip:a@a.test>;tag=1\r\n"
		"To: <sip:b@b.test>\r\n"
		"Call-ID: c\r\nCSeq: 1 MESSAGE\r\n"
		"Content-Type: text/plain\r\n"
		"Content-Length: 11\r\n\r\nhello there");

	one_fails(empty, NULL, EXPECT_ABSENT, NULL, NULL);
	one_fails(empty, NULL, EXPECT_PRESENT, NULL,
		  "body: expected a body, got 0 bytes");
	one_fails(sdp, NULL, EXPECT_PRESENT, NULL, NULL);
	one_fails(sdp, NULL, EXPECT_ABSENT, NULL,
		  "body: expected none, got 11 bytes: hello there");
	one_fails(sdp, NULL, EXPECT_EQUAL, "hello there", NULL);
	one_fails(sdp, NULL, EXPECT_REGEX, "^hello", NULL);
	one_fails(sdp, NULL, EXPECT_REGEX, "^there",
		  "body: expected a value matching ^there, got 11 bytes: "
		  "hello there");

	mem_deref(sdp);
	mem_deref(empty);
}


/* every assertion must hold; the reason is the first that does not */
static void test_first_failure_is_the_reason(void)
{
	struct msgrec *r = fx_rec(fx_compact);
	struct list l = LIST_INIT;
	char *why = NULL;

	expect_new(&l, "Call-ID", EXPECT_PRESENT, NULL);
	expect_new(&l, "Subject", EXPECT_PRESENT, NULL);
	expect_new(&l, "Contact", EXPECT_ABSENT, NULL);
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, &why), EPROTO);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "header Subject: expected present, but "
			       "the message has none");
	mem_deref(why);
	expects_free(&l);

	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(expect_check(NULL, r, NULL, NULL, NULL), EINVAL);
	CU_ASSERT_EQUAL(expect_check(&l, NULL, NULL, NULL, NULL), EINVAL);
	mem_deref(r);
}


static const char ringing[] =
	"SIP/2.0 180 Ringing\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKa1\r\n"
	"From: <sip:alice@a.test>;tag=t1\r\n"
	"To: <sip:bob@b.test>;tag=t2\r\n"
	"Call-ID: abc@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";


/* an expect: with references on a 180 (F2, not recorded yet), F1 the
 * INVITE: 0, or EPROTO and why */
static void ref_fails(const char *msg, const char *name, enum expect_op op,
		      const char *value, const char *reason)
{
	struct scenario *sc = NULL;
	struct msgrec *invite = fx_rec(fx_compact);
	struct msgrec *r = fx_rec(msg);
	struct msgrec *steprec[2] = {invite, NULL};
	struct list l = LIST_INIT;
	char *why = NULL;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "x.yaml", fx_call_flow,
						NULL), 0);
	sa_set_str(&scenario_role(sc, "A")->addr, "127.0.0.10", 5060);

	expect_add(&l, name, op, value, true);
	CU_ASSERT_EQUAL(expect_check(&l, r, sc, steprec, &why),
			reason ? EPROTO : 0);
	if (reason) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		CU_ASSERT_STRING_EQUAL(why, reason);
	}
	else {
		if (why)
			re_fprintf(stderr, "  %s: %s\n", value, why);
		CU_ASSERT_PTR_NULL(why);
	}

	/* without the scenario, a reference has nothing to resolve in */
	CU_ASSERT_EQUAL(expect_check(&l, r, NULL, steprec, NULL), EINVAL);

	mem_deref(why);
	expects_free(&l);
	mem_deref(r);
	mem_deref(invite);
	mem_deref(sc);
}


static void test_refs(void)
{
	ref_fails(ringing, "Call-ID", EXPECT_EQUAL, "{F1.call-id}", NULL);
	ref_fails(ringing, "From", EXPECT_REGEX, "tag={F1.from-tag}$", NULL);
	ref_fails(ringing, "Via", EXPECT_REGEX, "^SIP/2.0/UDP {A.host}:",
		  NULL);

	/* a value it resolves to, not the reference's own text */
	ref_fails(ringing, "Call-ID", EXPECT_EQUAL, "{F1.from-tag}",
		  "header Call-ID: expected \"t1\", got \"abc@127.0.0.10\"");

	/* an address in a regex is its dots, not any character */
	ref_fails("SIP/2.0 180 Ringing\r\n"
		  "Via: SIP/2.0/UDP 127x0x0x10:5060;branch=z9hG4bKa1\r\n"
		  "From: <sip:alice@a.test>;tag=t1\r\n"
		  "To: <sip:bob@b.test>;tag=t2\r\n"
		  "Call-ID: abc@127.0.0.10\r\nCSeq: 1 INVITE\r\n"
		  "Content-Length: 0\r\n\r\n",
		  "Via", EXPECT_REGEX, "{A.host}",
		  "header Via: expected a value matching "
		  "\"127\\.0\\.0\\.10\", got \"SIP/2.0/UDP "
		  "127x0x0x10:5060;branch=z9hG4bKa1\"");

	/* one that cannot resolve fails the assertion, saying why: it is
	 * not an empty value that might match */
	ref_fails(ringing, "To", EXPECT_REGEX, "{F2.to-tag}",
		  "header To: cannot resolve \"{F2.to-tag}\": {F2.to-tag}: "
		  "step F2 has no message (yet)");
	ref_fails(ringing, NULL, EXPECT_REGEX, "{F1.to-tag}",
		  "body: cannot resolve \"{F1.to-tag}\": {F1.to-tag}: the "
		  "message of step F1 has no to-tag");
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"by_parsed_name", test_by_parsed_name},
		{"equal_is_exact", test_equal_is_exact},
		{"reason_shows_three_values", test_reason_shows_three_values},
		{"body", test_body},
		{"first_failure_is_the_reason",
		 test_first_failure_is_the_reason},
		{"refs", test_refs},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("expect", tests);
}
