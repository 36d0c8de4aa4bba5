/*
 * fuzz: the argument generators, one per hypercall that needs more than
 * raw values, and the table that picks among them (weights roughly follow
 * how much each call can exercise).  Each fills a struct call; the
 * structures a call points at are built in the arena.
 *
 * Rules that keep the kernel alive (see fuzz.c): frames that may be
 * written or given away come from wframe(); page-table bases from
 * cr3_frame(); vcpu_info from vinfo_frame(); addresses that may be
 * remapped from any_va(); nothing is ever aimed at the kernel's own
 * memory except as a reference (pins, page-table entries).
 */
#include "fuzz.h"

#define PICK(a) ((a)[below(ARRAY_SIZE(a))])

typedef void gen_fn(struct call *c, bool top);

static const char *const names[64] = {
    "set_trap_table", "mmu_update", "set_gdt", "stack_switch",
    "set_callbacks", "fpu_taskswitch", "sched_op_compat", "platform_op",
    "set_debugreg", "get_debugreg", "update_descriptor", "op11",
    "memory_op", "multicall", "update_va_mapping", "set_timer_op",
    "event_channel_op_compat", "xen_version", "console_io",
    "physdev_op_compat", "grant_table_op", "vm_assist",
    "update_va_mapping_otherdomain", "iret", "vcpu_op", "set_segment_base",
    "mmuext_op", "xsm_op", "nmi_op", "sched_op", "callback_op",
    "xenoprof_op", "event_channel_op", "physdev_op", "hvm_op", "sysctl",
    "domctl", "kexec_op", "tmem_op", "argo_op", "xenpmu_op", "dm_op",
    "hypfs_op", "op43", "op44", "op45", "op46", "op47", "mca", "arch_1",
    "arch_2", "arch_3", "arch_4", "arch_5", "arch_6", "arch_7", "op56",
    "op57", "op58", "op59", "op60", "op61", "op62", "op63",
};

const char *op_name(unsigned long op)
{
    return op < 64 ? names[op] : "unknown";
}

static unsigned long raw_arg(void)
{
    unsigned long v;

    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3:
        v = any_int();
        break;
    case 4: case 5: case 6: case 7:
        v = any_ptr();
        break;
    case 8:
        v = any_domid();
        break;
    default:
        v = wframe();
        break;
    }
    return is_protected(v) ? 0 : v;
}

static void raw_args(struct call *c)
{
    unsigned int i;

    for ( i = 0; i < 6; i++ )
        c->args[i] = raw_arg();
}

/* An output buffer of about BYTES: in the pointer zone, content random. */
static unsigned long buf(size_t bytes)
{
    unsigned long room = arena_end() - pointer_zone();

    if ( bytes >= room )
        return pointer_zone();
    return pointer_zone() + (below(room - bytes) & ~7UL);
}

/* An array of N elements of SIZE: in the arena when it fits, else placed
 * so that it runs into the guard page after a few elements. */
void *arena_array(unsigned long n, size_t size, unsigned long *room)
{
    void *p = NULL;

    if ( n <= 64 )
        p = arena_alloc(n * size);
    if ( p )
    {
        *room = n;
        return p;
    }
    *room = 1 + below(4);
    return (void *)(arena_end() - *room * size);
}

/* ---- state the kernel depends on: restored after the call ---------- */
static void gen_restoring(struct call *c, bool top)
{
    raw_args(c);
    c->restore = true;
    switch ( c->op )
    {
    case __HYPERVISOR_set_trap_table:
        if ( chance(50) )
        {
            unsigned long n = 1 + below(8), i;
            struct trap_info *t = arena_alloc((n + 1) * sizeof(*t));

            if ( !t )
                break;
            for ( i = 0; i < n; i++ )
            {
                t[i].vector = any_int();
                t[i].flags = any_int();
                t[i].cs = chance(50) ? FLAT_KERNEL_CS : any_int();
                t[i].address = chance(50) ? any_ptr() : any_int();
            }
            t[n].address = chance(80) ? 0 : any_int();
            c->args[0] = (unsigned long)t;
        }
        break;
    case __HYPERVISOR_set_debugreg:
        c->args[0] = chance(80) ? below(8) : any_int();
        break;
    case __HYPERVISOR_set_segment_base:
        c->args[0] = chance(80) ? below(5) : any_int();
        if ( chance(30) )
            c->args[1] = bad_ptr();
        break;
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_nmi_op:
        c->args[0] = chance(80) ? below(3) : any_int();
        if ( chance(60) )
        {
            struct callback_register *cb = arena_alloc(sizeof(*cb));

            if ( !cb )
                break;
            cb->type = chance(80) ? below(9) : any_int();
            cb->flags = chance(50) ? below(2) : any_int();
            cb->address = chance(50) ? any_ptr() : any_int();
            c->args[1] = (unsigned long)cb;
        }
        break;
    }
}

