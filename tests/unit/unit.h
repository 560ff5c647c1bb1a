/* SPDX-License-Identifier: MIT */
#ifndef XENO_TEST_UNIT_H
#define XENO_TEST_UNIT_H

#include <CUnit/CUnit.h>

/* Add a suite of tests given as a { "name", fn } table ending in { NULL, NULL }. */
struct unit_case {
    const char *name;
    CU_TestFunc fn;
};

static inline void unit_add_suite(const char *name, const struct unit_case *cases)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    for (; s && cases->name; cases++)
        CU_add_test(s, cases->name, cases->fn);
}

#endif
