/* tests/unit/fixture.c — what several unit tests build: SIP messages from
 * their text, and files with a given text */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "msgrec.h"
#include "fixture.h"


/* RFC 4475 §3.1.1.1-style: compact forms and a folded list */
const char fx_compact[] =
	"INVITE sip:bob@example.test SIP/2.0\r\n"
	"v: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKa1\r\n"
	"Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKb2, "
	"SIP/2.0/UDP 127.0.0.3;branch=z9hG4bKc3\r\n"
	"f: <sip:alice@example.test>;tag=t1\r\n"
	"t: <sip:bob@example.test>\r\n"
	"i: abc@127.0.0.10\r\n"
	"CSeq: 1 INVITE\r\n"
	"m: <sip:alice@127.0.0.10>\r\n"
	"k: replaces, timer\r\n"
	"Record-Route: <sip:p1;lr>, <sip:p2;lr>\r\n"
	"l: 0\r\n"
	"\r\n";


const char fx_call_flow[] =
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  B: {kind: ua, user: bob}\n"
	"steps:\n"
	"  - F1: INVITE A -> B\n"
	"  - F2: 180 Ringing B -> A\n";


struct sip_msg *fx_msg(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	struct sip_msg *msg = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	mbuf_write_str(mb, text);
	mb->pos = 0;
	CU_ASSERT_EQUAL(sip_msg_decode(&msg, mb), 0);
	mem_deref(mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	return msg;
}


struct msgrec *fx_rec(const char *text)
{
	struct mbuf *mb = mbuf_alloc(strlen(text));
	struct msgrec *r = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mb);
	mbuf_write_str(mb, text);
	CU_ASSERT_EQUAL(msgrec_alloc(&r, mb), 0);
	mem_deref(mb);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->msg);
	return r;
}


int fx_file(char *path, size_t size, const char *suffix, const char *text)
{
	size_t n = strlen(text);
	FILE *f;
	int fd;

	if (re_snprintf(path, size, "/tmp/sipflow-unit-XXXXXX%s",
			suffix) < 0)
		return ENAMETOOLONG;
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return errno;
	}
	if (fwrite(text, 1, n, f) != n) {
		fclose(f);
		return EIO;
	}

	return fclose(f) ? errno : 0;
}
