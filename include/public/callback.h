/*
 * Keel public ABI: HYPERVISOR_callback_op(cmd, arg), and the older
 * HYPERVISOR_set_callbacks(event, failsafe, syscall).
 *
 * Entry points in the guest kernel that the hypervisor jumps to: event
 * upcalls, the failsafe path (taken when a return to the guest cannot
 * load the guest's segment state), and system calls from guest user mode.
 * set_callbacks registers the first three at once, each with events masked
 * on entry, and returns 0.  Numbers and layouts are Xen 4.17's.
 *
 * Privilege: a domain sets its own callbacks (for the calling vCPU's
 * domain).  Errors: -XEN_EINVAL (unknown type, non-canonical address, or a
 * type that cannot be unregistered), -XEN_EFAULT, -XEN_ENOSYS (unknown
 * cmd).
 */
#ifndef KEEL_PUBLIC_CALLBACK_H
#define KEEL_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event                 0  /* event upcall (always masks) */
#define CALLBACKTYPE_failsafe              1  /* bad segment state on return */
#define CALLBACKTYPE_syscall               2  /* SYSCALL, 64-bit user code */
#define CALLBACKTYPE_sysenter_deprecated   3  /* old number of sysenter */
#define CALLBACKTYPE_nmi                   4  /* NMI delivery */
#define CALLBACKTYPE_sysenter              5  /* SYSENTER from user code */
#define CALLBACKTYPE_syscall32             7  /* SYSCALL, 32-bit user code */

/* In callback_register.flags: mask events on entry (failsafe, syscall,
 * syscall32, sysenter; the event callback masks regardless). */
#define _CALLBACKF_mask_events             0
#define CALLBACKF_mask_events              (1u << _CALLBACKF_mask_events)

/* arg = struct callback_register: set one callback. */
#define CALLBACKOP_register                0
struct callback_register {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t flags;             /* CALLBACKF_* */
    xen_callback_t address;     /* guest kernel entry point */
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);
XEN_ABI_CHECK_SIZE(struct callback_register, 16);
XEN_ABI_CHECK_OFFSET(struct callback_register, flags, 2);
XEN_ABI_CHECK_OFFSET(struct callback_register, address, 8);

/* arg = struct callback_unregister: remove one.  Only CALLBACKTYPE_nmi
 * can be removed; the others give -XEN_EINVAL. */
#define CALLBACKOP_unregister              1
struct callback_unregister {
    uint16_t type;              /* CALLBACKTYPE_* */
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);
XEN_ABI_CHECK_SIZE(struct callback_unregister, 4);

#endif /* KEEL_PUBLIC_CALLBACK_H */
