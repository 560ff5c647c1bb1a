/* SPDX-License-Identifier: MIT */
#ifndef XENO_SYMBOLS_H
#define XENO_SYMBOLS_H

#include <xeno/types.h>

/* Name of the text symbol containing addr, with offset and size; NULL if none. */
const char *symbol_lookup(unsigned long addr, unsigned long *offset, unsigned long *size);
/* Print "[<addr>] name+off/size" for rip and each frame of the rbp chain.
 * rsp is used when rip is a function's first instruction (or a leaf that
 * never set up a frame): its return address is then at the top of the stack. */
void show_stack_trace(unsigned long rip, unsigned long rsp, unsigned long rbp);

#endif
