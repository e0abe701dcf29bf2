/* tests/unit/test_pcapr.c — the capture reader on crafted frames: TCP
 * split, merged and out of order; IPv4 and IPv6 fragments; VLAN, SLL2 and
 * loopback link layers; malformed and truncated packets. The SIP scanner
 * (start line, Call-ID, CSeq) and its header walk (compact, folded,
 * repeated, empty, list headers, what libre refuses) against libre's
 * decoder; the string table;
 * the ladder printed while read; diff showing a removed header as sent */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <re.h>
#include <pcap/pcap.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "pcapr.h"
#include "trace.h"
#include "diff.h"


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
	uint32_t frame[16];
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
	g->frame[g->n] = m->frame;
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


/* a new file under /tmp (path a mkstemp template) to write to */
static void w_temp(struct w *w, char *path, int dlt)
{
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	memset(w, 0, sizeof(*w));
	w_open(w, dlt, path);
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


/* a TCP connection's segments out of order, a retransmission, two
 * messages in one segment (frames 1-7: the INVITE is whole at frame 5) */
static void write_tcp_stream(const char *path)
{
	struct w w;
	size_t n = strlen(invite), a = 40, b = 150;
	uint32_t isn = 1000;

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
}


static void test_tcp_split_merged_out_of_order(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	struct pcapr_stats st;
	struct got g;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	write_tcp_stream(path);

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


/* the live path: the same packets handed over one by one find the same
 * messages, each with the number the caller gave the frame completing it;
 * and the packet-level addresses of a TCP segment and a UDP datagram */
static void test_feed_frame_by_frame(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX", errbuf[PCAP_ERRBUF_SIZE];
	struct pcapr_feed *f = NULL;
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct sa src, dst;
	struct got g;
	uint32_t i = 0;
	size_t off;
	pcap_t *pc;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	write_tcp_stream(path);
	memset(&g, 0, sizeof(g));

	pc = pcap_open_offline(path, errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	CU_ASSERT_EQUAL_FATAL(pcapr_feed_alloc(&f, msg_h, &g), 0);
	while (pcap_next_ex(pc, &ph, &data) == 1) {
		++i;
		CU_ASSERT_EQUAL(pcapr_link_ip(pcap_datalink(pc), data,
					      ph->caplen, &off), 0);
		CU_ASSERT_EQUAL(pcapr_feed(f, &ph->ts, data + off,
					   ph->caplen - off, 100 + i), 0);
		CU_ASSERT_EQUAL(pcapr_addrs(data + off, ph->caplen - off,
					    &src, &dst), 0);
		CU_ASSERT_EQUAL(sa_port(&src), 40000);
		CU_ASSERT_EQUAL(sa_port(&dst), 5060);
		CU_ASSERT_EQUAL(sa_in(&dst), 0x0a000002);
	}
	pcap_close(pc);
	mem_deref(f);
	unlink(path);

	CU_ASSERT_EQUAL(i, 7);
	CU_ASSERT_EQUAL_FATAL(g.n, 3);
	CU_ASSERT_STRING_EQUAL(g.lines[0], "INVITE sip:bob@example.test "
			       "SIP/2.0");
	CU_ASSERT_EQUAL(g.frame[0], 105);
	CU_ASSERT_STRING_EQUAL(g.lines[2], "BYE sip:alice@example.test "
			       "SIP/2.0");
	CU_ASSERT_EQUAL(g.frame[1], 107);
	CU_ASSERT_EQUAL(g.frame[2], 107);
	CU_ASSERT_TRUE(g.tcp[0] && g.tcp[1] && g.tcp[2]);
}


static void test_addrs_refuses_fragments_and_others(void)
{
	struct sa src, dst;
	struct w w;

	memset(&w, 0, sizeof(w));
	ip4(&w, 17, 8 + 4, 7, 0, false);
	udp_hdr(&w, 4);
	put(&w, "ping", 4);
	CU_ASSERT_EQUAL(pcapr_addrs(w.f, w.n, &src, &dst), 0);
	CU_ASSERT_EQUAL(sa_port(&src), 5060);
	CU_ASSERT_EQUAL(sa_in(&src), 0x0a000001);

	/* the first fragment of a datagram: refused (its reassembly is the
	 * reader's) */
	w.n = 0;
	ip4(&w, 17, 8 + 4, 7, 0, true);
	udp_hdr(&w, 4);
	put(&w, "ping", 4);
	CU_ASSERT_EQUAL(pcapr_addrs(w.f, w.n, &src, &dst), EPROTO);

	/* ICMP, and a TCP header cut short */
	w.n = 0;
	ip4(&w, 1, 8, 7, 0, false);
	put32(&w, 0);
	put32(&w, 0);
	CU_ASSERT_EQUAL(pcapr_addrs(w.f, w.n, &src, &dst), EPROTO);
	w.n = 0;
	ip4(&w, 6, 12, 7, 0, false);
	put32(&w, 0);
	put32(&w, 0);
	put32(&w, 0);
	CU_ASSERT_EQUAL(pcapr_addrs(w.f, w.n, &src, &dst), EPROTO);
}


static void test_ip_fragments(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	size_t n = strlen(udp_msg), cut = 96; /* a multiple of 8 */
	struct pcapr_stats st;
	struct got g;
	struct w w;

	w_temp(&w, path, DLT_RAW);

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


/* one of an IPv4 datagram's three 64-byte cuts (the last: the rest) */
static void frag3(struct w *w, uint16_t id, unsigned k)
{
	size_t n = strlen(udp_msg), off = 64 * k;
	size_t len = k < 2 ? 64 : 8 + n - off;

	ip4(w, 17, len, id, (uint16_t)off, k < 2);
	if (!k) {
		udp_hdr(w, n);
		put(w, udp_msg, len - 8);
	}
	else {
		put(w, udp_msg + off - 8, len);
	}
	w_frame(w, 0);
}


/* a fragment that comes twice does not stand in for one that never
 * came: the datagram stays incomplete (it was passed on with a hole of
 * uninitialised memory); with every part it is whole */
static void test_ip_fragments_repeated(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	struct pcapr_stats st;
	struct got g;
	struct w w;

	w_temp(&w, path, DLT_RAW);
	frag3(&w, 7, 0);
	frag3(&w, 7, 0);
	frag3(&w, 7, 2);
	frag3(&w, 8, 2);
	frag3(&w, 8, 0);
	frag3(&w, 8, 0);
	frag3(&w, 8, 1);
	w_close(&w);

	read_all(path, &g, &st);
	CU_ASSERT_EQUAL(st.fragments, 1);
	CU_ASSERT_EQUAL_FATAL(g.n, 1);
	CU_ASSERT_STRING_EQUAL(g.lines[0], "OPTIONS sip:x@example.test "
			       "SIP/2.0");
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


struct ladder_arg {
	struct trace *tr;
	const char *path;
};


static int ladder_h(struct re_printf *pf, void *arg)
{
	struct ladder_arg *la = arg;

	return trace_ladder(pf, la->tr, la->path, NULL);
}


static void test_rtp_streams(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	struct list streams = LIST_INIT;
	const struct pcapr_rtp *r;
	struct got g;
	struct w w;
	uint16_t seq;

	w_temp(&w, path, DLT_RAW);

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

		struct ladder_arg la = {NULL, path};

		CU_ASSERT_EQUAL_FATAL(trace_alloc(&tr), 0);
		la.tr = tr;
		CU_ASSERT_EQUAL(mbuf_printf(mb, "%H", ladder_h, &la), 0);
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


/* --- the scanner ---------------------------------------------------- */

static int scan(struct pcapr_sip *s, const char *text)
{
	return pcapr_sip_scan(s, (const uint8_t *)text, strlen(text));
}


/* what libre's full decode says of the same text */
static bool libre_takes(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text) + 1);
	struct sip_msg *msg = NULL;
	bool ok;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_write_str(mb, text);
	mb->pos = 0;
	ok = !sip_msg_decode(&msg, mb) && msg;
	mem_deref(msg);
	mem_deref(mb);

	return ok;
}


static void test_scan_start_line(void)
{
	static const char req[] =
		"INVITE sip:bob@example.test SIP/2.0\r\n"
		"Call-ID: a@b\r\nCSeq: 4 INVITE\r\n\r\nbody";
	static const char resp[] =
		"SIP/2.0 486 Busy Here\r\nCSeq: 4 INVITE\r\n\r\n";
	struct pcapr_sip s;

	CU_ASSERT_EQUAL_FATAL(scan(&s, req), 0);
	CU_ASSERT_TRUE(s.req);
	CU_ASSERT_EQUAL(pl_strcmp(&s.met, "INVITE"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&s.line, "INVITE sip:bob@example.test "
				  "SIP/2.0"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&s.cseq_met, "INVITE"), 0);
	CU_ASSERT_EQUAL(s.hlen, strlen(req) - 4); /* up to the body */

	CU_ASSERT_EQUAL_FATAL(scan(&s, resp), 0);
	CU_ASSERT_FALSE(s.req);
	CU_ASSERT_EQUAL(s.scode, 486);
	CU_ASSERT_EQUAL(pl_strcmp(&s.line, "SIP/2.0 486 Busy Here"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&s.cseq_met, "INVITE"), 0);

	/* what libre refuses is refused: a status that is not a number,
	 * two spaces, a tab, a URI without a scheme, a bare CR */
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 abc Bad\r\nCSeq: 1 A\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_EQUAL(scan(&s, "INVITE  sip:b@c SIP/2.0\r\nX: 1\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_EQUAL(scan(&s, "INVITE\tsip:b@c SIP/2.0\r\nX: 1\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_EQUAL(scan(&s, "INVITE bob SIP/2.0\r\nX: 1\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 200 OK\rX\nX: 1\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_FALSE(libre_takes("SIP/2.0 abc Bad\r\nCSeq: 1 A\r\n\r\n"));
	CU_ASSERT_FALSE(libre_takes("INVITE bob SIP/2.0\r\nX: 1\r\n\r\n"));

	/* a line end of LF alone, CRs before it */
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 200 OK\r\r\nCSeq:1 BYE\n\n"), 0);
	CU_ASSERT_EQUAL(s.scode, 200);
	CU_ASSERT_EQUAL(pl_strcmp(&s.cseq_met, "BYE"), 0);
}


static void test_scan_call_id_forms(void)
{
	static const struct {
		const char *text;
		const char *callid;
	} v[] = {
		{"SIP/2.0 200 OK\r\nCall-ID: abc@host\r\n\r\n", "abc@host"},
		{"SIP/2.0 200 OK\r\ni: compact@host\r\n\r\n", "compact@host"},
		{"SIP/2.0 200 OK\r\nI:upper\r\n\r\n", "upper"},
		{"SIP/2.0 200 OK\r\ncall-id:lower  \t\r\n\r\n", "lower"},
		{"SIP/2.0 200 OK\r\nCALL-ID \t: spaced\r\n\r\n", "spaced"},
		/* RFC 3261 §7.3.1: a folded value keeps its line break */
		{"SIP/2.0 200 OK\r\nCall-ID:\r\n  folded\r\n\t@host \r\n"
		 "CSeq: 1 X\r\n\r\n", "folded\r\n\t@host"},
		/* the last one counts, as in libre */
		{"SIP/2.0 200 OK\r\ni: first\r\nCall-ID: last\r\n\r\n",
		 "last"},
		/* names that only start like Call-ID are other headers */
		{"SIP/2.0 200 OK\r\nCall-IDs: no\r\nid: no\r\n"
		 "Call-ID: yes\r\n\r\n", "yes"},
		{"SIP/2.0 200 OK\r\nCall-ID:\r\n\r\n", ""},
	};
	struct pcapr_sip s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		CU_ASSERT_EQUAL_FATAL(scan(&s, v[i].text), 0);
		CU_ASSERT_EQUAL(pl_strcmp(&s.callid, v[i].callid), 0);
		CU_ASSERT_TRUE(libre_takes(v[i].text));
	}
}


static void test_scan_without_call_id(void)
{
	static const char no_number[] = "SIP/2.0 200 OK\r\nCSeq: INVITE\r\n"
					"\r\n";
	static const char text[] =
		"OPTIONS sip:x@example.test SIP/2.0\r\n"
		"CSeq: 9 OPTIONS\r\nContent-Length: 0\r\n\r\n";
	struct pcapr_sip s;

	CU_ASSERT_EQUAL_FATAL(scan(&s, text), 0);
	CU_ASSERT_EQUAL(s.callid.l, 0);
	CU_ASSERT_EQUAL(pl_strcmp(&s.cseq_met, "OPTIONS"), 0);

	/* and without a CSeq: no method */
	CU_ASSERT_EQUAL_FATAL(scan(&s, "SIP/2.0 100 Trying\r\nX: y\r\n\r\n"),
			      0);
	CU_ASSERT_EQUAL(s.cseq_met.l, 0);

	/* a CSeq without a number and a method is refused, as by libre */
	CU_ASSERT_EQUAL(scan(&s, no_number), EBADMSG);
	CU_ASSERT_FALSE(libre_takes(no_number));
}


static void test_scan_truncated_and_broken(void)
{
	static const char whole[] =
		"INVITE sip:bob@example.test SIP/2.0\r\n"
		"Call-ID: cut@test\r\nCSeq: 1 INVITE\r\n\r\n";
	struct pcapr_sip s;
	size_t n;

	/* cut anywhere before the blank line: not a message (yet) */
	for (n = 0; n < strlen(whole) - 1; n++) {
		int err = pcapr_sip_scan(&s, (const uint8_t *)whole, n);

		CU_ASSERT_TRUE(err == ENODATA || err == EBADMSG);
		if (!err)
			break;
	}
	CU_ASSERT_EQUAL(pcapr_sip_scan(&s, (const uint8_t *)whole,
				       strlen(whole)), 0);
	CU_ASSERT_EQUAL(scan(&s, "INVITE sip:b@c SIP/2.0\r\nCall-ID: x\r\n"),
			ENODATA);
	CU_ASSERT_EQUAL(scan(&s, "INVITE sip:b@c"), ENODATA);

	/* a header line without a name, or without a colon */
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 200 OK\r\n: x\r\n\r\n"), EBADMSG);
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 200 OK\r\nNoColon\r\nX: 1\r\n\r\n"),
			EBADMSG);
	CU_ASSERT_FALSE(libre_takes("SIP/2.0 200 OK\r\nNoColon\r\nX: 1\r\n"
				    "\r\n"));
	/* no header at all: libre wants one */
	CU_ASSERT_NOT_EQUAL(scan(&s, "SIP/2.0 200 OK\r\n\r\n"), 0);
	CU_ASSERT_FALSE(libre_takes("SIP/2.0 200 OK\r\n\r\n"));
	/* a line of spaces folds, it does not end the headers */
	CU_ASSERT_EQUAL(scan(&s, "SIP/2.0 200 OK\r\ni: a\r\n  \r\n\r\n"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&s.callid, "a"), 0);
}


/* --- the header walk, against libre's list --------------------------- */

/* walk text's headers; EBADMSG/ENODATA as the walk ends, else 0 */
static int walk(const char *text, struct pcapr_hdr *v, size_t max,
		size_t *n)
{
	struct pcapr_hdrs it;
	int err;

	*n = 0;
	pcapr_hdrs_init(&it, (const uint8_t *)text, strlen(text));
	while (!(err = pcapr_hdrs_next(&it, &v[*n]))) {
		CU_ASSERT_FATAL(*n + 1 < max);
		++*n;
	}

	return err == ENOENT ? 0 : err;
}


/* the walk gives what libre's decode lists, name, id and value, and
 * refuses what it refuses */
static void same_as_libre(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text) + 1);
	struct sip_msg *msg = NULL;
	struct pcapr_hdr v[32];
	struct le *le;
	size_t n, i = 0;
	int err, lerr;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	(void)mbuf_write_str(mb, text);
	mb->pos = 0;
	lerr = sip_msg_decode(&msg, mb);
	err = walk(text, v, ARRAY_SIZE(v), &n);
	if (!!err != !!lerr)
		printf("\nwalk %d, libre %d: %s\n", err, lerr, text);
	CU_ASSERT_EQUAL(!!err, !!lerr);

	for (le = msg ? msg->hdrl.head : NULL; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		CU_ASSERT_FATAL(i < n);
		CU_ASSERT_EQUAL(pl_cmp(&h->name, &v[i].name), 0);
		CU_ASSERT_EQUAL(h->id, v[i].id);
		CU_ASSERT_EQUAL(h->val.l, v[i].val.l);
		if (h->val.l && v[i].val.l)
			CU_ASSERT_EQUAL(pl_cmp(&h->val, &v[i].val), 0);
		++i;
	}
	if (!err)
		CU_ASSERT_EQUAL(i, n);

	mem_deref(msg);
	mem_deref(mb);
}


#define RESP "SIP/2.0 200 OK\r\n"
#define VIA "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
#define ADDRS "From: <sip:a@example.test>;tag=1\r\n" \
	      "To: \"Bob\" <sip:b@example.test>\r\n"


static void test_hdrs_compact_forms(void)
{
	static const char text[] = RESP
		"v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKc\r\n"
		"f: <sip:a@example.test>;tag=1\r\nt: sip:b@example.test\r\n"
		"i: c@test\r\nCSEQ: 1 INVITE\r\nm: <sip:a@10.0.0.1>\r\n"
		"l: 0\r\n\r\n";
	struct pcapr_hdr v[16];
	size_t n;

	CU_ASSERT_EQUAL_FATAL(walk(text, v, ARRAY_SIZE(v), &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	CU_ASSERT_EQUAL(v[0].id, SIP_HDR_VIA);
	CU_ASSERT_EQUAL(pl_strcmp(&v[0].name, "v"), 0);
	CU_ASSERT_EQUAL(v[1].id, SIP_HDR_FROM);
	CU_ASSERT_EQUAL(v[2].id, SIP_HDR_TO);
	CU_ASSERT_EQUAL(v[3].id, SIP_HDR_CALL_ID);
	CU_ASSERT_EQUAL(pl_strcmp(&v[3].val, "c@test"), 0);
	CU_ASSERT_EQUAL(v[4].id, SIP_HDR_CSEQ);   /* any case */
	CU_ASSERT_EQUAL(v[5].id, SIP_HDR_CONTACT);
	CU_ASSERT_EQUAL(v[6].id, SIP_HDR_CONTENT_LENGTH);
	same_as_libre(text);
}


static void test_hdrs_folded_and_empty(void)
{
	static const char text[] = RESP VIA ADDRS
		"Subject: one\r\n two \r\n\tthree\r\n"
		"X-Empty:\r\n"
		"X-Spaces:   \r\n"
		"CSeq: 1 INVITE\r\n\r\nbody";
	struct pcapr_hdr v[16];
	size_t n;

	CU_ASSERT_EQUAL_FATAL(walk(text, v, ARRAY_SIZE(v), &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 7);
	/* RFC 3261 §7.3.1: a folded value keeps its line breaks */
	CU_ASSERT_EQUAL(pl_strcmp(&v[3].val, "one\r\n two \r\n\tthree"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[4].name, "X-Empty"), 0);
	CU_ASSERT_EQUAL(v[4].val.l, 0);
	CU_ASSERT_EQUAL(v[4].id, SIP_HDR_NONE);
	CU_ASSERT_EQUAL(v[5].val.l, 0);
	same_as_libre(text);
}


static void test_hdrs_duplicates_and_lists(void)
{
	static const char text[] = RESP
		"Via: SIP/2.0/UDP a.test;branch=z9hG4bK1, SIP/2.0/UDP "
		"b.test;branch=z9hG4bK2\r\n"
		"Via: SIP/2.0/UDP c.test;branch=z9hG4bK3\r\n" ADDRS
		"Route: <sip:p1.test;lr>,<sip:p2.test;lr>\r\n"
		"Contact: \"a, b\" <sip:a@x.test>, <sip:b@x.test>\r\n"
		"Subject: one, two\r\nSubject: three\r\n"
		"CSeq: 1 INVITE\r\n\r\n";
	struct pcapr_hdr v[16];
	size_t n;

	CU_ASSERT_EQUAL_FATAL(walk(text, v, ARRAY_SIZE(v), &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 11);
	/* Via and Route: one per value; a list header: its line whole */
	CU_ASSERT_EQUAL(pl_strcmp(&v[1].val, "SIP/2.0/UDP b.test;"
				  "branch=z9hG4bK2"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[2].val, "SIP/2.0/UDP c.test;"
				  "branch=z9hG4bK3"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[5].val, "<sip:p1.test;lr>"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[6].val, "<sip:p2.test;lr>"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[7].val, "\"a, b\" <sip:a@x.test>, "
				  "<sip:b@x.test>"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[8].val, "one, two"), 0);
	CU_ASSERT_EQUAL(pl_strcmp(&v[9].val, "three"), 0);
	same_as_libre(text);
}


static void test_hdrs_truncated(void)
{
	static const char whole[] = RESP VIA ADDRS "CSeq: 1 INVITE\r\n\r\n";
	struct pcapr_hdrs it;
	struct pcapr_hdr h;
	size_t cut;
	int err;

	/* cut anywhere: the walk ends short (never past what it has) */
	for (cut = 0; cut < strlen(whole) - 1; cut++) {
		pcapr_hdrs_init(&it, (const uint8_t *)whole, cut);
		while (!(err = pcapr_hdrs_next(&it, &h)))
			CU_ASSERT(h.val.p + h.val.l <= whole + cut);
		CU_ASSERT_TRUE(err == ENODATA || err == EBADMSG);
	}
	pcapr_hdrs_init(&it, (const uint8_t *)whole, strlen(whole));
	while (!(err = pcapr_hdrs_next(&it, &h)))
		;
	CU_ASSERT_EQUAL(err, ENOENT);
	CU_ASSERT_PTR_EQUAL(it.p, (const uint8_t *)whole + strlen(whole));
}


/* a name whose libre id is another header's: libre decodes it as that
 * header, and so does the walk */
static void test_hdrs_by_libre_id(void)
{
	char name[4] = "aaa", text[256];
	uint32_t i;

	for (i = 0; i < 26 * 26 * 26; i++) {
		name[0] = (char)('a' + i / 676);
		name[1] = (char)('a' + i / 26 % 26);
		name[2] = (char)('a' + i % 26);
		if ((hash_joaat_ci(name, 3) & 0xfff) == SIP_HDR_TO)
			break;
	}
	CU_ASSERT_FATAL(i < 26 * 26 * 26);

	re_snprintf(text, sizeof(text), RESP VIA ADDRS "%s: ;\r\n"
		    "CSeq: 1 A\r\n\r\n", name);
	same_as_libre(text);
	re_snprintf(text, sizeof(text), RESP VIA ADDRS "%s: sip:c@d\r\n"
		    "CSeq: 1 A\r\n\r\n", name);
	same_as_libre(text);
}


/* what libre's decoders refuse (and what they take that looks odd) */
static void test_hdrs_refused_as_libre(void)
{
	static const char *const v[] = {
		/* Via: no branch; no sent-by; not SIP/2.0; spaced out */
		RESP "Via: SIP/2.0/UDP 10.0.0.1\r\n" ADDRS "CSeq: 1 A\r\n\r\n",
		RESP "Via: SIP/2.0/UDP\r\n" ADDRS "CSeq: 1 A\r\n\r\n",
		RESP "Via: SIP/3.0/UDP h;branch=z\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		RESP "Via: sip / 2.0 / udp h ; branch = z\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		RESP "Via: x SIP/2.0/UDP h;branch=z\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		RESP "Via: SIP/2.0/UDP ::;branch=z\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		RESP "Via: SIP/2.0/UDP [::1]:5060;branch=\"z\"\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		/* only the first Via value is decoded */
		RESP "Via: SIP/2.0/UDP h;branch=z, junk\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		RESP "Via: , SIP/2.0/UDP h;branch=z\r\n" ADDRS
		"CSeq: 1 A\r\n\r\n",
		/* From and To: forms libre takes and refuses */
		RESP VIA "From: sip:a@b;tag=1\r\nTo: <sip:c@d>\r\n"
		"CSeq: 1 A\r\n\r\n",
		RESP VIA "From: a b <sip:a@b>\r\nTo: <>\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA "From: \"x<y\" <sip:a@b>\r\nTo: <sip:c@d>\r\n"
		"CSeq: 1 A\r\n\r\n",
		RESP VIA "From: <nocolon>\r\nTo: <sip:c@d>\r\n"
		"CSeq: 1 A\r\n\r\n",
		RESP VIA "From: ;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA "From: <sip::>\r\nTo: <sip:c@d>\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA "From: <sip:a@:>\r\nTo: <sip:c@d>\r\n"
		"CSeq: 1 A\r\n\r\n",
		RESP VIA "From: <tel:+123>\r\nTo: <sip:c@d\r\n"
		"CSeq: 1 A\r\n\r\n",
		/* Content-Type, CSeq */
		RESP VIA ADDRS "CSeq: 1 A\r\nContent-Type: text\r\n\r\n",
		RESP VIA ADDRS "CSeq: 1 A\r\nc: a / b ; x=y\r\n\r\n",
		RESP VIA ADDRS "CSeq: 1 A\r\nContent-Type: ;a/b\r\n\r\n",
		RESP VIA ADDRS "CSeq: x 1 A\r\n\r\n",
		RESP VIA ADDRS "CSeq: 1\r\n\r\n",
		/* list headers: commas before, between and after values */
		RESP VIA ADDRS "Contact: ,<sip:a@b>\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA ADDRS "Contact: <sip:a@b> ,\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA ADDRS "Supported: ,\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA ADDRS "Route: <a>,, <b> ,\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA ADDRS "Route: \"a,b\" <c>\r\nCSeq: 1 A\r\n\r\n",
		RESP VIA ADDRS "X-Route: a, b\r\nCSeq: 1 A\r\n\r\n",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		same_as_libre(v[i]);
}


/* --- strings kept once ----------------------------------------------- */

static void test_strs_once_in_order(void)
{
	struct trace_strs *ts = NULL;
	uint32_t id, i;
	size_t len;
	char b[32];

	CU_ASSERT_EQUAL_FATAL(trace_strs_alloc(&ts), 0);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, "a", 1), 0);
	CU_ASSERT_EQUAL(id, 0);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, "b\0c", 3), 0);
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, "b", 1), 0);
	CU_ASSERT_EQUAL(id, 2);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, "b\0c", 3), 0);
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, NULL, 0), 0);
	CU_ASSERT_EQUAL(id, 3);
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, NULL, 0), 0);
	CU_ASSERT_EQUAL(id, 3);
	CU_ASSERT_EQUAL(memcmp(trace_strs_get(ts, 1, &len), "b\0c", 4), 0);
	CU_ASSERT_EQUAL(len, 3);

	/* past the first table and buffer sizes */
	for (i = 0; i < 5000; i++) {
		re_snprintf(b, sizeof(b), "%u@bench-%u", i, i * 7);
		CU_ASSERT_EQUAL(trace_strs_add(ts, &id, b, strlen(b)), 0);
		CU_ASSERT_EQUAL(id, 4 + i);
	}
	CU_ASSERT_EQUAL(trace_strs_add(ts, &id, "17@bench-119", 12), 0);
	CU_ASSERT_EQUAL(id, 4 + 17);
	CU_ASSERT_STRING_EQUAL(trace_strs_get(ts, 4 + 4999, NULL),
			       "4999@bench-34993");
	CU_ASSERT_EQUAL(trace_strs_count(ts), 5004);
	CU_ASSERT_PTR_NULL(trace_strs_get(ts, 5004, NULL));
	mem_deref(ts);
}


