/*
 * The x86 part of HYPERVISOR_domctl and HYPERVISOR_sysctl: a PV vCPU's
 * context (XEN_DOMCTL_{set,get}vcpucontext), the guest address size, the
 * builder's hypercall page, and the host's CPU capabilities for
 * XEN_SYSCTL_physinfo.  Dispatch, the domain lookup and the first XSM
 * check are common/domctl.c's; each handler here validates, asks its own
 * XSM hook, then acts.
 *
 * setvcpucontext reuses VCPUOP_initialise's checks and loader
 * (arch/x86/pv/vcpu.c): the same canonical-address rules, and the kernel
 * L4 taken with a validated type reference before anything of the vCPU
 * changes.  As in Xen, the target domain is paused (and off every CPU)
 * while its context is replaced, and may not be the caller's own.
 */
#include <keel/domctl.h>
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/lib.h>
#include <keel/nospec.h>
#include <keel/xmalloc.h>
#include <asm/cpufeature.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/x86-defs.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/vcpu.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <xsm/xsm.h>

#define CR0_ET  (1u << 4)               /* extension type: always 1 */

long arch_domctl_setvcpucontext(struct domctl_call *c)
{
    struct domain *d = c->d;
    struct vcpu *v;
    struct vcpu_guest_context *ctx;
    uint64_t va = xen_guest_handle_addr(c->op->u.vcpucontext.ctxt);
    long rc;

    if ( d == c->cur || (v = domctl_vcpu(d, c->op->u.vcpucontext.vcpu)) == NULL )
        return -EINVAL;
    /*
     * Xen: a NULL context resets the vCPU (vcpu_reset).  Keel does not
     * take a vCPU back to its never-run state yet.
     */
    if ( !va )
        return -EOPNOTSUPP;
    if ( (ctx = xmalloc(struct vcpu_guest_context)) == NULL )
        return -ENOMEM;
    if ( copy_from_guest(ctx, va, sizeof(*ctx)) )
        rc = -EFAULT;
    else if ( (rc = pv_vcpu_check_context(ctx)) == 0 &&
              (rc = xsm_setvcpucontext(c->cur, d)) == 0 )
    {
        domain_pause_sync(d);
        rc = v->is_initialised ? pv_vcpu_reload_context(v, ctx)
                               : pv_vcpu_set_context(v, ctx);
        if ( !rc )
            v->is_up = ctx->flags & VGCF_online;
        domain_unpause(d);
    }
    xfree(ctx);
    return rc;
}

/* A vCPU's state as struct vcpu_guest_context (the vCPU is off its CPU). */
static void get_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *r = &v->arch.user_regs;
    unsigned int i;

    memset(c, 0, sizeof(*c));
    c->flags = (v->arch.kernel_mode ? VGCF_in_kernel : 0) |
               (v->is_up ? VGCF_online : 0) |
               (v->arch.fpu_initialised ? VGCF_i387_valid : 0) |
               (v->arch.failsafe_cb.mask_events
                ? VGCF_failsafe_disables_events : 0) |
               (v->arch.syscall_cb.mask_events
                ? VGCF_syscall_disables_events : 0);
    c->user_regs = (struct xen_cpu_user_regs){
        .r15 = r->r15, .r14 = r->r14, .r13 = r->r13, .r12 = r->r12,
        .rbp = r->rbp, .rbx = r->rbx, .r11 = r->r11, .r10 = r->r10,
        .r9 = r->r9, .r8 = r->r8, .rax = r->rax, .rcx = r->rcx,
        .rdx = r->rdx, .rsi = r->rsi, .rdi = r->rdi, .rip = r->rip,
        .cs = r->cs, .rflags = r->rflags, .rsp = r->rsp, .ss = r->ss,
        .saved_upcall_mask = v->vcpu_info ? v->vcpu_info->evtchn_upcall_mask
                                          : 0,
    };
    for ( i = 0; i < PV_NR_VECTORS; i++ )
        c->trap_ctxt[i] = (struct trap_info){
            .vector = i,
            .flags = v->arch.traps[i].dpl |
                     (v->arch.traps[i].mask_events ? 4 : 0),
            .cs = v->arch.traps[i].cs,
            .address = v->arch.traps[i].address,
        };
    c->ldt_base = v->arch.ldt_base;
    c->ldt_ents = v->arch.ldt_ents;
    for ( i = 0; i < PV_MAX_GDT_FRAMES; i++ )
        c->gdt_frames[i] = v->arch.gdt_frames[i];
    c->gdt_ents = v->arch.gdt_ents;
    c->kernel_ss = v->arch.kernel_ss;
    c->kernel_sp = v->arch.kernel_sp;
    c->ctrlreg[0] = (uint32_t)(X86_CR0_PE | X86_CR0_PG | CR0_ET |
                               (v->arch.fpu_ts ? X86_CR0_TS : 0));
    c->ctrlreg[3] = mfn_x(v->arch.guest_table) << PAGE_SHIFT;
    c->ctrlreg[1] = mfn_x(v->arch.guest_table_user) << PAGE_SHIFT;
    c->ctrlreg[4] = v->arch.guest_cr4;
    for ( i = 0; i < 8; i++ )
        c->debugreg[i] = v->arch.debugreg[i];
    c->event_callback_eip = v->arch.event_cb.address;
    c->failsafe_callback_eip = v->arch.failsafe_cb.address;
    c->syscall_callback_eip = v->arch.syscall_cb.address;
    c->vm_assist = v->domain->vm_assist;
    c->fs_base = v->arch.fs_base;
    c->gs_base_kernel = v->arch.gs_base_kernel;
    c->gs_base_user = v->arch.gs_base_user;
}

