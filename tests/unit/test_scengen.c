/* tests/unit/test_scengen.c — a capture's roles and any-order groups
 * (capture/scengen_guess.c), fed message by message: who sends the first
 * INVITE, who relays (one Via more), who registers or challenges, who is
 * reached; which messages no causality orders */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scengen.h"


/* a request or response from src to dst: met, status (0: a request),
 * call 0, CSeq 1, Via and Record-Route counts */
#define REQ(s, d, m, via, rr) {s, d, true, m, 0, 0, 1, via, rr}
#define RSP(s, d, m, code, via) {s, d, false, m, code, 0, 1, via, 0}


static void guess(struct scengen_role *rv, size_t nep,
		  const struct scengen_msg *mv, size_t n)
{
	CU_ASSERT_EQUAL_FATAL(scengen_roles(rv, nep, mv, n), 0);
}


/* the roles of all of rv's endpoints, guessed afresh from all of mv */
#define GUESS(rv, mv) do {						\
		memset((rv), 0, sizeof(rv));				\
		guess((rv), ARRAY_SIZE(rv), (mv), ARRAY_SIZE(mv));	\
	} while (0)


static void test_roles_caller_proxy_callee(void)
{
	/* 0 caller, 1 proxy (adds a Via and a Record-Route), 2 callee */
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "INVITE", 1, 0),
		RSP(1, 0, "INVITE", 100, 1),
		REQ(1, 2, "INVITE", 2, 1),
		RSP(2, 1, "INVITE", 180, 2),
		RSP(1, 0, "INVITE", 180, 1),
	};
	struct scengen_role rv[3];

	GUESS(rv, mv);
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");
	CU_ASSERT_FALSE(rv[0].proxy);
	CU_ASSERT_STRING_EQUAL(rv[1].name, "P");
	CU_ASSERT_TRUE(rv[1].proxy);
	CU_ASSERT_TRUE(rv[1].rr);
	CU_ASSERT_STRING_EQUAL(rv[1].why, "relays requests");
	CU_ASSERT_STRING_EQUAL(rv[2].name, "B");
	CU_ASSERT_FALSE(rv[2].proxy);
}


static void test_roles_a_is_the_inviter_not_the_first_seen(void)
{
	/* 0 sends an OPTIONS first; 2 sends the first INVITE through 1 to
	 * 3: 2 is A, the others B, C in order of appearance */
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "OPTIONS", 1, 0),
		RSP(1, 0, "OPTIONS", 200, 1),
		REQ(2, 1, "INVITE", 1, 0),
		REQ(1, 3, "INVITE", 2, 0),
	};
	struct scengen_role rv[4];

	GUESS(rv, mv);
	CU_ASSERT_STRING_EQUAL(rv[2].name, "A");
	CU_ASSERT_STRING_EQUAL(rv[1].name, "P");
	CU_ASSERT_FALSE(rv[1].rr);             /* no Record-Route added */
	CU_ASSERT_STRING_EQUAL(rv[0].name, "B");
	CU_ASSERT_STRING_EQUAL(rv[3].name, "C");
}


static void test_roles_two_proxies_are_p1_p2(void)
{
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "INVITE", 1, 0),
		REQ(1, 2, "INVITE", 2, 1),
		REQ(2, 3, "INVITE", 3, 2),
	};
	struct scengen_role rv[4];

	GUESS(rv, mv);
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");
	CU_ASSERT_STRING_EQUAL(rv[1].name, "P1");
	CU_ASSERT_STRING_EQUAL(rv[2].name, "P2");
	CU_ASSERT_STRING_EQUAL(rv[3].name, "B");
}


static void test_roles_registrar_and_challenger_are_proxies(void)
{
	static const struct scengen_msg reg[] = {
		REQ(0, 1, "REGISTER", 1, 0),
		RSP(1, 0, "REGISTER", 200, 1),
	};
	static const struct scengen_msg chal[] = {
		REQ(0, 1, "INVITE", 1, 0),
		RSP(1, 0, "INVITE", 407, 1),
	};
	struct scengen_role rv[2];

	GUESS(rv, reg);
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");   /* the first request */
	CU_ASSERT_STRING_EQUAL(rv[1].name, "P");
	CU_ASSERT_STRING_EQUAL(rv[1].why, "answers REGISTER");

	GUESS(rv, chal);
	CU_ASSERT_TRUE(rv[1].proxy);
	CU_ASSERT_STRING_EQUAL(rv[1].why, "challenges with 407");
}


