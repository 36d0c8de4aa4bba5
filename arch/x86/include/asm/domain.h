/*
 * x86 parts of struct domain and struct vcpu: the PV guest's registered
 * callbacks and trap table, its page-table bases, segment bases, virtual
 * I/O privilege, debug registers and descriptor tables.
 *
 * All fields are [this vCPU]: written only by hypercalls of the vCPU
 * itself (or by the domain builder before it first runs).
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <keel/types.h>
#include <asm/regs.h>
#include <asm/pv/emulate.h>

#define PV_NR_VECTORS        256
#define DR6_INIT             0xffff0ff0UL    /* architectural reset values */
#define DR7_INIT             0x00000400UL
#define PV_MAX_GDT_FRAMES    14          /* FIRST_RESERVED_GDT_ENTRY / 512 */

/* A trap-table entry as Keel keeps it (decoded from struct trap_info). */
struct pv_trap {
    uint64_t address;                    /* 0: not registered */
    uint16_t cs;
    uint8_t dpl;                         /* INT n allowed from this DPL up */
    bool mask_events;                    /* set the upcall mask on entry */
};

struct pv_callback {
    uint64_t address;                    /* 0: not registered */
    bool mask_events;
};

struct arch_vcpu {
    /* Guest register state while the vCPU is not on a CPU. */
    struct cpu_user_regs user_regs;

    struct pv_trap traps[PV_NR_VECTORS];
    struct pv_callback event_cb, failsafe_cb, syscall_cb, syscall32_cb,
                       sysenter_cb, nmi_cb;

    /* stack_switch: the guest kernel stack used when entering from user. */
    uint64_t kernel_ss, kernel_sp;

    /* Page tables: machine frames of the kernel and user L4 (0: none). */
    mfn_t guest_table;
    mfn_t guest_table_user;
    /* Page-table work a preempted hypercall left (arch/x86/mm/mm.c). */
    struct page_info *pt_pending;
    struct page_info *pt_stash;
    bool kernel_mode;                    /* guest kernel (true) or user */

    /* Segment bases; gs_base_user is the inactive one in kernel mode. */
    uint64_t fs_base, gs_base_kernel, gs_base_user;

    /* Virtual I/O privilege (physdev_op set_iopl/set_iobitmap). */
    unsigned int iopl;                   /* 0-3 */
    uint64_t iobmp;                      /* guest VA of the bitmap, 0: none */
    unsigned int iobmp_limit;            /* ports covered */

    uint64_t debugreg[8];                /* guest-visible DR0-7 */
    bool fpu_ts;                         /* virtual CR0.TS */
    void *fpu_area;                      /* XSAVE/FXSAVE image when off CPU */
    bool fpu_initialised;                /* has run with the FPU */
    uint64_t guest_cr4;                  /* guest-visible CR4 */

    /* Descriptor tables set with set_gdt and MMUEXT_SET_LDT. */
    unsigned long gdt_frames[PV_MAX_GDT_FRAMES];
    unsigned int gdt_ents;
    uint64_t ldt_base;
    unsigned int ldt_ents;
    void *ldt_shadow;                    /* 64 KiB the LDTR points at */
    unsigned long ldt_frames[16];        /* pages taken into the shadow */

    /* MSR state guests may touch (emulated; arch/x86/pv/emulate.c). */
    struct pv_msr_state msr;
    bool msr_ready;

    /* The last return to the guest faulted (see pv_iret_fault). */
    bool iret_faulted;

    /* NMI delivery state. */
    bool nmi_pending, nmi_masked;

    /* register_runstate_memory_area: guest VA, 0 for none. */
    uint64_t runstate_area;

    /* register_vcpu_info placement (0: the shared_info slot). */
    uint64_t vcpu_info_mfn;
    unsigned int vcpu_info_offset;
};

struct arch_domain {
    bool pv_linear_pt;                   /* (c) from the command line */
    unsigned int physaddr_bits;          /* (c) */
};

#endif /* ASM_DOMAIN_H */
