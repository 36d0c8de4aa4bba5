/*
 * The daemon object and the domains it talks to.
 *
 * A domain is known once it is introduced (XS_INTRODUCE from dom0, or
 * xsd_introduce() from the platform): its ring page is mapped, an event
 * channel bound to the port it gave, and it gets a ring connection;
 * @introduceDomain fires.  Introducing creates no node: the toolstack
 * makes /local/domain/<domid> and sets its permissions.  Introducing a
 * known domain again only rebinds the event channel (Xen uses that after
 * a resume).
 *
 * A domain goes away through XS_RELEASE or xsd_domain_died(): the
 * connection is dropped with its watches and transactions, @releaseDomain
 * fires, connections targeting it lose their target, and the nodes it
 * owned pass to dom0 (store.c) so a later domain with the same id
 * inherits nothing.  Its nodes are not removed; the toolstack removes
 * /local/domain/<domid>, as with Xen.  A domain that merely shut down
 * fires @releaseDomain once, again only after XS_RESUME.
 *
 * Public functions return 0 or a negative XEN_E* value; the helpers used
 * by wire.c return a positive one.
 */
#include "xsd_private.h"

void xsd_quota_defaults(struct xsd_quota *q)
{
    q->nodes_per_domain = 1000;
    q->watches_per_conn = 128;
    q->txns_per_conn = 10;
    q->node_size = 2048;
    q->perms_per_node = 5;
    q->path_max = XENSTORE_REL_PATH_MAX;
    q->txn_nodes = 1024;
    q->outstanding = 20;
    q->out_bytes = 128 * 1024;
}

struct xsd *xsd_create(const struct xsd_ops *ops, const struct xsd_quota *q)
{
    static const struct xsd_perm dom0_only = { 0, XSD_PERM_NONE };
    struct xsd *xsd = calloc(1, sizeof(*xsd));
    unsigned int i;

    if ( !xsd )
        return NULL;
    xsd->ops = *ops;
    if ( q )
        xsd->quota = *q;
    else
        xsd_quota_defaults(&xsd->quota);
    if ( xsd->quota.path_max > XENSTORE_REL_PATH_MAX )
        xsd->quota.path_max = XENSTORE_REL_PATH_MAX;

    for ( i = 0; i < XSD_NR_SPECIAL; i++ )
    {
        xsd->special[i] = malloc(sizeof(dom0_only));
        if ( !xsd->special[i] )
            goto fail;
        xsd->special[i][0] = dom0_only;
        xsd->nr_special[i] = 1;
    }
    if ( xsd_store_init(xsd) )
        goto fail;
    return xsd;

 fail:
    xsd_destroy(xsd);
    return NULL;
}

void xsd_destroy(struct xsd *xsd)
{
    struct xsd_conn *conn;
    unsigned int i;

    if ( !xsd )
        return;
    for ( conn = xsd->conns; conn; conn = conn->next )
        if ( !conn->dead )
            xsd_conn_kill(conn);
    xsd->busy = 0;
    xsd_reap(xsd);
    xsd_store_fini(xsd);
    for ( i = 0; i < XSD_NR_SPECIAL; i++ )
        free(xsd->special[i]);
    free(xsd);
}

struct xsd_conn *xsd_domain_conn(const struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *conn;

    for ( conn = xsd->conns; conn; conn = conn->next )
        if ( conn->kind == XSD_CONN_RING && !conn->dead &&
             conn->domid == domid )
            return conn;
    return NULL;
}

bool xsd_domain_introduced(const struct xsd *xsd, unsigned int domid)
{
    return domid == 0 || xsd_domain_conn(xsd, domid);
}

