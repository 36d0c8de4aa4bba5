/*
 * Keel public ABI: HYPERVISOR_physdev_op(cmd, arg).
 *
 * Physical device access for PV domains: I/O privilege, physical IRQs
 * (pirqs) and their end-of-interrupt, MSI, and telling the hypervisor
 * about PCI devices.  Sub-op numbers and layouts are Xen 4.17's.
 *
 * Privilege: set_iopl, set_iobitmap, eoi, irq_status_query, pirq_eoi_gmfn
 * and get_free_pirq act on the caller; map_pirq/unmap_pirq need privilege
 * over the target domain and access to the IRQ; everything that describes
 * hardware (PCI add/remove, GSI setup, MMCFG, MSI restore, apic) is for
 * the hardware domain only.  Common errors: -XEN_EFAULT, -XEN_EPERM,
 * -XEN_EINVAL, -XEN_ENOSYS (unknown cmd).
 */
#ifndef KEEL_PUBLIC_PHYSDEV_H
#define KEEL_PUBLIC_PHYSDEV_H

#include "xen.h"

/* PHYSDEVOP_eoi: signal end of interrupt for pirq @irq.  -XEN_EINVAL for
 * a pirq the caller does not own. */
#define PHYSDEVOP_eoi                   12
struct physdev_eoi {
    uint32_t irq;                   /* IN: pirq */
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);
XEN_ABI_CHECK_SIZE(struct physdev_eoi, 4);

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v2: register a page holding one bit per pirq
 * that the hypervisor sets when that pirq needs PHYSDEVOP_eoi.  Registering
 * it also makes unmasking the pirq's event channel perform the EOI.  v1 is
 * the same but without that unmask behaviour.  Errors: -XEN_EINVAL (bad
 * frame), -XEN_EBUSY (already registered).
 */
#define PHYSDEVOP_pirq_eoi_gmfn_v1      17
#define PHYSDEVOP_pirq_eoi_gmfn_v2      28
#define PHYSDEVOP_pirq_eoi_gmfn         PHYSDEVOP_pirq_eoi_gmfn_v2
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;                 /* IN: frame of the bitmap */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);
XEN_ABI_CHECK_SIZE(struct physdev_pirq_eoi_gmfn, 8);

/* PHYSDEVOP_irq_status_query: how pirq @irq must be handled. */
#define PHYSDEVOP_irq_status_query       5
struct physdev_irq_status_query {
    uint32_t irq;                   /* IN: pirq */
    uint32_t flags;                 /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);
XEN_ABI_CHECK_SIZE(struct physdev_irq_status_query, 8);
#define _XENIRQSTAT_needs_eoi   0
#define  XENIRQSTAT_needs_eoi   (1u << _XENIRQSTAT_needs_eoi)  /* call eoi */
#define _XENIRQSTAT_shared      1
#define  XENIRQSTAT_shared      (1u << _XENIRQSTAT_shared)     /* shared */

/* PHYSDEVOP_set_iopl: virtual I/O privilege level of the calling vCPU.
 * -XEN_EINVAL for iopl > 3. */
#define PHYSDEVOP_set_iopl               6
struct physdev_set_iopl {
    uint32_t iopl;                  /* IN: 0-3 */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);
XEN_ABI_CHECK_SIZE(struct physdev_set_iopl, 4);

/*
 * PHYSDEVOP_set_iobitmap: a TSS-style port bitmap in guest memory (bit
 * set = port denied) that the guest kernel's user space is checked
 * against; ports also need the domain's I/O permission.  nr_ports 0
 * removes it.  -XEN_EINVAL for nr_ports > 65536.
 */
#define PHYSDEVOP_set_iobitmap           7
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap; /* IN: guest address of the bitmap */
    uint32_t nr_ports;              /* IN: ports it covers */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);
XEN_ABI_CHECK_SIZE(struct physdev_set_iobitmap, 16);
XEN_ABI_CHECK_OFFSET(struct physdev_set_iobitmap, nr_ports, 8);

/* PHYSDEVOP_apic_read / apic_write: IO-APIC register access.  Hardware
 * domain only. */
#define PHYSDEVOP_apic_read              8
#define PHYSDEVOP_apic_write             9
struct physdev_apic {
    unsigned long apic_physbase;    /* IN: IO-APIC physical base */
    uint32_t reg;                   /* IN: register index */
    uint32_t value;                 /* IN (write) or OUT (read) */
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);
XEN_ABI_CHECK_SIZE(struct physdev_apic, 16);
XEN_ABI_CHECK_OFFSET(struct physdev_apic, value, 12);

/* PHYSDEVOP_alloc_irq_vector / free_irq_vector: obsolete; hardware
 * domain only. */
