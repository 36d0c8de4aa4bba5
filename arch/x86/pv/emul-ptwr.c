/*
 * Writable page-table emulation for PV guests: decode the instruction that
 * took a write-protect #PF on a read-only mapping of one of the guest's own
 * L1 page tables, compute the 8-byte entry it would produce, and hand
 * (old, new) to the caller's update_pte(), which validates and installs it.
 *
 * Forms emulated (64-bit code only, any REX/66/67/FS/GS prefix):
 *   mov  88 89 c6/0 c7/0        xchg 86 87 (implicitly locked)
 *   cmpxchg 0f b0 0f b1         and/or 20 21 08 09 80/1/4 81/1/4 83/1/4
 *   bts/btr/btc 0f ab 0f b3 0f bb 0f ba/5/6/7
 * (Linux writes PTEs with mov, xchg, cmpxchg, "lock and/or" on the byte
 * holding a flag, and "lock bts/btr").  LOCK is honoured by asking for a
 * compare-and-exchange commit; LOCK on mov is #UD.
 *
 * Invariants, as in Xen's ptwr_emulated_update() (pv/ro-page-fault.c):
 * the write must be naturally aligned and inside the page of the original
 * %cr2, else the original #PF goes back to the guest; a 1-, 2- or 4-byte
 * write is merged into the full entry read from the same slot; update_pte()
 * refusing the entry (validation failure) also bounces the original #PF;
 * a lost compare-and-exchange makes the guest re-execute the instruction
 * (Xen's X86EMUL_RETRY) so it re-reads the entry.  Registers and flags
 * change only after update_pte() accepted the entry, exactly as the real
 * instruction would have changed them.  No write ever reaches memory here.
 */
#include <keel/errno.h>
#include <keel/types.h>
#include <asm/pv/emulate.h>

#define PTE_BYTES          8
#define PTE_ALIGN_MASK     (PTE_BYTES - 1)
#define GUEST_PAGE_MASK    (~0xfffull)
#define ADDR32_MASK        0xffffffffull
#define BYTE_BITS          8
#define AF_CARRY_BIT       0x10         /* carry out of bit 3 */
#define LOW_BYTE           0xffu

enum ptwr_op {
    PTWR_MOV, PTWR_XCHG, PTWR_CMPXCHG, PTWR_AND, PTWR_OR, PTWR_ADD,
    PTWR_XADD,
    PTWR_BTS, PTWR_BTR, PTWR_BTC,
};

/* Group 1 (80/81/83) and group 8 (0f ba) ModRM.reg values we emulate. */
#define GRP1_ADD           0
#define GRP1_OR            1
#define GRP1_AND           4
#define GRP8_BTS           5
#define GRP8_BTR           6
#define GRP8_BTC           7

struct ptwr {
    enum ptwr_op op;
    unsigned int bytes;             /* operand size: 1, 2, 4, 8 */
    bool src_is_reg;                /* source in in.reg, else in imm */
    uint64_t imm;
    bool bit_imm;                   /* bt*: offset from imm, else reg */
    struct pv_insn in;
};

static bool parity_even(uint64_t v)
{
    unsigned int b = v & LOW_BYTE;

    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    return !(b & 1);
}

static uint64_t sign_bit(unsigned int bytes)
{
    return 1ull << (bytes * BYTE_BITS - 1);
}

/* Flags of "cmp a, b" (a - b), as cmpxchg sets them. */
static uint64_t flags_sub(uint64_t a, uint64_t b, unsigned int bytes)
{
    uint64_t m = pv_size_mask(bytes), res, fl = 0;

    a &= m;
    b &= m;
    res = (a - b) & m;
    if ( a < b )
        fl |= X86_EFLAGS_CF;
    if ( parity_even(res) )
        fl |= X86_EFLAGS_PF;
    if ( (a ^ b ^ res) & AF_CARRY_BIT )
        fl |= X86_EFLAGS_AF;
    if ( res == 0 )
        fl |= X86_EFLAGS_ZF;
    if ( res & sign_bit(bytes) )
        fl |= X86_EFLAGS_SF;
    if ( (a ^ b) & (a ^ res) & sign_bit(bytes) )
        fl |= X86_EFLAGS_OF;
    return fl;
}

/* Flags of "add a, b". */
static uint64_t flags_add(uint64_t a, uint64_t b, unsigned int bytes)
{
    uint64_t m = pv_size_mask(bytes), res, fl = 0;

    a &= m;
    b &= m;
    res = (a + b) & m;
    if ( res < a )
        fl |= X86_EFLAGS_CF;
    if ( parity_even(res) )
        fl |= X86_EFLAGS_PF;
    if ( (a ^ b ^ res) & AF_CARRY_BIT )
        fl |= X86_EFLAGS_AF;
    if ( res == 0 )
        fl |= X86_EFLAGS_ZF;
    if ( res & sign_bit(bytes) )
        fl |= X86_EFLAGS_SF;
    if ( ~(a ^ b) & (a ^ res) & sign_bit(bytes) )
        fl |= X86_EFLAGS_OF;
    return fl;
}