/* ---- raw: any values will do -------------------------------------- */
static void gen_raw(struct call *c, bool top)
{
    raw_args(c);
    if ( chance(60) )
        c->args[0] = below(24);         /* most take a small sub-op */
}

/*
 * physdev_op: any sub-op but PHYSDEVOP_prepare_msix and release_msix,
 * which crash Xen 4.17.7 itself and would end runs there: after
 * PHYSDEVOP_manage_pci_add {bus 0, devfn 0} (the host bridge, no MSI-X),
 * PHYSDEVOP_prepare_msix {0, 0, 0} is a NULL dereference in
 * pci_prepare_msix() ("FATAL PAGE FAULT", address 4).  Dom0 only, but
 * the fuzzer must finish on Xen too.
 */
static unsigned long physdev_cmd(void)
{
    unsigned long cmd = chance(70) ? below(40) : any_int();

    return cmd == PHYSDEVOP_prepare_msix || cmd == PHYSDEVOP_release_msix
           ? PHYSDEVOP_set_iopl : cmd;
}

static void gen_physdev(struct call *c, bool top)
{
    unsigned long *op;

    raw_args(c);
    if ( c->op == __HYPERVISOR_physdev_op )
    {
        c->args[0] = physdev_cmd();
        return;
    }
    /* The old interface: the command is the first word of the struct. */
    op = arena_alloc(64);
    if ( !op )
    {
        c->args[0] = bad_ptr();
        return;
    }
    fill_content(op, 64);
    *(uint32_t *)op = physdev_cmd();
    c->args[0] = (unsigned long)op;
}

static void gen_unknown(struct call *c, bool top)
{
    static const unsigned long ops[] = {
        11, 43, 44, 45, 46, 47, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
        127, 128, 255, 256, 0x7fffffff, 0xffffffff, 0x100000040UL,
        0x8000000000000040UL, ~0UL,
    };

    c->op = chance(80) ? PICK(ops) : (rnd() | 64);
    raw_args(c);
}

/* ---- page tables --------------------------------------------------- */
static uint64_t pt_ptr(void)
{
    unsigned long frame, off = below(512) * 8, cmd = MMU_NORMAL_PT_UPDATE;

    switch ( below(20) )
    {
    case 12: case 13:
        frame = ptframe();
        cmd = MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 14:
        frame = ptframe();
        cmd = MMU_PT_UPDATE_NO_TRANSLATE;
        break;
    case 15:
        frame = wframe();
        cmd = MMU_MACHPHYS_UPDATE;
        off = 0;
        break;
    case 16:                    /* not a page table: a plain write */
        frame = wframe();
        break;
    case 17:                    /* the hypervisor's slots of our L4 */
        frame = fuzz_kernel_l4;
        off = (256 + below(16)) * 8;
        break;
    case 18:
        frame = bad_frame();
        cmd = below(4);
        break;
    case 19:
        return any_content();
    default:
        frame = ptframe();
        break;
    }
    return (frame << PAGE_SHIFT) + off + (chance(3) ? 4 : 0) + cmd;
}

static void gen_mmu_update(struct call *c, bool top)
{
    unsigned long n, room, i;
    struct mmu_update *u;

    n = chance(85) ? 1 + below(8) : chance(50) ? below(64) : any_count();
    u = arena_array(n, sizeof(*u), &room);
    for ( i = 0; i < room && i < n; i++ )
    {
        u[i].ptr = pt_ptr();
        u[i].val = (u[i].ptr & 3) == MMU_MACHPHYS_UPDATE && chance(70)
                   ? below(pv_start_info->nr_pages) : any_pte();
    }
    /* Never any_ptr(): arbitrary memory taken as requests could name
     * anything. */
    c->args[0] = chance(95) ? (unsigned long)u : bad_ptr();
    c->args[1] = n;
    c->args[2] = chance(40) ? 0 : chance(70) ? buf(4) : any_ptr();
    c->args[3] = any_domid();
}

