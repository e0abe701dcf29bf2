/* tests/unit/test_pcapng.c — pcapng written by pcapw with frame comments
 * and read back by pcapr: comments on the frames given (several on one,
 * none on the others), frames written after pcapw_finish kept, a classic
 * pcap without them, a comment for a frame not written refused, every
 * comment of a frame kept however many, and a
 * big-endian pcapng's comments read as well */
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "pcapw.h"
#include "pcapr.h"


static const char opts[] =
	"OPTIONS sip:x@example.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK9\r\n"
	"From: <sip:a@example.test>;tag=9\r\n"
	"To: <sip:x@example.test>\r\n"
	"Call-ID: ng@test\r\n"
	"CSeq: 9 OPTIONS\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

struct got {
	uint32_t frame[8];
	char comment[8][128];
	unsigned n;
};


static void msg_h(const struct pcapr_msg *m, void *arg)
{
	struct got *g = arg;

	if (g->n >= 8)
		return;
	g->frame[g->n] = m->frame;
	re_snprintf(g->comment[g->n], sizeof(g->comment[0]), "%r",
		    &m->comment);
	g->n++;
}


static void write_frames(struct pcapw *pw, unsigned n)
{
	struct sa a, b;
	unsigned i;

	sa_set_str(&a, "10.0.0.1", 5060);
	sa_set_str(&b, "10.0.0.2", 5060);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(pcapw_write(pw, &a, &b, (const uint8_t *)opts,
					    sizeof(opts) - 1, NULL), 0);
}


static void read_back(const char *path, struct got *g)
{
	struct pcapr_stats st;
	char *why = NULL;

	memset(g, 0, sizeof(*g));
	CU_ASSERT_EQUAL(pcapr_read(path, msg_h, g, &st, &why), 0);
	CU_ASSERT_EQUAL(st.truncated, 0);
	mem_deref(why);
}


static void test_comments_round_trip(void)
{
	char path[] = "/tmp/sipflow-pcapng-XXXXXX";
	struct pcapw *pw = NULL;
	struct got g;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	CU_ASSERT_EQUAL_FATAL(pcapw_open(&pw, path, PCAPW_PCAPNG), 0);
	write_frames(pw, 3);
	CU_ASSERT_EQUAL(pcapw_comment(pw, 3, "F2 200 OK B -> A: FAIL why"),
			0);
	CU_ASSERT_EQUAL(pcapw_comment(pw, 1, "F1 OPTIONS A -> B: pass"), 0);
	CU_ASSERT_EQUAL(pcapw_comment(pw, 3, "F2: warning: rule X"), 0);
	CU_ASSERT_EQUAL(pcapw_comment(pw, 4, "not written yet"), EINVAL);

	/* read before the end: whole, no comments yet */
	read_back(path, &g);
	CU_ASSERT_EQUAL(g.n, 3);
	CU_ASSERT_STRING_EQUAL(g.comment[0], "");

	CU_ASSERT_EQUAL(pcapw_finish(pw), 0);
	write_frames(pw, 1);     /* after the comments: appended */
	pw = mem_deref(pw);

	read_back(path, &g);
	CU_ASSERT_EQUAL_FATAL(g.n, 4);
	CU_ASSERT_EQUAL(g.frame[3], 4);
	CU_ASSERT_STRING_EQUAL(g.comment[0], "F1 OPTIONS A -> B: pass");
	CU_ASSERT_STRING_EQUAL(g.comment[1], "");
	CU_ASSERT_STRING_EQUAL(g.comment[2], "F2 200 OK B -> A: FAIL why\n"
			       "F2: warning: rule X");
	CU_ASSERT_STRING_EQUAL(g.comment[3], "");

	unlink(path);
}


/* the last of a frame's comments, and how many it has */
struct last {
	char text[8];
	unsigned lines;
};


static void last_h(const struct pcapr_msg *m, void *arg)
{
	struct last *l = arg;
	size_t i;

	if (m->frame != 1 || !m->comment.l)
		return;
	l->lines = 1;
	for (i = 0; i < m->comment.l; i++)
		l->lines += m->comment.p[i] == '\n';
	re_snprintf(l->text, sizeof(l->text), "%b",
		    m->comment.p + m->comment.l - 3, (size_t)3);
}


/* every comment a frame is given is written, however many (was: the
 * 17th and later dropped without a word) */
