/*
 * ping/pong: two demo domUs find each other through xenstore and talk
 * through an interdomain event channel and a granted page each way.
 *
 * Each side advertises itself under its own home, in data/demo/ (the
 * toolstack gives a domU its data/ directory), readable by every domain
 * (owner us, others read):
 *
 *   name    its demo name (name=)
 *   gref    the grant reference of the page it granted its peer
 *   port    ping: the unbound event channel it allocated for its peer
 *   ready   pong: "1" once it has bound that channel
 *   failed  why it gave up, if it did
 *
 * Steps, on each side:
 *   1. publish name;
 *   2. find the peer: the one domain k in 1..maxdom-1, not us, whose
 *      /local/domain/k/data/demo/name is peer= (a domU may not list
 *      /local/domain, but it may read a node its owner made readable;
 *      two domains claiming the name is an error);
 *   3. grant the peer a page (a header, our pattern) and publish gref;
 *   4. read the peer's gref, map that page, check its header and pattern,
 *      write our pattern into its second half;
 *   5. ping: alloc_unbound for the peer, publish port, wait for ready;
 *      pong: read port, bind_interdomain, publish ready;
 *   6. N round trips: ping writes i into the peer's page (seq) through
 *      its mapping, sends, waits for the answer and checks that its own
 *      page's seq is i; pong waits, checks, writes i into ping's page and
 *      sends;
 *   7. check the pattern the peer wrote into our page;
 *   8. one result line, "demo: A<->B: N events, granted pages both ways:
 *      OK" or "... FAILED: why"; then unmap the peer's page and take our
 *      grant back (retried while the peer still has it mapped).
 *
 * Everything the peer wrote is untrusted: its xenstore values are read
 * with bounds (names; grant references above the reserved ones; ports in
 * the 2-level range), its page is only compared against, never followed.
 * Every wait has a deadline, and a side that fails publishes why, so its
 * peer stops waiting and says so.  Under XSM SILO two domUs may not map
 * each other's grants nor connect a channel: the map in step 4 is
 * refused, and the result line names the call and its status.
 */
#include "demo.h"

#define FIND_TIMEOUT_NS     PV_MS(300000)
#define PEER_TIMEOUT_NS     PV_MS(60000)
#define EVENT_TIMEOUT_NS    PV_MS(30000)
#define UNGRANT_TIMEOUT_NS  PV_MS(5000)
#define SCAN_INTERVAL_NS    PV_MS(500)
#define POLL_INTERVAL_NS    PV_MS(100)
#define GREF_MAX            65535ul     /* 128 frames of v1 entries */
#define PEER_TOKEN          "demo-peer"
#define SECONDS(ns)         ((unsigned int)((ns) / 1000000000))

#define DEMO_MAGIC          "keel-demo-page"
#define PATTERN_LEN         1024

/* The page each side grants its peer. */
struct demo_page {
    char magic[16];                     /* DEMO_MAGIC */
    char owner[DEMO_NAME_MAX + 1];      /* the granter's name= */
    uint32_t owner_domid;
    volatile uint32_t seq;              /* written by the grantee */
    uint8_t from_owner[PATTERN_LEN];    /* pattern(granter) */
    uint8_t from_peer[PATTERN_LEN];     /* pattern(grantee), by the grantee */
};
_Static_assert(sizeof(struct demo_page) <= PAGE_SIZE, "one page");

struct pair {
    const struct pair_args *a;
    domid_t peer;
    char dir[96];                       /* <home>/data/demo */
    char peer_dir[48];                  /* /local/domain/<peer>/data/demo */
    struct demo_page *mine;             /* granted to the peer */
    struct demo_page *theirs;           /* the peer's, mapped */
    grant_ref_t gref;
    grant_handle_t handle;
    bool granted, mapped;
    evtchn_port_t port;
    bool peer_failed;                   /* why is the peer's story */
    char why[200];
};

static uint8_t pattern(domid_t owner, unsigned int i)
{
    return (uint8_t)(i * 31 + owner * 7 + 1);
}

static bool fail(struct pair *p, const char *fmt, ...) __printf(2, 3);

static bool fail(struct pair *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->why, sizeof(p->why), fmt, ap);
    va_end(ap);
    return false;
}

/* Printable ASCII only, for text the peer wrote. */
static void sanitise(char *s)
{
    for ( ; *s; s++ )
        if ( *s < 0x20 || *s > 0x7e )
            *s = '?';
}

static int publish(struct pair *p, const char *key, const char *val)
{
    char path[128];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", p->dir, key);
    if ( (rc = pv_xs_write_str(demo.xs, path, val)) == 0 )
        rc = pv_xs_set_world_readable(demo.xs, path);
    return rc;
}

