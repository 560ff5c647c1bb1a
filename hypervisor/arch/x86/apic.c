/* SPDX-License-Identifier: MIT */
/* Local APIC in xAPIC mode (SDM vol. 3, ch. 10), reached through the direct map. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <xeno/apic.h>
#include <xeno/lib.h>
#include <xeno/mm.h>

#define APIC_ID       0x020
#define APIC_TPR      0x080
#define APIC_EOI      0x0b0
#define APIC_LDR      0x0d0
#define APIC_DFR      0x0e0
#define APIC_SVR      0x0f0
#define APIC_ESR      0x280
#define APIC_ICR_LO   0x300
#define APIC_ICR_HI   0x310
#define APIC_LVT_TMR  0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERR  0x370
#define APIC_TMR_INIT 0x380
#define APIC_TMR_CUR  0x390
#define APIC_TMR_DIV  0x3e0

#define ICR_DELIVERY_PENDING (1u << 12)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

static volatile uint8_t *apic_base;

static inline uint32_t apic_read(unsigned int reg) { return *(volatile uint32_t *)(apic_base + reg); }
static inline void apic_write(unsigned int reg, uint32_t v) { *(volatile uint32_t *)(apic_base + reg) = v; }

void apic_init_cpu(void)
{
    uint64_t msr = rdmsr(MSR_APIC_BASE);
    if (!apic_base)
        apic_base = __va(msr & 0xfffff000UL);
    wrmsr(MSR_APIC_BASE, msr | (1u << 11));     /* global enable */
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_TMR, LVT_MASKED);
    apic_write(APIC_LVT_ERR, LVT_MASKED);
    /* LINT0 is ExtINT on the BSP under the legacy PIC; we use none of it. */
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, (4u << 8));      /* LINT1 = NMI */
    apic_write(APIC_ESR, 0);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    apic_eoi();
}

uint32_t apic_id(void) { return apic_read(APIC_ID) >> 24; }
void apic_eoi(void) { apic_write(APIC_EOI, 0); }

static void icr_send(uint32_t dest, uint32_t lo)
{
    for (unsigned i = 0; i < 1000000 && (apic_read(APIC_ICR_LO) & ICR_DELIVERY_PENDING); i++)
        cpu_relax();
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, lo);
}

void apic_send_ipi(uint32_t dest, uint8_t vector) { icr_send(dest, vector); }
void apic_send_init(uint32_t dest) { icr_send(dest, 0x4500); }    /* INIT, level assert */
void apic_send_sipi(uint32_t dest, uint8_t page) { icr_send(dest, 0x4600 | page); }

void apic_timer_periodic(uint8_t vector, uint32_t count)
{
    apic_write(APIC_TMR_DIV, 0x3);              /* divide by 16 */
    apic_write(APIC_LVT_TMR, LVT_PERIODIC | vector);
    apic_write(APIC_TMR_INIT, count);
}

void apic_timer_oneshot_count(uint32_t count)
{
    apic_write(APIC_TMR_DIV, 0x3);
    apic_write(APIC_LVT_TMR, LVT_MASKED);
    apic_write(APIC_TMR_INIT, count);
}

uint32_t apic_timer_current(void) { return apic_read(APIC_TMR_CUR); }

void apic_timer_stop(void)
{
    apic_write(APIC_LVT_TMR, LVT_MASKED);
    apic_write(APIC_TMR_INIT, 0);
}
