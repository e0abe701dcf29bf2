/* tests/unit/test_digest.c — digest authentication: RFC test vectors,
 * challenge and credential parsing, answer and check round trips */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "digest.h"


static struct pl P(const char *s)
{
	struct pl pl;

	pl_set_str(&pl, s);
	return pl;
}


/* RFC 2617 §3.5: the example's response, MD5 with qop=auth */
static void test_digest_rfc2617_md5_vector(void)
{
	char hex[DIGEST_HEX_SIZE];
	struct digest_in in = {
		.algo = DIGEST_MD5,
		.user = P("Mufasa"), .realm = P("testrealm@host.com"),
		.nonce = P("dcd98b7102dd2f0e8b11d0f600bfb0c093"),
		.cnonce = P("0a4f113b"), .nc = P("00000001"),
		.qop = P("auth"), .method = P("GET"),
		.uri = P("/dir/index.html"), .pass = "Circle Of Life",
	};

	CU_ASSERT_EQUAL_FATAL(digest_compute(hex, &in), 0);
	CU_ASSERT_STRING_EQUAL(hex, "6629fae49393a05397450978507c4ef1");
}


/* RFC 7616 §3.9.1: the same request answered with MD5 and SHA-256 */
static void test_digest_rfc7616_md5_and_sha256_vectors(void)
{
	char hex[DIGEST_HEX_SIZE];
	struct digest_in in = {
		.algo = DIGEST_SHA256,
		.user = P("Mufasa"), .realm = P("http-auth@example.org"),
		.nonce = P("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"),
		.cnonce = P("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"),
		.nc = P("00000001"), .qop = P("auth"), .method = P("GET"),
		.uri = P("/dir/index.html"), .pass = "Circle of Life",
	};

	CU_ASSERT_EQUAL_FATAL(digest_compute(hex, &in), 0);
	CU_ASSERT_STRING_EQUAL(hex, "753927fa0e85d155564e2e272a28d180"
			       "2ca10daf4496794697cf8db5856cb6c1");

	in.algo = DIGEST_MD5;
	CU_ASSERT_EQUAL_FATAL(digest_compute(hex, &in), 0);
	CU_ASSERT_STRING_EQUAL(hex, "8ca523f5e9506fed4657c9700eebdbec");
}


/* the RFC 7616 §3.9.1 SHA-256 Authorization, as printed, checks out;
 * one character of the password off, and it does not */
static void test_digest_verify_rfc7616_credentials(void)
{
	struct pl v = P("Digest username=\"Mufasa\",\r\n"
		"  realm=\"http-auth@example.org\", uri=\"/dir/index.html\","
		" algorithm=SHA-256,\r\n"
		"  nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
		" nc=00000001,\r\n"
		"  cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\","
		" qop=auth, response=\"753927fa0e85d155564e2e272a28d1802ca10d"
		"af4496794697cf8db5856cb6c1\", opaque=\"FQhe/qaU925kfnzjCev0"
		"ciny7QMkPqMAFRtzCUYo5tdS\"");
	struct digest_cred cr;
	char *why = NULL;

	CU_ASSERT_EQUAL_FATAL(digest_cred_decode(&cr, &v, &why), 0);
	CU_ASSERT_EQUAL(cr.algo, DIGEST_SHA256);
	CU_ASSERT_EQUAL(pl_strcmp(&cr.username, "Mufasa"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&cr.uri, "/dir/index.html"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&cr.nc, "00000001"), 0);
	CU_ASSERT_EQUAL(digest_verify(&cr, "GET", "Circle of Life", &why), 0);
	CU_ASSERT_PTR_NULL(why);

	CU_ASSERT_EQUAL(digest_verify(&cr, "GET", "Circle Of Life", &why),
			EACCES);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "does not match for user Mufasa "
				     "realm http-auth@example.org"));
	CU_ASSERT_PTR_NULL(strstr(why, "Circle"));
	mem_deref(why);
}


