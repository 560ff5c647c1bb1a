/* SPDX-License-Identifier: MIT */
#include "xtest.h"

const char xtest_name[] = "hello";

void xtest_main(void)
{
    CHECK(1, "console works");
}
