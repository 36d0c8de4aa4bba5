/*
 * libxs over the xenstore ring page: the guest's end of the shared ring.
 *
 * We produce requests (req_prod) and consume responses (rsp_cons); the
 * daemon owns the other two indices.  Each index is read once, checked
 * (producer - consumer at most XENSTORE_RING_SIZE, else the ring is
 * broken: -XEN_EIO) and only masked offsets are used.  Data is published
 * after a barrier and the daemon is notified after every write and after
 * we consumed responses (it may be waiting for room).  A non-zero error
 * field (the daemon found our ring bad) breaks the handle.
 */
#include <stdlib.h>
#include <string.h>
#include "xs.h"

struct xs_ring {
    struct xenstore_domain_interface *intf;
    struct xs_ring_ops ops;
};

static uint32_t get(const volatile uint32_t *p)
{
    return *p;
}

static void set(volatile uint32_t *p, uint32_t v)
{
    *p = v;
}

static long ring_write(void *ctx, const void *buf, size_t len)
{
    struct xs_ring *r = ctx;
    struct xenstore_domain_interface *intf = r->intf;
    uint32_t cons, prod, space, off;

    if ( get(&intf->error) )
        return -XEN_EIO;
    cons = get(&intf->req_cons);
    prod = get(&intf->req_prod);
    r->ops.mb(r->ops.ctx);
    if ( prod - cons > XENSTORE_RING_SIZE )
        return -XEN_EIO;
    space = XENSTORE_RING_SIZE - (prod - cons);
    off = MASK_XENSTORE_IDX(prod);
    if ( space > XENSTORE_RING_SIZE - off )
        space = XENSTORE_RING_SIZE - off;
    if ( space > len )
        space = (uint32_t)len;
    if ( !space )
        return 0;
    memcpy(intf->req + off, buf, space);
    r->ops.mb(r->ops.ctx);
    set(&intf->req_prod, prod + space);
    r->ops.notify(r->ops.ctx);
    return (long)space;
}

static long ring_read(void *ctx, void *buf, size_t len)
{
    struct xs_ring *r = ctx;
    struct xenstore_domain_interface *intf = r->intf;
    uint32_t cons, prod, avail, off;

    if ( get(&intf->error) )
        return -XEN_EIO;
    cons = get(&intf->rsp_cons);
    prod = get(&intf->rsp_prod);
    r->ops.mb(r->ops.ctx);
    avail = prod - cons;
    if ( avail > XENSTORE_RING_SIZE )
        return -XEN_EIO;
    off = MASK_XENSTORE_IDX(cons);
    if ( avail > XENSTORE_RING_SIZE - off )
        avail = XENSTORE_RING_SIZE - off;
    if ( avail > len )
        avail = (uint32_t)len;
    if ( !avail )
        return 0;
    memcpy(buf, intf->rsp + off, avail);
    r->ops.mb(r->ops.ctx);
    set(&intf->rsp_cons, cons + avail);
    r->ops.notify(r->ops.ctx);
    return (long)avail;
}

static int ring_wait(void *ctx)
{
    struct xs_ring *r = ctx;

    return r->ops.wait(r->ops.ctx);
}

static void ring_close(void *ctx)
{
    free(ctx);
}

struct xs_handle *xs_open_ring(struct xenstore_domain_interface *ring,
                               const struct xs_ring_ops *ops)
{
    static const struct xs_stream_ops stream = {
        .write = ring_write,
        .read = ring_read,
        .wait = ring_wait,
        .close = ring_close,
    };
    struct xs_ring *r = malloc(sizeof(*r));
    struct xs_handle *h;

    if ( !r )
        return NULL;
    r->intf = ring;
    r->ops = *ops;
    h = xs_open_stream(&stream, r);
    if ( !h )
        free(r);
    return h;
}
