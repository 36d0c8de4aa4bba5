/*
 * Privileged-instruction emulation for PV guests: the #GP(0) path
 * (in/out/ins/outs, cli/sti, clts, wbinvd, mov CR/DR, rdmsr/wrmsr,
 * rdtsc/rdtscp, cpuid, xsetbv), the #UD path (forced-emulation CPUID), and
 * the pure policies they apply: guest CR4 fix-up, debug-register checks,
 * XCR0 validity, virtual IOPL, and which MSRs a PV guest may read or write.
 *
 * Guest kernels run at CPL3, so "ring 0" below means the vCPU's kernel
 * context (pv_emul_vcpu.kernel_mode).  Every decision is taken here from
 * the decoded bytes and the vCPU snapshot; callbacks only carry out effects
 * already judged legal, so nothing a guest supplies reaches hardware
 * unchecked.  An instruction either completes (rip moves past it), is
 * restarted (rip unchanged: a bounded rep, or a preempted CR3 load), raises
 * a precise exception, or is left to the caller as the original fault.
 *
 * Behaviour follows Xen 4.17 (xen/arch/x86/pv/emul-priv-op.c,
 * xen/arch/x86/x86_emulate/x86_emulate.c, xen/arch/x86/msr.c,
 * xen/arch/x86/pv/misc-hypercalls.c, xen/arch/x86/pv/emul-inv-op.c).
 */
#include <keel/errno.h>
#include <keel/types.h>
#include <asm/apic.h>
#include <asm/pv/emulate.h>

#define CR_DR_REG_MASK      7           /* DR8-15 do not exist */
#define CANONICAL_BITS      48
#define GUEST_PAGE_OFF_MASK 0xfffull    /* low bits of the hypercall MSR */
#define AMD_FAM10H          0x10
#define AMD_FAM17H          0x17
#define ADDR32_MASK         0xffffffffull
#define PORT_MASK           0xffffu
#define IOPL_CPL_KERNEL     1           /* PV kernels run in "ring 1" */
#define IOPL_CPL_USER       3

/* The bytes of the forced-emulation prefix and of CPUID. */
static const uint8_t emul_prefix[PV_EMUL_PREFIX_LEN] = {
    0x0f, 0x0b, 'x', 'e', 'n'
};
static const uint8_t cpuid_insn[] = { 0x0f, 0xa2 };

/* ---- Pure policy ------------------------------------------------------ */

/*
 * Xen pv_fixup_guest_cr4() (pv/domain.c): bits the guest controls survive
 * only if the policy offers the feature; visible bits come from the
 * hypervisor's CR4; everything else is silently dropped (never #GP).
 */
uint64_t pv_cr4_fixup(uint64_t val, uint64_t host_cr4, uint64_t allowed)
{
    return (val & allowed & PV_CR4_GUEST_MASK) |
           (host_cr4 & PV_CR4_GUEST_VISIBLE_MASK);
}

/*
 * Xen iopl_ok(): a PV kernel is treated as CPL1 (CPL0 with the
 * architectural_iopl assist), user space as CPL3.
 */
bool pv_iopl_ok(const struct pv_emul_vcpu *vcpu)
{
    unsigned int cpl = !vcpu->kernel_mode ? IOPL_CPL_USER :
                       vcpu->architectural_iopl ? 0 : IOPL_CPL_KERNEL;

    return cpl <= vcpu->iopl;
}

static unsigned int dr7_rw(uint64_t dr7, unsigned int i)
{
    return (dr7 >> (X86_DR7_CTL_SHIFT + i * X86_DR7_CTL_BITS)) & 3;
}

static unsigned int dr7_len(uint64_t dr7, unsigned int i)
{
    return (dr7 >> (X86_DR7_CTL_SHIFT + i * X86_DR7_CTL_BITS +
                    X86_DR7_LEN_SHIFT)) & 3;
}

/* Xen set_debugreg(): enable bits of breakpoints with R/W = I/O. */
uint32_t pv_dr7_io_enables(uint64_t dr7)
{
    uint32_t en = 0;
    unsigned int i;

    if ( !(dr7 & X86_DR7_ACTIVE) )
        return 0;
    for ( i = 0; i < X86_NR_BREAKPOINTS; i++ )
        if ( dr7_rw(dr7, i) == X86_DR7_RW_IO )
            en |= dr7 & (3u << (i * 2));
    return en;
}

/*
 * Xen set_debugreg() (pv/misc-hypercalls.c) and x86emul_write_dr():
 *  DR0-3: the address must pass __addr_ok() (not in the hypervisor hole,
 *         not non-canonical), else -EPERM.
 *  DR4/5: #UD (-ENODEV) with CR4.DE, else aliases of DR6/7.
 *  DR6/7: upper 32 bits must be zero (-EINVAL); reserved bits are forced
 *         (adjust_dr6_rsvd/adjust_dr7_rsvd: RTM bits reserved without RTM);
 *         DR7.GD is refused (-EPERM); an enabled I/O breakpoint needs
 *         CR4.DE (-EPERM).
 */
