/*
 * The guest ABI as the PV guest runtime and the conformance kernels see
 * it: Keel's public headers (include/public, which follow Xen 4.17's
 * numbers and layouts) plus the few guest-side facts they do not carry:
 * page-table entry bits, Xen's fixed PAT value, the bounce-frame
 * constants.
 *
 * The offsets and sizes this runtime's assembly and tests depend on are
 * asserted again below, written out independently of include/public: a
 * change there that moved any of them would otherwise be invisible to a
 * test kernel built against the same headers as the hypervisor.
 */
#ifndef PVGUEST_ABI_H
#define PVGUEST_ABI_H

#include <stdint.h>
#include <stddef.h>
#include <public/xen.h>
#include <public/callback.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/memory.h>
#include <public/nmi.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

/* Xen's PAT (MSR 0x277) as every PV guest reads it. */
#define PAT_XEN_VALUE       0x0000050100070406UL

/* trap_info.flags bit 2: mask events on delivery (TI_SET_IF). */
#define TI_MASK_EVENTS      4

/* Page-table entry bits. */
#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_PWT       0x008UL
#define _PAGE_PCD       0x010UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_PSE       0x080UL
#define _PAGE_GLOBAL    0x100UL
#define _PAGE_NX        (1UL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000UL
#define PAGE_SIZE       4096UL
#define PAGE_SHIFT      12

/* An E820 entry as XENMEM_(machine_)memory_map writes it (20 bytes). */
struct pv_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

/* ---- independent checks of what the runtime relies on ------------------ */
#define PV_ABI_OFF(s, f, o) \
    _Static_assert(offsetof(struct s, f) == (o), #s "." #f " moved")
#define PV_ABI_SIZE(s, n) \
    _Static_assert(sizeof(struct s) == (n), "struct " #s " resized")

PV_ABI_SIZE(start_info, 1168);
PV_ABI_OFF(start_info, nr_pages, 32);
PV_ABI_OFF(start_info, shared_info, 40);
PV_ABI_OFF(start_info, flags, 48);
PV_ABI_OFF(start_info, console, 72);
PV_ABI_OFF(start_info, pt_base, 88);
PV_ABI_OFF(start_info, nr_pt_frames, 96);
PV_ABI_OFF(start_info, mfn_list, 104);
PV_ABI_OFF(start_info, mod_start, 112);
PV_ABI_OFF(start_info, cmd_line, 128);
PV_ABI_SIZE(vcpu_info, 64);
PV_ABI_OFF(vcpu_info, evtchn_upcall_mask, 1);
PV_ABI_OFF(vcpu_info, arch.cr2, 16);
PV_ABI_OFF(vcpu_info, time, 32);
PV_ABI_OFF(shared_info, evtchn_pending, 2048);
PV_ABI_OFF(shared_info, wc_version, 3072);
PV_ABI_SIZE(trap_info, 16);
PV_ABI_OFF(trap_info, address, 8);
PV_ABI_SIZE(callback_register, 16);
PV_ABI_SIZE(mmu_update, 16);
PV_ABI_SIZE(mmuext_op, 24);
PV_ABI_SIZE(multicall_entry, 64);
PV_ABI_SIZE(iret_context, 72);
PV_ABI_SIZE(xen_machphys_mfn_list, 24);
PV_ABI_SIZE(xen_compile_info, 144);
PV_ABI_SIZE(pv_e820_entry, 20);
_Static_assert(__HYPERVISOR_iret == 23, "the entry code hard-codes 23");
_Static_assert(FLAT_KERNEL_CS == 0xe033 && FLAT_KERNEL_SS == 0xe02b,
               "the entry code hard-codes the flat selectors");

#endif /* PVGUEST_ABI_H */
