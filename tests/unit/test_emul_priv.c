/*
 * Host tests for the PV #GP/#UD emulator and the CPU-state policies it
 * applies (arch/x86/pv/emul-priv-op.c, emul-insn.c); the MSR policy is
 * tested with the CPUID policy in test_cpuid_policy.c.  Instructions are
 * given as byte sequences; a mock vCPU records every effect.  Expected
 * behaviour is Xen 4.17's for a 64-bit PV guest; comments name the Xen
 * function a rule comes from.
 */
#include "harness.h"
#include <keel/errno.h>
#include <asm/pv/emulate.h>

#define CODE_VA     0xffffffff81000000ull
#define CODE32_VA   0x08048000ull       /* for 32-bit code segments */
#define MEM_VA      0x0000000000400000ull
#define MEM_SIZE    128
#define TEST_PORT   0x71

static struct mock {
    uint8_t code[32];
    uint64_t code_va;
    unsigned int code_len;
    uint8_t mem[MEM_SIZE];
    uint64_t fs_base;
    bool io_ok;
    unsigned int nr_io_allowed;
    uint16_t allowed_port;
    unsigned int allowed_bytes;
    uint32_t io_in;
    unsigned int nr_io;
    uint16_t io_port;
    unsigned int io_bytes;
    uint32_t io_out[128];
    uint64_t cr[5];
    int write_cr_rc;
    unsigned int nr_write_cr, last_cr;
    uint64_t dr[8];
    unsigned int nr_write_dr, last_dr;
    int msr_rc;
    uint32_t last_msr;
    uint64_t msr_val, msr_written;
    struct pv_cpuid_leaf cpuid;
    uint32_t cpuid_leaf, cpuid_sub;
    uint64_t tsc;
    unsigned int nr_wbinvd, nr_xsetbv;
    int xsetbv_rc;
    uint64_t xsetbv_val;
} m;

static unsigned int m_fetch(void *ctx, uint64_t va, uint8_t *buf,
                            unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && va + i >= m.code_va &&
                 va + i < m.code_va + m.code_len; i++ )
        buf[i] = m.code[va + i - m.code_va];
    return i;
}

static unsigned int m_read(void *ctx, uint64_t va, void *buf, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && va + i >= MEM_VA && va + i < MEM_VA + MEM_SIZE;
          i++ )
        ((uint8_t *)buf)[i] = m.mem[va + i - MEM_VA];
    return i;
}

static unsigned int m_write(void *ctx, uint64_t va, const void *buf,
                            unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && va + i >= MEM_VA && va + i < MEM_VA + MEM_SIZE;
          i++ )
        m.mem[va + i - MEM_VA] = ((const uint8_t *)buf)[i];
    return i;
}

static uint64_t m_seg_base(void *ctx, enum pv_seg seg)
{
    return seg == PV_SEG_FS ? m.fs_base : 0;
}

static bool m_io_allowed(void *ctx, uint16_t port, unsigned int bytes)
{
    m.nr_io_allowed++;
    m.allowed_port = port;
    m.allowed_bytes = bytes;
    return m.io_ok;
}

static uint32_t m_io_read(void *ctx, uint16_t port, unsigned int bytes)
{
    m.io_port = port;
    m.io_bytes = bytes;
    return m.io_in + m.nr_io++;
}

static void m_io_write(void *ctx, uint16_t port, unsigned int bytes,
                       uint32_t val)
{
    m.io_port = port;
    m.io_bytes = bytes;
    m.io_out[m.nr_io++ % 128] = val;
}

static int m_read_cr(void *ctx, unsigned int cr, uint64_t *val)
{
    *val = m.cr[cr];
    return 0;
}

static int m_write_cr(void *ctx, unsigned int cr, uint64_t val)
{
    m.nr_write_cr++;
    m.last_cr = cr;
    if ( m.write_cr_rc )
        return m.write_cr_rc;
    m.cr[cr] = val;
    return 0;
}

static int m_read_dr(void *ctx, unsigned int dr, uint64_t *val)
{
    *val = m.dr[dr];
    return 0;
}

static int m_write_dr(void *ctx, unsigned int dr, uint64_t val)
{
    m.nr_write_dr++;
    m.last_dr = dr;
    m.dr[dr] = val;
    return 0;
}

static int m_read_msr(void *ctx, uint32_t msr, uint64_t *val)
{
    m.last_msr = msr;
    *val = m.msr_val;
    return m.msr_rc;
}

static int m_write_msr(void *ctx, uint32_t msr, uint64_t val)
{
    m.last_msr = msr;
    m.msr_written = val;
    return m.msr_rc;
}

static void m_cpuid(void *ctx, uint32_t leaf, uint32_t sub,
                    struct pv_cpuid_leaf *res)
{
    m.cpuid_leaf = leaf;
    m.cpuid_sub = sub;
    *res = m.cpuid;
}

static uint64_t m_rdtsc(void *ctx)
{
    return m.tsc;
}

static void m_wbinvd(void *ctx)
{
    m.nr_wbinvd++;
}

static int m_xsetbv(void *ctx, uint32_t xcr, uint64_t val)
{
    m.nr_xsetbv++;
    m.xsetbv_val = val;
    return m.xsetbv_rc;
}