int pv_dr_write_check(unsigned int reg, uint64_t val, uint64_t cr4, bool rtm,
                      unsigned int *dr, uint64_t *out)
{
    switch ( reg )
    {
    case 0: case 1: case 2: case 3:
        if ( !pv_guest_addr_ok(val, 1) )
            return -EPERM;
        break;

    case 4:
    case 5:
        if ( cr4 & X86_CR4_DE )
            return -ENODEV;
        reg += 2;
        /* fall through */
    case 6:
    case 7:
        if ( val != (uint32_t)val )
            return -EINVAL;
        if ( reg == 6 )
        {
            val |= X86_DR6_MBS | (rtm ? 0 : X86_DR6_RTM);
            val &= ~(uint64_t)X86_DR6_MBZ;
            break;
        }
        val &= ~(uint64_t)(X86_DR7_MBZ | (rtm ? 0 : X86_DR7_RTM));
        val |= X86_DR7_MBS;
        if ( val & X86_DR7_GD )
            return -EPERM;
        if ( pv_dr7_io_enables(val) && !(cr4 & X86_CR4_DE) )
            return -EPERM;
        break;

    default:
        return -ENODEV;
    }

    *dr = reg;
    *out = val;
    return 0;
}

/*
 * Xen handle_xsetbv()/valid_xcr0() (xstate.c): only allowed components;
 * x87 always; YMM needs SSE; the AVX-512 trio needs YMM and comes whole;
 * MPX's two components come together.
 */
bool pv_xcr0_valid(uint64_t xcr0, uint64_t allowed)
{
    if ( (xcr0 & ~allowed) || !(xcr0 & X86_XCR0_X87) )
        return false;
    if ( (xcr0 & X86_XCR0_YMM) && !(xcr0 & X86_XCR0_SSE) )
        return false;
    if ( (xcr0 & X86_XCR0_AVX512) &&
         (!(xcr0 & X86_XCR0_YMM) ||
          (xcr0 & X86_XCR0_AVX512) != X86_XCR0_AVX512) )
        return false;
    return !(xcr0 & X86_XCR0_BNDREGS) == !(xcr0 & X86_XCR0_BNDCSR);
}

/* Xen check_guest_io_breakpoint(): DR6 B0-B3 for I/O breakpoints hit. */
static uint32_t io_breakpoints(const struct pv_emul_vcpu *v,
                               unsigned int port, unsigned int len)
{
    static const unsigned int width[] = { 1, 2, 8, 4 };  /* LEN encoding */
    uint32_t en = pv_dr7_io_enables(v->dr7), match = 0;
    unsigned int i;

    if ( !en || !(v->cr4 & X86_CR4_DE) )
        return 0;
    for ( i = 0; i < X86_NR_BREAKPOINTS; i++ )
    {
        uint64_t start = v->dr[i];

        if ( !(en & (3u << (i * 2))) )
            continue;
        if ( start < port + len && start + width[dr7_len(v->dr7, i)] > port )
            match |= 1u << i;
    }
    return match;
}

/* ---- MSR policy ------------------------------------------------------- */

static bool is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << (64 - CANONICAL_BITS)) >>
                      (64 - CANONICAL_BITS)) == va;
}

static bool vendor_amd(const struct pv_msr_state *st)
{
    return st->vendor == PV_VENDOR_AMD || st->vendor == PV_VENDOR_HYGON;
}

/* Xen guest_efer(): known bits of the host EFER, SVME always hidden. */
static uint64_t guest_efer(const struct pv_msr_state *st)
{
    return st->host_efer &
           (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSR);
}

/* Xen guest_misc_enable(). */
static uint64_t guest_misc_enable(uint64_t host)
{
    return (host & ~(MISC_ENABLE_PERF_AVAIL | MISC_ENABLE_MONITOR_ENABLE)) |
           MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL |
           MISC_ENABLE_XTPR_DISABLE;
}

/* Xen msr_spec_ctrl_valid_bits() (STIBP is always accepted). */
static uint64_t spec_ctrl_valid(const struct pv_msr_state *st)
{
    return SPEC_CTRL_IBRS | SPEC_CTRL_STIBP |
           (st->ssbd ? SPEC_CTRL_SSBD : 0) | (st->psfd ? SPEC_CTRL_PSFD : 0);
}

static int dr_mask_index(uint32_t msr)
{
    if ( msr == MSR_AMD64_DR0_ADDRESS_MASK )
        return 0;
    if ( msr >= MSR_AMD64_DR1_ADDRESS_MASK &&
         msr <= MSR_AMD64_DR3_ADDRESS_MASK )
        return msr - MSR_AMD64_DR1_ADDRESS_MASK + 1;
    return -1;
}

/*
 * Performance counters.  Xen 4.17 with vPMU off (its default) services
 * these through vpmu_do_msr()'s "nop" path: reads 0, writes dropped, for
 * the vendor the ranges belong to; other vendors fall to #GP.
 */
