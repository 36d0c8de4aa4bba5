/*
 * Instruction emulation for PV guests: the decoders and pure policies behind
 * the #GP, #UD and write-protect #PF paths (arch/x86/pv/emul-*.c).
 *
 * Nothing here touches hardware, guest memory or vCPU state directly.  The
 * trap glue gives each entry point the faulting frame, a snapshot of the
 * vCPU state the decision needs (struct pv_emul_vcpu) and a table of
 * callbacks (struct pv_emul_ops) that perform every real effect: fetching
 * instruction bytes, port and memory accesses, control/debug register and
 * MSR storage, CPUID, the TSC and page-table updates.  So the whole of the
 * guest-facing decode and policy is host-tested (tests/unit/test_emul_*.c,
 * test_cpuid_policy.c).  No locks are taken; callbacks run on the faulting
 * vCPU's CPU with whatever locks the caller holds.
 *
 * Behaviour follows Xen 4.17 for 64-bit PV guests; the .c files cite the
 * Xen function each rule comes from.
 */
#ifndef ASM_PV_EMULATE_H
#define ASM_PV_EMULATE_H

#include <keel/types.h>
#include <asm/desc.h>
#include <asm/regs.h>
#include <asm/x86-defs.h>

/* ---- Architectural constants not (yet) in <asm/x86-defs.h> ------------ */

#ifndef X86_CR4_TSD
#define X86_CR4_TSD        (1 << 2)
#endif
#ifndef X86_CR4_DE
#define X86_CR4_DE         (1 << 3)
#endif
#ifndef X86_CR4_MCE
#define X86_CR4_MCE        (1 << 6)
#endif
#ifndef X86_CR4_PKE
#define X86_CR4_PKE        (1 << 22)
#endif

#ifndef X86_EFLAGS_CF
#define X86_EFLAGS_CF      (1 << 0)
#endif
#ifndef X86_EFLAGS_PF
#define X86_EFLAGS_PF      (1 << 2)
#endif
#ifndef X86_EFLAGS_AF
#define X86_EFLAGS_AF      (1 << 4)
#endif
#ifndef X86_EFLAGS_ZF
#define X86_EFLAGS_ZF      (1 << 6)
#endif
#ifndef X86_EFLAGS_SF
#define X86_EFLAGS_SF      (1 << 7)
#endif
#ifndef X86_EFLAGS_TF
#define X86_EFLAGS_TF      (1 << 8)
#endif
#ifndef X86_EFLAGS_DF
#define X86_EFLAGS_DF      (1 << 10)
#endif
#ifndef X86_EFLAGS_OF
#define X86_EFLAGS_OF      (1 << 11)
#endif
#ifndef X86_EFLAGS_RF
#define X86_EFLAGS_RF      (1 << 16)
#endif
#define X86_EFLAGS_ARITH_MASK \
    (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
     X86_EFLAGS_SF | X86_EFLAGS_OF)

#ifndef EFER_LMA
#define EFER_LMA           (1 << 10)
#endif
#ifndef EFER_SVME
#define EFER_SVME          (1 << 12)
#endif
#ifndef EFER_LMSLE
#define EFER_LMSLE         (1 << 13)
#endif
#ifndef EFER_FFXSR
#define EFER_FFXSR         (1 << 14)
#endif

/* Page-fault error code bits. */
#ifndef X86_PFEC_WRITE
#define X86_PFEC_WRITE     (1 << 1)
#endif

/* Debug registers. */
#define X86_DR6_B_MASK     0x0000000fu      /* B0-B3: breakpoint matched */
#define X86_DR6_BS         (1u << 14)       /* single step */
#define X86_DR6_RTM        (1u << 16)       /* active low: RTM region */
#define X86_DR6_MBS        0xfffe0ff0u      /* reserved, read as one */
#define X86_DR6_MBZ        (1u << 12)       /* reserved, read as zero */
#define X86_DR7_ACTIVE     0x000000ffu      /* L0-3/G0-3 */
#define X86_DR7_RTM        (1u << 11)       /* reserved unless RTM */
#define X86_DR7_GD         (1u << 13)
#define X86_DR7_MBZ        0x0000d000u      /* bits 12, 14, 15 */
#define X86_DR7_MBS        (1u << 10)
#define X86_DR7_CTL_SHIFT  16               /* R/W0 at 16, LEN0 at 18 */
#define X86_DR7_CTL_BITS   4                /* per breakpoint */
#define X86_DR7_RW_IO      2u               /* R/W encoding: I/O access */
#define X86_DR7_LEN_SHIFT  2                /* LEN above R/W */
#define X86_NR_BREAKPOINTS 4