static void mmuext_one(struct mmuext_op *op)
{
    static const unsigned int cmds[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
        MMUEXT_PIN_L4_TABLE, MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L4_TABLE,
        MMUEXT_UNPIN_TABLE, MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR,
        MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_MULTI,
        MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
        MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT, MMUEXT_SET_LDT,
        MMUEXT_NEW_USER_BASEPTR, MMUEXT_CLEAR_PAGE, MMUEXT_CLEAR_PAGE,
        MMUEXT_COPY_PAGE, MMUEXT_COPY_PAGE, MMUEXT_FLUSH_CACHE_GLOBAL,
        MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER, 14, 21, 22, 31,
    };

    op->cmd = chance(97) ? PICK(cmds) : (unsigned int)rnd();
    op->arg1.mfn = 0;
    op->arg2.nr_ents = 0;
    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE: case MMUEXT_PIN_L4_TABLE:
    case MMUEXT_UNPIN_TABLE:
    case MMUEXT_MARK_SUPER: case MMUEXT_UNMARK_SUPER:
        op->arg1.mfn = rframe();
        break;
    case MMUEXT_NEW_USER_BASEPTR:
        /*
         * Not our kernel L4: with m2p_strict, the hypervisor takes the
         * M2P out of an L4 that becomes a user one.
         */
        op->arg1.mfn = rframe();
        if ( op->arg1.mfn == fuzz_kernel_l4 )
            op->arg1.mfn = ptframe();
        break;
    case MMUEXT_NEW_BASEPTR:
        op->arg1.mfn = cr3_frame();
        break;
    case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_ALL:
        op->arg1.linear_addr = chance(50) ? any_va() : any_int();
        break;
    case MMUEXT_TLB_FLUSH_MULTI:
        set_xen_guest_handle(op->arg2.vcpumask, (void *)any_ptr());
        break;
    case MMUEXT_INVLPG_MULTI:
        op->arg1.linear_addr = any_va();
        set_xen_guest_handle(op->arg2.vcpumask, (void *)any_ptr());
        break;
    case MMUEXT_SET_LDT:
        op->arg1.linear_addr = chance(50) ? any_va() : any_int();
        op->arg2.nr_ents = chance(30) ? 0 : any_int();
        break;
    case MMUEXT_CLEAR_PAGE:
        op->arg1.mfn = wframe();
        break;
    case MMUEXT_COPY_PAGE:
        op->arg1.mfn = wframe();
        op->arg2.src_mfn = chance(70) ? wframe() : ptframe();
        break;
    case MMUEXT_TLB_FLUSH_LOCAL: case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_FLUSH_CACHE: case MMUEXT_FLUSH_CACHE_GLOBAL:
        if ( chance(20) )
            op->arg1.mfn = any_int();
        break;
    default:
        op->arg1.mfn = any_int();
        op->arg2.nr_ents = any_int();
        break;
    }
    if ( is_protected(op->arg1.mfn) &&
         op->cmd != MMUEXT_PIN_L1_TABLE && op->cmd != MMUEXT_PIN_L2_TABLE &&
         op->cmd != MMUEXT_PIN_L3_TABLE && op->cmd != MMUEXT_PIN_L4_TABLE &&
         op->cmd != MMUEXT_UNPIN_TABLE && op->cmd != MMUEXT_NEW_BASEPTR &&
         op->cmd != MMUEXT_NEW_USER_BASEPTR &&
         op->cmd != MMUEXT_INVLPG_LOCAL && op->cmd != MMUEXT_INVLPG_ALL &&
         op->cmd != MMUEXT_INVLPG_MULTI )
        op->arg1.mfn = 0;
}

static void gen_mmuext_op(struct call *c, bool top)
{
    unsigned long n, room, i;
    struct mmuext_op *ops;

    n = chance(85) ? 1 + below(4) : chance(50) ? below(32) : any_count();
    ops = arena_array(n, sizeof(*ops), &room);
    for ( i = 0; i < room && i < n; i++ )
        mmuext_one(&ops[i]);
    c->args[0] = chance(95) ? (unsigned long)ops : bad_ptr();
    c->args[1] = n;
    c->args[2] = chance(40) ? 0 : chance(70) ? buf(4) : any_ptr();
    c->args[3] = any_domid();
}

static unsigned long uvm_flags(void)
{
    unsigned long f = below(8);

    if ( chance(10) )
        f |= any_ptr() & ~7UL;          /* a vCPU bitmap pointer */
    else if ( chance(5) )
        f = any_int();
    return f;
}

static void gen_update_va_mapping(struct call *c, bool top)
{
    c->args[0] = any_va();
    c->args[1] = any_pte();
    c->args[2] = uvm_flags();
    if ( c->op == __HYPERVISOR_update_va_mapping_otherdomain )
        c->args[3] = raw_domid();
}