static const struct pv_emul_ops ops = {
    .fetch = m_fetch, .read_mem = m_read, .write_mem = m_write,
    .seg_base = m_seg_base, .io_allowed = m_io_allowed,
    .io_read = m_io_read, .io_write = m_io_write,
    .read_cr = m_read_cr, .write_cr = m_write_cr,
    .read_dr = m_read_dr, .write_dr = m_write_dr,
    .read_msr = m_read_msr, .write_msr = m_write_msr,
    .cpuid = m_cpuid, .rdtsc = m_rdtsc, .wbinvd = m_wbinvd,
    .xsetbv = m_xsetbv,
};

static struct cpu_user_regs regs;
static struct pv_emul_vcpu vcpu;
static struct pv_emul_fault fault;

/* 32-bit code: the code moves below 4GiB. */
static void set_compat(void)
{
    vcpu.compat_cs = true;
    m.code_va = regs.rip = CODE32_VA;
}

/* Fresh mock, a kernel-mode vCPU with IOPL 0, and `code` at rip. */
static void setup(const uint8_t *code, unsigned int len)
{
    m = (struct mock){ .code_len = len, .code_va = CODE_VA };
    if ( len )
        memcpy(m.code, code, len);
    m.cr[0] = 0x80050033;                       /* PG|AM|WP|NE|ET|MP|PE */
    m.cr[4] = X86_CR4_OSXSAVE;
    regs = (struct cpu_user_regs){ .rip = CODE_VA, .rflags = 0x202 };
    vcpu = (struct pv_emul_vcpu){
        .kernel_mode = true, .cr4 = X86_CR4_OSXSAVE,
        .host_cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
                    X86_CR4_OSXSAVE | X86_CR4_PGE,
        .cr4_allowed = X86_CR4_TSD | X86_CR4_DE | X86_CR4_OSXSAVE,
        .rdtscp = true,
        .xcr0_allowed = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM,
    };
}

static enum pv_emul_result run(void)
{
    return pv_emulate_privop(&regs, &ops, NULL, &vcpu, &fault);
}

#define RUN_CODE(...) ({                                                  \
    static const uint8_t _c[] = { __VA_ARGS__ };                          \
    setup(_c, sizeof(_c));                                                \
})

#define CHECK_GP0() do {                                                  \
    CHECK_EQ(fault.vector, X86_EXC_GP);                                   \
    CHECK(fault.has_error_code);                                          \
    CHECK_EQ(fault.error_code, 0);                                        \
} while ( 0 )

/* ---- Port I/O --------------------------------------------------------- */

TEST(in_imm8_byte_merges_al)
{
    RUN_CODE(0xe4, TEST_PORT);
    vcpu.iopl = 1;                  /* kernel counts as CPL1 */
    regs.rax = 0x1122334455667788ull;
    m.io_in = 0xabcdefa5;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_port, TEST_PORT);
    CHECK_EQ(m.io_bytes, 1);
    CHECK_EQ(regs.rax, 0x11223344556677a5ull);
    CHECK_EQ(regs.rip, CODE_VA + 2);
}

TEST(in_dx_word_and_dword)
{
    RUN_CODE(0x66, 0xed);
    vcpu.iopl = 3;
    regs.rax = 0x1122334455667788ull;
    regs.rdx = 0xffff0cfe;
    m.io_in = 0xabcd1234;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_port, 0x0cfe);
    CHECK_EQ(m.io_bytes, 2);
    CHECK_EQ(regs.rax, 0x1122334455661234ull);
    CHECK_EQ(regs.rip, CODE_VA + 2);

    RUN_CODE(0xed);                 /* 32-bit: zero-extends into rax */
    vcpu.iopl = 3;
    regs.rax = 0x1122334455667788ull;
    m.io_in = 0xabcd1234;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_bytes, 4);
    CHECK_EQ(regs.rax, 0xabcd1234ull);

    RUN_CODE(0x48, 0xed);           /* REX.W: still 4 bytes */
    vcpu.iopl = 3;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_bytes, 4);
}

TEST(out_forms)
{
    RUN_CODE(0xe6, 0x80);
    vcpu.iopl = 1;
    regs.rax = 0x12345678;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_port, 0x80);
    CHECK_EQ(m.io_out[0], 0x78);

    RUN_CODE(0x66, 0xef);
    vcpu.iopl = 1;
    regs.rax = 0x12345678;
    regs.rdx = 0x3f8;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_port, 0x3f8);
    CHECK_EQ(m.io_bytes, 2);
    CHECK_EQ(m.io_out[0], 0x5678);

    RUN_CODE(0xe7, 0x70);
    vcpu.iopl = 1;
    regs.rax = 0xfedcba9876543210ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_out[0], 0x76543210);
    CHECK_EQ(regs.rip, CODE_VA + 2);
}

