/*
 * demohost's platform: what keel-ctrl does for its domUs
 * (tools/ctrldom/platform.c, tools/libs/toolstack), cut down to what the
 * demo domUs need, on the same libraries.
 *
 *  - xenstored (tools/xenstored) runs in this kernel; the test talks to it
 *    through a privileged local connection (libxs, xs_open_local);
 *  - a domU is built from the module with libkeelctrl and libdombuild,
 *    gets the xenstore entries the toolstack writes (its home owned by
 *    dom0 and readable by it; control/ and data/ its own), is introduced
 *    to xenstored, has its console ring mapped and its console channel
 *    bound, and is unpaused;
 *  - one loop serves everything: any event wakes it (VIRQ_TIMER for
 *    deadlines), then xenstored runs and every console is drained into
 *    lines, logged as "(dN) line" and kept for the test to look at.
 *
 * Foreign frames are mapped at the runtime's recycled windows; xenstored
 * uses its PV platform (tools/xenstored/xsd_pv.c), as keel-ctrl does.
 */
#include "demohost.h"
#include <dombuild.h>
#include <keelctrl-pv.h>
#include <xenstored-pv.h>
#include <xs.h>

#define MAX_DOMUS       8

struct kc_handle *kc = &pv_kc_handle;
struct xs_handle *xs;
bool on_keel;

static struct xsd *xsd;
static const void *image;
static size_t image_len;
static struct domu *domus[MAX_DOMUS];
static evtchn_port_t timer_port;

static int local_wait(void *ctx)
{
    xsd_process(xsd);
    return 0;
}

void host_init(const void *img, size_t len)
{
    image = img;
    image_len = len;
    on_keel = pv_on_keel();
    if ( pv_evt_init() )
        test_abort("cannot take event upcalls");
    if ( pv_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port) )
        test_abort("cannot bind VIRQ_TIMER");
    pv_evt_enable();
    if ( (xsd = xsd_create(&pv_xsd_ops, NULL)) == NULL ||
         (xs = xs_open_local(xsd, 0, local_wait, NULL)) == NULL )
        test_abort("cannot start xenstored");
}

/* ---- the loop ------------------------------------------------------------ */

static void emit(void *priv, const char *line)
{
    struct domu *d = priv;
    char shown[CONS_LINE_MAX + 1];
    char *t;

    /* A domU's own result line must not end this test's run. */
    snprintf(shown, sizeof(shown), "%s", line);
    while ( (t = strstr(shown, "Test result")) != NULL )
        t[4] = '-';
    printf("(d%u) %s\n", d->id, shown);
    if ( d->nr_hist < HIST_LINES )
        snprintf(d->hist[d->nr_hist++], sizeof(d->hist[0]), "%s", line);
}

static void drain_console(struct domu *d)
{
    char buf[256];
    size_t n;
    bool moved = false;

    while ( (n = cons_read_out(&d->cons, buf, sizeof(buf))) != 0 )
    {
        moved = true;
        cons_lines_feed(&d->lines, buf, n, emit, d);
    }
    if ( moved )
        pv_evtchn_send(d->cons_port);
}

void host_service(void)
{
    unsigned int i;

    xsd_process(xsd);
    for ( i = 0; i < MAX_DOMUS; i++ )
        if ( domus[i] && domus[i]->cons_page )
            drain_console(domus[i]);
    xsd_process(xsd);
}

void host_wait(uint64_t ns)
{
    HYPERVISOR_set_timer_op(pv_now() + ns);
    pv_block();
    pv_evt_enable();
    host_service();
}

/* ---- domUs --------------------------------------------------------------- */

static int put(struct domu *d, const char *key, const char *fmt, ...)
    __printf(3, 4);

static int put(struct domu *d, const char *key, const char *fmt, ...)
{
    char path[64], val[64];
    va_list ap;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", d->id, key);
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return xs_write(xs, XS_TXN_NONE, path, val, strlen(val));
}

/* The toolstack's entries (tools/libs/toolstack, xs_populate). */
static int populate(struct domu *d, const struct dombuild_params *p,
                    const struct dombuild_result *r)
{
    static const char *const own_dirs[] = { "control", "data" };
    struct xs_perm home[2] = {
        { 0, XS_PERM_NONE }, { d->id, XS_PERM_READ },
    };
    struct xs_perm own = { d->id, XS_PERM_NONE };
    char path[64];
    unsigned int i;
    int rc = 0;

    snprintf(path, sizeof(path), "/local/domain/%u", d->id);
    rc |= xs_mkdir(xs, XS_TXN_NONE, path);
    rc |= xs_set_perms(xs, XS_TXN_NONE, path, home, 2);
    rc |= put(d, "name", "%s", d->name);
    rc |= put(d, "domid", "%u", d->id);
    rc |= put(d, "console/port", "%u", p->console_evtchn);
    rc |= put(d, "console/ring-ref", "%lu", (unsigned long)r->console_mfn);
    rc |= put(d, "store/port", "%u", p->store_evtchn);
    rc |= put(d, "store/ring-ref", "%lu", (unsigned long)r->store_mfn);
    for ( i = 0; i < ARRAY_SIZE(own_dirs); i++ )
    {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", d->id,
                 own_dirs[i]);
        rc |= xs_mkdir(xs, XS_TXN_NONE, path);
        rc |= xs_set_perms(xs, XS_TXN_NONE, path, &own, 1);
    }
    return rc;
}