static void test_many_comments_on_one_frame(void)
{
	char path[] = "/tmp/sipflow-pcapng-XXXXXX";
	struct pcapw *pw = NULL;
	struct pcapr_stats st;
	struct last l = {"", 0};
	char *why = NULL, text[8];
	int fd = mkstemp(path);
	unsigned i;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	CU_ASSERT_EQUAL_FATAL(pcapw_open(&pw, path, PCAPW_PCAPNG), 0);
	write_frames(pw, 1);
	for (i = 1; i <= 40; i++) {
		re_snprintf(text, sizeof(text), "c%02u", i);
		CU_ASSERT_EQUAL(pcapw_comment(pw, 1, text), 0);
	}
	CU_ASSERT_EQUAL(pcapw_finish(pw), 0);
	pw = mem_deref(pw);

	CU_ASSERT_EQUAL(pcapr_read(path, last_h, &l, &st, &why), 0);
	mem_deref(why);
	CU_ASSERT_EQUAL(l.lines, 40);
	CU_ASSERT_STRING_EQUAL(l.text, "c40");

	unlink(path);
}


static void test_classic_pcap_has_none(void)
{
	char path[] = "/tmp/sipflow-pcapng-XXXXXX";
	struct pcapw *pw = NULL;
	uint8_t magic[4];
	struct got g;
	FILE *f;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	CU_ASSERT_EQUAL_FATAL(pcapw_open(&pw, path, PCAPW_PCAP), 0);
	write_frames(pw, 2);
	CU_ASSERT_EQUAL(pcapw_comment(pw, 1, "dropped"), 0);
	CU_ASSERT_EQUAL(pcapw_finish(pw), 0);
	pw = mem_deref(pw);

	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(magic, 1, 4, f), 4);
	fclose(f);
	CU_ASSERT(!memcmp(magic, "\xd4\xc3\xb2\xa1", 4));

	read_back(path, &g);
	CU_ASSERT_EQUAL(g.n, 2);
	CU_ASSERT_STRING_EQUAL(g.comment[0], "");

	unlink(path);
}


static void be32(struct mbuf *mb, uint32_t v)
{
	(void)mbuf_write_u32(mb, htonl(v));
}


static void be16(struct mbuf *mb, uint16_t v)
{
	(void)mbuf_write_u16(mb, htons(v));
}


/* a pcapng written on a big-endian host: SHB, IDB (raw IP), one EPB
 * with the comment "big" */
static void test_big_endian_comment(void)
{
	char path[] = "/tmp/sipflow-pcapng-XXXXXX";
	struct mbuf *mb = mbuf_alloc(1024), *pk = mbuf_alloc(1024);
	struct pcapw *pw = NULL;
	struct got g;
	size_t plen, pad;
	FILE *f;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0 && mb && pk);
	close(fd);

	/* the IP packet, as pcapw makes it: from a classic pcap's frame */
	CU_ASSERT_EQUAL_FATAL(pcapw_open(&pw, path, PCAPW_PCAP), 0);
	write_frames(pw, 1);
	pw = mem_deref(pw);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fseek(f, 24 + 16, SEEK_SET), 0);
	pk->end = fread(pk->buf, 1, pk->size, f);
	fclose(f);
	plen = pk->end;
	pad = (4 - plen % 4) % 4;
	CU_ASSERT_FATAL(plen > 20);

	be32(mb, 0x0a0d0d0a); be32(mb, 28); be32(mb, 0x1a2b3c4d);
	be16(mb, 1); be16(mb, 0); be32(mb, 0xffffffff); be32(mb, 0xffffffff);
	be32(mb, 28);
	be32(mb, 1); be32(mb, 20); be16(mb, 101); be16(mb, 0);
	be32(mb, 65535); be32(mb, 20);
	be32(mb, 6); be32(mb, (uint32_t)(32 + plen + pad + 12));
	be32(mb, 0); be32(mb, 0); be32(mb, 1);
	be32(mb, (uint32_t)plen); be32(mb, (uint32_t)plen);
	(void)mbuf_write_mem(mb, pk->buf, plen);
	(void)mbuf_fill(mb, 0, pad);
	be16(mb, 1); be16(mb, 3); (void)mbuf_write_mem(mb,
		(const uint8_t *)"big\0", 4);
	be16(mb, 0); be16(mb, 0);
	be32(mb, (uint32_t)(32 + plen + pad + 12));

	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(mb->buf, 1, mb->end, f), mb->end);
	fclose(f);

	read_back(path, &g);
	CU_ASSERT_EQUAL_FATAL(g.n, 1);
	CU_ASSERT_STRING_EQUAL(g.comment[0], "big");

	mem_deref(mb);
	mem_deref(pk);
	unlink(path);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"comments_round_trip", test_comments_round_trip},
		{"many_comments_on_one_frame",
		 test_many_comments_on_one_frame},
		{"classic_pcap_has_none", test_classic_pcap_has_none},
		{"big_endian_comment", test_big_endian_comment},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("pcapng", tests);
}
