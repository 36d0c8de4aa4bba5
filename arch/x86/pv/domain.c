/*
 * Running a PV vCPU on a CPU: the SYSCALL/SYSENTER MSRs, the switch
 * between the guest's kernel and user modes (separate L4 tables and GS
 * bases), loading CR3, and starting or abandoning a vCPU.
 *
 * GS: while a guest runs, MSR_GS_BASE holds the guest's active GS base and
 * MSR_SHADOW_GS_BASE the hypervisor's per-CPU pointer (struct cpu_info),
 * which only the SYSCALL entry swaps in.  The guest's inactive GS base
 * lives in struct arch_vcpu.
 */
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/xmalloc.h>
#include <keel/domain.h>
#include <asm/cpufeature.h>
#include <asm/pv/emulate.h>
#include <asm/pv/desc.h>
#include <keel/mm.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/smp.h>
#include <keel/event.h>
#include <keel/sched.h>
#include <public/xen.h>
#include <asm/pv/traps.h>
#include <asm/x86-defs.h>

#define MSR_STAR            0xc0000081
#define MSR_LSTAR           0xc0000082
#define MSR_CSTAR           0xc0000083
#define MSR_SYSCALL_MASK    0xc0000084
#define MSR_SYSENTER_CS     0x174
#define MSR_SYSENTER_ESP    0x175
#define MSR_SYSENTER_EIP    0x176

/* RFLAGS bits cleared on SYSCALL entry: IF, TF, DF, AC, NT, IOPL. */
#define SYSCALL_RFLAGS_MASK 0x47700

extern char syscall_entry[], syscall32_entry[], sysenter_entry[];

void pv_syscall_init_cpu(void)
{
    struct cpu_info *ci = get_cpu_info();

    ci->stack_top = (unsigned long)ci;
    wrmsr(MSR_SHADOW_GS_BASE, (unsigned long)ci);
    wrmsr(MSR_STAR, ((uint64_t)(FLAT_RING3_CS32 & ~3) << 48) |
                    ((uint64_t)__HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (unsigned long)syscall_entry);
    wrmsr(MSR_CSTAR, (unsigned long)syscall32_entry);
    wrmsr(MSR_SYSCALL_MASK, SYSCALL_RFLAGS_MASK);
    wrmsr(MSR_SYSENTER_CS, __HYPERVISOR_CS);
    wrmsr(MSR_SYSENTER_ESP, (unsigned long)ci);
    wrmsr(MSR_SYSENTER_EIP, (unsigned long)sysenter_entry);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void pv_update_cr3(struct vcpu *v)
{
    mfn_t l4 = v->arch.kernel_mode ? v->arch.guest_table
                                   : v->arch.guest_table_user;

    if ( v != current )
        return;
    if ( !mfn_x(l4) )
        l4 = v->arch.guest_table;           /* no user table yet */
    write_cr3((paddr_t)mfn_x(l4) << PAGE_SHIFT);
}

void pv_toggle_guest_mode(struct vcpu *v)
{
    /* The active GS base goes to the inactive slot and vice versa. */
    if ( v->arch.kernel_mode )
    {
        v->arch.gs_base_kernel = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, v->arch.gs_base_user);
    }
    else
    {
        v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, v->arch.gs_base_kernel);
    }
    v->arch.kernel_mode = !v->arch.kernel_mode;
    pv_update_cr3(v);
}

/*
 * Publish system time for v (pvclock): version odd while the fields
 * change, even when they are consistent again.
 */
void pv_update_vcpu_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &v->vcpu_info->time;
    uint64_t tsc = rdtsc();
    uint32_t mul;
    int8_t shift;

    time_pvclock_scale(&mul, &shift);
    t->version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = tsc_to_system_time(tsc);   /* the same instant */
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = time_tsc_synced() ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version++;
}

static void __noreturn idle_on_fresh_stack(void)
{
    local_irq_enable();
    idle_loop();
}

void pv_leave_dead_vcpu(void)
{
    local_irq_disable();
    set_current(NULL);
    write_cr3(idle_l4_maddr());
    /* The stack starts below the guest frame, which must stay intact. */
    reset_stack_and_call(idle_on_fresh_stack,
                         (unsigned long)guest_cpu_user_regs());
}

void arch_vcpu_abandon(void)
{
    pv_leave_dead_vcpu();
}

/*
 * An event became pending for v (called with event locks held: no locks,
 * no waiting).  A vCPU on another CPU, running or blocked there, is sent
 * an event-check IPI; on this CPU the exit path or the block loop sees it.
 */
void arch_evtchn_notify(struct vcpu *v)
{
    sched_vcpu_wake(v);                     /* if it waits for this */
    if ( v->processor != smp_processor_id() )
        smp_send_event_check(v->processor);
}

/* CR4 bits a PV guest controls (the emulator's policy input). */
uint64_t pv_cr4_allowed(void)
{
    return X86_CR4_TSD | X86_CR4_DE | (boot_cpu.xsave ? X86_CR4_OSXSAVE : 0);
}

int arch_vcpu_create(struct vcpu *v)
{
    /* What the guest first reads: the host's fixed bits, its own clear. */
    v->arch.guest_cr4 = pv_cr4_fixup(0, read_cr4(), pv_cr4_allowed());
    return pv_vcpu_alloc_fpu(v) ? -ENOMEM : 0;
}

/* The real CR4.TSD follows the running vCPU's choice. */
void pv_load_guest_cr4(const struct vcpu *v)
{
    unsigned long cr4 = read_cr4();
    unsigned long want = (cr4 & ~(unsigned long)X86_CR4_TSD) |
                         (v->arch.guest_cr4 & X86_CR4_TSD);

    if ( want != cr4 )
        write_cr4(want);
}

void arch_vcpu_destroy(struct vcpu *v)
{
    xfree(v->arch.fpu_area);
    v->arch.fpu_area = NULL;
    pv_ldt_release(v);
    free_xenheap_pages(v->arch.ldt_shadow, 4);
    v->arch.ldt_shadow = NULL;
}
