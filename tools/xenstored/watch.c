/*
 * Watches and watch events.
 *
 * A connection registers (path, token) pairs.  A change to a node is an
 * event on the node's path; it fires every watch whose path is a parent
 * of (or equal to) the changed path, so a watch on /a fires for /a and
 * for /a/b.  Removing a subtree also fires the watches set on paths
 * inside it, each with its own watch path as the event path (xenstore.txt:
 * the event path is always a child of the watch path).  An event reaches
 * a connection only if it may read the changed node (for a removal: as
 * it was before); watches on "@introduceDomain" and "@releaseDomain" fire
 * only for the special events the daemon makes, to privileged
 * connections, to those the special node's permissions let read, and for
 * @releaseDomain to a connection whose target was released.
 *
 * Changes queue their events on an event list while the request runs
 * (or while the transaction is open) and the list fires after the reply
 * is queued, so a client sees its reply before the events its request
 * caused.  A watch given as a relative path gets relative event paths.
 *
 * An unprivileged connection has at most watches_per_conn watches
 * (E2BIG, as Xen); a duplicate (path, token) is EEXIST; removing an
 * unknown one is ENOENT.
 */
#include "xsd_private.h"

static const char *const special_names[XSD_NR_SPECIAL] = {
    [XSD_SPECIAL_INTRODUCE] = "@introduceDomain",
    [XSD_SPECIAL_RELEASE]   = "@releaseDomain",
};

int xsd_special_index(const char *path)
{
    unsigned int i;

    for ( i = 0; i < XSD_NR_SPECIAL; i++ )
        if ( !strcmp(path, special_names[i]) )
            return (int)i;
    return -1;
}

void xsd_evlist_init(struct xsd_evlist *l)
{
    l->head = NULL;
    l->tail = &l->head;
}

/*
 * Remember an event.  Without memory the event is lost; xenstore.txt lets
 * watches fire spuriously but clients expect them, so this is logged.
 */
void xsd_evlist_add(struct xsd_evlist *l, const char *path, bool rm,
                    const struct xsd_rec *r)
{
    size_t plen = strlen(path) + 1;
    size_t psize = (size_t)r->nr_perms * sizeof(struct xsd_perm);
    struct xsd_event *ev;

    if ( !l )
        return;
    ev = malloc(sizeof(*ev) + plen + psize + sizeof(struct xsd_perm));
    if ( !ev )
        return;
    memcpy(ev->path, path, plen);
    /* The perms follow the path, aligned for struct xsd_perm. */
    ev->perms = (struct xsd_perm *)
        (((uintptr_t)(ev->path + plen) + sizeof(uint32_t) - 1) &
         ~(uintptr_t)(sizeof(uint32_t) - 1));
    memcpy(ev->perms, r->perms, psize);
    ev->nr_perms = r->nr_perms;
    ev->rm = rm;
    ev->next = NULL;
    *l->tail = ev;
    l->tail = &ev->next;
}

void xsd_evlist_free(struct xsd_evlist *l)
{
    while ( l->head )
    {
        struct xsd_event *ev = l->head;

        l->head = ev->next;
        free(ev);
    }
    l->tail = &l->head;
}

/* Queue one XS_WATCH_EVENT: "<path>\0<token>\0", req_id and tx_id 0. */
void xsd_watch_send(struct xsd_conn *conn, const struct xsd_watch *w,
                    const char *path)
{
    if ( w->relative )
    {
        char home[32];
        int n = snprintf(home, sizeof(home), XSD_HOME_PREFIX "%u/",
                         conn->domid);

        if ( n > 0 && !strncmp(path, home, (size_t)n) )
            path += n;
    }
    xsd_conn_send(conn, XS_WATCH_EVENT, 0, 0, path, strlen(path) + 1,
                  w->token, strlen(w->token) + 1, false);
}

static void fire_one(struct xsd *xsd, const struct xsd_event *ev)
{
    struct xsd_conn *conn;
    struct xsd_watch *w;

    for ( conn = xsd->conns; conn; conn = conn->next )
    {
        bool may_read;

        if ( conn->dead || conn->bad || !conn->watches )
            continue;
        may_read = xsd_perm_for(conn, ev->perms, ev->nr_perms) &
                   XSD_PERM_READ;
        if ( !may_read )
            continue;
        for ( w = conn->watches; w; w = w->next )
        {
            if ( w->path[0] == '@' )
                continue;
            if ( xsd_path_is_child(ev->path, w->path) )
                xsd_watch_send(conn, w, ev->path);
            else if ( ev->rm && xsd_path_is_child(w->path, ev->path) )
                xsd_watch_send(conn, w, w->path);
        }
    }
}

void xsd_evlist_fire(struct xsd *xsd, struct xsd_evlist *l)
{
    struct xsd_event *ev;

    for ( ev = l->head; ev; ev = ev->next )
        fire_one(xsd, ev);
    xsd_evlist_free(l);
}

void xsd_watch_fire_special(struct xsd *xsd, unsigned int which,
                            unsigned int domid)
{
    const char *name = special_names[which];
    struct xsd_conn *conn;
    struct xsd_watch *w;

    for ( conn = xsd->conns; conn; conn = conn->next )
    {
        bool allowed;

        if ( conn->dead || conn->bad )
            continue;
        allowed = conn->privileged ||
                  (xsd_perm_for(conn, xsd->special[which],
                                xsd->nr_special[which]) & XSD_PERM_READ) ||
                  (which == XSD_SPECIAL_RELEASE && conn->has_target &&
                   conn->target == domid);
        if ( !allowed )
            continue;
        for ( w = conn->watches; w; w = w->next )
            if ( !strcmp(w->path, name) )
                xsd_watch_send(conn, w, name);
    }
}

int xsd_watch_add(struct xsd_conn *conn, const char *path, bool relative,
                  const char *token, struct xsd_watch **out)
{
    struct xsd_watch *w;

    for ( w = conn->watches; w; w = w->next )
        if ( !strcmp(w->path, path) && !strcmp(w->token, token) )
            return XEN_EEXIST;
    if ( !conn->privileged &&
         conn->nr_watches >= conn->xsd->quota.watches_per_conn )
        return XEN_E2BIG;

    w = calloc(1, sizeof(*w));
    if ( !w )
        return XEN_ENOMEM;
    w->path = xsd_strdup(path);
    w->token = xsd_strdup(token);
    if ( !w->path || !w->token )
    {
        free(w->path);
        free(w->token);
        free(w);
        return XEN_ENOMEM;
    }
    w->relative = relative;
    w->next = conn->watches;
    conn->watches = w;
    conn->nr_watches++;
    *out = w;
    return 0;
}

static void watch_free(struct xsd_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

int xsd_watch_del(struct xsd_conn *conn, const char *path,
                  const char *token)
{
    struct xsd_watch **pp;

    for ( pp = &conn->watches; *pp; pp = &(*pp)->next )
    {
        struct xsd_watch *w = *pp;

        if ( !strcmp(w->path, path) && !strcmp(w->token, token) )
        {
            *pp = w->next;
            conn->nr_watches--;
            watch_free(w);
            return 0;
        }
    }
    return XEN_ENOENT;
}

void xsd_watch_drop_all(struct xsd_conn *conn)
{
    while ( conn->watches )
    {
        struct xsd_watch *w = conn->watches;

        conn->watches = w->next;
        watch_free(w);
    }
    conn->nr_watches = 0;
}