static void test_roles_not_a_relay(void)
{
	/* a new request with the same Via count (a B2BUA's own leg), or
	 * one sent back where it came from, is no relay */
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "INVITE", 1, 0),
		REQ(1, 2, "INVITE", 1, 0),
		REQ(2, 1, "BYE", 1, 0),
		REQ(1, 2, "BYE", 2, 0),          /* back to its sender */
	};
	struct scengen_role rv[3];

	GUESS(rv, mv);
	CU_ASSERT_FALSE(rv[1].proxy);
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");
	CU_ASSERT_STRING_EQUAL(rv[1].name, "B");
	CU_ASSERT_STRING_EQUAL(rv[2].name, "C");
}


/* an initial INVITE of call c at t ms, with one Via */
#define INV(s, d, c, t) {s, d, true, "INVITE", 0, c, 1, 1, 0, t, true}


static void test_roles_b2bua_by_time(void)
{
	/* 1, called by 0 (call 0), calls 2 with a new Call-ID (call 1)
	 * 20 ms later: a B2BUA, M, not a proxy; 0 is A, 2 is B */
	static const struct scengen_msg mv[] = {
		INV(0, 1, 0, 0),
		RSP(1, 0, "INVITE", 100, 1),
		INV(1, 2, 1, 20),
		RSP(2, 1, "INVITE", 180, 1),
	};
	/* the same a second and a half later: two calls, no B2BUA */
	static const struct scengen_msg late[] = {
		INV(0, 1, 0, 0),
		INV(1, 2, 1, 1500),
	};
	/* a new INVITE back to the caller is no other leg; one of the same
	 * call (a re-INVITE's To tag aside: not initial) is no new call */
	static const struct scengen_msg back[] = {
		INV(0, 1, 0, 0),
		INV(1, 0, 1, 10),
		INV(1, 2, 0, 20),
	};
	struct scengen_role rv[3];

	GUESS(rv, mv);
	CU_ASSERT_TRUE(rv[1].b2bua);
	CU_ASSERT_FALSE(rv[1].proxy);
	CU_ASSERT_STRING_EQUAL(rv[1].name, "M");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rv[1].why);
	CU_ASSERT_PTR_NOT_NULL(strstr(rv[1].why, "B2BUA"));
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");
	CU_ASSERT_STRING_EQUAL(rv[2].name, "B");
	CU_ASSERT_FALSE(rv[2].b2bua);

	GUESS(rv, late);
	CU_ASSERT_FALSE(rv[1].b2bua);
	CU_ASSERT_STRING_EQUAL(rv[1].name, "B");

	GUESS(rv, back);
	CU_ASSERT_FALSE(rv[1].b2bua);
	CU_ASSERT_STRING_EQUAL(rv[1].name, "B");
}


static void test_roles_many_uas_skip_m_and_p(void)
{
	/* 0 calls 1 … 25 (calls 0 … 24, a second apart: no B2BUA): B … L,
	 * N, O, Q … Z, then U1 */
	struct scengen_msg mv[25];
	struct scengen_role rv[26];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(mv); i++)
		mv[i] = (struct scengen_msg)INV(0, i + 1, i, i * 2000);
	GUESS(rv, mv);
	CU_ASSERT_STRING_EQUAL(rv[0].name, "A");
	CU_ASSERT_STRING_EQUAL(rv[1].name, "B");
	CU_ASSERT_STRING_EQUAL(rv[11].name, "L");
	CU_ASSERT_STRING_EQUAL(rv[12].name, "N");
	CU_ASSERT_STRING_EQUAL(rv[13].name, "O");
	CU_ASSERT_STRING_EQUAL(rv[14].name, "Q");
	CU_ASSERT_STRING_EQUAL(rv[23].name, "Z");
	CU_ASSERT_STRING_EQUAL(rv[24].name, "U1");
	CU_ASSERT_STRING_EQUAL(rv[25].name, "U2");
}


static void test_roles_given_names_stay(void)
{
	/* --roles named endpoint 2 "P": the proxy guessed (1) is then P1;
	 * endpoint 0, given "UAC", keeps it and A is not used */
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "INVITE", 1, 0),
		REQ(1, 2, "INVITE", 2, 0),
	};
	struct scengen_role rv[3];

	memset(rv, 0, sizeof(rv));
	str_ncpy(rv[0].name, "UAC", sizeof(rv[0].name));
	rv[0].given = true;
	str_ncpy(rv[2].name, "P", sizeof(rv[2].name));
	rv[2].given = true;
	guess(rv, ARRAY_SIZE(rv), mv, ARRAY_SIZE(mv));
	CU_ASSERT_STRING_EQUAL(rv[0].name, "UAC");
	CU_ASSERT_STRING_EQUAL(rv[1].name, "P1");
	CU_ASSERT_STRING_EQUAL(rv[2].name, "P");
}


