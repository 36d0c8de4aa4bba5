/*
 * Keel public ABI: x86 definitions shared by the whole interface.
 *
 * Guest handles, frame and word types, the virtual IDT (trap_info), the
 * full vCPU context (vcpu_guest_context), the arch part of shared_info, and
 * the x86 hypercalls that take no sub-op: set_trap_table, set_gdt,
 * stack_switch, fpu_taskswitch, set_debugreg/get_debugreg and
 * update_descriptor.  Layouts are Xen's 64-bit PV ABI (Xen 4.17).
 */
#ifndef KEEL_PUBLIC_ARCH_X86_XEN_H
#define KEEL_PUBLIC_ARCH_X86_XEN_H

#include "xen-x86_64.h"

/*
 * GDT.  HYPERVISOR_set_gdt(frames[], entries) installs a guest GDT of up to
 * 14 frames; entries from FIRST_RESERVED_GDT_ENTRY up belong to the
 * hypervisor (they hold the FLAT_* selectors), so @entries may not exceed
 * it.  Each frame must be a guest page with no writable mapping; it takes
 * the segment-descriptor type while installed.  Any domain, for itself.
 * Errors: -XEN_EINVAL (too many entries, a frame that is not the guest's or
 * cannot take the descriptor type, or a bad descriptor in it),
 * -XEN_EFAULT (frame list unreadable).
 *
 * The LDT is set with MMUEXT_SET_LDT.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY 7168    /* FIRST_RESERVED_GDT_BYTE / 8 */

/*
 * HYPERVISOR_update_descriptor(maddr, desc): write one 8-byte descriptor at
 * machine address @maddr, which must be 8-byte aligned and lie in a GDT/LDT
 * page of the caller or a writable page.  The descriptor is validated as
 * for set_gdt.  Any domain, for itself.  Errors: -XEN_EINVAL.
 *
 * HYPERVISOR_stack_switch(ss, sp): record the guest kernel stack used when
 * an event or exception arrives in guest user mode.  Any domain, for itself.
 * Always returns 0.
 *
 * HYPERVISOR_fpu_taskswitch(set): set (non-zero) or clear virtual CR0.TS.
 * Any domain, for itself.  Always returns 0.
 *
 * HYPERVISOR_set_debugreg(reg, value) / HYPERVISOR_get_debugreg(reg):
 * guest view of DR0-DR7.  Breakpoint addresses must be guest addresses.
 * set returns 0 or -XEN_EINVAL (bad register, value or address); get
 * returns the value, or -XEN_EINVAL cast to unsigned long for a bad @reg
 * (the interface cannot tell that from a real value).
 */

/* Legacy number of vcpu_info slots in shared_info. */
#define XEN_LEGACY_MAX_VCPUS 32

/*
 * Forced-emulation prefix: ud2 followed by "xen".  A guest places it in
 * front of CPUID to get the hypervisor's (virtualised) CPUID answer.
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

#ifndef __ASSEMBLY__

_Static_assert(FIRST_RESERVED_GDT_ENTRY == FIRST_RESERVED_GDT_BYTE / 8,
               "first reserved GDT entry");

/*
 * Guest handles.  A guest pointer inside an ABI struct is wrapped in a
 * one-member struct so that C type checking keeps guest and hypervisor
 * pointers apart: the hypervisor must go through its copy helpers to use
 * it.  On x86_64 a handle is 8 bytes, the same as a pointer.
 *
 *   DEFINE_XEN_GUEST_HANDLE(t)          handle types for type t and const t
 *   __DEFINE_XEN_GUEST_HANDLE(name, t)  the same under another name
 *   XEN_GUEST_HANDLE(name)              the handle type, for struct fields
 *   XEN_GUEST_HANDLE_PARAM(name)        the same, for hypercall arguments
 *   XEN_GUEST_HANDLE_64(name)           the same, in domctl/sysctl structs
 *   set_xen_guest_handle(h, ptr)        fill a handle (guest/tool side)
 *   xen_guest_handle_addr(h)            the guest virtual address in it
 */
#define __DEFINE_XEN_GUEST_HANDLE(name, type)                               \
    typedef struct { type *p; } xen_guest_handle_##name;                    \
    typedef struct { const type *p; } xen_guest_handle_const_##name
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        xen_guest_handle_##name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_64(name)       XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd).p = (val); } while ( 0 )
#define set_xen_guest_handle(hnd, val)      set_xen_guest_handle_raw(hnd, val)
#define xen_guest_handle_addr(hnd)      ((uint64_t)(uintptr_t)(hnd).p)

/* 64-bit fields of domctl/sysctl: already naturally aligned on x86_64. */
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif
#ifndef int64_aligned_t
#define int64_aligned_t  int64_t
#endif

/* A guest frame number (a machine frame number for PV guests). */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"

/* An unsigned machine word: 8 bytes. */
typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"

DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