static bool pmu_msr(const struct pv_msr_state *st, uint32_t msr)
{
    if ( st->vendor == PV_VENDOR_INTEL )
        return (msr >= MSR_P6_PERFCTR0 && msr <= MSR_P6_PERFCTR7) ||
               (msr >= MSR_P6_EVNTSEL0 && msr <= MSR_P6_EVNTSEL3) ||
               (msr >= MSR_CORE_PERF_FIXED_CTR0 &&
                msr <= MSR_CORE_PERF_FIXED_CTR2) ||
               (msr >= MSR_CORE_PERF_FIXED_CTR_CTRL &&
                msr <= MSR_CORE_PERF_GLOBAL_OVF_CTRL);
    if ( vendor_amd(st) )
        return (msr >= MSR_K7_EVNTSEL0 && msr <= MSR_K7_PERFCTR3) ||
               (msr >= MSR_AMD_FAM15H_EVNTSEL0 &&
                msr <= MSR_AMD_FAM15H_PERFCTR5);
    return false;
}

/* AMD P-state/FID-VID MSRs: read 0 (reads AMD only), writes dropped. */
static bool amd_pstate_msr(uint32_t msr)
{
    return msr == MSR_K7_FID_VID_CTL || msr == MSR_K7_FID_VID_STATUS ||
           (msr >= MSR_K8_PSTATE_LIMIT && msr <= MSR_K8_PSTATE7);
}

static bool fam10h_mmio_conf(const struct pv_msr_state *st)
{
    return st->vendor == PV_VENDOR_AMD && st->family >= AMD_FAM10H &&
           st->family < AMD_FAM17H;
}

/*
 * What a PV guest reads from `msr`.  Sources: Xen 4.17 read_msr()
 * (pv/emul-priv-op.c) and guest_rdmsr() (msr.c); everything not listed is
 * #GP, Xen's default without msr_relaxed.
 */
enum pv_msr_result pv_msr_read_policy(uint32_t msr,
                                      const struct pv_msr_state *st,
                                      uint64_t *val)
{
    int idx;

    *val = 0;

    switch ( msr )
    {
    case MSR_APIC_BASE:             /* Linux PV guests read it */
        *val = APIC_BASE_ENABLE | APIC_DEFAULT_PHYS |
               (st->vcpu_id == 0 ? APIC_BASE_BSP : 0);
        return PV_MSR_OK;

    case MSR_FS_BASE:
        *val = st->fs_base;
        return PV_MSR_OK;
    case MSR_GS_BASE:
        *val = st->gs_base_kernel;
        return PV_MSR_OK;
    case MSR_SHADOW_GS_BASE:
        *val = st->gs_base_user;
        return PV_MSR_OK;

    case MSR_IA32_TSC:
        return PV_MSR_CALLER;

    case MSR_EFER:
        *val = guest_efer(st);
        return PV_MSR_OK;

    case MSR_IA32_CR_PAT:
        *val = PV_MSR_PAT;
        return PV_MSR_OK;

    case MSR_IA32_MISC_ENABLE:
        if ( !st->host_misc_enable_ok )
            return PV_MSR_GP;
        *val = guest_misc_enable(st->host_misc_enable);
        return PV_MSR_OK;

    case MSR_IA32_PERF_CAPABILITIES:  /* "No extra capabilities" */
    case MSR_AMD64_NB_CFG:
        return PV_MSR_OK;

    case MSR_INTEL_PLATFORM_INFO:
        *val = st->cpuid_faulting_avail ? PLATFORM_INFO_CPUID_FAULTING : 0;
        return PV_MSR_OK;

    case MSR_INTEL_MISC_FEATURES_ENABLES:
        *val = st->misc_features_enables;
        return PV_MSR_OK;

    case MSR_SPEC_CTRL:
        if ( !st->spec_ctrl )
            return PV_MSR_GP;
        *val = st->spec_ctrl_val;
        return PV_MSR_OK;

    case MSR_ARCH_CAPABILITIES:
        if ( !st->arch_caps )
            return PV_MSR_GP;
        *val = st->arch_caps_val;
        return PV_MSR_OK;

    case MSR_TSC_AUX:
        if ( !st->tsc_aux )
            return PV_MSR_GP;
        *val = st->tsc_aux_val;
        return PV_MSR_OK;

    case MSR_IA32_PLATFORM_ID:
        if ( st->vendor != PV_VENDOR_INTEL )
            return PV_MSR_GP;
        *val = st->host_platform_id;
        return PV_MSR_OK;

    case MSR_IA32_UCODE_REV:
        if ( st->vendor != PV_VENDOR_INTEL && st->vendor != PV_VENDOR_AMD )
            return PV_MSR_GP;
        *val = st->host_ucode_rev;
        return PV_MSR_OK;

    case MSR_IA32_PERF_STATUS:
    case MSR_IA32_PERF_CTL:
        return st->vendor == PV_VENDOR_INTEL ? PV_MSR_OK : PV_MSR_GP;

    case MSR_K8_HWCR:
        if ( !vendor_amd(st) )
            return PV_MSR_GP;
        *val = st->family >= AMD_FAM10H ? K8_HWCR_TSC_FREQ_SEL : 0;
        return PV_MSR_OK;

    case MSR_AMD64_DE_CFG:
        if ( !vendor_amd(st) )
            return PV_MSR_GP;
        *val = AMD64_DE_CFG_LFENCE_SERIALISE;
        return PV_MSR_OK;

    case MSR_FAM10H_MMIO_CONF_BASE:
        return fam10h_mmio_conf(st) ? PV_MSR_OK : PV_MSR_GP;

    case PV_XEN_MSR_BASE:           /* hypercall page: reads as zero */
        return PV_MSR_OK;
    }

    if ( (idx = dr_mask_index(msr)) >= 0 )
    {
        if ( !st->dbext )
            return PV_MSR_GP;
        *val = st->dr_mask[idx];
        return PV_MSR_OK;
    }
    if ( amd_pstate_msr(msr) )
        return st->vendor == PV_VENDOR_AMD ? PV_MSR_OK : PV_MSR_GP;
    if ( pmu_msr(st, msr) )
        return PV_MSR_OK;

    /* Write-only (PRED_CMD, FLUSH_CMD, microcode loaders) and the rest. */
    return PV_MSR_GP;
}

