/*
 * Host tests of the toolstack (tools/libs/toolstack) with the real
 * config parser, PV builder, xenstored and xenstore client, against a
 * simulated hypervisor: domains with pause/shutdown state, a pool of
 * machine frames, event channels counted per domain.  What is checked is
 * what an administrator sees: the domain exists and runs, its xenstore
 * entries, its console output as log lines, the on_* actions, the exact
 * refusals, and that creating and destroying many times leaves frames,
 * channels and xenstore nodes exactly as before.
 */
#include "harness.h"
#include "elf_builder.h"
#include <toolstack.h>
#include <xenstored.h>
#include <xs.h>
#include <public/errno.h>
#include <public/io/console.h>

#define NR_MFN      8192
#define MAX_DOMS    512

static uint8_t (*machine)[4096];
static int mfn_owner[NR_MFN];               /* domid + 1, or 0: free */
static unsigned long nr_free;
static struct fdom {
    xen_pfn_t shared_info;
    bool exists, paused, shutdown, have_ctxt;
    unsigned int reason, max_vcpus, nr_evtchn;
    unsigned long max_kb, tot;
} doms[MAX_DOMS];
static unsigned int next_domid = 1, nr_channels;
static char msgs[8192], lines[4096];

static long dom_check(domid_t d)
{
    return d < MAX_DOMS && doms[d].exists ? 0 : -XEN_ESRCH;
}

static void dom_free_frames(domid_t d)
{
    for ( unsigned int m = 0; m < NR_MFN; m++ )
        if ( mfn_owner[m] == d + 1 )
        {
            mfn_owner[m] = 0;
            nr_free++;
        }
}

static long fake_domctl(struct xen_domctl *op)
{
    domid_t d = op->domain;
    struct fdom *x = d < MAX_DOMS ? &doms[d] : NULL;

    if ( op->cmd == XEN_DOMCTL_createdomain )
    {
        if ( next_domid >= MAX_DOMS )
            return -XEN_ENOMEM;
        x = &doms[next_domid];
        memset(x, 0, sizeof(*x));
        x->exists = x->paused = true;
        x->max_vcpus = op->u.createdomain.max_vcpus;
        for ( x->shared_info = NR_MFN - 1; mfn_owner[x->shared_info];
              x->shared_info-- )
            continue;
        mfn_owner[x->shared_info] = next_domid + 1;
        nr_free--;
        op->domain = next_domid++;
        return 0;
    }
    if ( dom_check(d) )
        return -XEN_ESRCH;
    switch ( op->cmd )
    {
    case XEN_DOMCTL_getdomaininfo:
        memset(&op->u.getdomaininfo, 0, sizeof(op->u.getdomaininfo));
        op->u.getdomaininfo.domain = d;
        op->u.getdomaininfo.tot_pages = x->tot;
        op->u.getdomaininfo.shared_info_frame = x->shared_info;
        op->u.getdomaininfo.flags =
            (x->paused ? XEN_DOMINF_paused : 0) |
            (x->shutdown ? XEN_DOMINF_shutdown |
                           (x->reason << XEN_DOMINF_shutdownshift) : 0);
        return 0;
    case XEN_DOMCTL_max_vcpus:
        return op->u.max_vcpus.max == x->max_vcpus ? 0 : -XEN_EINVAL;
    case XEN_DOMCTL_max_mem:
        x->max_kb = op->u.max_mem.max_memkb;
        return 0;
    case XEN_DOMCTL_setvcpucontext:
        x->have_ctxt = true;
        return 0;
    case XEN_DOMCTL_hypercall_init:
    case XEN_DOMCTL_setvcpuaffinity:
        return 0;
    case XEN_DOMCTL_unpausedomain:
        x->paused = false;
        return 0;
    case XEN_DOMCTL_destroydomain:
        dom_free_frames(d);
        nr_channels -= x->nr_evtchn;
        memset(x, 0, sizeof(*x));
        return 0;
    }
    return -XEN_ENOSYS;
}

