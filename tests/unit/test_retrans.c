/* tests/unit/test_retrans.c — RFC 3261 timer arithmetic
 * (engine/sip/retrans.c): which messages are resent, the intervals of
 * Timer A, E and G and of a 2xx, their caps, 64*T1, and the timers a run
 * takes */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "scenario.h"
#include "retrans.h"
#include "cunit_main.h"

static const struct sip_timers rfc = {500, 4000, 5000};


static struct sip_msg *parse(const char *text)
{
	struct mbuf *mb = mbuf_alloc(512);
	struct sip_msg *m = NULL;

	CU_ASSERT_FATAL(mb != NULL);
	(void)mbuf_write_str(mb, text);
	mb->pos = 0;
	CU_ASSERT_EQUAL(sip_msg_decode(&m, mb), 0);
	mem_deref(mb);

	return m;
}


static struct sip_msg *req(const char *method)
{
	char buf[512];

	re_snprintf(buf, sizeof(buf),
		    "%s sip:b@x SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKa\r\n"
		    "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\n"
		    "Call-ID: c\r\nCSeq: 1 %s\r\nContent-Length: 0\r\n\r\n",
		    method, method);
	return parse(buf);
}


static struct sip_msg *resp(uint16_t scode, const char *method)
{
	char buf[512];

	re_snprintf(buf, sizeof(buf),
		    "SIP/2.0 %u X\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKa\r\n"
		    "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\n"
		    "Call-ID: c\r\nCSeq: 1 %s\r\nContent-Length: 0\r\n\r\n",
		    scode, method);
	return parse(buf);
}


static enum rtx_kind kind_of(struct sip_msg *m, bool uas)
{
	enum rtx_kind k = retrans_kind(m, uas);

	mem_deref(m);
	return k;
}


static void test_what_is_retransmitted(void)
{
	CU_ASSERT_EQUAL(kind_of(req("INVITE"), true), RTX_INVITE);
	CU_ASSERT_EQUAL(kind_of(req("OPTIONS"), true), RTX_NONINVITE);
	CU_ASSERT_EQUAL(kind_of(req("BYE"), false), RTX_NONINVITE);
	CU_ASSERT_EQUAL(kind_of(req("CANCEL"), true), RTX_NONINVITE);
	/* an ACK has no transaction; it is resent only for a resent final */
	CU_ASSERT_EQUAL(kind_of(req("ACK"), true), RTX_NONE);
	CU_ASSERT_EQUAL(kind_of(resp(180, "INVITE"), true), RTX_NONE);
	CU_ASSERT_EQUAL(kind_of(resp(200, "INVITE"), true), RTX_2XX);
	/* a proxy passes the UAS's 2xx on, it does not resend it (§16.7) */
	CU_ASSERT_EQUAL(kind_of(resp(200, "INVITE"), false), RTX_NONE);
	CU_ASSERT_EQUAL(kind_of(resp(486, "INVITE"), true), RTX_FINAL);
	CU_ASSERT_EQUAL(kind_of(resp(486, "INVITE"), false), RTX_FINAL);
	/* a non-INVITE server resends only when the request comes again */
	CU_ASSERT_EQUAL(kind_of(resp(200, "OPTIONS"), true), RTX_NONE);
	CU_ASSERT_EQUAL(retrans_kind(NULL, true), RTX_NONE);
}


static void test_timer_a_doubles_without_cap(void)
{
	static const uint32_t want[] = {500, 1000, 2000, 4000, 8000, 16000};
	uint32_t ival = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ival = retrans_next(RTX_INVITE, ival, false, &rfc);
		CU_ASSERT_EQUAL(ival, want[i]);
		CU_ASSERT_EQUAL(retrans_ival(RTX_INVITE, (unsigned)i + 1,
					     &rfc), want[i]);
	}
	/* a provisional stops Timer A outright; it never slows it */
	CU_ASSERT_EQUAL(retrans_next(RTX_INVITE, 1000, true, &rfc), 2000);
}


static void test_timer_e_g_and_2xx_cap_at_t2(void)
{
	static const uint32_t want[] = {500, 1000, 2000, 4000, 4000, 4000};
	static const enum rtx_kind kinds[] = {RTX_NONINVITE, RTX_FINAL,
					      RTX_2XX};
	size_t i, k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		uint32_t ival = 0;

		for (i = 0; i < ARRAY_SIZE(want); i++) {
			ival = retrans_next(kinds[k], ival, false, &rfc);
			CU_ASSERT_EQUAL(ival, want[i]);
		}
	}
}