/*
 * What a PV guest's write of `val` to `msr` does.  Sources: Xen 4.17
 * write_msr() (pv/emul-priv-op.c) and guest_wrmsr() (msr.c).
 */
enum pv_msr_result pv_msr_write_policy(uint32_t msr, uint64_t val,
                                       struct pv_msr_state *st)
{
    int idx;

    switch ( msr )
    {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_SHADOW_GS_BASE:
        if ( !is_canonical(val) )   /* XSA-193: never load it */
            return PV_MSR_GP;
        if ( msr == MSR_FS_BASE )
            st->fs_base = val;
        else if ( msr == MSR_GS_BASE )
            st->gs_base_kernel = val;
        else
            st->gs_base_user = val;
        return PV_MSR_APPLY;

    case MSR_EFER:                  /* Linux writes back the current value */
        return val == guest_efer(st) ? PV_MSR_IGNORED : PV_MSR_GP;

    case MSR_IA32_MISC_ENABLE:      /* mismatches are only logged by Xen */
        return st->host_misc_enable_ok ? PV_MSR_IGNORED : PV_MSR_GP;

    case MSR_IA32_UCODE_REV:        /* Intel's "write 0 first" protocol */
        return (st->vendor == PV_VENDOR_INTEL && val == 0) ? PV_MSR_IGNORED
                                                           : PV_MSR_GP;

    case MSR_SPEC_CTRL:
        if ( !st->spec_ctrl || (val & ~spec_ctrl_valid(st)) )
            return PV_MSR_GP;
        st->spec_ctrl_val = val;
        return PV_MSR_OK;

    case MSR_PRED_CMD:
        if ( !st->ibpb || (val & ~PRED_CMD_IBPB) )
            return PV_MSR_GP;
        return PV_MSR_APPLY;

    case MSR_INTEL_MISC_FEATURES_ENABLES:
        if ( val & ~(st->cpuid_faulting_avail ? MISC_FEATURES_CPUID_FAULTING
                                              : 0) )
            return PV_MSR_GP;
        st->misc_features_enables = val;
        return PV_MSR_APPLY;

    case MSR_TSC_AUX:
        if ( !st->tsc_aux || val != (uint32_t)val )
            return PV_MSR_GP;
        st->tsc_aux_val = val;
        return PV_MSR_APPLY;

    case MSR_AMD64_DE_CFG:          /* OpenBSD panics on #GP: drop */
    case MSR_K8_HWCR:
        return vendor_amd(st) ? PV_MSR_IGNORED : PV_MSR_GP;

    case MSR_AMD64_NB_CFG:
        return PV_MSR_IGNORED;

    case MSR_FAM10H_MMIO_CONF_BASE:
        return fam10h_mmio_conf(st) ? PV_MSR_IGNORED : PV_MSR_GP;

    case MSR_IA32_MPERF:
    case MSR_IA32_APERF:
        return st->vendor != PV_VENDOR_OTHER ? PV_MSR_IGNORED : PV_MSR_GP;

    case MSR_IA32_PERF_CTL:
    case MSR_IA32_THERM_CONTROL:
    case MSR_IA32_ENERGY_PERF_BIAS:
        return st->vendor == PV_VENDOR_INTEL ? PV_MSR_IGNORED : PV_MSR_GP;

    case PV_XEN_MSR_BASE:           /* only page index 0 is supported */
        return (val & GUEST_PAGE_OFF_MASK) ? PV_MSR_GP : PV_MSR_CALLER;
    }

    if ( (idx = dr_mask_index(msr)) >= 0 )
    {
        if ( !st->dbext || val != (uint32_t)val )
            return PV_MSR_GP;
        st->dr_mask[idx] = val;
        return PV_MSR_APPLY;
    }
    if ( amd_pstate_msr(msr) )
        return vendor_amd(st) ? PV_MSR_IGNORED : PV_MSR_GP;
    if ( pmu_msr(st, msr) )
        return PV_MSR_IGNORED;

