/*
 * Host tests for writable page-table emulation (arch/x86/pv/emul-ptwr.c):
 * each instruction form Linux uses on PTEs, given as bytes, against a mock
 * L1 page.  The expected rules are those of Xen 4.17's
 * ptwr_emulated_update() (pv/ro-page-fault.c): naturally aligned writes
 * within the %cr2 page only, sub-word writes merged into the full entry,
 * a refused entry bounces the #PF, a lost cmpxchg re-executes.
 */
#include "harness.h"
#include <keel/errno.h>
#include <asm/pv/emulate.h>

#define CODE_VA     0xffffffff81000000ull
#define L1_VA       0xffffc90000123000ull   /* the read-only L1 mapping */
#define L1_ENTRIES  512
#define PTE_A       0x8000000123456067ull   /* NX|frame|D|A|U|RW|P */

static struct mock {
    uint8_t code[32];
    unsigned int code_len;
    uint64_t l1[L1_ENTRIES];
    unsigned int read_limit;        /* bytes of the L1 readable */
    uint64_t fs_base;
    int update_rc;
    unsigned int nr_update;
    uint64_t upd_va, upd_old, upd_new;
    bool upd_cmpxchg;
} m;

static unsigned int m_fetch(void *ctx, uint64_t va, uint8_t *buf,
                            unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && va + i >= CODE_VA &&
                 va + i < CODE_VA + m.code_len; i++ )
        buf[i] = m.code[va + i - CODE_VA];
    return i;
}

static unsigned int m_read(void *ctx, uint64_t va, void *buf, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n && va + i >= L1_VA &&
                 va + i < L1_VA + m.read_limit; i++ )
        ((uint8_t *)buf)[i] = ((uint8_t *)m.l1)[va + i - L1_VA];
    return i;
}

static uint64_t m_seg_base(void *ctx, enum pv_seg seg)
{
    return seg == PV_SEG_FS ? m.fs_base : 0;
}

static int m_update(void *ctx, uint64_t va, uint64_t old, uint64_t new,
                    bool cmpxchg)
{
    m.nr_update++;
    m.upd_va = va;
    m.upd_old = old;
    m.upd_new = new;
    m.upd_cmpxchg = cmpxchg;
    if ( m.update_rc )
        return m.update_rc;
    m.l1[(va - L1_VA) / 8] = new;
    return 0;
}

static const struct pv_emul_ops ops = {
    .fetch = m_fetch, .read_mem = m_read, .seg_base = m_seg_base,
    .update_pte = m_update,
};

static struct cpu_user_regs regs;
static struct pv_emul_vcpu vcpu;
static struct pv_emul_fault fault;
static uint64_t cr2;

/* Entry 5 of the L1 holds PTE_A; rdi points at it, cr2 is the fault. */
static void setup(const uint8_t *code, unsigned int len)
{
    m = (struct mock){ .code_len = len, .read_limit = sizeof(m.l1) };
    memcpy(m.code, code, len);
    m.l1[5] = PTE_A;
    m.l1[6] = 0x0000000777777025ull;
    regs = (struct cpu_user_regs){
        .rip = CODE_VA, .rflags = 0x202, .rdi = L1_VA + 5 * 8,
    };
    vcpu = (struct pv_emul_vcpu){ .kernel_mode = true };
    cr2 = L1_VA + 5 * 8;
}

#define CODE(...) ({                                                      \
    static const uint8_t _c[] = { __VA_ARGS__ };                          \
    setup(_c, sizeof(_c));                                                \
})

static enum pv_emul_result run(void)
{
    return pv_emulate_ptwr(&regs, &ops, NULL, &vcpu, cr2, &fault);
}

static uint64_t flags(void)
{
    return regs.rflags & X86_EFLAGS_ARITH_MASK;
}

/* ---- mov -------------------------------------------------------------- */

