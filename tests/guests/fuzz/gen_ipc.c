/*
 * fuzz: generators for the inter-domain hypercalls, event_channel_op and
 * grant_table_op.  Each builds the sub-op's real argument structure (or
 * an array of them) with values drawn near the interesting boundaries:
 * ports around the 2-level limits and the per-domain maximum, vCPU ids
 * past the last one, grant references past the table, domains that are
 * us, dom0 by number, reserved or absent, flags with undefined bits.
 *
 * Nothing generated here can end the kernel: grant mappings go only to
 * addresses that may be remapped (any_va()), copies only to frames that
 * may be written (wframe()), and the one sub-op that would close the
 * ports the runtime uses (there are none in this kernel) is harmless.
 */
#include "fuzz.h"
#include <pvguest/event.h>
#include <public/grant_table.h>

#define PICK(a) ((a)[below(ARRAY_SIZE(a))])

static uint32_t any_port(void)
{
    static const uint32_t ports[] = {
        0, 1, 2, 3, 4, 63, 64, 1023, 1024, 4095, 4096, 4097, 32767,
        32768, 131071, 131072, 0x7fffffff, 0xffffffff,
    };

    return chance(70) ? PICK(ports) : (uint32_t)rnd() >> below(32);
}

static uint32_t any_vcpu(void)
{
    static const uint32_t vcpus[] = { 0, 0, 0, 1, 31, 32, 127, 128,
                                      0xffffffff };

    return PICK(vcpus);
}

static uint32_t any_ref(void)
{
    static const uint32_t refs[] = { 0, 1, 7, 8, 511, 512, 2047, 2048,
                                     65535, 0xffffffff };

    return chance(80) ? PICK(refs) : (uint32_t)rnd();
}

static uint32_t any_flags(uint32_t defined)
{
    uint32_t f = (uint32_t)rnd() & defined;

    return chance(15) ? f | (1u << below(32)) : f;
}

/* A structure of SIZE, or (now and then) a pointer that faults. */
static unsigned long arg_struct(void **p, size_t size)
{
    *p = chance(5) ? NULL : arena_alloc(size);
    if ( !*p )
        return bad_ptr();
    fill_content(*p, size);
    return (unsigned long)*p;
}

