/*
 * Glue between the pure instruction emulators (emul-priv-op.c,
 * emul-cpuid.c, emul-ptwr.c) and a running PV vCPU: the callbacks that
 * reach guest memory, ports, control/debug registers, MSRs and page
 * tables, and the translation of the emulator's verdict into "resume",
 * "inject this exception" or "deliver the original fault".
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/lib.h>
#include <asm/acpi.h>
#include <asm/cpufeature.h>
#include <keel/console_params.h>
#include <keel/serial.h>
#include <asm/io.h>
#include <asm/mm.h>
#include <asm/processor.h>
#include <asm/pv/emulate.h>
#include <asm/pv/traps.h>
#include <asm/time.h>
#include <keel/hypercall.h>
#include <public/xen.h>

#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17
#define X86_PFEC_USER (1u << 2)
#define UART_NR_REGS  8
#define CPUID_EXT_RDTSCP (1u << 27)

static unsigned int copy_partial(void *dst, uint64_t va, unsigned int n,
                                 bool to_guest, const void *src)
{
    unsigned int i;

    /* Byte-wise on failure, to report exactly where the fault is. */
    if ( to_guest ? !copy_to_guest(va, src, n) : !copy_from_guest(dst, va, n) )
        return n;
    for ( i = 0; i < n; i++ )
        if ( to_guest ? copy_to_guest(va + i, (const char *)src + i, 1)
                      : copy_from_guest((char *)dst + i, va + i, 1) )
            break;
    return i;
}

static unsigned int op_fetch(void *ctx, uint64_t va, uint8_t *buf,
                             unsigned int n)
{
    return copy_partial(buf, va, n, false, NULL);
}

static unsigned int op_read_mem(void *ctx, uint64_t va, void *buf,
                                unsigned int n)
{
    return copy_partial(buf, va, n, false, NULL);
}

static unsigned int op_write_mem(void *ctx, uint64_t va, const void *buf,
                                 unsigned int n)
{
    return copy_partial(NULL, va, n, true, buf);
}

static uint64_t op_seg_base(void *ctx, enum pv_seg seg)
{
    if ( seg == PV_SEG_FS )
        return rdmsr(MSR_FS_BASE);
    if ( seg == PV_SEG_GS )
        return rdmsr(MSR_GS_BASE);
    return 0;
}

/* The guest's own I/O bitmap (set_iobitmap): a set bit denies the port. */
static bool op_io_allowed(void *ctx, uint16_t port, unsigned int bytes)
{
    const struct vcpu *v = current;
    uint16_t bits;
    unsigned int i;

    if ( !v->arch.iobmp || port + bytes > v->arch.iobmp_limit )
        return false;
    if ( copy_from_guest(&bits, v->arch.iobmp + port / 8, sizeof(bits)) )
        return false;
    for ( i = 0; i < bytes; i++ )
        if ( bits & (1u << ((port & 7) + i)) )
            return false;
    return true;
}

/*
 * Ports Keel keeps for itself, as Xen does for dom0: the PICs, the PIT
 * and speaker gate, the ACPI PM timer, PCI configuration data (mediated
 * later) and the UARTs of Keel's own serial console.
 */
static const struct { uint16_t first, last; } hypervisor_ports[] = {
    { 0x20, 0x21 }, { 0xa0, 0xa1 }, { 0x40, 0x43 }, { 0x61, 0x61 },
    { 0xcfc, 0xcff },
};

static bool range_hits(uint16_t port, unsigned int bytes, uint16_t first,
                       uint16_t last)
{
    return port <= last && port + bytes - 1 >= first;
}

static bool admin_io_ok(const struct domain *d, uint16_t port,
                        unsigned int bytes)
{
    unsigned int i;

    if ( !d->is_privileged )
        return false;
    for ( i = 0; i < ARRAY_SIZE(hypervisor_ports); i++ )
        if ( range_hits(port, bytes, hypervisor_ports[i].first,
                        hypervisor_ports[i].last) )
            return false;
    if ( acpi_info.pm_tmr_port &&
         range_hits(port, bytes, acpi_info.pm_tmr_port,
                    acpi_info.pm_tmr_port + 3) )
        return false;
    for ( i = 0; i < SERIAL_NR_PORTS; i++ )
        if ( serial_active(i) &&
             range_hits(port, bytes, serial_io_base(i),
                        serial_io_base(i) + UART_NR_REGS - 1) )
            return false;
    return true;
}

