/*
 * Keel public ABI: the parts of the PV interface that exist only for
 * 64-bit x86 guests.
 *
 * This is the bottom of the public include chain: it needs nothing but the
 * compiler's <stdint.h>, and it also provides the two static-assert helpers
 * every other public header uses to pin sizes and offsets.  Numbers and
 * layouts are those of Xen's 64-bit PV ABI (Xen 4.17); the text is Keel's.
 *
 * Constants are usable from assembly (define __ASSEMBLY__); declarations
 * are C only.
 */
#ifndef KEEL_PUBLIC_ARCH_X86_XEN_X86_64_H
#define KEEL_PUBLIC_ARCH_X86_XEN_X86_64_H

#if !defined(__x86_64__)
#error "Keel implements only the 64-bit x86 PV ABI; build for x86_64"
#endif

/*
 * Calling convention (SYSCALL from guest kernel mode, normally through a
 * 32-byte stub in the hypercall page):
 *   rax = hypercall number; rdi, rsi, rdx, r10, r8 = arguments 1..5;
 *   result in rax (>= 0 success, negative = -XEN_Exxx).
 * rcx and r11 are clobbered by SYSCALL itself; argument registers may be
 * clobbered too (a continuation rewrites them).
 */

/*
 * Flat segment selectors.  They live in the hypervisor-reserved part of
 * every GDT (from entry FIRST_RESERVED_GDT_ENTRY = 7168), so a guest can
 * run without a GDT of its own.  All have RPL 3: both guest kernel and
 * guest user code execute at CPL 3.
 */
#define FLAT_RING3_CS32     0xe023  /* 32-bit code, GDT entry 7172 */
#define FLAT_RING3_CS64     0xe033  /* 64-bit code, GDT entry 7174 */
#define FLAT_RING3_DS32     0xe02b  /* flat data,   GDT entry 7173 */
#define FLAT_RING3_DS64     0x0000  /* long mode needs no data selector */
#define FLAT_RING3_SS32     0xe02b
#define FLAT_RING3_SS64     0xe02b

/* The guest kernel uses the very same selectors ... */
#define FLAT_KERNEL_DS64    FLAT_RING3_DS64
#define FLAT_KERNEL_DS32    FLAT_RING3_DS32
#define FLAT_KERNEL_DS      FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64    FLAT_RING3_CS64
#define FLAT_KERNEL_CS32    FLAT_RING3_CS32
#define FLAT_KERNEL_CS      FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64    FLAT_RING3_SS64
#define FLAT_KERNEL_SS32    FLAT_RING3_SS32
#define FLAT_KERNEL_SS      FLAT_KERNEL_SS64

/* ... and so does guest user space. */
#define FLAT_USER_DS64      FLAT_RING3_DS64
#define FLAT_USER_DS32      FLAT_RING3_DS32
#define FLAT_USER_DS        FLAT_USER_DS64
#define FLAT_USER_CS64      FLAT_RING3_CS64
#define FLAT_USER_CS32      FLAT_RING3_CS32
#define FLAT_USER_CS        FLAT_USER_CS64
#define FLAT_USER_SS64      FLAT_RING3_SS64
#define FLAT_USER_SS32      FLAT_RING3_SS32
#define FLAT_USER_SS        FLAT_USER_SS64

/*
 * Virtual address space owned by the hypervisor in every guest page table:
 * PML4 slots 256-271.  A guest L4 may not map anything there itself.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define HYPERVISOR_VIRT_START   __HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_END     __HYPERVISOR_VIRT_END

/*
 * The read-only machine-to-phys table (one 8-byte entry per machine frame,
 * holding the owning guest's PFN) is mapped for guests at the start of the
 * hypervisor area.  XENMEM_machphys_mapping reports the live bounds.
 */
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000
#define MACH2PHYS_VIRT_START    __MACH2PHYS_VIRT_START
#define MACH2PHYS_VIRT_END      __MACH2PHYS_VIRT_END
#define MACH2PHYS_NR_ENTRIES \
    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/*
 * HYPERVISOR_set_segment_base(which, base): load a segment base for the
 * calling vCPU.  Any domain, for itself.  Errors: -XEN_EINVAL for an unknown
 * @which or a non-canonical base.  A selector that cannot be loaded for
 * SEGBASE_GS_USER_SEL is replaced by the null selector, not reported
 * (Linux treats a failure of this call as fatal).
 */
