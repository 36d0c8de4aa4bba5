/*
 * Transactions.
 *
 * xenstore.txt describes a transaction as a private copy of the whole
 * store.  Copying is what made Xen's first daemon slow and lets a guest
 * multiply its memory use, so a transaction here is instead a table of
 * the paths it has touched (store.c): for each, the record the store had
 * at first touch (the base) and what the transaction sees now.  Reads and
 * writes inside the transaction go to that table; nothing reaches the
 * store, and no watch fires, until the end.
 *
 * Committing succeeds only if every touched path still has its base
 * record in the store; otherwise someone changed what the transaction
 * read or wrote and the end is EAGAIN (the client retries the whole
 * transaction).  This is Xen's behaviour since 4.9: only conflicting
 * changes fail a transaction, unrelated ones do not.  Aborting, failing,
 * or the connection going away just drops the table.
 *
 * An unprivileged connection may have txns_per_conn transactions open
 * (ENOSPC), each touching at most txn_nodes paths (ENOSPC), and a commit
 * must not take its domain over its node quota (ENOSPC).
 */
#include "xsd_private.h"

struct xsd_txn {
    struct xsd_txn *next;
    uint32_t id;
    struct xsd_hmap map;            /* path -> struct xsd_entry */
    struct xsd_evlist events;       /* fired if the commit succeeds */
};

struct xsd_hmap *xsd_txn_map(struct xsd_txn *t)
{
    return &t->map;
}

unsigned int xsd_txn_entries(const struct xsd_txn *t)
{
    return t->map.count;
}

struct xsd_evlist *xsd_txn_events(struct xsd_txn *t)
{
    return &t->events;
}

struct xsd_txn *xsd_txn_find(const struct xsd_conn *conn, uint32_t id)
{
    struct xsd_txn *t;

    for ( t = conn->txns; t; t = t->next )
        if ( t->id == id )
            return t;
    return NULL;
}

static void txn_free(struct xsd_txn *t)
{
    xsd_store_txn_free(&t->map);
    xsd_evlist_free(&t->events);
    free(t);
}

int xsd_txn_start(struct xsd_conn *conn, uint32_t *id)
{
    struct xsd_txn *t;

    if ( !conn->privileged &&
         conn->nr_txns >= conn->xsd->quota.txns_per_conn )
        return XEN_ENOSPC;

    t = calloc(1, sizeof(*t));
    if ( !t )
        return XEN_ENOMEM;
    if ( xsd_hmap_init(&t->map) )
    {
        free(t);
        return XEN_ENOMEM;
    }
    xsd_evlist_init(&t->events);

    /* Ids are per connection, never 0, never one still open. */
    do {
        t->id = ++conn->next_txid;
    } while ( t->id == 0 || xsd_txn_find(conn, t->id) );

    t->next = conn->txns;
    conn->txns = t;
    conn->nr_txns++;
    *id = t->id;
    return 0;
}

static int commit(struct xsd_conn *conn, struct xsd_txn *t)
{
    struct xsd *xsd = conn->xsd;

    if ( !xsd_store_txn_clean(xsd, &t->map) )
        return XEN_EAGAIN;

    /*
     * Several transactions may each stay within the quota and together
     * exceed it: check the total against the store as it is now.
     */
    if ( !conn->privileged )
    {
        struct xsd_ctx direct = { .xsd = xsd, .conn = conn };
        struct xsd_ctx in_txn = { .xsd = xsd, .conn = conn, .txn = t };
        unsigned int now = xsd_db_nodes(&direct, conn->domid);
        unsigned int after = xsd_db_nodes(&in_txn, conn->domid);

        if ( after > now && after > xsd->quota.nodes_per_domain )
            return XEN_ENOSPC;
    }

    if ( xsd_store_txn_prepare(xsd, &t->map) )
        return XEN_ENOMEM;
    xsd_store_txn_apply(xsd, &t->map);
    return 0;
}

/*
 * End @t (commit or abort).  The transaction is gone afterwards whatever
 * the result.  On a successful commit its watch events move to @fire.
 */
int xsd_txn_end(struct xsd_conn *conn, struct xsd_txn *t, bool do_commit,
                struct xsd_evlist *fire)
{
    struct xsd_txn **pp;
    int rc = 0;

    for ( pp = &conn->txns; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            conn->nr_txns--;
            break;
        }

    if ( do_commit )
        rc = commit(conn, t);
    if ( do_commit && rc == 0 && t->events.head )
    {
        *fire->tail = t->events.head;
        fire->tail = t->events.tail;
        xsd_evlist_init(&t->events);
    }
    txn_free(t);
    return rc;
}

void xsd_txn_drop_all(struct xsd_conn *conn)
{
    while ( conn->txns )
    {
        struct xsd_txn *t = conn->txns;

        conn->txns = t->next;
        txn_free(t);
    }
    conn->nr_txns = 0;
}
