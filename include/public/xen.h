/*
 * Keel public ABI: the core guest interface.
 *
 * Hypercall numbers, virtual IRQs, the page-table update calls (mmu_update,
 * mmuext_op, update_va_mapping), multicall, console_io, vm_assist, domain
 * ids, and the three structures a PV guest finds at boot: start_info,
 * shared_info (with vcpu_info) and, for dom0, dom0_vga_console_info.
 *
 * Numbers and layouts are those of Xen's 64-bit PV ABI as of Xen 4.17, so
 * unmodified Xen guests run on Keel; all text here is Keel's own.  Only the
 * compiler's <stdint.h> is needed, so guests, tools and the hypervisor all
 * include this file.  Constants are also usable from assembly.
 *
 * Errors are negative XEN_E* values (public/errno.h).  Every hypercall is
 * "guest kernel only" in the sense that SYSCALL from guest user mode is the
 * guest's own system call, never a hypercall; where a call needs more (a
 * privileged domain, privilege over a target domain) the comment says so.
 * -XEN_ENOSYS answers an unknown hypercall or sub-op.
 */
#ifndef KEEL_PUBLIC_XEN_H
#define KEEL_PUBLIC_XEN_H

#include "arch-x86/xen.h"

/*
 * Hypercall numbers (rax).  Each entry of the hypercall page is a 32-byte
 * stub for the number equal to its index.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6   /* old sched_op */
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
/* 11 is unused */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16   /* old evtchn op */
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19   /* old physdev op */
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* 43-47 unused; 48-55 are reserved for architecture-specific calls. */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55
/* x86: machine-check architecture calls. */
#define __HYPERVISOR_mca                           __HYPERVISOR_arch_0

/*
 * Virtual IRQs, bound with EVTCHNOP_bind_virq.  Per-vCPU ones (V) may be
 * bound once on each vCPU; global ones (G) once per domain, on vCPU 0, and
 * may then be moved with EVTCHNOP_bind_vcpu.  Those marked dom0 are sent
 * only to the hardware domain (or the domain named by
 * XEN_DOMCTL_set_virq_handler).
 */
#define VIRQ_TIMER          0   /* V: timer from set_timer_op / VCPUOP */
#define VIRQ_DEBUG          1   /* V: the admin asked for a state dump */
#define VIRQ_CONSOLE        2   /* G, dom0: input on the hypervisor console */
#define VIRQ_DOM_EXC        3   /* G, dom0: a domain shut down or crashed */
#define VIRQ_TBUF           4   /* G, dom0: trace records available */
#define VIRQ_DEBUGGER       6   /* G, dom0: a domain paused for a debugger */
#define VIRQ_XENOPROF       7   /* V: profiling samples available */
#define VIRQ_CON_RING       8   /* G, dom0: hypervisor console ring grew */
#define VIRQ_PCPU_STATE     9   /* G, dom0: a physical CPU changed state */
#define VIRQ_MEM_EVENT     10   /* G, dom0: a memory event is pending */
#define VIRQ_ARGO          11   /* G: Argo message arrived */
#define VIRQ_ENOMEM        12   /* G, dom0: hypervisor heap is low */
#define VIRQ_XENPMU        13   /* V: PMU counter interrupt */
#define VIRQ_ARCH_0        16   /* 16-23: architecture-specific */
#define VIRQ_ARCH_1        17
#define VIRQ_ARCH_2        18
#define VIRQ_ARCH_3        19
#define VIRQ_ARCH_4        20
#define VIRQ_ARCH_5        21
#define VIRQ_ARCH_6        22
#define VIRQ_ARCH_7        23
#define NR_VIRQS           24