/* Flags of and/or: CF = OF = 0, SF/ZF/PF from the result, AF cleared. */
static uint64_t flags_logic(uint64_t res, unsigned int bytes)
{
    uint64_t fl = 0;

    res &= pv_size_mask(bytes);
    if ( parity_even(res) )
        fl |= X86_EFLAGS_PF;
    if ( res == 0 )
        fl |= X86_EFLAGS_ZF;
    if ( res & sign_bit(bytes) )
        fl |= X86_EFLAGS_SF;
    return fl;
}

/* The opcode byte(s): operation, operand size and immediate size. */
static int decode_opcode(struct ptwr *w, uint8_t op, bool twobyte,
                         unsigned int *imm_bytes)
{
    struct pv_insn *in = &w->in;

    if ( twobyte )
    {
        switch ( op )
        {
        case 0xb0: case 0xb1: w->op = PTWR_CMPXCHG; break;
        case 0xc0: case 0xc1: w->op = PTWR_XADD; break;
        case 0xab: w->op = PTWR_BTS; break;
        case 0xb3: w->op = PTWR_BTR; break;
        case 0xbb: w->op = PTWR_BTC; break;
        case 0xba: w->bit_imm = true; *imm_bytes = 1; break;  /* group 8 */
        default:   return PV_INSN_UNSUP;
        }
        w->bytes = (op == 0xb0 || op == 0xc0) ? 1 : pv_insn_opsize(in);
        w->src_is_reg = !w->bit_imm;
        return 0;
    }

    switch ( op )
    {
    case 0x88: case 0x89: w->op = PTWR_MOV; w->src_is_reg = true; break;
    case 0x86: case 0x87: w->op = PTWR_XCHG; w->src_is_reg = true; break;
    case 0x08: case 0x09: w->op = PTWR_OR; w->src_is_reg = true; break;
    case 0x20: case 0x21: w->op = PTWR_AND; w->src_is_reg = true; break;
    case 0x00: case 0x01: w->op = PTWR_ADD; w->src_is_reg = true; break;
    case 0xc6: case 0xc7: w->op = PTWR_MOV; break;          /* group 11 */
    case 0x80: case 0x81: case 0x83: break;                 /* group 1 */
    default:   return PV_INSN_UNSUP;
    }
    w->bytes = (op & 1) ? pv_insn_opsize(in) : 1;
    if ( !w->src_is_reg )           /* imm8, or imm16/imm32 (sign-extended) */
        *imm_bytes = (op == 0x83) ? 1 : MIN(w->bytes, 4u);
    return 0;
}

/* The ModRM.reg opcode extension of groups 1, 8 and 11. */
static int decode_group(struct ptwr *w, uint8_t op, bool twobyte)
{
    unsigned int ext = w->in.reg & 7;

    if ( twobyte && op == 0xba )
    {
        if ( ext == GRP8_BTS )
            w->op = PTWR_BTS;
        else if ( ext == GRP8_BTR )
            w->op = PTWR_BTR;
        else if ( ext == GRP8_BTC )
            w->op = PTWR_BTC;
        else
            return PV_INSN_UNSUP;
    }
    else if ( !twobyte && (op == 0x80 || op == 0x81 || op == 0x83) )
    {
        if ( ext == GRP1_ADD )
            w->op = PTWR_ADD;
        else if ( ext == GRP1_OR )
            w->op = PTWR_OR;
        else if ( ext == GRP1_AND )
            w->op = PTWR_AND;
        else
            return PV_INSN_UNSUP;
    }
    else if ( !twobyte && (op == 0xc6 || op == 0xc7) && ext != 0 )
        return PV_INSN_UNSUP;
    return 0;
}

/* Decode the whole instruction into w; PV_INSN_UNSUP for other forms. */
static int decode(struct ptwr *w, struct pv_emul_fault *f)
{
    struct pv_insn *in = &w->in;
    unsigned int imm_bytes = 0;
    bool twobyte = false;
    uint8_t op;
    int rc;

    if ( (rc = pv_insn_prefixes(in, &op, f)) != 0 )
        return rc;
    if ( op == 0x0f )
    {
        if ( (rc = pv_insn_byte(in, &op, f)) != 0 )
            return rc;
        twobyte = true;
    }
    if ( (rc = decode_opcode(w, op, twobyte, &imm_bytes)) != 0 ||
         (rc = pv_insn_modrm(in, f)) != 0 )
        return rc;
    if ( in->mod == 3 )             /* a register destination never faults */
        return PV_INSN_UNSUP;
    if ( (rc = decode_group(w, op, twobyte)) != 0 )
        return rc;
    if ( imm_bytes && (rc = pv_insn_imm(in, imm_bytes, &w->imm, f)) != 0 )
        return rc;
    return 0;
}

