/*
 * Instruction-fetch and decoding helpers shared by the PV emulators
 * (emul-priv-op.c, emul-ptwr.c): legacy and REX prefixes, ModRM/SIB with
 * displacement, immediates, operand and address size, general-purpose
 * register access, and the exceptions decoding itself can raise.
 *
 * Invariants: at most PV_INSN_MAX_LEN (15) bytes are ever consumed; the
 * bytes are fetched once, up front, through the caller's fetch hook, so a
 * guest rewriting its instruction stream cannot make two reads disagree.
 * A byte past the 15-byte limit raises #GP(0); a byte the fetch could not
 * read raises #PF (error code 0, as Xen's insn_fetch() reports it) at the
 * first inaccessible address.  Only bytes actually needed can fault.
 */
#include <keel/types.h>
#include <asm/pv/emulate.h>
#include <public/arch-x86/xen-x86_64.h>

#define MODRM_MOD_SHIFT     6
#define MODRM_REG_SHIFT     3
#define MODRM_FIELD_MASK    7
#define MODRM_MOD_REG       3           /* register operand */
#define MODRM_MOD_DISP8     1
#define MODRM_MOD_DISP32    2
#define MODRM_RM_SIB        4
#define MODRM_RM_DISP32     5           /* with mod 0: rip-relative/abs */
#define SIB_NO_INDEX        4
#define SIB_NO_BASE         5           /* with mod 0: disp32, no base */
#define REX_MIN             0x40
#define REX_MAX             0x4f
#define REX_REG_EXT         8           /* REX.R/X/B add 8 to the field */
#define GPR_HIGH_BYTE_MIN   4           /* AH..BH without REX */
#define GPR_HIGH_BYTE_SHIFT 8
#define ADDR32_MASK         0xffffffffull
#define CANONICAL_BITS      48
#define NR_GPRS             16

void pv_emul_raise(struct pv_emul_fault *f, unsigned int vector,
                   bool has_ec, uint32_t ec)
{
    f->vector = vector;
    f->has_error_code = has_ec;
    f->error_code = has_ec ? ec : 0;
}

void pv_emul_page_fault(struct pv_emul_fault *f, uint64_t va, uint32_t ec)
{
    pv_emul_raise(f, X86_EXC_PF, true, ec);
    f->cr2 = va;
}

void pv_insn_init(struct pv_insn *in, uint64_t rip, bool compat,
                  const struct pv_emul_ops *ops, void *ctx)
{
    *in = (struct pv_insn){ .rip = rip, .compat = compat, .seg = PV_SEG_NONE };
    if ( compat )
        in->rip = (uint32_t)rip;
    if ( ops->fetch )
        in->avail = MIN(ops->fetch(ctx, in->rip, in->buf, PV_INSN_MAX_LEN),
                        (unsigned int)PV_INSN_MAX_LEN);
}

int pv_insn_byte(struct pv_insn *in, uint8_t *b, struct pv_emul_fault *f)
{
    if ( in->len >= PV_INSN_MAX_LEN )
    {
        pv_emul_raise(f, X86_EXC_GP, true, 0);
        return PV_INSN_FAULT;
    }
    if ( in->len >= in->avail )
    {
        pv_emul_page_fault(f, in->rip + in->avail, 0);
        return PV_INSN_FAULT;
    }
    *b = in->buf[in->len++];
    return 0;
}

/*
 * Consume prefixes; return the first opcode byte in *opcode.  REX counts
 * only immediately before the opcode and only in 64-bit code; in 64-bit
 * code ES/CS/SS/DS overrides are ignored.
 */
int pv_insn_prefixes(struct pv_insn *in, uint8_t *opcode,
                     struct pv_emul_fault *f)
{
    for ( ; ; )
    {
        uint8_t b;
        int rc = pv_insn_byte(in, &b, f);

        if ( rc )
            return rc;

        if ( !in->compat && b >= REX_MIN && b <= REX_MAX )
        {
            in->rex = b;
            continue;
        }

        switch ( b )
        {
        case 0x26: case 0x2e: case 0x36: case 0x3e:
            if ( in->compat )
                in->seg = b == 0x26 ? PV_SEG_ES : b == 0x2e ? PV_SEG_CS :
                          b == 0x36 ? PV_SEG_SS : PV_SEG_DS;
            break;
        case 0x64: in->seg = PV_SEG_FS; break;
        case 0x65: in->seg = PV_SEG_GS; break;
        case 0x66: in->opsize = true; break;
        case 0x67: in->adsize = true; break;
        case 0xf0: in->lock = true; break;
        case PV_PFX_REPNE:
        case PV_PFX_REP:
            in->rep = b;
            break;
        default:
            *opcode = b;
            return 0;
        }
        in->rex = 0;            /* a REX followed by a prefix is ignored */
    }
}