TEST(mov_r64)
{
    CODE(0x48, 0x89, 0x07);         /* mov %rax,(%rdi) */
    regs.rax = 0x8000000222222067ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_update, 1);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(m.upd_old, PTE_A);
    CHECK_EQ(m.upd_new, 0x8000000222222067ull);
    CHECK(!m.upd_cmpxchg);
    CHECK_EQ(regs.rip, CODE_VA + 3);
    CHECK_EQ(regs.rflags, 0x202);
}

TEST(mov_imm32_sign_extended)
{
    CODE(0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80);   /* movq $-2^31 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0xffffffff80000000ull);

    CODE(0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x00);   /* pte_clear() */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0);
    CHECK_EQ(regs.rip, CODE_VA + 7);

    CODE(0x48, 0xc7, 0x0f, 0x00, 0x00, 0x00, 0x00);   /* c7 /1: not mov */
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

/* 4-byte halves are merged into the full entry (Xen: sub-word writes). */
TEST(mov_32bit_halves)
{
    CODE(0x89, 0x07);               /* mov %eax,(%rdi): low half */
    regs.rax = 0xffffffff00000000ull | 0x99999025;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(m.upd_new, 0x8000000199999025ull);

    CODE(0x89, 0x47, 0x04);         /* mov %eax,4(%rdi): high half */
    regs.rax = 0x00000002;
    cr2 = L1_VA + 44;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(m.upd_new, 0x0000000223456067ull);

    CODE(0x66, 0x89, 0x47, 0x02);   /* 16-bit */
    regs.rax = 0xbeef;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0x80000001beef6067ull);

    CODE(0x88, 0x27);               /* mov %ah,(%rdi) */
    regs.rax = 0xab00;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0x80000001234560abull);

    CODE(0x40, 0x88, 0x27);         /* with REX: %spl */
    regs.rsp = 0xcd;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0x80000001234560cdull);
}

TEST(mov_bad_placement)
{
    CODE(0x89, 0x47, 0x02);         /* misaligned 4-byte write */
    CHECK_EQ(run(), EMUL_UNHANDLED);
    CHECK_EQ(m.nr_update, 0);

    CODE(0x48, 0x89, 0x47, 0x04);   /* 8 bytes across two entries */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    CODE(0x48, 0x89, 0x87, 0x00, 0x10, 0x00, 0x00);   /* next page */
    CHECK_EQ(run(), EMUL_UNHANDLED);
    CHECK_EQ(m.nr_update, 0);
    CHECK_EQ(regs.rip, CODE_VA);

    CODE(0xf0, 0x48, 0x89, 0x07);   /* lock mov: #UD */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_UD);
}

/* ---- addressing ------------------------------------------------------- */

TEST(addressing_forms)
{
    CODE(0x4a, 0x89, 0x04, 0xc9);   /* mov %rax,(%rcx,%r9,8) */
    regs.rcx = L1_VA;
    regs.r9 = 5;
    regs.rax = 1;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(regs.rip, CODE_VA + 4);

    CODE(0x49, 0x89, 0x44, 0x24, 0x08);     /* mov %rax,8(%r12) */
    regs.r12 = L1_VA + 32;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);

    CODE(0x48, 0x89, 0x05, 0, 0, 0, 0);     /* mov %rax,0(%rip) */
    cr2 = CODE_VA + 7;
    CHECK_EQ(run(), EMUL_UNHANDLED);        /* ours only if cr2 matches */
    CHECK_EQ(m.nr_update, 0);

    CODE(0x64, 0x48, 0x89, 0x07);   /* mov %rax,%fs:(%rdi) */
    m.fs_base = 0x1000;
    regs.rdi = L1_VA + 40 - 0x1000;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);

    CODE(0x48, 0x89, 0x04, 0x25, 0x28, 0x30, 0x12, 0x00);  /* abs disp32 */
    cr2 = 0x123028;                 /* the entry there is not readable */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.cr2, 0x123028);

    CODE(0x67, 0x48, 0x89, 0x07);   /* addr32: %edi */
    regs.rdi = 0xffffffff00000000ull | 0x123028;
    cr2 = 0x123028;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.cr2, 0x123028);
}