/* XCR0 state components. */
#define X86_XCR0_X87       (1ull << 0)
#define X86_XCR0_SSE       (1ull << 1)
#define X86_XCR0_YMM       (1ull << 2)
#define X86_XCR0_BNDREGS   (1ull << 3)
#define X86_XCR0_BNDCSR    (1ull << 4)
#define X86_XCR0_OPMASK    (1ull << 5)
#define X86_XCR0_ZMM       (1ull << 6)
#define X86_XCR0_HI_ZMM    (1ull << 7)
#define X86_XCR0_AVX512    (X86_XCR0_OPMASK | X86_XCR0_ZMM | X86_XCR0_HI_ZMM)

/* MSRs a PV guest may reach (numbers from the Intel SDM / AMD APM). */
#define MSR_IA32_TSC                    0x00000010
#define MSR_IA32_PLATFORM_ID            0x00000017
#define MSR_SPEC_CTRL                   0x00000048
#define MSR_PRED_CMD                    0x00000049
#define MSR_IA32_UCODE_WRITE            0x00000079
#define MSR_IA32_UCODE_REV              0x0000008b
#define MSR_P6_PERFCTR0                 0x000000c1
#define MSR_P6_PERFCTR7                 0x000000c8
#define MSR_INTEL_PLATFORM_INFO         0x000000ce
#define MSR_IA32_MPERF                  0x000000e7
#define MSR_IA32_APERF                  0x000000e8
#define MSR_ARCH_CAPABILITIES           0x0000010a
#define MSR_FLUSH_CMD                   0x0000010b
#define MSR_INTEL_MISC_FEATURES_ENABLES 0x00000140
#define MSR_P6_EVNTSEL0                 0x00000186
#define MSR_P6_EVNTSEL3                 0x00000189
#define MSR_IA32_PERF_STATUS            0x00000198
#define MSR_IA32_PERF_CTL               0x00000199
#define MSR_IA32_THERM_CONTROL          0x0000019a
#define MSR_IA32_MISC_ENABLE            0x000001a0
#define MSR_IA32_ENERGY_PERF_BIAS       0x000001b0
#define MSR_IA32_CR_PAT                 0x00000277
#define MSR_CORE_PERF_FIXED_CTR0        0x00000309
#define MSR_CORE_PERF_FIXED_CTR2        0x0000030b
#define MSR_IA32_PERF_CAPABILITIES      0x00000345
#define MSR_CORE_PERF_FIXED_CTR_CTRL    0x0000038d
#define MSR_CORE_PERF_GLOBAL_OVF_CTRL   0x00000390
#define MSR_TSC_AUX                     0xc0000103
#define MSR_K7_EVNTSEL0                 0xc0010000
#define MSR_K7_PERFCTR3                 0xc0010007
#define MSR_K8_HWCR                     0xc0010015
#define MSR_AMD64_NB_CFG                0xc001001f
#define MSR_AMD_PATCHLOADER             0xc0010020
#define MSR_K7_FID_VID_CTL              0xc0010041
#define MSR_K7_FID_VID_STATUS           0xc0010042
#define MSR_FAM10H_MMIO_CONF_BASE       0xc0010058
#define MSR_K8_PSTATE_LIMIT             0xc0010061
#define MSR_K8_PSTATE7                  0xc001006b
#define MSR_AMD_FAM15H_EVNTSEL0         0xc0010200
#define MSR_AMD_FAM15H_PERFCTR5         0xc001020b
#define MSR_AMD64_DR1_ADDRESS_MASK      0xc0011019
#define MSR_AMD64_DR3_ADDRESS_MASK      0xc001101b
#define MSR_AMD64_DR0_ADDRESS_MASK      0xc0011027
#define MSR_AMD64_DE_CFG                0xc0011029

#define MISC_ENABLE_PERF_AVAIL          (1ull << 7)
#define MISC_ENABLE_BTS_UNAVAIL         (1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAIL        (1ull << 12)
#define MISC_ENABLE_MONITOR_ENABLE      (1ull << 18)
#define MISC_ENABLE_XTPR_DISABLE        (1ull << 23)
#define PLATFORM_INFO_CPUID_FAULTING    (1ull << 31)
#define MISC_FEATURES_CPUID_FAULTING    (1ull << 0)
#define SPEC_CTRL_IBRS                  (1ull << 0)
#define SPEC_CTRL_STIBP                 (1ull << 1)
#define SPEC_CTRL_SSBD                  (1ull << 2)
#define SPEC_CTRL_PSFD                  (1ull << 7)
#define PRED_CMD_IBPB                   (1ull << 0)
#define K8_HWCR_TSC_FREQ_SEL            (1ull << 24)
#define AMD64_DE_CFG_LFENCE_SERIALISE   (1ull << 1)

