/* SPDX-License-Identifier: MIT */
/*
 * GDT, TSS and IDT.  The hypervisor's descriptors live in GDT page 14 at the
 * selectors Xen uses (0xe008 code, 0xe010 data, 0xe023/0xe02b/0xe033 for the
 * guest's flat ring-3 segments), because the PV ABI fixes the guest ones
 * (FLAT_RING3_CS64 = 0xe033 etc.) and SYSCALL/SYSRET derive their selectors
 * from one STAR value that must cover both.  Pages 0..13 of the GDT are the
 * guest's (HYPERVISOR_set_gdt): once the CPU runs guests its GDTR moves to
 * the CPU's descriptor area (arch/x86/pv/gdt.c), where those pages map the
 * running vCPU's frames and page 14 maps this same reserved page.
 */
#include <asm/config.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <xeno/lib.h>

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, rsvd;
} __packed;

static struct idt_gate idt[256] __aligned(4096);
extern const char entry_stubs[];

static void set_gate(unsigned int vec, unsigned int ist, unsigned int dpl)
{
    unsigned long a = (unsigned long)entry_stubs + vec * 16;
    idt[vec] = (struct idt_gate){
        .off_lo = a & 0xffff, .sel = __HYPERVISOR_CS, .ist = ist,
        .type = 0x8e | (dpl << 5),      /* present, 64-bit interrupt gate */
        .off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
    };
}

void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    /* Faults that may come with a bad stack get a known-good one. */
    /* int3 and into are allowed from guest ring 3 (Xen: DPL 3 gates); every
     * other software interrupt from a guest arrives as #GP and is decoded. */
    set_gate(3, 0, 3);
    set_gate(4, 0, 3);
    set_gate(2, IST_NMI, 0);
    set_gate(8, IST_DF, 0);
    set_gate(18, IST_MC, 0);
}

static uint64_t seg_desc(uint32_t flags_access)
{
    /* base 0, limit 0xfffff (4 GiB with G), flags/access packed by caller */
    return 0x000f00000000ffffULL | ((uint64_t)flags_access << 40);
}

/* A 16-byte system descriptor (TSS or LDT) in long mode (SDM vol. 3, 7.2.3). */
static void set_sys_desc(uint64_t *slot, unsigned long base, unsigned long lim, unsigned int type)
{
    slot[0] = (lim & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)(0x80 | type) << 40) |
              (((lim >> 16) & 0xf) << 48) | ((uint64_t)((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

void cpu_load_gdtr(unsigned long base)
{
    /* Xen's limit, LAST_RESERVED_GDT_BYTE: the 14 guest pages and page 14. */
    struct { uint16_t limit; uint64_t base; } __packed gdtr = {
        .limit = FIRST_RESERVED_GDT_BYTE + PAGE_SIZE - 1,
        .base = base,
    };
    asm volatile("lgdt %0" :: "m"(gdtr) : "memory");
}

void cpu_load_ldt(unsigned long base, unsigned int ents)
{
    if (!ents) {
        /* A null LDTR: any selector with TI = 1 then raises #GP. */
        asm volatile("lldt %w0" :: "r"(0) : "memory");
        return;
    }
    /* The descriptor lives in this CPU's reserved page at LDT_SELECTOR
     * (0xe050, Xen's LDT_ENTRY), where no guest can write; LLDT caches it,
     * so rewriting it for the next vCPU is safe. */
    uint64_t *r = this_cpu()->gdt_reserved;
    set_sys_desc(&r[(LDT_SELECTOR & 0xfff) >> 3], base, ents * 8UL - 1, SYS_DESC_LDT);
    asm volatile("lldt %w0" :: "r"(LDT_SELECTOR) : "memory");
}

void cpu_load_descriptors(struct percpu *pc, uint64_t *gdt_page, void *ist)
{
    /* Reserved entries, indexed from FIRST_RESERVED_GDT_ENTRY. */
    uint64_t *r = gdt_page;
    r[(__HYPERVISOR_CS & 0xfff) >> 3]     = seg_desc(0xa09b);   /* L, P, DPL0, code */
    r[(__HYPERVISOR_DS & 0xfff) >> 3]     = seg_desc(0xc093);   /* D/B, G, P, DPL0, data */
    r[(FLAT_RING3_CS32_SEL & 0xfff) >> 3] = seg_desc(0xc0fb);   /* 32-bit code, DPL3 */
    r[(FLAT_RING3_DS32_SEL & 0xfff) >> 3] = seg_desc(0xc0f3);   /* data, DPL3 */
    r[(FLAT_RING3_CS64_SEL & 0xfff) >> 3] = seg_desc(0xa0fb);   /* 64-bit code, DPL3 */
    r[(__HYPERVISOR_CS32 & 0xfff) >> 3]   = seg_desc(0xc09b);   /* 32-bit code, DPL0 */

    pc->gdt_reserved = gdt_page;
    pc->ist_stacks = ist;
    for (int i = 0; i < NR_IST_STACKS; i++)
        pc->tss.ist[i] = (uint64_t)ist + (i + 1) * PAGE_SIZE;
    /* Entries from ring 3 push their frame exactly into cpu_info->guest_regs. */
    pc->tss.rsp[0] = (uint64_t)&get_cpu_info()->guest_regs + sizeof(struct cpu_regs);
    pc->tss.iomap_base = sizeof(pc->tss);          /* no I/O bitmap: all ports trap for ring 3 */

    set_sys_desc(&r[(TSS_SELECTOR & 0xfff) >> 3], (unsigned long)&pc->tss, sizeof(pc->tss) - 1,
                 SYS_DESC_TSS_AVAIL);

    /* Until the CPU's descriptor area exists (it needs the page allocator,
     * which the BSP gets later) the GDT base is placed so that page 14 is
     * gdt_page; selectors below 0xe000 are not used before a guest runs. */
    struct { uint16_t limit; uint64_t base; } __packed idtr = { sizeof(idt) - 1, (uint64_t)idt };

    cpu_load_gdtr((unsigned long)gdt_page - FIRST_RESERVED_GDT_BYTE);
    /* Reload CS through a far return, then the data selectors. */
    asm volatile("pushq %0\n\t"
                 "leaq 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "lretq\n"
                 "1:\n\t"
                 "movl %1, %%eax\n\t"
                 "movl %%eax, %%ss\n\t"
                 "xorl %%eax, %%eax\n\t"
                 "movl %%eax, %%ds\n\t"
                 "movl %%eax, %%es\n\t"
                 "movl %%eax, %%fs\n\t"
                 "movl %%eax, %%gs\n\t"
                 :: "i"(__HYPERVISOR_CS), "i"(__HYPERVISOR_DS) : "rax", "memory");
    asm volatile("ltr %w0" :: "r"(TSS_SELECTOR));
    asm volatile("lidt %0" :: "m"(idtr));
}
