/*
 * Connections: the byte stream in both directions, whatever carries it.
 *
 * Input arrives in pieces (a ring holds 1 KiB, a message up to 4 KiB
 * more), so each connection accumulates the 16-byte header, checks its
 * length against XENSTORE_PAYLOAD_MAX before taking any payload (a longer
 * one breaks the connection, as xenstore.txt says), then accumulates the
 * payload and hands the complete message to wire.c.  Callers ask how much
 * the current message still needs and copy no more, so a connection never
 * buffers more than one request.
 *
 * Output is a queue of complete messages.  Replies always queue; the ring
 * transport stops reading requests while a connection has too many
 * unsent replies.  Watch events queue only while the connection's queued
 * bytes stay under the out_bytes quota: a client that never reads its
 * events cannot make the daemon grow without bound; the dropped events
 * are counted and logged.
 *
 * A released connection is marked dead and freed later by xsd_reap(),
 * never while some caller up the stack may still hold it.  The local
 * (function-call) transport is here too.
 */
#include "xsd_private.h"

struct xsd_conn *xsd_conn_new(struct xsd *xsd, enum xsd_conn_kind kind,
                              unsigned int domid)
{
    struct xsd_conn *conn = calloc(1, sizeof(*conn));

    if ( !conn )
        return NULL;
    conn->in_buf = malloc(XENSTORE_PAYLOAD_MAX + 1);
    if ( !conn->in_buf )
    {
        free(conn);
        return NULL;
    }
    conn->xsd = xsd;
    conn->kind = kind;
    conn->domid = domid;
    conn->privileged = domid == 0;
    conn->next = xsd->conns;
    xsd->conns = conn;
    return conn;
}

static void drop_output(struct xsd_conn *conn)
{
    while ( conn->out_head )
    {
        struct xsd_msg *m = conn->out_head;

        conn->out_head = m->next;
        free(m);
    }
    conn->out_tail = NULL;
    conn->out_off = 0;
    conn->out_replies = 0;
    conn->out_bytes = 0;
}

static void drop_state(struct xsd_conn *conn)
{
    xsd_watch_drop_all(conn);
    xsd_txn_drop_all(conn);
    drop_output(conn);
    conn->in_body = false;
    conn->in_used = 0;
}

/* Forget everything the peer set up: a ring reconnect. */
void xsd_conn_reset(struct xsd_conn *conn)
{
    drop_state(conn);
    conn->bad = false;
}

/*
 * The peer broke the protocol: ignore it from now on (a ring guest may
 * reconnect).  @ring_error goes to the ring's error field.
 */
void xsd_conn_bad(struct xsd_conn *conn, uint32_t ring_error,
                  const char *why)
{
    xsd_log(conn->xsd, "domain %u: %s: connection ignored", conn->domid,
            why);
    drop_state(conn);
    conn->bad = true;
    if ( conn->ring && ring_error )
        *(volatile uint32_t *)&conn->ring->error = ring_error;
}

/* Release a connection: nothing of it stays but the memory to reap. */
void xsd_conn_kill(struct xsd_conn *conn)
{
    struct xsd *xsd = conn->xsd;

    drop_state(conn);
    if ( conn->ring )
    {
        xsd->ops.unbind_evtchn(xsd->ops.ctx, conn->local_port);
        xsd->ops.unmap_ring(xsd->ops.ctx, conn->domid, conn->ring);
        conn->ring = NULL;
    }
    conn->dead = true;
}

void xsd_reap(struct xsd *xsd)
{
    struct xsd_conn **pp = &xsd->conns;

    if ( xsd->busy )
        return;
    while ( *pp )
    {
        struct xsd_conn *conn = *pp;

        if ( !conn->dead )
        {
            pp = &conn->next;
            continue;
        }
        *pp = conn->next;
        free(conn->in_buf);
        free(conn);
    }
}

/* ---- input -------------------------------------------------------------- */

/* Where the next input bytes go, and how many the current message needs. */
void *xsd_conn_in_space(struct xsd_conn *conn, size_t *len)
{
    if ( !conn->in_body )
    {
        *len = sizeof(conn->in_hdr) - conn->in_used;
        return conn->in_hdr + conn->in_used;
    }
    *len = conn->hdr.len - conn->in_used;
    return conn->in_buf + conn->in_used;
}

static void dispatch(struct xsd_conn *conn)
{
    struct xsd_sockmsg hdr = conn->hdr;

    conn->in_buf[hdr.len] = '\0';   /* strings in the payload always end */
    conn->in_body = false;
    conn->in_used = 0;
    xsd_wire_handle(conn, &hdr, conn->in_buf);
}