static long fake_populate(struct xen_memory_reservation *r)
{
    xen_pfn_t *list = r->extent_start.p;
    struct fdom *x = &doms[r->domid];
    unsigned long i, m = 0;

    if ( dom_check(r->domid) )
        return -XEN_ESRCH;
    for ( i = 0; i < r->nr_extents; i++ )
    {
        if ( (x->tot + 1) * 4 > x->max_kb )
            break;
        while ( m < NR_MFN && mfn_owner[m] )
            m++;
        if ( m == NR_MFN )
            break;
        mfn_owner[m] = r->domid + 1;
        nr_free--;
        x->tot++;
        list[i] = m;
    }
    return i;
}

static long fake_hypercall(void *priv, unsigned int nr, unsigned long a1,
                           unsigned long a2, unsigned long a3,
                           unsigned long a4, unsigned long a5)
{
    switch ( nr )
    {
    case __HYPERVISOR_domctl:
        return fake_domctl((struct xen_domctl *)a1);
    case __HYPERVISOR_sysctl:
    {
        struct xen_sysctl *op = (struct xen_sysctl *)a1;

        if ( op->cmd != XEN_SYSCTL_physinfo )
            return -XEN_ENOSYS;
        memset(&op->u.physinfo, 0, sizeof(op->u.physinfo));
        op->u.physinfo.nr_cpus = 2;
        op->u.physinfo.free_pages = nr_free;
        return 0;
    }
    case __HYPERVISOR_memory_op:
        return a1 == XENMEM_populate_physmap
               ? fake_populate((struct xen_memory_reservation *)a2)
               : -XEN_ENOSYS;
    case __HYPERVISOR_mmuext_op:
        return 0;
    case __HYPERVISOR_event_channel_op:
        if ( a1 == EVTCHNOP_alloc_unbound )
        {
            struct evtchn_alloc_unbound *u = (void *)a2;

            if ( dom_check(u->dom) )
                return -XEN_ESRCH;
            u->port = ++doms[u->dom].nr_evtchn;
            nr_channels++;
            return 0;
        }
        return -XEN_ENOSYS;
    case __HYPERVISOR_sched_op:
        if ( a1 == SCHEDOP_remote_shutdown )
        {
            struct sched_remote_shutdown *s = (void *)a2;

            if ( dom_check(s->domain_id) )
                return -XEN_ESRCH;
            doms[s->domain_id].shutdown = true;
            doms[s->domain_id].reason = s->reason;
            return 0;
        }
        return -XEN_ENOSYS;
    }
    return -XEN_ENOSYS;
}

static void *fake_buf_alloc(void *priv, size_t len) { return malloc(len); }
static void fake_buf_free(void *priv, void *p, size_t len) { free(p); }

static int nr_maps;

static void *fake_map(void *priv, domid_t d, xen_pfn_t mfn, bool w)
{
    if ( mfn >= NR_MFN || mfn_owner[mfn] != d + 1 )
        return NULL;
    nr_maps++;
    return machine[mfn];
}

static void fake_unmap(void *priv, void *va)
{
    nr_maps--;
}

static const struct kc_platform fake_kc_platform = {
    .hypercall = fake_hypercall, .buf_alloc = fake_buf_alloc,
    .buf_free = fake_buf_free, .map_foreign = fake_map,
    .unmap_foreign = fake_unmap,
};
static struct kc_handle kc = { &fake_kc_platform };

/* ---- the toolstack's platform ------------------------------------------ */

static struct xsd *xsd;
static struct xs_handle *xs;
static struct ts *ts;
static int nr_binds;

static const struct { const char *path, *text; } files[] = {
    { "vm1.cfg", "name = \"vm1\"\nkernel = \"boot/k\"\nmemory = 4\n" },
    { "reboot.cfg", "name = \"rb\"\nkernel = \"boot/k\"\nmemory = 4\n"
                    "on_reboot = \"restart\"\non_poweroff = \"preserve\"\n" },
    { "nokernel.cfg", "name = \"nk\"\nmemory = 4\nkernel = \"boot/none\"\n" },
    { "big.cfg", "name = \"big\"\nkernel = \"boot/k\"\nmemory = 64\n" },
    { "syntax.cfg", "name = \"s\"\nmemory = = 4\n" },
};