/*
 * HYPERVISOR_mmu_update(reqs[], count, done_out, foreigndom)
 *
 * Applies @count (ptr, val) requests in order; *@done_out (if non-NULL)
 * receives how many completed.  The low two bits of ptr select the
 * command; the rest is a machine address:
 *
 *   MMU_NORMAL_PT_UPDATE       write val to the page-table entry at ptr,
 *                              after validating it against the table's
 *                              level (a page table is never mapped
 *                              writable, frames must be owned suitably)
 *   MMU_MACHPHYS_UPDATE        set the M2P entry of frame ptr >> 12 to val
 *                              (a PFN); the frame must belong to the caller
 *                              or to the foreign domain
 *   MMU_PT_UPDATE_PRESERVE_AD  as NORMAL, but the Accessed/Dirty bits
 *                              already in the entry are kept (ORed into val)
 *   MMU_PT_UPDATE_NO_TRANSLATE as NORMAL; for translated callers ptr is a
 *                              machine address, not a guest one
 *
 * @foreigndom bits 0-15 name the domain owning the frames that new L1
 * entries map (DOMID_SELF for the caller, DOMID_IO for MMIO only, DOMID_XEN
 * for hypervisor pages shared read-only); bits 16-31, if non-zero, are one
 * more than the domain owning the page tables being edited.  Naming another
 * domain needs privilege over it.
 *
 * Any domain, for itself.  Errors: -XEN_EINVAL (bad command or rejected
 * entry), -XEN_EFAULT, -XEN_ESRCH (no such foreign domain), -XEN_EPERM (not
 * allowed to act for it), -XEN_ENOMEM.  Long batches may be continued.
 */
#define MMU_NORMAL_PT_UPDATE        0
#define MMU_MACHPHYS_UPDATE         1
#define MMU_PT_UPDATE_PRESERVE_AD   2
#define MMU_PT_UPDATE_NO_TRANSLATE  3

/*
 * HYPERVISOR_mmuext_op(ops[], count, done_out, foreigndom)
 *
 * Extended MMU operations, one struct mmuext_op each; @done_out and
 * @foreigndom as for mmu_update (the foreign domain owns the frames that
 * are pinned).  Any domain, for itself; the cache flushes are refused to a
 * domain without access to I/O resources.  Errors: -XEN_EINVAL (unknown
 * command, frame not the caller's or of the wrong type, pinning a pinned
 * frame, unpinning an unpinned one, an LDT that is misaligned or too
 * large), -XEN_EFAULT, -XEN_ESRCH, -XEN_EPERM, -XEN_EACCES; long batches
 * may be continued.
 */
#define MMUEXT_PIN_L1_TABLE       0  /* arg1.mfn: validate + pin as L1 */
#define MMUEXT_PIN_L2_TABLE       1  /* arg1.mfn: ... as L2 */
#define MMUEXT_PIN_L3_TABLE       2  /* arg1.mfn: ... as L3 */
#define MMUEXT_PIN_L4_TABLE       3  /* arg1.mfn: ... as L4 */
#define MMUEXT_UNPIN_TABLE        4  /* arg1.mfn: drop the pin */
#define MMUEXT_NEW_BASEPTR        5  /* arg1.mfn: kernel L4 into CR3 */
#define MMUEXT_TLB_FLUSH_LOCAL    6  /* flush this vCPU's TLB */
#define MMUEXT_INVLPG_LOCAL       7  /* arg1.linear_addr on this vCPU */
#define MMUEXT_TLB_FLUSH_MULTI    8  /* arg2.vcpumask: flush those vCPUs */
#define MMUEXT_INVLPG_MULTI       9  /* arg1.linear_addr on arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL     10  /* every vCPU of the domain */
#define MMUEXT_INVLPG_ALL        11  /* arg1.linear_addr on every vCPU */
#define MMUEXT_FLUSH_CACHE       12  /* write back + invalidate caches */
#define MMUEXT_SET_LDT           13  /* arg1.linear_addr (page aligned),
                                        arg2.nr_ents (<= 8192) */
/* 14 is unused */
#define MMUEXT_NEW_USER_BASEPTR  15  /* arg1.mfn: L4 used in user mode */
#define MMUEXT_CLEAR_PAGE        16  /* arg1.mfn: zero the frame */
#define MMUEXT_COPY_PAGE         17  /* arg1.mfn <- arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18 /* caches of all physical CPUs */
#define MMUEXT_MARK_SUPER        19  /* obsolete superpage marking */
#define MMUEXT_UNMARK_SUPER      20  /* obsolete */

/*
 * HYPERVISOR_update_va_mapping(va, val, flags) sets the L1 entry mapping
 * @va in the current page tables to @val (validated as for mmu_update) and
 * flushes as @flags ask.  update_va_mapping_otherdomain(va, val, flags,
 * domid) does the same with @domid owning the mapped frame.  Guest kernel
 * Errors: -XEN_EINVAL (no L1 table maps @va, rejected entry, bad
 * flags), -XEN_ESRCH, -XEN_EPERM.
 *
 * @flags: one flush type, ORed with a scope.  UVMF_MULTI is completed by
 * ORing in the guest address of a vCPU bitmap; UVMF_LOCAL is MULTI with no
 * bitmap, i.e. only the calling vCPU.
 */
