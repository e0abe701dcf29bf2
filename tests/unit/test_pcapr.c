/* tests/unit/test_pcapr.c — the capture reader on crafted frames: TCP
 * split, merged and out of order; IPv4 and IPv6 fragments; VLAN, SLL2 and
 * loopback link layers; malformed and truncated packets */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <re.h>
#include <pcap/pcap.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "pcapr.h"
#include "trace.h"


static const char invite[] =
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:alice@example.test>;tag=1\r\n"
	"To: <sip:bob@example.test>\r\n"
	"Call-ID: split@test\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Type: text/plain\r\n"
	"Content-Length: 11\r\n"
	"\r\n"
	"hello world";

static const char ok_and_bye[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:alice@example.test>;tag=1\r\n"
	"To: <sip:bob@example.test>;tag=2\r\n"
	"Call-ID: split@test\r\n"
	"CSeq: 1 INVITE\r\n"
	"l: 0\r\n"
	"\r\n"
	"BYE sip:alice@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/TCP 10.0.0.2:5060;branch=z9hG4bK2\r\n"
	"From: <sip:bob@example.test>;tag=2\r\n"
	"To: <sip:alice@example.test>;tag=1\r\n"
	"Call-ID: split@test\r\n"
	"CSeq: 2 BYE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char udp_msg[] =
	"OPTIONS sip:x@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK9\r\n"
	"From: <sip:a@example.test>;tag=9\r\n"
	"To: <sip:x@example.test>\r\n"
	"Call-ID: udp@test\r\n"
	"CSeq: 9 OPTIONS\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

struct got {
	char lines[16][64];
	bool tcp[16];
	unsigned n;
};


static void msg_h(const struct pcapr_msg *m, void *arg)
{
	struct got *g = arg;
	size_t eol;

	if (g->n >= 16)
		return;
	for (eol = 0; eol < m->len && m->p[eol] != '\r'; eol++)
		;
	re_snprintf(g->lines[g->n], sizeof(g->lines[0]), "%b", m->p,
		    eol < 60 ? eol : (size_t)60);
	g->tcp[g->n] = m->tcp;
	g->n++;
}


struct w {
	pcap_t *pc;
	pcap_dumper_t *d;
	uint8_t f[2048];
	size_t n;
};


static void w_open(struct w *w, int dlt, const char *path)
{
	w->pc = pcap_open_dead(dlt, 65535);
	w->d = pcap_dump_open(w->pc, path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->d);
}


static void w_frame(struct w *w, size_t caplen)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = (bpf_u_int32)(caplen ? caplen : w->n);
	h.len = (bpf_u_int32)w->n;
	pcap_dump((u_char *)w->d, &h, w->f);
	w->n = 0;
}


static void w_close(struct w *w)
{
	pcap_dump_close(w->d);
	pcap_close(w->pc);
}


static void put(struct w *w, const void *p, size_t len)
{
	memcpy(w->f + w->n, p, len);
	w->n += len;
}


static void put16(struct w *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 2);
}


static void put32(struct w *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}


/* Ethernet with an 802.1Q tag */
static void eth_vlan(struct w *w, uint16_t type)
{
	static const uint8_t macs[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};

	put(w, macs, 12);
	put16(w, 0x8100);
	put16(w, 42);
	put16(w, type);
}


static void ip4(struct w *w, uint8_t proto, size_t payload, uint16_t id,
		uint16_t fragoff, bool more)
{
	put16(w, 0x4500);
	put16(w, (uint16_t)(20 + payload));
	put16(w, id);
	put16(w, (uint16_t)((more ? 0x2000 : 0) | (fragoff / 8)));
	put16(w, (uint16_t)(64 << 8 | proto));
	put16(w, 0);
	put32(w, 0x0a000001);
	put32(w, 0x0a000002);
}


static void tcp(struct w *w, uint32_t seq, uint8_t flags)
{
	put16(w, 40000);
	put16(w, 5060);
	put32(w, seq);
	put32(w, 0);
	put16(w, (uint16_t)(5 << 12 | flags));
	put16(w, 65535);
	put32(w, 0);
}


static void tcp_seg(struct w *w, uint32_t seq, const char *p, size_t len)
{
	eth_vlan(w, 0x0800);
	ip4(w, 6, 20 + len, 1, 0, false);
	tcp(w, seq, 0x18);
	put(w, p, len);
	w_frame(w, 0);
}


static void udp_hdr(struct w *w, size_t payload)
{
	put16(w, 5060);
	put16(w, 5060);
	put16(w, (uint16_t)(8 + payload));
	put16(w, 0);
}


static void read_all(const char *path, struct got *g, struct pcapr_stats *st)
{
	char *why = NULL;

	memset(g, 0, sizeof(*g));
	CU_ASSERT_EQUAL(pcapr_read(path, msg_h, g, st, &why), 0);
	mem_deref(why);
}