/*
 * Ports themselves: the hardware domain reaches the machine's ports
 * except Keel's own (the administrator's per-domain permissions come with
 * domain control); denied reads give all ones, denied writes vanish.
 */
static uint32_t op_io_read(void *ctx, uint16_t port, unsigned int bytes)
{
    if ( !admin_io_ok(current->domain, port, bytes) )
        return (uint32_t)pv_size_mask(bytes);
    switch ( bytes )
    {
    case 1: return inb(port);
    case 2: return inw(port);
    default: return inl(port);
    }
}

static void op_io_write(void *ctx, uint16_t port, unsigned int bytes,
                        uint32_t val)
{
    if ( !admin_io_ok(current->domain, port, bytes) )
        return;
    switch ( bytes )
    {
    case 1: outb(val, port); break;
    case 2: outw(val, port); break;
    default: outl(val, port); break;
    }
}

static int op_read_cr(void *ctx, unsigned int cr, uint64_t *val)
{
    struct vcpu *v = current;

    switch ( cr )
    {
    case 0:
        *val = (read_cr0() & ~(uint64_t)X86_CR0_TS) |
               (v->arch.fpu_ts ? X86_CR0_TS : 0);
        return 0;
    case 2:
        *val = v->vcpu_info->arch.cr2;
        return 0;
    case 3:
        *val = (uint64_t)mfn_x(v->arch.guest_table) << PAGE_SHIFT;
        return 0;
    case 4:
        *val = v->arch.guest_cr4;
        return 0;
    }
    return -EINVAL;
}

static int op_write_cr(void *ctx, unsigned int cr, uint64_t val)
{
    struct vcpu *v = current;

    switch ( cr )
    {
    case 0:
        v->arch.fpu_ts = val & X86_CR0_TS;
        write_cr0((read_cr0() & ~(uint64_t)X86_CR0_TS) |
                  (v->arch.fpu_ts ? X86_CR0_TS : 0));
        return 0;
    case 2:
        v->vcpu_info->arch.cr2 = val;
        return 0;
    case 3:
        return pv_new_guest_cr3(v, _mfn(val >> PAGE_SHIFT));
    case 4:
        v->arch.guest_cr4 = val;
        pv_load_guest_cr4(v);
        return 0;
    }
    return -EINVAL;
}

static int op_read_dr(void *ctx, unsigned int dr, uint64_t *val)
{
    if ( dr > 7 )
        return -EINVAL;
    *val = current->arch.debugreg[dr];
    return 0;
}

static int op_write_dr(void *ctx, unsigned int dr, uint64_t val)
{
    long rc = do_set_debugreg(dr, val, 0, 0, 0);

    return rc < 0 ? (int)rc : 0;
}

static void msr_state_init(struct vcpu *v)
{
    struct pv_msr_state *st = &v->arch.msr;

    memset(st, 0, sizeof(*st));
    st->vendor = !strcmp(boot_cpu.vendor, "GenuineIntel") ? PV_VENDOR_INTEL :
                 !strcmp(boot_cpu.vendor, "AuthenticAMD") ? PV_VENDOR_AMD :
                 PV_VENDOR_OTHER;
    st->family = boot_cpu.family;
    st->host_efer = rdmsr(MSR_EFER);
    st->vcpu_id = v->vcpu_id;
    /* TSC_AUX exists for the guest when its CPUID shows RDTSCP. */
    st->tsc_aux = boot_cpu.max_ext_leaf >= 0x80000001 &&
                  (cpuid_edx(0x80000001) & CPUID_EXT_RDTSCP);
    v->arch.msr_ready = true;
}

static struct pv_msr_state *msr_state(struct vcpu *v)
{
    if ( !v->arch.msr_ready )
        msr_state_init(v);
    /* Segment bases are kept in arch_vcpu; mirror them for the policy. */
    v->arch.msr.fs_base = rdmsr(MSR_FS_BASE);
    v->arch.msr.gs_base_kernel = v->arch.kernel_mode ? rdmsr(MSR_GS_BASE)
                                                     : v->arch.gs_base_kernel;
    v->arch.msr.gs_base_user = v->arch.kernel_mode ? v->arch.gs_base_user
                                                   : rdmsr(MSR_GS_BASE);
    return &v->arch.msr;
}