/* Xen guest_io_okay(): IOPL first, then the guest's I/O bitmap. */
TEST(io_permission)
{
    RUN_CODE(0xec);                 /* in %dx,%al */
    regs.rdx = 0x60;
    CHECK_EQ(run(), EMUL_UNHANDLED);    /* original #GP goes back */
    CHECK_EQ(m.nr_io, 0);
    CHECK_EQ(m.nr_io_allowed, 1);
    CHECK_EQ(m.allowed_port, 0x60);
    CHECK_EQ(m.allowed_bytes, 1);
    CHECK_EQ(regs.rip, CODE_VA);

    RUN_CODE(0xec);
    regs.rdx = 0x60;
    m.io_ok = true;                 /* bitmap allows */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io, 1);

    RUN_CODE(0xec);                 /* architectural_iopl: kernel is CPL0 */
    vcpu.architectural_iopl = true;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io_allowed, 0);

    RUN_CODE(0xec);                 /* user mode needs IOPL 3 */
    vcpu.kernel_mode = false;
    vcpu.iopl = 2;
    CHECK_EQ(run(), EMUL_UNHANDLED);
    vcpu.iopl = 3;
    CHECK_EQ(run(), EMUL_DONE);
}

TEST(io_lock_is_ud)
{
    RUN_CODE(0xf0, 0xec);
    vcpu.iopl = 3;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);
    CHECK(!fault.has_error_code);
    CHECK_EQ(m.nr_io, 0);
}

/* Xen check_guest_io_breakpoint(): DR7 R/W=10 needs CR4.DE. */
TEST(io_breakpoint_reports_db)
{
    RUN_CODE(0xe4, TEST_PORT);
    vcpu.iopl = 1;
    vcpu.cr4 |= X86_CR4_DE;
    vcpu.dr[1] = TEST_PORT;
    vcpu.dr7 = (1u << 2) | (2u << 20);         /* L1, R/W1 = I/O, LEN 1 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(fault.dr6, 1u << 1);

    RUN_CODE(0xe4, TEST_PORT + 1);
    vcpu.iopl = 1;
    vcpu.cr4 |= X86_CR4_DE;
    vcpu.dr[1] = TEST_PORT;
    vcpu.dr7 = (1u << 2) | (2u << 20);
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(fault.dr6, 0);

    RUN_CODE(0xe4, TEST_PORT);       /* without CR4.DE: no match */
    vcpu.iopl = 1;
    vcpu.dr[1] = TEST_PORT;
    vcpu.dr7 = (1u << 2) | (2u << 20);
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(fault.dr6, 0);
}

/* ---- ins/outs --------------------------------------------------------- */

TEST(ins_single)
{
    RUN_CODE(0x6c);                 /* insb */
    vcpu.iopl = 1;
    regs.rdi = MEM_VA + 4;
    regs.rdx = 0x60;
    m.io_in = 0x5a;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.mem[4], 0x5a);
    CHECK_EQ(regs.rdi, MEM_VA + 5);
    CHECK_EQ(regs.rip, CODE_VA + 1);
}

TEST(rep_insw_and_outsd_df)
{
    RUN_CODE(0xf3, 0x66, 0x6d);     /* rep insw */
    vcpu.iopl = 1;
    regs.rdi = MEM_VA;
    regs.rcx = 3;
    m.io_in = 0x1000;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io, 3);
    CHECK_EQ(m.mem[0] | (m.mem[1] << 8), 0x1000);
    CHECK_EQ(m.mem[4] | (m.mem[5] << 8), 0x1002);
    CHECK_EQ(regs.rcx, 0);
    CHECK_EQ(regs.rdi, MEM_VA + 6);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    RUN_CODE(0xf3, 0x6f);           /* rep outsd, DF=1 */
    vcpu.iopl = 1;
    regs.rflags |= X86_EFLAGS_DF;
    regs.rsi = MEM_VA + 8;
    regs.rcx = 2;
    m.mem[8] = 0x11;
    m.mem[4] = 0x22;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_out[0], 0x11);
    CHECK_EQ(m.io_out[1], 0x22);
    CHECK_EQ(regs.rsi, MEM_VA);
    CHECK_EQ(regs.rcx, 0);
}

TEST(rep_zero_count_no_check)
{
    RUN_CODE(0xf3, 0x6c);
    regs.rcx = 0;                   /* denied port, but no iteration */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io_allowed, 0);
    CHECK_EQ(m.nr_io, 0);
    CHECK_EQ(regs.rip, CODE_VA + 2);
}

TEST(rep_bounded_restart)
{
    unsigned int total = PV_EMUL_MAX_REPS + 10;

    RUN_CODE(0xf3, 0x6e);           /* rep outsb */
    vcpu.iopl = 1;
    regs.rsi = MEM_VA;
    regs.rcx = total;
    regs.rflags |= X86_EFLAGS_RF | X86_EFLAGS_TF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io, PV_EMUL_MAX_REPS);
    CHECK_EQ(regs.rcx, total - PV_EMUL_MAX_REPS);
    CHECK_EQ(regs.rsi, MEM_VA + PV_EMUL_MAX_REPS);
    CHECK_EQ(regs.rip, CODE_VA);    /* re-executed for the rest */
    CHECK(!(regs.rflags & X86_EFLAGS_RF));
    CHECK_EQ(fault.dr6, 0);         /* not finished: no single-step trap */

    CHECK_EQ(run(), EMUL_DONE);     /* the re-execution finishes */
    CHECK_EQ(m.nr_io, total);
    CHECK_EQ(regs.rcx, 0);
    CHECK_EQ(regs.rip, CODE_VA + 2);
    CHECK_EQ(fault.dr6, X86_DR6_BS);
}