#define PHYSDEVOP_alloc_irq_vector      10
#define PHYSDEVOP_free_irq_vector       11
struct physdev_irq {
    uint32_t irq;                   /* IN */
    uint32_t vector;                /* IN or OUT */
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);
XEN_ABI_CHECK_SIZE(struct physdev_irq, 8);

/*
 * PHYSDEVOP_map_pirq: give domid a pirq for a GSI (index = GSI) or for an
 * MSI/MSI-X vector of PCI device bus:devfn (entry_nr; table_base for
 * MSI-X).  pirq is IN (-1 = any) and OUT.  Errors: -XEN_EINVAL, -XEN_EPERM,
 * -XEN_ESRCH, -XEN_ENODEV, -XEN_ENOSPC (no free pirq), -XEN_EEXIST.
 */
#define MAP_PIRQ_TYPE_MSI               0x0
#define MAP_PIRQ_TYPE_GSI               0x1
#define MAP_PIRQ_TYPE_UNKNOWN           0x2
#define MAP_PIRQ_TYPE_MSI_SEG           0x3  /* MSI, segment in bus[31:16] */
#define MAP_PIRQ_TYPE_MULTI_MSI         0x4  /* entry_nr vectors at once */
#define PHYSDEVOP_map_pirq               13
struct physdev_map_pirq {
    domid_t domid;                  /* IN: domain to get the pirq */
    int type;                       /* IN: MAP_PIRQ_TYPE_* */
    int index;                      /* IN: GSI (ignored for MULTI_MSI) */
    int pirq;                       /* IN/OUT */
    int bus;                        /* IN: segment in bits 16-31 for _SEG */
    int devfn;                      /* IN */
    int entry_nr;                   /* IN (OUT for MULTI_MSI) */
    uint64_t table_base;            /* IN: MSI-X table address */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);
XEN_ABI_CHECK_SIZE(struct physdev_map_pirq, 40);
XEN_ABI_CHECK_OFFSET(struct physdev_map_pirq, type, 4);
XEN_ABI_CHECK_OFFSET(struct physdev_map_pirq, pirq, 12);
XEN_ABI_CHECK_OFFSET(struct physdev_map_pirq, entry_nr, 24);
XEN_ABI_CHECK_OFFSET(struct physdev_map_pirq, table_base, 32);

/* PHYSDEVOP_unmap_pirq: undo map_pirq.  -XEN_EINVAL if not mapped. */
#define PHYSDEVOP_unmap_pirq             14
struct physdev_unmap_pirq {
    domid_t domid;                  /* IN */
    int pirq;                       /* IN */
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);
XEN_ABI_CHECK_SIZE(struct physdev_unmap_pirq, 8);
XEN_ABI_CHECK_OFFSET(struct physdev_unmap_pirq, pirq, 4);

/* PHYSDEVOP_manage_pci_add / _remove: segment-0 device appeared or went
 * away.  Hardware domain only.  -XEN_ENODEV, -XEN_EEXIST, -XEN_EBUSY. */
#define PHYSDEVOP_manage_pci_add         15
#define PHYSDEVOP_manage_pci_remove      16
struct physdev_manage_pci {
    uint8_t bus;                    /* IN */
    uint8_t devfn;                  /* IN */
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);
XEN_ABI_CHECK_SIZE(struct physdev_manage_pci, 2);

/* PHYSDEVOP_restore_msi: reprogram a device's MSI after resume. */
#define PHYSDEVOP_restore_msi            19
struct physdev_restore_msi {
    uint8_t bus;                    /* IN */
    uint8_t devfn;                  /* IN */
};
typedef struct physdev_restore_msi physdev_restore_msi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_restore_msi_t);
XEN_ABI_CHECK_SIZE(struct physdev_restore_msi, 2);

/* PHYSDEVOP_manage_pci_add_ext: as manage_pci_add, for SR-IOV virtual
 * functions and ARI extended functions. */
#define PHYSDEVOP_manage_pci_add_ext     20
struct physdev_manage_pci_ext {
    uint8_t bus;                    /* IN */
    uint8_t devfn;                  /* IN */
    uint32_t is_extfn;              /* IN: an ARI extended function */
    uint32_t is_virtfn;             /* IN: an SR-IOV virtual function */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                       /* IN: its physical function */
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);
XEN_ABI_CHECK_SIZE(struct physdev_manage_pci_ext, 16);
XEN_ABI_CHECK_OFFSET(struct physdev_manage_pci_ext, is_extfn, 4);
XEN_ABI_CHECK_OFFSET(struct physdev_manage_pci_ext, physfn, 12);

/*
 * Argument of the old HYPERVISOR_physdev_op_compat (hypercall 19): the
 * sub-op number travels with its argument.
 */
struct physdev_op {
    uint32_t cmd;                   /* PHYSDEVOP_* */
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_op_t);
XEN_ABI_CHECK_SIZE(struct physdev_op, 24);
XEN_ABI_CHECK_OFFSET(struct physdev_op, u, 8);

