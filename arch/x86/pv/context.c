/*
 * Switching a CPU between PV vCPUs.  The running vCPU's registers live in
 * the guest frame at the top of the CPU's stack, so a switch saves that
 * frame into the outgoing vCPU and fills it from the incoming one; the
 * usual return_to_guest path then enters whichever vCPU the frame now
 * belongs to.  Around the frame: CR3, the FS/GS bases, the FPU/SSE/AVX
 * state (eager XSAVE, or FXSAVE without it), the virtual CR0.TS, debug
 * registers, the guest GDT, pvclock time and the runstate area.
 */
#include <keel/domain.h>
#include <keel/guest_access.h>
#include <keel/lib.h>
#include <keel/sched-if.h>
#include <keel/sched.h>
#include <keel/xmalloc.h>
#include <asm/cpufeature.h>
#include <asm/mm.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv/desc.h>
#include <asm/pv/traps.h>
#include <public/vcpu.h>

#define FXSAVE_SIZE   512
#define MXCSR_DEFAULT 0x1f80
#define FPU_ALIGN     64

static size_t fpu_area_size(void)
{
    return boot_cpu.xsave ? MAX(boot_cpu.xsave_size, (uint32_t)FXSAVE_SIZE + 64)
                          : FXSAVE_SIZE;
}

int pv_vcpu_alloc_fpu(struct vcpu *v)
{
    v->arch.fpu_area = xzalloc_aligned(fpu_area_size(), FPU_ALIGN);
    return v->arch.fpu_area ? 0 : -1;
}

static void fpu_save(struct vcpu *v)
{
    uint64_t mask = boot_cpu.xcr0;

    if ( !v->arch.fpu_area || !v->arch.fpu_initialised )
        return;
    write_cr0(read_cr0() & ~(unsigned long)X86_CR0_TS);
    if ( boot_cpu.xsave )
        __asm__ __volatile__ ( "xsave64 %0" : "=m" (*(char *)v->arch.fpu_area)
                               : "a" ((uint32_t)mask),
                                 "d" ((uint32_t)(mask >> 32)) : "memory" );
    else
        __asm__ __volatile__ ( "fxsave64 %0"
                               : "=m" (*(char *)v->arch.fpu_area) );
}

static void fpu_restore(struct vcpu *v)
{
    uint64_t mask = boot_cpu.xcr0;

    write_cr0(read_cr0() & ~(unsigned long)X86_CR0_TS);
    if ( !v->arch.fpu_area )
        return;
    if ( !v->arch.fpu_initialised )
    {
        /* First run: architectural initial state. */
        uint32_t mxcsr = MXCSR_DEFAULT;

        __asm__ __volatile__ ( "fninit" );
        if ( boot_cpu.fxsr )
            __asm__ __volatile__ ( "ldmxcsr %0" :: "m" (mxcsr) );
        v->arch.fpu_initialised = true;
    }
    else if ( boot_cpu.xsave )
        __asm__ __volatile__ ( "xrstor64 %0" :: "m" (*(char *)v->arch.fpu_area),
                               "a" ((uint32_t)mask),
                               "d" ((uint32_t)(mask >> 32)) : "memory" );
    else
        __asm__ __volatile__ ( "fxrstor64 %0"
                               :: "m" (*(char *)v->arch.fpu_area) );
    if ( v->arch.fpu_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
}

static void load_debugregs(const struct vcpu *v)
{
    uint64_t dr7 = v->arch.debugreg[7];

    __asm__ __volatile__ ( "mov %0, %%db7" :: "r" (0x400UL) );
    __asm__ __volatile__ ( "mov %0, %%db0" :: "r" (v->arch.debugreg[0]) );
    __asm__ __volatile__ ( "mov %0, %%db1" :: "r" (v->arch.debugreg[1]) );
    __asm__ __volatile__ ( "mov %0, %%db2" :: "r" (v->arch.debugreg[2]) );
    __asm__ __volatile__ ( "mov %0, %%db3" :: "r" (v->arch.debugreg[3]) );
    __asm__ __volatile__ ( "mov %0, %%db6" :: "r" (v->arch.debugreg[6]) );
    __asm__ __volatile__ ( "mov %0, %%db7" :: "r" (dr7) );
}

/* Copy v's runstate to its registered area (v's page tables are live). */
static void update_runstate_area(struct vcpu *v)
{
    struct vcpu_runstate_info rs;

    if ( !v->arch.runstate_area )
        return;
    sched_get_runstate(v, &rs, false);
    (void)copy_to_guest(v->arch.runstate_area, &rs, sizeof(rs));
}

static void save_vcpu(struct vcpu *prev, struct cpu_user_regs *frame)
{
    prev->arch.user_regs = *frame;
    prev->arch.fs_base = rdmsr(MSR_FS_BASE);
    if ( prev->arch.kernel_mode )
        prev->arch.gs_base_kernel = rdmsr(MSR_GS_BASE);
    else
        prev->arch.gs_base_user = rdmsr(MSR_GS_BASE);
    fpu_save(prev);
    sched_periodic_pause(prev);
    update_runstate_area(prev);
}

static void load_vcpu(struct vcpu *next, struct cpu_user_regs *frame)
{
    /* The CPU it last ran on may still be saving it: a short wait. */
    while ( __atomic_load_n(&next->sched.ctx_busy, __ATOMIC_ACQUIRE) )
        cpu_relax();
    set_current(next);
    next->processor = smp_processor_id();
    wrmsr(MSR_FS_BASE, next->arch.fs_base);
    wrmsr(MSR_GS_BASE, next->arch.kernel_mode ? next->arch.gs_base_kernel
                                              : next->arch.gs_base_user);
    pv_update_cr3(next);
    pv_load_guest_cr4(next);
    if ( next->arch.msr_ready && next->arch.msr.tsc_aux )
        wrmsr(MSR_TSC_AUX, next->arch.msr.tsc_aux_val);
    fpu_restore(next);
    load_debugregs(next);
    pv_load_gdt();
    pv_load_ldt(next);
    pv_update_vcpu_time(next);
    update_runstate_area(next);
    sched_periodic_resume(next);
    *frame = next->arch.user_regs;
}

/*
 * Switch this CPU from prev (or idle) to next (or idle).  With next NULL
 * the CPU goes idle on a fresh stack and this does not return.
 */
void pv_context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct cpu_user_regs *frame = guest_cpu_user_regs();

    if ( prev == next )
        return;
    if ( prev )
    {
        save_vcpu(prev, frame);
        __atomic_store_n(&prev->sched.ctx_busy, false, __ATOMIC_RELEASE);
    }
    if ( !next )
        pv_leave_dead_vcpu();               /* idle: never returns */
    /* Guest mappings may be global: another domain must not see them. */
    if ( prev && prev->domain != next->domain )
        mm_flush_tlb_local();
    load_vcpu(next, frame);
}

void pv_start_vcpu(struct vcpu *v)
{
    load_vcpu(v, guest_cpu_user_regs());
    enter_guest_frame(guest_cpu_user_regs());
}
