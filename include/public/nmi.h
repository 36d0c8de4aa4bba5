/*
 * Keel public ABI: HYPERVISOR_nmi_op(cmd, arg).
 *
 * NMI delivery to the guest kernel and the reasons reported in
 * shared_info.arch.nmi_reason.  The same handler can be set with
 * CALLBACKOP_register / CALLBACKTYPE_nmi.  Numbers and layouts are
 * Xen 4.17's.
 *
 * Privilege: any domain, for itself.  Errors: -XEN_EINVAL (non-canonical
 * handler), -XEN_EFAULT, -XEN_ENOSYS (unknown cmd).
 */
#ifndef KEEL_PUBLIC_NMI_H
#define KEEL_PUBLIC_NMI_H

#include "xen.h"

/* Bits of shared_info.arch.nmi_reason (hardware domain only). */
#define _XEN_NMIREASON_io_error     0   /* I/O check (port 0x61 bit 6) */
#define XEN_NMIREASON_io_error      (1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr     1   /* PCI SERR (port 0x61 bit 7) */
#define XEN_NMIREASON_pci_serr      (1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown      2   /* any other NMI */
#define XEN_NMIREASON_unknown       (1UL << _XEN_NMIREASON_unknown)

/* arg = struct xennmi_callback: set the calling vCPU's NMI handler. */
#define XENNMI_register_callback   0
struct xennmi_callback {
    unsigned long handler_address;  /* guest kernel entry point */
    unsigned long pad;              /* must be 0 */
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);
XEN_ABI_CHECK_SIZE(struct xennmi_callback, 16);

/* arg unused: remove the handler again.  Returns 0. */
#define XENNMI_unregister_callback 1

#endif /* KEEL_PUBLIC_NMI_H */
