/*
 * Keel public ABI: feature bits.
 *
 * Reported to a guest by XENVER_get_features (32 bits per submap; only
 * submap 0 exists) and named, without the XENFEAT_ prefix, in a kernel's
 * XEN_ELFNOTE_FEATURES string (a leading '!' marks a feature the kernel
 * cannot run without) or numerically in XEN_ELFNOTE_SUPPORTED_FEATURES.
 * Numbers are Xen 4.17's.
 */
#ifndef KEEL_PUBLIC_FEATURES_H
#define KEEL_PUBLIC_FEATURES_H

/* Page tables may be written directly (no mmu_update).  Never offered to
 * PV guests; a kernel that lists it as required is still accepted. */
#define XENFEAT_writable_page_tables        0
/* Descriptor tables may be written directly. */
#define XENFEAT_writable_descriptor_tables  1
/* The hypervisor translates guest-physical to machine addresses (HVM/PVH);
 * never set for a PV guest. */
#define XENFEAT_auto_translated_physmap     2
/* The guest kernel runs in ring 0; never set for a PV guest. */
#define XENFEAT_supervisor_mode_kernel      3
/* PAE page directories may live above 4 GiB (32-bit guests). */
#define XENFEAT_pae_pgdir_above_4gb         4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad   5
/* MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE are available. */
#define XENFEAT_highmem_assist              6
/* GNTTABOP_map_grant_ref keeps flags in the guest-available PTE bits. */
#define XENFEAT_gnttab_map_avail_bits       7
/* HVM: event delivery through an interrupt vector. */
#define XENFEAT_hvm_callback_vector         8
/* HVM: pvclock is safe to use. */
#define XENFEAT_hvm_safe_pvclock            9
/* HVM: physical IRQs may be routed to event channels. */
#define XENFEAT_hvm_pirqs                  10
/* The domain may run as dom0 (a hardware dom0 kernel must list it). */
#define XENFEAT_dom0                       11
/* 12 was grant_map_identity: retired, never set. */
/* XENMEMF_vnode may be used in memory_op calls. */
#define XENFEAT_memory_op_vnode_supported  13
/* Arm: SMCCC conduit available. */
#define XENFEAT_ARM_SMCCC_supported        14
/* x86 PVH: the ACPI RSDP may be anywhere, not only below 1 MiB. */
#define XENFEAT_linux_rsdp_unrestricted    15
/* The domain's memory is not (17: is) mapped 1:1 gfn == mfn. */
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17

/* Number of 32-bit submaps XENVER_get_features answers for. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* KEEL_PUBLIC_FEATURES_H */