static void gen_set_gdt(struct call *c, bool top)
{
    static const unsigned long entries[] = {
        0, 1, 8, 512, 513, 14 * 512, 14 * 512 + 1, 16 * 512, ~0UL,
    };
    unsigned long n = 1 + below(16), i;
    unsigned long *f = arena_alloc(n * 8);

    if ( f )
        for ( i = 0; i < n; i++ )
            f[i] = chance(60) ? wframe() : chance(50) ? ptframe()
                                                      : bad_frame();
    c->args[0] = f && chance(90) ? (unsigned long)f : any_ptr();
    c->args[1] = chance(80) ? PICK(entries) : any_int();
}

static void gen_update_descriptor(struct call *c, bool top)
{
    static const uint64_t descs[] = {
        0, 0x00cf9a000000ffffUL, 0x00cf92000000ffffUL, 0x00af9b000000ffffUL,
        0x00cffa000000ffffUL, 0x00cff2000000ffffUL, 0x0000ec0000000000UL,
        0x00008c0000000000UL, 0x0000e50000000000UL, 0x00cf9e000000ffffUL,
        0x0040f30000000fffUL,
    };
    unsigned long frame = chance(70) ? wframe() : chance(50) ? ptframe()
                                                             : bad_frame();

    c->args[0] = (frame << PAGE_SHIFT) + below(512) * 8 +
                 (chance(10) ? below(8) : 0);
    c->args[1] = chance(70) ? PICK(descs) : rnd();
}

/* ---- memory_op ---------------------------------------------------- */
static unsigned int any_order(void)
{
    static const unsigned int orders[] = {
        1, 2, 3, 9, 10, 20, 21, 31, 32, 63, 64, 0xffffffff,
    };

    return chance(70) ? 0 : PICK(orders);
}

static unsigned int any_mem_flags(void)
{
    static const unsigned int flags[] = {
        XENMEMF_address_bits(12), XENMEMF_address_bits(20),
        XENMEMF_address_bits(32), XENMEMF_address_bits(64),
        XENMEMF_node(0), XENMEMF_node(5), XENMEMF_node(200),
        XENMEMF_exact_node(0), XENMEMF_exact_node(7),
        XENMEMF_populate_on_demand, XENMEMF_vnode, 0xffffffff,
    };

    return chance(70) ? 0 : chance(80) ? PICK(flags) : (unsigned int)rnd();
}

/* A frame to give away in an extent of 2^ORDER: none of it ours. */
static unsigned long give_frame(unsigned int order)
{
    unsigned long f = wframe(), i;

    if ( order > 10 )
        return bad_frame() | (1UL << 40);
    for ( i = 0; i < (1UL << order); i++ )
        if ( is_protected(f + i) )
            return bad_frame() | (1UL << 40);
    return f;
}

static void gen_reservation(struct call *c, unsigned int cmd,
                            unsigned long start)
{
    struct xen_memory_reservation *r = arena_alloc(sizeof(*r));
    unsigned long n, room, i;
    xen_pfn_t *list;

    if ( !r )
    {
        c->args[1] = any_ptr();
        return;
    }
    c->args[1] = (unsigned long)r;
    n = chance(70) ? 1 + below(8) : any_count();
    r->extent_order = any_order();
    r->mem_flags = any_mem_flags();
    r->domid = any_domid();
    /*
     * New frames are bounded: at most eight extents of at most 2^10, or
     * what fits before the guard page.
     */
    if ( cmd != XENMEM_decrease_reservation && r->extent_order <= 20 &&
         (n > 8 || r->extent_order > 10) )
        n = chance(50) ? n : 1 + below(8);
    if ( cmd != XENMEM_decrease_reservation && r->extent_order > 10 &&
         r->extent_order <= 20 )
        r->extent_order = 10;
    if ( cmd == XENMEM_decrease_reservation && r->extent_order && n > 8 )
        n = 8;
    if ( chance(85) )
    {
        if ( n <= 8 && (list = arena_alloc(n * 8)) != NULL )
            room = n;
        else
        {
            room = 1 + below(8);
            list = (xen_pfn_t *)(arena_end() - room * 8);
        }
        for ( i = 0; i < room; i++ )
            list[i] = cmd == XENMEM_decrease_reservation
                      ? give_frame(r->extent_order)
                      : cmd == XENMEM_populate_physmap
                      ? (chance(50) ? below(pv_start_info->nr_pages)
                                    : any_int())
                      : any_int();
        set_xen_guest_handle(r->extent_start, list);
        if ( cmd != XENMEM_decrease_reservation &&
             r->extent_order <= 10 )
        {
            c->post = POST_LIST;
            c->list = list;
            c->room = room;
            c->first = start;
            c->order = r->extent_order;
        }
    }
    else
    {
        set_xen_guest_handle(r->extent_start, (xen_pfn_t *)any_ptr());
        if ( cmd != XENMEM_decrease_reservation )
        {
            n = below(3);
            r->extent_order = below(3);
        }
        else    /* frames to give away: never from arbitrary memory */
            set_xen_guest_handle(r->extent_start, (xen_pfn_t *)bad_ptr());
    }
    r->nr_extents = n;
}