static bool xs_failed(struct pair *p, const char *what, int rc)
{
    return fail(p, "xenstore: %s: %d (%s)", what, rc, pv_errno_name(rc));
}

/* Sleep a little, answering shutdown requests meanwhile. */
static void pause_ns(uint64_t ns)
{
    pv_control_service(demo.xs, NULL);
    demo_wait(pv_now() + ns);
}

/* ---- steps 1 and 2: advertise, find the peer ----------------------------- */

static bool advertise(struct pair *p)
{
    int rc;

    snprintf(p->dir, sizeof(p->dir), "%s/data/demo", demo.home);
    xs_rm(demo.xs, XS_TXN_NONE, p->dir);
    if ( (rc = xs_mkdir(demo.xs, XS_TXN_NONE, p->dir)) != 0 ||
         (rc = pv_xs_set_world_readable(demo.xs, p->dir)) != 0 )
        return xs_failed(p, "making data/demo readable", rc);
    if ( (rc = publish(p, "name", p->a->name)) != 0 )
        return xs_failed(p, "writing data/demo/name", rc);
    return true;
}

static bool find_peer(struct pair *p)
{
    uint64_t deadline = pv_now() + FIND_TIMEOUT_NS;
    bool told = false;

    for ( ; ; )
    {
        char path[64], name[DEMO_NAME_MAX + 1];
        unsigned int k, found = 0, first = 0;
        int rc;

        for ( k = 1; k < p->a->maxdom; k++ )
        {
            if ( k == demo.self )
                continue;
            snprintf(path, sizeof(path), "/local/domain/%u/data/demo/name",
                     k);
            rc = pv_xs_read_str(demo.xs, path, name, sizeof(name));
            if ( rc == -XEN_EIO || rc == -XEN_ETIMEDOUT )
                return xs_failed(p, "looking for the peer", rc);
            if ( rc || strcmp(name, p->a->peer) )
                continue;
            if ( found++ )
                return fail(p, "domains %u and %u both call themselves %s",
                            first, k, p->a->peer);
            first = k;
        }
        if ( found )
        {
            p->peer = (domid_t)first;
            snprintf(p->peer_dir, sizeof(p->peer_dir),
                     "/local/domain/%u/data/demo", first);
            printf("demo: %s: peer %s is domain %u\n", p->a->name,
                   p->a->peer, first);
            /* Its later keys wake us sooner; polling works without. */
            xs_watch(demo.xs, p->peer_dir, PEER_TOKEN);
            return true;
        }
        if ( !told )
            printf("demo: %s: looking for %s among domains 1-%u\n",
                   p->a->name, p->a->peer, p->a->maxdom - 1);
        told = true;
        if ( pv_now() >= deadline )
            return fail(p, "no domain below %u calls itself %s "
                        "(data/demo/name) after %u s", p->a->maxdom,
                        p->a->peer, SECONDS(FIND_TIMEOUT_NS));
        pause_ns(SCAN_INTERVAL_NS);
    }
}

/* The peer published why it gave up: our failure is that. */
static bool peer_gave_up(struct pair *p)
{
    char path[64], why[100];
    int rc;

    snprintf(path, sizeof(path), "%s/failed", p->peer_dir);
    rc = pv_xs_read_str(demo.xs, path, why, sizeof(why));
    if ( rc == -XEN_E2BIG )
        snprintf(why, sizeof(why), "(a reason too long to show)");
    else if ( rc )
        return false;
    sanitise(why);
    p->peer_failed = true;
    fail(p, "peer %s (domain %u) failed: %s", p->a->peer, p->peer, why);
    return true;
}

/* The peer's data/demo/KEY as a number in [min, max], waiting for it. */
static bool wait_peer(struct pair *p, const char *key, unsigned long min,
                      unsigned long max, unsigned long *val)
{
    uint64_t deadline = pv_now() + PEER_TIMEOUT_NS;
    char path[64];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", p->peer_dir, key);
    for ( ; ; )
    {
        rc = pv_xs_read_uint(demo.xs, path, max, val);
        if ( rc == 0 && *val >= min )
            return true;
        if ( rc == 0 || rc == -XEN_EINVAL )
            return fail(p, "%s's %s is not a number from %lu to %lu",
                        p->a->peer, path, min, max);
        if ( rc == -XEN_EIO || rc == -XEN_ETIMEDOUT )
            return xs_failed(p, path, rc);
        if ( peer_gave_up(p) )
            return false;
        if ( pv_now() >= deadline )
            return fail(p, "%s (domain %u) did not write %s within %u s",
                        p->a->peer, p->peer, path,
                        SECONDS(PEER_TIMEOUT_NS));
        pause_ns(POLL_INTERVAL_NS);
    }
}