/* Xen rep_ins()/rep_outs(): an I/O breakpoint ends the batch. */
TEST(rep_io_breakpoint_stops)
{
    RUN_CODE(0xf3, 0x6c);
    vcpu.iopl = 1;
    vcpu.cr4 |= X86_CR4_DE;
    vcpu.dr[0] = 0x60;
    vcpu.dr7 = 1 | (2u << 16);      /* L0, R/W0 = I/O, LEN 1 */
    regs.rdx = 0x60;
    regs.rdi = MEM_VA;
    regs.rcx = 4;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io, 1);
    CHECK_EQ(regs.rcx, 3);
    CHECK_EQ(regs.rip, CODE_VA);
    CHECK_EQ(fault.dr6, 1);
}

TEST(rep_fault_commits_progress)
{
    RUN_CODE(0xf3, 0x6c);           /* rep insb, third store faults */
    vcpu.iopl = 1;
    regs.rdi = MEM_VA + MEM_SIZE - 2;
    regs.rcx = 5;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.error_code, X86_PFEC_WRITE);
    CHECK_EQ(fault.cr2, MEM_VA + MEM_SIZE);
    CHECK_EQ(regs.rcx, 3);
    CHECK_EQ(regs.rdi, MEM_VA + MEM_SIZE);
    CHECK_EQ(regs.rip, CODE_VA);
    CHECK_EQ(m.nr_io, 3);           /* the port was read, as on hardware */

    RUN_CODE(0x6f);                 /* outsd, source partly unmapped */
    vcpu.iopl = 1;
    regs.rsi = MEM_VA + MEM_SIZE - 2;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.error_code, 0);
    CHECK_EQ(fault.cr2, MEM_VA + MEM_SIZE);
    CHECK_EQ(m.nr_io, 0);
}

/* Xen pv_emul_virt_to_linear(): !__addr_ok() is #GP(0). */
TEST(string_bad_address_gp)
{
    RUN_CODE(0x6c);
    vcpu.iopl = 1;
    regs.rdi = 0x0000800000000000ull;           /* non-canonical */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(m.nr_io, 0);

    RUN_CODE(0x6e);
    vcpu.iopl = 1;
    regs.rsi = 0xffff830000000000ull;           /* hypervisor range */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0x6d);                             /* straddles the hole */
    vcpu.iopl = 1;
    regs.rdi = 0x00007ffffffffffeull;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

TEST(outs_segment_override)
{
    RUN_CODE(0x64, 0x6e);           /* outsb %fs:(%rsi) */
    vcpu.iopl = 1;
    m.fs_base = MEM_VA;
    regs.rsi = 7;
    m.mem[7] = 0x77;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_out[0], 0x77);
    CHECK_EQ(regs.rsi, 8);

    RUN_CODE(0x2e, 0x6e);           /* %cs: ignored in 64-bit mode */
    vcpu.iopl = 1;
    regs.rsi = MEM_VA + 1;
    m.mem[1] = 0x66;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_out[0], 0x66);
}

TEST(addr32_string)
{
    RUN_CODE(0x67, 0xf3, 0x6c);     /* rep insb with %edi/%ecx */
    vcpu.iopl = 1;
    regs.rdi = 0xdead000000000000ull | MEM_VA;
    regs.rcx = 0xffffffff00000002ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_io, 2);
    CHECK_EQ(regs.rdi, MEM_VA + 2);             /* zero-extended */
    CHECK_EQ(regs.rcx, 0);
}

/* ---- cli/sti, clts, wbinvd -------------------------------------------- */

/* Xen validate(): cli/sti are skipped when the virtual IOPL allows. */
TEST(cli_sti)
{
    RUN_CODE(0xfa);
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rip, CODE_VA + 1);
    CHECK_EQ(regs.rflags, 0x202);               /* IF untouched */

    RUN_CODE(0xfb);
    CHECK_EQ(run(), EMUL_UNHANDLED);
    CHECK_EQ(regs.rip, CODE_VA);
}

TEST(clts)
{
    RUN_CODE(0x0f, 0x06);
    m.cr[0] |= X86_CR0_TS;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.last_cr, 0);
    CHECK_EQ(m.cr[0], 0x80050033);
    CHECK_EQ(regs.rip, CODE_VA + 2);

    RUN_CODE(0x0f, 0x06);
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

TEST(wbinvd)
{
    RUN_CODE(0x0f, 0x09);
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_wbinvd, 1);

    RUN_CODE(0xf3, 0x0f, 0x09);     /* wbnoinvd: hidden, acts as wbinvd */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_wbinvd, 1);

    RUN_CODE(0x0f, 0x09);
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(m.nr_wbinvd, 0);

    RUN_CODE(0x0f, 0x08);           /* invd is not emulated */
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

/* ---- Control registers ------------------------------------------------ */

