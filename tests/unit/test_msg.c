/* tests/unit/test_msg.c — header lookup, the message builder, placeholders */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "msgb.h"
#include "hdr.h"
#include "msgrec.h"
#include "placeholder.h"
#include "expect.h"


static struct sip_msg *decode(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	struct sip_msg *msg = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	mbuf_write_str(mb, text);
	mb->pos = 0;
	CU_ASSERT_EQUAL(sip_msg_decode(&msg, mb), 0);
	mem_deref(mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	return msg;
}


/* RFC 4475 §3.1.1.1-style: compact forms and a folded list */
static const char compact[] =
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"v: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKa1\r\n"
	"Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKb2, "
	"SIP/2.0/UDP 127.0.0.3;branch=z9hG4bKc3\r\n"
	"f: <sip:alice@example.test>;tag=t1\r\n"
	"t: <sip:bob@example.test>\r\n"
	"i: abc@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"m: <sip:alice@127.0.0.10>\r\n"
	"k: replaces, timer\r\n"
	"Record-Route: <sip:p1;lr>, <sip:p2;lr>\r\n"
	"l: 0\r\n"
	"\r\n";


static void test_hdr_compact_forms_match_long_names(void)
{
	struct sip_msg *m = decode(compact);
	const struct pl *v;

	v = hdr_first(m, "From");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(pl_strcmp(v, "<sip:alice@example.test>;tag=t1"), 0);
	CU_ASSERT_PTR_NOT_NULL(hdr_first(m, "Call-ID"));
	CU_ASSERT_PTR_NOT_NULL(hdr_first(m, "contact"));
	CU_ASSERT_PTR_NOT_NULL(hdr_first(m, "i"));
	CU_ASSERT_PTR_NULL(hdr_first(m, "Refer-To"));

	/* a name written compact in the scenario finds the long header */
	CU_ASSERT_PTR_NOT_NULL(hdr_first(m, "CSeq"));
	CU_ASSERT_TRUE(hdr_name_eq("f", &(struct pl)PL("From")));
	CU_ASSERT_TRUE(hdr_name_eq("FROM", &(struct pl)PL("f")));
	CU_ASSERT_FALSE(hdr_name_eq("To", &(struct pl)PL("f")));

	mem_deref(m);
}


static void test_hdr_list_values_count_each(void)
{
	struct sip_msg *m = decode(compact);

	/* v: plus a Via with two elements: three values */
	CU_ASSERT_EQUAL(hdr_count(m, "Via"), 3);
	CU_ASSERT_EQUAL(hdr_count(m, "Record-Route"), 2);
	CU_ASSERT_EQUAL(hdr_count(m, "Supported"), 2);
	CU_ASSERT_EQUAL(hdr_count(m, "Route"), 0);

	mem_deref(m);
}


static void test_hdr_tag_param(void)
{
	struct sip_msg *m = decode(compact);
	struct pl tag;

	CU_ASSERT_EQUAL(hdr_tag(hdr_first(m, "From"), &tag), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&tag, "t1"), 0);
	CU_ASSERT_NOT_EQUAL(hdr_tag(hdr_first(m, "To"), &tag), 0);

	mem_deref(m);
}


