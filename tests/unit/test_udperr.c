/* tests/unit/test_udperr.c — a UDP socket hears "port unreachable" from
 * an address where nothing listens (IPv4 and IPv6), and only when asked */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "udperr.h"


enum { WAIT_MS = 2000 };

struct probe {
	struct udp_sock *us;
	int af;
	unsigned errors;      /* udperr_h calls */
	struct sa peer;       /* the address it named */
	char why[128];
	bool echo;            /* our own datagram came back */
	struct tmr tmr;
};


static void unreach_h(const struct sa *peer, const char *why, void *arg)
{
	struct probe *p = arg;

	++p->errors;
	p->peer = *peer;
	str_ncpy(p->why, why, sizeof(p->why));
	re_cancel();
}


static void error_h(int err, void *arg)
{
	struct probe *p = arg;

	(void)err;
	udperr_drain(p->us, p->af, unreach_h, p);
}


static void recv_h(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct probe *p = arg;

	(void)src;
	(void)mb;
	p->echo = true;
	re_cancel();
}


static void timeout_h(void *arg)
{
	(void)arg;
	re_cancel();
}


/* an address of host where nothing listens: bound once, then closed */
static void closed_port(struct sa *sa, const char *host)
{
	struct udp_sock *tmp = NULL;

	CU_ASSERT_EQUAL_FATAL(sa_set_str(sa, host, 0), 0);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&tmp, sa, NULL, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(udp_local_get(tmp, sa), 0);
	mem_deref(tmp);
}


/* send one datagram to a closed port of host, then (to know the ICMP,
 * if any, has come) one to ourselves; run the loop until the error or
 * our own datagram arrives, WAIT_MS at most */
static void probe(struct probe *p, const char *host, bool enable)
{
	struct sa laddr, dst;
	struct mbuf *mb = mbuf_alloc(16);

	memset(p, 0, sizeof(*p));
	tmr_init(&p->tmr);
	closed_port(&dst, host);
	CU_ASSERT_EQUAL_FATAL(sa_set_str(&laddr, host, 0), 0);
	p->af = sa_af(&laddr);
	CU_ASSERT_EQUAL_FATAL(udp_listen(&p->us, &laddr, recv_h, p), 0);
	CU_ASSERT_EQUAL_FATAL(udp_local_get(p->us, &laddr), 0);
	udp_error_handler_set(p->us, error_h);
	if (enable)
		CU_ASSERT_EQUAL(udperr_enable(p->us, p->af), 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_write_str(mb, "OPTIONS");
	mb->pos = 0;
	CU_ASSERT_EQUAL(udp_send(p->us, &dst, mb), 0);
	if (!enable) {
		mb->pos = 0;
		CU_ASSERT_EQUAL(udp_send(p->us, &laddr, mb), 0);
	}
	mem_deref(mb);

	tmr_start(&p->tmr, WAIT_MS, timeout_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&p->tmr);

	if (enable) {
		CU_ASSERT_EQUAL(p->errors, 1);
		CU_ASSERT_TRUE(sa_cmp(&p->peer, &dst, SA_ALL));
		CU_ASSERT_STRING_EQUAL(p->why, "answered ICMP port "
				       "unreachable (nothing listens there)");
	}
	else {
		CU_ASSERT_TRUE(p->echo);
		CU_ASSERT_EQUAL(p->errors, 0);
	}
	p->us = mem_deref(p->us);
}


static void test_port_unreachable_named_ipv4(void)
{
	struct probe p;

	probe(&p, "127.0.0.1", true);
}


static void test_port_unreachable_named_ipv6(void)
{
	struct probe p;

	probe(&p, "::1", true);
}


/* Linux tells an unconnected socket nothing without IP_RECVERR */
static void test_not_asked_not_told(void)
{
	struct probe p;

	probe(&p, "127.0.0.1", false);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"port_unreachable_named_ipv4",
		 test_port_unreachable_named_ipv4},
		{"port_unreachable_named_ipv6",
		 test_port_unreachable_named_ipv6},
		{"not_asked_not_told", test_not_asked_not_told},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("udperr", tests);
}