static void gen_exchange(struct call *c)
{
    struct xen_memory_exchange *ex = arena_alloc(sizeof(*ex));
    unsigned long nin, i, room;
    xen_pfn_t *in, *out;

    if ( !ex )
    {
        c->args[1] = any_ptr();
        return;
    }
    c->args[1] = (unsigned long)ex;
    memset(ex, 0, sizeof(*ex));
    nin = chance(80) ? 1 + below(4) : any_count();
    ex->in.extent_order = chance(70) ? 0 : chance(80) ? below(3)
                                                      : any_order();
    ex->out.extent_order = chance(70) ? 0 : chance(80) ? below(3)
                                                       : any_order();
    ex->in.nr_extents = nin;
    ex->out.nr_extents = chance(80) && ex->in.extent_order < 64 &&
                         ex->out.extent_order < 64
                         ? (nin << ex->in.extent_order) >>
                           ex->out.extent_order
                         : any_count();
    ex->in.domid = any_domid();
    ex->out.domid = chance(90) ? ex->in.domid : any_domid();
    ex->out.mem_flags = any_mem_flags();
    ex->nr_exchanged = chance(80) ? 0 : chance(50) ? below(nin + 2)
                                                   : any_count();
    /* Input: frames to give away (none of ours), a few at most. */
    if ( nin <= 8 && (in = arena_alloc(nin * 8)) != NULL )
        room = nin;
    else
    {
        room = 1 + below(4);
        in = (xen_pfn_t *)(arena_end() - room * 8);
    }
    for ( i = 0; i < room; i++ )
        in[i] = give_frame(ex->in.extent_order < 64 ? ex->in.extent_order
                                                    : 64);
    if ( ex->out.nr_extents <= 8 &&
         (out = arena_alloc(ex->out.nr_extents * 8 + 8)) != NULL )
        room = ex->out.nr_extents;
    else
    {
        room = 1 + below(4);
        out = (xen_pfn_t *)(arena_end() - room * 8);
    }
    for ( i = 0; i < room; i++ )
        out[i] = chance(50) ? below(pv_start_info->nr_pages) : any_int();
    set_xen_guest_handle(ex->in.extent_start, chance(95) ? in
                         : (xen_pfn_t *)bad_ptr());
    set_xen_guest_handle(ex->out.extent_start, chance(95) ? out
                         : (xen_pfn_t *)any_ptr());
    if ( ex->in.extent_order > 20 || ex->out.extent_order > 20 ||
         ex->nr_exchanged > nin )
        return;
    c->post = POST_EXCHANGE;
    c->ex = ex;
    c->list = out;
    c->room = room;
    c->ex_first = (ex->nr_exchanged << ex->in.extent_order) >>
                  ex->out.extent_order;
}

