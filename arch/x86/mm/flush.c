/*
 * TLB and cache maintenance for guest memory management: the few
 * operations that touch hardware, kept apart so host unit tests can link
 * the page-table logic with stubs instead.
 *
 * Flushes are global (CR4.PGE toggled) because guest L1 entries may carry
 * the global bit.  The "domain" and "all" variants also reach every other
 * online CPU through a call-function IPI (and wait for them), since any of
 * them may have run one of the domain's vCPUs.
 */
#include <keel/domain.h>
#include <asm/mm.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/x86-defs.h>

void mm_flush_tlb_local(void)
{
    unsigned long cr4 = read_cr4();

    if ( cr4 & X86_CR4_PGE )
    {
        write_cr4(cr4 & ~X86_CR4_PGE);      /* drops global entries too */
        write_cr4(cr4);
    }
    else
        write_cr3(read_cr3());
}

static void flush_ipi(void *unused)
{
    mm_flush_tlb_local();
}

static void wbinvd_ipi(void *unused)
{
    wbinvd();
}

void mm_flush_tlb_domain(const struct domain *d)
{
    (void)d;
    mm_flush_tlb_local();
    smp_call_function(flush_ipi, NULL);
}

void mm_invlpg_local(uint64_t va)
{
    invlpg((const void *)(uintptr_t)va);
}

void mm_invlpg_domain(const struct domain *d, uint64_t va)
{
    mm_invlpg_local(va);
    /* Other CPUs: a full flush is as cheap to ask for as one page. */
    smp_call_function(flush_ipi, NULL);
    (void)d;
}

void mm_wbinvd_local(void)
{
    wbinvd();
}

void mm_wbinvd_all(void)
{
    wbinvd();
    smp_call_function(wbinvd_ipi, NULL);
}