TEST(mov_from_cr)
{
    RUN_CODE(0x0f, 0x20, 0xd8);     /* mov %cr3,%rax */
    m.cr[3] = 0x0000000123456000ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x123456000ull);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    RUN_CODE(0x41, 0x0f, 0x20, 0xe1);   /* mov %cr4,%r9 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.r9, X86_CR4_OSXSAVE);

    RUN_CODE(0x0f, 0x20, 0x10);     /* mod bits ignored: mov %cr2,%rax */
    m.cr[2] = 0xffff888812345678ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0xffff888812345678ull);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    RUN_CODE(0x0f, 0x20, 0xc0);     /* 32-bit code: 32-bit destination */
    set_compat();
    regs.rax = ~0ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x80050033);
}

/* Xen write_cr(): CR0 may change only TS. */
TEST(mov_to_cr0)
{
    RUN_CODE(0x0f, 0x22, 0xc0);
    regs.rax = 0x80050033 | X86_CR0_TS;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.cr[0], 0x80050033 | X86_CR0_TS);

    RUN_CODE(0x0f, 0x22, 0xc0);
    regs.rax = 0x80050033 & ~X86_CR0_WP;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(m.nr_write_cr, 0);
}

TEST(mov_to_cr3)
{
    RUN_CODE(0x0f, 0x22, 0xdf);     /* mov %rdi,%cr3 */
    regs.rdi = 0x7654321000ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.cr[3], 0x7654321000ull);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    RUN_CODE(0x0f, 0x22, 0xdf);     /* preempted: re-execute */
    m.write_cr_rc = -ERESTART;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rip, CODE_VA);

    RUN_CODE(0x0f, 0x22, 0xdf);     /* not a valid base: #GP */
    m.write_cr_rc = -EINVAL;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

/* Xen pv_fixup_guest_cr4(): never faults, drops what it does not allow. */
TEST(mov_to_cr4_fixup)
{
    RUN_CODE(0x0f, 0x22, 0xe0);
    regs.rax = X86_CR4_DE | X86_CR4_FSGSBASE | X86_CR4_SMEP | (1u << 30);
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.cr[4], X86_CR4_DE | X86_CR4_PAE | X86_CR4_OSFXSR |
                      X86_CR4_OSXMMEXCPT);
}

TEST(mov_cr_refused)
{
    RUN_CODE(0x44, 0x0f, 0x20, 0xc0);   /* mov %cr8,%rax */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    RUN_CODE(0x0f, 0x20, 0xc8);     /* %cr1 */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    RUN_CODE(0x0f, 0x20, 0xd8);
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0xf0, 0x0f, 0x20, 0xc0);   /* AMD's lock = CR8: not offered */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);
}

/* ---- Debug registers -------------------------------------------------- */

TEST(mov_dr_read)
{
    RUN_CODE(0x0f, 0x21, 0xf8);     /* mov %dr7,%rax */
    m.dr[7] = 0x400;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x400);

    RUN_CODE(0x0f, 0x21, 0xe3);     /* mov %dr4,%rbx: alias of DR6 */
    m.dr[6] = 0xffff0ff0;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rbx, 0xffff0ff0);

    RUN_CODE(0x0f, 0x21, 0xe3);     /* with CR4.DE: #UD */
    vcpu.cr4 |= X86_CR4_DE;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);

    RUN_CODE(0x44, 0x0f, 0x21, 0xc0);   /* %dr8 */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);

    RUN_CODE(0x0f, 0x21, 0xc0);
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

TEST(mov_dr_write)
{
    RUN_CODE(0x0f, 0x23, 0xc0);     /* mov %rax,%dr0 */
    regs.rax = 0x00007fffffff0000ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.dr[0], 0x00007fffffff0000ull);

    RUN_CODE(0x0f, 0x23, 0xc0);     /* Xen's own range: #GP */
    regs.rax = 0xffff82d080000000ull;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(m.nr_write_dr, 0);

    RUN_CODE(0x0f, 0x23, 0xe8);     /* mov %rax,%dr5 -> DR7 */
    regs.rax = 0x1;                 /* L0 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.last_dr, 7);
    CHECK_EQ(m.dr[7], 0x401);

    RUN_CODE(0x0f, 0x23, 0xf0);     /* DR6: reserved bits forced */
    regs.rax = 0x1001;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.dr[6], 0xffff0ff1);
}

/* ---- MSRs, TSC, CPUID ------------------------------------------------- */

TEST(rdmsr_wrmsr)
{
    RUN_CODE(0x0f, 0x32);
    regs.rcx = 0xdeadbeef00000277ull;
    regs.rax = regs.rdx = ~0ull;
    m.msr_val = 0x0000050100070406ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.last_msr, 0x277);
    CHECK_EQ(regs.rax, 0x00070406);
    CHECK_EQ(regs.rdx, 0x00000501);
    CHECK_EQ(regs.rip, CODE_VA + 2);

    RUN_CODE(0x0f, 0x30);
    regs.rcx = 0xc0000100;
    regs.rax = 0xffffffff89abcdefull;
    regs.rdx = 0xffffffff01234567ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.msr_written, 0x0123456789abcdefull);

    RUN_CODE(0x0f, 0x32);
    m.msr_rc = -EPERM;
    regs.rax = 5;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(regs.rax, 5);
    CHECK_EQ(regs.rip, CODE_VA);

    RUN_CODE(0x0f, 0x30);
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

