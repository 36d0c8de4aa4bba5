/*
 * The shared-ring transport of domain connections, and xsd_process().
 *
 * The ring page (struct xenstore_domain_interface) holds two 1 KiB byte
 * rings with free-running 32-bit indices: the guest produces requests
 * (req_prod) and consumes responses (rsp_cons), we consume requests
 * (req_cons) and produce responses (rsp_prod).  The guest can write any
 * of the four at any time, so each is read once into a local, checked
 * (producer - consumer must be at most XENSTORE_RING_SIZE, or the ring
 * is garbage and the connection is marked bad with XENSTORE_ERROR_RINGIDX)
 * and only masked offsets are used: no index a guest writes can make us
 * touch memory outside the page.  Data is copied out of the ring before
 * it is looked at, so the guest cannot change it under the parser.
 *
 * Ordering: read the producer, barrier, copy the data, barrier, publish
 * the consumer; copy the data, barrier, publish the producer.  The guest
 * is notified after we consumed requests (it may wait for space) and
 * after we produced responses.
 *
 * The guest may ask for a fresh start by setting connection to
 * XENSTORE_RECONNECT: we drop its watches, transactions and buffered
 * data, zero the indices and the error, set XENSTORE_CONNECTED and
 * notify.  That is also the way out of a bad connection.
 */
#include "xsd_private.h"

static uint32_t ring_get(const volatile uint32_t *p)
{
    return *p;
}

static void ring_set(volatile uint32_t *p, uint32_t v)
{
    *p = v;
}

static void barrier(struct xsd *xsd)
{
    xsd->ops.mb(xsd->ops.ctx);
}

static void notify(struct xsd_conn *conn)
{
    conn->xsd->ops.notify(conn->xsd->ops.ctx, conn->local_port);
}

/* Copy up to @len request bytes; returns the count, or -1 for bad indices. */
static int ring_read(struct xsd_conn *conn, void *dst, size_t len)
{
    struct xenstore_domain_interface *ring = conn->ring;
    uint32_t cons, prod, avail, off;

    cons = ring_get(&ring->req_cons);
    prod = ring_get(&ring->req_prod);
    barrier(conn->xsd);
    avail = prod - cons;
    if ( avail > XENSTORE_RING_SIZE )
        return -1;
    off = MASK_XENSTORE_IDX(cons);
    if ( avail > XENSTORE_RING_SIZE - off )
        avail = XENSTORE_RING_SIZE - off;
    if ( avail > len )
        avail = (uint32_t)len;
    if ( !avail )
        return 0;
    memcpy(dst, ring->req + off, avail);
    barrier(conn->xsd);
    ring_set(&ring->req_cons, cons + avail);
    return (int)avail;
}

/* Copy up to @len response bytes in; returns the count, or -1. */
static int ring_write(struct xsd_conn *conn, const void *src, size_t len)
{
    struct xenstore_domain_interface *ring = conn->ring;
    uint32_t cons, prod, space, off;

    cons = ring_get(&ring->rsp_cons);
    prod = ring_get(&ring->rsp_prod);
    barrier(conn->xsd);
    if ( prod - cons > XENSTORE_RING_SIZE )
        return -1;
    space = XENSTORE_RING_SIZE - (prod - cons);
    off = MASK_XENSTORE_IDX(prod);
    if ( space > XENSTORE_RING_SIZE - off )
        space = XENSTORE_RING_SIZE - off;
    if ( space > len )
        space = (uint32_t)len;
    if ( !space )
        return 0;
    memcpy(ring->rsp + off, src, space);
    barrier(conn->xsd);
    ring_set(&ring->rsp_prod, prod + space);
    return (int)space;
}

/* Read and handle requests while there are some and we may. Progress? */
static bool ring_input(struct xsd_conn *conn)
{
    const struct xsd_quota *q = &conn->xsd->quota;
    bool did = false;

    while ( !conn->dead && !conn->bad &&
            (conn->privileged || conn->out_replies < q->outstanding) )
    {
        size_t need;
        void *dst = xsd_conn_in_space(conn, &need);
        int n = ring_read(conn, dst, need);

        if ( n < 0 )
        {
            xsd_conn_bad(conn, XENSTORE_ERROR_RINGIDX,
                         "request ring indices out of range");
            break;
        }
        if ( n == 0 )
            break;
        did = true;
        xsd_conn_in_commit(conn, (size_t)n);
    }
    if ( did && !conn->dead )
        notify(conn);
    return did;
}

static bool ring_output(struct xsd_conn *conn)
{
    bool did = false;

    while ( conn->out_head && !conn->dead && !conn->bad )
    {
        const struct xsd_msg *m = conn->out_head;
        int n = ring_write(conn, m->data + conn->out_off,
                           m->len - conn->out_off);

        if ( n < 0 )
        {
            xsd_conn_bad(conn, XENSTORE_ERROR_RINGIDX,
                         "response ring indices out of range");
            break;
        }
        if ( n == 0 )
            break;
        did = true;
        xsd_conn_sent(conn, (size_t)n);
    }
    if ( did && !conn->dead )
        notify(conn);
    return did;
}

static void check_reconnect(struct xsd_conn *conn)
{
    struct xenstore_domain_interface *ring = conn->ring;

    if ( ring_get(&ring->connection) != XENSTORE_RECONNECT )
        return;
    xsd_conn_reset(conn);
    ring_set(&ring->req_cons, 0);
    ring_set(&ring->req_prod, 0);
    ring_set(&ring->rsp_cons, 0);
    ring_set(&ring->rsp_prod, 0);
    ring_set(&ring->error, XENSTORE_ERROR_NONE);
    barrier(conn->xsd);
    ring_set(&ring->connection, XENSTORE_CONNECTED);
    notify(conn);
}

/*
 * Requests can free reply slots of other connections' queues and fill
 * them with events, so alternate input and output until nothing moves,
 * a bounded number of times so one call cannot run forever.
 */
#define XSD_PROCESS_ROUNDS 8

void xsd_process(struct xsd *xsd)
{
    unsigned int round;

    xsd->busy++;
    for ( round = 0; round < XSD_PROCESS_ROUNDS; round++ )
    {
        struct xsd_conn *conn;
        bool progress = false;

        for ( conn = xsd->conns; conn; conn = conn->next )
        {
            if ( conn->kind != XSD_CONN_RING || conn->dead )
                continue;
            if ( round == 0 )
                check_reconnect(conn);
            progress |= ring_input(conn);
        }
        for ( conn = xsd->conns; conn; conn = conn->next )
            if ( conn->kind == XSD_CONN_RING && !conn->dead )
                progress |= ring_output(conn);
        if ( !progress )
            break;
    }
    xsd->busy--;
    xsd_reap(xsd);
}