int pv_insn_modrm(struct pv_insn *in, struct pv_emul_fault *f)
{
    uint8_t modrm, sib;
    uint64_t disp;
    int rc;

    if ( (rc = pv_insn_byte(in, &modrm, f)) != 0 )
        return rc;

    in->mod = modrm >> MODRM_MOD_SHIFT;
    in->reg = (modrm >> MODRM_REG_SHIFT) & MODRM_FIELD_MASK;
    in->rm = modrm & MODRM_FIELD_MASK;
    if ( in->rex & PV_REX_R )
        in->reg += REX_REG_EXT;

    if ( in->mod == MODRM_MOD_REG )
    {
        if ( in->rex & PV_REX_B )
            in->rm += REX_REG_EXT;
        return 0;
    }

    /* 16-bit addressing (compat code with 0x67) is not emulated. */
    if ( in->compat && in->adsize )
        return PV_INSN_UNSUP;

    in->scale = 1;
    if ( in->rm == MODRM_RM_SIB )
    {
        unsigned int idx, base;

        if ( (rc = pv_insn_byte(in, &sib, f)) != 0 )
            return rc;
        in->scale = 1u << (sib >> MODRM_MOD_SHIFT);
        idx = (sib >> MODRM_REG_SHIFT) & MODRM_FIELD_MASK;
        base = sib & MODRM_FIELD_MASK;
        if ( in->rex & PV_REX_X )
            idx += REX_REG_EXT;
        if ( idx != SIB_NO_INDEX )
        {
            in->has_index = true;
            in->index = idx;
        }
        if ( base == SIB_NO_BASE && in->mod == 0 )
        {
            if ( (rc = pv_insn_imm(in, 4, &disp, f)) != 0 )
                return rc;
            in->disp = (int64_t)disp;
            return 0;
        }
        in->has_base = true;
        in->base = base + ((in->rex & PV_REX_B) ? REX_REG_EXT : 0);
    }
    else if ( in->rm == MODRM_RM_DISP32 && in->mod == 0 )
    {
        if ( (rc = pv_insn_imm(in, 4, &disp, f)) != 0 )
            return rc;
        in->disp = (int64_t)disp;
        in->rip_rel = !in->compat;
        return 0;
    }
    else
    {
        in->has_base = true;
        in->base = in->rm + ((in->rex & PV_REX_B) ? REX_REG_EXT : 0);
    }

    if ( in->mod == MODRM_MOD_DISP8 || in->mod == MODRM_MOD_DISP32 )
    {
        rc = pv_insn_imm(in, in->mod == MODRM_MOD_DISP8 ? 1 : 4, &disp, f);
        if ( rc )
            return rc;
        in->disp = (int64_t)disp;
    }

    return 0;
}

/* Read a little-endian immediate of 1, 2, 4 or 8 bytes, sign-extended. */
int pv_insn_imm(struct pv_insn *in, unsigned int bytes, uint64_t *val,
                struct pv_emul_fault *f)
{
    uint64_t v = 0;
    unsigned int i;

    for ( i = 0; i < bytes; i++ )
    {
        uint8_t b;
        int rc = pv_insn_byte(in, &b, f);

        if ( rc )
            return rc;
        v |= (uint64_t)b << (i * 8);
    }

    if ( bytes < sizeof(v) && (v >> (bytes * 8 - 1)) & 1 )
        v |= ~pv_size_mask(bytes);
    *val = v;
    return 0;
}

/* Operand size of a non-byte operation: 2, 4 or 8. */
unsigned int pv_insn_opsize(const struct pv_insn *in)
{
    if ( in->rex & PV_REX_W )
        return 8;
    return in->opsize ? 2 : 4;
}

uint64_t pv_insn_next_rip(const struct pv_insn *in)
{
    uint64_t next = in->rip + in->len;

    return in->compat ? (uint32_t)next : next;
}