#define UVMF_NONE           0   /* no flush */
#define UVMF_TLB_FLUSH      1   /* flush whole TLBs */
#define UVMF_INVLPG         2   /* flush just @va */
#define UVMF_FLUSHTYPE_MASK 3
#define UVMF_MULTI          0   /* vCPUs in the bitmap ORed into flags */
#define UVMF_LOCAL          0   /* this vCPU */
#define UVMF_ALL            4   /* every vCPU of the domain */

/*
 * HYPERVISOR_console_io(cmd, count, buffer)
 *   CONSOLEIO_write: print @count bytes of @buffer on the hypervisor
 *     console (non-printable bytes are dropped for guests other than the
 *     hardware domain, and their output may be line buffered).  Returns 0.
 *   CONSOLEIO_read: copy up to @count bytes of pending console input into
 *     @buffer; returns the number of bytes copied.
 * Privilege: the hardware/console domain (write may be opened to all
 * guests in a debug build).  Errors: -XEN_EPERM, -XEN_EFAULT, -XEN_ENOSYS
 * (unknown cmd).
 */
#define CONSOLEIO_write     0
#define CONSOLEIO_read      1

/*
 * HYPERVISOR_vm_assist(cmd, type): enable or disable an optional
 * behaviour for the calling domain.  Errors: -XEN_EINVAL (type not
 * offered to this kind of guest), -XEN_ENOSYS (unknown cmd).
 */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0  /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify  1  /* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables  2  /* emulate writes to L1 tables */
#define VMASST_TYPE_pae_extended_cr3     3  /* 32-bit PAE guests only */
/* Virtual IOPL follows iret and is reported in bounce frames; the guest
 * kernel counts as privilege level 0 for IOPL checks. */
#define VMASST_TYPE_architectural_iopl   4
/* Set XEN_RUNSTATE_UPDATE in a registered runstate area while updating. */
#define VMASST_TYPE_runstate_update_flag 5
/* Keep the M2P slot out of page tables while they are used in user mode. */
#define VMASST_TYPE_m2p_strict          32

/*
 * HYPERVISOR_set_timer_op(timeout): one-shot timer at absolute system time
 * @timeout (ns); it raises VIRQ_TIMER.  0 cancels.  Returns 0.
 */

/*
 * Domain ids.  Ordinary domains have ids below DOMID_FIRST_RESERVED;
 * the rest have fixed meanings.
 */
#define DOMID_FIRST_RESERVED 0x7ff0
#define DOMID_SELF           0x7ff0  /* the calling domain */
#define DOMID_IO             0x7ff1  /* owner of MMIO frames */
#define DOMID_XEN            0x7ff2  /* owner of hypervisor pages */
#define DOMID_COW            0x7ff3  /* owner of shared copy-on-write pages */
#define DOMID_INVALID        0x7ff4  /* no domain / unknown owner */
#define DOMID_IDLE           0x7fff  /* the idle domain */
#define DOMID_MASK           0x7fff

/*
 * Flags in start_info.flags.
 */
#define SIF_PRIVILEGED       (1 << 0)  /* domain may use privileged ops */
#define SIF_INITDOMAIN       (1 << 1)  /* this is the initial domain (dom0) */
#define SIF_MULTIBOOT_MOD    (1 << 2)  /* mod_start holds a module package */
#define SIF_MOD_START_PFN    (1 << 3)  /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS  (1 << 4)  /* tools read the linear p2m */
#define SIF_PM_MASK          (0xff << 8) /* reserved for power management */

/* Size of start_info.cmd_line. */
#define MAX_GUEST_CMDLINE    1024

#ifndef __ASSEMBLY__