static void test_tcp_split_merged_out_of_order(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	struct pcapr_stats st;
	struct got g;
	struct w w;
	size_t n = strlen(invite), a = 40, b = 150;
	uint32_t isn = 1000;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_EN10MB, path);

	/* SYN, then the INVITE in three pieces: 2nd, 1st, 1st again, 3rd */
	eth_vlan(&w, 0x0800);
	ip4(&w, 6, 20, 1, 0, false);
	tcp(&w, isn, 0x02);
	w_frame(&w, 0);
	tcp_seg(&w, isn + 1 + (uint32_t)a, invite + a, b - a);
	tcp_seg(&w, isn + 1, invite, a);
	tcp_seg(&w, isn + 1, invite, a);
	tcp_seg(&w, isn + 1 + (uint32_t)b, invite + b, n - b);
	/* two messages in one segment, after a keepalive CRLF */
	tcp_seg(&w, isn + 1 + (uint32_t)n, "\r\n\r\n", 4);
	tcp_seg(&w, isn + 5 + (uint32_t)n, ok_and_bye, strlen(ok_and_bye));
	w_close(&w);

	read_all(path, &g, &st);
	CU_ASSERT_EQUAL(st.frames, 7);
	CU_ASSERT_EQUAL(st.sip, 3);
	CU_ASSERT_EQUAL_FATAL(g.n, 3);
	CU_ASSERT_STRING_EQUAL(g.lines[0], "INVITE sip:bob@example.test "
			       "SIP/2.0");
	CU_ASSERT_STRING_EQUAL(g.lines[1], "SIP/2.0 200 OK");
	CU_ASSERT_STRING_EQUAL(g.lines[2], "BYE sip:alice@example.test "
			       "SIP/2.0");
	CU_ASSERT_TRUE(g.tcp[0] && g.tcp[2]);
	unlink(path);
}


static void test_ip_fragments(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	size_t n = strlen(udp_msg), cut = 96; /* a multiple of 8 */
	struct pcapr_stats st;
	struct got g;
	struct w w;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_RAW, path);

	/* IPv4: the second fragment first */
	ip4(&w, 17, 8 + n - cut, 7, (uint16_t)cut, false);
	put(&w, udp_msg + cut - 8, n - (cut - 8));
	w_frame(&w, 0);
	ip4(&w, 17, cut, 7, 0, true);
	udp_hdr(&w, n);
	put(&w, udp_msg, cut - 8);
	w_frame(&w, 0);

	/* IPv6 with a fragment header, in order */
	{
		static const uint8_t a6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0,
					       0, 0, 0, 0, 0, 0, 0, 1};
		static const uint8_t b6[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0,
					       0, 0, 0, 0, 0, 0, 0, 2};
		size_t parts[2][2] = {{0, cut}, {cut, 8 + n - cut}};
		unsigned i;

		for (i = 0; i < 2; i++) {
			put32(&w, 0x60000000);
			put16(&w, (uint16_t)(8 + parts[i][1]));
			put16(&w, (uint16_t)(44 << 8 | 64));
			put(&w, a6, 16);
			put(&w, b6, 16);
			put16(&w, (uint16_t)(17 << 8));
			put16(&w, (uint16_t)(parts[i][0] | (i ? 0 : 1)));
			put32(&w, 99);
			if (!i) {
				udp_hdr(&w, n);
				put(&w, udp_msg, cut - 8);
			}
			else {
				put(&w, udp_msg + cut - 8, n - (cut - 8));
			}
			w_frame(&w, 0);
		}
	}
	w_close(&w);

	read_all(path, &g, &st);
	CU_ASSERT_EQUAL(st.fragments, 2);
	CU_ASSERT_EQUAL_FATAL(g.n, 2);
	CU_ASSERT_STRING_EQUAL(g.lines[0], "OPTIONS sip:x@example.test "
			       "SIP/2.0");
	CU_ASSERT_STRING_EQUAL(g.lines[1], g.lines[0]);
	unlink(path);
}