/* ---- steps 3 and 4: a granted page each way ------------------------------ */

static bool grant_page(struct pair *p)
{
    struct demo_page *pg;
    char val[16];
    unsigned int i;
    int16_t st;
    long rc;

    if ( (rc = pv_gnttab_init(&st)) < 0 )
        return fail(p, "GNTTABOP_setup_table: %ld (%s)", rc,
                    pv_errno_name(rc));
    if ( rc > 0 )
        return fail(p, "GNTTABOP_setup_table: %s (%d)", pv_gntst_name(st),
                    st);
    if ( (pg = pv_alloc_page()) == NULL )
        return fail(p, "no free page to grant");
    memcpy(pg->magic, DEMO_MAGIC, sizeof(DEMO_MAGIC));
    snprintf(pg->owner, sizeof(pg->owner), "%s", p->a->name);
    pg->owner_domid = demo.self;
    pg->seq = 0;
    for ( i = 0; i < PATTERN_LEN; i++ )
        pg->from_owner[i] = pattern(demo.self, i);
    p->mine = pg;

    if ( (rc = pv_gnttab_grant(p->peer, virt_to_mfn(pg), false,
                               &p->gref)) != 0 )
        return fail(p, "granting a page to domain %u: %ld (%s)", p->peer,
                    rc, pv_errno_name(rc));
    p->granted = true;
    snprintf(val, sizeof(val), "%u", p->gref);
    if ( (rc = publish(p, "gref", val)) != 0 )
        return xs_failed(p, "writing data/demo/gref", (int)rc);
    return true;
}

static bool map_peer(struct pair *p)
{
    struct demo_page *t;
    unsigned long ref;
    unsigned int i;
    void *win;
    int16_t st;
    long rc;

    if ( !wait_peer(p, "gref", GNTTAB_NR_RESERVED_ENTRIES, GREF_MAX, &ref) )
        return false;
    if ( (win = pv_foreign_window()) == NULL )
        return fail(p, "no free page to map the peer's grant at");
    rc = pv_gnttab_map((unsigned long)win, p->peer, (grant_ref_t)ref, false,
                       &p->handle, &st);
    if ( rc )
        pv_foreign_unmap(win);          /* our own page back there */
    if ( rc < 0 )
        return fail(p, "GNTTABOP_map_grant_ref (grant %lu of domain %u): "
                    "%ld (%s)", ref, p->peer, rc, pv_errno_name(rc));
    if ( rc > 0 )
        return fail(p, "GNTTABOP_map_grant_ref (grant %lu of domain %u): "
                    "%s (%d)", ref, p->peer, pv_gntst_name(st), st);
    p->theirs = t = win;
    p->mapped = true;

    if ( memcmp(t->magic, DEMO_MAGIC, sizeof(DEMO_MAGIC)) )
        return fail(p, "grant %lu of domain %u is not a demo page", ref,
                    p->peer);
    if ( strncmp(t->owner, p->a->peer, sizeof(t->owner)) ||
         t->owner_domid != p->peer )
        return fail(p, "grant %lu of domain %u is a page of another demo",
                    ref, p->peer);
    for ( i = 0; i < PATTERN_LEN; i++ )
        if ( t->from_owner[i] != pattern(p->peer, i) )
            return fail(p, "byte %u of %s's page reads %#x through the "
                        "mapping, expected %#x", i, p->a->peer,
                        t->from_owner[i], pattern(p->peer, i));
    for ( i = 0; i < PATTERN_LEN; i++ )
        t->from_peer[i] = pattern(demo.self, i);
    return true;
}

/* ---- step 5: the event channel ------------------------------------------- */

static bool take_event(evtchn_port_t port)
{
    unsigned long bit = 1UL << (port % 64);

    return __atomic_fetch_and(&pv_shared_info->evtchn_pending[port / 64],
                              ~bit, __ATOMIC_SEQ_CST) & bit;
}

