#!/usr/bin/env bash
# Emit the text symbols of an ELF as an assembler table for stack traces:
# symtab_nr, sorted symtab_addrs[] (u64) and symtab_names[] (u32 offsets
# into a string blob), matching common/symbols.c.
set -eu
nm -n --defined-only "$1" | awk 'BEGIN { n = 0 }
    $2 ~ /^[tTwW]$/ && $3 !~ /^\.L/ { addr[n] = $1; name[n] = $3; n++ }
    END {
        print "        .section .xeno_symbols, \"a\""
        print "        .balign 8"
        print "        .globl symtab_nr, symtab_addrs, symtab_offs, symtab_names"
        printf "symtab_nr: .quad %d\n", n
        print "symtab_addrs:"
        for (i = 0; i < n; i++) printf "        .quad 0x%s\n", addr[i]
        print "symtab_offs:"
        off = 0
        for (i = 0; i < n; i++) { printf "        .long %d\n", off; off += length(name[i]) + 1 }
        print "symtab_names:"
        for (i = 0; i < n; i++) printf "        .asciz \"%s\"\n", name[i]
    }'
