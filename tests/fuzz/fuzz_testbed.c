/* tests/fuzz/fuzz_testbed.c — libFuzzer harness: a testbed file through
 * its loader, then a call flow bound to it and its drivers checked, as
 * sipflow run --testbed and lint --testbed do */
#include <stdlib.h>
#include <re.h>
#include "diag.h"
#include "scenario.h"
#include "testbed.h"
#include "fuzz.h"


/* roles a testbed binds: a proxy between two phones, one a device */
static const char flow[] =
	"roles:\n"
	"  A: {kind: ua, user: alice}\n"
	"  P: {kind: proxy}\n"
	"  B: {kind: ua, user: bob}\n"
	"steps:\n"
	"  - F1: INVITE A -> P\n"
	"  - F2: INVITE P -> B\n"
	"  - F3: 180 Ringing B -> P\n"
	"  - F4: 180 Ringing P -> A\n";


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *sc = NULL;
	struct testbed *tb = NULL;
	const char *path;
	struct diag dg;

	path = fuzz_file(data, size);
	if (!path)
		return 0;

	diag_init(&dg);
	if (!testbed_load(&tb, path, &dg)) {
		if (scenario_load_str(&sc, "flow.yaml", flow, &dg))
			abort();
		if (!scenario_bind(sc, tb, &dg))
			(void)testbed_check_drivers(sc, &dg);
		mem_deref(sc);
	}
	(void)diag_print(fuzz_null_printer(), &dg);
	diag_reset(&dg);
	mem_deref(tb);

	return 0;
}