static bool connect_channel(struct pair *p)
{
    unsigned long v;
    char val[16];
    long rc;

    if ( p->a->initiator )
    {
        if ( (rc = pv_evtchn_alloc_unbound(DOMID_SELF, p->peer,
                                           &p->port)) != 0 )
            return fail(p, "EVTCHNOP_alloc_unbound (for domain %u): %ld "
                        "(%s)", p->peer, rc, pv_errno_name(rc));
        snprintf(val, sizeof(val), "%u", p->port);
        if ( (rc = publish(p, "port", val)) != 0 )
            return xs_failed(p, "writing data/demo/port", (int)rc);
        return wait_peer(p, "ready", 1, 1, &v);
    }
    if ( !wait_peer(p, "port", 1, PV_EVT_NR_PORTS - 1, &v) )
        return false;
    if ( (rc = pv_evtchn_bind_interdomain(p->peer, (evtchn_port_t)v,
                                          &p->port)) != 0 )
        return fail(p, "EVTCHNOP_bind_interdomain (port %lu of domain %u): "
                    "%ld (%s)", v, p->peer, rc, pv_errno_name(rc));
    /* Binding sets our end pending (Xen: in case the peer sent before);
     * ping sends nothing before ready, so this one means nothing. */
    take_event(p->port);
    if ( (rc = publish(p, "ready", "1")) != 0 )
        return xs_failed(p, "writing data/demo/ready", (int)rc);
    return true;
}

/* ---- steps 6 and 7: the exchange ----------------------------------------- */

static bool wait_event(struct pair *p, unsigned long i)
{
    uint64_t deadline = pv_now() + EVENT_TIMEOUT_NS;

    while ( !take_event(p->port) )
    {
        if ( pv_now() >= deadline )
            return fail(p, "no event %lu from %s within %u s", i,
                        p->a->peer,
                        SECONDS(EVENT_TIMEOUT_NS));
        pv_poll(&p->port, 1, deadline);
    }
    if ( p->mine->seq != (uint32_t)i )
        return fail(p, "at event %lu our page holds %u from %s", i,
                    p->mine->seq, p->a->peer);
    return true;
}

static bool send_event(struct pair *p, unsigned long i)
{
    long rc;

    p->theirs->seq = (uint32_t)i;
    if ( (rc = pv_evtchn_send(p->port)) != 0 )
        return fail(p, "EVTCHNOP_send (event %lu): %ld (%s)", i, rc,
                    pv_errno_name(rc));
    return true;
}

static bool exchange(struct pair *p)
{
    uint64_t t0 = pv_now();
    unsigned long i;
    unsigned int k;

    for ( i = 1; i <= p->a->events; i++ )
        if ( p->a->initiator ? !send_event(p, i) || !wait_event(p, i)
                             : !wait_event(p, i) || !send_event(p, i) )
            return false;
    printf("demo: %s: %lu round trips with %s in %lu ms\n", p->a->name,
           p->a->events, p->a->peer,
           (unsigned long)((pv_now() - t0) / 1000000));
    for ( k = 0; k < PATTERN_LEN; k++ )
        if ( p->mine->from_peer[k] != pattern(p->peer, k) )
            return fail(p, "byte %u that %s wrote into our page reads %#x, "
                        "expected %#x", k, p->a->peer,
                        p->mine->from_peer[k], pattern(p->peer, k));
    return true;
}

/* ---- step 8 -------------------------------------------------------------- */

static void release(struct pair *p)
{
    uint64_t deadline;
    int16_t st;
    long rc;

    if ( p->mapped )
    {
        rc = pv_gnttab_unmap((unsigned long)p->theirs, p->handle, &st);
        if ( rc )
            printf("demo: %s: unmapping %s's page: %ld (%s, %s)\n",
                   p->a->name, p->a->peer, rc, pv_errno_name(rc),
                   pv_gntst_name(st));
        pv_foreign_unmap(p->theirs);
        p->mapped = false;
    }
    if ( !p->granted )
        return;
    deadline = pv_now() + UNGRANT_TIMEOUT_NS;
    while ( (rc = pv_gnttab_end(p->gref)) == -XEN_EBUSY &&
            pv_now() < deadline )
        pause_ns(POLL_INTERVAL_NS);
    if ( rc )
        printf("demo: %s: %s still maps our page; the grant stays\n",
               p->a->name, p->a->peer);
    else
        p->granted = false;
}

void demo_pair(const struct pair_args *a)
{
    static struct pair p;
    bool ok;

    memset(&p, 0, sizeof(p));
    p.a = a;
    ok = advertise(&p) && find_peer(&p) && grant_page(&p) && map_peer(&p) &&
         connect_channel(&p) && exchange(&p);
    if ( ok )
        printf("demo: %s<->%s: %lu events, granted pages both ways: OK\n",
               a->name, a->peer, a->events);
    else
    {
        printf("demo: %s<->%s: FAILED: %s\n", a->name, a->peer, p.why);
        if ( !p.peer_failed && p.dir[0] )
            publish(&p, "failed", p.why);
    }
    release(&p);
}