/* PHYSDEVOP_setup_gsi: trigger mode and polarity of a GSI, from ACPI.
 * Hardware domain only.  -XEN_EEXIST if already set up. */
#define PHYSDEVOP_setup_gsi    21
struct physdev_setup_gsi {
    int gsi;                        /* IN */
    uint8_t triggering;             /* IN: 0 edge, 1 level */
    uint8_t polarity;               /* IN: 0 active high, 1 active low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);
XEN_ABI_CHECK_SIZE(struct physdev_setup_gsi, 8);
XEN_ABI_CHECK_OFFSET(struct physdev_setup_gsi, triggering, 4);

/* 22 is unused. */

/* PHYSDEVOP_get_free_pirq: reserve an unused pirq of the caller.
 * -XEN_ENOSPC when none is left. */
#define PHYSDEVOP_get_free_pirq    23
struct physdev_get_free_pirq {
    int type;                       /* IN: MAP_PIRQ_TYPE_GSI or _MSI */
    uint32_t pirq;                  /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);
XEN_ABI_CHECK_SIZE(struct physdev_get_free_pirq, 8);

/* PHYSDEVOP_pci_mmcfg_reserved: an MMCFG area is (not) reserved in the
 * firmware tables.  Hardware domain only. */
#define XEN_PCI_MMCFG_RESERVED         0x1
#define PHYSDEVOP_pci_mmcfg_reserved    24
struct physdev_pci_mmcfg_reserved {
    uint64_t address;               /* IN: MMCFG base */
    uint16_t segment;               /* IN */
    uint8_t start_bus;              /* IN */
    uint8_t end_bus;                /* IN */
    uint32_t flags;                 /* IN: XEN_PCI_MMCFG_RESERVED */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);
XEN_ABI_CHECK_SIZE(struct physdev_pci_mmcfg_reserved, 16);
XEN_ABI_CHECK_OFFSET(struct physdev_pci_mmcfg_reserved, flags, 12);

/* PHYSDEVOP_pci_device_add: a device on any segment appeared.  Hardware
 * domain only.  -XEN_ENODEV, -XEN_EEXIST, -XEN_ENOMEM. */
#define XEN_PCI_DEV_EXTFN              0x1  /* ARI extended function */
#define XEN_PCI_DEV_VIRTFN             0x2  /* SR-IOV VF; physfn valid */
#define XEN_PCI_DEV_PXM                0x4  /* optarr[0] is its PXM */
#define PHYSDEVOP_pci_device_add        25
struct physdev_pci_device_add {
    uint16_t seg;                   /* IN */
    uint8_t bus;                    /* IN */
    uint8_t devfn;                  /* IN */
    uint32_t flags;                 /* IN: XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                       /* IN: for XEN_PCI_DEV_VIRTFN */
    uint32_t optarr[];              /* IN: optional values, see flags */
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);
XEN_ABI_CHECK_SIZE(struct physdev_pci_device_add, 12);
XEN_ABI_CHECK_OFFSET(struct physdev_pci_device_add, physfn, 8);
XEN_ABI_CHECK_OFFSET(struct physdev_pci_device_add, optarr, 12);

/* These take a struct physdev_pci_device; hardware domain only. */
#define PHYSDEVOP_pci_device_remove     26  /* device went away */
#define PHYSDEVOP_restore_msi_ext       27  /* restore_msi, any segment */
#define PHYSDEVOP_prepare_msix          30  /* before the driver uses MSI-X */
#define PHYSDEVOP_release_msix          31  /* after it stopped */
struct physdev_pci_device {
    uint16_t seg;                   /* IN */
    uint8_t bus;                    /* IN */
    uint8_t devfn;                  /* IN */
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);
XEN_ABI_CHECK_SIZE(struct physdev_pci_device, 4);

/* PHYSDEVOP_dbgp_op: a USB debug port controller is being reset. */
#define PHYSDEVOP_DBGP_RESET_PREPARE    1
#define PHYSDEVOP_DBGP_RESET_DONE       2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN      0
#define PHYSDEVOP_DBGP_BUS_PCI          1
#define PHYSDEVOP_dbgp_op               29
struct physdev_dbgp_op {
    uint8_t op;                     /* IN: PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                    /* IN: PHYSDEVOP_DBGP_BUS_* */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_dbgp_op_t);
XEN_ABI_CHECK_SIZE(struct physdev_dbgp_op, 6);
XEN_ABI_CHECK_OFFSET(struct physdev_dbgp_op, u, 2);

/* Obsolete: unmask-notify by number, superseded by PHYSDEVOP_eoi. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY      4

#endif /* KEEL_PUBLIC_PHYSDEV_H */