/* ---- xchg and cmpxchg ------------------------------------------------- */

TEST(xchg)
{
    CODE(0x48, 0x87, 0x07);         /* xchg %rax,(%rdi) */
    regs.rax = 0;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(m.upd_cmpxchg);           /* implicitly locked */
    CHECK_EQ(m.upd_new, 0);
    CHECK_EQ(regs.rax, PTE_A);
    CHECK_EQ(regs.rip, CODE_VA + 3);

    CODE(0x87, 0x0f);               /* xchg %ecx,(%rdi): 32-bit */
    regs.rcx = 0xffffffff00000000ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, 0x8000000100000000ull);
    CHECK_EQ(regs.rcx, 0x23456067);         /* zero-extended */

    CODE(0x48, 0x87, 0x07);         /* the entry changed under us */
    m.update_rc = -EAGAIN;
    regs.rax = 0x5;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x5);
    CHECK_EQ(regs.rip, CODE_VA);    /* re-executed */
}

TEST(cmpxchg_success)
{
    CODE(0xf0, 0x48, 0x0f, 0xb1, 0x0f);     /* lock cmpxchg %rcx,(%rdi) */
    regs.rax = PTE_A;
    regs.rcx = PTE_A & ~0x20ull;
    regs.rflags |= X86_EFLAGS_CF | X86_EFLAGS_SF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(m.upd_cmpxchg);
    CHECK_EQ(m.upd_old, PTE_A);
    CHECK_EQ(m.upd_new, PTE_A & ~0x20ull);
    CHECK_EQ(regs.rax, PTE_A);
    CHECK_EQ(flags(), X86_EFLAGS_ZF | X86_EFLAGS_PF);
    CHECK_EQ(regs.rip, CODE_VA + 5);
}

TEST(cmpxchg_mismatch)
{
    CODE(0xf0, 0x48, 0x0f, 0xb1, 0x0f);
    regs.rax = PTE_A + 1;           /* stale expectation */
    regs.rcx = 0;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.nr_update, 0);       /* no store */
    CHECK_EQ(regs.rax, PTE_A);
    CHECK_EQ(flags(), 0);           /* a - b = 1: all clear, PF odd */
    CHECK_EQ(regs.rip, CODE_VA + 5);

    CODE(0xf0, 0x48, 0x0f, 0xb1, 0x0f);
    regs.rax = 0;                   /* 0 - PTE_A: borrow, sign */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(flags() & (X86_EFLAGS_CF | X86_EFLAGS_ZF | X86_EFLAGS_SF |
                        X86_EFLAGS_OF),
             X86_EFLAGS_CF);        /* result 0x7ff...: SF clear, no OF */

    CODE(0xf0, 0x0f, 0xb1, 0x0f);   /* 32-bit: eax zero-extended */
    regs.rax = 0xffffffff00000000ull;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rax, 0x23456067);
}

TEST(cmpxchg_race_and_refusal)
{
    CODE(0xf0, 0x48, 0x0f, 0xb1, 0x0f);
    regs.rax = PTE_A;
    regs.rcx = 0;
    m.update_rc = -EAGAIN;          /* another vCPU won */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rip, CODE_VA);
    CHECK_EQ(regs.rax, PTE_A);
    CHECK_EQ(regs.rflags, 0x202);

    CODE(0xf0, 0x48, 0x0f, 0xb1, 0x0f);
    regs.rax = PTE_A;
    regs.rcx = 0xdead;
    m.update_rc = -EINVAL;          /* validation failed: #PF bounces */
    CHECK_EQ(run(), EMUL_UNHANDLED);
    CHECK_EQ(regs.rip, CODE_VA);
    CHECK_EQ(regs.rflags, 0x202);
}

/* ---- and/or ----------------------------------------------------------- */

