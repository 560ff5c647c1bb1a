/* First-pass symbol table: empty (see the two-pass link in the Makefile). */
        .section .xeno_symbols, "a"
        .balign 8
        .globl  symtab_nr, symtab_addrs, symtab_offs, symtab_names
symtab_nr:      .quad 0
symtab_addrs:
symtab_offs:
symtab_names:   .byte 0
