/* tests/unit/test_authcheck.c — digest credentials checked against the
 * challenge their receiver sent (engine/check/authcheck.c): RFC 3261 §22,
 * RFC 2617 §3.2.2, RFC 8760; the right answer passes, a wrong password, a
 * stale or unknown nonce, another realm, uri or algorithm fail with a
 * reason; expect: {auth: invalid | absent | valid} */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "digest.h"
#include "ledger.h"
#include "authcheck.h"


/* B is a registrar that knows alice's password (the role's auth:) */
static const char flow[] =
	"roles:\n"
	"  A: {kind: ua, auth: {user: alice, password: secret}}\n"
	"  B: {kind: ua}\n"
	"steps:\n"
	"  - F1: REGISTER A -> B\n"
	"  - F2: 401 Unauthorized B -> A\n"
	"  - F3: REGISTER A -> B\n"
	"  - F4: 200 OK B -> A\n"
	"  - F5: REGISTER A -> B\n"
	"    expect: {auth: invalid}\n"
	"  - F6: REGISTER A -> B\n"
	"    expect: {auth: absent}\n"
	"  - F7: REGISTER A -> B\n"
	"    expect: {auth: valid}\n";

#define CHAL "Digest realm=\"sipflow.test\", nonce=\"n1\", opaque=\"o1\""
#define QCHAL CHAL ", qop=\"auth\""

static struct scenario *sc;
static struct fx_run fr;
static struct role *A, *B;
static char *why;


static void setup(void)
{
	sc = fx_run_flow(&fr, flow);
	A = scenario_role(sc, "A");
	B = scenario_role(sc, "B");
	why = NULL;
}


static void teardown(void)
{
	fx_run_end(&fr);
	sc = mem_deref(sc);
	why = mem_deref(why);
}


/* A's REGISTER, B's challenge to it (code, with these header values),
 * as F1 and F2 */
static const struct msgrec *challenge(uint16_t code, const char *hval,
				      const char *hval2)
{
	const char *hn = code == 407 ? "Proxy-Authenticate" :
		"WWW-Authenticate";
	struct msgrec *reg, *ch;
	char extra[512];

	re_snprintf(extra, sizeof(extra), "%s: %s\r\n%s%s%s", hn, hval,
		    hval2 ? hn : "", hval2 ? ": " : "", hval2 ? hval2 : "");
	if (hval2)
		strcat(extra, "\r\n");

	reg = fx_run_pass(&fr, fx_run_msg(&fr, &(struct fx_sip){
		.method = "REGISTER", .branch = "r1", .cseq = 1}, A, B));
	reg->step = scenario_step(sc, "F1");
	ch = fx_run_pass(&fr, fx_run_msg(&fr, &(struct fx_sip){
		.code = code, .branch = "r1", .cseq = 1, .met = "REGISTER",
		.totag = "tb", .extra = extra}, B, A));
	ch->step = scenario_step(sc, "F2");
	return ch;
}


/* credentials answering challenge value hval for REGISTER to uri */
static char *answer(const char *hval, const char *user, const char *pass,
		    const char *uri)
{
	struct digest_chal c;
	struct pl v;
	char *cred = NULL, *err = NULL;

	pl_set_str(&v, hval);
	CU_ASSERT_EQUAL_FATAL(digest_chal_decode(&c, &v, &err), 0);
	CU_ASSERT_EQUAL_FATAL(digest_answer(&cred, &c, user, pass,
					    "REGISTER", uri), 0);
	return cred;
}


/* A's next REGISTER, carrying header hn: cred (none if cred is NULL),
 * checked as step id checks it; 0 or EACCES with why */
static int check(const char *id, const char *hn, char *cred)
{
	struct msgrec *r;
	char extra[1024] = "";

	if (cred)
		re_snprintf(extra, sizeof(extra), "%s: %s\r\n", hn, cred);
	mem_deref(cred);
	r = fx_run_msg(&fr, &(struct fx_sip){.method = "REGISTER",
		.branch = "r2", .cseq = 2, .extra = extra}, A, B);
	why = mem_deref(why);

	return auth_check(scenario_step(sc, id), r, &fr.ledgers, &why);
}


/* check(), with alice's answer to hval using pass, in Authorization */
static int answered(const char *id, const char *hval, const char *pass)
{
	return check(id, "Authorization",
		     answer(hval, "alice", pass, "sip:b@127.0.0.11"));
}


static bool says(const char *part)
{
	if (why && strstr(why, part))
		return true;
	re_fprintf(stderr, "\n  reason: %s\n  wanted in it: %s\n", why,
		   part);
	return false;
}


/* §22.2: the right answer to B's 401 passes; the same with another
 * password fails, and the reason does not show the password */
