/* tests/fuzz/fuzz.h — what the libFuzzer harnesses share: the input as a
 * file a reader opens by name, a printer into nothing */
#ifndef SIPFLOW_FUZZ_H
#define SIPFLOW_FUZZ_H

#include <stdint.h>
#include <stddef.h>

struct re_printf;

/* libFuzzer's entry points */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *fuzz_file(const uint8_t *data, size_t size);
struct re_printf *fuzz_null_printer(void);
const char *fuzz_src(void);

#endif
