/* tests/unit/test_rawhex.c — a raw: message's <hex>…</hex> octets (RFC
 * 4475 §2.2, engine/sip/rawhex.c) and {body-length} counting them, and a
 * response step's status: classes (2xx-6xx) beside its codes */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "scenario.h"
#include "placeholder.h"
#include "rawhex.h"


static void test_octets_as_written(void)
{
	static const uint8_t want[] = {'a', 0x0a, 0x82, 0x00, 'b'};
	struct mbuf *mb = mbuf_alloc(16);
	char *why = NULL;

	CU_ASSERT_EQUAL(rawhex_write(mb, "a<hex>0A8200</hex>b", &why), 0);
	CU_ASSERT_EQUAL(mb->end, sizeof(want));
	CU_ASSERT_EQUAL(memcmp(mb->buf, want, sizeof(want)), 0);
	CU_ASSERT_EQUAL(rawhex_len("a<hex>0A8200</hex>b"), sizeof(want));
	CU_ASSERT_EQUAL(rawhex_len("no octets"), 9);

	/* an odd run, a non-hex digit or no </hex>: an error, saying so */
	mbuf_reset(mb);
	CU_ASSERT_EQUAL(rawhex_write(mb, "<hex>0A8</hex>", &why), EINVAL);
	CU_ASSERT_PTR_NOT_NULL(why && strstr(why, "even run of hex"));
	why = mem_deref(why);
	CU_ASSERT_EQUAL(rawhex_write(mb, "<hex>zz</hex>", &why), EINVAL);
	why = mem_deref(why);
	CU_ASSERT_EQUAL(rawhex_write(mb, "<hex>0A", &why), EINVAL);

	mem_deref(why);
	mem_deref(mb);
}


static void test_body_length_counts_octets(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua}\n"
		"  B: {kind: ua}\n"
		"steps:\n"
		"  - F1: OPTIONS A -> B\n";
	struct scenario *sc = NULL;
	char *out = NULL, *why = NULL;
	struct phctx ph;

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "h.yaml", yaml, NULL),
			      0);
	ph = (struct phctx){sc, "cid", NULL, NULL, 1};
	CU_ASSERT_EQUAL(ph_expand(&out, "l: {body-length}\r\n\r\n"
				  "x<hex>0A0D82</hex>", &ph, &why), 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "l: 4\r\n"));

	mem_deref(out);
	mem_deref(why);
	mem_deref(sc);
}


static void test_status_classes(void)
{
	static const char yaml[] =
		"roles:\n"
		"  A: {kind: ua}\n"
		"  B: {kind: ua}\n"
		"steps:\n"
		"  - F1: INVITE A -> B\n"
		"  - F2: 400 Bad Request B -> A\n"
		"    status: [400, 5xx, 2xx]\n";
	struct scenario *sc = NULL;
	const struct step *st;
	char buf[64];

	CU_ASSERT_EQUAL_FATAL(scenario_load_str(&sc, "c.yaml", yaml, NULL),
			      0);
	st = list_ledata(list_tail(&sc->steps));
	CU_ASSERT_TRUE(step_accepts(st, 400));
	CU_ASSERT_TRUE(step_accepts(st, 503));
	CU_ASSERT_TRUE(step_accepts(st, 200));
	CU_ASSERT_FALSE(step_accepts(st, 404));
	CU_ASSERT_FALSE(step_accepts(st, 180));
	CU_ASSERT_FALSE(step_accepts(st, 600));
	re_snprintf(buf, sizeof(buf), "%H", step_print, st);
	CU_ASSERT_STRING_EQUAL(buf, "400, 5xx or 2xx");

	mem_deref(sc);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"octets_as_written", test_octets_as_written},
		{"body_length_counts_octets", test_body_length_counts_octets},
		{"status_classes", test_status_classes},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("rawhex", tests);
}