enum pv_emul_result pv_emulate_ptwr(struct cpu_user_regs *regs,
                                    const struct pv_emul_ops *ops, void *ctx,
                                    const struct pv_emul_vcpu *vcpu,
                                    uint64_t cr2, struct pv_emul_fault *fault)
{
    struct ptwr w = { .bytes = 0 };
    struct pv_insn *in = &w.in;
    unsigned int bits, bit = 0, shift, n;
    uint64_t va, slot, old, new, cur, src = 0, res, mask, flags = 0;
    bool set_flags = false, locked;
    int rc;

    *fault = (struct pv_emul_fault){ 0 };
    if ( vcpu->compat_cs || !ops->fetch || !ops->read_mem ||
         !ops->update_pte )
        return EMUL_UNHANDLED;

    pv_insn_init(in, regs->rip, false, ops, ctx);
    rc = decode(&w, fault);
    if ( rc == PV_INSN_FAULT )
        return EMUL_EXCEPTION;
    if ( rc )
        return EMUL_UNHANDLED;

    locked = in->lock || w.op == PTWR_XCHG;
    if ( in->lock && w.op == PTWR_MOV )
    {
        pv_emul_raise(fault, X86_EXC_UD, false, 0);
        return EMUL_EXCEPTION;
    }

    /* Operands. */
    bits = w.bytes * BYTE_BITS;
    if ( w.src_is_reg )
        src = pv_gpr_read(regs, in->reg, w.bytes, in->rex);
    else
        src = w.imm & pv_size_mask(w.bytes);

    va = pv_insn_ea(in, regs);
    if ( w.op >= PTWR_BTS )
    {
        if ( w.bit_imm )
            bit = w.imm & (bits - 1);
        else
        {
            /* A register offset is signed and may select another word. */
            int64_t off = (int64_t)(src << (64 - bits)) >> (64 - bits);

            bit = off & (bits - 1);
            va += (uint64_t)((off >> __builtin_ctz(bits)) * (int64_t)w.bytes);
            if ( in->adsize )
                va &= ADDR32_MASK;
        }
    }
    if ( in->seg == PV_SEG_FS || in->seg == PV_SEG_GS )
    {
        if ( !ops->seg_base )
            return EMUL_UNHANDLED;
        va += ops->seg_base(ctx, in->seg);
    }

    /* Only naturally-aligned stores within the original %cr2 page. */
    if ( ((va ^ cr2) & GUEST_PAGE_MASK) || (va & (w.bytes - 1)) )
        return EMUL_UNHANDLED;

    slot = va & ~(uint64_t)PTE_ALIGN_MASK;
    if ( (n = ops->read_mem(ctx, slot, &old, PTE_BYTES)) < PTE_BYTES )
    {
        pv_emul_page_fault(fault, slot + n, 0);
        return EMUL_EXCEPTION;
    }

    shift = (va & PTE_ALIGN_MASK) * BYTE_BITS;
    mask = pv_size_mask(w.bytes);
    cur = (old >> shift) & mask;

    switch ( w.op )
    {
    case PTWR_MOV:
    case PTWR_XCHG:
        res = src;
        break;
    case PTWR_CMPXCHG:
        flags = flags_sub(regs->rax, cur, w.bytes);
        set_flags = true;
        if ( cur != (regs->rax & mask) )
        {
            /* Mismatch: no store, the accumulator gets the entry. */
            pv_gpr_write(regs, 0, w.bytes, in->rex, cur);
            regs->rflags = (regs->rflags & ~(uint64_t)X86_EFLAGS_ARITH_MASK) |
                           flags;
            pv_emul_retire(regs, in, fault);
            return EMUL_DONE;
        }
        res = src;
        break;
    case PTWR_AND:
    case PTWR_OR:
        res = w.op == PTWR_AND ? (cur & src) : (cur | src);
        flags = flags_logic(res, w.bytes);
        set_flags = true;
        break;
    case PTWR_ADD:
    case PTWR_XADD:
        res = cur + src;
        flags = flags_add(cur, src, w.bytes);
        set_flags = true;
        break;
    default:                        /* bts, btr, btc: CF = the old bit */
        res = w.op == PTWR_BTS ? (cur | (1ull << bit)) :
              w.op == PTWR_BTR ? (cur & ~(1ull << bit)) :
                                 (cur ^ (1ull << bit));
        break;
    }

    new = (old & ~(mask << shift)) | ((res & mask) << shift);
    rc = ops->update_pte(ctx, slot, old, new, locked || w.op == PTWR_CMPXCHG);
    if ( rc == -EAGAIN )
        return EMUL_DONE;           /* lost a race: re-execute */
    if ( rc )
        return EMUL_UNHANDLED;      /* refused: the guest gets its #PF */

    if ( w.op == PTWR_XCHG || w.op == PTWR_XADD )
        pv_gpr_write(regs, in->reg, w.bytes, in->rex, cur);
    if ( set_flags )
        regs->rflags = (regs->rflags & ~(uint64_t)X86_EFLAGS_ARITH_MASK) |
                       flags;
    if ( w.op >= PTWR_BTS )
        regs->rflags = (regs->rflags & ~(uint64_t)X86_EFLAGS_CF) |
                       ((cur >> bit) & 1 ? X86_EFLAGS_CF : 0);
    pv_emul_retire(regs, in, fault);
    return EMUL_DONE;
}