TEST(lock_and_or)
{
    CODE(0xf0, 0x48, 0x21, 0x07);   /* lock and %rax,(%rdi) */
    regs.rax = ~0x2ull;
    regs.rflags |= X86_EFLAGS_CF | X86_EFLAGS_OF | X86_EFLAGS_AF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(m.upd_cmpxchg);
    CHECK_EQ(m.upd_new, PTE_A & ~0x2ull);
    CHECK_EQ(flags(), X86_EFLAGS_SF | X86_EFLAGS_PF);   /* 0x..65: even */

    CODE(0xf0, 0x48, 0x09, 0x07);   /* lock or %rax,(%rdi) */
    regs.rax = 0x100;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, PTE_A | 0x100);

    CODE(0x48, 0x21, 0x07);         /* unlocked: a plain store */
    regs.rax = 0;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(!m.upd_cmpxchg);
    CHECK_EQ(m.upd_new, 0);
    CHECK_EQ(flags(), X86_EFLAGS_ZF | X86_EFLAGS_PF);
}

/* Linux clear_bit()/set_bit() on a constant bit: lock andb/orb $imm. */
TEST(lock_byte_imm)
{
    CODE(0xf0, 0x80, 0x27, 0xfd);   /* lock andb $~2,(%rdi): clear RW */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(m.upd_cmpxchg);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(m.upd_new, PTE_A & ~0x2ull);
    CHECK_EQ(regs.rip, CODE_VA + 4);

    CODE(0xf0, 0x80, 0x4f, 0x07, 0x80);     /* lock orb $0x80,7(%rdi) */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, PTE_A);             /* NX already set */
    CHECK_EQ(flags(), X86_EFLAGS_SF);

    CODE(0x80, 0x0f, 0x00);         /* orb $0: flags only */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(flags(), 0);                   /* 0x67: odd parity */

    CODE(0xf0, 0x80, 0x07, 0x01);   /* lock addb: emulated (Xen does) */
    CHECK_EQ(run(), EMUL_DONE);

    CODE(0xf0, 0x80, 0x2f, 0x01);   /* lock subb: not emulated */
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

TEST(group1_immediates)
{
    CODE(0x48, 0x83, 0x0f, 0xff);   /* orq $-1: sign-extended imm8 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, ~0ull);
    CHECK_EQ(regs.rip, CODE_VA + 4);

    CODE(0x48, 0x81, 0x27, 0xff, 0xff, 0xff, 0x7f);   /* andq $0x7fffffff */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, PTE_A & 0x7fffffffull);
    CHECK_EQ(regs.rip, CODE_VA + 7);

    CODE(0x66, 0x81, 0x27, 0x00, 0xf0);     /* andw $0xf000 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, (PTE_A & ~0xffffull) | 0x6000);
    CHECK_EQ(regs.rip, CODE_VA + 5);
}

/* ---- bts/btr/btc ------------------------------------------------------ */

TEST(bit_test_imm)
{
    CODE(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05);   /* lock btrq $5: young */
    regs.rflags |= X86_EFLAGS_ZF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK(m.upd_cmpxchg);
    CHECK_EQ(m.upd_new, PTE_A & ~0x20ull);
    CHECK(regs.rflags & X86_EFLAGS_CF);     /* bit was set */
    CHECK(regs.rflags & X86_EFLAGS_ZF);     /* ZF untouched */
    CHECK_EQ(regs.rip, CODE_VA + 6);

    CODE(0xf0, 0x48, 0x0f, 0xba, 0x2f, 0x08);   /* lock btsq $8 */
    regs.rflags |= X86_EFLAGS_CF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, PTE_A | 0x100);
    CHECK(!(regs.rflags & X86_EFLAGS_CF));

    CODE(0x48, 0x0f, 0xba, 0x3f, 0x7f);     /* btcq $127 = bit 63 */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_new, PTE_A & ~(1ull << 63));
    CHECK(regs.rflags & X86_EFLAGS_CF);

    CODE(0x0f, 0xba, 0x27, 0x01);   /* bt (/4) does not write */
    CHECK_EQ(run(), EMUL_UNHANDLED);
}