static int p_read_file(void *priv, const char *path, const void **data,
                       size_t *len)
{
    if ( !strcmp(path, "boot/k") )
    {
        *data = img_buf;
        *len = img_size;
        return 0;
    }
    for ( size_t i = 0; i < ARRAY_SIZE(files); i++ )
        if ( !strcmp(path, files[i].path) )
        {
            *data = files[i].text;
            *len = strlen(files[i].text);
            return 0;
        }
    return -XEN_ENOENT;
}

static int p_bind(void *priv, domid_t remote, evtchn_port_t rport,
                  evtchn_port_t *local)
{
    nr_binds++;
    *local = 100 + rport;
    return 0;
}

static void p_close(void *priv, evtchn_port_t local) { nr_binds--; }
static void p_notify(void *priv, evtchn_port_t local) { }
static void *p_map(void *priv, domid_t d, xen_pfn_t mfn)
{
    return fake_map(priv, d, mfn, true);
}
static void p_unmap(void *priv, void *va) { fake_unmap(priv, va); }

static int p_introduce(void *priv, domid_t d, xen_pfn_t mfn,
                       evtchn_port_t port)
{
    return xs_introduce(xs, d, mfn, port);
}

static void p_release(void *priv, domid_t d) { xs_release(xs, d); }

static void p_msg(void *priv, const char *line)
{
    strncat(msgs, line, sizeof(msgs) - strlen(msgs) - 2);
    strcat(msgs, "\n");
}

static void p_line(void *priv, domid_t d, const char *line)
{
    char buf[256];

    snprintf(buf, sizeof(buf), "(d%u) %s\n", d, line);
    strncat(lines, buf, sizeof(lines) - strlen(lines) - 1);
}

static void p_out(void *priv, const char *data, size_t len) { }
static size_t p_in(void *priv, char *buf, size_t len) { return 0; }
static void p_wait(void *priv, uint64_t ns) { }
static uint64_t p_now(void *priv) { return 0; }

/* xenstored's platform: rings are never mapped in these tests (no guest
 * runs a xenstore client); introduce only records the domain. */
static struct xenstore_domain_interface ring_page;

static struct xenstore_domain_interface *x_map(void *c, unsigned int d,
                                               uint64_t mfn)
{
    return &ring_page;
}
static void x_unmap(void *c, unsigned int d,
                    struct xenstore_domain_interface *r) { }
static int x_bind(void *c, unsigned int d, unsigned int p) { return 200; }
static void x_unbind(void *c, unsigned int p) { }
static void x_notify(void *c, unsigned int p) { }
static void x_mb(void *c) { __sync_synchronize(); }

static const struct xsd_ops xsd_platform = {
    .map_ring = x_map, .unmap_ring = x_unmap, .bind_evtchn = x_bind,
    .unbind_evtchn = x_unbind, .notify = x_notify, .mb = x_mb,
};

static int xs_wait(void *ctx)
{
    xsd_process(xsd);
    return 0;
}

static void setup(void)
{
    struct ts_platform p = {
        .kc = &kc, .read_file = p_read_file, .evtchn_bind = p_bind,
        .evtchn_close = p_close, .evtchn_notify = p_notify,
        .map_lasting = p_map, .unmap_lasting = p_unmap,
        .store_introduce = p_introduce, .store_release = p_release,
        .msg = p_msg, .console_line = p_line, .console_out = p_out,
        .console_in = p_in, .wait = p_wait, .now = p_now,
    };

    machine = calloc(NR_MFN, 4096);
    nr_free = NR_MFN;
    default_cfg();
    build();
    xsd = xsd_create(&xsd_platform, NULL);
    xs = xs_open_local(xsd, 0, xs_wait, NULL);
    p.xs = xs;
    ts = ts_init(&p);
}

static bool xs_has(const char *path, const char *want)
{
    char *v = NULL;
    size_t len;
    bool ok;

    if ( xs_read(xs, XS_TXN_NONE, path, &v, &len) )
        return false;
    ok = !want || (len == strlen(want) && !memcmp(v, want, len));
    free(v);
    return ok;
}

static unsigned int xs_count(const char *path)
{
    char **names = NULL;
    unsigned int n = 0;

    if ( xs_directory(xs, XS_TXN_NONE, path, &names, &n) )
        return 0;
    free(names);
    return n;
}

