/*
 * PV console backend core (see include/consback.h): ring transfers with
 * the index discipline of include/public/io/console.h, and line logging.
 */
#include <string.h>
#include <consback.h>

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

static inline void rmb(void)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void wmb(void)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

size_t cons_read_out(struct cons_ring *r, char *buf, size_t len)
{
    volatile struct xencons_interface *in = r->intf;
    XENCONS_RING_IDX cons, prod;
    size_t n = 0;

    if ( r->broken )
        return 0;
    cons = in->out_cons;
    prod = in->out_prod;
    rmb();
    if ( (XENCONS_RING_IDX)(prod - cons) > OUT_SIZE )
    {
        r->broken = true;
        return 0;
    }
    while ( cons != prod && n < len )
        buf[n++] = in->out[MASK_XENCONS_IDX(cons++, in->out)];
    wmb();
    in->out_cons = cons;
    return n;
}

size_t cons_write_in(struct cons_ring *r, const char *buf, size_t len)
{
    volatile struct xencons_interface *in = r->intf;
    XENCONS_RING_IDX cons, prod;
    size_t n = 0;

    if ( r->broken )
        return 0;
    cons = in->in_cons;
    prod = in->in_prod;
    rmb();
    if ( (XENCONS_RING_IDX)(prod - cons) > IN_SIZE )
    {
        r->broken = true;
        return 0;
    }
    while ( (XENCONS_RING_IDX)(prod - cons) < IN_SIZE && n < len )
        in->in[MASK_XENCONS_IDX(prod++, in->in)] = buf[n++];
    wmb();
    in->in_prod = prod;
    return n;
}

void cons_lines_feed(struct cons_lines *l, const char *data, size_t len,
                     void (*emit)(void *priv, const char *line), void *priv)
{
    size_t i;

    for ( i = 0; i < len; i++ )
    {
        unsigned char c = data[i];

        if ( c == '\r' )
            continue;
        if ( c != '\n' )
            l->buf[l->len++] = (c < 0x20 && c != '\t') || c == 0x7f ? '?'
                                                                   : c;
        if ( c == '\n' || l->len == CONS_LINE_MAX )
        {
            l->buf[l->len] = '\0';
            emit(priv, l->buf);
            l->len = 0;
        }
    }
}
