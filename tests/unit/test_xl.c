/*
 * Host tests of xl (tools/xl) over libkeelctrl (tools/libs/ctrl) and a
 * simulated hypervisor: a table of domains with their vCPUs, affinities
 * and scheduler parameters, physinfo, xen_version strings, a console ring
 * and a record of what xl changed.  The toolstack actions (create,
 * console, shutdown, destroy, mem-set) are fakes that record their
 * arguments.  Output is checked byte for byte against what Xen 4.17's xl
 * prints for the same state; the expected strings were worked out from
 * Xen's format strings (with a real printf for the "%8.1f" times), not
 * from xl's code.
 */
#include "harness.h"
#include <stdbool.h>
#include <stdint.h>
#include <keelctrl.h>
#include <xl.h>
#include <public/errno.h>
#include <public/version.h>

/* xl_fmt_seconds is internal to xl; tested directly. */
void xl_fmt_seconds(char *buf, size_t len, int width, uint64_t ns);

/* ---- the simulated hypervisor --------------------------------------------- */

#define MAX_DOMS    16
#define MAX_VCPUS   4

struct fake_dom {
    bool used;
    const char *name;                   /* NULL: none */
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl_getvcpuinfo vcpu[MAX_VCPUS];
    uint8_t hard[MAX_VCPUS], soft[MAX_VCPUS];
    uint16_t weight, cap;
};

static struct fake_dom doms[MAX_DOMS];
static struct xen_sysctl_physinfo phys;
static uint32_t sched_id;
static const char *ring;
static unsigned int ring_reads;
static bool ring_cleared;
static int version_fail_cmd = -1;

/* What xl did. */
static int nr_pauses, nr_unpauses;
static struct {
    int count;
    uint32_t vcpu, flags;
    uint8_t hard, soft;
    domid_t dom;
} setaff;

static struct fake_dom *dom_by_id(domid_t d)
{
    unsigned int i;

    for ( i = 0; i < MAX_DOMS; i++ )
        if ( doms[i].used && doms[i].info.domain == d )
            return &doms[i];
    return NULL;
}

/* The first domain with an id >= d, as XEN_DOMCTL_getdomaininfo. */
static struct fake_dom *dom_from(domid_t d)
{
    struct fake_dom *best = NULL;
    unsigned int i;

    for ( i = 0; i < MAX_DOMS; i++ )
        if ( doms[i].used && doms[i].info.domain >= d &&
             (!best || doms[i].info.domain < best->info.domain) )
            best = &doms[i];
    return best;
}

/* vCPUs the domain says it has, and the simulation holds. */
static unsigned int nr_vcpus(const struct fake_dom *f)
{
    unsigned int n = f->info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID
                     ? 0 : f->info.max_vcpu_id + 1;

    return n < MAX_VCPUS ? n : MAX_VCPUS;
}

static void put_map(struct xenctl_bitmap *b, uint8_t v)
{
    uint8_t *p = b->bitmap.p;

    memset(p, 0, (b->nr_bits + 7) / 8);
    p[0] = v;
}

static long fake_domctl(struct xen_domctl *op)
{
    struct fake_dom *f;
    uint32_t v;

    if ( op->interface_version != XEN_DOMCTL_INTERFACE_VERSION )
        return -XEN_EACCES;
    if ( op->cmd == XEN_DOMCTL_getdomaininfo )
    {
        if ( (f = dom_from(op->domain)) == NULL )
            return -XEN_ESRCH;
        op->domain = f->info.domain;
        op->u.getdomaininfo = f->info;
        return 0;
    }
    if ( (f = dom_by_id(op->domain)) == NULL )
        return -XEN_ESRCH;
    switch ( op->cmd )
    {
    case XEN_DOMCTL_pausedomain:
        nr_pauses++;
        f->info.flags |= XEN_DOMINF_paused;
        return 0;
    case XEN_DOMCTL_unpausedomain:
        nr_unpauses++;
        f->info.flags &= ~XEN_DOMINF_paused;
        return 0;
    case XEN_DOMCTL_getvcpuinfo:
        if ( (v = op->u.getvcpuinfo.vcpu) >= nr_vcpus(f) )
            return -XEN_EINVAL;
        op->u.getvcpuinfo = f->vcpu[v];
        op->u.getvcpuinfo.vcpu = v;
        return 0;
    case XEN_DOMCTL_getvcpuaffinity:
        if ( (v = op->u.vcpuaffinity.vcpu) >= nr_vcpus(f) )
            return -XEN_EINVAL;
        if ( op->u.vcpuaffinity.flags & XEN_VCPUAFFINITY_HARD )
            put_map(&op->u.vcpuaffinity.cpumap_hard, f->hard[v]);
        if ( op->u.vcpuaffinity.flags & XEN_VCPUAFFINITY_SOFT )
            put_map(&op->u.vcpuaffinity.cpumap_soft, f->soft[v]);
        return 0;
    case XEN_DOMCTL_setvcpuaffinity:
    {
        struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
        uint8_t hard = 0, soft = 0;

        if ( (v = a->vcpu) >= nr_vcpus(f) )
            return -XEN_EINVAL;
        setaff.count++;
        setaff.dom = op->domain;
        setaff.vcpu = v;
        setaff.flags = a->flags;
        if ( a->flags & XEN_VCPUAFFINITY_HARD )
        {
            hard = *(uint8_t *)a->cpumap_hard.bitmap.p;
            setaff.hard = hard;
            if ( !(hard & 0x0f) )
                return -XEN_EINVAL;     /* no online CPU */
        }
        if ( a->flags & XEN_VCPUAFFINITY_SOFT )
            setaff.soft = soft = *(uint8_t *)a->cpumap_soft.bitmap.p;
        /* The affinity in effect: the online CPUs (0-3) of what was
         * asked. */
        if ( a->flags & XEN_VCPUAFFINITY_HARD )
        {
            f->hard[v] = hard;
            put_map(&a->cpumap_hard, hard & 0x0f);
        }
        if ( a->flags & XEN_VCPUAFFINITY_SOFT )
        {
            f->soft[v] = soft;
            put_map(&a->cpumap_soft, soft & f->hard[v] & 0x0f);
        }
        return 0;
    }
    case XEN_DOMCTL_scheduler_op:
        if ( op->u.scheduler_op.sched_id != sched_id )
            return -XEN_EINVAL;
        if ( op->u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_getinfo )
        {
            op->u.scheduler_op.u.credit.weight = f->weight;
            op->u.scheduler_op.u.credit.cap = f->cap;
            return 0;
        }
        if ( op->u.scheduler_op.cmd == XEN_DOMCTL_SCHEDOP_putinfo )
        {
            f->weight = op->u.scheduler_op.u.credit.weight;
            f->cap = op->u.scheduler_op.u.credit.cap;
            return 0;
        }
        return -XEN_EINVAL;
    }
    return -XEN_ENOSYS;
}