static void test_right_answer_passes_wrong_password_fails(void)
{
	setup();
	challenge(401, QCHAL, NULL);
	CU_ASSERT_EQUAL(answered("F3", QCHAL, "secret"), 0);
	CU_ASSERT_EQUAL(answered("F7", QCHAL, "secret"), 0);

	CU_ASSERT_EQUAL(answered("F3", QCHAL, "guess"), EACCES);
	CU_ASSERT_TRUE(says("digest response does not match for user alice "
			    "realm sipflow.test (wrong password?)"));
	CU_ASSERT_PTR_NULL(why ? strstr(why, "guess") : NULL);
	CU_ASSERT_PTR_NULL(why ? strstr(why, "secret") : NULL);
	teardown();
}


/* §22.3: a 407 is answered in Proxy-Authorization, not Authorization */
static void test_proxy_challenge(void)
{
	setup();
	challenge(407, CHAL, NULL);
	CU_ASSERT_EQUAL(check("F3", "Proxy-Authorization",
		answer(CHAL, "alice", "secret", "sip:b@127.0.0.11")), 0);
	CU_ASSERT_EQUAL(answered("F3", CHAL, "secret"), EACCES);
	CU_ASSERT_TRUE(says("no Proxy-Authorization answers B's challenge "
			    "(F2)"));
	teardown();
}


/* the nonce must be the one of B's newest challenge: an older one is
 * stale, one B never sent unknown (RFC 2617 §3.2.2) */
static void test_stale_and_unknown_nonce(void)
{
	static const char chal2[] = "Digest realm=\"sipflow.test\", "
		"nonce=\"n2\", opaque=\"o1\"";
	struct msgrec *again;

	setup();
	challenge(401, CHAL, NULL);
	again = fx_run_pass(&fr, fx_run_msg(&fr, &(struct fx_sip){
		.code = 401, .branch = "r9", .cseq = 9, .met = "REGISTER",
		.totag = "tb",
		.extra = "WWW-Authenticate: Digest realm=\"sipflow.test\", "
			 "nonce=\"n2\", opaque=\"o1\"\r\n"}, B, A));
	again->step = scenario_step(sc, "F4");

	CU_ASSERT_EQUAL(answered("F3", chal2, "secret"), 0);
	CU_ASSERT_EQUAL(answered("F3", CHAL, "secret"), EACCES);
	CU_ASSERT_TRUE(says("stale nonce: it is from B's 401 (F2), but B "
			    "challenged again (F4)"));
	CU_ASSERT_EQUAL(answered("F3", "Digest realm=\"sipflow.test\", "
				 "nonce=\"n7\", opaque=\"o1\"", "secret"),
			EACCES);
	CU_ASSERT_TRUE(says("unknown nonce \"n7\": B never issued it"));
	teardown();
}


/* §22.4: realm, opaque and uri as challenged and requested */
static void test_wrong_realm_opaque_uri(void)
{
	setup();
	challenge(401, CHAL, NULL);
	CU_ASSERT_EQUAL(answered("F3", "Digest realm=\"other.test\", "
				 "nonce=\"n1\", opaque=\"o1\"", "secret"),
			EACCES);
	CU_ASSERT_TRUE(says("realm \"other.test\" is not B's realm "
			    "\"sipflow.test\" (its 401 (F2))"));

	CU_ASSERT_EQUAL(answered("F3", "Digest realm=\"sipflow.test\", "
				 "nonce=\"n1\", opaque=\"o9\"", "secret"),
			EACCES);
	CU_ASSERT_TRUE(says("opaque is not returned as B sent it"));

	CU_ASSERT_EQUAL(check("F3", "Authorization",
		answer(CHAL, "alice", "secret", "sip:b@127.0.0.99")), EACCES);
	CU_ASSERT_TRUE(says("uri \"sip:b@127.0.0.99\" is not the "
			    "Request-URI \"sip:b@127.0.0.11\" "
			    "(RFC 3261 §22.4)"));

	CU_ASSERT_EQUAL(check("F3", "Authorization",
		answer(CHAL, "bob", "secret", "sip:b@127.0.0.11")), EACCES);
	CU_ASSERT_TRUE(says("user bob is not a user B knows"));
	teardown();
}


/* RFC 3261 §22.4 item 8: "If a client receives a "qop" parameter in a
 * challenge header field, it MUST send the "qop" parameter in any
 * resulting authorization header field" (RFC 2617 alone left it a
 * SHOULD): an answer without qop to a challenge with qop=auth fails,
 * the same answer with qop passes */
static void test_qop_as_challenged(void)
{
	setup();
	challenge(401, QCHAL, NULL);
	CU_ASSERT_EQUAL(answered("F3", QCHAL, "secret"), 0);
	CU_ASSERT_EQUAL(answered("F3", CHAL, "secret"), EACCES);
	CU_ASSERT_TRUE(says("no qop although B's challenge offers qop=auth "
			    "(RFC 3261 §22.4 item 8"));
	teardown();

	setup();
	challenge(401, CHAL, NULL);
	CU_ASSERT_EQUAL(answered("F3", CHAL, "secret"), 0);
	teardown();
}