static bool start(struct domu *d, const char *cmdline)
{
    struct xen_domctl_createdomain cfg = {
        .max_vcpus = 1, .max_evtchn_port = 1023, .max_grant_frames = 4,
        .max_maptrack_frames = 4, .grant_opts = 1,
    };
    struct dombuild_params p = {
        .kernel = image, .kernel_len = image_len, .cmdline = cmdline,
        .nr_pages = DOMU_KB / 4,
    };
    struct dombuild_result r;
    uint32_t domid = 0;
    char err[160];
    int rc;

    if ( (rc = kc_domain_create(kc, &domid, &cfg)) != 0 )
    {
        test_fail(d->name, "createdomain: %d", rc);
        return false;
    }
    d->id = p.domid = (domid_t)domid;
    if ( (rc = kc_domain_max_vcpus(kc, d->id, 1)) != 0 ||
         (rc = kc_domain_setmaxmem(kc, d->id, DOMU_KB)) != 0 ||
         (rc = kc_evtchn_alloc_unbound(kc, d->id, 0, &p.console_evtchn)) ||
         (rc = kc_evtchn_alloc_unbound(kc, d->id, 0, &p.store_evtchn)) )
    {
        test_fail(d->name, "d%u: setup: %d", d->id, rc);
        return false;
    }
    if ( (rc = dombuild_pv(kc, &p, &r, err, sizeof(err))) != 0 )
    {
        test_fail(d->name, "d%u: build: %d: %s", d->id, rc, err);
        return false;
    }
    if ( (rc = populate(d, &p, &r)) != 0 ||
         (rc = xs_introduce(xs, d->id, r.store_mfn, p.store_evtchn)) != 0 )
    {
        test_fail(d->name, "d%u: xenstore: %d", d->id, rc);
        return false;
    }
    d->introduced = true;
    if ( (d->cons_page = pv_foreign_map_window(d->id, r.console_mfn,
                                               true)) == NULL ||
         pv_evtchn_bind_interdomain(d->id, p.console_evtchn, &d->cons_port) )
    {
        test_fail(d->name, "d%u: console backend", d->id);
        return false;
    }
    d->cons.intf = d->cons_page;
    pv_evtchn_unmask(d->cons_port);
    if ( (rc = kc_domain_unpause(kc, d->id)) != 0 )
    {
        test_fail(d->name, "d%u: unpause: %d", d->id, rc);
        return false;
    }
    printf("demohost: %s is domain %u (\"%s\")\n", d->name, d->id, cmdline);
    return true;
}

struct domu *domu_start(const char *name, const char *cmdline)
{
    struct domu *d = calloc(1, sizeof(*d));
    unsigned int i;

    if ( !d )
        test_abort("out of memory");
    snprintf(d->name, sizeof(d->name), "%s", name);
    for ( i = 0; i < MAX_DOMUS && domus[i]; i++ )
        ;
    if ( i == MAX_DOMUS )
        test_abort("too many domUs");
    domus[i] = d;
    if ( start(d, cmdline) )
        return d;
    domu_destroy(d);
    return NULL;
}

void domu_destroy(struct domu *d)
{
    char path[48];
    unsigned int i;
    int rc;

    for ( i = 0; i < MAX_DOMUS; i++ )
        if ( domus[i] == d )
            domus[i] = NULL;
    if ( d->cons_port )
        pv_evtchn_close(d->cons_port);
    if ( d->cons_page )
        pv_foreign_unmap_window(d->cons_page);
    if ( d->introduced )
        xs_release(xs, d->id);
    if ( d->id )
    {
        snprintf(path, sizeof(path), "/local/domain/%u", d->id);
        xs_rm(xs, XS_TXN_NONE, path);
        if ( (rc = kc_domain_destroy(kc, d->id)) != 0 )
            test_fail(d->name, "destroying d%u: %d", d->id, rc);
    }
    free(d);
}

const char *domu_wait_line(struct domu *d, const char *needle,
                           uint64_t timeout_ns)
{
    uint64_t deadline = pv_now() + timeout_ns;
    unsigned int i;

    for ( ; ; )
    {
        host_service();
        for ( i = 0; i < d->nr_hist; i++ )
            if ( strstr(d->hist[i], needle) )
                return d->hist[i];
        if ( pv_now() >= deadline )
            return NULL;
        host_wait(PV_MS(50));
    }
}

void domu_type(struct domu *d, const char *s)
{
    size_t len = strlen(s), n;

    while ( len )
    {
        n = cons_write_in(&d->cons, s, len);
        pv_evtchn_send(d->cons_port);
        if ( !n && d->cons.broken )
            return;
        s += n;
        len -= n;
        if ( len )
            host_wait(PV_MS(10));
    }
}

int domu_wait_shutdown(struct domu *d, uint64_t timeout_ns)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t deadline = pv_now() + timeout_ns;

    for ( ; ; )
    {
        if ( kc_domain_getinfo(kc, d->id, &info) )
            return -1;
        if ( info.flags & XEN_DOMINF_shutdown )
        {
            host_service();             /* its last words */
            return (info.flags >> XEN_DOMINF_shutdownshift) &
                   XEN_DOMINF_shutdownmask;
        }
        if ( pv_now() >= deadline )
            return -1;
        host_wait(PV_MS(20));
    }
}

int domu_xs_read(struct domu *d, const char *key, char **val)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/%s", d->id, key);
    return xs_read(xs, XS_TXN_NONE, path, val, NULL);
}

int domu_xs_write(struct domu *d, const char *key, const char *val)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/%s", d->id, key);
    return xs_write(xs, XS_TXN_NONE, path, val, strlen(val));
}