/* --- the ladder, printed while read ---------------------------------- */

static void udp_frame(struct w *w, bool fwd, const char *msg, uint32_t sec,
		      uint32_t usec)
{
	struct pcap_pkthdr h;
	size_t n = strlen(msg);

	put16(w, 0x4500);
	put16(w, (uint16_t)(28 + n));
	put32(w, 0);
	put16(w, (uint16_t)(64 << 8 | 17));
	put16(w, 0);
	put32(w, fwd ? 0x0a000001 : 0x0a000002);
	put32(w, fwd ? 0x0a000002 : 0x0a000001);
	udp_hdr(w, n);
	put(w, msg, n);

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = sec;
	h.ts.tv_usec = (suseconds_t)usec;
	h.caplen = h.len = (bpf_u_int32)w->n;
	pcap_dump((u_char *)w->d, &h, w->f);
	w->n = 0;
}


static char *ladder_text(const char *path)
{
	struct ladder_arg la = {NULL, path};
	struct mbuf *mb = mbuf_alloc(1024);
	char *text = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	CU_ASSERT_EQUAL_FATAL(trace_alloc(&la.tr), 0);
	CU_ASSERT_EQUAL(mbuf_printf(mb, "%H", ladder_h, &la), 0);
	mb->pos = 0;
	(void)mbuf_strdup(mb, &text, mb->end);
	mem_deref(mb);
	mem_deref(la.tr);

	return text;
}