/* a challenge answered with nothing: the next REGISTER must carry
 * credentials (auto); before any challenge none are asked for */
static void test_challenge_unanswered(void)
{
	setup();
	CU_ASSERT_EQUAL(check("F3", "Authorization", NULL), 0);
	challenge(401, CHAL, NULL);
	CU_ASSERT_EQUAL(check("F3", "Authorization", NULL), EACCES);
	CU_ASSERT_TRUE(says("no Authorization answers B's challenge (F2)"));
	teardown();
}


/* RFC 8760: the algorithm of one of the challenges offered */
static void test_algorithm_as_offered(void)
{
	static const char sha[] = "Digest realm=\"sipflow.test\", "
		"nonce=\"n1\", opaque=\"o1\", algorithm=SHA-256";
	static const char md5[] = "Digest realm=\"sipflow.test\", "
		"nonce=\"n1\", opaque=\"o1\", algorithm=MD5";

	setup();
	challenge(401, sha, md5);
	CU_ASSERT_EQUAL(answered("F3", sha, "secret"), 0);
	CU_ASSERT_EQUAL(answered("F3", md5, "secret"), 0);
	teardown();

	setup();
	challenge(401, sha, NULL);
	CU_ASSERT_EQUAL(answered("F3", md5, "secret"), EACCES);
	CU_ASSERT_TRUE(says("algorithm MD5 does not answer B's challenge "
			    "for SHA-256 (RFC 8760)"));
	teardown();
}


/* expect: {auth: invalid} wants credentials that do not check, {auth:
 * absent} none at all, {auth: valid} ones that check */
static void test_expect_invalid_absent_valid(void)
{
	setup();
	challenge(401, CHAL, NULL);
	CU_ASSERT_EQUAL(answered("F5", CHAL, "guess"), 0);
	CU_ASSERT_EQUAL(answered("F5", CHAL, "secret"), EACCES);
	CU_ASSERT_TRUE(says("Authorization checks for user alice; the step "
			    "expects credentials that do not"));
	CU_ASSERT_EQUAL(check("F5", "Authorization", NULL), EACCES);

	CU_ASSERT_EQUAL(check("F6", "Authorization", NULL), 0);
	CU_ASSERT_EQUAL(answered("F6", CHAL, "secret"), EACCES);
	CU_ASSERT_TRUE(says("carries Authorization; the step expects none"));

	CU_ASSERT_EQUAL(check("F7", "Authorization", NULL), EACCES);
	teardown();
}


/* a 401 to a request that carried credentials says whose it refused */
static void test_rejection_named(void)
{
	struct auth_reject rj;
	struct msgrec *reg, *no;
	char *cred, extra[1024], *line = NULL;

	setup();
	challenge(401, CHAL, NULL);
	cred = answer(CHAL, "alice", "guess", "sip:b@127.0.0.11");
	re_snprintf(extra, sizeof(extra), "Authorization: %s\r\n", cred);
	mem_deref(cred);
	reg = fx_run_pass(&fr, fx_run_msg(&fr, &(struct fx_sip){
		.method = "REGISTER", .branch = "r2", .cseq = 2,
		.extra = extra}, A, B));
	no = fx_run_pass(&fr, fx_run_msg(&fr, &(struct fx_sip){
		.code = 401, .branch = "r2", .cseq = 2, .met = "REGISTER",
		.totag = "tb", .extra = "WWW-Authenticate: " CHAL "\r\n"},
		B, A));
	(void)reg;

	rj.resp = no;
	rj.ledgers = &fr.ledgers;
	CU_ASSERT_EQUAL(re_sdprintf(&line, "%H", auth_rejected_print, &rj),
			0);
	CU_ASSERT_STRING_EQUAL(line, ": B rejected the credentials for user "
			       "alice (wrong password?)");
	line = mem_deref(line);

	/* the first 401, to a REGISTER without credentials: nothing */
	rj.resp = fr.recs[1];
	CU_ASSERT_EQUAL(re_sdprintf(&line, "%H", auth_rejected_print, &rj),
			0);
	CU_ASSERT_STRING_EQUAL(line, "");
	mem_deref(line);
	teardown();
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"right_answer_passes_wrong_password_fails",
		 test_right_answer_passes_wrong_password_fails},
		{"proxy_challenge", test_proxy_challenge},
		{"stale_and_unknown_nonce", test_stale_and_unknown_nonce},
		{"wrong_realm_opaque_uri", test_wrong_realm_opaque_uri},
		{"challenge_unanswered", test_challenge_unanswered},
		{"qop_as_challenged", test_qop_as_challenged},
		{"algorithm_as_offered", test_algorithm_as_offered},
		{"expect_invalid_absent_valid",
		 test_expect_invalid_absent_valid},
		{"rejection_named", test_rejection_named},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("authcheck", tests);
}
