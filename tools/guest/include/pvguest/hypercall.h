/*
 * Hypercall wrappers for PV guest kernels.
 *
 * Every wrapper goes through pv_hypercall(), which issues the call either
 * through the hypercall page (call hypercall_page + nr * 32, the classic
 * way) or with an inline SYSCALL (rax = number, arguments in rdi, rsi,
 * rdx, r10, r8, as Linux 6.1.y from late 2024 on does).  Which one is
 * chosen by pv_hypercall_mode, so that a test can run the same block of
 * checks both ways.  The results are returned unchanged: 0 or -errno, or
 * a value for the calls that return one.
 */
#ifndef PVGUEST_HYPERCALL_H
#define PVGUEST_HYPERCALL_H

#include <pvguest/abi.h>

enum pv_hc_mode {
    PV_HC_PAGE,                         /* call hypercall_page + nr * 32 */
    PV_HC_INLINE,                       /* syscall in place */
};

extern enum pv_hc_mode pv_hypercall_mode;
extern char hypercall_page[4096];

long pv_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                  unsigned long a3, unsigned long a4, unsigned long a5);
long pv_hypercall_inline(unsigned long nr, unsigned long a1, unsigned long a2,
                         unsigned long a3, unsigned long a4, unsigned long a5);
long pv_hypercall_page(unsigned long nr, unsigned long a1, unsigned long a2,
                       unsigned long a3, unsigned long a4, unsigned long a5);

#define HC(nr, a, b, c, d, e)                                            \
    pv_hypercall(__HYPERVISOR_##nr, (unsigned long)(a), (unsigned long)(b), \
                 (unsigned long)(c), (unsigned long)(d), (unsigned long)(e))

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{
    return HC(set_trap_table, t, 0, 0, 0, 0);
}

static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count,
                                         unsigned int *done, unsigned int dom)
{
    return HC(mmu_update, req, count, done, dom, 0);
}

static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count,
                                        unsigned int *done, unsigned int dom)
{
    return HC(mmuext_op, op, count, done, dom, 0);
}

static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{
    return HC(stack_switch, ss, sp, 0, 0, 0);
}

static inline long HYPERVISOR_set_callbacks(unsigned long event,
                                            unsigned long failsafe,
                                            unsigned long syscall)
{
    return HC(set_callbacks, event, failsafe, syscall, 0, 0);
}

static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return HC(fpu_taskswitch, set, 0, 0, 0, 0);
}

static inline long HYPERVISOR_set_debugreg(int reg, unsigned long value)
{
    return HC(set_debugreg, reg, value, 0, 0, 0);
}

static inline long HYPERVISOR_get_debugreg(int reg)
{
    return HC(get_debugreg, reg, 0, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return HC(memory_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_multicall(struct multicall_entry *calls,
                                        unsigned int nr)
{
    return HC(multicall, calls, nr, 0, 0, 0);
}

static inline long HYPERVISOR_update_va_mapping(unsigned long va,
                                                uint64_t pte,
                                                unsigned long flags)
{
    return HC(update_va_mapping, va, pte, flags, 0, 0);
}

static inline long HYPERVISOR_update_va_mapping_otherdomain(
    unsigned long va, uint64_t pte, unsigned long flags, unsigned int dom)
{
    return HC(update_va_mapping_otherdomain, va, pte, flags, dom, 0);
}

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return HC(xen_version, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_console_io(int cmd, int count, const void *buf)
{
    return HC(console_io, cmd, count, buf, 0, 0);
}

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return HC(vm_assist, cmd, type, 0, 0, 0);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return HC(vcpu_op, cmd, vcpu, arg, 0, 0);
}

static inline long HYPERVISOR_set_segment_base(int which, unsigned long base)
{
    return HC(set_segment_base, which, base, 0, 0, 0);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return HC(sched_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return HC(callback_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{
    return HC(physdev_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_set_gdt(const unsigned long *frames,
                                      unsigned int entries)
{
    return HC(set_gdt, frames, entries, 0, 0, 0);
}

/* MADDR: machine address of the 8-byte descriptor to write. */
static inline long HYPERVISOR_update_descriptor(uint64_t maddr, uint64_t desc)
{
    return HC(update_descriptor, maddr, desc, 0, 0, 0);
}

static inline long HYPERVISOR_nmi_op(unsigned int cmd, void *arg)
{
    return HC(nmi_op, cmd, arg, 0, 0, 0);
}

/* ARG: struct xen_domctl / struct xen_sysctl (public/domctl.h, sysctl.h). */
static inline long HYPERVISOR_domctl(void *arg)
{
    return HC(domctl, arg, 0, 0, 0, 0);
}

static inline long HYPERVISOR_sysctl(void *arg)
{
    return HC(sysctl, arg, 0, 0, 0, 0);
}

static inline long HYPERVISOR_xsm_op(void *op)
{
    return HC(xsm_op, op, 0, 0, 0, 0);
}

#endif /* PVGUEST_HYPERCALL_H */
