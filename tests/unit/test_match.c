/* tests/unit/test_match.c — a message matched to its step
 * (engine/check/match.c): method or status and direction, the response
 * taken only by the step of the request it answers (docs/engine.md
 * "Which request a response step answers", RFC 3261 §17.1.3), the ACK
 * of a non-2xx on the INVITE's branch, a proxy's forward keeping Call-ID
 * and CSeq (§16.6) */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "match.h"


/* A sends B an INVITE and an OPTIONS; B answers the OPTIONS first, F3
 * (its assoc: F2, the nearest request not yet answered), then the
 * INVITE, F4; F5 takes a busy or a decline; P forwards A's MESSAGE */
static const char flow[] =
	"roles:\n"
	"  A: {kind: ua}\n"
	"  B: {kind: ua}\n"
	"  P: {kind: proxy}\n"
	"steps:\n"
	"  - F1: INVITE A -> B\n"
	"  - F2: OPTIONS A -> B\n"
	"  - F3: 200 OK B -> A\n"
	"  - F4: 200 OK B -> A\n"
	"  - F5: 486 Busy Here B -> A\n"
	"    answers: F1\n"
	"    status: [486, 603]\n"
	"  - F6: ACK A -> B\n"
	"  - F7: MESSAGE A -> P\n"
	"  - F8: MESSAGE P -> B\n";

static struct scenario *sc;
static struct fx_run fr;
static struct msgrec *steprec[16];
static struct role *A, *B, *P;


static void setup(void)
{
	sc = fx_run_flow(&fr, flow);
	CU_ASSERT_FATAL(sc->nsteps <= ARRAY_SIZE(steprec));
	A = scenario_role(sc, "A");
	B = scenario_role(sc, "B");
	P = scenario_role(sc, "P");
	memset(steprec, 0, sizeof(steprec));
}


static void teardown(void)
{
	fx_run_end(&fr);
	sc = mem_deref(sc);
}


static struct msgrec *rec(const struct fx_sip *s, struct role *from,
			  struct role *to)
{
	return fx_run_msg(&fr, s, from, to);
}


static struct msgrec *pass(struct msgrec *r)
{
	return fx_run_pass(&fr, r);
}


/* match r against step id; *why gets the reason for MATCH_BAD */
static enum match_res try(const char *id, struct msgrec *r, char **why)
{
	const struct step *st = scenario_step(sc, id);
	struct msgrec *ant = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	*why = mem_deref(*why);
	return match_step(st, sc, r, &fr.ledgers, steprec, &ant, why);
}


/* the reason is want, word for word (else it is printed) */
static bool says(const char *why, const char *want)
{
	if (why && !strcmp(why, want))
		return true;
	re_fprintf(stderr, "\n  reason: %s\n  wanted: %s\n", why, want);
	return false;
}


/* the reason has part in it */
static bool mentions(const char *why, const char *part)
{
	if (why && strstr(why, part))
		return true;
	re_fprintf(stderr, "\n  reason: %s\n  wanted in it: %s\n", why,
		   part);
	return false;
}


/* A's INVITE (F1) and OPTIONS (F2), both played */
static void play_requests(struct msgrec **inv, struct msgrec **opt)
{
	*inv = pass(rec(&(struct fx_sip){.method = "INVITE",
		.branch = "inv", .cseq = 1}, A, B));
	*opt = pass(rec(&(struct fx_sip){.method = "OPTIONS",
		.branch = "opt", .cseq = 2}, A, B));
	(*inv)->step = scenario_step(sc, "F1");
	(*opt)->step = scenario_step(sc, "F2");
	steprec[(*inv)->step->idx] = *inv;
	steprec[(*opt)->step->idx] = *opt;
}


/* the kind first: method or status (one of status:), sender and
 * receiver */