TEST(rdtsc_rdtscp)
{
    RUN_CODE(0x0f, 0x31);
    m.tsc = 0x0000123487654321ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x87654321);
    CHECK_EQ(regs.rdx, 0x1234);

    RUN_CODE(0x0f, 0x31);           /* user with CR4.TSD: #GP */
    vcpu.kernel_mode = false;
    vcpu.cr4 |= X86_CR4_TSD;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0x0f, 0x31);           /* user without TSD */
    vcpu.kernel_mode = false;
    CHECK_EQ(run(), EMUL_DONE);

    RUN_CODE(0x0f, 0x01, 0xf9);
    m.tsc = 5;
    m.msr_val = 0xffffffff00000003ull;
    regs.rcx = ~0ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.last_msr, MSR_TSC_AUX);
    CHECK_EQ(regs.rcx, 3);
    CHECK_EQ(regs.rax, 5);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    RUN_CODE(0x0f, 0x01, 0xf9);     /* not in the policy: #UD */
    vcpu.rdtscp = false;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);
}

TEST(cpuid_and_faulting)
{
    RUN_CODE(0x0f, 0xa2);
    regs.rax = 0xffffffff00000007ull;
    regs.rcx = 0x100000000ull;
    m.cpuid = (struct pv_cpuid_leaf){ 1, 2, 3, 4 };
    regs.rbx = ~0ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.cpuid_leaf, 7);
    CHECK_EQ(m.cpuid_sub, 0);
    CHECK_EQ(regs.rax, 1);
    CHECK_EQ(regs.rbx, 2);
    CHECK_EQ(regs.rcx, 3);
    CHECK_EQ(regs.rdx, 4);

    RUN_CODE(0x0f, 0xa2);           /* x86_emulate: faulting, CPL>0 */
    vcpu.kernel_mode = false;
    vcpu.cpuid_faulting = true;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0x0f, 0xa2);           /* faulting does not apply to ring 0 */
    vcpu.cpuid_faulting = true;
    CHECK_EQ(run(), EMUL_DONE);
}

/* x86_emulate xsetbv + Xen handle_xsetbv()/valid_xcr0(). */
TEST(xsetbv)
{
    RUN_CODE(0x0f, 0x01, 0xd1);
    regs.rax = 7;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.xsetbv_val, 7);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    static const uint64_t bad[] = {
        X86_XCR0_SSE,                           /* no x87 */
        X86_XCR0_X87 | X86_XCR0_YMM,            /* YMM without SSE */
        X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_BNDREGS, /* not allowed */
    };
    for ( unsigned int i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        RUN_CODE(0x0f, 0x01, 0xd1);
        regs.rax = (uint32_t)bad[i];
        regs.rdx = bad[i] >> 32;
        CHECK_EQ(run(), EMUL_EXCEPTION);
        CHECK_GP0();
        CHECK_EQ(m.nr_xsetbv, 0);
    }

    RUN_CODE(0x0f, 0x01, 0xd1);     /* XCR1 does not exist */
    regs.rax = 3;
    regs.rcx = 1;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0x0f, 0x01, 0xd1);     /* guest CR4.OSXSAVE clear: #UD */
    vcpu.cr4 = 0;
    regs.rax = 3;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);

    RUN_CODE(0x66, 0x0f, 0x01, 0xd1);   /* prefix: #UD */
    regs.rax = 3;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);

    RUN_CODE(0x0f, 0x01, 0xd1);
    vcpu.kernel_mode = false;
    regs.rax = 3;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();

    RUN_CODE(0x0f, 0x01, 0xd1);     /* the caller refuses */
    m.xsetbv_rc = -EINVAL;
    regs.rax = 3;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
}

/* ---- Decoding --------------------------------------------------------- */

TEST(instruction_length_limit)
{
    static const uint8_t ok[15] = {
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0xe5, TEST_PORT,
    };
    static const uint8_t too_long[16] = {
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0xe5, TEST_PORT,
    };

    setup(ok, sizeof(ok));
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rip, CODE_VA + 15);

    setup(too_long, sizeof(too_long));
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(m.nr_io, 0);
}

TEST(fetch_faults)
{
    RUN_CODE(0xe5);                 /* the imm8 is on an unmapped page */
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.error_code, 0);
    CHECK_EQ(fault.cr2, CODE_VA + 1);

    RUN_CODE(0x0f);
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.cr2, CODE_VA + 1);

    RUN_CODE(0xfa);                 /* unneeded bytes may be missing */
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_DONE);

    setup(NULL, 0);
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.cr2, CODE_VA);
}

TEST(rex_placement)
{
    RUN_CODE(0x48, 0x66, 0xed);     /* REX before a prefix is ignored */
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_bytes, 2);

    RUN_CODE(0x41, 0x0f, 0x20, 0xc1);   /* REX.B selects %r9 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.r9, 0x80050033);

    RUN_CODE(0x48, 0xec);           /* 32-bit code: 0x48 is dec %eax */
    set_compat();
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_UNHANDLED);

    RUN_CODE(0x66, 0xed);           /* 32-bit code: in %dx,%ax */
    set_compat();
    vcpu.iopl = 1;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.io_bytes, 2);
    CHECK_EQ(regs.rip, CODE32_VA + 2);

    RUN_CODE(0xf3, 0x6c);           /* 32-bit string I/O: not emulated */
    set_compat();
    vcpu.iopl = 1;
    regs.rcx = 1;
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