static void test_link_layers_and_bad_packets(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	static const char bad[] = "SIP/2.0 abc Bad\r\n\r\n";
	size_t n = strlen(udp_msg);
	struct pcapr_stats st;
	struct got g;
	struct w w;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	/* SLL2: protocol first, 20 bytes */
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_LINUX_SLL2, path);
	put16(&w, 0x0800);
	put(&w, (uint8_t[18]){0}, 18);
	ip4(&w, 17, 8 + n, 3, 0, false);
	udp_hdr(&w, n);
	put(&w, udp_msg, n);
	w_frame(&w, 0);
	/* a SIP-looking payload that does not parse */
	put16(&w, 0x0800);
	put(&w, (uint8_t[18]){0}, 18);
	ip4(&w, 17, 8 + strlen(bad), 4, 0, false);
	udp_hdr(&w, strlen(bad));
	put(&w, bad, strlen(bad));
	w_frame(&w, 0);
	/* a packet cut short by the snap length */
	put16(&w, 0x0800);
	put(&w, (uint8_t[18]){0}, 18);
	ip4(&w, 17, 8 + n, 5, 0, false);
	udp_hdr(&w, n);
	put(&w, udp_msg, n);
	w_frame(&w, 60);
	/* not IP */
	put16(&w, 0x0806);
	put(&w, (uint8_t[40]){0}, 40);
	w_frame(&w, 0);
	w_close(&w);

	read_all(path, &g, &st);
	CU_ASSERT_EQUAL(g.n, 1);
	CU_ASSERT_EQUAL(st.malformed, 1);
	CU_ASSERT_TRUE(st.truncated >= 1);
	CU_ASSERT_EQUAL(st.skipped, 1);

	/* BSD loopback: a 4-byte family first */
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_NULL, path);
	put32(&w, 0x02000000);
	ip4(&w, 17, 8 + n, 6, 0, false);
	udp_hdr(&w, n);
	put(&w, udp_msg, n);
	w_frame(&w, 0);
	w_close(&w);

	read_all(path, &g, &st);
	CU_ASSERT_EQUAL(g.n, 1);
	unlink(path);
}


static void test_rtp_streams(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	struct list streams = LIST_INIT;
	const struct pcapr_rtp *r;
	struct got g;
	struct w w;
	uint16_t seq;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_RAW, path);

	/* 20 PCMU packets every 20 ms, seq 65530.. (wraps), one lost */
	for (seq = 65530; seq != 14; seq++) {
		struct pcap_pkthdr h;
		uint32_t n = (uint16_t)(seq - 65530);

		if (seq == 3)
			continue;
		ip4(&w, 17, 8 + 12 + 160, 9, 0, false);
		put16(&w, 20000);
		put16(&w, 20002);
		put16(&w, 8 + 12 + 160);
		put16(&w, 0);
		put16(&w, 0x8000);         /* V=2, PT 0 */
		put16(&w, seq);
		put32(&w, 1000 + n * 160); /* timestamp */
		put32(&w, 0xabcdef01);
		memset(w.f + w.n, 0xff, 160);
		w.n += 160;
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = 1;
		h.ts.tv_usec = (suseconds_t)(n * 20000 + (n % 2) * 4000);
		h.caplen = h.len = (bpf_u_int32)w.n;
		pcap_dump((u_char *)w.d, &h, w.f);
		w.n = 0;
	}
	w_close(&w);

	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL(pcapr_read_rtp(path, msg_h, &g, NULL, &streams, NULL),
			0);
	CU_ASSERT_EQUAL(g.n, 0);
	CU_ASSERT_EQUAL_FATAL(list_count(&streams), 1);
	r = streams.head->data;
	CU_ASSERT_EQUAL(r->ssrc, 0xabcdef01);
	CU_ASSERT_EQUAL(r->pt, 0);
	CU_ASSERT_EQUAL(r->packets, 19);
	CU_ASSERT_EQUAL(r->expected, 20);
	CU_ASSERT_EQUAL(r->lost, 1);
	/* every other packet 4 ms late: jitter between 1 and 4 ms */
	CU_ASSERT_TRUE(r->jitter_ms > 1.0 && r->jitter_ms < 4.0);

	list_flush(&streams);

	/* the ladder of that capture says so, once */
	{
		struct trace *tr = NULL;
		struct mbuf *mb = mbuf_alloc(1024);
		char *text = NULL;

		CU_ASSERT_EQUAL_FATAL(trace_load(&tr, path, NULL), 0);
		CU_ASSERT_EQUAL(mbuf_printf(mb, "%H", trace_print_ladder, tr),
				0);
		mb->pos = 0;
		mbuf_strdup(mb, &text, mb->end);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 RTP streams:\n"));
		CU_ASSERT_PTR_NULL(strstr(strstr(text, "RTP streams") + 1,
					  "RTP streams"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "ssrc 0xabcdef01  pt 0  "
					      "19 packets  lost 1"));
		mem_deref(text);
		mem_deref(mb);
		mem_deref(tr);
	}
	unlink(path);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"tcp_split_merged_out_of_order",
		 test_tcp_split_merged_out_of_order},
		{"ip_fragments", test_ip_fragments},
		{"link_layers_and_bad_packets",
		 test_link_layers_and_bad_packets},
		{"rtp_streams", test_rtp_streams},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("pcapr", tests);
}