    /*
     * Read-only (PLATFORM_INFO, ARCH_CAPABILITIES, PLATFORM_ID), not
     * offered (FLUSH_CMD, microcode loaders, APIC_BASE, PAT, TSC) and
     * unknown MSRs.
     */
    return PV_MSR_GP;
}

/* ---- The #GP path ----------------------------------------------------- */

struct priv_op {
    struct cpu_user_regs *regs;
    const struct pv_emul_ops *ops;
    void *ctx;
    const struct pv_emul_vcpu *v;
    struct pv_emul_fault *f;
    struct pv_insn in;
};

static enum pv_emul_result raise(struct priv_op *p, unsigned int vector)
{
    pv_emul_raise(p->f, vector, vector != X86_EXC_UD, 0);
    return EMUL_EXCEPTION;
}

static enum pv_emul_result complete(struct priv_op *p)
{
    pv_emul_retire(p->regs, &p->in, p->f);
    return EMUL_DONE;
}

/* GPR operand of mov CR/DR: the width of the code segment. */
static unsigned int ctl_reg_bytes(const struct priv_op *p)
{
    return p->in.compat ? 4 : 8;
}

/*
 * ModRM of mov CR/DR and of the 0f 01 group: mod is ignored (always a
 * register operand), so no SIB or displacement follows.
 */
static int modrm_regs(struct priv_op *p, uint8_t *raw, unsigned int *reg,
                      unsigned int *rm)
{
    int rc = pv_insn_byte(&p->in, raw, p->f);

    if ( rc )
        return rc;
    *reg = (*raw >> 3) & 7;
    *rm = *raw & 7;
    if ( p->in.rex & PV_REX_R )
        *reg += 8;
    if ( p->in.rex & PV_REX_B )
        *rm += 8;
    return 0;
}

static bool io_permitted(struct priv_op *p, uint16_t port, unsigned int bytes)
{
    if ( pv_iopl_ok(p->v) )
        return true;
    return p->ops->io_allowed && p->ops->io_allowed(p->ctx, port, bytes);
}

/* in/out with an imm8 port (e4-e7) or the port in DX (ec-ef). */
static enum pv_emul_result emul_in_out(struct priv_op *p, uint8_t op)
{
    bool is_out = op & 2, imm_port = !(op & 8);
    unsigned int bytes = !(op & 1) ? 1 : p->in.opsize ? 2 : 4;
    uint16_t port = p->regs->rdx & PORT_MASK;
    uint64_t imm;

    if ( imm_port )
    {
        if ( pv_insn_imm(&p->in, 1, &imm, p->f) )
            return EMUL_EXCEPTION;
        port = imm & pv_size_mask(1);
    }
    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( is_out ? !p->ops->io_write : !p->ops->io_read )
        return EMUL_UNHANDLED;
    /* Xen guest_io_okay() failing leaves the original #GP. */
    if ( !io_permitted(p, port, bytes) )
        return EMUL_UNHANDLED;

    if ( is_out )
        p->ops->io_write(p->ctx, port, bytes,
                         p->regs->rax & pv_size_mask(bytes));
    else
        pv_gpr_write(p->regs, 0, bytes, 0,
                     p->ops->io_read(p->ctx, port, bytes));

    p->f->dr6 |= io_breakpoints(p->v, port, bytes);
    return complete(p);
}

/* Write back rCX and the index register after `done` string iterations. */
static void string_commit(struct priv_op *p, uint64_t *ptr, uint64_t newptr,
                          uint64_t done)
{
    uint64_t amask = p->in.adsize ? ADDR32_MASK : ~0ull;

    *ptr = newptr & amask;
    if ( p->in.rep )
        p->regs->rcx = (p->regs->rcx - done) & amask;
}

/*
 * ins (6c/6d) and outs (6e/6f), with or without rep.  At most
 * PV_EMUL_MAX_REPS iterations per call; if work remains, rip stays on the
 * instruction so the guest re-executes it (Xen instead stops at
 * hypercall_preempt_check()).  An I/O breakpoint ends the batch after the
 * matching iteration, as in Xen's rep_ins()/rep_outs().  Faults after k
 * iterations commit those k, then raise the exception at the instruction.
 */
static enum pv_emul_result emul_string_io(struct priv_op *p, uint8_t op)
{
    bool is_out = op & 2;
    unsigned int bytes = !(op & 1) ? 1 : p->in.opsize ? 2 : 4;
    uint16_t port = p->regs->rdx & PORT_MASK;
    uint64_t amask = p->in.adsize ? ADDR32_MASK : ~0ull;
    uint64_t *ptr = is_out ? &p->regs->rsi : &p->regs->rdi;
    uint64_t cur = *ptr & amask, count, done = 0, base = 0;
    int64_t step = (p->regs->rflags & X86_EFLAGS_DF) ? -(int64_t)bytes
                                                      : (int64_t)bytes;
    uint32_t bp;

    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( p->in.compat ||
         !(is_out ? (p->ops->io_write && p->ops->read_mem)
                  : (p->ops->io_read && p->ops->write_mem)) )
        return EMUL_UNHANDLED;

