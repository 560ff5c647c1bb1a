/* SPDX-License-Identifier: MIT */
#ifndef XENO_SYMBOLS_H
#define XENO_SYMBOLS_H

#include <xeno/types.h>

/* Name of the text symbol containing addr, with offset and size; NULL if none. */
const char *symbol_lookup(unsigned long addr, unsigned long *offset, unsigned long *size);
/* Print "[<addr>] name+off/size" for each frame of the rbp chain starting at rbp. */
void show_stack_trace(unsigned long rip, unsigned long rbp);

#endif
