/* SPDX-License-Identifier: MIT */
/*
 * Shared main() for every hosted CUnit test binary. Each test file defines
 * unit_register(), which adds its suites; this file runs them and prints
 * the project's summary line so tests/run-unit.sh can add the binaries up.
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>

void unit_register(void);

int main(int argc, char **argv)
{
    (void)argc;
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "%s: CUnit registry init failed\n", argv[0]);
        return 2;
    }
    unit_register();
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "%s: registering suites failed: %s\n", argv[0], CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned run = CU_get_number_of_tests_run();
    unsigned failed = CU_get_number_of_tests_failed();
    unsigned suites_failed = CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    printf("%s: %u passed, %u failed\n", argv[0], run - failed, failed + suites_failed);
    return (failed || suites_failed) ? 1 : 0;
}
