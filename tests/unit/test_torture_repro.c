/* tests/unit/test_torture_repro.c — the reproducer sipflow torture writes
 * (engine/cli/torture_repro.c): for every mutation of an INVITE it is a
 * scenario that loads, and its raw: step resolves to the very bytes that
 * were sent, NUL, bare LF, bytes that are not UTF-8 and '{' included
 * (written <hex>XX</hex>) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "fixture.h"
#include "scenario.h"
#include "placeholder.h"
#include "rawhex.h"
#include "torture.h"


static const char flow[] =
	"roles:\n"
	"  A: {kind: ua}\n"
	"  P: {kind: dut}\n"
	"steps:\n"
	"  - F1: INVITE A -> P\n";

static const char invite[] =
	"INVITE sip:p@127.0.0.1:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKold\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:a@127.0.0.10:5060>;tag=oldtag\r\n"
	"To: <sip:p@127.0.0.1:5060>\r\n"
	"Call-ID: oldcallid\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:a@127.0.0.10:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 36\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 127.0.0.10\r\n"
	"s=-\r\n";

enum { N = 1500, SEED = 11 };


static struct scenario *bound(const char *name, const char *yaml)
{
	struct scenario *sc = NULL;
	struct role *a, *p;

	if (scenario_load_str(&sc, name, yaml, NULL))
		return NULL;
	a = scenario_role(sc, "A");
	p = scenario_role(sc, "P");
	if (!a || !p) {
		mem_deref(sc);
		return NULL;
	}
	sa_set_str(&a->addr, "127.0.0.10", 5060);
	sa_set_str(&p->addr, "127.0.0.1", 5060);
	p->dut = true;
	return sc;
}


static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		s = mem_zalloc((size_t)n + 1, NULL);
		if (s && fread(s, 1, (size_t)n, f) != (size_t)n)
			s = mem_deref(s);
	}
	fclose(f);
	return s;
}


static void test_every_mutation_reproduces(void)
{
	struct tort_tmpl tmpl;
	struct tort_opts o;
	struct scenario *sc;
	char path[256], raw[300];
	unsigned exact_n = 0;
	uint64_t n;

	memset(&tmpl, 0, sizeof(tmpl));
	memset(&o, 0, sizeof(o));
	o.seed = SEED;
	o.count = N;
	o.every = 10;

	sc = bound("flow.yaml", flow);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
	CU_ASSERT_EQUAL_FATAL(fx_file(path, sizeof(path), ".yaml", ""), 0);
	re_snprintf(raw, sizeof(raw), "%b", path, strlen(path) - 5);

	tmpl.mb = mbuf_alloc(sizeof(invite));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmpl.mb);
	mbuf_write_str(tmpl.mb, invite);
	tmpl.from = scenario_role(sc, "A");
	tmpl.callid = "oldcallid";
	tmpl.branch = "z9hG4bKold";
	tmpl.tag = "oldtag";

	for (n = 0; n < N; n++) {
		struct tort_result res;
		struct tort_sent s;
		struct scenario *rep = NULL;
		struct mbuf *mb = NULL;
		char *text, *out = NULL, *why = NULL, bin[300];
		struct mbuf *sent;
		char cid[64], br[64], tag[64];
		const struct step *st;
		struct phctx ph;

		memset(&res, 0, sizeof(res));
		memset(&s, 0, sizeof(s));
		s.n = n;
		s.t = &tmpl;
		CU_ASSERT_EQUAL_FATAL(tort_renew(&mb, &tmpl, SEED, n), 0);
		CU_ASSERT_EQUAL_FATAL(mutate(&s.m, mb->buf, mb->end, SEED, n,
					     false, 65507), 0);
		mem_deref(mb);
		res.killer = &s;
		res.live_status = 200;

		CU_ASSERT_EQUAL_FATAL(torture_repro(path, sc,
				      scenario_role(sc, "P"), &res, &o), 0);
		re_snprintf(bin, sizeof(bin), "%s-M%llu.raw", raw, n);
		(void)unlink(bin);

		/* it loads, whatever the message held */
		text = slurp(path);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		rep = bound("reproducer.yaml", text);
		if (!rep)
			re_fprintf(stderr, "mutation %llu (%s) does not load:"
				   "\n%s\n", n, s.m.what, text);
		CU_ASSERT_PTR_NOT_NULL(rep);
		mem_deref(text);
		if (!rep) {
			mutation_reset(&s.m);
			continue;
		}

		/* the raw: step, resolved and its <hex> octets written, is
		 * what was sent */
		st = list_ledata(rep->steps.head);
		tort_ids(cid, br, tag, sizeof(cid), SEED, n);
		ph = (struct phctx){rep, cid, br, tag, 1};
		CU_ASSERT_EQUAL(ph_expand(&out, st->raw, &ph, &why), 0);
		sent = mbuf_alloc(s.m.mb->end + 1);
		if (out && sent && !rawhex_write(sent, out, &why)) {
			bool same = sent->end == s.m.mb->end &&
				!memcmp(sent->buf, s.m.mb->buf, s.m.mb->end);

			CU_ASSERT(same);
			if (!same)
				re_fprintf(stderr, "mutation %llu (%s) is not "
					   "replayed as sent\n", n,
					   s.m.what);
			exact_n += same;
		}
		mem_deref(sent);

		mem_deref(out);
		mem_deref(why);
		mem_deref(rep);
		mutation_reset(&s.m);
	}

	/* every mutation replays byte for byte: NUL, bare LF, bytes that
	 * are not UTF-8 and '{' as <hex> */
	CU_ASSERT_EQUAL(exact_n, N);
	(void)unlink(path);
	mem_deref(tmpl.mb);
	mem_deref(sc);
}


