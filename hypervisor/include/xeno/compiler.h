/* SPDX-License-Identifier: MIT */
/* Included first in every hypervisor C file (-include).  Everything is
 * hidden: with -fpie that makes GCC address every symbol, even one only
 * declared here, RIP-relatively instead of through a GOT that a non-PIE
 * link at our high address could not resolve. */
#pragma GCC visibility push(hidden)
