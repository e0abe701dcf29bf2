/* tests/unit/test_msg.c — header lookup and the message builder */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgb.h"
#include "hdr.h"
#include "msgrec.h"


static void test_hdr_compact_forms_match_long_names(void)
{
	struct sip_msg *m = fx_msg(fx_compact);
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
	struct sip_msg *m = fx_msg(fx_compact);

	/* v: plus a Via with two elements: three values */
	CU_ASSERT_EQUAL(hdr_count(m, "Via"), 3);
	CU_ASSERT_EQUAL(hdr_count(m, "Record-Route"), 2);
	CU_ASSERT_EQUAL(hdr_count(m, "Supported"), 2);
	CU_ASSERT_EQUAL(hdr_count(m, "Route"), 0);

	mem_deref(m);
}


static void test_hdr_tag_param(void)
{
	struct sip_msg *m = fx_msg(fx_compact);
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
		m = fx_msg(text);
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
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("msg", tests);
}