static void test_msgb_content_length_from_body(void)
{
	struct msgb *b = NULL;
	struct mbuf *mb = NULL;
	struct sip_msg *m;

	CU_ASSERT_EQUAL_FATAL(msgb_alloc(&b), 0);
	msgb_start(b, "MESSAGE sip:bob@x SIP/2.0");
	msgb_add(b, "Via", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx");
	msgb_add(b, "CSeq", "1 MESSAGE");
	msgb_body(b, "text/plain", (const uint8_t *)"hello", 5);
	CU_ASSERT_EQUAL_FATAL(msgb_encode(&mb, b), 0);

	{
		char *text = NULL;

		mb->pos = 0;
		mbuf_strdup(mb, &text, mb->end);
		m = decode(text);
		mem_deref(text);
	}
	CU_ASSERT_EQUAL(pl_u32(&m->clen), 5);
	CU_ASSERT_EQUAL(mbuf_get_left(m->mb), 5);
	CU_ASSERT_EQUAL(pl_strcmp(hdr_first(m, "Content-Type"),
				  "text/plain"), 0);

	mem_deref(m);
	mem_deref(mb);
	mem_deref(b);
}


static void test_msgb_set_replaces_and_removes(void)
{
	struct msgb *b = NULL;
	struct mbuf *mb = NULL;
	char *s = NULL;

	CU_ASSERT_EQUAL_FATAL(msgb_alloc(&b), 0);
	msgb_start(b, "SIP/2.0 200 OK");
	msgb_add(b, "Contact", "<sip:a@1>");
	msgb_add(b, "m", "<sip:b@2>");
	msgb_add(b, "Allow", "INVITE");
	msgb_set(b, "Contact", "<sip:c@3>");     /* both go, one stays */
	msgb_set(b, "Allow", NULL);              /* removed */
	msgb_set(b, "Content-Length", "99");     /* kept as given */
	CU_ASSERT_EQUAL_FATAL(msgb_encode(&mb, b), 0);
	mb->pos = 0;
	mbuf_strdup(mb, &s, mb->end);

	CU_ASSERT_STRING_EQUAL(s, "SIP/2.0 200 OK\r\n"
			       "Contact: <sip:c@3>\r\n"
			       "Content-Length: 99\r\n"
			       "\r\n");

	mem_deref(s);
	mem_deref(mb);
	mem_deref(b);
}


static void test_placeholders(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua, user: alice}\n"
		"  C: {kind: ua, user: carol}\n"
		"  P: {kind: proxy, domain: example.test}\n"
		"steps:\n"
		"  - F1: OPTIONS A -> P\n";
	struct scenario *sc = NULL;
	struct phctx ph;
	char *out = NULL, *why = NULL;
	struct role *c;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "ph.yaml", yaml, NULL),
			      0);
	c = scenario_role(sc, "C");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	sa_set_str(&c->addr, "127.0.0.12", 5070);

	ph = (struct phctx){sc, "cid@h", "z9hG4bKq", "tg", 7};
	CU_ASSERT_EQUAL(ph_expand(&out, "<{C.uri}> {C.contact} {C.addr} "
				  "{C.host}:{C.port} {C.user}@{C.domain} "
				  "{call-id} {branch} {tag} {cseq}", &ph,
				  &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "<sip:carol@example.test> "
			       "sip:carol@127.0.0.12:5070 127.0.0.12:5070 "
			       "127.0.0.12:5070 carol@example.test cid@h "
			       "z9hG4bKq tg 7");
	out = mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand(&out, "{C.url}", &ph, &why), ENOENT);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, "unknown placeholder {C.url}");
	why = mem_deref(why);
	out = mem_deref(out);

	CU_ASSERT_EQUAL(ph_expand(&out, "OPTIONS x SIP/2.0\r\nl: "
				  "{body-length}\r\n\r\nabcd", &ph, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "OPTIONS x SIP/2.0\r\nl: 4\r\n\r\nabcd");

	mem_deref(out);
	mem_deref(why);
	mem_deref(sc);
}