static void gen_memory_op(struct call *c, bool top)
{
    unsigned long start = 0, cmd;

    if ( chance(10) )
        start = chance(70) ? below(16) : rnd() >> below(64);
    c->args[1] = any_ptr();
    switch ( below(20) )
    {
    case 0: case 1: case 2:
        cmd = XENMEM_increase_reservation;
        gen_reservation(c, cmd, start);
        break;
    case 3: case 4: case 5:
        cmd = XENMEM_decrease_reservation;
        gen_reservation(c, cmd, start);
        break;
    case 6: case 7: case 8:
        cmd = XENMEM_populate_physmap;
        gen_reservation(c, cmd, start);
        break;
    case 9: case 10: case 11:
        cmd = XENMEM_exchange;
        gen_exchange(c);
        break;
    case 12:
        cmd = XENMEM_maximum_ram_page;
        break;
    case 13: case 14:
    {
        domid_t *d = arena_alloc(sizeof(*d));

        cmd = PICK(((unsigned long[]){ XENMEM_current_reservation,
                                       XENMEM_maximum_reservation,
                                       XENMEM_maximum_gpfn }));
        if ( d && chance(80) )
        {
            *d = raw_domid();
            c->args[1] = (unsigned long)d;
        }
        break;
    }
    case 15:
    {
        struct xen_machphys_mfn_list *ml = arena_alloc(sizeof(*ml));

        cmd = XENMEM_machphys_mfn_list;
        if ( ml && chance(80) )
        {
            ml->max_extents = chance(50) ? below(4) : any_count();
            set_xen_guest_handle(ml->extent_start,
                                 (xen_pfn_t *)(chance(50) ? buf(32)
                                                          : any_ptr()));
            c->args[1] = (unsigned long)ml;
        }
        break;
    }
    case 16:
        cmd = chance(50) ? XENMEM_machphys_mapping : XENMEM_memory_map;
        break;
    case 17:
    {
        struct xen_memory_map *m = arena_alloc(sizeof(*m));

        cmd = XENMEM_machine_memory_map;
        if ( m && chance(80) )
        {
            m->nr_entries = chance(50) ? below(40) : any_count();
            set_xen_guest_handle(m->buffer, (void *)(chance(50) ? buf(800)
                                                     : any_ptr()));
            c->args[1] = (unsigned long)m;
        }
        break;
    }
    default:
        cmd = chance(80) ? below(64) : any_int();
        if ( (cmd & XENMEMOP_CMD_MASK) <= XENMEM_exchange ||
             (cmd & XENMEMOP_CMD_MASK) == XENMEM_populate_physmap )
            cmd = 40 + below(24);
        break;
    }
    c->args[0] = cmd | (start << XENMEMOP_EXTENT_SHIFT);
    if ( c->post == POST_LIST && start )
        c->first = start;
}

/* ---- vCPUs, scheduling, console ---------------------------------- */
static void gen_vcpu_op(struct call *c, bool top)
{
    static const unsigned long vcpus[] = {
        1, 2, 31, 32, 63, 64, 127, 128, 0x7fffffff, 0xffffffff, ~0UL,
    };
    static const unsigned long offsets[] = {
        0, 64, 128, 4032, 4033, 4095, 4096, 1UL << 32,
    };
    unsigned long cmd, vcpu = chance(70) ? 0 : PICK(vcpus);

    switch ( below(16) )
    {
    case 0:
        cmd = VCPUOP_initialise;
        break;
    case 1:     /* up, down: only for vCPUs that cannot exist */
        cmd = chance(50) ? VCPUOP_up : VCPUOP_down;
        vcpu = 64 + below(64) + (chance(30) ? rnd() : 0);
        break;
    case 2: case 3:
    {
        struct vcpu_register_vcpu_info *vi = arena_alloc(sizeof(*vi));

        cmd = VCPUOP_register_vcpu_info;
        c->args[2] = any_ptr();
        if ( !vi || chance(10) )
            break;
        vi->mfn = vinfo_frame();
        vi->offset = chance(80) ? PICK(offsets) : any_int();
        vi->rsvd = chance(90) ? 0 : any_int();
        c->args[2] = (unsigned long)vi;
        if ( vcpu == 0 )
        {
            c->post = POST_VCPU_INFO;
            c->vi_offset = vi->offset;
            c->first = vi->mfn;
        }
        goto out;
    }
    case 4:
        cmd = top ? VCPUOP_send_nmi : VCPUOP_is_up;
        if ( top )
            vcpu = chance(50) ? 0 : PICK(vcpus);
        break;
    case 5: case 6:
    {
        unsigned long *addr = arena_alloc(8);

        cmd = chance(50) ? VCPUOP_register_runstate_memory_area
                         : VCPUOP_register_vcpu_time_memory_area;
        if ( addr )
            *addr = any_ptr();
        c->args[2] = addr && chance(90) ? (unsigned long)addr : any_ptr();
        goto out;
    }
    default:
        cmd = chance(90) ? PICK(((unsigned long[]){
                  VCPUOP_is_up, VCPUOP_get_runstate_info,
                  VCPUOP_set_periodic_timer, VCPUOP_stop_periodic_timer,
                  VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer,
                  VCPUOP_get_physid, 14, 15, 0x7fffffff }))
                         : any_int() | 16;
        break;
    }
    c->args[2] = chance(70) ? buf(128) : any_ptr();
 out:
    c->args[0] = cmd;
    c->args[1] = vcpu;
}

