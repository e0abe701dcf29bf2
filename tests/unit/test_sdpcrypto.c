/* tests/unit/test_sdpcrypto.c — the a=crypto attribute of RFC 4568: its
 * own example parses, each fault of the grammar and the SRTP key is
 * named, keys never print, m= sections carry their lines */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "sdpcrypto.h"


/* RFC 4568 §4's example key: 40 base64 characters, 30 octets */
#define KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static int decode(struct sdpcrypto *c, const char *s, char *why, size_t sz)
{
	struct pl pl;

	pl_set_str(&pl, s);
	return sdpcrypto_decode(c, &pl, why, sz);
}


static void test_sdpcrypto_rfc4568_example(void)
{
	struct sdpcrypto c;
	char why[160] = "";

	CU_ASSERT_EQUAL_FATAL(decode(&c, "1 AES_CM_128_HMAC_SHA1_80 inline:"
				     KEY "|2^20|1:4", why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(c.tag, 1);
	CU_ASSERT_EQUAL(pl_strcmp(&c.suite, "AES_CM_128_HMAC_SHA1_80"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&c.key64, KEY), 0);
	CU_ASSERT_EQUAL(c.keylen, 30);
	CU_ASSERT_TRUE(c.known);
	CU_ASSERT_EQUAL(c.key[0], 'Y');   /* "WVNf" decodes to "YS_" */

	/* a suite sipflow does not key: the grammar only */
	CU_ASSERT_EQUAL(decode(&c, "2 F8_128_HMAC_SHA1_80 inline:" KEY, why,
			       sizeof(why)), 0);
	CU_ASSERT_FALSE(c.known);
	CU_ASSERT_EQUAL(c.tag, 2);
}


static void test_sdpcrypto_faults_named(void)
{
	static const struct {
		const char *val;
		const char *why;
	} bad[] = {
		{"x AES_CM_128_HMAC_SHA1_80 inline:" KEY, "tag"},
		{"1234567890 AES_CM_128_HMAC_SHA1_80 inline:" KEY, "tag"},
		{"1 AES-CM inline:" KEY, "crypto-suite"},
		{"1 AES_CM_128_HMAC_SHA1_80", "<tag> <crypto-suite>"},
		{"1 AES_CM_128_HMAC_SHA1_80 uri:http://x/" , "inline"},
		{"1 AES_CM_128_HMAC_SHA1_80 " KEY, "<method>:<info>"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:WVNf!X19", "base64"},
		{"1 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwg",
		 "12 octets once decoded, not 30"},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^x", "lifetime"},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct sdpcrypto c;
		char why[160] = "";
		int err = decode(&c, bad[i].val, why, sizeof(why));

		if (err != EBADMSG || !strstr(why, bad[i].why))
			re_fprintf(stderr, "\n  %s: %m '%s'", bad[i].val, err,
				   why);
		CU_ASSERT_EQUAL(err, EBADMSG);
		CU_ASSERT_PTR_NOT_NULL(strstr(why, bad[i].why));
		CU_ASSERT_PTR_NOT_NULL(strstr(why, "RFC 4568"));
	}
}


static void test_sdpcrypto_key_never_printed(void)
{
	struct pl line;
	char buf[200];

	pl_set_str(&line, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY
		   "|2^20 UNENCRYPTED_SRTCP");
	re_snprintf(buf, sizeof(buf), "%H", sdpcrypto_print_masked, &line);
	CU_ASSERT_STRING_EQUAL(buf, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
			       "inline:… UNENCRYPTED_SRTCP");
	CU_ASSERT_PTR_NULL(strstr(buf, "WVNf"));
}


static void test_sdpcrypto_scan_sections(void)
{
	struct sdpcrypto_media mv[SDPCRYPTO_M_MAX];
	struct pl body;
	unsigned n;

	pl_set_str(&body, "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		   "a=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n"
		   "m=audio 20000 RTP/SAVP 0\r\n"
		   "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n"
		   "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" KEY "\r\n"
		   "m=video 0 RTP/AVP 31\r\n");
	n = sdpcrypto_scan(&body, mv, SDPCRYPTO_M_MAX);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(mv[0].n, 2);       /* the session-level line is no
					      stream's */
	CU_ASSERT_TRUE(sdpcrypto_savp(&mv[0].proto));
	CU_ASSERT_FALSE(mv[0].port0);
	CU_ASSERT_EQUAL(pl_strcmp(&mv[0].crypto[1],
				  "2 AES_CM_128_HMAC_SHA1_32 inline:" KEY), 0);
	CU_ASSERT_EQUAL(mv[1].n, 0);
	CU_ASSERT_TRUE(mv[1].port0);
	CU_ASSERT_FALSE(sdpcrypto_savp(&mv[1].proto));
}


static void test_sdpcrypto_encode_round_trip(void)
{
	uint8_t key[30];
	struct sdpcrypto c;
	char *val = NULL;
	struct pl pl;

	rand_bytes(key, sizeof(key));
	CU_ASSERT_EQUAL_FATAL(sdpcrypto_encode(&val, 3,
					       "AES_CM_128_HMAC_SHA1_32", key,
					       sizeof(key)), 0);
	pl_set_str(&pl, val);
	CU_ASSERT_EQUAL_FATAL(sdpcrypto_decode(&c, &pl, NULL, 0), 0);
	CU_ASSERT_EQUAL(c.tag, 3);
	CU_ASSERT_EQUAL(c.keylen, 30);
	CU_ASSERT_EQUAL(memcmp(c.key, key, 30), 0);
	mem_deref(val);

	CU_ASSERT_TRUE(sdpcrypto_suite_ok("AES_CM_128_HMAC_SHA1_80"));
	CU_ASSERT_FALSE(sdpcrypto_suite_ok("AES_CM_128_HMAC_SHA1_81"));
	CU_ASSERT_FALSE(sdpcrypto_suite_ok(NULL));
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"rfc4568_example", test_sdpcrypto_rfc4568_example},
		{"faults_named", test_sdpcrypto_faults_named},
		{"key_never_printed", test_sdpcrypto_key_never_printed},
		{"scan_sections", test_sdpcrypto_scan_sections},
		{"encode_round_trip", test_sdpcrypto_encode_round_trip},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("sdpcrypto", tests);
}