static void test_digest_challenge_quoted_and_unquoted_params(void)
{
	struct pl v = P("  digest realm=\"lab, floor 2\",nonce=abc123 ,"
			"algorithm=sha-256,  qop=\"auth-int, auth\", "
			"opaque=\"a\\\"b\", stale=FALSE");
	struct digest_chal c;
	char *why = NULL;

	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&c.realm, "lab, floor 2"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&c.nonce, "abc123"), 0);
	CU_ASSERT_EQUAL(c.algo, DIGEST_SHA256);
	CU_ASSERT_TRUE(c.qop_auth);
	CU_ASSERT_EQUAL(pl_strcmp(&c.opaque, "a\\\"b"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&c.stale, "FALSE"), 0);

	/* no algorithm is MD5; qop=auth-int alone does not offer auth */
	v = P("Digest realm=r, nonce=n, qop=\"auth-int\"");
	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
	CU_ASSERT_EQUAL(c.algo, DIGEST_MD5);
	CU_ASSERT_FALSE(c.qop_auth);
	CU_ASSERT_PTR_NULL(why);
}


/* a broken challenge: an error and a reason, never a crash */
static void test_digest_challenge_bad_input(void)
{
	static const struct {
		const char *hval;
		int err;
		const char *why;
	} rows[] = {
		{"Digest realm=\"x\"", EBADMSG, "no nonce in the challenge"},
		{"Digest nonce=\"x\"", EBADMSG, "no realm in the challenge"},
		{"Basic realm=\"x\"", EBADMSG, "not Digest"},
		{"Digest", EBADMSG, "no parameters after Digest"},
		/* the scheme is named, the credentials never */
		{"Basic YWxpY2U6c2VjcmV0", EBADMSG, "not Digest: 'Basic'"},
		{"Digest nonce=n, realm=\"x", EBADMSG, "does not end"},
		{"Digest realm=\"x\" nonce=\"n\"", EBADMSG, "expected ','"},
		{"Digest =x, realm=\"x\"", EBADMSG, "name=value"},
		{"Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256",
		 ENOTSUP, "SHA-512-256"},
	};
	struct digest_chal c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct pl v = P(rows[i].hval);
		char *why = NULL;

		CU_ASSERT_EQUAL(digest_chal_decode(&c, &v, &why),
				rows[i].err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(why);
		CU_ASSERT_PTR_NOT_NULL(strstr(why, rows[i].why));
		mem_deref(why);
	}
}


/* a nonce of 100 kB is refused with its length, not hashed */
static void test_digest_hostile_length(void)
{
	size_t n = 100000;
	char *s = mem_zalloc(n + 64, NULL);
	struct digest_chal c;
	char *why = NULL;
	struct pl v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	strcpy(s, "Digest realm=\"x\", nonce=\"");
	memset(s + strlen(s), 'a', n);
	strcat(s, "\"");
	v = P(s);

	CU_ASSERT_EQUAL(digest_chal_decode(&c, &v, &why), EBADMSG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "nonce is 100000 bytes long"));
	mem_deref(why);
	mem_deref(s);
}


static void test_digest_credentials_need_response(void)
{
	struct pl v = P("Digest username=\"a\", realm=\"r\", nonce=\"n\", "
			"uri=\"sip:r\"");
	struct digest_cred cr;
	char *why = NULL;

	CU_ASSERT_EQUAL(digest_cred_decode(&cr, &v, &why), EBADMSG);
	CU_ASSERT_PTR_NOT_NULL_FATAL(why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "no response in the credentials"));
	mem_deref(why);
}


/* what digest_answer writes, digest_verify accepts, for every algorithm;
 * the password is nowhere in it */
static void test_digest_answer_round_trip(void)
{
	enum digest_algo a;

	for (a = DIGEST_MD5; a < DIGEST_NALGO; a++) {
		char *ch = NULL, *ans = NULL, *why = NULL;
		struct digest_chal c;
		struct digest_cred cr;
		struct pl v;

		CU_ASSERT_EQUAL_FATAL(digest_challenge(&ch, "example.test", a,
						       true), 0);
		v = P(ch);
		CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
		CU_ASSERT_EQUAL(c.algo, a);
		CU_ASSERT_TRUE(c.qop_auth);
		CU_ASSERT_TRUE(pl_isset(&c.opaque));

		CU_ASSERT_EQUAL_FATAL(digest_answer(&ans, &c, "alice",
						    "s3cret!", "REGISTER",
						    "sip:example.test"), 0);
		CU_ASSERT_PTR_NULL(strstr(ans, "s3cret"));
		v = P(ans);
		CU_ASSERT_EQUAL_FATAL(digest_cred_decode(&cr, &v, &why), 0);
		CU_ASSERT_EQUAL(cr.algo, a);
		CU_ASSERT_EQUAL(pl_cmp(&cr.opaque, &c.opaque), 0);
		CU_ASSERT_EQUAL(pl_cmp(&cr.nonce, &c.nonce), 0);
		CU_ASSERT_EQUAL(pl_strcmp(&cr.qop, "auth"), 0);
		CU_ASSERT_EQUAL(digest_verify(&cr, "REGISTER", "s3cret!",
					      &why), 0);
		CU_ASSERT_EQUAL(digest_verify(&cr, "REGISTER", "s3cret?",
					      &why), EACCES);
		/* the method is in HA2: an INVITE cannot reuse it */
		why = mem_deref(why);
		CU_ASSERT_EQUAL(digest_verify(&cr, "INVITE", "s3cret!",
					      &why), EACCES);
		mem_deref(why);
		mem_deref(ch);
		mem_deref(ans);
	}
}


