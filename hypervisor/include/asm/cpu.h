/* SPDX-License-Identifier: MIT */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <xeno/types.h>

static inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { asm volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { asm volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    cpuid_count(leaf, 0, a, b, c, d);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n) \
    static inline unsigned long read_cr##n(void) { unsigned long v; asm volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_cr##n(unsigned long v) { asm volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline unsigned long read_rflags(void) { unsigned long f; asm volatile("pushf; pop %0" : "=r"(f)); return f; }
static inline void local_irq_disable(void) { asm volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { asm volatile("sti" ::: "memory"); }
static inline unsigned long local_irq_save(void) { unsigned long f = read_rflags(); local_irq_disable(); return f; }
static inline void local_irq_restore(unsigned long f) { if (f & 0x200) local_irq_enable(); }
static inline bool local_irq_is_enabled(void) { return read_rflags() & 0x200; }
static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }
static inline void halt(void) { asm volatile("hlt" ::: "memory"); }
/* sti;hlt: the sti shadow makes the pair atomic, so a wakeup IRQ cannot be lost. */
static inline void safe_halt(void) { asm volatile("sti; hlt" ::: "memory"); }
static inline void invlpg(unsigned long va) { asm volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void barrier(void) { asm volatile("" ::: "memory"); }
static inline void mb(void) { asm volatile("mfence" ::: "memory"); }

#define MSR_EFER            0xc0000080
#define MSR_STAR            0xc0000081
#define MSR_LSTAR           0xc0000082
#define MSR_CSTAR           0xc0000083
#define MSR_SYSCALL_MASK    0xc0000084
#define MSR_FS_BASE         0xc0000100
#define MSR_GS_BASE         0xc0000101
#define MSR_SHADOW_GS_BASE  0xc0000102
#define MSR_APIC_BASE       0x0000001b
#define EFER_SCE  (1u << 0)
#define EFER_LME  (1u << 8)
#define EFER_NXE  (1u << 11)

#define X86_CR0_PE  (1ul << 0)
#define X86_CR0_MP  (1ul << 1)
#define X86_CR0_EM  (1ul << 2)
#define X86_CR0_TS  (1ul << 3)
#define X86_CR0_NE  (1ul << 5)
#define X86_CR0_WP  (1ul << 16)
#define X86_CR0_PG  (1ul << 31)
#define X86_CR4_PAE (1ul << 5)
#define X86_CR4_PGE (1ul << 7)
#define X86_CR4_OSFXSR (1ul << 9)
#define X86_CR4_OSXMMEXCPT (1ul << 10)

#endif
