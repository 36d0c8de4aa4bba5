/*
 * TLB and cache maintenance for guest memory management: the few
 * operations that touch hardware, kept apart so host unit tests can link
 * the page-table logic with stubs instead.
 *
 * Flushes are global (CR4.PGE toggled) because guest L1 entries may carry
 * the global bit.  Until CPUs exchange flush IPIs (SMP issue), the
 * "domain" variants flush this CPU only: correct while a domain's vCPUs
 * all run here, and marked TODO for the rest.
 */
#include <keel/domain.h>
#include <asm/mm.h>
#include <asm/processor.h>
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

void mm_flush_tlb_domain(const struct domain *d)
{
    (void)d;
    /* TODO(SMP): IPI every CPU where d's vCPUs ran since their last flush. */
    mm_flush_tlb_local();
}

void mm_invlpg_local(uint64_t va)
{
    invlpg((const void *)(uintptr_t)va);
}

void mm_invlpg_domain(const struct domain *d, uint64_t va)
{
    (void)d;
    /* TODO(SMP): as mm_flush_tlb_domain(). */
    mm_invlpg_local(va);
}

void mm_wbinvd_local(void)
{
    wbinvd();
}

void mm_wbinvd_all(void)
{
    /* TODO(SMP): every online CPU. */
    wbinvd();
}