/* text does not expand: err, and why says reason */
static void expand_fails(const char *text, const struct phctx *ph,
			 struct msgrec *const *steprec, int err,
			 const char *reason)
{
	char *out = NULL, *why = NULL;

	CU_ASSERT_EQUAL(ph_expand_steps(&out, text, ph, steprec, &why), err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_STRING_EQUAL(why, reason);
	mem_deref(why);
	mem_deref(out);
}


/* {F2.call-id}, {F2.from-tag}, {F2.to-tag}: an earlier step's message */
static void test_step_placeholders(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua, user: alice}\n"
		"  B: {kind: ua, user: bob}\n"
		"steps:\n"
		"  - F1: INVITE A -> B\n"
		"  - F2: 180 Ringing B -> A\n";
	struct scenario *sc = NULL;
	struct msgrec f1, f2;
	struct msgrec *steprec[2] = {NULL, NULL};
	struct phctx ph;
	char *out = NULL, *why = NULL;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "ph.yaml", yaml, NULL),
			      0);
	memset(&f1, 0, sizeof(f1));
	memset(&f2, 0, sizeof(f2));
	f1.msg = decode("INVITE sip:bob@example.test SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKa\r\n"
			"From: <sip:alice@example.test>;tag=alicetag\r\n"
			"To: <sip:bob@example.test>\r\n"
			"Call-ID: early@h\r\nCSeq: 1 INVITE\r\n"
			"Content-Length: 0\r\n\r\n");
	f2.msg = decode("SIP/2.0 180 Ringing\r\n"
			"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bKa\r\n"
			"From: <sip:alice@example.test>;tag=alicetag\r\n"
			"To: <sip:bob@example.test>;tag=bobtag\r\n"
			"Call-ID: early@h\r\nCSeq: 1 INVITE\r\n"
			"Content-Length: 0\r\n\r\n");
	ph = (struct phctx){sc, "other@h", "z9hG4bKq", "tg", 1};

	/* F2 not there yet: a reason naming the step, not a guess */
	steprec[0] = &f1;
	expand_fails("{F2.call-id}", &ph, steprec, ENODATA,
		     "{F2.call-id}: step F2 has no message (yet)");

	/* a request without a To tag has none to give */
	expand_fails("{F1.to-tag}", &ph, steprec, ENODATA,
		     "{F1.to-tag}: the message of step F1 has no to-tag");

	/* Replaces as the receiver of the early dialog (the caller) sees it */
	steprec[1] = &f2;
	CU_ASSERT_EQUAL(ph_expand_steps(&out, "{F2.call-id};to-tag="
					"{F2.from-tag};from-tag={F2.to-tag}"
					" {call-id}", &ph, steprec, &why), 0);
	CU_ASSERT_STRING_EQUAL(out, "early@h;to-tag=alicetag;"
			       "from-tag=bobtag other@h");
	out = mem_deref(out);

	expand_fails("{F2.via}", &ph, steprec, ENOENT,
		     "unknown placeholder {F2.via}");

	/* without the steps' messages (ph_expand), none resolves */
	CU_ASSERT_EQUAL(ph_expand(&out, "{F2.call-id}", &ph, &why), ENODATA);

	mem_deref(why);
	mem_deref(out);
	mem_deref(f1.msg);
	mem_deref(f2.msg);
	mem_deref(sc);
}


static struct expect *expect_new(struct list *l, const char *name,
				  enum expect_op op, const char *value)
{
	struct expect *e = mem_zalloc(sizeof(*e), NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	e->name = (char *)name;
	e->op = op;
	e->value = (char *)value;
	if (op == EXPECT_REGEX) {
		CU_ASSERT_EQUAL_FATAL(regcomp(&e->re, value, REG_EXTENDED |
					      REG_NOSUB), 0);
		e->re_ok = true;
	}
	list_append(l, &e->le, e);
	return e;
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


static void test_expect_by_parsed_name(void)
{
	struct mbuf *mb = mbuf_alloc(sizeof(compact));
	struct msgrec *r = NULL;
	struct list l = LIST_INIT;
	char *why = NULL;

	mbuf_write_str(mb, compact);
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


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"hdr_compact_forms_match_long_names",
		 test_hdr_compact_forms_match_long_names},
		{"hdr_list_values_count_each",
		 test_hdr_list_values_count_each},
		{"hdr_tag_param", test_hdr_tag_param},
		{"msgb_content_length_from_body",
		 test_msgb_content_length_from_body},
		{"msgb_set_replaces_and_removes",
		 test_msgb_set_replaces_and_removes},
		{"placeholders", test_placeholders},
		{"step_placeholders", test_step_placeholders},
		{"expect_by_parsed_name", test_expect_by_parsed_name},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("msg", tests);
}