static void test_timer_e_is_t2_once_proceeding(void)
{
	CU_ASSERT_EQUAL(retrans_next(RTX_NONINVITE, 0, true, &rfc), 4000);
	CU_ASSERT_EQUAL(retrans_next(RTX_NONINVITE, 500, true, &rfc), 4000);
	/* Timer G knows no proceeding state */
	CU_ASSERT_EQUAL(retrans_next(RTX_FINAL, 500, true, &rfc), 1000);
	CU_ASSERT_EQUAL(retrans_next(RTX_NONE, 500, false, &rfc), 0);
}


static void test_short_timers(void)
{
	static const struct sip_timers t = {50, 200, 5000};

	CU_ASSERT_EQUAL(retrans_ival(RTX_FINAL, 1, &t), 50);
	CU_ASSERT_EQUAL(retrans_ival(RTX_FINAL, 3, &t), 200);
	CU_ASSERT_EQUAL(retrans_ival(RTX_FINAL, 9, &t), 200);
	CU_ASSERT_EQUAL(retrans_ival(RTX_INVITE, 5, &t), 800);
	CU_ASSERT_EQUAL(retrans_limit(&t), 3200);
	CU_ASSERT_EQUAL(retrans_ival(RTX_NONE, 1, &t), 0);
}


static void test_64_t1(void)
{
	CU_ASSERT_EQUAL(retrans_limit(&rfc), 32000);
	CU_ASSERT_STRING_EQUAL(retrans_timer_name(RTX_INVITE), "Timer B");
	CU_ASSERT_STRING_EQUAL(retrans_timer_name(RTX_NONINVITE), "Timer F");
	CU_ASSERT_STRING_EQUAL(retrans_timer_name(RTX_FINAL), "Timer H");
}


static void test_cli_wins_over_scenario(void)
{
	struct sip_timers cli = {0, 0, 0}, sc = {0, 0, 0}, t;

	sip_timers_resolve(&t, NULL, NULL);
	CU_ASSERT_EQUAL(t.t1, 500);
	CU_ASSERT_EQUAL(t.t2, 4000);
	CU_ASSERT_EQUAL(t.t4, 5000);

	CU_ASSERT_EQUAL(sip_timer_set(&sc, "T1", "100ms"), 0);
	CU_ASSERT_EQUAL(sip_timer_set(&sc, "T2", "1s"), 0);
	CU_ASSERT_EQUAL(sip_timer_set(&cli, "t1", "50ms"), 0);
	sip_timers_resolve(&t, &cli, &sc);
	CU_ASSERT_EQUAL(t.t1, 50);
	CU_ASSERT_EQUAL(t.t2, 1000);
	CU_ASSERT_EQUAL(t.t4, 5000);
	CU_ASSERT_TRUE(sip_timers_valid(&t));

	CU_ASSERT_EQUAL(sip_timer_set(&cli, "T3", "1s"), EINVAL);
	CU_ASSERT_EQUAL(sip_timer_set(&cli, "T1", "0ms"), EINVAL);
	CU_ASSERT_EQUAL(sip_timer_set(&cli, "T1", "soon"), EINVAL);
	CU_ASSERT_EQUAL(sip_timer_set(&cli, "T2", "10ms"), 0);
	sip_timers_resolve(&t, &cli, &sc);
	CU_ASSERT_FALSE(sip_timers_valid(&t));
}


static void test_window_around_the_interval(void)
{
	uint32_t lo, hi;

	retrans_window(500, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 375);
	CU_ASSERT_EQUAL(hi, 950);
	/* the next interval of the sequence is not "about T1" */
	CU_ASSERT_TRUE(1000 > hi);
	retrans_window(100, &lo, &hi);
	CU_ASSERT_EQUAL(lo, 75);
	CU_ASSERT_EQUAL(hi, 350);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"what_is_retransmitted", test_what_is_retransmitted},
		{"timer_a_doubles_without_cap",
		 test_timer_a_doubles_without_cap},
		{"timer_e_g_and_2xx_cap_at_t2",
		 test_timer_e_g_and_2xx_cap_at_t2},
		{"timer_e_is_t2_once_proceeding",
		 test_timer_e_is_t2_once_proceeding},
		{"short_timers", test_short_timers},
		{"64_t1", test_64_t1},
		{"cli_wins_over_scenario", test_cli_wins_over_scenario},
		{"window_around_the_interval",
		 test_window_around_the_interval},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("retrans", tests);
}