static void gen_sched_op(struct call *c, bool top)
{
    unsigned long cmd;

    switch ( below(10) )
    {
    case 0: case 1: case 2: case 3:
        cmd = SCHEDOP_yield;
        c->args[1] = any_ptr();
        break;
    case 4:     /* these would end or block us: bad pointers only */
        cmd = PICK(((unsigned long[]){ SCHEDOP_shutdown_code,
                                       SCHEDOP_poll, SCHEDOP_shutdown }));
        c->args[1] = bad_ptr();
        break;
    case 5:
    {
        struct sched_remote_shutdown *rs = arena_alloc(sizeof(*rs));

        cmd = SCHEDOP_remote_shutdown;
        c->args[1] = bad_ptr();
        if ( !rs )
            break;
        rs->domain_id = raw_domid();
        if ( rs->domain_id == 0 || rs->domain_id == DOMID_SELF )
            rs->domain_id = 77;
        rs->reason = any_int();
        c->args[1] = (unsigned long)rs;
        break;
    }
    case 6:
    {
        struct sched_watchdog *w = arena_alloc(sizeof(*w));

        /* Id 0 would start a watchdog: only stop ones that are not. */
        cmd = SCHEDOP_watchdog;
        c->args[1] = bad_ptr();
        if ( !w )
            break;
        w->id = any_int() | 1;
        w->timeout = 0;
        c->args[1] = (unsigned long)w;
        break;
    }
    case 7:
    {
        struct sched_pin_override *p = arena_alloc(sizeof(*p));

        cmd = SCHEDOP_pin_override;
        c->args[1] = bad_ptr();
        if ( !p )
            break;
        p->pcpu = chance(50) ? -1 : (int)any_int();
        c->args[1] = (unsigned long)p;
        break;
    }
    default:
        cmd = chance(80) ? 8 + below(8) : any_int() | 8;
        c->args[1] = any_ptr();
        break;
    }
    c->args[0] = cmd;
}

static void gen_sched_op_compat(struct call *c, bool top)
{
    /* The old interface: 1-7 block, shut down, poll... */
    c->args[0] = chance(60) ? SCHEDOP_yield : 8 + below(100) +
                 (chance(20) ? rnd() << 8 : 0);
    c->args[1] = any_int();
}

static void gen_console_io(struct call *c, bool top)
{
    switch ( below(4) )
    {
    case 0:     /* writes: nothing printed */
        c->args[0] = CONSOLEIO_write;
        c->args[1] = chance(50) ? 0 : any_count();
        c->args[2] = c->args[1] ? bad_ptr() : any_ptr();
        break;
    case 1: case 2:
        c->args[0] = CONSOLEIO_read;
        c->args[1] = any_count();
        c->args[2] = any_ptr();
        break;
    default:
        c->args[0] = 2 + below(10) + (chance(20) ? rnd() : 0);
        c->args[1] = any_count();
        c->args[2] = any_ptr();
        break;
    }
}

static void gen_kexec(struct call *c, bool top)
{
    c->args[0] = any_int();
    c->args[1] = bad_ptr();
}

/* ---- multicall ---------------------------------------------------- */
/*
 * A top-level batch lives outside the arena, where no fuzzed pointer
 * reaches: the hypervisor executes what it reads there, and a word the
 * hypervisor wrote into the arena (a runstate, a version string) must
 * not turn into a call of its own.  The hostile variants point at
 * nothing, or at a few harmless entries before the guard page.
 */
static struct call mc_sub[MAX_MC];
static struct multicall_entry mc_array[MAX_MC];

static void gen_multicall(struct call *c, bool top)
{
    struct multicall_entry *mc;
    unsigned long n, i;
    struct call sub;

    if ( !top )
    {
        /* Nested: refused by the hypervisor, never executed. */
        n = chance(80) ? 1 + below(2) : any_count();
        mc = arena_alloc(2 * sizeof(*mc));
        for ( i = 0; mc && i < 2; i++ )
        {
            memset(&sub, 0, sizeof(sub));
            gen_call(&sub, false);
            mc[i].op = sub.op;
            memcpy(mc[i].args, sub.args, sizeof(mc[i].args));
        }
        c->args[0] = mc && chance(90) ? (unsigned long)mc : any_ptr();
        c->args[1] = n;
        return;
    }
    c->restore = true;
    switch ( below(20) )
    {
    case 0:
        c->args[0] = bad_ptr();
        c->args[1] = chance(50) ? 1 + below(8) : any_count();
        return;
    case 1:
        /* Entries up to the guard page, then a count running past it. */
        n = 1 + below(3);
        mc = (void *)(arena_end() - n * sizeof(*mc));
        for ( i = 0; i < n; i++ )
        {
            memset(&mc[i], 0, sizeof(mc[i]));
            mc[i].op = __HYPERVISOR_xen_version;
            mc[i].args[0] = XENVER_version;
        }
        c->args[0] = (unsigned long)mc;
        c->args[1] = n + 1 + (chance(50) ? below(8) : any_count());
        return;
    }
    n = below(MAX_MC + 1);
    for ( i = 0; i < n; i++ )
    {
        memset(&mc_sub[i], 0, sizeof(mc_sub[i]));
        gen_call(&mc_sub[i], false);
        mc_array[i].op = mc_sub[i].op;
        mc_array[i].result = rnd();
        memcpy(mc_array[i].args, mc_sub[i].args, sizeof(mc_array[i].args));
    }
    c->args[0] = (unsigned long)mc_array;
    c->args[1] = n;
    c->mc = mc_array;
    c->sub = mc_sub;
    c->nr_sub = n;
}

