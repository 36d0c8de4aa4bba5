/*
 * The xenstore connection of a domU: libxs (tools/libs/xs) over the ring
 * page the builder gave us (start_info.store_mfn, in the boot mapping)
 * and the store event channel (start_info.store_evtchn), and a few
 * helpers that bound what they read.
 *
 * The ring transport's hooks: notify is EVTCHNOP_send on the store
 * channel; mb a full fence; wait returns at once (clearing the pending
 * bit) if the channel fired since we last looked, else sleeps in
 * SCHEDOP_poll for up to a second.  libxs reads the ring again after every
 * wait, so a wakeup is never lost: the daemon sets the pending bit after
 * writing.  A store silent for PV_XS_TIMEOUT_NS of system time (no event,
 * neither of the daemon's indices moved) makes the wait fail with
 * -XEN_ETIMEDOUT, which fails the call in progress (the handle stays
 * usable: a late reply is dropped by its request id).  Silence is
 * measured in time, not in waits: a poll may return early (a deadline our
 * clock puts in the past), and that must not count as a second.
 *
 * Values read for the caller are copied into its buffer with their
 * length checked: another domain may have written them.
 */
#include <pvguest/domu.h>
#include <xs.h>

#define WAIT_SLICE_NS   PV_MS(1000)

static struct xs_handle *handle;
static struct xenstore_domain_interface *ring;
static evtchn_port_t store_port;
static uint64_t idle_since;             /* 0: the daemon just moved */
static uint32_t seen_rsp_prod, seen_req_cons;

static bool test_and_clear_pending(evtchn_port_t p)
{
    unsigned long bit = 1UL << (p % 64);

    return __atomic_fetch_and(&pv_shared_info->evtchn_pending[p / 64],
                              ~bit, __ATOMIC_SEQ_CST) & bit;
}

static void ring_notify(void *ctx)
{
    pv_evtchn_send(store_port);
}

/*
 * The daemon has moved since the last wait if either of its indices did:
 * then the store is not silent, whatever the event channel said.
 */
static bool daemon_moved(void)
{
    uint32_t rsp_prod = ring->rsp_prod, req_cons = ring->req_cons;
    bool moved = rsp_prod != seen_rsp_prod || req_cons != seen_req_cons;

    seen_rsp_prod = rsp_prod;
    seen_req_cons = req_cons;
    return moved;
}

static int ring_wait(void *ctx)
{
    uint64_t now;

    if ( test_and_clear_pending(store_port) )
    {
        idle_since = 0;
        return 0;
    }
    now = pv_now();
    if ( daemon_moved() || !idle_since )
        idle_since = now;
    else if ( now - idle_since >= PV_XS_TIMEOUT_NS )
    {
        idle_since = 0;
        return -XEN_ETIMEDOUT;
    }
    pv_poll(&store_port, 1, now + WAIT_SLICE_NS);
    if ( test_and_clear_pending(store_port) )
        idle_since = 0;
    return 0;
}

static void ring_mb(void *ctx)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

struct xs_handle *pv_xs_open(void)
{
    static const struct xs_ring_ops ops = {
        .notify = ring_notify,
        .wait = ring_wait,
        .mb = ring_mb,
    };
    const struct start_info *si = pv_start_info;
    struct xenstore_domain_interface *intf;

    if ( handle )
        return handle;
    if ( !si || !si->store_mfn || !si->store_evtchn )
        return NULL;
    if ( (intf = mfn_to_virt(si->store_mfn)) == NULL )
        return NULL;
    store_port = si->store_evtchn;
    ring = intf;
    daemon_moved();
    handle = xs_open_ring(intf, &ops);
    return handle;
}

evtchn_port_t pv_xs_port(void)
{
    return handle ? store_port : 0;
}

/* ---- bounded values ------------------------------------------------------ */

int pv_xs_read_str(struct xs_handle *h, const char *path, char *buf,
                   size_t len)
{
    char *val;
    size_t n;
    int rc;

    if ( (rc = xs_read(h, XS_TXN_NONE, path, &val, &n)) != 0 )
        return rc;
    if ( n >= len )
        rc = -XEN_E2BIG;
    else if ( memchr(val, '\0', n) )
        rc = -XEN_EINVAL;
    else
    {
        memcpy(buf, val, n);
        buf[n] = '\0';
    }
    free(val);
    return rc;
}

int pv_xs_read_uint(struct xs_handle *h, const char *path,
                    unsigned long max, unsigned long *val)
{
    char buf[24];
    unsigned long v = 0;
    const char *p;
    int rc;

    if ( (rc = pv_xs_read_str(h, path, buf, sizeof(buf))) != 0 )
        return rc == -XEN_E2BIG ? -XEN_EINVAL : rc;
    if ( !buf[0] )
        return -XEN_EINVAL;
    for ( p = buf; *p; p++ )
    {
        unsigned long d = (unsigned long)(*p - '0');

        if ( *p < '0' || *p > '9' || d > max || v > (max - d) / 10 )
            return -XEN_EINVAL;
        v = v * 10 + d;
    }
    *val = v;
    return 0;
}

int pv_xs_write_str(struct xs_handle *h, const char *path, const char *val)
{
    return xs_write(h, XS_TXN_NONE, path, val, strlen(val));
}

int pv_xs_set_world_readable(struct xs_handle *h, const char *path)
{
    struct xs_perm perm;
    domid_t self;
    int rc;

    if ( (rc = pv_xs_domid(h, &self)) != 0 )
        return rc;
    perm.domid = self;
    perm.access = XS_PERM_READ;
    return xs_set_perms(h, XS_TXN_NONE, path, &perm, 1);
}

/* ---- who we are ---------------------------------------------------------- */

int pv_xs_domid(struct xs_handle *h, domid_t *domid)
{
    static domid_t cached;
    static bool known;
    unsigned long v;
    int rc;

    if ( !known )
    {
        /* A relative path: below our home, whoever we are. */
        if ( (rc = pv_xs_read_uint(h, "domid", DOMID_FIRST_RESERVED - 1,
                                   &v)) != 0 )
            return rc;
        cached = (domid_t)v;
        known = true;
    }
    *domid = cached;
    return 0;
}

int pv_xs_home(struct xs_handle *h, char *buf, size_t len)
{
    domid_t self;
    char *path;
    int rc;

    if ( (rc = pv_xs_domid(h, &self)) != 0 )
        return rc;
    if ( xs_get_domain_path(h, self, &path) == 0 )
    {
        rc = strlen(path) < len && path[0] == '/' ? 0 : -XEN_E2BIG;
        if ( rc == 0 )
            memcpy(buf, path, strlen(path) + 1);
        free(path);
        return rc;
    }
    if ( (size_t)snprintf(buf, len, "/local/domain/%u", self) >= len )
        return -XEN_E2BIG;
    return 0;
}
