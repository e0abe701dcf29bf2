/* tests/unit/test_mutate.c — seeded mutations (engine/sip/mutate.c): the
 * same seed and number give the same bytes, every kind is made and
 * changes the message, sizes stay under the limit, splits only on a
 * stream, and the description is printable */
#define _GNU_SOURCE 1
#include <string.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "mutate.h"


static const char invite[] =
	"INVITE sip:bob@127.0.0.11:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bKabc\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@127.0.0.10:5060>;tag=1928301774\r\n"
	"To: <sip:bob@127.0.0.11:5060>\r\n"
	"Call-ID: a84b4c76e66710@127.0.0.10\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:alice@127.0.0.10:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 10\r\n"
	"\r\n"
	"v=0\r\no=- 1\r\n";

enum { N = 3000, UDPMAX = 65507 };


static int mut(struct mutation *m, uint64_t seed, uint64_t n, bool stream)
{
	return mutate(m, (const uint8_t *)invite, strlen(invite), seed, n,
		      stream, UDPMAX);
}


static bool same(const struct mutation *a, const struct mutation *b)
{
	return a->kind == b->kind && a->mb->end == b->mb->end &&
		!memcmp(a->mb->buf, b->mb->buf, a->mb->end) &&
		!memcmp(a->split, b->split, sizeof(a->split)) &&
		!strcmp(a->what, b->what);
}


static void test_same_seed_same_bytes(void)
{
	struct mutation a, b;
	uint64_t n;

	for (n = 0; n < 500; n++) {
		CU_ASSERT_EQUAL_FATAL(mut(&a, 42, n, true), 0);
		CU_ASSERT_EQUAL_FATAL(mut(&b, 42, n, true), 0);
		CU_ASSERT(same(&a, &b));
		mutation_reset(&a);
		mutation_reset(&b);
	}
}


static void test_other_seed_other_mutations(void)
{
	struct mutation a, b;
	unsigned differ = 0;
	uint64_t n;

	for (n = 0; n < 200; n++) {
		CU_ASSERT_EQUAL_FATAL(mut(&a, 1, n, false), 0);
		CU_ASSERT_EQUAL_FATAL(mut(&b, 2, n, false), 0);
		differ += !same(&a, &b);
		mutation_reset(&a);
		mutation_reset(&b);
	}

	CU_ASSERT(differ > 180);
}


static void test_every_kind_changes_the_message(void)
{
	unsigned count[MUT_NKINDS];
	struct mutation m;
	uint64_t n;
	size_t k;

	memset(count, 0, sizeof(count));
	for (n = 0; n < N; n++) {
		CU_ASSERT_EQUAL_FATAL(mut(&m, 7, n, true), 0);
		++count[m.kind];

		if (m.kind == MUT_SPLIT) {
			CU_ASSERT(m.split[0] > 0);
			CU_ASSERT(m.split[0] < m.mb->end);
			CU_ASSERT(!m.split[1] || m.split[1] > m.split[0]);
			CU_ASSERT(m.mb->end == strlen(invite));
		}
		else {
			CU_ASSERT(m.mb->end != strlen(invite) ||
				  memcmp(m.mb->buf, invite, m.mb->end));
			CU_ASSERT_EQUAL(m.split[0], 0);
		}
		CU_ASSERT(m.mb->end <= UDPMAX);
		CU_ASSERT(strlen(m.what) > 0);
		mutation_reset(&m);
	}

	for (k = 0; k < MUT_NKINDS; k++) {
		if (!count[k])
			re_fprintf(stderr, "kind %s never made\n",
				   mut_kind_name((enum mut_kind)k));
		CU_ASSERT(count[k] > 0);
	}
}


static void test_no_split_on_a_datagram(void)
{
	struct mutation m;
	uint64_t n;

	for (n = 0; n < N; n++) {
		CU_ASSERT_EQUAL_FATAL(mut(&m, 7, n, false), 0);
		CU_ASSERT_NOT_EQUAL(m.kind, MUT_SPLIT);
		CU_ASSERT_EQUAL(m.split[0], 0);
		mutation_reset(&m);
	}
}


/* the CSeq line ends in the method it had */
static bool cseq_keeps_method(const struct pl *msg)
{
	const char *c = memmem(msg->p, msg->l, "CSeq: ", 6);
	const char *e;

	if (!c)
		return false;
	e = memmem(c, msg->l - (size_t)(c - msg->p), "\r\n", 2);
	return e && e - c >= 13 && !memcmp(e - 7, " INVITE", 7);
}


/* a bad CSeq keeps the method; a truncation is shorter; the description
 * of a control byte names it and stays printable */
static void test_kinds_do_what_they_say(void)
{
	bool cseq = false, trunc = false, ctrl = false;
	struct mutation m;
	uint64_t n;
	const char *c;

	for (n = 0; n < N; n++) {
		struct pl body;

		CU_ASSERT_EQUAL_FATAL(mut(&m, 9, n, false), 0);
		body.p = (const char *)m.mb->buf;
		body.l = m.mb->end;

		switch (m.kind) {

		case MUT_CSEQ:
			cseq = true;
			CU_ASSERT(cseq_keeps_method(&body));
			CU_ASSERT_PTR_NULL(memmem(body.p, body.l, "314159",
						  6));
			break;

		case MUT_TRUNC:
			trunc = true;
			CU_ASSERT(m.mb->end < strlen(invite));
			CU_ASSERT(!memcmp(m.mb->buf, invite, m.mb->end));
			break;

		case MUT_CTRL:
			ctrl = true;
			CU_ASSERT(!strncmp(m.what, "byte 0x", 7));
			CU_ASSERT_EQUAL(m.mb->end, strlen(invite) + 1);
			break;

		default:
			break;
		}

		for (c = m.what; *c; c++)
			CU_ASSERT(*c >= 0x20 && *c <= 0x7e);
		mutation_reset(&m);
	}

	CU_ASSERT(cseq && trunc && ctrl);
}


static void test_size_limit_holds(void)
{
	struct mutation m;
	uint64_t n;

	for (n = 0; n < N; n++) {
		CU_ASSERT_EQUAL_FATAL(mutate(&m, (const uint8_t *)invite,
					     strlen(invite), 3, n, false,
					     1500), 0);
		/* what grows is held to the limit; the start line's 1000
		 * bytes and a doubled line are small on their own */
		CU_ASSERT(m.mb->end <= 1500 + 1000);
		mutation_reset(&m);
	}
}


static void test_nothing_to_mutate(void)
{
	struct mutation m;

	CU_ASSERT_EQUAL(mutate(&m, (const uint8_t *)"", 0, 1, 0, false,
			       UDPMAX), ENOENT);
	CU_ASSERT_PTR_NULL(m.mb);
	CU_ASSERT_EQUAL(mutate(NULL, (const uint8_t *)"x", 1, 1, 0, false,
			       UDPMAX), EINVAL);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"same_seed_same_bytes", test_same_seed_same_bytes},
		{"other_seed_other_mutations",
		 test_other_seed_other_mutations},
		{"every_kind_changes_the_message",
		 test_every_kind_changes_the_message},
		{"no_split_on_a_datagram", test_no_split_on_a_datagram},
		{"kinds_do_what_they_say", test_kinds_do_what_they_say},
		{"size_limit_holds", test_size_limit_holds},
		{"nothing_to_mutate", test_nothing_to_mutate},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("mutate", tests);
}