static void test_kind_and_direction(void)
{
	struct msgrec *inv, *opt;
	const struct step *f1, *f5;

	setup();
	play_requests(&inv, &opt);
	f1 = scenario_step(sc, "F1");
	f5 = scenario_step(sc, "F5");

	CU_ASSERT_TRUE(match_kind(f1, inv));
	CU_ASSERT_FALSE(match_kind(f1, opt));
	CU_ASSERT_FALSE(match_kind(f1, rec(&(struct fx_sip){
		.method = "INVITE", .branch = "x"}, B, A)));
	CU_ASSERT_FALSE(match_kind(f1, rec(&(struct fx_sip){
		.method = "INVITE", .branch = "x"}, A, P)));
	CU_ASSERT_FALSE(match_kind(f1, rec(&(struct fx_sip){
		.code = 200, .branch = "inv"}, A, B)));

	CU_ASSERT_TRUE(match_kind(f5, rec(&(struct fx_sip){
		.code = 486, .branch = "inv", .totag = "tb"}, B, A)));
	CU_ASSERT_TRUE(match_kind(f5, rec(&(struct fx_sip){
		.code = 603, .branch = "inv", .totag = "tb"}, B, A)));
	CU_ASSERT_FALSE(match_kind(f5, rec(&(struct fx_sip){
		.code = 480, .branch = "inv", .totag = "tb"}, B, A)));
	CU_ASSERT_FALSE(match_kind(f5, rec(&(struct fx_sip){
		.code = 486, .branch = "inv", .totag = "tb"}, A, B)));
	teardown();
}


/* F3 answers F2 (the loader's association); the OPTIONS' 200 is F3's,
 * the INVITE's 200 is not: it answers F1, so F4's (§17.1.3) */
static void test_response_to_its_request_step(void)
{
	struct msgrec *inv, *opt, *ok_opt, *ok_inv, *req = NULL;
	const struct step *f3, *f4;
	char *why = NULL;

	setup();
	play_requests(&inv, &opt);
	f3 = scenario_step(sc, "F3");
	f4 = scenario_step(sc, "F4");
	CU_ASSERT_PTR_EQUAL_FATAL(f3->assoc, scenario_step(sc, "F2"));
	CU_ASSERT_PTR_EQUAL_FATAL(f4->assoc, scenario_step(sc, "F1"));

	ok_inv = pass(rec(&(struct fx_sip){.code = 200,
		.branch = "inv", .cseq = 1, .met = "INVITE",
		.totag = "tb"}, B, A));
	ok_opt = pass(rec(&(struct fx_sip){.code = 200,
		.branch = "opt", .cseq = 2, .met = "OPTIONS",
		.totag = "tb"}, B, A));

	CU_ASSERT_EQUAL(try("F3", ok_opt, &why), MATCH_YES);
	CU_ASSERT_EQUAL(try("F4", ok_inv, &why), MATCH_YES);

	CU_ASSERT_TRUE(match_answers_other(f3, ok_inv, &fr.ledgers, steprec,
					   &req));
	CU_ASSERT_PTR_EQUAL(req, inv);
	CU_ASSERT_FALSE(match_answers_other(f3, ok_opt, &fr.ledgers, steprec,
					    NULL));
	CU_ASSERT_EQUAL(try("F3", ok_inv, &why), MATCH_BAD);
	CU_ASSERT_TRUE(says(why, "got 200 OK to INVITE F1 (CSeq 1 INVITE, "
			       "frame 0); F3 waits for the answer to "
			       "OPTIONS F2"));
	CU_ASSERT_EQUAL(try("F4", ok_opt, &why), MATCH_BAD);
	CU_ASSERT_TRUE(mentions(why, "F4 waits for the answer "
					     "to INVITE F1"));

	/* the request step was not played: no response is its */
	steprec[scenario_step(sc, "F2")->idx] = NULL;
	CU_ASSERT_EQUAL(try("F3", ok_opt, &why), MATCH_BAD);
	CU_ASSERT_TRUE(mentions(why, ", which was not played"));
	mem_deref(why);
	teardown();
}


/* a response to no request its receiver sent (another branch, or the
 * branch with another CSeq method) is no step's answer */
