/* tests/unit/test_msrtp.c — SRTP on a media leg: what one side protects
 * the other authenticates and decrypts; a wrong key fails authentication
 * and is counted, a replay is a duplicate; the tag is 10 or 4 octets;
 * the protected copy is the leg's one buffer, grown for a large packet */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "media/mstream.h"
#include "media/msrtp.h"


static struct mbuf *rtp_packet(uint16_t seq)
{
	struct mbuf *mb = mbuf_alloc(200);
	struct rtp_header h;
	uint8_t pld[160];

	memset(&h, 0, sizeof(h));
	h.ver = RTP_VERSION;
	h.pt = 0;
	h.seq = seq;
	h.ts = 160u * seq;
	h.ssrc = 0x11223344;
	memset(pld, 0x55, sizeof(pld));
	CU_ASSERT_EQUAL_FATAL(rtp_hdr_encode(mb, &h), 0);
	CU_ASSERT_EQUAL_FATAL(mbuf_write_mem(mb, pld, sizeof(pld)), 0);
	mb->pos = 0;
	return mb;
}


static void round_trip(const char *suite, size_t taglen)
{
	uint8_t ka[30], kb[30];
	struct msrtp *a = NULL, *b = NULL, *evil = NULL;
	struct mstream_stats st;
	struct mbuf *plain, *sec = NULL, *copy, *first = NULL;
	uint16_t seq;

	rand_bytes(ka, sizeof(ka));
	rand_bytes(kb, sizeof(kb));
	CU_ASSERT_EQUAL_FATAL(msrtp_alloc(&a, suite, ka, kb, 30), 0);
	CU_ASSERT_EQUAL_FATAL(msrtp_alloc(&b, suite, kb, ka, 30), 0);
	/* sends with kb too, but b expects ka from its far end */
	CU_ASSERT_EQUAL_FATAL(msrtp_alloc(&evil, suite, kb, kb, 30), 0);
	memset(&st, 0, sizeof(st));

	for (seq = 1; seq <= 3; seq++) {
		plain = rtp_packet(seq);
		CU_ASSERT_EQUAL_FATAL(msrtp_protect(a, false, plain, &sec), 0);
		CU_ASSERT_EQUAL(mbuf_get_left(sec), 172 + taglen);
		/* the leg's one buffer, packet after packet */
		if (!first)
			first = sec;
		CU_ASSERT_PTR_EQUAL(sec, first);
		/* the payload on the wire is not the plain one */
		CU_ASSERT_NOT_EQUAL(memcmp(sec->buf + 12, plain->buf + 12,
					   160), 0);
		copy = mbuf_alloc(sec->end);
		(void)mbuf_write_mem(copy, sec->buf, sec->end);
		copy->pos = 0;

		CU_ASSERT_FALSE(msrtp_drop(b, false, sec, &st));
		CU_ASSERT_EQUAL(mbuf_get_left(sec), 172);
		CU_ASSERT_EQUAL(memcmp(mbuf_buf(sec), plain->buf, 172), 0);

		/* the same packet again: a replay (RFC 3711 §3.3.2) */
		CU_ASSERT_TRUE(msrtp_drop(b, false, copy, &st));
		mem_deref(copy);
		mem_deref(plain);
	}
	CU_ASSERT_EQUAL(st.rx_dup, 3);
	CU_ASSERT_EQUAL(st.rx_srtp_auth, 0);

	/* a key the SDP did not give: every packet fails authentication */
	for (seq = 10; seq < 15; seq++) {
		plain = rtp_packet(seq);
		CU_ASSERT_EQUAL_FATAL(msrtp_protect(evil, false, plain, &sec),
				      0);
		CU_ASSERT_TRUE(msrtp_drop(b, false, sec, &st));
		mem_deref(plain);
	}
	CU_ASSERT_EQUAL(st.rx_srtp_auth, 5);

	/* a packet larger than the buffer: it grows, and still decrypts */
	plain = rtp_packet(20);
	plain->pos = plain->end;
	for (seq = 0; seq < 6; seq++)
		(void)mbuf_fill(plain, 0x33, 160);
	plain->pos = 0;
	CU_ASSERT_EQUAL_FATAL(msrtp_protect(a, false, plain, &sec), 0);
	CU_ASSERT_EQUAL(mbuf_get_left(sec), 172 + 960 + taglen);
	CU_ASSERT_FALSE(msrtp_drop(b, false, sec, &st));
	CU_ASSERT_EQUAL(memcmp(mbuf_buf(sec), plain->buf, 172 + 960), 0);
	mem_deref(plain);

	mem_deref(a);
	mem_deref(b);
	mem_deref(evil);
}


static void test_msrtp_sha1_80(void)
{
	round_trip("AES_CM_128_HMAC_SHA1_80", 10);
}


static void test_msrtp_sha1_32(void)
{
	round_trip("AES_CM_128_HMAC_SHA1_32", 4);
}


static void test_msrtp_suite_and_key_checked(void)
{
	uint8_t k[30] = {0};
	struct msrtp *s = NULL;

	CU_ASSERT_EQUAL(msrtp_alloc(&s, "AEAD_AES_256_GCM", k, k, 30),
			ENOTSUP);
	CU_ASSERT_EQUAL(msrtp_alloc(&s, "AES_CM_128_HMAC_SHA1_80", k, k, 16),
			EINVAL);
	CU_ASSERT_PTR_NULL(s);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"sha1_80", test_msrtp_sha1_80},
		{"sha1_32", test_msrtp_sha1_32},
		{"suite_and_key_checked", test_msrtp_suite_and_key_checked},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("msrtp", tests);
}