/* A register bit offset is signed and can address another entry. */
TEST(bit_test_reg_offset)
{
    CODE(0xf0, 0x48, 0x0f, 0xab, 0x07);     /* lock bts %rax,(%rdi) */
    regs.rax = 64 + 3;              /* entry 6, bit 3 */
    cr2 = L1_VA + 48;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 48);
    CHECK_EQ(m.upd_new, 0x0000000777777025ull | 0x8);
    CHECK(!(regs.rflags & X86_EFLAGS_CF));

    CODE(0xf0, 0x48, 0x0f, 0xb3, 0x07);     /* lock btr %rax,(%rdi) */
    regs.rax = (uint64_t)-1;        /* entry 4, bit 63 */
    cr2 = L1_VA + 32;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 32);
    CHECK_EQ(m.upd_new, 0);

    CODE(0xf0, 0x0f, 0xbb, 0x07);   /* lock btc %eax: 32-bit, dword 1 */
    regs.rax = 32 + 31;
    cr2 = L1_VA + 44;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(m.upd_va, L1_VA + 40);
    CHECK_EQ(m.upd_new, PTE_A & ~(1ull << 63));
    CHECK(regs.rflags & X86_EFLAGS_CF);
}

/* ---- faults and refusals ---------------------------------------------- */

TEST(fetch_and_read_faults)
{
    CODE(0x48, 0x89);               /* ModRM on an unmapped page */
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.error_code, 0);
    CHECK_EQ(fault.cr2, CODE_VA + 2);

    CODE(0x48, 0x89, 0x07);         /* the entry cannot be read */
    m.read_limit = 44;
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_PF);
    CHECK_EQ(fault.cr2, L1_VA + 44);
    CHECK_EQ(m.nr_update, 0);
}

TEST(length_limit)
{
    static const uint8_t c[16] = {
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x48, 0x89, 0x07,
    };

    setup(c, sizeof(c));
    CHECK_EQ(run(), EMUL_EXCEPTION);
    CHECK_EQ(fault.vector, X86_EXC_GP);
    CHECK_EQ(fault.error_code, 0);
    CHECK_EQ(m.nr_update, 0);

    setup(c + 1, sizeof(c) - 1);    /* 15 bytes: fine */
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(regs.rip, CODE_VA + 15);
}

TEST(not_ours)
{
    CODE(0x48, 0x29, 0x07);         /* sub %rax,(%rdi) */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    CODE(0x48, 0x89, 0xc7);         /* mov %rax,%rdi: no memory */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    CODE(0x48, 0xab);               /* stosq */
    CHECK_EQ(run(), EMUL_UNHANDLED);

    CODE(0x48, 0x89, 0x07);         /* 32-bit code: never ours */
    vcpu.compat_cs = true;
    CHECK_EQ(run(), EMUL_UNHANDLED);
    CHECK_EQ(m.nr_update, 0);
}

TEST(single_step)
{
    CODE(0x48, 0x89, 0x07);
    regs.rflags |= X86_EFLAGS_TF | X86_EFLAGS_RF;
    CHECK_EQ(run(), EMUL_DONE);
    CHECK_EQ(fault.dr6, X86_DR6_BS);
    CHECK(!(regs.rflags & X86_EFLAGS_RF));
}

int main(void)
{
    RUN(mov_r64);
    RUN(mov_imm32_sign_extended);
    RUN(mov_32bit_halves);
    RUN(mov_bad_placement);
    RUN(addressing_forms);
    RUN(xchg);
    RUN(cmpxchg_success);
    RUN(cmpxchg_mismatch);
    RUN(cmpxchg_race_and_refusal);
    RUN(lock_and_or);
    RUN(lock_byte_imm);
    RUN(group1_immediates);
    RUN(bit_test_imm);
    RUN(bit_test_reg_offset);
    RUN(fetch_and_read_faults);
    RUN(length_limit);
    RUN(not_ours);
    RUN(single_step);
    HARNESS_EXIT();
}