static void test_ladder_lines(void)
{
	char path[] = "/tmp/sipflow-pcapr-XXXXXX";
	static const char ok[] = "SIP/2.0 200 OK\r\ni: two\r\n"
				 "CSeq: 1 OPTIONS\r\n\r\n";
	struct w w;
	char *text;

	w_temp(&w, path, DLT_RAW);
	udp_frame(&w, true, udp_msg, 100, 250000);
	udp_frame(&w, false, ok, 101, 500000);
	udp_frame(&w, false, "SIP/2.0 200 OK\r\nbroken\r\n\r\n", 102, 0);
	w_close(&w);

	text = ladder_text(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text,
		"participants: 1=10.0.0.1:5060 2=10.0.0.2:5060\n"
		"2 SIP messages in 2 calls\n"
		"\n"
		"                         10.0.0.1:5060         "
		"10.0.0.2:5060    \n"
		"   0.000000      1             |----- OPTIONS ------>|"
		"  call 1\n"
		"   1.250000      2             |<----- 200 OK -------|"
		"  call 2\n");
	mem_deref(text);
	unlink(path);
}


/* a message from an address to itself (over loopback, a B2BUA's own
 * leg) is drawn beside its column; found by the pcap fuzz harness, which
 * keeps the capture in its seeds */