#define SEGBASE_FS          0   /* FS base (MSR_FS_BASE) */
#define SEGBASE_GS_USER     1   /* GS base while in guest user mode */
#define SEGBASE_GS_KERNEL   2   /* GS base while in guest kernel mode */
#define SEGBASE_GS_USER_SEL 3   /* load user %gs from base[15:0] */

/*
 * HYPERVISOR_iret: the guest kernel pushes a struct iret_context (lowest
 * address first) and makes the hypercall; it does not return.  The saved
 * CS selects the mode to return to: RPL 3 goes back to guest user mode
 * (switching to the user page table), RPL 0-2 back to guest kernel mode.
 * With VGCF_in_syscall set in @flags, rax, rip, rflags and rsp are restored
 * and r11, rcx, cs, ss are discarded (a SYSRET-style return); otherwise
 * every field is restored.  The event mask becomes !rflags.IF.
 */
#define _VGCF_in_syscall    8
#define VGCF_in_syscall     (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL     VGCF_in_syscall

#ifndef __ASSEMBLY__

#include <stdint.h>

/*
 * Compile-time pins of the ABI: every struct in the public headers has its
 * size and the offsets of the fields guests rely on checked here, so a
 * layout change cannot slip through any build (hypervisor, tools or host
 * unit tests).
 */
#define XEN_ABI_CHECK_SIZE(type, size)                                      \
    _Static_assert(sizeof(type) == (size), "ABI size of " #type)
#define XEN_ABI_CHECK_OFFSET(type, field, off)                              \
    _Static_assert(__builtin_offsetof(type, field) == (off),               \
                   "ABI offset of " #type "." #field)

/* The frame HYPERVISOR_iret pops: rax is at the guest's rsp. */
struct iret_context {
    uint64_t rax;       /* restored rax */
    uint64_t r11;       /* restored r11 unless VGCF_in_syscall */
    uint64_t rcx;       /* restored rcx unless VGCF_in_syscall */
    uint64_t flags;     /* VGCF_in_syscall or 0 */
    uint64_t rip;
    uint64_t cs;        /* RPL selects kernel (0-2) or user (3) */
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};
XEN_ABI_CHECK_SIZE(struct iret_context, 72);
XEN_ABI_CHECK_OFFSET(struct iret_context, flags, 24);
XEN_ABI_CHECK_OFFSET(struct iret_context, rip, 32);
XEN_ABI_CHECK_OFFSET(struct iret_context, ss, 64);

/*
 * Guest register state as exchanged in vcpu_guest_context (VCPUOP_
 * initialise, XEN_DOMCTL_{get,set}vcpucontext).  This is Xen's
 * struct cpu_user_regs; it is called xen_cpu_user_regs here because the
 * hypervisor's own entry frame already uses the plain name (asm/regs.h).
 * error_code and entry_vector are hypervisor-private: ignored on input.
 */
struct xen_cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;        /* private */
    uint32_t entry_vector;      /* private */
    uint64_t rip;
    uint16_t cs;
    uint16_t _pad0[1];
    uint8_t  saved_upcall_mask; /* event mask to restore with this frame */
    uint8_t  _pad1[3];
    uint64_t rflags;            /* rflags.IF reflects !saved_upcall_mask */
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];      /* non-zero: wins over the FS base */
    uint16_t gs, _pad6[3];      /* non-zero: wins over the user GS base */
};
typedef struct xen_cpu_user_regs cpu_user_regs_t;
XEN_ABI_CHECK_SIZE(struct xen_cpu_user_regs, 200);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rbp, 32);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rax, 80);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rdi, 112);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, error_code, 120);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, entry_vector, 124);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rip, 128);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, cs, 136);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, saved_upcall_mask, 140);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rflags, 144);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, rsp, 152);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, ss, 160);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, es, 168);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, ds, 176);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, fs, 184);
XEN_ABI_CHECK_OFFSET(struct xen_cpu_user_regs, gs, 192);

/* CR3 values carry a plain frame number in bits 12 and up. */
#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

/* Per-vCPU arch state inside vcpu_info. */
struct arch_vcpu_info {
    unsigned long cr2;  /* faulting address of the last bounced #PF */
    unsigned long pad;  /* keeps vcpu_info at 64 bytes */
};
typedef struct arch_vcpu_info arch_vcpu_info_t;
XEN_ABI_CHECK_SIZE(struct arch_vcpu_info, 16);

/* A callback is a plain guest virtual address on x86_64. */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLY__ */

#endif /* KEEL_PUBLIC_ARCH_X86_XEN_X86_64_H */
