/* tests/unit/test_wfile.c — a file written whole through struct wfile's
 * buffer, or the first error kept and returned */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "wfile.h"


enum { BIG = 3 * WFILE_BUF + 17 };


/* bytes of a pattern no two neighbouring writes share */
static void pattern(uint8_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)('a' + (i * 7 + seed) % 26);
}


/* small writes (through re_hprintf, a piece at a time), one larger than
 * the buffer, a small one again: the file holds every byte, in order */
static void test_writes_arrive_whole_in_order(void)
{
	char path[] = "/tmp/test_wfile.XXXXXX";
	static uint8_t want[2 * WFILE_BUF + BIG + 5], got[sizeof(want) + 1];
	struct re_printf pf;
	struct wfile wf;
	size_t n = 0, i;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	CU_ASSERT_EQUAL_FATAL(wfile_open(&wf, path, "w"), 0);
	pf.vph = wfile_print_h;
	pf.arg = &wf;

	/* 2 * WFILE_BUF bytes of 8-byte lines: the buffer fills and is
	 * pushed on a write that does not fit */
	for (i = 0; i < 2 * WFILE_BUF / 8; i++) {
		CU_ASSERT_EQUAL(re_hprintf(&pf, "%06zu\r\n", i % 1000000), 0);
		(void)re_snprintf((char *)want + n, 9, "%06zu\r\n",
				  i % 1000000);
		n += 8;
	}
	pattern(want + n, BIG, 3);
	CU_ASSERT_EQUAL(wfile_write(&wf, want + n, BIG), 0);
	n += BIG;
	/* left in the buffer: close pushes them */
	CU_ASSERT_EQUAL(wfile_write(&wf, "tail\n", 5), 0);
	memcpy(want + n, "tail\n", 5);
	n += 5;
	CU_ASSERT_EQUAL(wfile_close(&wf), 0);

	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(got, 1, sizeof(got), f), n);
	fclose(f);
	unlink(path);
	CU_ASSERT_EQUAL(memcmp(got, want, n), 0);
}


/* a write the device refuses: the first error is kept, later writes are
 * not tried, close returns it (a small write shows it at the push) */
static void test_full_device_error_kept(void)
{
	static uint8_t big[BIG];
	struct wfile wf;

	if (access("/dev/full", W_OK)) {
		printf("\n  /dev/full is missing: nothing to fail on\n");
		CU_FAIL("no /dev/full");
		return;
	}

	CU_ASSERT_EQUAL_FATAL(wfile_open(&wf, "/dev/full", "w"), 0);
	CU_ASSERT_EQUAL(wfile_write(&wf, "hello", 5), 0);
	CU_ASSERT_EQUAL(wfile_flush(&wf), ENOSPC);
	CU_ASSERT_EQUAL(wfile_write(&wf, "more", 4), ENOSPC);
	CU_ASSERT_EQUAL(wfile_close(&wf), ENOSPC);

	pattern(big, sizeof(big), 1);
	CU_ASSERT_EQUAL_FATAL(wfile_open(&wf, "/dev/full", "w"), 0);
	CU_ASSERT_EQUAL(wfile_write(&wf, "x", 1), 0);
	CU_ASSERT_EQUAL(wfile_write(&wf, big, sizeof(big)), ENOSPC);
	CU_ASSERT_EQUAL(wfile_close(&wf), ENOSPC);

	CU_ASSERT_EQUAL_FATAL(wfile_open(&wf, "/dev/full", "w"), 0);
	CU_ASSERT_EQUAL(wfile_write(&wf, "bytes left in the buffer", 24), 0);
	CU_ASSERT_EQUAL(wfile_close(&wf), ENOSPC);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"writes_arrive_whole_in_order",
		 test_writes_arrive_whole_in_order},
		{"full_device_error_kept", test_full_device_error_kept},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("wfile", tests);
}
