/* tests/fuzz/fuzz_pcap.c — libFuzzer harness: a capture file (pcap or
 * pcapng) through the reader, IP reassembly, TCP stream reassembly, the
 * SIP scanner and the ladder, as sipflow ladder reads one */
#include <re.h>
#include "trace.h"
#include "fuzz.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace *tr = NULL;
	const char *path;
	char *why = NULL;

	path = fuzz_file(data, size);
	if (!path || trace_alloc(&tr))
		return 0;

	(void)trace_ladder(fuzz_null_printer(), tr, path, &why);
	mem_deref(why);
	mem_deref(tr);

	return 0;
}