static void test_causal(void)
{
	/* endpoints: 0 A, 1 P, 2 B, 3 C */
	static const struct scengen_msg inv_ab = REQ(1, 2, "INVITE", 2, 0);
	static const struct scengen_msg ring = RSP(2, 1, "INVITE", 180, 2);
	static const struct scengen_msg up181 = RSP(1, 0, "INVITE", 181, 1);
	static const struct scengen_msg cancel = REQ(1, 2, "CANCEL", 2, 0);
	static const struct scengen_msg ack_b = REQ(1, 2, "ACK", 2, 0);
	static const struct scengen_msg c200 = RSP(3, 1, "INVITE", 200, 2);

	/* a reaction: its sender had received the other */
	CU_ASSERT_TRUE(scengen_causal(&inv_ab, &ring));
	CU_ASSERT_TRUE(scengen_causal(&ring, &up181));
	/* one sender, one leg, one way: in order */
	CU_ASSERT_TRUE(scengen_causal(&cancel, &ack_b));
	/* one sender, two legs: a proxy's 181 up and CANCEL down */
	CU_ASSERT_FALSE(scengen_causal(&up181, &cancel));
	CU_ASSERT_FALSE(scengen_causal(&cancel, &up181));
	/* two senders to one receiver */
	CU_ASSERT_FALSE(scengen_causal(&ring, &c200));
	/* the other way round a reaction is one */
	CU_ASSERT_TRUE(scengen_causal(&c200, &cancel));
}


static void test_groups(void)
{
	/* 0 A, 1 P, 2 B */
	static const struct scengen_msg mv[] = {
		REQ(0, 1, "INVITE", 1, 0),        /* 0 */
		RSP(1, 0, "INVITE", 100, 1),      /* 1  P reacts */
		REQ(1, 2, "INVITE", 2, 0),        /* 2  P, other leg: with 1 */
		RSP(2, 1, "INVITE", 180, 2),      /* 3  B reacts to 2 */
		RSP(1, 0, "INVITE", 181, 1),      /* 4  P reacts to 3 */
		REQ(1, 2, "CANCEL", 2, 0),        /* 5  P, other leg: with 4 */
		RSP(2, 1, "CANCEL", 200, 2),      /* 6  B reacts to 5 */
	};
	static const uint32_t want[] = {0, 1, 1, 3, 4, 4, 6};
	static const uint32_t want_brk[] = {0, 1, 1, 3, 4, 5, 6};
	bool brk[ARRAY_SIZE(mv)] = {false};
	uint32_t first[ARRAY_SIZE(mv)];
	size_t i;

	scengen_groups(first, mv, NULL, ARRAY_SIZE(mv));
	for (i = 0; i < ARRAY_SIZE(mv); i++)
		CU_ASSERT_EQUAL(first[i], want[i]);

	/* a wait before 5 keeps it out of 4's group */
	brk[5] = true;
	scengen_groups(first, mv, brk, ARRAY_SIZE(mv));
	for (i = 0; i < ARRAY_SIZE(mv); i++)
		CU_ASSERT_EQUAL(first[i], want_brk[i]);
}


static void test_groups_every_member_counts(void)
{
	/* 2 is not ordered after 0 (P to A, then B to C) but is after 1
	 * (P to B): it starts a group of its own */
	static const struct scengen_msg mv[] = {
		RSP(1, 0, "INVITE", 181, 1),
		REQ(1, 2, "CANCEL", 2, 0),
		REQ(2, 3, "MESSAGE", 1, 0),
	};
	uint32_t first[3];

	scengen_groups(first, mv, NULL, 3);
	CU_ASSERT_EQUAL(first[0], 0);
	CU_ASSERT_EQUAL(first[1], 0);
	CU_ASSERT_EQUAL(first[2], 2);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"roles_caller_proxy_callee", test_roles_caller_proxy_callee},
		{"roles_a_is_the_inviter_not_the_first_seen",
		 test_roles_a_is_the_inviter_not_the_first_seen},
		{"roles_two_proxies_are_p1_p2",
		 test_roles_two_proxies_are_p1_p2},
		{"roles_registrar_and_challenger_are_proxies",
		 test_roles_registrar_and_challenger_are_proxies},
		{"roles_not_a_relay", test_roles_not_a_relay},
		{"roles_b2bua_by_time", test_roles_b2bua_by_time},
		{"roles_many_uas_skip_m_and_p",
		 test_roles_many_uas_skip_m_and_p},
		{"roles_given_names_stay", test_roles_given_names_stay},
		{"causal", test_causal},
		{"groups", test_groups},
		{"groups_every_member_counts",
		 test_groups_every_member_counts},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("scengen", tests);
}