/*
 * Virtual IDT.  HYPERVISOR_set_trap_table(traps[]) replaces the entries
 * named by the array, which ends at the first element with address == 0
 * (passing NULL clears the whole table).  Any domain, for itself.  Errors:
 * -XEN_EFAULT (array unreadable); long arrays may be continued.
 *
 * @flags bits 0-1: the lowest privilege allowed to raise the vector with
 * INT n.  Guest kernel and user both run in ring 3, so: 0 = nobody,
 * 1 or 2 = guest kernel only, 3 = anyone.  Bit 2: mask events (set the
 * vCPU's upcall mask) on delivery, like an interrupt gate.
 */
struct trap_info {
    uint8_t       vector;   /* exception or interrupt vector */
    uint8_t       flags;    /* DPL in bits 0-1, mask events in bit 2 */
    uint16_t      cs;       /* code selector of the handler */
    unsigned long address;  /* handler address; 0 ends a set_trap_table list */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);
XEN_ABI_CHECK_SIZE(struct trap_info, 16);
XEN_ABI_CHECK_OFFSET(struct trap_info, flags, 1);
XEN_ABI_CHECK_OFFSET(struct trap_info, cs, 2);
XEN_ABI_CHECK_OFFSET(struct trap_info, address, 8);

/* Accessors for trap_info.flags. */
#define TI_DPL_MASK     3u
#define TI_IF_MASK      4u
static inline unsigned int TI_GET_DPL(const struct trap_info *ti)
{
    return ti->flags & TI_DPL_MASK;
}
static inline unsigned int TI_GET_IF(const struct trap_info *ti)
{
    return ti->flags & TI_IF_MASK;
}
static inline void TI_SET_DPL(struct trap_info *ti, unsigned int dpl)
{
    ti->flags = (uint8_t)((ti->flags & ~TI_DPL_MASK) | (dpl & TI_DPL_MASK));
}
static inline void TI_SET_IF(struct trap_info *ti, int mask_events)
{
    ti->flags = (uint8_t)((ti->flags & ~TI_IF_MASK) |
                          (mask_events ? TI_IF_MASK : 0));
}

typedef uint64_t tsc_timestamp_t;   /* an RDTSC value */

/*
 * Complete vCPU state, used by VCPUOP_initialise and
 * XEN_DOMCTL_{set,get}vcpucontext (5168 bytes on x86_64).
 * On set, the hypervisor validates every selector, address and frame; the
 * page-table base is ctrlreg[3] (kernel) and ctrlreg[1] (user), both as
 * xen_pfn_to_cr3() values.
 */
struct vcpu_guest_context {
    /* FXSAVE image; first so it can be 16-byte aligned. */
    struct { char x[512]; } fpu_ctxt;
    /*
     * flags: i387_valid = fpu_ctxt holds state; in_kernel = the vCPU is in
     * guest kernel mode; failsafe/syscall_disables_events = those callbacks
     * mask events on entry; online = the vCPU is up; in_syscall (bit 8,
     * xen-x86_64.h) = return with SYSRET semantics.
     */
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)
    unsigned long flags;                    /* VGCF_* */
    struct xen_cpu_user_regs user_regs;     /* general registers */
    struct trap_info trap_ctxt[256];        /* virtual IDT */
    unsigned long ldt_base, ldt_ents;       /* LDT linear address, entries */
    unsigned long gdt_frames[16], gdt_ents; /* GDT frames (MFNs), entries */
    unsigned long kernel_ss, kernel_sp;     /* guest kernel stack */
    unsigned long ctrlreg[8];               /* CR0-CR7; CR1 = user L4 */
    unsigned long debugreg[8];              /* DR0-DR7 */
    unsigned long event_callback_eip;       /* CALLBACKTYPE_event */
    unsigned long failsafe_callback_eip;    /* CALLBACKTYPE_failsafe */
    unsigned long syscall_callback_eip;     /* CALLBACKTYPE_syscall */
    unsigned long vm_assist;                /* VMASST_TYPE_* bitmap */
    uint64_t      fs_base;
    uint64_t      gs_base_kernel;
    uint64_t      gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);
XEN_ABI_CHECK_SIZE(struct vcpu_guest_context, 5168);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, flags, 512);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, user_regs, 520);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, trap_ctxt, 720);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, ldt_base, 4816);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, ldt_ents, 4824);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, gdt_frames, 4832);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, gdt_ents, 4960);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, kernel_ss, 4968);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, kernel_sp, 4976);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, ctrlreg, 4984);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, debugreg, 5048);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, event_callback_eip, 5112);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, failsafe_callback_eip, 5120);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, syscall_callback_eip, 5128);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, vm_assist, 5136);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, fs_base, 5144);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, gs_base_kernel, 5152);
XEN_ABI_CHECK_OFFSET(struct vcpu_guest_context, gs_base_user, 5160);

/*
 * The arch part of shared_info: where the guest publishes its
 * pseudo-physical-to-machine (p2m) table for tools (save/restore, dump).
 * The hypervisor writes only nmi_reason.
 */