/* Guest handles for the basic C types. */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);
__DEFINE_XEN_GUEST_HANDLE(uint8, uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

/* A domain id (see DOMID_*). */
typedef uint16_t domid_t;

/* An event channel port number. */
typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/* One mmu_update request; see MMU_* above. */
struct mmu_update {
    uint64_t ptr;       /* machine address | MMU_* command in bits 0-1 */
    uint64_t val;       /* new entry (or PFN for MMU_MACHPHYS_UPDATE) */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);
XEN_ABI_CHECK_SIZE(struct mmu_update, 16);
XEN_ABI_CHECK_OFFSET(struct mmu_update, val, 8);

/* One mmuext_op request; see MMUEXT_* above for which fields apply. */
struct mmuext_op {
    unsigned int cmd;                   /* MMUEXT_* */
    union {
        xen_pfn_t     mfn;              /* pin/unpin, baseptr, clear/copy */
        unsigned long linear_addr;      /* invlpg, SET_LDT */
    } arg1;
    union {
        unsigned int nr_ents;           /* SET_LDT */
        XEN_GUEST_HANDLE(const_void) vcpumask;  /* *_MULTI: vCPU bitmap */
        xen_pfn_t src_mfn;              /* COPY_PAGE */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
XEN_ABI_CHECK_SIZE(struct mmuext_op, 24);
XEN_ABI_CHECK_OFFSET(struct mmuext_op, arg1, 8);
XEN_ABI_CHECK_OFFSET(struct mmuext_op, arg2, 16);

/*
 * HYPERVISOR_multicall(calls[], nr_calls): run the hypercalls in order;
 * each entry's result receives that call's return value.  A failing call
 * does not stop the batch; an iret (or anything else that does not return
 * to the caller) ends it, and a multicall inside a multicall fails with
 * -XEN_EINVAL in its result.  Any domain, for itself.  Returns 0, or
 * -XEN_EFAULT if the list cannot be accessed; long batches may be
 * continued.
 */
struct multicall_entry {
    xen_ulong_t op;         /* __HYPERVISOR_* */
    xen_ulong_t result;     /* OUT: the call's return value */
    xen_ulong_t args[6];    /* its arguments (at most 5 are used on x86) */
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);
XEN_ABI_CHECK_SIZE(struct multicall_entry, 64);
XEN_ABI_CHECK_OFFSET(struct multicall_entry, result, 8);
XEN_ABI_CHECK_OFFSET(struct multicall_entry, args, 16);

/*
 * Per-vCPU system time (pvclock), kept by the hypervisor.
 *
 *   now = system_time +
 *         ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32)
 *
 * (a negative tsc_shift means a right shift).  version is odd while an
 * update is in progress: read version, the fields, then version again,
 * and retry if it was odd or changed.
 */
struct vcpu_time_info {
    uint32_t version;           /* odd = being updated */
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC when system_time was sampled */
    uint64_t system_time;       /* ns since the hypervisor booted */
    uint32_t tsc_to_system_mul; /* TSC -> ns multiplier, 32.32 fixed point */
    int8_t   tsc_shift;         /* TSC delta pre-shift */
    uint8_t  flags;             /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
XEN_ABI_CHECK_SIZE(struct vcpu_time_info, 32);
XEN_ABI_CHECK_OFFSET(struct vcpu_time_info, tsc_timestamp, 8);
XEN_ABI_CHECK_OFFSET(struct vcpu_time_info, system_time, 16);
XEN_ABI_CHECK_OFFSET(struct vcpu_time_info, tsc_to_system_mul, 24);
XEN_ABI_CHECK_OFFSET(struct vcpu_time_info, tsc_shift, 28);
XEN_ABI_CHECK_OFFSET(struct vcpu_time_info, flags, 29);

#define XEN_PVCLOCK_TSC_STABLE_BIT  (1 << 0)  /* TSC is synchronised */
#define XEN_PVCLOCK_GUEST_STOPPED   (1 << 1)  /* domain was paused */

/*
 * Per-vCPU event state, either in shared_info.vcpu_info[] (vCPUs below 32)
 * or wherever VCPUOP_register_vcpu_info moved it.
 *
 * The hypervisor sets evtchn_upcall_pending (and bits of
 * evtchn_pending_sel) when an event arrives; the guest clears the flag
 * before scanning for work.  While evtchn_upcall_mask is non-zero no
 * upcall is made; the guest writes both bytes without locked instructions.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;  /* an event awaits the guest */
    uint8_t evtchn_upcall_mask;     /* non-zero: no upcalls (like cli) */
    xen_ulong_t evtchn_pending_sel; /* 2-level: words of evtchn_pending
                                       with a newly pending bit */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
XEN_ABI_CHECK_SIZE(struct vcpu_info, 64);
XEN_ABI_CHECK_OFFSET(struct vcpu_info, evtchn_upcall_mask, 1);
XEN_ABI_CHECK_OFFSET(struct vcpu_info, evtchn_pending_sel, 8);
XEN_ABI_CHECK_OFFSET(struct vcpu_info, arch, 16);
XEN_ABI_CHECK_OFFSET(struct vcpu_info, time, 32);

/*
 * The page shared by the hypervisor and each domain (its machine address is
 * start_info.shared_info).
 *
 * Two-level event channels: port p is pending when bit p of
 * evtchn_pending is set and masked when bit p of evtchn_mask is.  The
 * hypervisor sets pending bits; when the bit goes 0 -> 1 on an unmasked
 * port it also sets bit (p / 64) of the notified vCPU's evtchn_pending_sel
 * and its evtchn_upcall_pending.  Only the guest changes mask bits.
 *
 * Wall clock: the time of day at system time 0 is
 * ((uint64_t)wc_sec_hi << 32 | wc_sec) seconds + wc_nsec since the Unix
 * epoch, versioned by wc_version like vcpu_time_info.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;        /* odd = being updated */
    uint32_t wc_sec;            /* seconds, low 32 bits */
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;         /* seconds, high 32 bits */
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
XEN_ABI_CHECK_SIZE(struct shared_info, 3136);
XEN_ABI_CHECK_OFFSET(struct shared_info, evtchn_pending, 2048);
XEN_ABI_CHECK_OFFSET(struct shared_info, evtchn_mask, 2560);
XEN_ABI_CHECK_OFFSET(struct shared_info, wc_version, 3072);
XEN_ABI_CHECK_OFFSET(struct shared_info, wc_sec, 3076);
XEN_ABI_CHECK_OFFSET(struct shared_info, wc_nsec, 3080);
XEN_ABI_CHECK_OFFSET(struct shared_info, wc_sec_hi, 3084);
XEN_ABI_CHECK_OFFSET(struct shared_info, arch, 3088);

/*
 * Start of day.  A PV domain starts at its ELF entry with rsi pointing to
 * this structure, inside a contiguous virtual region that begins at the
 * kernel's VIRT_BASE and holds, each page aligned and in this order: the
 * kernel image, the initrd (unless SIF_MOD_START_PFN), the p2m list
 * (unless placed by XEN_ELFNOTE_INIT_P2M), start_info itself (dom0: with
 * dom0_vga_console_info after it), for a domU the xenstore then the console
 * ring page, the boot page tables (mapped read-only, top level pinned) and
 * a boot stack.  The region ends on a 4 MiB boundary with at least 512 KiB
 * to spare.  Every other page of the region is mapped writable.
 */
struct start_info {
    /* Valid at boot and after resume: */
    char magic[32];             /* "xen-3.0-x86_64" */
    unsigned long nr_pages;     /* pages the domain owns */
    unsigned long shared_info;  /* machine address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* machine frame of the xenstore ring */
    uint32_t store_evtchn;      /* event channel to xenstored */
    union {
        struct {
            xen_pfn_t mfn;      /* machine frame of the console ring */
            uint32_t  evtchn;   /* event channel to the console backend */
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info from
                                   the start of this structure (0 = none) */
            uint32_t info_size; /* its size */
        } dom0;
    } console;
    /* Valid at boot only: */
    unsigned long pt_base;      /* virtual address of the boot L4 */
    unsigned long nr_pt_frames; /* frames of boot page tables */
    unsigned long mfn_list;     /* virtual address of the p2m list */
    unsigned long mod_start;    /* initrd: virtual address, or its first
                                   PFN with SIF_MOD_START_PFN */
    unsigned long mod_len;      /* initrd size in bytes */
    int8_t cmd_line[MAX_GUEST_CMDLINE]; /* NUL-terminated command line */
    unsigned long first_p2m_pfn;/* first PFN of the page tables and p2m
                                   when placed by XEN_ELFNOTE_INIT_P2M */
    unsigned long nr_p2m_frames;/* and their number */
};
typedef struct start_info start_info_t;
XEN_ABI_CHECK_SIZE(struct start_info, 1168);
XEN_ABI_CHECK_OFFSET(struct start_info, nr_pages, 32);
XEN_ABI_CHECK_OFFSET(struct start_info, shared_info, 40);
XEN_ABI_CHECK_OFFSET(struct start_info, flags, 48);
XEN_ABI_CHECK_OFFSET(struct start_info, store_mfn, 56);
XEN_ABI_CHECK_OFFSET(struct start_info, store_evtchn, 64);
XEN_ABI_CHECK_OFFSET(struct start_info, console.domU.mfn, 72);
XEN_ABI_CHECK_OFFSET(struct start_info, console.domU.evtchn, 80);
XEN_ABI_CHECK_OFFSET(struct start_info, console.dom0.info_off, 72);
XEN_ABI_CHECK_OFFSET(struct start_info, console.dom0.info_size, 76);
XEN_ABI_CHECK_OFFSET(struct start_info, pt_base, 88);
XEN_ABI_CHECK_OFFSET(struct start_info, nr_pt_frames, 96);
XEN_ABI_CHECK_OFFSET(struct start_info, mfn_list, 104);
XEN_ABI_CHECK_OFFSET(struct start_info, mod_start, 112);
XEN_ABI_CHECK_OFFSET(struct start_info, mod_len, 120);
XEN_ABI_CHECK_OFFSET(struct start_info, cmd_line, 128);
XEN_ABI_CHECK_OFFSET(struct start_info, first_p2m_pfn, 1152);
XEN_ABI_CHECK_OFFSET(struct start_info, nr_p2m_frames, 1160);

/*
 * With SIF_MULTIBOOT_MOD the module is a package of modules that starts
 * with an array of these, ended by an entry with mod_start == 0.
 * Addresses are offsets from the start of the package.
 */
struct xen_multiboot_mod_list {
    uint32_t mod_start;     /* first byte of the module */
    uint32_t mod_end;       /* last byte of the module (inclusive) */
    uint32_t cmdline;       /* NUL-terminated command line */
    uint32_t pad;           /* must be zero */
};
XEN_ABI_CHECK_SIZE(struct xen_multiboot_mod_list, 16);

/*
 * Dom0's console: the firmware display the hypervisor found, for the
 * guest to take over (start_info.console.dom0 points at it).
 */
typedef struct dom0_vga_console_info {
    uint8_t video_type;                 /* XEN_VGATYPE_* */
#define XEN_VGATYPE_TEXT_MODE_3 0x03    /* 80x25 (or similar) VGA text */
#define XEN_VGATYPE_VESA_LFB    0x23    /* VESA linear frame buffer */
#define XEN_VGATYPE_EFI_LFB     0x70    /* EFI GOP frame buffer */
    union {
        struct {
            uint16_t font_height;       /* pixels */
            uint16_t cursor_x, cursor_y;/* column, row */
            uint16_t rows, columns;     /* characters */
        } text_mode_3;
        struct {
            uint16_t width, height;     /* pixels */
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;          /* physical address, low 32 bits */
            uint32_t lfb_size;          /* in 64 KiB units */
            uint8_t  red_pos, red_size; /* colour masks (VBE 1.2 style) */
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;          /* VBE controller capabilities */
            uint16_t mode_attrs;        /* VBE mode attributes */
            uint16_t pad;
            uint32_t ext_lfb_base;      /* physical address, high 32 bits */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t
XEN_ABI_CHECK_SIZE(struct dom0_vga_console_info, 40);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u, 4);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.text_mode_3.columns, 12);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.vesa_lfb.lfb_base, 12);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.vesa_lfb.red_pos, 20);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps, 28);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.vesa_lfb.mode_attrs, 32);
XEN_ABI_CHECK_OFFSET(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base, 36);

/* A domain's 16-byte handle (normally its UUID). */
typedef uint8_t xen_domain_handle_t[16];

typedef struct {
    uint8_t a[16];
} xen_uuid_t;
XEN_ABI_CHECK_SIZE(xen_uuid_t, 16);

/* A bitmap passed by reference (CPU and node masks in domctl/sysctl). */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;  /* bit i of byte i/8 = item i */
    uint32_t nr_bits;                   /* bits in the buffer */
};
typedef struct xenctl_bitmap xenctl_bitmap_t;
XEN_ABI_CHECK_SIZE(struct xenctl_bitmap, 16);
XEN_ABI_CHECK_OFFSET(struct xenctl_bitmap, nr_bits, 8);

#endif /* !__ASSEMBLY__ */

#endif /* KEEL_PUBLIC_XEN_H */
