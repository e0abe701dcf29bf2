/* tests/unit/test_addrpool.c — the address pool: its syntax, the block of
 * each job slot, and the address a role without one gets */
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "addrpool.h"


static void test_pool_syntax(void)
{
	static const struct {
		const char *s;
		int err;
		const char *pool;  /* as printed */
		uint32_t size;
	} cases[] = {
		{"127.0.0.10-127.0.3.255", 0, "127.0.0.10-127.0.3.255", 1014},
		{"127.0.0.10-127.0.0.10", 0, "127.0.0.10-127.0.0.10", 1},
		{"127.0.5.0/24", 0, "127.0.5.1-127.0.5.254", 254},
		{"10.0.0.0/30", 0, "10.0.0.1-10.0.0.2", 2},
		{"10.0.0.0/31", 0, "10.0.0.0-10.0.0.1", 2},
		{"10.0.0.7/32", 0, "10.0.0.7-10.0.0.7", 1},
		{"127.0.0.0/8", 0, "127.0.0.1-127.255.255.254", 16777214},
		/* 2^32 addresses, counted as UINT32_MAX (it was 0: every
		 * role "found every address taken") */
		{"0.0.0.0-255.255.255.255", 0, "0.0.0.0-255.255.255.255",
		 UINT32_MAX},
		{"127.0.0.5/24", EINVAL},    /* host bits set */
		{"127.0.0.0/33", EINVAL},
		{"127.0.0.0/", EINVAL},
		{"127.0.0.0/-1", EINVAL},
		{"127.0.0.0/24x", EINVAL},
		{"127.0.0.20-127.0.0.10", EINVAL},  /* last before first */
		{"127.0.0.300-127.0.1.1", EINVAL},
		{"127.0.0.1-", EINVAL},
		{"-127.0.0.1", EINVAL},
		{"127.0.0.1", EINVAL},
		{"::1/128", EINVAL},
		{"", EINVAL},
		{"banana", EINVAL},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct addrpool p;
		const char *why = NULL;
		char buf[64];
		int err = addrpool_parse(&p, cases[i].s, &why);

		CU_ASSERT_EQUAL(err, cases[i].err);
		if (err) {
			/* every refusal says why */
			CU_ASSERT_PTR_NOT_NULL(why);
			continue;
		}
		re_snprintf(buf, sizeof(buf), "%H", addrpool_print, &p);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].pool);
		CU_ASSERT_EQUAL(addrpool_size(&p), cases[i].size);
	}
}


static void test_default_pool_is_loopback_from_10(void)
{
	struct addrpool p;
	char buf[64];

	addrpool_default(&p);
	re_snprintf(buf, sizeof(buf), "%H", addrpool_print, &p);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.10-127.255.255.254");
}


static void test_slot_blocks(void)
{
	static const struct {
		const char *pool;   /* NULL: the default */
		unsigned slot, slots;
		const char *want;   /* NULL: empty */
	} cases[] = {
		/* the default pool: slot s from 127.0.s.10, 256 each */
		{NULL, 0, 1, "127.0.0.10-127.0.1.9"},
		{NULL, 3, 4, "127.0.3.10-127.0.4.9"},
		/* a small pool is shared out evenly, the rest unused */
		{"127.0.0.10-127.0.0.20", 0, 2, "127.0.0.10-127.0.0.14"},
		{"127.0.0.10-127.0.0.20", 1, 2, "127.0.0.15-127.0.0.19"},
		/* fewer addresses than slots, or no such slot: empty */
		{"127.0.0.10-127.0.0.11", 0, 3, NULL},
		{"127.0.0.10-127.0.0.11", 2, 2, NULL},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct addrpool p, b;
		char buf[64];

		addrpool_default(&p);
		if (cases[i].pool)
			CU_ASSERT_EQUAL(addrpool_parse(&p, cases[i].pool,
						       NULL), 0);
		addrpool_block(&b, &p, cases[i].slot, cases[i].slots);
		if (!cases[i].want) {
			CU_ASSERT_EQUAL(addrpool_size(&b), 0);
			continue;
		}
		re_snprintf(buf, sizeof(buf), "%H", addrpool_print, &b);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
	}
}


/* "a:p b:p …" into taken; how many */
static size_t taken_parse(struct sa *taken, size_t max, const char *s)
{
	struct pl addr, rest;
	size_t n = 0;

	pl_set_str(&rest, s ? s : "");
	while (n < max && !re_regex(rest.p, rest.l, "[^ ]+", &addr)) {
		CU_ASSERT_EQUAL(sa_decode(&taken[n++], addr.p, addr.l), 0);
		pl_advance(&rest, (size_t)(addr.p + addr.l - rest.p));
	}

	return n;
}


static void test_pick_skips_taken_addresses(void)
{
	static const struct {
		const char *blk;
		unsigned idx;
		const char *taken;  /* addresses other roles have */
		const char *want;   /* NULL: none free */
	} cases[] = {
		/* nothing taken: first + index */
		{"127.0.0.10-127.0.1.9", 1, NULL, "127.0.0.11:5060"},
		/* A pinned at B's address: B moves to the next free one */
		{"127.0.0.10-127.0.1.9", 1, "127.0.0.11:5060",
		 "127.0.0.12:5060"},
		/* ... and past every other taken one, whatever took it */
		{"127.0.0.10-127.0.1.9", 1,
		 "127.0.0.11:5060 127.0.0.12:5060 127.0.0.13:5060",
		 "127.0.0.14:5060"},
		/* the same address on another port, or IPv6, does not
		 * collide */
		{"127.0.0.10-127.0.1.9", 1, "127.0.0.11:5070 [::1]:5060",
		 "127.0.0.11:5060"},
		/* an index past the block wraps inside it */
		{"127.0.0.10-127.0.0.12", 4, NULL, "127.0.0.11:5060"},
		/* a taken last address wraps to the first */
		{"127.0.0.10-127.0.0.12", 2, "127.0.0.12:5060",
		 "127.0.0.10:5060"},
		/* every address taken, or an empty block: none */
		{"127.0.0.10-127.0.0.12", 0,
		 "127.0.0.12:5060 127.0.0.10:5060 127.0.0.11:5060", NULL},
		{NULL, 0, NULL, NULL},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct addrpool b = {1, 0};  /* empty */
		struct sa taken[4], sa;
		size_t n = taken_parse(taken, ARRAY_SIZE(taken),
				       cases[i].taken);
		char buf[64];
		int err;

		if (cases[i].blk)
			CU_ASSERT_EQUAL(addrpool_parse(&b, cases[i].blk, NULL),
					0);
		err = addrpool_pick(&sa, &b, cases[i].idx, 5060, taken, n);
		if (!cases[i].want) {
			CU_ASSERT_EQUAL(err, ENOENT);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(err, 0);
		re_snprintf(buf, sizeof(buf), "%J", &sa);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
	}
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"pool_syntax", test_pool_syntax},
		{"default_pool_is_loopback_from_10",
		 test_default_pool_is_loopback_from_10},
		{"slot_blocks", test_slot_blocks},
		{"pick_skips_taken_addresses",
		 test_pick_skips_taken_addresses},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("addrpool", tests);
}