void gen_event_channel_op(struct call *c, bool top)
{
    unsigned int cmd = chance(95) ? below(14) : 14 + below(20);
    void *p;

    c->args[0] = cmd;
    switch ( cmd )
    {
    case EVTCHNOP_bind_interdomain:
    {
        struct evtchn_bind_interdomain *b;

        c->args[1] = arg_struct(&p, sizeof(*b));
        if ( (b = p) != NULL )
        {
            b->remote_dom = any_domid();
            b->remote_port = any_port();
        }
        break;
    }
    case EVTCHNOP_bind_virq:
    {
        struct evtchn_bind_virq *b;

        c->args[1] = arg_struct(&p, sizeof(*b));
        if ( (b = p) != NULL )
        {
            b->virq = chance(80) ? below(26) : (uint32_t)rnd();
            b->vcpu = any_vcpu();
        }
        break;
    }
    case EVTCHNOP_bind_ipi:
    {
        struct evtchn_bind_ipi *b;

        c->args[1] = arg_struct(&p, sizeof(*b));
        if ( (b = p) != NULL )
            b->vcpu = any_vcpu();
        break;
    }
    case EVTCHNOP_bind_vcpu:
    {
        struct evtchn_bind_vcpu *b;

        c->args[1] = arg_struct(&p, sizeof(*b));
        if ( (b = p) != NULL )
        {
            b->port = any_port();
            b->vcpu = any_vcpu();
        }
        break;
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask:
    {
        uint32_t *port;

        c->args[1] = arg_struct(&p, sizeof(*port));
        if ( (port = p) != NULL )
            *port = any_port();
        break;
    }
    case EVTCHNOP_status:
    {
        struct evtchn_status *s;

        c->args[1] = arg_struct(&p, sizeof(*s));
        if ( (s = p) != NULL )
        {
            s->dom = any_domid();
            s->port = any_port();
        }
        break;
    }
    case EVTCHNOP_alloc_unbound:
    {
        struct evtchn_alloc_unbound *a;

        c->args[1] = arg_struct(&p, sizeof(*a));
        if ( (a = p) != NULL )
        {
            a->dom = any_domid();
            a->remote_dom = any_domid();
        }
        break;
    }
    case EVTCHNOP_reset:
    {
        struct evtchn_reset *r;

        c->args[1] = arg_struct(&p, sizeof(*r));
        if ( (r = p) != NULL )
            r->dom = any_domid();
        break;
    }
    case EVTCHNOP_init_control:
    {
        struct evtchn_init_control *i;

        /* A frame of ours that may be taken, or a bad one; odd offsets. */
        c->args[1] = arg_struct(&p, sizeof(*i));
        if ( (i = p) != NULL )
        {
            i->control_gfn = chance(50) ? wframe() : bad_frame();
            i->offset = chance(50) ? below(4096) & ~7u : (uint32_t)rnd();
            i->vcpu = any_vcpu();
        }
        break;
    }
    case EVTCHNOP_expand_array:
    {
        struct evtchn_expand_array *e;

        c->args[1] = arg_struct(&p, sizeof(*e));
        if ( (e = p) != NULL )
            e->array_gfn = chance(50) ? wframe() : bad_frame();
        break;
    }
    default:
        c->args[1] = any_ptr();
        break;
    }
}

/* ---- grant_table_op ---------------------------------------------------- */

static void gen_map(struct gnttab_map_grant_ref *m)
{
    m->host_addr = chance(80) ? any_va() : any_int();
    m->flags = any_flags(0x3f);
    m->ref = any_ref();
    m->dom = any_domid();
}

static void gen_copy_ptr(struct gnttab_copy_ptr *p, bool gref)
{
    if ( gref )
        p->u.ref = any_ref();
    else
        p->u.gmfn = chance(80) ? wframe() : bad_frame();
    p->domid = any_domid();
    p->offset = chance(70) ? (uint16_t)below(4097) : (uint16_t)rnd();
}

void gen_grant_table_op(struct call *c, bool top)
{
    static const size_t sizes[] = {
        [GNTTABOP_map_grant_ref] = sizeof(struct gnttab_map_grant_ref),
        [GNTTABOP_unmap_grant_ref] = sizeof(struct gnttab_unmap_grant_ref),
        [GNTTABOP_setup_table] = sizeof(struct gnttab_setup_table),
        [GNTTABOP_dump_table] = sizeof(struct gnttab_dump_table),
        [GNTTABOP_transfer] = sizeof(struct gnttab_transfer),
        [GNTTABOP_copy] = sizeof(struct gnttab_copy),
        [GNTTABOP_query_size] = sizeof(struct gnttab_query_size),
        [GNTTABOP_unmap_and_replace] =
            sizeof(struct gnttab_unmap_and_replace),
        [GNTTABOP_set_version] = sizeof(struct gnttab_set_version),
        [GNTTABOP_get_status_frames] =
            sizeof(struct gnttab_get_status_frames),
        [GNTTABOP_get_version] = sizeof(struct gnttab_get_version),
        [GNTTABOP_swap_grant_ref] = sizeof(struct gnttab_swap_grant_ref),
        [GNTTABOP_cache_flush] = sizeof(struct gnttab_cache_flush),
    };
    unsigned int cmd = chance(95) ? below(ARRAY_SIZE(sizes))
                                  : 13 + below(20);
    unsigned long n = chance(80) ? 1 + below(4) : any_count(), room, i;
    char *a;

    c->args[0] = cmd;
    c->args[2] = n;
    if ( cmd >= ARRAY_SIZE(sizes) )
    {
        c->args[1] = any_ptr();
        return;
    }
    a = arena_array(n, sizes[cmd], &room);
    c->args[1] = (unsigned long)a;
    if ( chance(3) )
        c->args[1] = bad_ptr();
    for ( i = 0; i < room && i < 64; i++ )
    {
        void *e = a + i * sizes[cmd];

        fill_content(e, sizes[cmd]);
        switch ( cmd )
        {
        case GNTTABOP_map_grant_ref:
            gen_map(e);
            break;
        case GNTTABOP_unmap_grant_ref:
        {
            struct gnttab_unmap_grant_ref *u = e;

            u->host_addr = chance(80) ? any_va() : any_int();
            u->dev_bus_addr = chance(70) ? 0 : any_int();
            u->handle = chance(70) ? below(8) : (uint32_t)rnd();
            break;
        }
        case GNTTABOP_setup_table:
        case GNTTABOP_get_status_frames:
        {
            struct gnttab_setup_table *s = e;
            unsigned long nr = chance(70) ? below(8) : any_count(), r;
            xen_pfn_t *list = arena_array(nr ? nr : 1, sizeof(*list), &r);

            if ( cmd == GNTTABOP_get_status_frames )
            {
                struct gnttab_get_status_frames *g = e;

                g->nr_frames = nr;
                g->dom = any_domid();
                set_xen_guest_handle(g->frame_list, (uint64_t *)list);
                break;
            }
            s->dom = any_domid();
            s->nr_frames = nr;
            set_xen_guest_handle(s->frame_list, list);
            break;
        }
        case GNTTABOP_copy:
        {
            struct gnttab_copy *cp = e;

            cp->flags = any_flags(GNTCOPY_source_gref | GNTCOPY_dest_gref);
            gen_copy_ptr(&cp->source, cp->flags & GNTCOPY_source_gref);
            gen_copy_ptr(&cp->dest, cp->flags & GNTCOPY_dest_gref);
            cp->len = chance(70) ? (uint16_t)below(4097) : (uint16_t)rnd();
            break;
        }
        case GNTTABOP_query_size:
        case GNTTABOP_dump_table:
            *(domid_t *)e = any_domid();
            break;
        case GNTTABOP_unmap_and_replace:
        {
            struct gnttab_unmap_and_replace *u = e;

            u->host_addr = any_va();
            u->new_addr = chance(30) ? 0 : any_va();
            u->handle = chance(70) ? below(8) : (uint32_t)rnd();
            break;
        }
        case GNTTABOP_set_version:
            *(uint32_t *)e = chance(80) ? below(4) : (uint32_t)rnd();
            break;
        case GNTTABOP_get_version:
        {
            struct gnttab_get_version *g = e;

            g->dom = any_domid();
            g->pad = chance(90) ? 0 : (uint16_t)rnd();
            break;
        }
        case GNTTABOP_swap_grant_ref:
        {
            struct gnttab_swap_grant_ref *s = e;

            s->ref_a = any_ref();
            s->ref_b = any_ref();
            break;
        }
        case GNTTABOP_transfer:
        {
            struct gnttab_transfer *t = e;

            t->mfn = wframe();
            t->domid = any_domid();
            t->ref = any_ref();
            break;
        }
        case GNTTABOP_cache_flush:
        {
            struct gnttab_cache_flush *f = e;

            f->a.dev_bus_addr = chance(50) ? (uint64_t)wframe() << 12
                                           : any_int();
            f->offset = (uint16_t)(chance(70) ? below(4096) : rnd());
            f->length = (uint16_t)(chance(70) ? below(4097) : rnd());
            f->op = any_flags(7);
            break;
        }
        }
    }
}