    count = p->in.rep ? (p->regs->rcx & amask) : 1;
    if ( count == 0 )
        return complete(p);         /* no iteration, no permission check */

    if ( !io_permitted(p, port, bytes) )
        return EMUL_UNHANDLED;

    /* ins always stores through ES; outs reads DS or an override. */
    if ( is_out && (p->in.seg == PV_SEG_FS || p->in.seg == PV_SEG_GS) )
    {
        if ( !p->ops->seg_base )
            return EMUL_UNHANDLED;
        base = p->ops->seg_base(p->ctx, p->in.seg);
    }

    bp = io_breakpoints(p->v, port, bytes);
    while ( done < count && done < PV_EMUL_MAX_REPS )
    {
        uint64_t va = base + cur;
        uint32_t data = 0;
        unsigned int n;

        if ( !pv_guest_addr_ok(va, bytes) )
        {
            string_commit(p, ptr, cur, done);
            return raise(p, X86_EXC_GP);
        }
        if ( is_out )
        {
            if ( (n = p->ops->read_mem(p->ctx, va, &data, bytes)) < bytes )
            {
                string_commit(p, ptr, cur, done);
                pv_emul_page_fault(p->f, va + n, 0);
                return EMUL_EXCEPTION;
            }
            p->ops->io_write(p->ctx, port, bytes, data);
        }
        else
        {
            data = p->ops->io_read(p->ctx, port, bytes);
            if ( (n = p->ops->write_mem(p->ctx, va, &data, bytes)) < bytes )
            {
                string_commit(p, ptr, cur, done);
                pv_emul_page_fault(p->f, va + n, X86_PFEC_WRITE);
                return EMUL_EXCEPTION;
            }
        }
        cur = (cur + step) & amask;
        done++;
        if ( bp )
            break;
    }

    string_commit(p, ptr, cur, done);
    p->f->dr6 |= bp;
    if ( done < count )
    {
        p->regs->rflags &= ~(uint64_t)X86_EFLAGS_RF;
        return EMUL_DONE;           /* restart: rip stays */
    }
    return complete(p);
}

/* mov CR (0f 20 read, 0f 22 write).  Xen read_cr()/write_cr(). */
static enum pv_emul_result emul_mov_cr(struct priv_op *p, bool write)
{
    unsigned int cr, gpr, bytes = ctl_reg_bytes(p);
    uint64_t val, cur;
    uint8_t raw;
    int rc;

    if ( modrm_regs(p, &raw, &cr, &gpr) )
        return EMUL_EXCEPTION;
    if ( p->in.lock )               /* AMD's CR8 alias: not offered */
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( cr != 0 && cr != 2 && cr != 3 && cr != 4 )
        return EMUL_UNHANDLED;      /* CR8 and the rest: original #GP */
    if ( write ? !p->ops->write_cr : !p->ops->read_cr )
        return EMUL_UNHANDLED;

    if ( !write )
    {
        if ( p->ops->read_cr(p->ctx, cr, &val) )
            return raise(p, X86_EXC_GP);
        pv_gpr_write(p->regs, gpr, bytes, p->in.rex, val);
        return complete(p);
    }

    val = pv_gpr_read(p->regs, gpr, bytes, p->in.rex);
    switch ( cr )
    {
    case 0:                         /* only TS may change */
        if ( !p->ops->read_cr || p->ops->read_cr(p->ctx, 0, &cur) )
            return EMUL_UNHANDLED;
        if ( (val ^ cur) & ~(uint64_t)X86_CR0_TS )
            return raise(p, X86_EXC_GP);
        break;
    case 4:
        val = pv_cr4_fixup(val, p->v->host_cr4, p->v->cr4_allowed);
        break;
    }

    rc = p->ops->write_cr(p->ctx, cr, val);
    if ( rc == -ERESTART )
        return EMUL_DONE;           /* preempted CR3 load: re-execute */
    if ( rc )
        return raise(p, X86_EXC_GP);
    return complete(p);
}

/* mov DR (0f 21 read, 0f 23 write).  Xen x86emul_{read,write}_dr(). */
static enum pv_emul_result emul_mov_dr(struct priv_op *p, bool write)
{
    unsigned int dr, gpr, bytes = ctl_reg_bytes(p);
    uint64_t val;
    uint8_t raw;
    int rc;

    if ( modrm_regs(p, &raw, &dr, &gpr) )
        return EMUL_EXCEPTION;
    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( dr > CR_DR_REG_MASK )
        return raise(p, X86_EXC_UD);
    if ( write ? !p->ops->write_dr : !p->ops->read_dr )
        return EMUL_UNHANDLED;

    if ( !write )
    {
        if ( dr == 4 || dr == 5 )
        {
            if ( p->v->cr4 & X86_CR4_DE )
                return raise(p, X86_EXC_UD);
            dr += 2;
        }
        if ( p->ops->read_dr(p->ctx, dr, &val) )
            return raise(p, X86_EXC_GP);
        pv_gpr_write(p->regs, gpr, bytes, p->in.rex, val);
        return complete(p);
    }