/*
 * Xen's fixed PAT, part of the PV ABI: WB, WT, UC-, UC, WC, WP, UC, UC
 * (Xen's XEN_MSR_PAT, arch/x86/include/asm/processor.h).
 */
#define PV_MSR_PAT                      0x0000050100070406ull

/* Xen's hypervisor CPUID leaves and MSR (Xen public arch-x86/cpuid.h). */
#ifndef XEN_CPUID_FIRST_LEAF
#define XEN_CPUID_FIRST_LEAF            0x40000000u
#define XEN_CPUID_SIGNATURE_EBX         0x566e6558u    /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX         0x65584d4du    /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX         0x4d4d566eu    /* "nVMM" */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD (1u << 0)
#define XEN_CPUID_MAX_NUM_LEAVES        5
#endif
#define PV_XEN_CPUID_LAST_LEAF          0x400001ffu    /* Xen's range ends */
#define PV_XEN_MSR_BASE                 0x40000000u    /* hypercall page MSR */
#define PV_XEN_MSR_LAST                 0x400002ffu

/* The forced-emulation prefix: ud2 ; .ascii "xen" (public arch-x86/xen.h). */
#define PV_EMUL_PREFIX_LEN              5

/* ---- The emulator interface ------------------------------------------- */

enum pv_emul_result {
    EMUL_DONE,          /* handled: registers updated, rip advanced (or left
                         * on the instruction to restart a rep/retry) */
    EMUL_EXCEPTION,     /* inject the exception described by the fault */
    EMUL_UNHANDLED,     /* not emulated: deliver the original fault */
};

struct pv_emul_fault {
    unsigned int vector;        /* EMUL_EXCEPTION: X86_EXC_* */
    bool has_error_code;
    uint32_t error_code;        /* #PF: 0 or X86_PFEC_WRITE; the caller adds
                                 * the user bit for the guest's mode */
    uint64_t cr2;               /* #PF: linear address */
    uint32_t dr6;               /* EMUL_DONE: if non-zero, OR these DR6 bits
                                 * (B0-B3, BS) into the guest's DR6 and
                                 * inject #DB (a trap, after the insn) */
};

/* What the decoders need to know about the vCPU, filled by the caller. */
struct pv_emul_vcpu {
    bool kernel_mode;           /* guest kernel context (CPL3 in hardware) */
    bool compat_cs;             /* running 32-bit code (CS.L clear) */
    unsigned int iopl;          /* virtual IOPL, 0-3 (PHYSDEVOP_set_iopl) */
    bool architectural_iopl;    /* VMASST_TYPE_architectural_iopl */
    uint64_t cr4;               /* guest-visible CR4 */
    uint64_t host_cr4;          /* hypervisor CR4 (PAE, MCE, OSFXSR, ...) */
    uint64_t cr4_allowed;       /* guest-controllable CR4 bits in policy,
                                 * a subset of PV_CR4_GUEST_MASK */
    bool cpuid_faulting;        /* MISC_FEATURES_ENABLES.CPUID_FAULTING */
    bool rdtscp;                /* RDTSCP visible in the CPUID policy */
    bool rtm;                   /* RTM visible (DR6/DR7 reserved bits) */
    uint64_t xcr0_allowed;      /* pv_xcr0_guest_mask() of the domain */
    uint64_t dr[X86_NR_BREAKPOINTS];  /* DR0-3 */
    uint64_t dr7;               /* guest DR7 incl. emulated I/O enables */
};

/* One CPUID answer. */
struct pv_cpuid_leaf {
    uint32_t a, b, c, d;
};

/* Segment registers, for overrides and the seg_base() callback. */
enum pv_seg {
    PV_SEG_ES, PV_SEG_CS, PV_SEG_SS, PV_SEG_DS, PV_SEG_FS, PV_SEG_GS,
    PV_SEG_NONE,
};

