/* tests/fuzz/fuzz.c — what the libFuzzer harnesses share: the input as a
 * file a reader opens by name, a printer into nothing */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <re.h>
#include "fuzz.h"


/*
 * The input as a file whose name a reader opens (pcap_open_offline,
 * fopen): an in-memory file, rewritten for each input, named by its
 * descriptor. NULL if it cannot be written (the harness then skips the
 * input; libFuzzer's figures show it).
 */
const char *fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("sipflow-fuzz", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}

	if (ftruncate(fd, 0) ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return NULL;

	return path;
}


static int null_h(const char *p, size_t size, void *arg)
{
	(void)p;
	(void)size;
	(void)arg;
	return 0;
}


/** where reports and diagnostics go: formatted, and dropped */
struct re_printf *fuzz_null_printer(void)
{
	static struct re_printf pf = {null_h, NULL};

	return &pf;
}


/** the source tree (SIPFLOW_SRC, as the unit tests have it; else the
 *  working directory): where a scenario's include: paths start */
const char *fuzz_src(void)
{
	const char *s = getenv("SIPFLOW_SRC");

	return s && *s ? s : ".";
}