TEST(creates_a_running_domain)
{
    domid_t d = 0, other;
    char path[128], name[32];

    msgs[0] = '\0';
    CHECK_EQ(0, ts_create(ts, "vm1.cfg", 0, NULL, 0, &d));
    CHECK_STR("", msgs);
    CHECK(d != 0);
    CHECK(doms[d].exists && !doms[d].paused && doms[d].have_ctxt);
    CHECK_EQ(1024, doms[d].tot);                /* 4 MiB */
    CHECK_EQ(4 * 1024 + 1024, doms[d].max_kb);
    CHECK_EQ(2, doms[d].nr_evtchn);             /* console, xenstore */
    CHECK_EQ(1, ts_nr_domains(ts));
    snprintf(path, sizeof(path), "/local/domain/%u/name", d);
    CHECK(xs_has(path, "vm1"));
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", d);
    CHECK(xs_has(path, "4096"));
    snprintf(path, sizeof(path), "/local/domain/%u/console/type", d);
    CHECK(xs_has(path, "xenconsoled"));
    snprintf(path, sizeof(path), "/local/domain/%u/store/port", d);
    CHECK(xs_has(path, "2"));
    CHECK(xsd_domain_introduced(xsd, d));
    CHECK_EQ(0, ts_find(ts, "vm1", &other));
    CHECK_EQ(d, other);
    CHECK_EQ(0, ts_name_of(ts, d, name, sizeof(name)));
    CHECK_STR("vm1", name);

    /* The same name again is refused, naming the line and the holder. */
    msgs[0] = '\0';
    CHECK_EQ(-XEN_EEXIST, ts_create(ts, "vm1.cfg", 0, NULL, 0, &other));
    snprintf(path, sizeof(path), "vm1.cfg:1: name: domain with name \"vm1\" "
             "already exists (domain %u)\n", d);
    CHECK_STR(path, msgs);

    CHECK_EQ(0, ts_destroy(ts, d));
    CHECK(!doms[d].exists);
    snprintf(path, sizeof(path), "/local/domain/%u", d);
    CHECK(!xs_has(path, NULL));
    CHECK_EQ(0, ts_nr_domains(ts));
}

TEST(console_output_becomes_log_lines)
{
    volatile struct xencons_interface *c;
    char path[64], *v = NULL, want[64];
    size_t len;
    domid_t d = 0;

    CHECK_EQ(0, ts_create(ts, "vm1.cfg", 0, NULL, 0, &d));
    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
    CHECK_EQ(0, xs_read(xs, XS_TXN_NONE, path, &v, &len));
    c = (void *)machine[strtoul(v, NULL, 10)];
    free(v);
    for ( const char *s = "hello\r\nworld\n"; *s; s++ )
        c->out[MASK_XENCONS_IDX(c->out_prod++, c->out)] = *s;
    lines[0] = '\0';
    ts_service(ts);
    snprintf(want, sizeof(want), "(d%u) hello\n(d%u) world\n", d, d);
    CHECK_STR(want, lines);
    CHECK_EQ(c->out_prod, c->out_cons);
    CHECK_EQ(0, ts_destroy(ts, d));
}

TEST(refusals_name_the_cause)
{
    unsigned long before = nr_free;
    domid_t d;

    msgs[0] = '\0';
    CHECK_EQ(-XEN_ENOENT, ts_create(ts, "nokernel.cfg", 0, NULL, 0, &d));
    CHECK_STR("nokernel.cfg:3: kernel: cannot read \"boot/none\": no such "
              "file in the control domain (its initrd holds the kernels it "
              "can start)\n", msgs);

    msgs[0] = '\0';
    CHECK_EQ(-XEN_ENOMEM, ts_create(ts, "big.cfg", 0, NULL, 0, &d));
    CHECK_STR("big.cfg: memory: need 65 MiB, free 32 MiB, dom0 holds 0 "
              "MiB: lower memory= or free memory (xl destroy, xl mem-set)\n",
              msgs);

    msgs[0] = '\0';
    CHECK_EQ(-XEN_EINVAL, ts_create(ts, "syntax.cfg", 0, NULL, 0, &d));
    CHECK(!strncmp(msgs, "syntax.cfg:2: config parsing error near `=':",
                   44));

    msgs[0] = '\0';
    CHECK_EQ(-XEN_ENOENT, ts_create(ts, "absent.cfg", 0, NULL, 0, &d));
    CHECK_STR("Failed to read config file: absent.cfg: No such file or "
              "directory\n", msgs);

    /* An override that makes the file bad is reported the same way. */
    msgs[0] = '\0';
    CHECK_EQ(-XEN_EINVAL, ts_create(ts, "vm1.cfg", 1,
                                    (char *[]){ "memory=\"x\"" }, 0, &d));
    CHECK(strstr(msgs, "memory") != NULL);

    CHECK_EQ(before, nr_free);
    CHECK_EQ(0, ts_nr_domains(ts));
}

