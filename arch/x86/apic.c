/*
 * Local APIC: xAPIC through its MMIO page (reached via the direct map) or
 * x2APIC through MSRs when the CPU has it.  Each CPU enables its APIC with
 * the spurious vector, masks LINT0/LINT1 (no legacy PIC use), and runs a
 * one-shot APIC timer for its timer queue.
 */
#include <keel/lib.h>
#include <asm/apic.h>
#include <keel/spinlock.h>
#include <asm/irq.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/time.h>

bool x2apic_enabled;                       /* (c) after apic_init_bsp */
uint32_t apic_timer_ticks_per_ms;          /* (c) after calibration */
static volatile uint32_t *apic_mmio;       /* (c) xAPIC only */

#define CPUID1_ECX_X2APIC (1u << 21)

uint32_t apic_read(unsigned int reg)
{
    if ( x2apic_enabled )
        return (uint32_t)rdmsr(MSR_X2APIC_FIRST + (reg >> 4));
    return apic_mmio[reg / 4];
}

void apic_write(unsigned int reg, uint32_t v)
{
    if ( x2apic_enabled )
        wrmsr(MSR_X2APIC_FIRST + (reg >> 4), v);
    else
        apic_mmio[reg / 4] = v;
}

uint32_t apic_current_id(void)
{
    return x2apic_enabled ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void icr_wait(void)
{
    unsigned int spins = 1000000;

    if ( x2apic_enabled )
        return;
    while ( (apic_read(APIC_ICR) & APIC_ICR_BUSY) && --spins )
        cpu_relax();
}

void apic_send_ipi(uint32_t apic_id, uint32_t mode, uint8_t vector)
{
    uint32_t lo = mode | vector | APIC_ICR_LEVEL_ASSERT;

    if ( x2apic_enabled )
    {
        wrmsr(MSR_X2APIC_FIRST + (APIC_ICR >> 4),
              ((uint64_t)apic_id << 32) | lo);
        return;
    }
    icr_wait();
    apic_write(APIC_ICR2, apic_id << 24);
    apic_write(APIC_ICR, lo);
    icr_wait();
}

void apic_send_ipi_allbutself(uint8_t vector)
{
    uint32_t lo = APIC_DEST_ALLBUT | APIC_DM_FIXED | vector |
                  APIC_ICR_LEVEL_ASSERT;

    if ( x2apic_enabled )
    {
        wrmsr(MSR_X2APIC_FIRST + (APIC_ICR >> 4), lo);
        return;
    }
    icr_wait();
    apic_write(APIC_ICR, lo);
}

static void apic_error_interrupt(struct cpu_user_regs *regs)
{
    uint32_t esr;

    apic_write(APIC_ESR, 0);
    esr = apic_read(APIC_ESR);
    printk(KLOG_WARNING "APIC error on CPU: ESR %#x\n", esr);
}

static void apic_enable_this_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

    if ( x2apic_enabled )
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
    apic_write(APIC_LVT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT1, APIC_DM_NMI);
    apic_write(APIC_LVTERR, APIC_ERROR_VECTOR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
}

void apic_init_bsp(paddr_t lapic_phys)
{
    struct cpuid_regs r;

    cpuid_count(1, 0, &r);
    x2apic_enabled = !!(r.c & CPUID1_ECX_X2APIC);
    apic_mmio = maddr_to_virt(lapic_phys ? lapic_phys : APIC_DEFAULT_PHYS);
    set_irq_handler(APIC_ERROR_VECTOR, apic_error_interrupt);
    apic_enable_this_cpu();
    printk("APIC: local APIC %u in %s mode\n", apic_current_id(),
           x2apic_enabled ? "x2APIC" : "xAPIC");
}

void apic_init_ap(void)
{
    apic_enable_this_cpu();
}

/* Count APIC timer ticks over a TSC-timed interval (divide by 1). */
void apic_timer_calibrate(void)
{
    uint32_t start = 0xffffffffu, ticks;

    apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
    apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
    apic_write(APIC_TMICT, start);
    udelay(10000);
    ticks = start - apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);
    apic_timer_ticks_per_ms = MAX(ticks / 10, 1u);
    printk("APIC: timer runs at %u.%03u MHz\n",
           apic_timer_ticks_per_ms / 1000, apic_timer_ticks_per_ms % 1000);
}

void apic_timer_setup_cpu(void)
{
    apic_write(APIC_TDCR, APIC_TDCR_DIV_1);
    apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR);      /* one-shot, unmasked */
}

void apic_timer_arm(uint64_t ns)
{
    uint64_t ticks = ns * apic_timer_ticks_per_ms / 1000000;

    if ( ns > 1000000000ULL * 60 )                  /* cap: one minute */
        ticks = 60000ULL * apic_timer_ticks_per_ms;
    apic_write(APIC_TMICT, (uint32_t)MIN(MAX(ticks, 1ULL), 0xffffffffULL));
}
