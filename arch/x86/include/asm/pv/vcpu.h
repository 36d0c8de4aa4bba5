/*
 * A PV vCPU's context as the ABI carries it (struct vcpu_guest_context):
 * judged, loaded and read back (arch/x86/pv/vcpu.c, arch/x86/domctl.c),
 * shared by VCPUOP_initialise and XEN_DOMCTL_{set,get}vcpucontext.
 */
#ifndef ASM_PV_VCPU_H
#define ASM_PV_VCPU_H

#include <keel/domain.h>
#include <public/xen.h>

/* Pure checks of a context (no side effect): 0 or -EINVAL. */
int pv_vcpu_check_context(const struct vcpu_guest_context *c);
/* First context of a vCPU that never ran: 0, -EEXIST, -EINVAL. */
int pv_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* New registers for an initialised vCPU, same kernel L4: 0, -EOPNOTSUPP. */
int pv_vcpu_reload_context(struct vcpu *v,
                           const struct vcpu_guest_context *c);

#endif /* ASM_PV_VCPU_H */