static long fake_sysctl(struct xen_sysctl *op)
{
    struct xen_domctl_getdomaininfo *out;
    struct xen_sysctl_readconsole *rc;
    struct fake_dom *f;
    uint32_t n = 0, len, idx;
    domid_t next;

    if ( op->interface_version != XEN_SYSCTL_INTERFACE_VERSION )
        return -XEN_EACCES;
    switch ( op->cmd )
    {
    case XEN_SYSCTL_physinfo:
        op->u.physinfo = phys;
        return 0;
    case XEN_SYSCTL_sched_id:
        op->u.sched_id.sched_id = sched_id;
        return 0;
    case XEN_SYSCTL_getdomaininfolist:
        out = op->u.getdomaininfolist.buffer.p;
        next = op->u.getdomaininfolist.first_domain;
        while ( n < op->u.getdomaininfolist.max_domains &&
                (f = dom_from(next)) != NULL )
        {
            out[n++] = f->info;
            next = f->info.domain + 1;
        }
        op->u.getdomaininfolist.num_domains = n;
        return 0;
    case XEN_SYSCTL_readconsole:
        rc = &op->u.readconsole;
        len = (uint32_t)strlen(ring);
        idx = rc->incremental ? rc->index : 0;
        if ( idx > len )
            idx = len;
        n = len - idx < rc->count ? len - idx : rc->count;
        /* Hand out at most 1000 bytes a call: xl must come back. */
        if ( n > 1000 )
            n = 1000;
        memcpy(rc->buffer.p, ring + idx, n);
        rc->count = n;
        rc->index = idx + n;
        ring_reads++;
        if ( rc->clear )
            ring_cleared = true;
        return 0;
    case XEN_SYSCTL_cpupool_op:
        if ( op->u.cpupool_op.op != XEN_SYSCTL_CPUPOOL_OP_FREEINFO )
            return -XEN_ENOSYS;
        put_map(&op->u.cpupool_op.cpumap, 0);
        return 0;
    }
    return -XEN_ENOSYS;
}

static long copy_str(void *buf, const char *s, size_t size)
{
    memset(buf, 0, size);
    memcpy(buf, s, strlen(s) + 1);
    return 0;
}

