/* SPDX-License-Identifier: MIT */
/* Symbol lookup for stack traces, over the table the second link pass embeds
 * (hypervisor/tools/gen-syms.sh): sorted addresses, name offsets, names. */
#include <asm/config.h>
#include <asm/percpu.h>
#include <xeno/lib.h>
#include <xeno/symbols.h>

extern const uint64_t symtab_nr;
extern const uint64_t symtab_addrs[];
extern const uint32_t symtab_offs[];
extern const char symtab_names[];
extern const char __text_start[], __text_end[];

const char *symbol_lookup(unsigned long addr, unsigned long *offset, unsigned long *size)
{
    uint64_t lo = 0, hi = symtab_nr;

    if (addr < (unsigned long)__text_start - 0x1000 || addr >= (unsigned long)__text_end || !hi)
        return NULL;
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (symtab_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (symtab_addrs[lo] > addr)
        return NULL;
    *offset = addr - symtab_addrs[lo];
    *size = (lo + 1 < symtab_nr ? symtab_addrs[lo + 1] : (uint64_t)__text_end) - symtab_addrs[lo];
    return symtab_names + symtab_offs[lo];
}

static void print_frame(unsigned long addr)
{
    unsigned long off, size;
    const char *name = symbol_lookup(addr, &off, &size);
    if (name)
        printk("   [<%016lx>] %s+%#lx/%#lx\n", addr, name, off, size);
    else
        printk("   [<%016lx>] ???\n", addr);
}

static bool frameless(unsigned long rip)
{
    unsigned long off, size;
    const uint8_t *code;
    if (!symbol_lookup(rip, &off, &size))
        return false;
    if (off == 0)
        return true;
    /* A function that pushes %rbp starts with 55 (push %rbp) 48 89 e5 (mov %rsp,%rbp). */
    code = (const uint8_t *)(rip - off);
    return code[0] != 0x55;
}

void show_stack_trace(unsigned long rip, unsigned long rsp, unsigned long rbp)
{
    /* Frames must stay inside the current stack (or an IST stack below it):
     * a corrupt chain ends the walk instead of faulting again. */
    unsigned long top = (unsigned long)get_cpu_info();
    unsigned long bottom = (top & ~(STACK_SIZE - 1UL)) - 4 * PAGE_SIZE;

    printk("Xen call trace:\n");
    print_frame(rip);
    if (frameless(rip) && rsp >= bottom && rsp + 8 <= top)
        print_frame(*(unsigned long *)rsp);
    for (int depth = 0; depth < 32; depth++) {
        if (rbp < bottom || rbp + 16 > top || (rbp & 7))
            break;
        unsigned long ret = ((unsigned long *)rbp)[1];
        if (!ret)
            break;
        print_frame(ret);
        rbp = ((unsigned long *)rbp)[0];
    }
}