static void test_response_to_no_transaction(void)
{
	struct msgrec *inv, *opt, *r;
	char *why = NULL;

	setup();
	play_requests(&inv, &opt);

	r = pass(rec(&(struct fx_sip){.code = 200,
		.branch = "zzz", .cseq = 1, .met = "INVITE",
		.totag = "tb"}, B, A));
	CU_ASSERT_FALSE(match_answers_other(scenario_step(sc, "F4"), r,
					    &fr.ledgers, steprec, NULL));
	CU_ASSERT_EQUAL(try("F4", r, &why), MATCH_BAD);
	CU_ASSERT_TRUE(says(why, "200 OK does not answer any request A "
			       "sent (Via branch z9hG4bKzzz, CSeq 1 INVITE; "
			       "RFC 3261 §17.1.3)"));

	r = pass(rec(&(struct fx_sip){.code = 200,
		.branch = "inv", .cseq = 1, .met = "OPTIONS",
		.totag = "tb"}, B, A));
	CU_ASSERT_EQUAL(try("F3", r, &why), MATCH_BAD);
	CU_ASSERT_TRUE(mentions(why, "does not answer any"));
	mem_deref(why);
	teardown();
}


/* §17.1.1.3: the ACK of B's 486 reuses the INVITE's branch; an ACK on
 * another branch is F6's message, and wrong */
static void test_ack_of_non2xx_reuses_branch(void)
{
	struct msgrec *inv, *opt, *ack;
	char *why = NULL;

	setup();
	play_requests(&inv, &opt);
	pass(rec(&(struct fx_sip){.code = 486, .branch = "inv",
		.cseq = 1, .totag = "tb"}, B, A));
	CU_ASSERT_EQUAL(inv->answered, 486);

	ack = pass(rec(&(struct fx_sip){.method = "ACK",
		.branch = "inv", .cseq = 1, .totag = "tb"}, A, B));
	CU_ASSERT_EQUAL(try("F6", ack, &why), MATCH_YES);

	ack = pass(rec(&(struct fx_sip){.method = "ACK",
		.branch = "new", .cseq = 1, .totag = "tb"}, A, B));
	CU_ASSERT_EQUAL(try("F6", ack, &why), MATCH_BAD);
	CU_ASSERT_TRUE(says(why, "ACK for 486 must reuse the INVITE's "
			       "branch z9hG4bKinv (F1), got z9hG4bKnew "
			       "(RFC 3261 §17.1.1.3)"));
	mem_deref(why);
	teardown();
}


/* §16.6: what P forwards keeps the Call-ID and CSeq of what it got; the
 * request it forwards comes back in *antp */
static void test_proxy_forward_keeps_ids(void)
{
	const struct step *f8;
	struct msgrec *in, *out, *ant = NULL;
	char *why = NULL;

	setup();
	f8 = scenario_step(sc, "F8");
	in = pass(rec(&(struct fx_sip){.method = "MESSAGE",
		.branch = "m1", .cseq = 5, .callid = "msg-1"}, A, P));
	in->step = scenario_step(sc, "F7");
	steprec[in->step->idx] = in;

	out = rec(&(struct fx_sip){.method = "MESSAGE", .branch = "p1",
		.cseq = 5, .callid = "msg-1"}, P, B);
	CU_ASSERT_EQUAL(match_step(f8, sc, out, &fr.ledgers, steprec, &ant,
				   &why), MATCH_YES);
	CU_ASSERT_PTR_EQUAL(ant, in);

	out = rec(&(struct fx_sip){.method = "MESSAGE", .branch = "p1",
		.cseq = 6, .callid = "msg-1"}, P, B);
	CU_ASSERT_EQUAL(try("F8", out, &why), MATCH_BAD);
	CU_ASSERT_TRUE(says(why, "forwarded MESSAGE has CSeq 6, but the "
			       "MESSAGE it forwards (F7) has 5 "
			       "(RFC 3261 §16.6)"));

	out = rec(&(struct fx_sip){.method = "MESSAGE", .branch = "p1",
		.cseq = 5, .callid = "msg-2"}, P, B);
	CU_ASSERT_EQUAL(try("F8", out, &why), MATCH_BAD);
	CU_ASSERT_TRUE(mentions(why, "has Call-ID msg-2, but "
					     "the MESSAGE it forwards (F7) "
					     "has msg-1"));
	mem_deref(why);
	teardown();
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"kind_and_direction", test_kind_and_direction},
		{"response_to_its_request_step",
		 test_response_to_its_request_step},
		{"response_to_no_transaction",
		 test_response_to_no_transaction},
		{"ack_of_non2xx_reuses_branch",
		 test_ack_of_non2xx_reuses_branch},
		{"proxy_forward_keeps_ids", test_proxy_forward_keeps_ids},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("match", tests);
}