TEST(on_actions)
{
    domid_t d = 0, d2;
    char path[64];

    /* on_poweroff default destroy. */
    CHECK_EQ(0, ts_create(ts, "vm1.cfg", 0, NULL, 0, &d));
    doms[d].shutdown = true;
    doms[d].reason = SHUTDOWN_poweroff;
    msgs[0] = '\0';
    ts_service(ts);
    CHECK(!doms[d].exists);
    CHECK_EQ(0, ts_nr_domains(ts));
    CHECK(strstr(msgs, "reason code 0 (poweroff): action destroy") != NULL);

    /* on_reboot restart: a new domain with the same name. */
    CHECK_EQ(0, ts_create(ts, "reboot.cfg", 0, NULL, 0, &d));
    CHECK_EQ(0, ts_shutdown(ts, d, SHUTDOWN_reboot, false));
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d);
    CHECK(xs_has(path, "reboot"));
    CHECK(doms[d].shutdown);        /* no PV control feature: directly */
    ts_service(ts);
    CHECK(!doms[d].exists);
    CHECK_EQ(0, ts_find(ts, "rb", &d2));
    CHECK(d2 != d && doms[d2].exists && !doms[d2].paused);

    /* on_poweroff preserve: the domain stays, shut down. */
    doms[d2].shutdown = true;
    doms[d2].reason = SHUTDOWN_poweroff;
    ts_service(ts);
    ts_service(ts);
    CHECK(doms[d2].exists);
    CHECK_EQ(1, ts_nr_domains(ts));
    CHECK_EQ(0, ts_destroy(ts, d2));

    /* A domain destroyed behind the toolstack's back is forgotten. */
    CHECK_EQ(0, ts_create(ts, "vm1.cfg", 0, NULL, 0, &d));
    memset(&doms[d], 0, sizeof(doms[d]));
    msgs[0] = '\0';
    ts_service(ts);
    CHECK_EQ(0, ts_nr_domains(ts));
    CHECK(strstr(msgs, "is gone") != NULL);
}

TEST(create_destroy_200_times_leaves_nothing)
{
    unsigned long frames = nr_free;
    unsigned int channels = nr_channels, binds = nr_binds, maps = nr_maps;
    unsigned int nodes = xsd_domain_nodes(xsd, 0);
    unsigned int entries = xs_count("/local/domain");
    domid_t d = 0, last = 0;
    int i;

    for ( i = 0; i < 200; i++ )
    {
        if ( ts_create(ts, "vm1.cfg", 0, NULL, 0, &d) ||
             ts_destroy(ts, d) )
            break;
        CHECK(d > last);
        last = d;
    }
    CHECK_EQ(200, i);
    CHECK_EQ(frames, nr_free);
    CHECK_EQ(channels, nr_channels);
    CHECK_EQ(binds, nr_binds);
    CHECK_EQ(maps, nr_maps);
    CHECK_EQ(nodes, xsd_domain_nodes(xsd, 0));
    CHECK_EQ(entries, xs_count("/local/domain"));
}

int main(void)
{
    setup();
    RUN(creates_a_running_domain);
    RUN(console_output_becomes_log_lines);
    RUN(refusals_name_the_cause);
    RUN(on_actions);
    RUN(create_destroy_200_times_leaves_nothing);
    HARNESS_EXIT();
}