/* RFC 2069 style: no qop in the challenge, none in the answer */
/* a nonce used again (pre-emptive credentials): nc is its count, in hex,
 * and is part of the hash */
static void test_digest_answer_nc(void)
{
	char *ch = NULL, *ans = NULL, *why = NULL;
	struct digest_chal c;
	struct digest_cred cr;
	struct pl v;

	CU_ASSERT_EQUAL_FATAL(digest_challenge(&ch, "example.test",
					       DIGEST_MD5, true), 0);
	v = P(ch);
	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
	CU_ASSERT_EQUAL_FATAL(digest_answer_nc(&ans, &c, "alice", "pw",
					       "REGISTER", "sip:example.test",
					       26), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(ans, ", nc=0000001a,"));
	v = P(ans);
	CU_ASSERT_EQUAL_FATAL(digest_cred_decode(&cr, &v, &why), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&cr.nc, "0000001a"), 0);
	CU_ASSERT_EQUAL(digest_verify(&cr, "REGISTER", "pw", &why), 0);

	/* the same answer claiming another count does not verify */
	cr.nc.p = "00000001";
	why = mem_deref(why);
	CU_ASSERT_EQUAL(digest_verify(&cr, "REGISTER", "pw", &why), EACCES);
	mem_deref(why);
	mem_deref(ch);
	mem_deref(ans);
}


static void test_digest_answer_without_qop(void)
{
	struct pl v = P("Digest realm=\"r\", nonce=\"n\"");
	struct digest_chal c;
	struct digest_cred cr;
	char *ans = NULL, *why = NULL;

	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
	CU_ASSERT_EQUAL_FATAL(digest_answer(&ans, &c, "u", "p", "INVITE",
					    "sip:b@r"), 0);
	CU_ASSERT_PTR_NULL(strstr(ans, "qop"));
	CU_ASSERT_PTR_NULL(strstr(ans, "cnonce"));
	CU_ASSERT_PTR_NULL(strstr(ans, "opaque"));
	v = P(ans);
	CU_ASSERT_EQUAL_FATAL(digest_cred_decode(&cr, &v, &why), 0);
	CU_ASSERT_EQUAL(digest_verify(&cr, "INVITE", "p", &why), 0);
	mem_deref(ans);

	/* qop=auth-int only: nothing we can answer */
	v = P("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"");
	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &why), 0);
	CU_ASSERT_EQUAL(digest_answer(&ans, &c, "u", "p", "INVITE", "x"),
			ENOTSUP);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"rfc2617_md5_vector", test_digest_rfc2617_md5_vector},
		{"rfc7616_md5_and_sha256_vectors",
		 test_digest_rfc7616_md5_and_sha256_vectors},
		{"verify_rfc7616_credentials",
		 test_digest_verify_rfc7616_credentials},
		{"challenge_quoted_and_unquoted_params",
		 test_digest_challenge_quoted_and_unquoted_params},
		{"challenge_bad_input", test_digest_challenge_bad_input},
		{"hostile_length", test_digest_hostile_length},
		{"credentials_need_response",
		 test_digest_credentials_need_response},
		{"answer_round_trip", test_digest_answer_round_trip},
		{"answer_without_qop", test_digest_answer_without_qop},
		{"answer_nc", test_digest_answer_nc},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("digest", tests);
}