/* @len bytes were copied to where xsd_conn_in_space() said. */
void xsd_conn_in_commit(struct xsd_conn *conn, size_t len)
{
    conn->in_used += (uint32_t)len;
    if ( !conn->in_body )
    {
        if ( conn->in_used < sizeof(conn->in_hdr) )
            return;
        memcpy(&conn->hdr, conn->in_hdr, sizeof(conn->hdr));
        if ( conn->hdr.len > XENSTORE_PAYLOAD_MAX )
        {
            xsd_conn_bad(conn, XENSTORE_ERROR_PROTO,
                         "message longer than XENSTORE_PAYLOAD_MAX");
            return;
        }
        conn->in_body = true;
        conn->in_used = 0;
    }
    if ( conn->in_used == conn->hdr.len )
        dispatch(conn);
}

/* ---- output ------------------------------------------------------------- */

/*
 * Queue a message whose payload is @p1 then @p2.  Returns 0, or
 * XEN_ENOSPC / XEN_E2BIG / XEN_ENOMEM when the message was dropped.
 */
int xsd_conn_send(struct xsd_conn *conn, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *p1, size_t l1,
                  const void *p2, size_t l2, bool reply)
{
    struct xsd_sockmsg hdr;
    struct xsd_msg *m;
    size_t len = l1 + l2;

    if ( conn->dead || conn->bad )
        return 0;
    if ( len > XENSTORE_PAYLOAD_MAX )
    {
        /* Only an event can get here: a long path with a long token. */
        conn->events_dropped++;
        xsd_log(conn->xsd, "domain %u: watch event too long, dropped",
                conn->domid);
        return XEN_E2BIG;
    }
    if ( !reply &&
         conn->out_bytes + sizeof(hdr) + len > conn->xsd->quota.out_bytes )
    {
        if ( conn->events_dropped++ == 0 )
            xsd_log(conn->xsd, "domain %u: not reading watch events, "
                    "dropping them", conn->domid);
        return XEN_ENOSPC;
    }

    m = malloc(sizeof(*m) + sizeof(hdr) + len);
    if ( !m )
    {
        xsd_log(conn->xsd, "domain %u: no memory for a message",
                conn->domid);
        return XEN_ENOMEM;
    }
    hdr.type = type;
    hdr.req_id = req_id;
    hdr.tx_id = tx_id;
    hdr.len = (uint32_t)len;
    memcpy(m->data, &hdr, sizeof(hdr));
    if ( l1 )
        memcpy(m->data + sizeof(hdr), p1, l1);
    if ( l2 )
        memcpy(m->data + sizeof(hdr) + l1, p2, l2);
    m->len = (uint32_t)(sizeof(hdr) + len);
    m->reply = reply;
    m->next = NULL;
    if ( conn->out_tail )
        conn->out_tail->next = m;
    else
        conn->out_head = m;
    conn->out_tail = m;
    conn->out_bytes += m->len;
    if ( reply )
        conn->out_replies++;
    return 0;
}

/* @len bytes from the head of the queue went out. */
void xsd_conn_sent(struct xsd_conn *conn, size_t len)
{
    while ( len && conn->out_head )
    {
        struct xsd_msg *m = conn->out_head;
        size_t k = m->len - conn->out_off;

        if ( k > len )
            k = len;
        conn->out_off += (uint32_t)k;
        len -= k;
        if ( conn->out_off < m->len )
            break;
        conn->out_head = m->next;
        if ( !conn->out_head )
            conn->out_tail = NULL;
        conn->out_off = 0;
        conn->out_bytes -= m->len;
        if ( m->reply )
            conn->out_replies--;
        free(m);
    }
}

/* ---- the local (function-call) transport -------------------------------- */

struct xsd_conn *xsd_local_open(struct xsd *xsd, unsigned int domid)
{
    if ( domid >= DOMID_FIRST_RESERVED )
        return NULL;
    return xsd_conn_new(xsd, XSD_CONN_LOCAL, domid);
}

void xsd_local_close(struct xsd_conn *conn)
{
    struct xsd *xsd = conn->xsd;

    xsd_conn_kill(conn);
    xsd_reap(xsd);
}

int xsd_local_write(struct xsd_conn *conn, const void *buf, size_t len)
{
    struct xsd *xsd = conn->xsd;
    const uint8_t *p = buf;
    int rc;

    if ( conn->bad || conn->dead )
        return -XEN_EIO;
    xsd->busy++;
    while ( len && !conn->bad && !conn->dead )
    {
        size_t need;
        void *dst = xsd_conn_in_space(conn, &need);

        if ( need > len )
            need = len;
        memcpy(dst, p, need);
        p += need;
        len -= need;
        xsd_conn_in_commit(conn, need);
    }
    rc = (conn->bad || conn->dead) ? -XEN_EIO : 0;
    xsd->busy--;
    xsd_reap(xsd);
    return rc;
}

size_t xsd_local_read(struct xsd_conn *conn, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t done = 0;

    while ( done < len && conn->out_head )
    {
        const struct xsd_msg *m = conn->out_head;
        size_t k = m->len - conn->out_off;

        if ( k > len - done )
            k = len - done;
        memcpy(p + done, m->data + conn->out_off, k);
        done += k;
        xsd_conn_sent(conn, k);
    }
    return done;
}

size_t xsd_local_pending(const struct xsd_conn *conn)
{
    return conn->out_bytes - conn->out_off;
}