/*
 * Effects, supplied by the caller.  A NULL hook makes the instructions that
 * need it EMUL_UNHANDLED.  Return conventions:
 *   fetch/read_mem/write_mem: bytes copied; fewer than n means the byte at
 *     va + result is not accessible (the emulator raises #PF there).
 *   read_cr/write_cr/read_dr/write_dr/read_msr/write_msr/xsetbv: 0, or a
 *     negative errno for #GP(0); write_cr(3) may return -ERESTART to have
 *     the instruction re-executed (preemption).
 *   update_pte: 0 applied; -EAGAIN a cmpxchg found a different value (the
 *     instruction is re-executed); other negative: refused (the original
 *     #PF is delivered).
 */
struct pv_emul_ops {
    unsigned int (*fetch)(void *ctx, uint64_t va, uint8_t *buf,
                          unsigned int n);
    unsigned int (*read_mem)(void *ctx, uint64_t va, void *buf,
                             unsigned int n);
    unsigned int (*write_mem)(void *ctx, uint64_t va, const void *buf,
                              unsigned int n);
    uint64_t (*seg_base)(void *ctx, enum pv_seg seg);   /* FS or GS */

    /* I/O bitmap (set_iobitmap); asked only when the IOPL does not allow. */
    bool (*io_allowed)(void *ctx, uint16_t port, unsigned int bytes);
    uint32_t (*io_read)(void *ctx, uint16_t port, unsigned int bytes);
    void (*io_write)(void *ctx, uint16_t port, unsigned int bytes,
                     uint32_t val);

    int (*read_cr)(void *ctx, unsigned int cr, uint64_t *val);
    int (*write_cr)(void *ctx, unsigned int cr, uint64_t val);
    int (*read_dr)(void *ctx, unsigned int dr, uint64_t *val);
    int (*write_dr)(void *ctx, unsigned int dr, uint64_t val);
    int (*read_msr)(void *ctx, uint32_t msr, uint64_t *val);
    int (*write_msr)(void *ctx, uint32_t msr, uint64_t val);
    void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
                  struct pv_cpuid_leaf *res);
    uint64_t (*rdtsc)(void *ctx);
    void (*wbinvd)(void *ctx);
    int (*xsetbv)(void *ctx, uint32_t xcr, uint64_t val);

    int (*update_pte)(void *ctx, uint64_t va, uint64_t old, uint64_t new,
                      bool cmpxchg);
};

/* Most iterations of a rep ins/outs done per call (then re-executed). */
#define PV_EMUL_MAX_REPS   64

/*
 * #GP with error code 0 from guest mode: in/out/ins/outs, cli/sti, clts,
 * wbinvd, mov to/from CR and DR, rdmsr/wrmsr, rdtsc/rdtscp, cpuid and
 * xsetbv.  Anything else, or a non-zero error code, is EMUL_UNHANDLED.
 */
enum pv_emul_result pv_emulate_privop(struct cpu_user_regs *regs,
                                      const struct pv_emul_ops *ops, void *ctx,
                                      const struct pv_emul_vcpu *vcpu,
                                      struct pv_emul_fault *fault);

/* #UD from guest mode: the forced-emulation prefix followed by CPUID. */
enum pv_emul_result pv_emulate_invop(struct cpu_user_regs *regs,
                                     const struct pv_emul_ops *ops, void *ctx,
                                     const struct pv_emul_vcpu *vcpu,
                                     struct pv_emul_fault *fault);

/*
 * Write-protect #PF at cr2, which the caller found to be a read-only
 * mapping of one of the guest's own L1 page tables: decode the write and
 * hand the resulting 8-byte entry to update_pte().
 */
enum pv_emul_result pv_emulate_ptwr(struct cpu_user_regs *regs,
                                    const struct pv_emul_ops *ops, void *ctx,
                                    const struct pv_emul_vcpu *vcpu,
                                    uint64_t cr2, struct pv_emul_fault *fault);

/* ---- Pure policy helpers (arch/x86/pv/emul-priv-op.c) ----------------- */

/* CR4 bits a PV guest controls, and those it sees from the hypervisor. */
#define PV_CR4_GUEST_MASK \
    (X86_CR4_TSD | X86_CR4_DE | X86_CR4_FSGSBASE | X86_CR4_OSXSAVE)
