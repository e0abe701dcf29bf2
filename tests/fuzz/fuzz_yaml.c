/* tests/fuzz/fuzz_yaml.c — libFuzzer harness: scenario text through the
 * loader, the expander (vars:, blocks, include:) and the binding of its
 * roles, as sipflow lint and run read a scenario file */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "diag.h"
#include "scenario.h"
#include "testbed.h"
#include "fuzz.h"


static struct testbed *tb;   /* no testbed file: every role simulated */
static char *file;           /* in scenarios/, for include: ../blocks/ */


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (testbed_alloc(&tb) ||
	    re_sdprintf(&file, "%s/scenarios/rfc3665/fuzz.yaml", fuzz_src()))
		abort();
	return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *sc = NULL;
	struct diag dg;
	char *text;

	/* a file with a NUL is refused before it is parsed ("not a text
	 * file"): the loader sees text */
	if (memchr(data, '\0', size))
		return -1;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	diag_init(&dg);
	if (!scenario_load_vars(&sc, file, text, NULL, &dg)) {
		(void)scenario_bind(sc, tb, &dg);
		mem_deref(sc);
	}
	(void)diag_print(fuzz_null_printer(), &dg);
	diag_reset(&dg);
	free(text);

	return 0;
}