struct arch_shared_info {
    unsigned long max_pfn;              /* entries in the p2m */
    /*
     * Frame of the top of the 3-level p2m frame-list tree; 0 = not set up,
     * ~0 = unusable (use the linear p2m at p2m_vaddr instead).
     */
    xen_pfn_t     pfn_to_mfn_frame_list_list;
    unsigned long nmi_reason;           /* XEN_NMIREASON_* bits */
    /*
     * Linear p2m, valid when p2m_cr3 != 0: p2m_cr3 is the (cr3-format) root
     * of the address space in which p2m_vaddr maps entries [0, max_pfn).
     * The guest increments p2m_generation before and after changing that
     * mapping (odd = update in progress); p2m entries change only by atomic
     * 8-byte writes.
     */
    unsigned long p2m_cr3;
    unsigned long p2m_vaddr;
    unsigned long p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;
XEN_ABI_CHECK_SIZE(struct arch_shared_info, 48);
XEN_ABI_CHECK_OFFSET(struct arch_shared_info, nmi_reason, 16);
XEN_ABI_CHECK_OFFSET(struct arch_shared_info, p2m_generation, 40);

/*
 * Arch part of XEN_DOMCTL_createdomain / getdomaininfo.  A PV domain has
 * emulation_flags == 0 (optionally XEN_X86_EMU_PIT on some toolstacks).
 */
struct xen_arch_domainconfig {
#define _XEN_X86_EMU_LAPIC          0
#define XEN_X86_EMU_LAPIC           (1u << _XEN_X86_EMU_LAPIC)
#define _XEN_X86_EMU_HPET           1
#define XEN_X86_EMU_HPET            (1u << _XEN_X86_EMU_HPET)
#define _XEN_X86_EMU_PM             2
#define XEN_X86_EMU_PM              (1u << _XEN_X86_EMU_PM)
#define _XEN_X86_EMU_RTC            3
#define XEN_X86_EMU_RTC             (1u << _XEN_X86_EMU_RTC)
#define _XEN_X86_EMU_IOAPIC         4
#define XEN_X86_EMU_IOAPIC          (1u << _XEN_X86_EMU_IOAPIC)
#define _XEN_X86_EMU_PIC            5
#define XEN_X86_EMU_PIC             (1u << _XEN_X86_EMU_PIC)
#define _XEN_X86_EMU_VGA            6
#define XEN_X86_EMU_VGA             (1u << _XEN_X86_EMU_VGA)
#define _XEN_X86_EMU_IOMMU          7
#define XEN_X86_EMU_IOMMU           (1u << _XEN_X86_EMU_IOMMU)
#define _XEN_X86_EMU_PIT            8
#define XEN_X86_EMU_PIT             (1u << _XEN_X86_EMU_PIT)
#define _XEN_X86_EMU_USE_PIRQ       9
#define XEN_X86_EMU_USE_PIRQ        (1u << _XEN_X86_EMU_USE_PIRQ)
#define _XEN_X86_EMU_VPCI           10
#define XEN_X86_EMU_VPCI            (1u << _XEN_X86_EMU_VPCI)
#define XEN_X86_EMU_ALL             0x7ffu  /* every bit above */
    uint32_t emulation_flags;   /* XEN_X86_EMU_*: devices emulated */
/* Unhandled MSR reads give 0 and writes are dropped, instead of #GP. */
#define XEN_X86_MSR_RELAXED         (1u << 0)
#define XEN_X86_MISC_FLAGS_MAX      XEN_X86_MSR_RELAXED
    uint32_t misc_flags;
};
XEN_ABI_CHECK_SIZE(struct xen_arch_domainconfig, 8);

/* One CPUID leaf of a serialised CPU policy (domctl/sysctl cpu_policy). */
typedef struct xen_cpuid_leaf {
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
    uint32_t leaf, subleaf;     /* subleaf = XEN_CPUID_NO_SUBLEAF if none */
    uint32_t a, b, c, d;        /* eax, ebx, ecx, edx */
} xen_cpuid_leaf_t;
DEFINE_XEN_GUEST_HANDLE(xen_cpuid_leaf_t);
XEN_ABI_CHECK_SIZE(struct xen_cpuid_leaf, 24);

/* One MSR of a serialised CPU policy or vCPU MSR list. */
typedef struct xen_msr_entry {
    uint32_t idx;               /* MSR index */
    uint32_t flags;             /* reserved, must be zero */
    uint64_t val;
} xen_msr_entry_t;
DEFINE_XEN_GUEST_HANDLE(xen_msr_entry_t);
XEN_ABI_CHECK_SIZE(struct xen_msr_entry, 16);

#endif /* !__ASSEMBLY__ */

/* Port of the debug console that HVM guests may write to. */
#define XEN_HVM_DEBUGCONS_IOPORT 0xe9

#endif /* KEEL_PUBLIC_ARCH_X86_XEN_H */