/* ---- the table ---------------------------------------------------- */
static const struct gen {
    unsigned long op;
    unsigned int weight;
    gen_fn *fn;
} gens[] = {
    { __HYPERVISOR_set_trap_table, 3, gen_restoring },
    { __HYPERVISOR_mmu_update, 20, gen_mmu_update },
    { __HYPERVISOR_set_gdt, 4, gen_set_gdt },
    { __HYPERVISOR_stack_switch, 2, gen_restoring },
    { __HYPERVISOR_set_callbacks, 2, gen_restoring },
    { __HYPERVISOR_fpu_taskswitch, 2, gen_restoring },
    { __HYPERVISOR_sched_op_compat, 2, gen_sched_op_compat },
    { __HYPERVISOR_platform_op, 2, gen_raw },
    { __HYPERVISOR_set_debugreg, 3, gen_restoring },
    { __HYPERVISOR_get_debugreg, 2, gen_raw },
    { __HYPERVISOR_update_descriptor, 4, gen_update_descriptor },
    { __HYPERVISOR_memory_op, 25, gen_memory_op },
    { __HYPERVISOR_multicall, 12, gen_multicall },
    { __HYPERVISOR_update_va_mapping, 14, gen_update_va_mapping },
    { __HYPERVISOR_set_timer_op, 2, gen_raw },
    { __HYPERVISOR_event_channel_op_compat, 2, gen_raw },
    { __HYPERVISOR_xen_version, 6, gen_raw },
    { __HYPERVISOR_console_io, 3, gen_console_io },
    { __HYPERVISOR_physdev_op_compat, 2, gen_physdev },
    { __HYPERVISOR_grant_table_op, 10, gen_grant_table_op },
    { __HYPERVISOR_vm_assist, 3, gen_raw },
    { __HYPERVISOR_update_va_mapping_otherdomain, 4,
      gen_update_va_mapping },
    { __HYPERVISOR_vcpu_op, 8, gen_vcpu_op },
    { __HYPERVISOR_set_segment_base, 3, gen_restoring },
    { __HYPERVISOR_mmuext_op, 20, gen_mmuext_op },
    { __HYPERVISOR_xsm_op, 2, gen_raw },
    { __HYPERVISOR_nmi_op, 2, gen_restoring },
    { __HYPERVISOR_sched_op, 4, gen_sched_op },
    { __HYPERVISOR_callback_op, 3, gen_restoring },
    { __HYPERVISOR_xenoprof_op, 1, gen_raw },
    { __HYPERVISOR_event_channel_op, 10, gen_event_channel_op },
    { __HYPERVISOR_physdev_op, 4, gen_physdev },
    { __HYPERVISOR_hvm_op, 2, gen_raw },
    { __HYPERVISOR_sysctl, 4, gen_sysctl },
    { __HYPERVISOR_domctl, 6, gen_domctl },
    { __HYPERVISOR_kexec_op, 1, gen_kexec },
    { __HYPERVISOR_tmem_op, 1, gen_raw },
    { __HYPERVISOR_argo_op, 1, gen_raw },
    { __HYPERVISOR_xenpmu_op, 1, gen_raw },
    { __HYPERVISOR_dm_op, 1, gen_raw },
    { __HYPERVISOR_hypfs_op, 1, gen_raw },
    { __HYPERVISOR_mca, 1, gen_raw },
    { __HYPERVISOR_arch_1, 1, gen_raw },
    { 0, 6, gen_unknown },
};

void gen_call(struct call *c, bool top)
{
    static unsigned int total;
    unsigned int i, w;

    if ( !total )
        for ( i = 0; i < ARRAY_SIZE(gens); i++ )
            total += gens[i].weight;
    w = below(total);
    for ( i = 0; w >= gens[i].weight; i++ )
        w -= gens[i].weight;
    c->op = gens[i].op;
    gens[i].fn(c, top);
}