/* Offsets of the GPRs in encoding order (rax, rcx, rdx, rbx, rsp, ...). */
static const size_t gpr_offset[NR_GPRS] = {
    offsetof(struct cpu_user_regs, rax), offsetof(struct cpu_user_regs, rcx),
    offsetof(struct cpu_user_regs, rdx), offsetof(struct cpu_user_regs, rbx),
    offsetof(struct cpu_user_regs, rsp), offsetof(struct cpu_user_regs, rbp),
    offsetof(struct cpu_user_regs, rsi), offsetof(struct cpu_user_regs, rdi),
    offsetof(struct cpu_user_regs, r8),  offsetof(struct cpu_user_regs, r9),
    offsetof(struct cpu_user_regs, r10), offsetof(struct cpu_user_regs, r11),
    offsetof(struct cpu_user_regs, r12), offsetof(struct cpu_user_regs, r13),
    offsetof(struct cpu_user_regs, r14), offsetof(struct cpu_user_regs, r15),
};

uint64_t *pv_gpr(struct cpu_user_regs *regs, unsigned int n)
{
    return (uint64_t *)((char *)regs + gpr_offset[n % NR_GPRS]);
}

static uint64_t gpr_value(const struct cpu_user_regs *regs, unsigned int n)
{
    return *(const uint64_t *)((const char *)regs + gpr_offset[n % NR_GPRS]);
}

/* Effective address (offset, before any segment base) of a memory operand. */
uint64_t pv_insn_ea(const struct pv_insn *in,
                    const struct cpu_user_regs *regs)
{
    uint64_t ea = (uint64_t)in->disp;

    if ( in->rip_rel )
        ea += pv_insn_next_rip(in);
    if ( in->has_base )
        ea += gpr_value(regs, in->base);
    if ( in->has_index )
        ea += gpr_value(regs, in->index) * in->scale;

    return (in->compat || in->adsize) ? (ea & ADDR32_MASK) : ea;
}

uint64_t pv_size_mask(unsigned int bytes)
{
    return bytes >= sizeof(uint64_t) ? ~0ull : (1ull << (bytes * 8)) - 1;
}

/* Without REX, byte registers 4-7 are AH, CH, DH and BH. */
static bool is_high_byte(unsigned int n, unsigned int bytes, uint8_t rex)
{
    return bytes == 1 && !rex && n >= GPR_HIGH_BYTE_MIN &&
           n < GPR_HIGH_BYTE_MIN * 2;
}

uint64_t pv_gpr_read(const struct cpu_user_regs *regs, unsigned int n,
                     unsigned int bytes, uint8_t rex)
{
    if ( is_high_byte(n, bytes, rex) )
        return (gpr_value(regs, n - GPR_HIGH_BYTE_MIN) >>
                GPR_HIGH_BYTE_SHIFT) & pv_size_mask(1);
    return gpr_value(regs, n) & pv_size_mask(bytes);
}

/* 32-bit writes zero-extend; 8- and 16-bit writes merge. */
void pv_gpr_write(struct cpu_user_regs *regs, unsigned int n,
                  unsigned int bytes, uint8_t rex, uint64_t val)
{
    uint64_t *r;
    unsigned int shift = 0;

    if ( is_high_byte(n, bytes, rex) )
    {
        n -= GPR_HIGH_BYTE_MIN;
        shift = GPR_HIGH_BYTE_SHIFT;
    }
    r = pv_gpr(regs, n);

    if ( bytes >= 4 )
        *r = val & pv_size_mask(bytes);
    else
        *r = (*r & ~(pv_size_mask(bytes) << shift)) |
             ((val & pv_size_mask(bytes)) << shift);
}

/*
 * Complete an emulated instruction: move rip past it, clear RF and, if
 * the guest was single-stepping, ask for the #DB trap.
 */
void pv_emul_retire(struct cpu_user_regs *regs, const struct pv_insn *in,
                    struct pv_emul_fault *f)
{
    regs->rip = pv_insn_next_rip(in);
    regs->rflags &= ~(uint64_t)X86_EFLAGS_RF;
    if ( regs->rflags & X86_EFLAGS_TF )
        f->dr6 |= X86_DR6_BS;
}

/*
 * Xen's __addr_ok(): below the canonical hole or at/above the end of the
 * hypervisor's range.  The last byte is checked as well.
 */
static bool addr_ok(uint64_t va)
{
    return va < (1ull << (CANONICAL_BITS - 1)) || va >= HYPERVISOR_VIRT_END;
}

bool pv_guest_addr_ok(uint64_t va, unsigned int bytes)
{
    uint64_t last = va + bytes - 1;

    return last >= va && addr_ok(va) && addr_ok(last);
}