#define PV_CR4_GUEST_VISIBLE_MASK \
    (X86_CR4_PAE | X86_CR4_MCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

/* The guest-visible CR4 after the guest writes `val`. */
uint64_t pv_cr4_fixup(uint64_t val, uint64_t host_cr4, uint64_t allowed);

/* May the vCPU use cli/sti and all ports (virtual IOPL)? */
bool pv_iopl_ok(const struct pv_emul_vcpu *vcpu);

/*
 * Validate a guest write of `val` to DR`reg` (0-7; 4/5 alias 6/7 without
 * CR4.DE).  Returns 0 with *dr the register really written and *out the
 * value to store, -ENODEV (#UD), or -EINVAL/-EPERM (#GP(0)).
 */
int pv_dr_write_check(unsigned int reg, uint64_t val, uint64_t cr4, bool rtm,
                      unsigned int *dr, uint64_t *out);

/* DR7 enable bits of active I/O breakpoints (emulated, not loaded). */
uint32_t pv_dr7_io_enables(uint64_t dr7);

/* Is `xcr0` a value XSETBV may load, given the domain's allowed mask? */
bool pv_xcr0_valid(uint64_t xcr0, uint64_t allowed);

/* ---- MSR policy (arch/x86/pv/emul-priv-op.c) -------------------------- */

enum pv_cpu_vendor {
    PV_VENDOR_INTEL, PV_VENDOR_AMD, PV_VENDOR_HYGON, PV_VENDOR_OTHER,
};

/* The MSR state of one vCPU with its domain's policy, kept by the caller. */
struct pv_msr_state {
    /* Domain policy (constant after creation). */
    enum pv_cpu_vendor vendor;
    unsigned int family;            /* CPUID display family */
    bool cpuid_faulting_avail;      /* PLATFORM_INFO.CPUID_FAULTING */
    bool spec_ctrl;                 /* IBRSB (or AMD IBRS) in CPUID */
    bool ibpb;                      /* IBRSB or IBPB in CPUID */
    bool ssbd, psfd;                /* SPEC_CTRL.SSBD/PSFD usable */
    bool arch_caps;                 /* ARCH_CAPS in CPUID */
    uint64_t arch_caps_val;
    bool tsc_aux;                   /* RDTSCP or RDPID in CPUID */
    bool dbext;                     /* AMD DBEXT in CPUID */
    /* Host values, read once by the caller. */
    uint64_t host_efer;
    bool host_misc_enable_ok;       /* MISC_ENABLE exists (Intel) */
    uint64_t host_misc_enable;
    uint64_t host_platform_id;
    uint64_t host_ucode_rev;
    /* vCPU state. */
    unsigned int vcpu_id;
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint64_t spec_ctrl_val;
    uint64_t misc_features_enables;
    uint32_t tsc_aux_val;
    uint32_t dr_mask[X86_NR_BREAKPOINTS];
};

enum pv_msr_result {
    PV_MSR_GP = -1,     /* #GP(0) to the guest */
    PV_MSR_OK = 0,      /* read: *val is the answer; write: st updated */
    PV_MSR_APPLY,       /* write accepted, st updated: the caller must
                         * also apply it now (load FS/GS base, IBPB,
                         * TSC_AUX, DR masks, CPUID faulting) */
    PV_MSR_IGNORED,     /* write accepted and dropped */
    PV_MSR_CALLER,      /* allowed, value/effect is the caller's: TSC
                         * read, hypercall page write (gfn = val >> 12) */
};

enum pv_msr_result pv_msr_read_policy(uint32_t msr,
                                      const struct pv_msr_state *st,
                                      uint64_t *val);
enum pv_msr_result pv_msr_write_policy(uint32_t msr, uint64_t val,
                                       struct pv_msr_state *st);

/* ---- CPUID policy (arch/x86/pv/emul-cpuid.c) -------------------------- */

/* Xen leaf 4 (0x40000003): the domain's TSC parameters. */
struct pv_cpuid_tsc {
    bool vtsc;                      /* TSC is emulated */
    bool host_tsc_safe;             /* host TSC reliable (invariant) */
    bool host_rdtscp;
    uint32_t tsc_mode, tsc_khz, incarnation;
    uint64_t offset;                /* vtsc offset (reported only !vtsc) */
    uint32_t mul_frac;              /* tsc -> ns conversion */
    int8_t shift;
    uint32_t cpu_khz;               /* physical */
};

struct pv_cpuid_ctx {
    enum pv_cpu_vendor vendor;
    uint32_t host_basic_max;        /* host CPUID.0.EAX */
    uint32_t host_extd_max;         /* host CPUID.0x80000000.EAX */
    unsigned int vcpu_id;
    bool hardware_domain;
    bool kernel_mode;               /* guest kernel context */
    bool via_ud;                    /* forced emulation (#UD), not #GP */
    uint64_t guest_cr4;             /* OSXSAVE, PKE */
    bool host_osxsave;              /* hypervisor CR4.OSXSAVE */
    uint64_t xcr0_max;              /* state Keel has enabled in XCR0 */
    uint32_t xsave_size_max;        /* XSAVE area size for xcr0_max */
    struct pv_cpuid_leaf host_leaf1;    /* host CPUID.1 (feature bits) */
    struct pv_cpuid_leaf host_leaf7;    /* host CPUID.7.0 */
    unsigned int max_phys_bits;     /* paging limit on guest addresses */
    unsigned int machine_addr_bits; /* Xen leaf 6: highest MFN bit + 12 */
    uint16_t xen_major, xen_minor;  /* advertised Xen version */
    struct pv_cpuid_tsc tsc;
};

/*
 * The PV guest's view of CPUID(leaf, subleaf), from the host's raw answer
 * to the same question (executed with the guest's XCR0 loaded).
 */
void pv_cpuid_policy(uint32_t leaf, uint32_t subleaf,
                     const struct pv_cpuid_leaf *host,
                     struct pv_cpuid_leaf *out, const struct pv_cpuid_ctx *c);

/* XCR0 components a guest may enable, given what Keel enabled. */
uint64_t pv_xcr0_guest_mask(uint64_t xcr0_max);

/* ---- Instruction decoding (arch/x86/pv/emul-insn.c) ------------------- */

#define PV_INSN_MAX_LEN    15

/* Helper return values (0 is success). */
#define PV_INSN_FAULT      (-1)     /* fault filled in: EMUL_EXCEPTION */
#define PV_INSN_UNSUP      (-2)     /* a form we do not emulate */

#define PV_PFX_REPNE       0xf2
#define PV_PFX_REP         0xf3

struct pv_insn {
    uint64_t rip;                   /* first byte */
    bool compat;                    /* 32-bit code segment */
    uint8_t buf[PV_INSN_MAX_LEN];
    unsigned int avail;             /* bytes fetched */
    unsigned int len;               /* bytes consumed */
    /* Prefixes. */
    bool opsize, adsize, lock;
    uint8_t rep;                    /* last of F2/F3, or 0 */
    enum pv_seg seg;                /* override, PV_SEG_NONE if none */
    uint8_t rex;                    /* 0 if none */
    /* ModRM operand. */
    unsigned int mod, reg, rm;      /* reg/rm extended by REX.R/REX.B */
    bool has_base, has_index, rip_rel;
    unsigned int base, index, scale;
    int64_t disp;
};

#define PV_REX_B              (1 << 0)
#define PV_REX_X              (1 << 1)
#define PV_REX_R              (1 << 2)
#define PV_REX_W              (1 << 3)

void pv_insn_init(struct pv_insn *in, uint64_t rip, bool compat,
                  const struct pv_emul_ops *ops, void *ctx);
int pv_insn_byte(struct pv_insn *in, uint8_t *b, struct pv_emul_fault *f);
int pv_insn_prefixes(struct pv_insn *in, uint8_t *opcode,
                     struct pv_emul_fault *f);
int pv_insn_modrm(struct pv_insn *in, struct pv_emul_fault *f);
int pv_insn_imm(struct pv_insn *in, unsigned int bytes, uint64_t *val,
                struct pv_emul_fault *f);
unsigned int pv_insn_opsize(const struct pv_insn *in);
uint64_t pv_insn_ea(const struct pv_insn *in,
                    const struct cpu_user_regs *regs);
uint64_t pv_insn_next_rip(const struct pv_insn *in);

uint64_t pv_gpr_read(const struct cpu_user_regs *regs, unsigned int n,
                     unsigned int bytes, uint8_t rex);
void pv_gpr_write(struct cpu_user_regs *regs, unsigned int n,
                  unsigned int bytes, uint8_t rex, uint64_t val);
uint64_t *pv_gpr(struct cpu_user_regs *regs, unsigned int n);
uint64_t pv_size_mask(unsigned int bytes);

void pv_emul_raise(struct pv_emul_fault *f, unsigned int vector,
                   bool has_ec, uint32_t ec);
void pv_emul_page_fault(struct pv_emul_fault *f, uint64_t va, uint32_t ec);
void pv_emul_retire(struct cpu_user_regs *regs, const struct pv_insn *in,
                    struct pv_emul_fault *f);

/* Canonical and outside the hypervisor's reserved range? */
bool pv_guest_addr_ok(uint64_t va, unsigned int bytes);

#endif /* ASM_PV_EMULATE_H */