static long fake_version(unsigned int cmd, void *arg)
{
    static const unsigned char id[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02 };
    struct xen_compile_info *cc = arg;
    struct xen_build_id *b = arg;

    if ( (int)cmd == version_fail_cmd )
        return -XEN_EPERM;
    switch ( cmd )
    {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_extraversion:
        return copy_str(arg, ".0", sizeof(xen_extraversion_t));
    case XENVER_compile_info:
        memset(cc, 0, sizeof(*cc));
        strcpy(cc->compiler, "gcc (Debian 12.2.0-14) 12.2.0");
        strcpy(cc->compile_by, "keel");
        strcpy(cc->compile_domain, "example.org");
        strcpy(cc->compile_date, "Mon Jan  1 00:00:00 UTC 2024");
        return 0;
    case XENVER_capabilities:
        return copy_str(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_str(arg, "keel-1234abcd", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
        ((struct xen_platform_parameters *)arg)->virt_start =
            0xffff800000000000ULL;
        return 0;
    case XENVER_pagesize:
        return 4096;
    case XENVER_commandline:
        return copy_str(arg, "dom0_mem=512M,max:512M console=com1 "
                        "com1=115200,8n1", sizeof(xen_commandline_t));
    case XENVER_build_id:
        if ( b->len < sizeof(id) )
            return -XEN_ENOBUFS;
        memcpy(b->buf, id, sizeof(id));
        return sizeof(id);
    }
    return -XEN_ENOSYS;
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
        return fake_sysctl((struct xen_sysctl *)a1);
    case __HYPERVISOR_xen_version:
        return fake_version((unsigned int)a1, (void *)a2);
    }
    return -XEN_ENOSYS;
}

static void *fake_buf_alloc(void *priv, size_t len)
{
    return malloc(len ? len : 1);
}

static void fake_buf_free(void *priv, void *p, size_t len)
{
    free(p);
}

static const struct kc_platform fake_platform = {
    .hypercall = fake_hypercall, .buf_alloc = fake_buf_alloc,
    .buf_free = fake_buf_free,
};
static struct kc_handle kc = { &fake_platform };

/* ---- the fake toolstack --------------------------------------------------- */

static char out_buf[65536], err_buf[65536];
static size_t out_len, err_len;

static void append(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if ( *len + n >= sizeof(out_buf) )
        n = sizeof(out_buf) - 1 - *len;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

static void cap_out(void *priv, const char *s)
{
    append(out_buf, &out_len, s);
}

static void cap_err(void *priv, const char *s)
{
    append(err_buf, &err_len, s);
}

static int fake_name_of(void *priv, domid_t d, char *buf, size_t len)
{
    struct fake_dom *f = dom_by_id(d);

    if ( !f || !f->name )
        return -XEN_ENOENT;
    snprintf(buf, len, "%s", f->name);
    return 0;
}

static struct {
    int calls;
    char path[256];
    int nr_over;
    char over[4][64];
    unsigned int flags;
    int rc;
} created;
static struct {
    int calls, num;
    unsigned int type;
    domid_t dom;
    int rc;
} consoled;
static struct {
    int calls, waits;
    domid_t dom[8];
    unsigned int reason;
    bool wait;
    int rc;
} shut;
static struct {
    int calls;
    domid_t dom;
    int rc;
} destroyed;
static struct {
    int calls;
    domid_t dom;
    uint64_t kb;
} memset_;

static int fake_create(void *priv, const char *cfg, int nr, char **over,
                       unsigned int flags, domid_t *d)
{
    int i;

    created.calls++;
    snprintf(created.path, sizeof(created.path), "%s", cfg);
    created.nr_over = nr;
    for ( i = 0; i < nr && i < 4; i++ )
        snprintf(created.over[i], sizeof(created.over[i]), "%s", over[i]);
    created.flags = flags;
    if ( created.rc )
        return created.rc;
    *d = 9;
    return 0;
}

static int fake_console(void *priv, domid_t d)
{
    consoled.calls++;
    consoled.dom = d;
    consoled.type = 0;
    consoled.num = 0;
    return consoled.rc;
}

static int fake_console_type(void *priv, domid_t d, unsigned int type,
                             int num)
{
    consoled.calls++;
    consoled.dom = d;
    consoled.type = type;
    consoled.num = num;
    return consoled.rc;
}

static int fake_shutdown(void *priv, domid_t d, unsigned int reason,
                         bool wait)
{
    if ( shut.calls < 8 )
        shut.dom[shut.calls] = d;
    shut.calls++;
    shut.reason = reason;
    shut.wait = wait;
    return shut.rc;
}

static int fake_wait(void *priv, domid_t d)
{
    shut.waits++;
    return 0;
}

static int fake_destroy(void *priv, domid_t d)
{
    destroyed.calls++;
    destroyed.dom = d;
    return destroyed.rc;
}

static int fake_mem_set(void *priv, domid_t d, uint64_t kb)
{
    memset_.calls++;
    memset_.dom = d;
    memset_.kb = kb;
    return 0;
}

static struct xl_ops ops;

static void add_dom(domid_t id, const char *name, uint64_t pages,
                    uint32_t flags, unsigned int nr_vcpu, unsigned int online,
                    uint64_t ns)
{
    struct fake_dom *f;
    unsigned int i;

    for ( i = 0; i < MAX_DOMS && doms[i].used; i++ )
        ;
    f = &doms[i];
    f->used = true;
    f->name = name;
    f->info.domain = id;
    f->info.flags = flags;
    f->info.tot_pages = pages;
    f->info.max_pages = pages + 256;
    f->info.cpu_time = ns;
    f->info.nr_online_vcpus = online;
    f->info.max_vcpu_id = nr_vcpu ? nr_vcpu - 1 : XEN_INVALID_MAX_VCPU_ID;
    f->info.handle[0] = (uint8_t)id;
    f->info.handle[15] = 0xab;
    f->weight = 256;
    for ( i = 0; i < MAX_VCPUS; i++ )
    {
        f->hard[i] = 0xff;
        f->soft[i] = 0xff;
    }
}

static void set_vcpu(domid_t d, unsigned int v, bool online, bool running,
                     bool blocked, uint32_t cpu, uint64_t ns, uint8_t hard,
                     uint8_t soft)
{
    struct fake_dom *f = dom_by_id(d);

    f->vcpu[v].online = online;
    f->vcpu[v].running = running;
    f->vcpu[v].blocked = blocked;
    f->vcpu[v].cpu = cpu;
    f->vcpu[v].cpu_time = ns;
    f->hard[v] = hard;
    f->soft[v] = soft;
}

/* dom0 and two domUs, as in the expected outputs below. */
static void reset(void)
{
    static const uint32_t hw[8] = { 0x178bfbff, 0xf6f83203, 0x2c100800,
                                    0x000001f3, 0, 0x009c07a9, 0, 0 };

    memset(doms, 0, sizeof(doms));
    memset(&phys, 0, sizeof(phys));
    phys.threads_per_core = 1;
    phys.cores_per_socket = 4;
    phys.nr_cpus = 4;
    phys.max_cpu_id = 7;
    phys.nr_nodes = 1;
    phys.cpu_khz = 2394454;
    phys.capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_directio |
                        XEN_SYSCTL_PHYSCAP_gnttab_v1;
    phys.total_pages = 1048576;
    phys.free_pages = 524544;
    phys.outstanding_pages = 256;
    memcpy(phys.hw_cap, hw, sizeof(hw));
    sched_id = XEN_SCHEDULER_CREDIT2;
    ring = "";
    ring_reads = 0;
    ring_cleared = false;
    version_fail_cmd = -1;
    nr_pauses = nr_unpauses = 0;
    memset(&setaff, 0, sizeof(setaff));
    memset(&created, 0, sizeof(created));
    memset(&consoled, 0, sizeof(consoled));
    memset(&shut, 0, sizeof(shut));
    memset(&destroyed, 0, sizeof(destroyed));
    memset(&memset_, 0, sizeof(memset_));

    add_dom(0, "Domain-0", 262144, XEN_DOMINF_running, 2, 2, 123456789012ULL);
    add_dom(3, "vm1", 65536, XEN_DOMINF_blocked, 1, 1, 50000000);
    add_dom(7, "vm2", 131072, XEN_DOMINF_paused, 4, 3, 12345670000000ULL);
    dom_by_id(7)->info.outstanding_pages = 256;
    set_vcpu(0, 0, true, true, false, 0, 61728394506ULL, 0x01, 0xff);
    set_vcpu(0, 1, true, true, false, 1, 61728394506ULL, 0x02, 0xff);
    set_vcpu(3, 0, true, false, true, 0, 50000000, 0xff, 0xff);
    set_vcpu(7, 0, true, true, false, 1, 1500000000, 0xff, 0xff);
    set_vcpu(7, 1, true, false, true, 3, 250000000, 0x0b, 0x00);
    set_vcpu(7, 2, false, false, false, 0, 0, 0x04, 0x0c);
    set_vcpu(7, 3, true, false, false, 2, 12345670000000ULL, 0x05, 0x0e);
    dom_by_id(3)->weight = 512;
    dom_by_id(3)->cap = 50;

    memset(&ops, 0, sizeof(ops));
    ops.kc = &kc;
    ops.out = cap_out;
    ops.err = cap_err;
    ops.name_of = fake_name_of;
    ops.create = fake_create;
    ops.console = fake_console;
    ops.shutdown = fake_shutdown;
    ops.destroy = fake_destroy;
    ops.mem_set = fake_mem_set;
    ops.host = "ctrl";
    ops.release = "0.1-keel";
    ops.version = "#1 Keel";
    ops.machine = "x86_64";
}

/* Run "xl <line>", words split at spaces. */
static int run(const char *line)
{
    static char copy[1024];
    char *argv[32], *p;
    int argc = 0;

    snprintf(copy, sizeof(copy), "%s", line);
    argv[argc++] = "xl";
    for ( p = strtok(copy, " "); p && argc < 31; p = strtok(NULL, " ") )
        argv[argc++] = p;
    argv[argc] = NULL;
    out_len = err_len = 0;
    out_buf[0] = err_buf[0] = '\0';
    return xl_main(&ops, argc, argv);
}

#define STARTS(buf, lit)  (!strncmp((buf), (lit), strlen(lit)))

/* ---- expected outputs -------------------------------------------------------- */

#define LIST_HEADER \
    "Name                                        ID   Mem VCPUs\tState\t" \
    "Time(s)\n"
#define LIST_DOM0 \
    "Domain-0                                     0  1024     2     r-----" \
    "     123.5\n"
#define LIST_VM1 \
    "vm1                                          3   256     1     -b----" \
    "       0.1\n"
#define LIST_VM2 \
    "vm2                                          7   513     3     --p---" \
    "   12345.7\n"

#define VCPU_HEADER \
    "Name                                ID  VCPU   CPU State   Time(s) " \
    "Affinity (Hard / Soft)\n"
#define VCPU_DOM0 \
    "Domain-0                             0     0    0   r--      61.7  0 / all\n" \
    "Domain-0                             0     1    1   r--      61.7  1 / all\n"
#define VCPU_VM1 \
    "vm1                                  3     0    0   -b-       0.1  all / all\n"
#define VCPU_VM2 \
    "vm2                                  7     0    1   r--       1.5  all / all\n" \
    "vm2                                  7     1    3   -b-       0.2  0-1,3 / none\n" \
    "vm2                                  7     2    -   --p       0.0  2 / 2-3\n" \
    "vm2                                  7     3    2   ---   12345.7  0,2 / 1-3\n"

/* ---- tests ---------------------------------------------------------------------- */

TEST(list_all_domains)
{
    reset();
    CHECK_EQ(0, run("list"));
    CHECK_STR(out_buf, LIST_HEADER LIST_DOM0 LIST_VM1 LIST_VM2);
    CHECK_STR(err_buf, "");
}

TEST(list_states_and_shutdown_reasons)
{
    static const char *const want =
        LIST_HEADER
        "(null)                                      10     0     0     ---s--       0.0\n"
        "(null)                                      11     0     0     ---sr-       0.0\n"
        "(null)                                      12     0     0     ---ss-       0.0\n"
        "(null)                                      13     0     0     ---sc-       0.0\n"
        "(null)                                      14     0     0     ---sw-       0.0\n"
        "(null)                                      15     0     0     ---sS-       0.0\n"
        "(null)                                      16     0     0     ---s?-       0.0\n"
        "(null)                                      17     0     0     -----d       0.0\n"
        "(null)                                      18     0     0     rb-s-d       0.0\n";
    unsigned int r;

    reset();
    memset(doms, 0, sizeof(doms));
    for ( r = 0; r <= 6; r++ )
        add_dom(10 + r, NULL, 0, XEN_DOMINF_shutdown |
                ((r == 6 ? 9 : r) << XEN_DOMINF_shutdownshift), 0, 0, 0);
    add_dom(17, NULL, 0, XEN_DOMINF_dying, 0, 0, 0);
    add_dom(18, NULL, 0, XEN_DOMINF_running | XEN_DOMINF_blocked |
            XEN_DOMINF_shutdown | XEN_DOMINF_dying, 0, 0, 0);
    /* A reason left in the flags without the shutdown bit is not shown. */
    dom_by_id(17)->info.flags |= 3u << XEN_DOMINF_shutdownshift;
    CHECK_EQ(0, run("list"));
    CHECK_STR(out_buf, want);
}

TEST(list_times_round_as_printf_does)
{
    static const struct {
        uint64_t ns;
        const char *want;
    } cases[] = {
        { 0, "     0.0" },
        { 50000000, "     0.1" },           /* 0.05 is just above */
        { 150000000, "     0.1" },          /* 0.15 is just below */
        { 250000000, "     0.2" },          /* exact tie: to even */
        { 350000000, "     0.3" },
        { 12345670000000ULL, " 12345.7" },
        { 99949999, "     0.1" },
        { 999999999999999ULL, "1000000.0" },  /* float rounding up */
        { 18446744073709551615ULL, "18446744073.7" },
    };
    char buf[32], want[64];
    unsigned int i, k;
    uint64_t ns = 1, v;

    for ( i = 0; i < sizeof(cases) / sizeof(cases[0]); i++ )
    {
        xl_fmt_seconds(buf, sizeof(buf), 8, cases[i].ns);
        CHECK_STR(buf, cases[i].want);
    }
    /* Against the host's printf of (float)ns / 1e9, over many scales. */
    for ( k = 0; k < 200000; k++ )
    {
        ns = ns * 6364136223846793005ULL + 1442695040888963407ULL;
        v = ns >> (k % 64);

        snprintf(want, sizeof(want), "%8.1f", (float)v / 1e9);
        xl_fmt_seconds(buf, sizeof(buf), 8, v);
        if ( strcmp(buf, want) )
        {
            CHECK_STR(buf, want);
            break;
        }
        /* Near the half-tenths, where the roundings matter. */
        v = (v / 50000000) * 50000000 + (k % 3) - 1;
        snprintf(want, sizeof(want), "%9.1f", (float)v / 1e9);
        xl_fmt_seconds(buf, sizeof(buf), 9, v);
        if ( strcmp(buf, want) )
        {
            CHECK_STR(buf, want);
            break;
        }
    }
}

TEST(list_one_domain_by_name_or_number)
{
    reset();
    CHECK_EQ(0, run("list vm2"));
    CHECK_STR(out_buf, LIST_HEADER LIST_VM2);
    CHECK_EQ(0, run("list 3"));
    CHECK_STR(out_buf, LIST_HEADER LIST_VM1);
    /* Without name_of, dom0 is still Domain-0 and others are (null). */
    ops.name_of = NULL;
    CHECK_EQ(0, run("list Domain-0"));
    CHECK_STR(out_buf, LIST_HEADER LIST_DOM0);
    CHECK_EQ(0, run("list 3"));
    CHECK_STR(out_buf, LIST_HEADER
              "(null)                                       3   256     1     "
              "-b----       0.1\n");
}

TEST(list_unknown_domain)
{
    reset();
    CHECK_EQ(1, run("list nosuch"));
    CHECK_STR(out_buf, "");
    CHECK_STR(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
    CHECK_EQ(1, run("list 42"));
    CHECK_STR(out_buf, "");
    CHECK_STR(err_buf, "Error: Domain '42' does not exist.\n");
    /* Past the domid range: never wrapped onto another domain. */
    CHECK_EQ(1, run("destroy 65536"));
    CHECK_STR(err_buf, "65536 is an invalid domain identifier (rc=-6)\n");
    CHECK_EQ(0, destroyed.calls);
    /* More than one domain: help, as Xen. */
    CHECK_EQ(1, run("list vm1 vm2"));
    CHECK(STARTS(out_buf, "Usage: xl [-v] list [options] [Domain]\n\n\n"
                 "List information about all/some domains.\n\n"));
}

TEST(list_long_is_json)
{
    static const char *const want =
        "[\n"
        "    {\n"
        "        \"domid\": 3,\n"
        "        \"config\": {\n"
        "            \"c_info\": {\n"
        "                \"type\": \"pv\",\n"
        "                \"name\": \"vm1\",\n"
        "                \"uuid\": \"03000000-0000-0000-0000-0000000000ab\"\n"
        "            },\n"
        "            \"b_info\": {\n"
        "                \"max_vcpus\": 1,\n"
        "                \"max_memkb\": 263168,\n"
        "                \"target_memkb\": 262144\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "]\n";

    reset();
    CHECK_EQ(0, run("list -l vm1"));
    CHECK_STR(out_buf, want);
    CHECK_EQ(0, run("list --long"));
    CHECK(STARTS(out_buf, "[\n    {\n        \"domid\": 0,\n"));
    CHECK(strstr(out_buf, "\n    },\n    {\n        \"domid\": 3,\n") != NULL);
    CHECK(strstr(out_buf, "\"name\": \"vm2\"") != NULL);
    /* Names are JSON-escaped. */
    dom_by_id(3)->name = "a\"b\\c";
    CHECK_EQ(0, run("list -l 3"));
    CHECK(strstr(out_buf, "\"name\": \"a\\\"b\\\\c\",\n") != NULL);
}

TEST(list_verbose_columns)
{
    reset();
    CHECK_EQ(0, run("list -v vm1"));
    CHECK_STR(out_buf,
              "Name                                        ID   Mem VCPUs\t"
              "State\tTime(s)   UUID                            Reason-Code\t"
              "Security Label\n"
              "vm1                                          3   256     1     "
              "-b----       0.1 03000000-0000-0000-0000-0000000000ab        - "
              "               -\n");
    CHECK_EQ(0, run("list -c vm1"));
    CHECK_STR(out_buf,
              "Name                                        ID   Mem VCPUs\t"
              "State\tTime(s)         Cpupool\n"
              "vm1                                          3   256     1     "
              "-b----       0.1          Pool-0\n");
}

#define INFO_ALL \
    "host                   : ctrl\n" \
    "release                : 0.1-keel\n" \
    "version                : #1 Keel\n" \
    "machine                : x86_64\n" \
    "nr_cpus                : 4\n" \
    "max_cpu_id             : 7\n" \
    "nr_nodes               : 1\n" \
    "cores_per_socket       : 4\n" \
    "threads_per_core       : 1\n" \
    "cpu_mhz                : 2394.454\n" \
    "hw_caps                : 178bfbff:f6f83203:2c100800:000001f3:00000000:" \
    "009c07a9:00000000:00000000\n" \
    "virt_caps              : pv pv_directio gnttab-v1\n" \
    "total_memory           : 4096\n" \
    "free_memory            : 2048\n" \
    "sharing_freed_memory   : 0\n" \
    "sharing_used_memory    : 0\n" \
    "outstanding_claims     : 1\n" \
    "free_cpus              : 0\n" \
    "xen_major              : 4\n" \
    "xen_minor              : 17\n" \
    "xen_extra              : .0\n" \
    "xen_version            : 4.17.0\n" \
    "xen_caps               : xen-3.0-x86_64\n" \
    "xen_scheduler          : credit2\n" \
    "xen_pagesize           : 4096\n" \
    "platform_params        : virt_start=0xffff800000000000\n" \
    "xen_changeset          : keel-1234abcd\n" \
    "xen_commandline        : dom0_mem=512M,max:512M console=com1 " \
    "com1=115200,8n1\n" \
    "cc_compiler            : gcc (Debian 12.2.0-14) 12.2.0\n" \
    "cc_compile_by          : keel\n" \
    "cc_compile_domain      : example.org\n" \
    "cc_compile_date        : Mon Jan  1 00:00:00 UTC 2024\n" \
    "build_id               : deadbeef0102\n" \
    "xend_config_format     : 4\n"

TEST(info_keys_order_and_padding)
{
    reset();
    CHECK_EQ(0, run("info"));
    CHECK_STR(out_buf, INFO_ALL);
    CHECK_STR(err_buf, "");
}

TEST(info_one_key)
{
    reset();
    CHECK_EQ(0, run("info xen_commandline"));
    CHECK_STR(out_buf, "dom0_mem=512M,max:512M console=com1 com1=115200,8n1\n");
    CHECK_EQ(0, run("info virt_caps"));
    CHECK_STR(out_buf, "pv pv_directio gnttab-v1\n");
    CHECK_EQ(0, run("info free_memory"));
    CHECK_STR(out_buf, "2048\n");
    /* A prefix takes every key it starts. */
    CHECK_EQ(0, run("info xen_m"));
    CHECK_STR(out_buf, "4\n17\n");
    CHECK_EQ(0, run("info nosuchkey"));
    CHECK_STR(out_buf, "");
}

TEST(info_without_privilege_or_caps)
{
    reset();
    version_fail_cmd = XENVER_build_id;     /* -EPERM: shown empty */
    phys.capabilities = 0;
    CHECK_EQ(0, run("info"));
    CHECK(strstr(out_buf, "\nbuild_id               : \n") != NULL);
    CHECK(strstr(out_buf, "\nvirt_caps              :\n") != NULL);
    CHECK_EQ(0, run("info virt_caps"));
    CHECK_STR(out_buf, "");
}

TEST(dmesg_drains_the_ring)
{
    static char text[5000];
    unsigned int i;

    reset();
    for ( i = 0; i < sizeof(text) - 1; i++ )
        text[i] = i % 50 == 49 ? '\n' : (char)('a' + i % 26);
    ring = text;
    CHECK_EQ(0, run("dmesg"));
    CHECK_STR(out_buf, text);
    CHECK(ring_reads >= 5);
    CHECK(!ring_cleared);
    CHECK_EQ(0, run("dmesg -c"));
    CHECK(ring_cleared);
    CHECK_EQ(2, run("dmesg -x"));
    CHECK_STR(err_buf, "option `x' not supported.\n");
}

TEST(vcpu_list_lines)
{
    reset();
    CHECK_EQ(0, run("vcpu-list"));
    CHECK_STR(out_buf, VCPU_HEADER VCPU_DOM0 VCPU_VM1 VCPU_VM2);
    CHECK_EQ(0, run("vcpu-list vm2"));
    CHECK_STR(out_buf, VCPU_HEADER VCPU_VM2);
    CHECK_EQ(0, run("vcpu-list vm1 0"));
    CHECK_STR(out_buf, VCPU_HEADER VCPU_VM1 VCPU_DOM0);
    CHECK_EQ(1, run("vcpu-list vm1 nosuch"));
    CHECK_STR(out_buf, VCPU_HEADER VCPU_VM1);
    CHECK_STR(err_buf, "nosuch is an invalid domain identifier (rc=-6)\n");
}

TEST(vcpu_pin_parses_cpu_lists)
{
    reset();
    CHECK_EQ(0, run("vcpu-pin vm2 1 0-3,^2"));
    CHECK_EQ(1, setaff.count);
    CHECK_EQ(7, setaff.dom);
    CHECK_EQ(1, setaff.vcpu);
    CHECK_EQ(XEN_VCPUAFFINITY_HARD, setaff.flags);
    CHECK_EQ(0x0b, setaff.hard);
    CHECK_STR(err_buf, "");

    /* all; and soft with "-" for the hard one. */
    CHECK_EQ(0, run("vcpu-pin vm2 0 all"));
    CHECK_EQ(0xff, setaff.hard);
    CHECK_EQ(0, run("vcpu-pin vm2 3 - 1,3"));
    CHECK_EQ(XEN_VCPUAFFINITY_SOFT, setaff.flags);
    CHECK_EQ(0x0a, setaff.soft);
    CHECK_EQ(0, run("vcpu-pin vm2 3 2 nodes:0"));
    CHECK_EQ(XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, setaff.flags);
    CHECK_EQ(0x04, setaff.hard);
    CHECK_EQ(0xff, setaff.soft);
    /* Empty items are skipped, as strtok skips them. */
    CHECK_EQ(0, run("vcpu-pin vm2 3 ,1,,2,"));
    CHECK_EQ(0x06, setaff.hard);

    /* -f asks the hypervisor to end a kernel's own pinning. */
    CHECK_EQ(0, run("vcpu-pin -f 0 1 1"));
    CHECK_EQ(XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_FORCE, setaff.flags);

    /* all vCPUs */
    setaff.count = 0;
    CHECK_EQ(0, run("vcpu-pin vm2 all 0-1"));
    CHECK_EQ(4, setaff.count);
    CHECK_EQ(3, setaff.vcpu);
    CHECK_EQ(0x03, dom_by_id(7)->hard[0]);

    /* A soft affinity outside the hard one: Xen's warning. */
    CHECK_EQ(0, run("vcpu-pin vm1 0 0 3"));
    CHECK_STR(err_buf, "libxl: warning: Domain 3:all cpus in soft affinity of "
              "vcpu 0 are unreachable. Only hard affinity will be considered "
              "for scheduling\n");

    /* -N: the maps, nothing set. */
    setaff.count = 0;
    CHECK_EQ(0, run("-N vcpu-pin vm2 1 0-3,^2 all"));
    CHECK_STR(out_buf, "cpumap: 0-1,3 all\n");
    CHECK_EQ(0, run("-N vcpu-pin vm2 1 - 5"));
    CHECK_STR(out_buf, "cpumap: - none\n");
    CHECK_EQ(0, setaff.count);
}

TEST(vcpu_pin_errors)
{
    reset();
    CHECK_EQ(1, run("vcpu-pin vm2 1 3-1"));
    CHECK_STR(err_buf, "Invalid pcpu range: 3-1.\n");
    CHECK_EQ(1, run("vcpu-pin vm2 1 ^all"));
    CHECK_STR(err_buf, "Can't combine \"^\" and \"all\".\n");
    CHECK_EQ(1, run("vcpu-pin vm2 1 ^x2"));
    CHECK_STR(err_buf, "Invalid pcpu range: x2.\n");
    CHECK_EQ(1, run("vcpu-pin vm2 1 0-"));
    CHECK_STR(err_buf, "Invalid pcpu range: 0-.\n");
    CHECK_EQ(1, run("vcpu-pin vm2 x 1"));
    CHECK_STR(err_buf, "Error: Invalid argument x as VCPU.\n");
    CHECK_EQ(1, run("vcpu-pin -f vm2 all 1"));
    CHECK_STR(err_buf, "Error: --force and 'all' as VCPU not allowed.\n");
    CHECK_EQ(1, run("vcpu-pin vm2 5 1"));
    CHECK_STR(err_buf, "Domain 7 has no vCPU 5 (its vCPUs are 0-3).\n"
              "Could not set affinity for vcpu `5'.\n");
    CHECK_EQ(1, run("vcpu-pin vm2 1 6-7"));
    CHECK_STR(err_buf, "Hard affinity '6-7' names no CPU of this host (its "
              "CPUs are 0-3).\n"
              "Could not set affinity for vcpu `1'.\n");
    CHECK_EQ(0, setaff.count);
    CHECK_EQ(2, run("vcpu-pin vm2 1"));
    CHECK_STR(err_buf, "'xl vcpu-pin' requires at least 3 arguments.\n\n");
    CHECK_STR(out_buf, "Usage: xl [-vfN] vcpu-pin [option] <Domain> "
              "<VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>"
              "\n\nSet which CPUs a VCPU can use.\n\nOptions:\n\n"
              "-f, --force        undo an override pinning done by the "
              "kernel\n");
    /* The hypervisor's refusal, when it is the one to refuse. */
    dom_by_id(7)->info.max_vcpu_id = 5;
    CHECK_EQ(1, run("vcpu-pin vm2 5 1"));
    CHECK_STR(err_buf, "libxl: error: Domain 7:Setting vcpu affinity: "
              "Invalid argument\nCould not set affinity for vcpu `5'.\n");
}

TEST(mem_set_sizes)
{
    static const struct {
        const char *arg;
        uint64_t kb;
    } ok[] = {
        { "256", 262144 }, { "256m", 262144 }, { "512M", 524288 },
        { "1g", 1048576 }, { "2T", 2147483648ULL }, { "1024k", 1024 },
        { "4096b", 4 }, { "0", 0 },
    };
    static const char *const bad[] = { "1.5g", "abc", "12q", "10kb", "g",
                                       "99999999999999999999" };
    char line[128];
    unsigned int i;

    reset();
    for ( i = 0; i < sizeof(ok) / sizeof(ok[0]); i++ )
    {
        snprintf(line, sizeof(line), "mem-set vm1 %s", ok[i].arg);
        CHECK_EQ(0, run(line));
        CHECK_EQ(3, memset_.dom);
        CHECK_EQ(ok[i].kb, memset_.kb);
    }
    memset_.calls = 0;
    for ( i = 0; i < sizeof(bad) / sizeof(bad[0]); i++ )
    {
        char want[128];

        snprintf(line, sizeof(line), "mem-set vm1 %s", bad[i]);
        snprintf(want, sizeof(want), "invalid memory size: %s\n", bad[i]);
        CHECK_EQ(1, run(line));
        CHECK_STR(err_buf, want);
    }
    CHECK_EQ(0, memset_.calls);
    ops.mem_set = NULL;
    CHECK_EQ(1, run("mem-set vm1 256"));
    CHECK_STR(err_buf, "xl mem-set: not supported in this environment (the "
              "control domain provides no service for it)\n");
}

#define SCHED_HEADER "Name                                ID Weight  Cap\n"

TEST(sched_credit_output)
{
    reset();
    CHECK_EQ(0, run("sched-credit2"));
    CHECK_STR(out_buf, "Cpupool Pool-0: [sched params unavailable]\n"
              SCHED_HEADER
              "Domain-0                             0    256    0\n"
              "vm1                                  3    512   50\n"
              "vm2                                  7    256    0\n");
    CHECK_EQ(0, run("sched-credit2 -d vm1"));
    CHECK_STR(out_buf, SCHED_HEADER
              "vm1                                  3    512   50\n");
    CHECK_EQ(0, run("sched-credit2 -d 3 -w 1024 -c 100"));
    CHECK_EQ(1024, dom_by_id(3)->weight);
    CHECK_EQ(100, dom_by_id(3)->cap);
    CHECK_EQ(0, run("sched-credit2 --domain=vm2 --weight 10"));
    CHECK_EQ(10, dom_by_id(7)->weight);
    CHECK_EQ(0, dom_by_id(7)->cap);

    /* The same under credit, with sched-credit. */
    sched_id = XEN_SCHEDULER_CREDIT;
    CHECK_EQ(0, run("sched-credit -d vm1"));
    CHECK_STR(out_buf, SCHED_HEADER
              "vm1                                  3   1024  100\n");
}

TEST(sched_credit_errors)
{
    reset();
    CHECK_EQ(1, run("sched-credit2 -d vm1 -w 0"));
    CHECK_STR(err_buf, "libxl: error: Domain 3:Cpu weight out of range, valid "
              "values are within range from 1 to 65535\n"
              "libxl_domain_sched_params_set failed.\n");
    CHECK_EQ(1, run("sched-credit2 -d vm1 -w 65536"));
    CHECK_EQ(1, run("sched-credit2 -d vm2 -c 401"));
    CHECK_STR(err_buf, "libxl: error: Domain 7:Cpu cap out of range, valid "
              "range is from 0 to 400 for specified number of vcpus\n"
              "libxl_domain_sched_params_set failed.\n");
    CHECK_EQ(0, run("sched-credit2 -d vm2 -c 400"));
    CHECK_EQ(512, dom_by_id(3)->weight);
    CHECK_EQ(1, run("sched-credit2 -w 5"));
    CHECK_STR(err_buf, "Must specify a domain.\n");

    /* sched-credit while the hypervisor presents credit2. */
    CHECK_EQ(1, run("sched-credit -d vm1"));
    CHECK_STR(out_buf, SCHED_HEADER);
    CHECK_STR(err_buf, "libxl_domain_sched_params_get returned credit2 not "
              "credit.\n(the hypervisor's scheduler is credit2: use 'xl "
              "sched-credit2')\n");
    CHECK_EQ(1, run("sched-credit -d vm1 -w 5"));
    CHECK(strstr(err_buf, "libxl_domain_sched_params_set failed.\n") != NULL);
    CHECK_EQ(512, dom_by_id(3)->weight);
    /* Listing under the other scheduler: nothing, as in Xen. */
    CHECK_EQ(0, run("sched-credit"));
    CHECK_STR(out_buf, "");
    CHECK(strstr(err_buf, "No CPU pool uses the credit scheduler.\n") != NULL);
    CHECK_EQ(1, run("sched-credit -p Pool-1"));
    CHECK_STR(err_buf, "unknown cpupool 'Pool-1'\n");
    CHECK_EQ(1, run("sched-credit -s -d vm1"));
    CHECK_STR(err_buf, "Specifying a cpupool or schedparam is not allowed "
              "with domain options.\n");
    CHECK_EQ(1, run("sched-credit -t 10"));
    CHECK_STR(err_buf, "Must specify schedparam to set schedule parameter "
              "values.\n");
}

TEST(create_parsing_message_and_flags)
{
    reset();
    CHECK_EQ(0, run("create /etc/keel/vm3.cfg"));
    CHECK_STR(err_buf, "Parsing config from /etc/keel/vm3.cfg\n");
    CHECK_STR(out_buf, "");
    CHECK_EQ(1, created.calls);
    CHECK_STR(created.path, "/etc/keel/vm3.cfg");
    CHECK_EQ(0, created.nr_over);
    CHECK_EQ(0, created.flags);

    CHECK_EQ(0, run("create -q -p vm3.cfg memory=512 name=vm4"));
    CHECK_STR(err_buf, "");
    CHECK_EQ(XL_CREATE_QUIET | XL_CREATE_PAUSED, created.flags);
    CHECK_EQ(2, created.nr_over);
    CHECK_STR(created.over[0], "memory=512");
    CHECK_STR(created.over[1], "name=vm4");

    /* Overrides before the file, -f for the file. */
    CHECK_EQ(0, run("create vcpus=2 -f /x.cfg"));
    CHECK_STR(created.path, "/x.cfg");
    CHECK_EQ(1, created.nr_over);

    /* -c attaches to the new domain's console. */
    CHECK_EQ(0, run("create -c vm3.cfg"));
    CHECK_EQ(XL_CREATE_CONSOLE, created.flags);
    CHECK_EQ(1, consoled.calls);
    CHECK_EQ(9, consoled.dom);

    /* No dry run: a toolstack that ignored the flag would build. */
    created.calls = 0;
    CHECK_EQ(1, run("-N create vm3.cfg"));
    CHECK_STR(err_buf, "command does not implement -N (dryrun) option\n");
    CHECK_EQ(2, run("create -n vm3.cfg"));
    CHECK_STR(err_buf, "option `n' not supported.\n");
    CHECK_EQ(0, created.calls);

    /* Failures. */
    created.calls = 0;
    CHECK_EQ(1, run("create"));
    CHECK_STR(err_buf, "Config file not specified and none in save file\n");
    CHECK_EQ(2, run("create a.cfg b.cfg"));
    CHECK(STARTS(out_buf, "Usage: xl [-vf] create <ConfigFile> [options] "
                 "[vars]\n\nCreate a domain from config file <filename>."
                 "\n\nOptions:\n\n-h                      Print this help."
                 "\n"));
    created.rc = -XEN_EINVAL;
    CHECK_EQ(1, run("create bad.cfg"));
    CHECK_STR(err_buf, "Parsing config from bad.cfg\n");
    ops.create = NULL;
    CHECK_EQ(1, run("create vm3.cfg"));
    CHECK_STR(err_buf, "xl create: not supported in this environment (the "
              "control domain provides no service for it)\n");
    CHECK_EQ(1, created.calls);
}

TEST(console_pause_destroy_shutdown)
{
    reset();
    CHECK_EQ(0, run("console vm1"));
    CHECK_EQ(1, consoled.calls);
    CHECK_EQ(3, consoled.dom);
    /* Without console_type, "-t pv" is the primary console... */
    CHECK_EQ(0, run("console -t pv vm1"));
    CHECK_EQ(2, consoled.calls);
    CHECK_EQ(0, consoled.type);
    /* ... and the others are not there. */
    CHECK_EQ(1, run("console -t serial vm1"));
    CHECK_STR(err_buf, "xl console: only the PV console 0 of a domain is "
              "available here\n");
    CHECK_EQ(1, run("console -n 1 vm1"));
    CHECK_EQ(2, consoled.calls);
    ops.console_type = fake_console_type;
    CHECK_EQ(0, run("console -t serial -n 1 vm2"));
    CHECK_EQ(XL_CONSOLE_SERIAL, consoled.type);
    CHECK_EQ(1, consoled.num);
    CHECK_EQ(7, consoled.dom);
    CHECK_EQ(1, run("console -t vga vm1"));
    CHECK_STR(err_buf, "console type supported are: pv, serial, vuart\n");
    consoled.rc = -XEN_ENOENT;
    CHECK_EQ(1, run("console vm1"));
    CHECK_STR(err_buf, "Unable to attach console\n");

    CHECK_EQ(0, run("pause vm1"));
    CHECK_EQ(1, nr_pauses);
    CHECK_EQ(0, run("unpause 3"));
    CHECK_EQ(1, nr_unpauses);
    CHECK_EQ(1, run("pause 42"));
    CHECK_STR(err_buf, "libxl: error: Domain 42:Pausing domain: No such "
              "process\n");

    CHECK_EQ(1, run("destroy 0"));
    CHECK_STR(err_buf, "Not destroying domain 0; use -f to force.\n"
              "This can only be done when using a disaggregated hardware "
              "domain and toolstack.\n\n");
    CHECK_EQ(0, destroyed.calls);
    CHECK_EQ(0, run("destroy vm2"));
    CHECK_EQ(7, destroyed.dom);
    destroyed.rc = -XEN_ESRCH;
    CHECK_EQ(1, run("destroy vm2"));
    CHECK_STR(err_buf, "destroy failed (rc=-3)\n");

    CHECK_EQ(0, run("shutdown vm1"));
    CHECK_STR(err_buf, "Shutting down domain 3\n");
    CHECK_EQ(SHUTDOWN_poweroff, shut.reason);
    CHECK(!shut.wait);
    CHECK_EQ(0, run("reboot -w vm2"));
    CHECK_STR(err_buf, "Rebooting domain 7\nWaiting for 1 domains\n");
    CHECK_EQ(SHUTDOWN_reboot, shut.reason);
    CHECK(shut.wait);
    CHECK_EQ(1, run("shutdown"));
    CHECK_STR(err_buf, "You must specify -a or a domain id.\n\n");

    /* -a: every domU; with a separate wait, all are asked first. */
    shut.calls = 0;
    dom_by_id(7)->info.flags |= XEN_DOMINF_xs_domain;
    ops.wait_shutdown = fake_wait;
    CHECK_EQ(0, run("shutdown -a -w"));
    CHECK_EQ(1, shut.calls);
    CHECK_EQ(3, shut.dom[0]);
    CHECK(!shut.wait);
    CHECK_EQ(1, shut.waits);
    CHECK_STR(err_buf, "Shutting down domain 3\nWaiting for 1 domains\n");
    shut.rc = -XEN_EIO;
    CHECK_EQ(1, run("shutdown vm1"));
    CHECK_STR(err_buf, "Shutting down domain 3\nshutdown failed (rc=-5)\n");
}

TEST(domid_and_domname)
{
    reset();
    CHECK_EQ(0, run("domid vm2"));
    CHECK_STR(out_buf, "7\n");
    CHECK_EQ(1, run("domid nosuch"));
    CHECK_STR(err_buf, "Can't get domid of domain name 'nosuch', maybe this "
              "domain does not exist.\n");
    CHECK_EQ(0, run("domname 3"));
    CHECK_STR(out_buf, "vm1\n");
    CHECK_EQ(1, run("domname 4"));
    CHECK_STR(err_buf, "Can't get domain name of domain id '4', maybe this "
              "domain does not exist.\n");
    CHECK_EQ(1, run("domname x"));
    CHECK_STR(err_buf, "Invalid domain id.\n\n");
}

TEST(usage_and_unknown_commands)
{
    reset();
    CHECK_EQ(1, run("frobnicate"));
    CHECK_STR(out_buf, "");
    CHECK_STR(err_buf, "command not implemented\n"
              "('xl help' lists the commands of this xl)\n");

    CHECK_EQ(1, run(""));
    CHECK(STARTS(out_buf, "Usage xl [-vfNtT] <subcommand> [args]\n\n"
                 "xl full list of subcommands:\n\n"
                 " create              Create a domain from config file "
                 "<filename>\n"
                 " list                List information about all/some "
                 "domains\n"));
    CHECK(strstr(out_buf, "\n vcpu-list           List the VCPUs for all/some "
                 "domains\n") != NULL);
    CHECK_EQ(0, run("help"));
    CHECK(STARTS(out_buf, "Usage xl [-vfNtT] <subcommand> [args]\n"));
    CHECK_EQ(0, run("help dmesg"));
    CHECK_STR(out_buf, "Usage: xl [-v] dmesg [-c]\n\n"
              "Read and/or clear dmesg buffer.\n\n"
              "Options:\n\n"
              "  -c                        Clear dmesg buffer as well as "
              "printing it\n");
    CHECK_EQ(0, run("help nosuch"));
    CHECK_STR(out_buf, "command \"nosuch\" not implemented\n");

    /* Abbreviations, -h, bad options, global options. */
    CHECK_EQ(0, run("li vm1"));
    CHECK_STR(out_buf, LIST_HEADER LIST_VM1);
    CHECK_EQ(1, run("d vm1"));              /* destroy, dmesg, domid... */
    CHECK_STR(err_buf, "command not implemented\n"
              "('xl help' lists the commands of this xl)\n");
    CHECK_EQ(0, run("pause -h"));
    CHECK_STR(out_buf, "Usage: xl [-vf] pause <Domain>\n\n"
              "Pause execution of a domain.\n\n");
    CHECK_EQ(0, run("list --help"));
    CHECK_EQ(2, run("list -x"));
    CHECK_STR(err_buf, "option `x' not supported.\n");
    CHECK_EQ(2, run("list --bogus"));
    CHECK_STR(err_buf, "option `--bogus' not supported.\n");
    CHECK_EQ(2, run("sched-credit2 -d"));
    CHECK_STR(err_buf, "option `d' requires an argument.\n");
    CHECK_EQ(1, run("-q list"));
    CHECK_STR(err_buf, "xl: invalid option -- 'q'\nunknown global option\n");
    CHECK_EQ(1, run("-N list"));
    CHECK_STR(err_buf, "command does not implement -N (dryrun) option\n");
    CHECK_EQ(0, run("-v list vm1"));
    CHECK_STR(out_buf, LIST_HEADER LIST_VM1);
    /* Options after operands, and "--". */
    CHECK_EQ(0, run("list vm1 -l"));
    CHECK(STARTS(out_buf, "[\n"));
    CHECK_EQ(1, run("list -- -l"));
    CHECK_STR(err_buf, "-l is an invalid domain identifier (rc=-6)\n");
}

TEST(hypervisor_failures_are_reported)
{
    reset();
    memset(doms, 0, sizeof(doms));      /* not even dom0: list is empty */
    CHECK_EQ(0, run("list"));
    CHECK_STR(out_buf, LIST_HEADER);
    reset();
    sched_id = 99;
    CHECK_EQ(0, run("info xen_scheduler"));
    CHECK_STR(out_buf, "(null)\n");
}

int main(void)
{
    RUN(list_all_domains);
    RUN(list_states_and_shutdown_reasons);
    RUN(list_times_round_as_printf_does);
    RUN(list_one_domain_by_name_or_number);
    RUN(list_unknown_domain);
    RUN(list_long_is_json);
    RUN(list_verbose_columns);
    RUN(info_keys_order_and_padding);
    RUN(info_one_key);
    RUN(info_without_privilege_or_caps);
    RUN(dmesg_drains_the_ring);
    RUN(vcpu_list_lines);
    RUN(vcpu_pin_parses_cpu_lists);
    RUN(vcpu_pin_errors);
    RUN(mem_set_sizes);
    RUN(sched_credit_output);
    RUN(sched_credit_errors);
    RUN(create_parsing_message_and_flags);
    RUN(console_pause_destroy_shutdown);
    RUN(domid_and_domname);
    RUN(usage_and_unknown_commands);
    RUN(hypervisor_failures_are_reported);
    HARNESS_EXIT();
}