    rc = pv_dr_write_check(dr, pv_gpr_read(p->regs, gpr, bytes, p->in.rex),
                           p->v->cr4, p->v->rtm, &dr, &val);
    if ( rc == -ENODEV )
        return raise(p, X86_EXC_UD);
    if ( rc || p->ops->write_dr(p->ctx, dr, val) )
        return raise(p, X86_EXC_GP);
    return complete(p);
}

/* clts: CR0.TS := 0 through the CR0 hooks, as x86_emulate does. */
static enum pv_emul_result emul_clts(struct priv_op *p)
{
    uint64_t cr0;

    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( !p->ops->read_cr || !p->ops->write_cr ||
         p->ops->read_cr(p->ctx, 0, &cr0) )
        return EMUL_UNHANDLED;
    if ( p->ops->write_cr(p->ctx, 0, cr0 & ~(uint64_t)X86_CR0_TS) )
        return raise(p, X86_EXC_GP);
    return complete(p);
}

/* wbinvd (and F3-prefixed wbnoinvd, hidden from PV: a plain wbinvd). */
static enum pv_emul_result emul_wbinvd(struct priv_op *p)
{
    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( !p->ops->wbinvd )
        return EMUL_UNHANDLED;
    p->ops->wbinvd(p->ctx);         /* the caller ignores it if unprivileged */
    return complete(p);
}

static void set_edx_eax(struct cpu_user_regs *regs, uint64_t val)
{
    regs->rax = (uint32_t)val;
    regs->rdx = val >> 32;
}

static uint64_t get_edx_eax(const struct cpu_user_regs *regs)
{
    return ((uint64_t)(uint32_t)regs->rdx << 32) | (uint32_t)regs->rax;
}

/* rdmsr (0f 32) and wrmsr (0f 30). */
static enum pv_emul_result emul_msr(struct priv_op *p, bool write)
{
    uint32_t msr = p->regs->rcx;
    uint64_t val;

    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( write ? !p->ops->write_msr : !p->ops->read_msr )
        return EMUL_UNHANDLED;

    if ( write )
    {
        if ( p->ops->write_msr(p->ctx, msr, get_edx_eax(p->regs)) )
            return raise(p, X86_EXC_GP);
    }
    else
    {
        if ( p->ops->read_msr(p->ctx, msr, &val) )
            return raise(p, X86_EXC_GP);
        set_edx_eax(p->regs, val);
    }
    return complete(p);
}

/* rdtsc (0f 31) and rdtscp (0f 01 f9): CR4.TSD applies outside ring 0. */
static enum pv_emul_result emul_rdtsc(struct priv_op *p, bool rdtscp)
{
    uint64_t aux = 0;

    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( rdtscp && !p->v->rdtscp )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode && (p->v->cr4 & X86_CR4_TSD) )
        return raise(p, X86_EXC_GP);
    if ( !p->ops->rdtsc || (rdtscp && !p->ops->read_msr) )
        return EMUL_UNHANDLED;
    if ( rdtscp && p->ops->read_msr(p->ctx, MSR_TSC_AUX, &aux) )
        return raise(p, X86_EXC_GP);

    set_edx_eax(p->regs, p->ops->rdtsc(p->ctx));
    if ( rdtscp )
        p->regs->rcx = (uint32_t)aux;
    return complete(p);
}

static void do_cpuid(struct priv_op *p)
{
    struct pv_cpuid_leaf res;

    p->ops->cpuid(p->ctx, p->regs->rax, p->regs->rcx, &res);
    p->regs->rax = res.a;
    p->regs->rbx = res.b;
    p->regs->rcx = res.c;
    p->regs->rdx = res.d;
}

/* cpuid (0f a2): with virtual CPUID faulting, user mode gets #GP(0). */
static enum pv_emul_result emul_cpuid(struct priv_op *p)
{
    if ( p->in.lock )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode && p->v->cpuid_faulting )
        return raise(p, X86_EXC_GP);
    if ( !p->ops->cpuid )
        return EMUL_UNHANDLED;
    do_cpuid(p);
    return complete(p);
}

/*
 * xsetbv (0f 01 d1).  x86_emulate: 66/F2/F3 or LOCK -> #UD, guest
 * CR4.OSXSAVE clear -> #UD, not ring 0 -> #GP(0); then x86emul_write_xcr():
 * only XCR0, and a value handle_xsetbv() accepts, else #GP(0).
 */
static enum pv_emul_result emul_xsetbv(struct priv_op *p)
{
    uint64_t val = get_edx_eax(p->regs);

    if ( p->in.lock || p->in.opsize || p->in.rep )
        return raise(p, X86_EXC_UD);
    if ( !(p->v->cr4 & X86_CR4_OSXSAVE) )
        return raise(p, X86_EXC_UD);
    if ( !p->v->kernel_mode )
        return raise(p, X86_EXC_GP);
    if ( !p->ops->xsetbv )
        return EMUL_UNHANDLED;
    if ( (uint32_t)p->regs->rcx != 0 ||
         !pv_xcr0_valid(val, p->v->xcr0_allowed) ||
         p->ops->xsetbv(p->ctx, 0, val) )
        return raise(p, X86_EXC_GP);
    return complete(p);
}