static void test_ladder_to_itself(void)
{
	const char *src = getenv("SIPFLOW_SRC");
	char path[512];
	char *text;

	re_snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/pcap/"
		    "to-itself.pcap", src ? src : ".");
	text = ladder_text(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text,
		"participants: 1=10.0.0.1:5060 2=10.0.0.2:5060\n"
		"2 SIP messages in 1 calls\n"
		"\n"
		"                         10.0.0.1:5060         "
		"10.0.0.2:5060    \n"
		"   0.000000      1             |------ INVITE ------>|"
		"  call 1\n"
		"   1.000000      2             |<- INVITE            |"
		"  call 1\n");
	mem_deref(text);
}


/* --- diff: a header one side lacks is shown as sent ------------------ */

static void test_diff_removed_header_as_sent(void)
{
	char pa[] = "/tmp/sipflow-pcapr-XXXXXX";
	char pb[] = "/tmp/sipflow-pcapr-XXXXXX";
	static const char with[] =
		"OPTIONS sip:x@example.test SIP/2.0\r\n"
		"Call-ID: d@test\r\nCSeq: 9 OPTIONS\r\n"
		"Subject: 10.9.8.7:5060;tag=abc\r\n\r\n";
	static const char without[] =
		"OPTIONS sip:x@example.test SIP/2.0\r\n"
		"Call-ID: e@test\r\nCSeq: 7 OPTIONS\r\n\r\n";
	struct diff_opts o = {.tolerance_ms = 500};
	struct diff_capture *a = NULL, *b = NULL;
	struct list items = LIST_INIT;
	const struct diff_item *d;
	struct w w;
	int fa = mkstemp(pa), fb = mkstemp(pb);

	CU_ASSERT_FATAL(fa >= 0 && fb >= 0);
	close(fa);
	close(fb);
	memset(&w, 0, sizeof(w));
	w_open(&w, DLT_RAW, pa);
	udp_frame(&w, true, udp_msg, 1, 0);
	udp_frame(&w, true, with, 1, 1000);
	w_close(&w);
	w_open(&w, DLT_RAW, pb);
	udp_frame(&w, true, udp_msg, 5, 0);
	udp_frame(&w, true, without, 5, 1000);
	w_close(&w);

	CU_ASSERT_EQUAL_FATAL(diff_load(&a, pa, &o, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(diff_load(&b, pb, &o, NULL), 0);
	CU_ASSERT_EQUAL(diff_capture_msgs(a), 2);
	CU_ASSERT_EQUAL(diff_capture_calls(b), 2);
	CU_ASSERT_EQUAL(diff_captures(&items, a, b, &o), 0);

	/* masked values compare equal (CSeq 9 and 7); the value only A has
	 * is read again and shown unmasked */
	CU_ASSERT_EQUAL_FATAL(list_count(&items), 1);
	d = items.head->data;
	CU_ASSERT_EQUAL(d->call, 2);
	CU_ASSERT_STRING_EQUAL(d->where, "F2 OPTIONS 1->2");
	CU_ASSERT_STRING_EQUAL(d->what, "header Subject");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->old);
	CU_ASSERT_STRING_EQUAL(d->old, "10.9.8.7:5060;tag=abc");
	CU_ASSERT_PTR_NULL(d->new);

	list_flush(&items);
	mem_deref(a);
	mem_deref(b);
	unlink(pa);
	unlink(pb);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"tcp_split_merged_out_of_order",
		 test_tcp_split_merged_out_of_order},
		{"feed_frame_by_frame", test_feed_frame_by_frame},
		{"addrs_refuses_fragments_and_others",
		 test_addrs_refuses_fragments_and_others},
		{"ip_fragments", test_ip_fragments},
		{"ip_fragments_repeated", test_ip_fragments_repeated},
		{"link_layers_and_bad_packets",
		 test_link_layers_and_bad_packets},
		{"rtp_streams", test_rtp_streams},
		{"scan_start_line", test_scan_start_line},
		{"scan_call_id_forms", test_scan_call_id_forms},
		{"scan_without_call_id", test_scan_without_call_id},
		{"scan_truncated_and_broken", test_scan_truncated_and_broken},
		{"hdrs_compact_forms", test_hdrs_compact_forms},
		{"hdrs_folded_and_empty", test_hdrs_folded_and_empty},
		{"hdrs_duplicates_and_lists", test_hdrs_duplicates_and_lists},
		{"hdrs_truncated", test_hdrs_truncated},
		{"hdrs_by_libre_id", test_hdrs_by_libre_id},
		{"hdrs_refused_as_libre", test_hdrs_refused_as_libre},
		{"strs_once_in_order", test_strs_once_in_order},
		{"ladder_lines", test_ladder_lines},
		{"ladder_to_itself", test_ladder_to_itself},
		{"diff_removed_header_as_sent",
		 test_diff_removed_header_as_sent},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("pcapr", tests);
}
