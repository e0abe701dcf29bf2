/* tests/unit/test_esc.c — bytes a peer sent, made safe (engine/model/esc.c)
 * and escaped for XML (reports/xml.c): what a terminal gets holds no
 * control byte, what a parser gets is valid UTF-8 and XML 1.0 */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "esc.h"
#include "xml.h"


/* the length of the well-formed sequence at s (n bytes), 0: none */
static size_t seq(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = esc_utf8_seq((const uint8_t *)s, n, &cp);

	return cp == ESC_BAD ? 0 : len;
}


static void test_utf8_seq_takes_only_well_formed_utf8(void)
{
	/* len: the sequence's; bad: the maximal subpart one U+FFFD
	 * replaces (Unicode 15 §3.9, as a browser decodes) */
	static const struct {
		const char *s;
		size_t n, len, bad;
	} rows[] = {
		{"a", 1, 1, 0},
		{"\xc3\xa9", 2, 2, 0},               /* é */
		{"\xe2\x90\x80", 3, 3, 0},           /* U+2400 */
		{"\xf0\x9f\x98\x80", 4, 4, 0},       /* U+1F600 */
		{"\xff", 1, 0, 1},                   /* never in UTF-8 */
		{"\x80", 1, 0, 1},                   /* a stray continuation */
		{"\xc0\xaf", 2, 0, 1},               /* overlong "/" */
		{"\xe0\x80\xaf", 3, 0, 1},           /* overlong "/" */
		{"\xed\xa0\x80", 3, 0, 1},           /* a surrogate, U+D800 */
		{"\xf4\x90\x80\x80", 4, 0, 1},       /* past U+10FFFF */
		{"\xe2\x90", 2, 0, 2},               /* cut short: one */
		{"\xf0\x9f\x98(", 4, 0, 3},          /* cut short: one */
		{"\xc3(", 2, 0, 1},                  /* no continuation */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		uint32_t cp;
		size_t len = esc_utf8_seq((const uint8_t *)rows[i].s,
					  rows[i].n, &cp);

		CU_ASSERT_EQUAL(seq(rows[i].s, rows[i].n), rows[i].len);
		if (rows[i].bad)
			CU_ASSERT_EQUAL(len, rows[i].bad);
	}
}


/* s (n bytes) as a terminal gets it */
static char *term(const char *s, size_t n)
{
	struct pl pl = {s, n};
	char *out = NULL;

	CU_ASSERT_EQUAL_FATAL(re_sdprintf(&out, "%H", esc_term_pl, &pl), 0);
	return out;
}


static void test_term_escapes_every_control_byte(void)
{
	static const char in[] = "ok \x1b[2J\r\n\t\x00\x7f \xc2\x9b \xff é";
	static const char want[] =
		"ok \\x1b[2J\\r\\n\\t\\0\\x7f \\xc2\\x9b \\xff é";
	char *out = term(in, sizeof(in) - 1);

	CU_ASSERT_STRING_EQUAL(out, want);
	mem_deref(out);

	out = term("plain text, 100% UTF-8: ünïcode",
		   strlen("plain text, 100% UTF-8: ünïcode"));
	CU_ASSERT_STRING_EQUAL(out, "plain text, 100% UTF-8: ünïcode");
	mem_deref(out);
}


static void test_utf8_dup_is_valid_and_whole(void)
{
	static const char in[] = "a\xff" "b\x00" "c\xc3\xa9\x1b\xe2\x90";
	char *out = NULL;
	bool exact = true;
	size_t i, n;

	CU_ASSERT_EQUAL_FATAL(esc_utf8_dup(&out, (const uint8_t *)in,
					   sizeof(in) - 1, &exact), 0);
	/* U+FFFD for 0xff, U+2400 for NUL, the rest (ESC too) as it is */
	CU_ASSERT_STRING_EQUAL(out, "a\xef\xbf\xbd" "b\xe2\x90\x80"
			       "c\xc3\xa9\x1b\xef\xbf\xbd");
	CU_ASSERT_FALSE(exact);
	n = strlen(out);
	for (i = 0; i < n; i += seq(out + i, n - i))
		CU_ASSERT_FATAL(seq(out + i, n - i) > 0);
	mem_deref(out);

	CU_ASSERT_EQUAL_FATAL(esc_utf8_dup(&out, (const uint8_t *)"é", 2,
					   &exact), 0);
	CU_ASSERT_STRING_EQUAL(out, "é");
	CU_ASSERT_TRUE(exact);
	mem_deref(out);
}


static void test_xml_escape_is_well_formed(void)
{
	static const char in[] = "<a href=\"x\">&'\x1b\x01\t\n\r"
		"\xef\xbf\xbe\xff é";
	static const char want[] = "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
		"\\x1b\\x01&#9;&#10;&#13;\xef\xbf\xbd\xef\xbf\xbd é";
	char *out = NULL;

	CU_ASSERT_EQUAL_FATAL(re_sdprintf(&out, "%H", xml_escape, in), 0);
	CU_ASSERT_STRING_EQUAL(out, want);
	mem_deref(out);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"utf8_seq_takes_only_well_formed_utf8",
		 test_utf8_seq_takes_only_well_formed_utf8},
		{"term_escapes_every_control_byte",
		 test_term_escapes_every_control_byte},
		{"utf8_dup_is_valid_and_whole",
		 test_utf8_dup_is_valid_and_whole},
		{"xml_escape_is_well_formed", test_xml_escape_is_well_formed},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("esc", tests);
}