TEST(not_ours)
{
    static const struct {
        uint8_t bytes[3];
        unsigned int len;
    } codes[] = {
        { { 0xf4 }, 1 },                /* hlt */
        { { 0x0f, 0x01, 0xf0 }, 3 },    /* lmsw %ax */
        { { 0xcd, 0x80 }, 2 },          /* int $0x80 */
        { { 0x0f, 0x01, 0x10 }, 3 },    /* lgdt (%rax) */
        { { 0x0f, 0x00, 0xd8 }, 3 },    /* ltr %ax */
        { { 0x0f, 0x08 }, 2 },          /* invd */
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(codes); i++ )
    {
        setup(codes[i].bytes, codes[i].len);
        vcpu.iopl = 3;
        CHECK_EQ(run(), EMUL_UNHANDLED);
        CHECK_EQ(regs.rip, CODE_VA);
    }

    RUN_CODE(0xfa);                 /* only #GP(0) is emulated */
    vcpu.iopl = 3;
    regs.error_code = 0x10;
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

TEST(single_step_and_rf)
{
    RUN_CODE(0x0f, 0x31);
    regs.rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(fault.dr6, X86_DR6_BS);
    CHECK(!(regs.rflags & X86_EFLAGS_RF));
    CHECK(regs.rflags & X86_EFLAGS_TF);
}

/* ---- The #UD path (Xen emulate_forced_invalid_op()) ------------------- */

static enum pv_emul_result run_ud(void)
{
    return pv_emulate_invop(&regs, &ops, NULL, &vcpu, &fault);
}

TEST(forced_cpuid)
{
    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);
    regs.rax = 0x40000000;
    m.cpuid = (struct pv_cpuid_leaf){ 0x40000005, 0x566e6558, 0x65584d4d,
                                      0x4d4d566e };
    CHECK_EQ(run_ud(), EMUL_DONE);
    CHECK_EQ(m.cpuid_leaf, 0x40000000);
    CHECK_EQ(regs.rax, 0x40000005);
    CHECK_EQ(regs.rbx, 0x566e6558);
    CHECK_EQ(regs.rip, CODE_VA + 7);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);    /* user mode too */
    vcpu.kernel_mode = false;
    CHECK_EQ(run_ud(), EMUL_DONE);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);
    regs.rflags |= X86_EFLAGS_TF;
    CHECK_EQ(run_ud(), EMUL_DONE);
    CHECK_EQ(fault.dr6, X86_DR6_BS);
}

TEST(forced_prefix_variants)
{
    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'N', 0x0f, 0xa2);    /* plain ud2 */
    CHECK_EQ(run_ud(), EMUL_UNHANDLED);
    CHECK_EQ(regs.rip, CODE_VA);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0x31);    /* only cpuid */
    CHECK_EQ(run_ud(), EMUL_UNHANDLED);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x66, 0x0f, 0xa2);  /* no prefixes */
    CHECK_EQ(run_ud(), EMUL_UNHANDLED);

    RUN_CODE(0x0f, 0x0b);           /* signature on an unmapped page */
    CHECK_EQ(run_ud(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.cr2, CODE_VA + 2);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f);
    CHECK_EQ(run_ud(), EMUL_EXCEPTION);
    CHECK_EQ(fault.cr2, CODE_VA + 6);

    RUN_CODE(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2);    /* faulting, user */
    vcpu.kernel_mode = false;
    vcpu.cpuid_faulting = true;
    CHECK_EQ(run_ud(), EMUL_EXCEPTION);
    CHECK_GP0();
    CHECK_EQ(regs.rip, CODE_VA + 5);    /* onto the cpuid */
}

/* ---- Pure helpers ----------------------------------------------------- */