/* a role's address is written as {NAME.addr} however long NAME is (it
 * was cut at 24 characters: "{Device_under_test_with" and no brace) */
static void test_long_role_names(void)
{
	static const char longflow[] =
		"roles:\n"
		"  Caller_with_a_long_name: {kind: ua}\n"
		"  Device_under_test_with_a_long_name: {kind: dut}\n"
		"steps:\n"
		"  - F1: INVITE Caller_with_a_long_name -> "
		"Device_under_test_with_a_long_name\n";
	struct scenario *sc = NULL;
	struct role *a, *p;
	struct tort_tmpl tmpl;
	struct tort_result res;
	struct tort_sent s;
	struct tort_opts o;
	struct mbuf *mb = NULL;
	char path[256], bin[300];
	char *text;

	memset(&tmpl, 0, sizeof(tmpl));
	memset(&res, 0, sizeof(res));
	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	o.seed = SEED;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "flow.yaml", longflow,
						NULL), 0);
	a = scenario_role(sc, "Caller_with_a_long_name");
	p = scenario_role(sc, "Device_under_test_with_a_long_name");
	CU_ASSERT_FATAL(a && p);
	sa_set_str(&a->addr, "127.0.0.10", 5060);
	sa_set_str(&p->addr, "127.0.0.1", 5060);
	p->dut = true;
	CU_ASSERT_EQUAL_FATAL(fx_file(path, sizeof(path), ".yaml", ""), 0);

	tmpl.mb = mbuf_alloc(sizeof(invite));
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmpl.mb);
	mbuf_write_str(tmpl.mb, invite);
	tmpl.from = a;
	tmpl.callid = "oldcallid";
	tmpl.branch = "z9hG4bKold";
	tmpl.tag = "oldtag";
	CU_ASSERT_EQUAL_FATAL(tort_renew(&mb, &tmpl, SEED, 1), 0);
	CU_ASSERT_EQUAL_FATAL(mutate(&s.m, mb->buf, mb->end, SEED, 1, false,
				     65507), 0);
	mem_deref(mb);
	s.n = 1;
	s.t = &tmpl;
	res.killer = &s;
	res.live_status = 200;

	CU_ASSERT_EQUAL_FATAL(torture_repro(path, sc, p, &res, &o), 0);
	re_snprintf(bin, sizeof(bin), "%b-M1.raw", path, strlen(path) - 5);
	(void)unlink(bin);
	text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{Caller_with_a_long_name.addr}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
			       "{Device_under_test_with_a_long_name.addr}"));

	mem_deref(text);
	(void)unlink(path);
	mutation_reset(&s.m);
	mem_deref(tmpl.mb);
	mem_deref(sc);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"every_mutation_reproduces", test_every_mutation_reproduces},
		{"long_role_names", test_long_role_names},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("torture_repro", tests);
}
