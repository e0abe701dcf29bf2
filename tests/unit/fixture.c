/* tests/unit/fixture.c — what several unit tests build: SIP messages from
 * their text, and files with a given text */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "diag.h"
#include "scenario.h"
#include "msgrec.h"
#include "ledger.h"
#include "track.h"
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


static const char *either(const char *s, const char *dflt)
{
	return s ? s : dflt;
}


struct msgrec *fx_sip(const struct fx_sip *s)
{
	const char *met = either(s->met, either(s->method, "INVITE"));
	const char *ruri = either(s->ruri, "sip:b@127.0.0.11");
	const char *totag = either(s->totag, "");
	char text[2048];
	int n;

	if (s->method)
		n = re_snprintf(text, sizeof(text), "%s %s SIP/2.0\r\n"
				"Max-Forwards: 70\r\n", s->method, ruri);
	else
		n = re_snprintf(text, sizeof(text), "SIP/2.0 %u %s\r\n",
				s->code, s->code < 200 ? "Progress" :
				s->code < 300 ? "OK" : "Not OK");
	CU_ASSERT_FATAL(n > 0);
	n = re_snprintf(text + n, sizeof(text) - n,
			"Via: SIP/2.0/UDP 127.0.0.10;branch=z9hG4bK%s\r\n"
			"From: <sip:a@x>;tag=fa\r\nTo: <sip:b@x>%s%s\r\n"
			"Call-ID: %s\r\nCSeq: %u %s\r\n"
			"Contact: <sip:%s>\r\n"
			"%sContent-Length: 0\r\n\r\n",
			either(s->branch, "fx"), *totag ? ";tag=" : "", totag,
			either(s->callid, "fx-1"), s->cseq ? s->cseq : 1, met,
			s->method ? "a@127.0.0.10" : "b@127.0.0.11",
			either(s->extra, ""));
	CU_ASSERT_FATAL(n > 0);

	return fx_rec(text);
}


void fx_run_init(struct fx_run *fr, struct role *const *roles, unsigned n)
{
	unsigned i;

	CU_ASSERT_FATAL(n <= ARRAY_SIZE(fr->led));
	memset(fr, 0, sizeof(*fr));
	list_init(&fr->ledgers);
	for (i = 0; i < n; i++) {
		ledger_init(&fr->led[i], roles[i]);
		list_append(&fr->ledgers, &fr->led[i].le, &fr->led[i]);
	}
	fr->nled = n;
}


struct scenario *fx_run_flow(struct fx_run *fr, const char *yaml)
{
	struct role *roles[ARRAY_SIZE(fr->led)];
	struct scenario *sc = NULL;
	struct diag dg;
	unsigned n = 0;
	struct le *le;

	diag_init(&dg);
	CU_ASSERT_EQUAL(scenario_load_str(&sc, "flow.yaml", yaml, &dg), 0);
	if (!sc)
		re_fprintf(stderr, "\n  %s\n", diag_first(&dg));
	diag_reset(&dg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);

	for (le = sc->roles.head; le && n < ARRAY_SIZE(roles); le = le->next)
		roles[n++] = le->data;
	CU_ASSERT_FATAL(!le);
	fx_run_init(fr, roles, n);

	return sc;
}


struct ledger *fx_led(struct fx_run *fr, const struct role *role)
{
	struct ledger *led = ledger_find(&fr->ledgers, role);

	CU_ASSERT_PTR_NOT_NULL_FATAL(led);
	return led;
}


struct msgrec *fx_run_msg(struct fx_run *fr, const struct fx_sip *s,
			  struct role *from, struct role *to)
{
	struct msgrec *r = fx_sip(s);

	CU_ASSERT_FATAL(fr->nrecs < ARRAY_SIZE(fr->recs));
	fr->recs[fr->nrecs++] = r;
	r->from = from;
	r->to = to;
	return r;
}


struct msgrec *fx_run_pass(struct fx_run *fr, struct msgrec *r)
{
	struct ledger *snd = ledger_find(&fr->ledgers, r->from);
	struct ledger *rcv = fx_led(fr, r->to);

	if (snd)
		track_sent(snd, r);
	r->retrans = track_is_retrans(rcv, r);
	track_received(rcv, r);
	return r;
}


void fx_run_end(struct fx_run *fr)
{
	while (fr->nled)
		ledger_reset(&fr->led[--fr->nled]);
	while (fr->nrecs)
		mem_deref(fr->recs[--fr->nrecs]);
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