TEST(cr4_fixup)
{
    uint64_t host = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR |
                    X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE | X86_CR4_SMEP;

    CHECK_EQ(pv_cr4_fixup(0, host, PV_CR4_GUEST_MASK),
             X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
    CHECK_EQ(pv_cr4_fixup(~0ull, host, X86_CR4_TSD | X86_CR4_DE),
             X86_CR4_TSD | X86_CR4_DE | X86_CR4_PAE | X86_CR4_OSFXSR |
             X86_CR4_OSXMMEXCPT);
    CHECK_EQ(pv_cr4_fixup(X86_CR4_OSXSAVE, host, ~0ull),
             X86_CR4_OSXSAVE | X86_CR4_PAE | X86_CR4_OSFXSR |
             X86_CR4_OSXMMEXCPT);
}

TEST(dr_write_check)
{
    unsigned int dr;
    uint64_t v;

    CHECK_EQ(pv_dr_write_check(3, 0xffff880000000000ull, 0, false, &dr, &v),
             0);
    CHECK_EQ(pv_dr_write_check(3, 0xffff87ffffffffffull, 0, false, &dr, &v),
             -EPERM);
    CHECK_EQ(pv_dr_write_check(2, 0x0000800000000000ull, 0, false, &dr, &v),
             -EPERM);
    CHECK_EQ(pv_dr_write_check(6, 1ull << 32, 0, false, &dr, &v), -EINVAL);
    CHECK_EQ(pv_dr_write_check(7, 1ull << 32, 0, false, &dr, &v), -EINVAL);

    CHECK_EQ(pv_dr_write_check(6, 0, 0, false, &dr, &v), 0);
    CHECK_EQ(v, 0xffff0ff0);                    /* RTM bit reads 1 */
    CHECK_EQ(pv_dr_write_check(6, 0, 0, true, &dr, &v), 0);
    CHECK_EQ(v, 0xfffe0ff0);

    CHECK_EQ(pv_dr_write_check(7, 0xd800, 0, false, &dr, &v), 0);
    CHECK_EQ(v, 0x400);                         /* 11,12,14,15 cleared */
    CHECK_EQ(pv_dr_write_check(7, 0x800, 0, true, &dr, &v), 0);
    CHECK_EQ(v, 0xc00);                         /* RTM keeps bit 11 */
    CHECK_EQ(pv_dr_write_check(7, X86_DR7_GD, 0, false, &dr, &v), -EPERM);

    /* An enabled I/O breakpoint needs CR4.DE; a disabled one is kept. */
    CHECK_EQ(pv_dr_write_check(7, 0x20001, 0, false, &dr, &v), -EPERM);
    CHECK_EQ(pv_dr_write_check(7, 0x20001, X86_CR4_DE, false, &dr, &v), 0);
    CHECK_EQ(v, 0x20401);
    CHECK_EQ(pv_dr_write_check(7, 0x20000, 0, false, &dr, &v), 0);

    CHECK_EQ(pv_dr_write_check(4, 0, X86_CR4_DE, false, &dr, &v), -ENODEV);
    CHECK_EQ(pv_dr_write_check(5, 0, 0, false, &dr, &v), 0);
    CHECK_EQ(dr, 7);
    CHECK_EQ(pv_dr_write_check(8, 0, 0, false, &dr, &v), -ENODEV);
}

TEST(dr7_io_enables)
{
    CHECK_EQ(pv_dr7_io_enables(0x20001), 0x1);
    CHECK_EQ(pv_dr7_io_enables(0x20000), 0);            /* inactive */
    CHECK_EQ(pv_dr7_io_enables((2u << 28) | (3u << 6) | 1), 0xc0);
    CHECK_EQ(pv_dr7_io_enables((1u << 16) | 3), 0);     /* write bp */
}

TEST(xcr0_valid)
{
    uint64_t all = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM |
                   X86_XCR0_AVX512 | X86_XCR0_BNDREGS | X86_XCR0_BNDCSR;

    CHECK(pv_xcr0_valid(X86_XCR0_X87, all));
    CHECK(pv_xcr0_valid(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM, all));
    CHECK(pv_xcr0_valid(all, all));
    CHECK(!pv_xcr0_valid(0, all));
    CHECK(!pv_xcr0_valid(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_OPMASK,
                         all));
    CHECK(!pv_xcr0_valid(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX512,
                         all));                 /* AVX-512 needs YMM */
    CHECK(!pv_xcr0_valid(X86_XCR0_X87 | X86_XCR0_BNDREGS, all));
    CHECK(!pv_xcr0_valid(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM,
                         X86_XCR0_X87 | X86_XCR0_SSE));
}

TEST(iopl_ok)
{
    struct pv_emul_vcpu v = { .kernel_mode = true };

    CHECK(!pv_iopl_ok(&v));
    v.iopl = 1;
    CHECK(pv_iopl_ok(&v));
    v.iopl = 0;
    v.architectural_iopl = true;
    CHECK(pv_iopl_ok(&v));
    v.kernel_mode = false;
    v.iopl = 2;
    CHECK(!pv_iopl_ok(&v));
    v.iopl = 3;
    CHECK(pv_iopl_ok(&v));
}

int main(void)
{
    RUN(in_imm8_byte_merges_al);
    RUN(in_dx_word_and_dword);
    RUN(out_forms);
    RUN(io_permission);
    RUN(io_lock_is_ud);
    RUN(io_breakpoint_reports_db);
    RUN(ins_single);
    RUN(rep_insw_and_outsd_df);
    RUN(rep_zero_count_no_check);
    RUN(rep_bounded_restart);
    RUN(rep_io_breakpoint_stops);
    RUN(rep_fault_commits_progress);
    RUN(string_bad_address_gp);
    RUN(outs_segment_override);
    RUN(addr32_string);
    RUN(cli_sti);
    RUN(clts);
    RUN(wbinvd);
    RUN(mov_from_cr);
    RUN(mov_to_cr0);
    RUN(mov_to_cr3);
    RUN(mov_to_cr4_fixup);
    RUN(mov_cr_refused);
    RUN(mov_dr_read);
    RUN(mov_dr_write);
    RUN(rdmsr_wrmsr);
    RUN(rdtsc_rdtscp);
    RUN(cpuid_and_faulting);
    RUN(xsetbv);
    RUN(instruction_length_limit);
    RUN(fetch_faults);
    RUN(rex_placement);
    RUN(not_ours);
    RUN(single_step_and_rf);
    RUN(forced_cpuid);
    RUN(forced_prefix_variants);
    RUN(cr4_fixup);
    RUN(dr_write_check);
    RUN(dr7_io_enables);
    RUN(xcr0_valid);
    RUN(iopl_ok);
    HARNESS_EXIT();
}
