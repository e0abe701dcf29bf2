/* tests/unit/cunit_main.c — one main for every CUnit test executable */
#include <stdio.h>
#include <re.h>
#include <CUnit/Basic.h>
#include "cunit_main.h"


static void loop_stop_h(void *arg)
{
	(void)arg;
	re_cancel();
}


void cunit_loop_for(uint32_t ms)
{
	struct tmr t;

	tmr_init(&t);
	tmr_start(&t, ms, loop_stop_h, NULL);
	(void)re_main(NULL);
	tmr_cancel(&t);
}


int main(void)
{
	unsigned failed;
	int err;

	err = libre_init();
	if (err)
		return 2;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;

	if (register_suites()) {
		fprintf(stderr, "%s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}

	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
		 CU_get_number_of_tests_failed();
	printf("\n%u passed, %u failed\n",
	       CU_get_number_of_tests_run() - CU_get_number_of_tests_failed(),
	       CU_get_number_of_tests_failed());
	CU_cleanup_registry();

	libre_close();

	return failed ? 1 : 0;
}