static int op_read_msr(void *ctx, uint32_t msr, uint64_t *val)
{
    switch ( pv_msr_read_policy(msr, msr_state(current), val) )
    {
    case PV_MSR_GP:
        return -EPERM;
    case PV_MSR_CALLER:
        *val = rdtsc();                     /* MSR_TSC: the host TSC */
        return 0;
    default:
        return 0;
    }
}

static int op_write_msr(void *ctx, uint32_t msr, uint64_t val)
{
    struct vcpu *v = current;
    struct pv_msr_state *st = msr_state(v);

    switch ( pv_msr_write_policy(msr, val, st) )
    {
    case PV_MSR_GP:
        return -EPERM;
    case PV_MSR_APPLY:
        /* Segment bases are the ones with a hardware side here. */
        v->arch.fs_base = st->fs_base;
        wrmsr(MSR_FS_BASE, st->fs_base);
        if ( v->arch.kernel_mode )
        {
            v->arch.gs_base_kernel = st->gs_base_kernel;
            v->arch.gs_base_user = st->gs_base_user;
            wrmsr(MSR_GS_BASE, st->gs_base_kernel);
        }
        else
        {
            v->arch.gs_base_kernel = st->gs_base_kernel;
            v->arch.gs_base_user = st->gs_base_user;
            wrmsr(MSR_GS_BASE, st->gs_base_user);
        }
        if ( st->tsc_aux )
            wrmsr(MSR_TSC_AUX, st->tsc_aux_val);
        return 0;
    case PV_MSR_CALLER:
        /* Hypercall page MSR: Keel builds the page at domain build. */
        return -EPERM;
    default:
        return 0;
    }
}

static struct pv_emul_vcpu snapshot(const struct vcpu *v,
                                    const struct cpu_user_regs *regs)
{
    struct pv_emul_vcpu e;
    unsigned int i;

    memset(&e, 0, sizeof(e));
    e.kernel_mode = v->arch.kernel_mode;
    e.compat_cs = regs->cs == FLAT_RING3_CS32;
    e.iopl = v->arch.iopl;
    e.cr4 = v->arch.guest_cr4;
    e.host_cr4 = read_cr4();
    e.cr4_allowed = pv_cr4_allowed();
    e.rdtscp = boot_cpu.max_ext_leaf >= 0x80000001 &&
               (cpuid_edx(0x80000001) & CPUID_EXT_RDTSCP);
    e.xcr0_allowed = pv_xcr0_guest_mask(boot_cpu.xcr0);
    for ( i = 0; i < X86_NR_BREAKPOINTS; i++ )
        e.dr[i] = v->arch.debugreg[i];
    e.dr7 = v->arch.debugreg[7];
    return e;
}

/* Per-call emulation context: which fault brought us here. */
struct emul_ctx {
    bool via_ud;                        /* forced-emulation #UD, not #GP */
};

static void op_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
                     struct pv_cpuid_leaf *out)
{
    struct vcpu *v = current;
    struct cpuid_regs host, r1, r7;
    struct pv_cpuid_ctx c;

    memset(&c, 0, sizeof(c));
    cpuid_count(leaf, subleaf, &host);
    cpuid_count(1, 0, &r1);
    cpuid_count(7, 0, &r7);
    c.vendor = msr_state(v)->vendor;
    c.host_basic_max = boot_cpu.max_leaf;
    c.host_extd_max = boot_cpu.max_ext_leaf;
    c.vcpu_id = v->vcpu_id;
    c.hardware_domain = v->domain->is_privileged;
    c.kernel_mode = v->arch.kernel_mode;
    c.via_ud = ((const struct emul_ctx *)ctx)->via_ud;
    c.guest_cr4 = v->arch.guest_cr4;
    c.host_osxsave = boot_cpu.xsave;
    c.xcr0_max = boot_cpu.xcr0;
    c.xsave_size_max = boot_cpu.xsave_size;
    c.host_leaf1 = (struct pv_cpuid_leaf){ r1.a, r1.b, r1.c, r1.d };
    c.host_leaf7 = (struct pv_cpuid_leaf){ r7.a, r7.b, r7.c, r7.d };
    c.max_phys_bits = 52;
    c.machine_addr_bits = 52;
    c.xen_major = XEN_ABI_MAJOR;
    c.xen_minor = XEN_ABI_MINOR;
    c.tsc.tsc_khz = tsc_khz;
    c.tsc.cpu_khz = tsc_khz;
    pv_cpuid_policy(leaf, subleaf,
                    &(struct pv_cpuid_leaf){ host.a, host.b, host.c, host.d },
                    out, &c);
}

