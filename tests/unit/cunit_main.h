/* tests/unit/cunit_main.h — each test file defines register_suites() */
#ifndef SIPFLOW_CUNIT_MAIN_H
#define SIPFLOW_CUNIT_MAIN_H

#include <stdint.h>

/** Add this file's suites to the CUnit registry; 0 or a CUnit error */
int register_suites(void);

/** Run libre's loop for ms milliseconds (network tests) */
void cunit_loop_for(uint32_t ms);

/** A suite's tests: { "name", fn } rows ended by { NULL, NULL } */
#define SUITE_ADD(name, tests) CU_register_suites((CU_SuiteInfo[]){ \
	{ name, NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL })

#endif