static int introduce(struct xsd *xsd, unsigned int domid, uint64_t mfn,
                     unsigned int port)
{
    struct xenstore_domain_interface *ring;
    struct xsd_conn *conn;
    int lp;

    if ( domid >= DOMID_FIRST_RESERVED )
        return XEN_EINVAL;

    conn = xsd_domain_conn(xsd, domid);
    if ( conn )
    {
        if ( port == conn->remote_port )
            return 0;
        lp = xsd->ops.bind_evtchn(xsd->ops.ctx, domid, port);
        if ( lp < 0 )
            return -lp;
        xsd->ops.unbind_evtchn(xsd->ops.ctx, conn->local_port);
        conn->local_port = (unsigned int)lp;
        conn->remote_port = port;
        return 0;
    }

    ring = xsd->ops.map_ring(xsd->ops.ctx, domid, mfn);
    if ( !ring )
        return XEN_EINVAL;
    lp = xsd->ops.bind_evtchn(xsd->ops.ctx, domid, port);
    if ( lp < 0 )
    {
        xsd->ops.unmap_ring(xsd->ops.ctx, domid, ring);
        return -lp;
    }
    conn = xsd_conn_new(xsd, XSD_CONN_RING, domid);
    if ( !conn )
    {
        xsd->ops.unbind_evtchn(xsd->ops.ctx, (unsigned int)lp);
        xsd->ops.unmap_ring(xsd->ops.ctx, domid, ring);
        return XEN_ENOMEM;
    }
    conn->ring = ring;
    conn->mfn = mfn;
    conn->remote_port = port;
    conn->local_port = (unsigned int)lp;
    *(volatile uint32_t *)&ring->server_features =
        XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;

    xsd_log(xsd, "domain %u introduced (port %u)", domid, port);
    xsd_watch_fire_special(xsd, XSD_SPECIAL_INTRODUCE, domid);
    /* It may have written requests before it was introduced. */
    xsd->ops.notify(xsd->ops.ctx, conn->local_port);
    return 0;
}

int xsd_introduce(struct xsd *xsd, unsigned int domid, uint64_t mfn,
                  unsigned int port)
{
    return -introduce(xsd, domid, mfn, port);
}

static void domain_gone(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *conn = xsd_domain_conn(xsd, domid);

    if ( conn )
        xsd_conn_kill(conn);
    xsd_watch_fire_special(xsd, XSD_SPECIAL_RELEASE, domid);
    for ( conn = xsd->conns; conn; conn = conn->next )
        if ( conn->has_target && conn->target == domid )
            conn->has_target = false;
    xsd_store_forget_domain(xsd, domid);
    xsd_log(xsd, "domain %u released", domid);
}

/* XS_RELEASE: only for an introduced domain. */
int xsd_domain_release(struct xsd *xsd, unsigned int domid)
{
    if ( !xsd_domain_conn(xsd, domid) )
        return XEN_ENOENT;
    domain_gone(xsd, domid);
    return 0;
}

int xsd_domain_died(struct xsd *xsd, unsigned int domid)
{
    if ( domid == 0 || domid >= DOMID_FIRST_RESERVED )
        return -XEN_EINVAL;
    xsd->busy++;
    domain_gone(xsd, domid);
    xsd->busy--;
    xsd_reap(xsd);
    return 0;
}

int xsd_domain_shutdown(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *conn = xsd_domain_conn(xsd, domid);

    if ( !conn )
        return -XEN_ENOENT;
    if ( !conn->shutdown_reported )
    {
        conn->shutdown_reported = true;
        xsd_watch_fire_special(xsd, XSD_SPECIAL_RELEASE, domid);
    }
    return 0;
}

int xsd_domain_resume(struct xsd *xsd, unsigned int domid)
{
    struct xsd_conn *conn = xsd_domain_conn(xsd, domid);

    if ( !conn )
        return XEN_ENOENT;
    conn->shutdown_reported = false;
    return 0;
}

int xsd_domain_set_target(struct xsd *xsd, unsigned int domid,
                          unsigned int target)
{
    struct xsd_conn *conn = xsd_domain_conn(xsd, domid);

    if ( !conn )
        return XEN_ENOENT;
    conn->has_target = true;
    conn->target = target;
    return 0;
}

/* XS_INTRODUCE's worker, for wire.c. */
int xsd_domain_introduce(struct xsd *xsd, unsigned int domid, uint64_t mfn,
                         unsigned int port)
{
    return introduce(xsd, domid, mfn, port);
}