static uint64_t op_rdtsc(void *ctx)
{
    return rdtsc();
}

static void op_wbinvd(void *ctx)
{
    if ( current->domain->is_privileged )
        __asm__ __volatile__ ( "wbinvd" ::: "memory" );
}

static int op_xsetbv(void *ctx, uint32_t xcr, uint64_t val)
{
    if ( xcr != 0 )
        return -EINVAL;
    xsetbv(0, val);
    return 0;
}

static int op_update_pte(void *ctx, uint64_t va, uint64_t old, uint64_t new,
                         bool cmpxchg)
{
    return ptwr_update_pte(current, va, old, new, cmpxchg);
}

static const struct pv_emul_ops ops = {
    .fetch = op_fetch,
    .read_mem = op_read_mem,
    .write_mem = op_write_mem,
    .seg_base = op_seg_base,
    .io_allowed = op_io_allowed,
    .io_read = op_io_read,
    .io_write = op_io_write,
    .read_cr = op_read_cr,
    .write_cr = op_write_cr,
    .read_dr = op_read_dr,
    .write_dr = op_write_dr,
    .read_msr = op_read_msr,
    .write_msr = op_write_msr,
    .cpuid = op_cpuid,
    .rdtsc = op_rdtsc,
    .wbinvd = op_wbinvd,
    .xsetbv = op_xsetbv,
    .update_pte = op_update_pte,
};

/* Act on the emulator's verdict; false means "deliver the original". */
static bool finish(struct cpu_user_regs *regs, enum pv_emul_result r,
                   const struct pv_emul_fault *f)
{
    struct vcpu *v = current;

    switch ( r )
    {
    case EMUL_DONE:
        if ( f->dr6 )
        {
            v->arch.debugreg[6] |= f->dr6;
            pv_inject_trap(regs, X86_EXC_DB, false, 0);
        }
        return true;
    case EMUL_EXCEPTION:
        if ( f->vector == X86_EXC_PF )
            pv_inject_page_fault(regs, f->cr2, f->error_code |
                                 (v->arch.kernel_mode ? 0 : X86_PFEC_USER));
        else
            pv_inject_trap(regs, f->vector, f->has_error_code, f->error_code);
        return true;
    case EMUL_UNHANDLED:
        break;
    }
    return false;
}

bool pv_emulate_privileged(struct cpu_user_regs *regs)
{
    struct pv_emul_vcpu e = snapshot(current, regs);
    struct emul_ctx ctx = { .via_ud = false };
    struct pv_emul_fault f;

    memset(&f, 0, sizeof(f));
    return finish(regs, pv_emulate_privop(regs, &ops, &ctx, &e, &f), &f);
}

bool pv_emulate_invalid_op(struct cpu_user_regs *regs)
{
    struct pv_emul_vcpu e = snapshot(current, regs);
    struct emul_ctx ctx = { .via_ud = true };
    struct pv_emul_fault f;

    memset(&f, 0, sizeof(f));
    return finish(regs, pv_emulate_invop(regs, &ops, &ctx, &e, &f), &f);
}

bool pv_ptwr_emulate(struct cpu_user_regs *regs, uint64_t cr2)
{
    struct pv_emul_vcpu e = snapshot(current, regs);
    struct emul_ctx ctx = { .via_ud = false };
    struct pv_emul_fault f;

    if ( !ptwr_is_l1_write(current, cr2, NULL) )
        return false;
    memset(&f, 0, sizeof(f));
    return finish(regs, pv_emulate_ptwr(regs, &ops, &ctx, &e, cr2, &f), &f);
}