long arch_domctl_getvcpucontext(struct domctl_call *c)
{
    struct domain *d = c->d;
    struct vcpu_guest_context *ctx;
    struct vcpu *v = domctl_vcpu(d, c->op->u.vcpucontext.vcpu);
    long rc;

    if ( !v || v == current )
        return -EINVAL;
    if ( !v->is_initialised )
        return -ENODATA;
    if ( (rc = xsm_getvcpucontext(c->cur, d)) != 0 )
        return rc;
    if ( (ctx = xzalloc(struct vcpu_guest_context)) == NULL )
        return -ENOMEM;
    vcpu_pause_sync(v);
    get_context(v, ctx);
    vcpu_unpause(v);
    rc = copy_to_guest(xen_guest_handle_addr(c->op->u.vcpucontext.ctxt), ctx,
                       sizeof(*ctx)) ? -EFAULT : 0;
    c->copyback = true;                 /* Xen: even after a failed copy */
    xfree(ctx);
    return rc;
}

long arch_domctl_set_address_size(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_address_size(c->cur, c->d)) != 0 )
        return rc;
    /* Xen: 32 switches a PV domain to compat mode; Keel has no 32-bit PV. */
    return c->op->u.address_size.size == 64 ? 0 : -EINVAL;
}

long arch_domctl_get_address_size(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_address_size(c->cur, c->d)) != 0 )
        return rc;
    c->op->u.address_size.size = 64;
    c->copyback = true;
    return 0;
}

long arch_domctl_hypercall_init(struct domctl_call *c)
{
    struct page_info *pg;
    long rc;

    if ( (rc = xsm_domctl(c->cur, c->d, c->op->cmd)) != 0 )
        return rc;
    /* A PV guest's frame numbers are machine frames. */
    pg = get_page_from_mfn(_mfn(c->op->u.hypercall_init.gmfn), c->d);
    if ( !pg )
        return -EINVAL;
    if ( !get_page_type(pg, PGT_writable_page) )
    {
        put_page(pg);
        return -EPERM;
    }
    pv_write_hypercall_page(mfn_to_virt(page_to_mfn(pg)));
    put_page_and_type(pg);
    return 0;
}

/* ---- sysctl -------------------------------------------------------------- */

void arch_do_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct cpuid_regs r;

    /* Xen's featureset words 0-7: 1d 1c e1d e1c Da1 7b0 7c0 e7d. */
    cpuid_count(1, 0, &r);
    pi->hw_cap[0] = r.d;
    pi->hw_cap[1] = r.c;
    if ( boot_cpu.max_ext_leaf >= 0x80000001 )
    {
        cpuid_count(0x80000001, 0, &r);
        pi->hw_cap[2] = r.d;
        pi->hw_cap[3] = r.c;
    }
    if ( boot_cpu.max_leaf >= 0xd )
    {
        cpuid_count(0xd, 1, &r);
        pi->hw_cap[4] = r.a;
    }
    if ( boot_cpu.max_leaf >= 7 )
    {
        cpuid_count(7, 0, &r);
        pi->hw_cap[5] = r.b;
        pi->hw_cap[6] = r.c;
    }
    if ( boot_cpu.max_ext_leaf >= 0x80000007 )
    {
        cpuid_count(0x80000007, 0, &r);
        pi->hw_cap[7] = r.d;
    }
    /* PV guests only; shadow paging and HAP are not offered. */
    pi->capabilities |= XEN_SYSCTL_PHYSCAP_pv;
}
