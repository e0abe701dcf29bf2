/* tests/unit/test_hil_record.c — a device's own recording read back
 * (agents/hil/hil_record.c): the newest *-dec.wav of the directory, from
 * where it stood at the mark; a file still being written (sizes 0 in its
 * header, as libsndfile leaves them until close); a newer file read
 * whole; a format other than 8 kHz mono 16-bit named; no directory, no
 * file, no recording configured. WAV files are written here by hand. */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <re.h>
#include <CUnit/CUnit.h>
#include "cunit_main.h"
#include "hil/hil_priv.h"


static char dir[64];


static void set_mtime(const char *path, time_t mtime)
{
	struct timeval tv[2];

	tv[0].tv_sec = tv[1].tv_sec = mtime;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	(void)utimes(path, tv);
}


static void put32(FILE *f, uint32_t v)
{
	const uint8_t b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
			      v >> 24};

	(void)fwrite(b, 1, 4, f);
}


static void put16(FILE *f, uint16_t v)
{
	const uint8_t b[2] = {v & 0xff, v >> 8};

	(void)fwrite(b, 1, 2, f);
}


/* a WAV header with sizes 0 (still being written), then n samples
 * first, first + 1, …; returns the file's path */
static void wav(const char *name, uint32_t rate, uint16_t ch, int first,
		size_t n, time_t mtime)
{
	char path[128];
	FILE *f;
	size_t i;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	(void)fwrite("RIFF", 1, 4, f);
	put32(f, 0);
	(void)fwrite("WAVEfmt ", 1, 8, f);
	put32(f, 16);
	put16(f, 1);
	put16(f, ch);
	put32(f, rate);
	put32(f, rate * 2 * ch);
	put16(f, (uint16_t)(2 * ch));
	put16(f, 16);
	(void)fwrite("data", 1, 4, f);
	put32(f, 0);
	for (i = 0; i < n; i++)
		put16(f, (uint16_t)(int16_t)(first + (int)i));
	(void)fclose(f);

	set_mtime(path, mtime);
}


static void append(const char *name, int first, size_t n, time_t mtime)
{
	char path[128];
	FILE *f;
	size_t i;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "ab");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (i = 0; i < n; i++)
		put16(f, (uint16_t)(int16_t)(first + (int)i));
	(void)fclose(f);

	set_mtime(path, mtime);
}


static void test_mark_and_read(void)
{
	struct hil_cfg cfg;
	struct hil h;
	char mpath[256], cmd[96];
	uint64_t msize;
	int16_t *pcm = NULL;
	char *path = NULL, *why = NULL;
	size_t n = 0;

	(void)snprintf(dir, sizeof(dir), "/tmp/sipflow-hilrec-%d",
		       (int)getpid());
	(void)mkdir(dir, 0700);
	memset(&cfg, 0, sizeof(cfg));
	memset(&h, 0, sizeof(h));
	h.cfg = &cfg;

	/* no recording configured: the device cannot tell */
	CU_ASSERT_EQUAL(hil_heard_mark(&h, mpath, sizeof(mpath), &msize),
			ENOTSUP);
	cfg.recording = dir;

	/* an empty directory: nothing to mark, nothing to read */
	CU_ASSERT_EQUAL(hil_heard_mark(&h, mpath, sizeof(mpath), &msize), 0);
	CU_ASSERT_STRING_EQUAL(mpath, "");
	CU_ASSERT_EQUAL(hil_heard_read(&h, mpath, msize, &pcm, &n, &path,
				       &why), ENOENT);
	CU_ASSERT_PTR_NOT_NULL(why && strstr(why, "-dec.wav"));
	why = mem_deref(why);

	/* an older call's file and the newer one, and an -enc file that is
	 * newer still: the newest -dec is marked */
	wav("dump-1-dec.wav", 8000, 1, 0, 100, 1000);
	wav("dump-2-dec.wav", 8000, 1, 1000, 160, 2000);
	wav("dump-3-enc.wav", 8000, 1, 0, 10, 3000);
	CU_ASSERT_EQUAL(hil_heard_mark(&h, mpath, sizeof(mpath), &msize), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(mpath, "dump-2-dec.wav"));
	CU_ASSERT_EQUAL(msize, 44 + 2 * 160);

	/* what it gained since: exactly the appended samples */
	append("dump-2-dec.wav", 5000, 240, 2500);
	CU_ASSERT_EQUAL_FATAL(hil_heard_read(&h, mpath, msize, &pcm, &n,
					     &path, &why), 0);
	CU_ASSERT_EQUAL(n, 240);
	CU_ASSERT_EQUAL(pcm[0], 5000);
	CU_ASSERT_EQUAL(pcm[239], 5239);
	CU_ASSERT_PTR_NOT_NULL(strstr(path, "dump-2-dec.wav"));
	pcm = mem_deref(pcm);
	path = mem_deref(path);

	/* a new call's file: read whole */
	wav("dump-4-dec.wav", 8000, 1, -300, 320, 4000);
	CU_ASSERT_EQUAL_FATAL(hil_heard_read(&h, mpath, msize, &pcm, &n,
					     &path, &why), 0);
	CU_ASSERT_EQUAL(n, 320);
	CU_ASSERT_EQUAL(pcm[0], -300);
	CU_ASSERT_EQUAL(pcm[319], 19);
	pcm = mem_deref(pcm);
	path = mem_deref(path);

	/* 48 kHz stereo: named, not misread */
	wav("dump-5-dec.wav", 48000, 2, 0, 100, 5000);
	CU_ASSERT_EQUAL(hil_heard_read(&h, mpath, msize, &pcm, &n, &path,
				       &why), EPROTO);
	CU_ASSERT_PTR_NOT_NULL(why && strstr(why, "2 channel(s), 48000 Hz"));
	why = mem_deref(why);

	/* the directory gone */
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
	CU_ASSERT_NOT_EQUAL(hil_heard_mark(&h, mpath, sizeof(mpath), &msize),
			    0);
	CU_ASSERT_EQUAL(hil_heard_read(&h, mpath, msize, &pcm, &n, &path,
				       &why), ENOENT);
	CU_ASSERT_PTR_NOT_NULL(why && strstr(why, "cannot read the "
					     "directory"));
	mem_deref(why);
}


int register_suites(void)
{
	static CU_TestInfo tests[] = {
		{"mark_and_read", test_mark_and_read},
		CU_TEST_INFO_NULL,
	};

	return SUITE_ADD("hil_record", tests);
}