/* Group 0f 01: only the register forms xsetbv (d1) and rdtscp (f9). */
static enum pv_emul_result emul_grp7(struct priv_op *p)
{
    unsigned int reg, rm;
    uint8_t raw;

    if ( modrm_regs(p, &raw, &reg, &rm) )
        return EMUL_EXCEPTION;
    if ( raw == 0xd1 )
        return emul_xsetbv(p);
    if ( raw == 0xf9 )
        return emul_rdtsc(p, true);
    return EMUL_UNHANDLED;
}

static enum pv_emul_result emul_twobyte(struct priv_op *p)
{
    uint8_t op;

    if ( pv_insn_byte(&p->in, &op, p->f) )
        return EMUL_EXCEPTION;

    switch ( op )
    {
    case 0x01: return emul_grp7(p);
    case 0x06: return emul_clts(p);
    case 0x09: return emul_wbinvd(p);
    case 0x20: return emul_mov_cr(p, false);
    case 0x21: return emul_mov_dr(p, false);
    case 0x22: return emul_mov_cr(p, true);
    case 0x23: return emul_mov_dr(p, true);
    case 0x30: return emul_msr(p, true);
    case 0x31: return emul_rdtsc(p, false);
    case 0x32: return emul_msr(p, false);
    case 0xa2: return emul_cpuid(p);
    }
    return EMUL_UNHANDLED;          /* invd, lmsw, hlt, ...: #GP as is */
}

enum pv_emul_result pv_emulate_privop(struct cpu_user_regs *regs,
                                      const struct pv_emul_ops *ops, void *ctx,
                                      const struct pv_emul_vcpu *vcpu,
                                      struct pv_emul_fault *fault)
{
    struct priv_op p = {
        .regs = regs, .ops = ops, .ctx = ctx, .v = vcpu, .f = fault,
    };
    uint8_t op;

    *fault = (struct pv_emul_fault){ 0 };

    /* Xen do_general_protection(): only #GP(0) is a candidate. */
    if ( regs->error_code != 0 || !ops->fetch )
        return EMUL_UNHANDLED;

    pv_insn_init(&p.in, regs->rip, vcpu->compat_cs, ops, ctx);
    if ( pv_insn_prefixes(&p.in, &op, fault) )
        return EMUL_EXCEPTION;

    switch ( op )
    {
    case 0x0f:
        return emul_twobyte(&p);
    case 0x6c: case 0x6d: case 0x6e: case 0x6f:
        return emul_string_io(&p, op);
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
    case 0xec: case 0xed: case 0xee: case 0xef:
        return emul_in_out(&p, op);
    case 0xfa: case 0xfb:
        /*
         * Xen's validate(): with enough virtual IOPL, cli/sti complete and
         * change nothing (the event mask is the guest's business).
         */
        if ( p.in.lock )
            return raise(&p, X86_EXC_UD);
        return pv_iopl_ok(vcpu) ? complete(&p) : EMUL_UNHANDLED;
    }
    return EMUL_UNHANDLED;
}

/* ---- The #UD path ----------------------------------------------------- */

/*
 * Xen emulate_forced_invalid_op(): "ud2; .ascii \"xen\"" then exactly
 * 0f a2.  Anything else is the guest's #UD.  With virtual CPUID faulting
 * on, user mode gets #GP with rip moved past the prefix onto the cpuid.
 */
enum pv_emul_result pv_emulate_invop(struct cpu_user_regs *regs,
                                     const struct pv_emul_ops *ops, void *ctx,
                                     const struct pv_emul_vcpu *vcpu,
                                     struct pv_emul_fault *fault)
{
    struct priv_op p = {
        .regs = regs, .ops = ops, .ctx = ctx, .v = vcpu, .f = fault,
    };
    unsigned int i, total = PV_EMUL_PREFIX_LEN + sizeof(cpuid_insn);

    *fault = (struct pv_emul_fault){ 0 };
    if ( !ops->fetch )
        return EMUL_UNHANDLED;

    pv_insn_init(&p.in, regs->rip, vcpu->compat_cs, ops, ctx);
    for ( i = 0; i < total; i++ )
    {
        uint8_t want = i < PV_EMUL_PREFIX_LEN
                       ? emul_prefix[i] : cpuid_insn[i - PV_EMUL_PREFIX_LEN];
        uint8_t b;

        if ( pv_insn_byte(&p.in, &b, fault) )
            return EMUL_EXCEPTION;
        if ( b != want )
            return EMUL_UNHANDLED;
    }

    if ( vcpu->cpuid_faulting && !vcpu->kernel_mode )
    {
        regs->rip = p.in.rip + PV_EMUL_PREFIX_LEN;
        return raise(&p, X86_EXC_GP);
    }
    if ( !ops->cpuid )
        return EMUL_UNHANDLED;

    do_cpuid(&p);
    return complete(&p);
}
