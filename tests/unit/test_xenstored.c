/*
 * Host test of xenstored's portable core (tools/xenstored), unmodified.
 *
 * A fake platform maps "ring pages" that are plain arrays of this file
 * (the machine frame number is the index) and records event-channel
 * calls.  Most cases talk to the daemon over local connections: domid 0
 * is the privileged toolstack, other domids stand for unprivileged guests
 * with exactly a ring connection's rights.  The ring cases play a guest
 * writing raw bytes and indices into the ring page, hostile ones
 * included.  Every request type is covered with its success and its
 * errors, plus permissions, quotas, watches, transactions, domains and
 * malformed input; ASan and UBSan watch for any bad access.
 */
#include "harness.h"

#include <stdint.h>
#include <stdbool.h>
#include "xenstored.h"

/* ---- fake platform ------------------------------------------------------ */

#define NR_RINGS 4

static struct xenstore_domain_interface rings[NR_RINGS];
static bool mapped[NR_RINGS];
static int nr_bound, nr_notify;
static char logbuf[8192];

static struct xenstore_domain_interface *fake_map(void *ctx,
                                                  unsigned int domid,
                                                  uint64_t mfn)
{
    if ( mfn >= NR_RINGS || mapped[mfn] )
        return NULL;
    mapped[mfn] = true;
    return &rings[mfn];
}

static void fake_unmap(void *ctx, unsigned int domid,
                       struct xenstore_domain_interface *ring)
{
    mapped[ring - rings] = false;
}

static int fake_bind(void *ctx, unsigned int domid, unsigned int port)
{
    if ( port == 999 )
        return -XEN_EINVAL;
    nr_bound++;
    return (int)(100 + domid);
}

static void fake_unbind(void *ctx, unsigned int port)
{
    nr_bound--;
}

static void fake_notify(void *ctx, unsigned int port)
{
    nr_notify++;
}

static void fake_mb(void *ctx)
{
    __sync_synchronize();
}

static void fake_log(void *ctx, const char *line)
{
    size_t n = strlen(logbuf);

    snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", line);
}

static const struct xsd_ops fake_ops = {
    .map_ring = fake_map,
    .unmap_ring = fake_unmap,
    .bind_evtchn = fake_bind,
    .unbind_evtchn = fake_unbind,
    .notify = fake_notify,
    .mb = fake_mb,
    .log = fake_log,
};

static struct xsd *new_xsd_q(const struct xsd_quota *q)
{
    memset(rings, 0, sizeof(rings));
    memset(mapped, 0, sizeof(mapped));
    nr_bound = nr_notify = 0;
    logbuf[0] = '\0';
    return xsd_create(&fake_ops, q);
}

static struct xsd *new_xsd(void)
{
    return new_xsd_q(NULL);
}

/* ---- messages over a local connection ----------------------------------- */

struct msg {
    struct xsd_sockmsg h;
    char body[XENSTORE_PAYLOAD_MAX + 1];
};

/* Watch events read while waiting for a reply, per connection. */
#define STASH 64
static struct {
    struct xsd_conn *c;
    struct msg m;
} stash[STASH];
static unsigned int nr_stash;
static uint32_t req_id = 1;

static bool read_msg(struct xsd_conn *c, struct msg *m)
{
    if ( xsd_local_pending(c) < sizeof(m->h) )
        return false;
    xsd_local_read(c, &m->h, sizeof(m->h));
    if ( m->h.len > XENSTORE_PAYLOAD_MAX ||
         xsd_local_read(c, m->body, m->h.len) != m->h.len )
        abort();
    m->body[m->h.len] = '\0';
    return true;
}

static int send_raw(struct xsd_conn *c, uint32_t type, uint32_t tx,
                    const void *payload, size_t len)
{
    struct xsd_sockmsg h = { type, req_id++, tx, (uint32_t)len };
    int rc = xsd_local_write(c, &h, sizeof(h));

    if ( rc == 0 && len )
        rc = xsd_local_write(c, payload, len);
    return rc;
}

static struct msg reply;

/* Send, then return the reply (events met on the way are stashed). */
static struct msg *call(struct xsd_conn *c, uint32_t type, uint32_t tx,
                        const void *payload, size_t len)
{
    struct msg m;

    memset(&reply, 0, sizeof(reply));
    if ( send_raw(c, type, tx, payload, len) )
    {
        snprintf(reply.body, sizeof(reply.body), "(broken)");
        return &reply;
    }
    while ( read_msg(c, &m) )
    {
        if ( m.h.type == XS_WATCH_EVENT )
        {
            if ( nr_stash < STASH )
            {
                stash[nr_stash].c = c;
                stash[nr_stash++].m = m;
            }
            continue;
        }
        reply = m;
        return &reply;
    }
    snprintf(reply.body, sizeof(reply.body), "(no reply)");
    return &reply;
}

/* Replies as one string: NULs between strings become spaces. */
static const char *flat(struct msg *m)
{
    uint32_t i;

    for ( i = 0; m->h.len && i < m->h.len - 1; i++ )
        if ( m->body[i] == '\0' )
            m->body[i] = ' ';
    return m->body;
}

/* A request of up to two strings, the second optional. */
static const char *req(struct xsd_conn *c, uint32_t type, uint32_t tx,
                       const char *a, const char *b)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t la = strlen(a) + 1, lb = b ? strlen(b) + 1 : 0;

    memcpy(buf, a, la);
    if ( b )
        memcpy(buf + la, b, lb);
    return flat(call(c, type, tx, buf, la + lb));
}

static const char *wr_t(struct xsd_conn *c, uint32_t tx, const char *path,
                        const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t lp = strlen(path) + 1, lv = strlen(val);

    memcpy(buf, path, lp);
    memcpy(buf + lp, val, lv);
    return call(c, XS_WRITE, tx, buf, lp + lv)->body;
}

#define wr(c, p, v)   wr_t(c, 0, p, v)
#define rd_t(c, t, p) req(c, XS_READ, t, p, NULL)
#define rd(c, p)      rd_t(c, 0, p)
#define mk(c, p)      req(c, XS_MKDIR, 0, p, NULL)
#define rm(c, p)      req(c, XS_RM, 0, p, NULL)
#define dir(c, p)     req(c, XS_DIRECTORY, 0, p, NULL)
#define getp(c, p)    req(c, XS_GET_PERMS, 0, p, NULL)
#define watch(c, p, t)   req(c, XS_WATCH, 0, p, t)
#define unwatch(c, p, t) req(c, XS_UNWATCH, 0, p, t)

/* "n0 r1" -> SET_PERMS path\0n0\0r1\0 */
static const char *setp(struct xsd_conn *c, const char *path,
                        const char *perms)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t lp = strlen(path) + 1, l = strlen(perms) + 1, i;

    memcpy(buf, path, lp);
    memcpy(buf + lp, perms, l);
    for ( i = lp; i < lp + l; i++ )
        if ( buf[i] == ' ' )
            buf[i] = '\0';
    return flat(call(c, XS_SET_PERMS, 0, buf, lp + l));
}

static uint32_t txn_start(struct xsd_conn *c)
{
    return (uint32_t)strtoul(req(c, XS_TRANSACTION_START, 0, "", NULL),
                             NULL, 10);
}

static const char *txn_end(struct xsd_conn *c, uint32_t tx, bool commit)
{
    return req(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL);
}

/* Next watch event for @c as "path token", or "" if none. */
static char event_buf[XENSTORE_PAYLOAD_MAX + 1];
static const char *event(struct xsd_conn *c)
{
    struct msg m;
    unsigned int i;

    for ( i = 0; i < nr_stash; i++ )
        if ( stash[i].c == c )
        {
            m = stash[i].m;
            memmove(&stash[i], &stash[i + 1],
                    (nr_stash - i - 1) * sizeof(stash[0]));
            nr_stash--;
            goto found;
        }
    if ( !read_msg(c, &m) )
        return "";
    if ( m.h.type != XS_WATCH_EVENT )
        return "(not an event)";
 found:
    if ( m.h.req_id != 0 || m.h.tx_id != 0 )
        return "(bad event header)";
    memcpy(event_buf, flat(&m), m.h.len + 1);
    return event_buf;
}

static unsigned int drain_events(struct xsd_conn *c)
{
    unsigned int n = 0;

    while ( *event(c) )
        n++;
    return n;
}

/* A dom0 connection and a domU one (domid 1, home /local/domain/1 "n1"). */
static struct xsd *xsd;
static struct xsd_conn *dom0, *domu;

static void setup(void)
{
    xsd = new_xsd();
    dom0 = xsd_local_open(xsd, 0);
    domu = xsd_local_open(xsd, 1);
    nr_stash = 0;
    mk(dom0, "/local/domain/1");
    setp(dom0, "/local/domain/1", "n1");
}

static void teardown(void)
{
    xsd_local_close(dom0);
    xsd_local_close(domu);
    xsd_destroy(xsd);
    nr_stash = 0;
}

/*
 * Make domain 1 own @target nodes: 40 directories under its home, then
 * leaves spread over them (a directory's child list counts towards its
 * size, so one flat directory would hit the node_size quota first).
 */
static void fill(unsigned int target)
{
    char path[32];
    unsigned int i;

    for ( i = 0; i < 40 && xsd_domain_nodes(xsd, 1) < target; i++ )
    {
        snprintf(path, sizeof(path), "f%u", i);
        CHECK_STR(mk(domu, path), "OK");
    }
    for ( i = 0; xsd_domain_nodes(xsd, 1) < target; i++ )
    {
        snprintf(path, sizeof(path), "f%u/n%u", i % 40, i);
        CHECK_STR(wr(domu, path, ""), "OK");
    }
    CHECK_EQ(xsd_domain_nodes(xsd, 1), target);
}

/* ---- the store ---------------------------------------------------------- */

TEST(read_write_mkdir_rm)
{
    struct msg *m;

    setup();
    CHECK_STR(rd(dom0, "/"), "");
    CHECK_STR(wr(dom0, "/a", "hello"), "OK");
    CHECK_STR(rd(dom0, "/a"), "hello");
    CHECK_EQ(reply.h.type, XS_READ);
    CHECK_EQ(reply.h.len, 5);               /* values have no NUL */
    CHECK_STR(wr(dom0, "/a", ""), "OK");
    CHECK_STR(rd(dom0, "/a"), "");
    CHECK_STR(rd(dom0, "/nope"), "ENOENT");
    CHECK_EQ(reply.h.type, XS_ERROR);

    /* Binary values keep their NULs. */
    m = call(dom0, XS_WRITE, 0, "/bin\0a\0b", 8);
    CHECK_STR(m->body, "OK");
    m = call(dom0, XS_READ, 0, "/bin", 5);
    CHECK_EQ(m->h.len, 3);
    CHECK(!memcmp(m->body, "a\0b", 3));

    /* Write and mkdir create missing parents with empty values. */
    CHECK_STR(wr(dom0, "/x/y/z", "v"), "OK");
    CHECK_STR(rd(dom0, "/x"), "");
    CHECK_STR(rd(dom0, "/x/y"), "");
    CHECK_STR(mk(dom0, "/m/n"), "OK");
    CHECK_STR(rd(dom0, "/m/n"), "");
    CHECK_STR(wr(dom0, "/m", "keep"), "OK");
    CHECK_STR(mk(dom0, "/m"), "OK");        /* existing: value stays */
    CHECK_STR(rd(dom0, "/m"), "keep");

    /* Listings are in creation order. */
    CHECK_STR(wr(dom0, "/d/c", ""), "OK");
    CHECK_STR(wr(dom0, "/d/a", ""), "OK");
    CHECK_STR(wr(dom0, "/d/b", ""), "OK");
    CHECK_STR(dir(dom0, "/d"), "c a b");
    CHECK_STR(dir(dom0, "/d/a"), "");
    CHECK_EQ(reply.h.len, 0);
    CHECK_STR(dir(dom0, "/nope"), "ENOENT");

    /* rm is recursive; a missing node is fine if its parent exists. */
    CHECK_STR(rm(dom0, "/x"), "OK");
    CHECK_STR(rd(dom0, "/x/y/z"), "ENOENT");
    CHECK_STR(rd(dom0, "/x"), "ENOENT");
    CHECK_STR(rm(dom0, "/x"), "OK");
    CHECK_STR(rm(dom0, "/x/y"), "ENOENT");
    CHECK_STR(rm(dom0, "/"), "EINVAL");
    CHECK_STR(rm(dom0, "/d/a"), "OK");
    CHECK_STR(dir(dom0, "/d"), "c b");
    teardown();
}

TEST(paths)
{
    char path[XENSTORE_ABS_PATH_MAX + 64];
    unsigned int i;

    setup();
    CHECK_STR(wr(dom0, "//a", "v"), "EINVAL");
    CHECK_STR(wr(dom0, "/a/", "v"), "EINVAL");
    CHECK_STR(wr(dom0, "/a b", "v"), "EINVAL");
    CHECK_STR(wr(dom0, "/a.b", "v"), "EINVAL");
    CHECK_STR(wr(dom0, "", "v"), "EINVAL");
    CHECK_STR(wr(dom0, "/A-z_0@9", "v"), "OK");

    /* Relative paths are under the caller's /local/domain/<domid>. */
    CHECK_STR(wr(dom0, "rel", "0"), "OK");
    CHECK_STR(rd(dom0, "/local/domain/0/rel"), "0");
    CHECK_STR(wr(domu, "mine", "1"), "OK");
    CHECK_STR(rd(dom0, "/local/domain/1/mine"), "1");

    /* At most 2048 characters, not counting /local/domain/<domid>/. */
    path[0] = '/';
    memset(path + 1, 'p', 2047);
    path[2048] = '\0';
    CHECK_STR(wr(dom0, path, "v"), "OK");
    path[2048] = 'p';
    path[2049] = '\0';
    CHECK_STR(wr(dom0, path, "v"), "EINVAL");
    /* Relative: 2048 is fine (short components: a domU's node, its
     * child list included, must stay under the node_size quota). */
    for ( i = 0; i < 2048; i++ )
        path[i] = i % 8 == 7 ? '/' : 'q';
    path[2047] = 'q';
    path[2048] = '\0';
    CHECK_STR(wr(domu, path, "v"), "OK");
    path[2048] = 'q';
    path[2049] = '\0';
    CHECK_STR(wr(domu, path, "v"), "EINVAL");
    teardown();
}

TEST(malformed_requests)
{
    struct msg *m;

    setup();
    CHECK_STR(wr(dom0, "/a", "v"), "OK");
    /* An argument's NUL must be inside the payload. */
    CHECK_STR(call(dom0, XS_READ, 0, "/a", 2)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_READ, 0, "/a\0/b", 6)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_READ, 0, "", 0)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_WRITE, 0, "/a", 2)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_WATCH, 0, "/a\0tok", 6)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_DIRECTORY_PART, 0, "/a", 3)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_TRANSACTION_END, 0, "T", 1)->body, "EINVAL");

    /* Unknown or reply-only types. */
    m = call(dom0, 99, 0, "x", 2);
    CHECK_EQ(m->h.type, XS_ERROR);
    CHECK_STR(m->body, "EINVAL");
    CHECK_STR(call(dom0, XS_WATCH_EVENT, 0, "", 1)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_ERROR, 0, "", 1)->body, "EINVAL");
    CHECK_STR(call(dom0, 20, 0, "", 1)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_INVALID, 0, "", 1)->body, "EINVAL");

    /* Errors echo req_id and tx_id. */
    send_raw(dom0, XS_READ, 0, "/nope", 6);
    CHECK(read_msg(dom0, &reply));
    CHECK_EQ(reply.h.req_id, req_id - 1);
    CHECK_EQ(reply.h.tx_id, 0);

    /* Numbers. */
    CHECK_STR(req(dom0, XS_GET_DOMAIN_PATH, 0, "abc", NULL), "EINVAL");
    CHECK_STR(req(dom0, XS_GET_DOMAIN_PATH, 0, "", NULL), "EINVAL");
    CHECK_STR(req(dom0, XS_GET_DOMAIN_PATH, 0, "32752", NULL), "EINVAL");
    CHECK_STR(req(dom0, XS_GET_DOMAIN_PATH, 0, "99999999999999999999999",
                  NULL), "EINVAL");
    CHECK_STR(req(dom0, XS_INTRODUCE, 0, "3", "1"), "EINVAL");
    CHECK_STR(req(dom0, XS_SET_TARGET, 0, "3", NULL), "EINVAL");
    teardown();
}

TEST(oversized_message_breaks_connection)
{
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    char big[XENSTORE_PAYLOAD_MAX];
    struct msg *m;

    setup();
    /* Exactly XENSTORE_PAYLOAD_MAX is fine (dom0 has no size quota). */
    memcpy(big, "/big", 5);
    memset(big + 5, 'v', sizeof(big) - 5);
    m = call(dom0, XS_WRITE, 0, big, sizeof(big));
    CHECK_STR(m->body, "OK");
    m = call(dom0, XS_READ, 0, "/big", 5);
    CHECK_EQ(m->h.len, XENSTORE_PAYLOAD_MAX - 5);

    CHECK_EQ(xsd_local_write(domu, &h, sizeof(h)), -XEN_EIO);
    CHECK_EQ(xsd_local_write(domu, "x", 1), -XEN_EIO);
    CHECK_EQ(xsd_local_pending(domu), 0);
    CHECK(strstr(logbuf, "XENSTORE_PAYLOAD_MAX"));
    /* Others are unaffected. */
    CHECK_STR(rd(dom0, "/"), "");
    teardown();
}

TEST(directory_part)
{
    char name[80], expect[XENSTORE_PAYLOAD_MAX * 3];
    char got[XENSTORE_PAYLOAD_MAX * 3];
    size_t elen = 0, glen = 0;
    unsigned int i, parts = 0;
    char gen[32] = "";

    setup();
    for ( i = 0; i < 150; i++ )
    {
        snprintf(name, sizeof(name), "/big/child-with-a-rather-long-name-%03u",
                 i);
        CHECK_STR(wr(dom0, name, ""), "OK");
        elen += (size_t)snprintf(expect + elen, sizeof(expect) - elen,
                                 "child-with-a-rather-long-name-%03u", i) + 1;
    }
    CHECK_STR(dir(dom0, "/big"), "E2BIG");

    for ( parts = 0; parts < 10; )
    {
        char buf[64];
        const char *names;
        bool complete;
        struct msg *m;
        size_t l, n;

        l = (size_t)snprintf(buf, sizeof(buf), "/big") + 1;
        l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%zu", glen) + 1;
        m = call(dom0, XS_DIRECTORY_PART, 0, buf, l);
        parts++;
        CHECK_EQ(m->h.type, XS_DIRECTORY_PART);
        if ( m->h.type != XS_DIRECTORY_PART )
            break;
        if ( parts == 1 )
            memcpy(gen, m->body, strlen(m->body) + 1);
        CHECK_STR(m->body, gen);
        names = m->body + strlen(m->body) + 1;
        n = m->h.len - (size_t)(names - m->body);
        /* Names each end with a NUL; an extra one ends the list. */
        complete = n == 1 || (n >= 2 && names[n - 2] == '\0');
        if ( complete )
            n--;
        memcpy(got + glen, names, n);
        glen += n;
        if ( complete )
            break;
    }
    CHECK(parts >= 2);
    CHECK_EQ(glen, elen);
    CHECK(!memcmp(got, expect, elen));

    /* Offsets past the end or inside a name. */
    CHECK_STR(call(dom0, XS_DIRECTORY_PART, 0, "/big\0" "999999", 12)->body,
              "EINVAL");
    CHECK_STR(call(dom0, XS_DIRECTORY_PART, 0, "/big\0" "3", 7)->body,
              "EINVAL");
    CHECK_STR(call(dom0, XS_DIRECTORY_PART, 0, "/big\0" "x", 7)->body,
              "EINVAL");
    teardown();
}

TEST(get_set_perms)
{
    setup();
    CHECK_STR(getp(dom0, "/"), "n0");
    CHECK_STR(getp(dom0, "/local/domain/1"), "n1");
    CHECK_STR(wr(dom0, "/a", "v"), "OK");
    CHECK_STR(setp(dom0, "/a", "n0 r1 w2 b3"), "OK");
    CHECK_STR(getp(dom0, "/a"), "n0 r1 w2 b3");
    CHECK_STR(getp(dom0, "/nope"), "ENOENT");
    CHECK_STR(setp(dom0, "/nope", "n0"), "ENOENT");
    CHECK_STR(setp(dom0, "/a", "x0"), "EINVAL");
    CHECK_STR(setp(dom0, "/a", "r"), "EINVAL");
    CHECK_STR(setp(dom0, "/a", "r70000"), "EINVAL");
    CHECK_STR(setp(dom0, "/a", "r1x"), "EINVAL");
    CHECK_STR(call(dom0, XS_SET_PERMS, 0, "/a", 3)->body, "EINVAL");
    CHECK_STR(call(dom0, XS_SET_PERMS, 0, "/a\0r1", 5)->body, "EINVAL");
    /* A new node inherits its parent's permissions. */
    CHECK_STR(wr(dom0, "/a/b", ""), "OK");
    CHECK_STR(getp(dom0, "/a/b"), "n0 r1 w2 b3");
    CHECK_STR(getp(dom0, "@introduceDomain"), "n0");
    CHECK_STR(getp(dom0, "@nonsense"), "ENOENT");
    CHECK_STR(setp(dom0, "@releaseDomain", "n0 r1"), "OK");
    CHECK_STR(getp(dom0, "@releaseDomain"), "n0 r1");
    teardown();
}

/* ---- permissions for an unprivileged domain ----------------------------- */

TEST(domu_permissions)
{
    setup();
    CHECK_STR(wr(dom0, "/secret", "s"), "OK");
    CHECK_STR(wr(dom0, "/local/domain/1/ro", "r"), "OK");
    CHECK_STR(setp(dom0, "/local/domain/1/ro", "n0 r1"), "OK");
    CHECK_STR(wr(dom0, "/shared", ""), "OK");
    CHECK_STR(setp(dom0, "/shared", "n0 b1"), "OK");

    /* dom0's nodes are closed; missing nodes do not leak existence. */
    CHECK_STR(rd(domu, "/secret"), "EACCES");
    CHECK_STR(rd(domu, "/nope"), "EACCES");
    CHECK_STR(dir(domu, "/"), "EACCES");
    CHECK_STR(getp(domu, "/secret"), "EACCES");
    CHECK_STR(wr(domu, "/secret", "x"), "EACCES");
    CHECK_STR(wr(domu, "/newtop", "x"), "EACCES");
    CHECK_STR(mk(domu, "/newtop"), "EACCES");
    CHECK_STR(rm(domu, "/secret"), "EACCES");
    CHECK_STR(rd(dom0, "/secret"), "s");

    /* Its home is its own. */
    CHECK_STR(wr(domu, "data/x", "1"), "OK");
    CHECK_STR(rd(domu, "/local/domain/1/data/x"), "1");
    CHECK_STR(getp(domu, "data/x"), "n1");
    CHECK_STR(rd(domu, "data/none"), "ENOENT");
    CHECK_STR(dir(domu, ""), "EINVAL");
    CHECK_STR(dir(domu, "/local/domain/1"), "ro data");

    /* Read-only grant: read yes, write, create below, rm no. */
    CHECK_STR(rd(domu, "ro"), "r");
    CHECK_STR(wr(domu, "ro", "x"), "EACCES");
    CHECK_STR(wr(domu, "ro/sub", "x"), "EACCES");
    CHECK_STR(rm(domu, "ro"), "EACCES");
    CHECK_STR(setp(domu, "ro", "n0 b1"), "EACCES");

    /* A node a domU creates is its own, with the parent's other entries. */
    CHECK_STR(wr(domu, "/shared/x", "v"), "OK");
    CHECK_STR(getp(dom0, "/shared/x"), "n1 b1");
    CHECK_STR(rm(domu, "/shared/x"), "OK");
    /* One dom0 creates under the domU's home is the domU's too. */
    CHECK_STR(wr(dom0, "/local/domain/1/fromdom0", ""), "OK");
    CHECK_STR(getp(dom0, "/local/domain/1/fromdom0"), "n1");

    /* An owner may change the entries but not give the node away. */
    CHECK_STR(setp(domu, "data/x", "n1 r2"), "OK");
    CHECK_STR(getp(domu, "data/x"), "n1 r2");
    CHECK_STR(setp(domu, "data/x", "n2"), "EPERM");
    CHECK_STR(setp(domu, "data/x", "n1 b1 b2 b3 b4 b5"), "ENOSPC");
    CHECK_STR(setp(domu, "data/x", "n1 b1 b2 b3 b4"), "OK");
    CHECK_STR(setp(dom0, "/local/domain/1/data/x", "n2"), "OK");
    CHECK_STR(rd(domu, "data/x"), "EACCES");
    CHECK_STR(wr(domu, "data/x", "v"), "EACCES");
    CHECK_STR(rm(domu, "data"), "OK");      /* WRITE on "data" is enough */

    /* Privileged requests. */
    CHECK_STR(req(domu, XS_INTRODUCE, 0, "2", "0"), "EACCES");
    CHECK_STR(req(domu, XS_RELEASE, 0, "1", NULL), "EACCES");
    CHECK_STR(req(domu, XS_RESUME, 0, "1", NULL), "EACCES");
    CHECK_STR(req(domu, XS_SET_TARGET, 0, "1", "2"), "EACCES");
    CHECK_STR(req(domu, XS_IS_DOMAIN_INTRODUCED, 0, "1", NULL), "EACCES");
    CHECK_STR(req(domu, XS_CONTROL, 0, "help", NULL), "EACCES");
    CHECK_STR(getp(domu, "@releaseDomain"), "EACCES");
    CHECK_STR(setp(domu, "@releaseDomain", "n1"), "EACCES");
    CHECK_STR(req(domu, XS_GET_DOMAIN_PATH, 0, "5", NULL), "/local/domain/5");
    teardown();
}

/* rm of a subtree needs WRITE on the node only, as in Xen. */
TEST(rm_needs_write_on_node)
{
    setup();
    CHECK_STR(wr(dom0, "/local/domain/1/t/locked", "v"), "OK");
    CHECK_STR(setp(dom0, "/local/domain/1/t/locked", "n0"), "OK");
    CHECK_STR(rd(domu, "t/locked"), "EACCES");
    CHECK_STR(rm(domu, "t"), "OK");
    CHECK_STR(rd(dom0, "/local/domain/1/t/locked"), "ENOENT");
    teardown();
}

/* ---- quotas ------------------------------------------------------------- */

TEST(quota_nodes)
{
    setup();
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 1);  /* its home */
    fill(1000);
    CHECK_STR(wr(domu, "one-more", "v"), "ENOSPC");
    CHECK_STR(mk(domu, "one-more"), "ENOSPC");
    CHECK_STR(rd(domu, "one-more"), "ENOENT");
    CHECK_STR(wr(domu, "f0/one-more", "v"), "ENOSPC");
    /* Existing nodes can still change. */
    CHECK_STR(wr(domu, "f5/n5", "new"), "OK");

    /* rm gives quota back; a path needing two nodes fits only in two. */
    CHECK_STR(rm(domu, "f1/n1"), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 999);
    CHECK_STR(wr(domu, "a/b", "v"), "ENOSPC");
    CHECK_STR(rd(domu, "a"), "ENOENT");
    CHECK_STR(rm(domu, "f2/n2"), "OK");
    CHECK_STR(wr(domu, "a/b", "v"), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 1000);

    /* dom0 is not limited, and its nodes under the home count for 1. */
    CHECK_STR(wr(dom0, "/local/domain/1/by-dom0", ""), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 1001);
    CHECK_STR(rm(dom0, "/local/domain/1"), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 0);
    teardown();
}

TEST(quota_node_size)
{
    char big[2100];

    setup();
    memset(big, 'v', sizeof(big));
    big[2000] = '\0';
    CHECK_STR(wr(domu, "ok", big), "OK");
    big[2000] = 'v';
    big[2047] = '\0';
    CHECK_STR(wr(domu, "toobig", big), "ENOSPC");
    CHECK_STR(rd(domu, "toobig"), "ENOENT");
    CHECK_STR(wr(domu, "ok", big), "ENOSPC");
    CHECK_EQ(strlen(rd(domu, "ok")), 2000);
    CHECK_STR(wr(dom0, "/local/domain/1/dom0big", big), "OK");
    teardown();
}

TEST(quota_watches)
{
    char tok[16];
    unsigned int i;

    setup();
    for ( i = 0; i < 128; i++ )
    {
        snprintf(tok, sizeof(tok), "t%u", i);
        CHECK_STR(watch(domu, "w", tok), "OK");
    }
    CHECK_STR(watch(domu, "w", "one-more"), "E2BIG");
    CHECK_STR(unwatch(domu, "w", "t0"), "OK");
    CHECK_STR(watch(domu, "w", "one-more"), "OK");
    for ( i = 0; i < 200; i++ )
    {
        snprintf(tok, sizeof(tok), "t%u", i);
        CHECK_STR(watch(dom0, "/w", tok), "OK");
    }
    teardown();
}

TEST(quota_transactions)
{
    uint32_t ids[11];
    unsigned int i;

    setup();
    for ( i = 0; i < 10; i++ )
        CHECK((ids[i] = txn_start(domu)) != 0);
    CHECK_STR(req(domu, XS_TRANSACTION_START, 0, "", NULL), "ENOSPC");
    CHECK_STR(txn_end(domu, ids[3], false), "OK");
    CHECK((ids[10] = txn_start(domu)) != 0);
    for ( i = 0; i < 12; i++ )
        CHECK(txn_start(dom0) != 0);
    teardown();
}

TEST(quota_transaction_nodes)
{
    struct xsd_quota q;
    char path[32];
    uint32_t tx;
    unsigned int i;

    xsd_quota_defaults(&q);
    q.txn_nodes = 8;
    xsd = new_xsd_q(&q);
    dom0 = xsd_local_open(xsd, 0);
    domu = xsd_local_open(xsd, 1);
    mk(dom0, "/local/domain/1");
    setp(dom0, "/local/domain/1", "n1");

    tx = txn_start(domu);
    for ( i = 0; i < 20; i++ )
    {
        snprintf(path, sizeof(path), "t%u", i);
        if ( strcmp(wr_t(domu, tx, path, "v"), "OK") )
            break;
    }
    CHECK(i < 20);
    CHECK_STR(reply.body, "ENOSPC");
    CHECK_STR(txn_end(domu, tx, true), "OK");
    CHECK_STR(rd(domu, "t0"), "v");
    teardown();
}

TEST(events_dropped_when_unread)
{
    struct xsd_quota q;
    unsigned int i;

    xsd_quota_defaults(&q);
    q.out_bytes = 1024;
    xsd = new_xsd_q(&q);
    dom0 = xsd_local_open(xsd, 0);
    domu = xsd_local_open(xsd, 1);
    mk(dom0, "/local/domain/1");
    setp(dom0, "/local/domain/1", "n1");
    CHECK_STR(watch(domu, "w", "tok"), "OK");
    CHECK_STR(event(domu), "w tok");
    for ( i = 0; i < 200; i++ )
        CHECK_STR(wr(dom0, "/local/domain/1/w", "x"), "OK");
    CHECK(xsd_local_pending(domu) <= 1024);
    CHECK(strstr(logbuf, "dropping"));
    /* Replies still get through. */
    CHECK_STR(rd(domu, "w"), "x");
    teardown();
}

/* ---- watches ------------------------------------------------------------ */

TEST(watch_rules)
{
    setup();
    CHECK_STR(watch(dom0, "/a", "tok"), "OK");
    CHECK_STR(event(dom0), "/a tok");       /* fired once when set */
    CHECK_STR(event(dom0), "");
    CHECK_STR(watch(dom0, "/a", "tok"), "EEXIST");
    CHECK_STR(watch(dom0, "/a", "tok2"), "OK");
    CHECK_STR(event(dom0), "/a tok2");
    CHECK_STR(unwatch(dom0, "/a", "tok2"), "OK");
    CHECK_STR(unwatch(dom0, "/a", "tok2"), "ENOENT");
    CHECK_STR(unwatch(dom0, "/zz", "tok"), "ENOENT");

    /* The node and its children, not siblings sharing a prefix. */
    CHECK_STR(wr(dom0, "/a/b", "v"), "OK");
    CHECK_STR(event(dom0), "/a/b tok");
    CHECK_STR(wr(dom0, "/ab", "v"), "OK");
    CHECK_STR(event(dom0), "");
    CHECK_STR(wr(dom0, "/a", "v"), "OK");
    CHECK_STR(event(dom0), "/a tok");
    CHECK_STR(mk(dom0, "/a/b"), "OK");      /* exists: no change */
    CHECK_STR(event(dom0), "");
    CHECK_STR(setp(dom0, "/a/b", "n0 r1"), "OK");
    CHECK_STR(event(dom0), "/a/b tok");
    CHECK_STR(rm(dom0, "/a/none"), "OK");   /* nothing removed */
    CHECK_STR(event(dom0), "");

    /* Removing a parent fires watches inside with their own path. */
    CHECK_STR(wr(dom0, "/p/q/r", "v"), "OK");
    CHECK_STR(watch(dom0, "/p/q/r", "deep"), "OK");
    CHECK_STR(event(dom0), "/p/q/r deep");
    CHECK_STR(watch(dom0, "/p/q/none", "missing"), "OK");
    CHECK_STR(event(dom0), "/p/q/none missing");
    CHECK_STR(rm(dom0, "/p"), "OK");
    CHECK_EQ(drain_events(dom0), 2);

    /* A watch on / sees everything; the writer's reply comes first. */
    CHECK_STR(watch(dom0, "/", "root"), "OK");
    CHECK_STR(event(dom0), "/ root");
    send_raw(dom0, XS_WRITE, 0, "/x\0v", 4);
    CHECK(read_msg(dom0, &reply));
    CHECK_EQ(reply.h.type, XS_WRITE);
    CHECK_STR(event(dom0), "/x root");

    CHECK_STR(rm(dom0, "/x"), "OK");
    CHECK_EQ(drain_events(dom0), 1);

    /* Relative watches give relative events. */
    CHECK_STR(watch(domu, "data", "rel"), "OK");
    CHECK_STR(event(domu), "data rel");
    CHECK_STR(wr(dom0, "/local/domain/1/data/x", "1"), "OK");
    CHECK_STR(event(domu), "data/x rel");
    CHECK_STR(unwatch(domu, "/local/domain/1/data", "rel"), "OK");
    CHECK_STR(wr(dom0, "/local/domain/1/data/x", "2"), "OK");
    CHECK_STR(event(domu), "");
    CHECK_EQ(drain_events(dom0), 2);        /* dom0's watch on / saw both */

    /* Special watch paths fire only for their events. */
    CHECK_STR(watch(dom0, "@introduceDomain", "intro"), "OK");
    CHECK_STR(event(dom0), "@introduceDomain intro");
    CHECK_STR(wr(dom0, "/y", "v"), "OK");
    CHECK_STR(event(dom0), "/y root");
    CHECK_STR(event(dom0), "");
    CHECK_STR(watch(dom0, "bad path", "t"), "EINVAL");

    /* XS_RESET_WATCHES drops them all. */
    CHECK_STR(req(dom0, XS_RESET_WATCHES, 0, "", NULL), "OK");
    CHECK_STR(wr(dom0, "/a", "again"), "OK");
    CHECK_STR(event(dom0), "");
    teardown();
}

TEST(watch_needs_read_permission)
{
    setup();
    CHECK_STR(watch(domu, "/", "all"), "OK");
    CHECK_STR(event(domu), "/ all");
    CHECK_STR(wr(dom0, "/secret", "s"), "OK");
    CHECK_STR(event(domu), "");
    CHECK_STR(wr(dom0, "/local/domain/1/x", "v"), "OK");
    CHECK_STR(event(domu), "/local/domain/1/x all");
    CHECK_STR(wr(dom0, "/open", "v"), "OK");
    CHECK_STR(setp(dom0, "/open", "r0"), "OK");
    CHECK_EQ(drain_events(domu), 1);        /* the set_perms, readable now */
    CHECK_STR(rm(dom0, "/open"), "OK");
    CHECK_STR(event(domu), "/open all");    /* readable before removal */
    teardown();
}

/* ---- transactions ------------------------------------------------------- */

TEST(transactions)
{
    uint32_t tx, tx2;
    struct msg *m;

    setup();
    CHECK_STR(watch(dom0, "/t", "w"), "OK");
    CHECK_STR(event(dom0), "/t w");

    tx = txn_start(dom0);
    CHECK(tx != 0);
    CHECK_STR(wr_t(dom0, tx, "/t/a", "1"), "OK");
    CHECK_EQ(reply.h.tx_id, tx);
    CHECK_STR(rd_t(dom0, tx, "/t/a"), "1");
    CHECK_STR(rd(dom0, "/t/a"), "ENOENT");  /* invisible outside */
    CHECK_STR(req(dom0, XS_DIRECTORY, tx, "/t", NULL), "a");
    CHECK_STR(event(dom0), "");             /* no event before commit */
    CHECK_STR(req(dom0, XS_TRANSACTION_START, tx, "", NULL), "EBUSY");
    CHECK_STR(txn_end(dom0, tx, true), "OK");
    CHECK_STR(rd(dom0, "/t/a"), "1");
    CHECK_STR(event(dom0), "/t/a w");
    CHECK_STR(txn_end(dom0, tx, true), "ENOENT");   /* gone */
    CHECK_STR(rd_t(dom0, 12345, "/t/a"), "ENOENT");
    CHECK_STR(req(dom0, XS_TRANSACTION_END, 0, "T", NULL), "ENOENT");

    /* Abort leaves no trace. */
    tx = txn_start(dom0);
    CHECK_STR(wr_t(dom0, tx, "/t/b", "1"), "OK");
    CHECK_STR(req(dom0, XS_RM, tx, "/t/a", NULL), "OK");
    CHECK_STR(txn_end(dom0, tx, false), "OK");
    CHECK_STR(rd(dom0, "/t/b"), "ENOENT");
    CHECK_STR(rd(dom0, "/t/a"), "1");
    CHECK_STR(event(dom0), "");

    /* A conflicting change makes the end EAGAIN, and nothing lands. */
    tx = txn_start(dom0);
    CHECK_STR(rd_t(dom0, tx, "/t/a"), "1");
    CHECK_STR(wr(dom0, "/t/a", "2"), "OK");
    CHECK_STR(event(dom0), "/t/a w");
    CHECK_STR(wr_t(dom0, tx, "/t/c", "x"), "OK");
    m = call(dom0, XS_TRANSACTION_END, tx, "T", 2);
    CHECK_EQ(m->h.type, XS_ERROR);
    CHECK_STR(m->body, "EAGAIN");
    CHECK_EQ(m->h.tx_id, tx);
    CHECK_STR(rd(dom0, "/t/c"), "ENOENT");
    CHECK_STR(event(dom0), "");

    /* An unrelated change does not. */
    tx = txn_start(dom0);
    CHECK_STR(rd_t(dom0, tx, "/t/a"), "2");
    CHECK_STR(wr(dom0, "/elsewhere", "x"), "OK");
    CHECK_STR(wr_t(dom0, tx, "/t/a", "3"), "OK");
    CHECK_STR(txn_end(dom0, tx, true), "OK");
    CHECK_STR(rd(dom0, "/t/a"), "3");
    CHECK_STR(event(dom0), "/t/a w");

    /* Two transactions creating the same node: the second loses. */
    tx = txn_start(dom0);
    tx2 = txn_start(domu);
    CHECK_STR(wr_t(dom0, tx, "/local/domain/1/same", "0"), "OK");
    CHECK_STR(wr_t(domu, tx2, "same", "1"), "OK");
    CHECK_STR(txn_end(domu, tx2, true), "OK");
    CHECK_STR(txn_end(dom0, tx, true), "EAGAIN");
    CHECK_STR(rd(dom0, "/local/domain/1/same"), "1");
    CHECK_STR(getp(dom0, "/local/domain/1/same"), "n1");

    /* Recursive rm, mkdir and set_perms inside a transaction. */
    CHECK_STR(wr(dom0, "/r/s/t", "v"), "OK");
    tx = txn_start(dom0);
    CHECK_STR(req(dom0, XS_RM, tx, "/r", NULL), "OK");
    CHECK_STR(rd_t(dom0, tx, "/r/s/t"), "ENOENT");
    CHECK_STR(rd(dom0, "/r/s/t"), "v");
    CHECK_STR(req(dom0, XS_MKDIR, tx, "/r/new/deep", NULL), "OK");
    CHECK_STR(req(dom0, XS_SET_PERMS, tx, "/r/new", "n0"), "OK");
    CHECK_STR(txn_end(dom0, tx, true), "OK");
    CHECK_STR(rd(dom0, "/r/s/t"), "ENOENT");
    CHECK_STR(rd(dom0, "/r/s"), "ENOENT");
    CHECK_STR(dir(dom0, "/r"), "new");
    CHECK_STR(rd(dom0, "/r/new/deep"), "");
    teardown();
}

TEST(transaction_quota_at_commit)
{
    uint32_t t1, t2;
    char path[32];
    unsigned int i;

    setup();
    CHECK_STR(mk(domu, "ta"), "OK");
    CHECK_STR(mk(domu, "tb"), "OK");
    fill(990);
    /* Each alone stays within the quota... */
    t1 = txn_start(domu);
    t2 = txn_start(domu);
    for ( i = 0; i < 8; i++ )
    {
        snprintf(path, sizeof(path), "ta/a%u", i);
        CHECK_STR(wr_t(domu, t1, path, ""), "OK");
        snprintf(path, sizeof(path), "tb/b%u", i);
        CHECK_STR(wr_t(domu, t2, path, ""), "OK");
    }
    CHECK_STR(wr_t(domu, t2, "tb/b8", ""), "OK");
    CHECK_STR(wr_t(domu, t2, "tb/b9", ""), "OK");
    CHECK_STR(wr_t(domu, t2, "tb/b10", ""), "ENOSPC");
    CHECK_STR(txn_end(domu, t2, true), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 1000);
    /* ...but not together: no conflict, and still refused. */
    CHECK_STR(txn_end(domu, t1, true), "ENOSPC");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 1000);
    CHECK_STR(rd(domu, "ta/a0"), "ENOENT");
    teardown();
}

/* ---- domains ------------------------------------------------------------ */

TEST(introduce_and_release)
{
    setup();
    CHECK_STR(watch(dom0, "@introduceDomain", "in"), "OK");
    CHECK_STR(watch(dom0, "@releaseDomain", "out"), "OK");
    CHECK_EQ(drain_events(dom0), 2);

    CHECK_STR(req(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL), "F");
    CHECK_STR(req(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL), "T");
    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "2\0" "1\0" "7", 6)), "OK");
    CHECK_STR(event(dom0), "@introduceDomain in");
    CHECK(mapped[1]);
    CHECK_EQ(nr_bound, 1);
    CHECK_EQ(rings[1].server_features,
             XENSTORE_SERVER_FEATURE_RECONNECTION |
             XENSTORE_SERVER_FEATURE_ERROR);
    CHECK_STR(req(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL), "T");
    CHECK_STR(rd(dom0, "/local/domain/2"), "ENOENT");  /* creates nothing */

    /* Again: only the event channel is rebound. */
    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "2\0" "1\0" "8", 6)), "OK");
    CHECK_EQ(nr_bound, 1);
    CHECK_STR(event(dom0), "");

    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "0\0" "2\0" "7", 6)),
              "EINVAL");
    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "3\0" "9\0" "7", 6)),
              "EINVAL");                    /* cannot map */
    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "3\0" "2\0" "999", 8)),
              "EINVAL");                    /* cannot bind */
    CHECK(!mapped[2]);
    CHECK_STR(flat(call(dom0, XS_INTRODUCE, 0, "3\0" "-1\0" "7", 7)),
              "EINVAL");

    CHECK_STR(req(dom0, XS_RESUME, 0, "2", NULL), "OK");
    CHECK_STR(req(dom0, XS_RESUME, 0, "5", NULL), "ENOENT");
    CHECK_STR(req(dom0, XS_RELEASE, 0, "0", NULL), "EINVAL");
    CHECK_STR(req(dom0, XS_RELEASE, 0, "2", NULL), "OK");
    CHECK_STR(event(dom0), "@releaseDomain out");
    CHECK(!mapped[1]);
    CHECK_EQ(nr_bound, 0);
    CHECK_STR(req(dom0, XS_RELEASE, 0, "2", NULL), "ENOENT");
    CHECK_STR(req(dom0, XS_IS_DOMAIN_INTRODUCED, 0, "2", NULL), "F");
    CHECK_STR(req(dom0, XS_GET_DOMAIN_PATH, 0, "2", NULL), "/local/domain/2");

    /* The platform's view of domain deaths and shutdowns. */
    CHECK_EQ(xsd_introduce(xsd, 3, 2, 9), 0);
    CHECK(xsd_domain_introduced(xsd, 3));
    CHECK_STR(event(dom0), "@introduceDomain in");
    CHECK_EQ(xsd_domain_shutdown(xsd, 3), 0);
    CHECK_EQ(xsd_domain_shutdown(xsd, 3), 0);
    CHECK_STR(event(dom0), "@releaseDomain out");
    CHECK_STR(event(dom0), "");
    CHECK_STR(req(dom0, XS_RESUME, 0, "3", NULL), "OK");
    CHECK_EQ(xsd_domain_shutdown(xsd, 3), 0);
    CHECK_STR(event(dom0), "@releaseDomain out");
    CHECK_EQ(xsd_domain_died(xsd, 3), 0);
    CHECK_STR(event(dom0), "@releaseDomain out");
    CHECK(!xsd_domain_introduced(xsd, 3));
    CHECK_EQ(xsd_domain_shutdown(xsd, 3), -XEN_ENOENT);
    CHECK_EQ(xsd_introduce(xsd, 0x7ff0, 2, 9), -XEN_EINVAL);
    CHECK_EQ(xsd_domain_died(xsd, 0), -XEN_EINVAL);
    teardown();
}

TEST(release_forgets_domain_rights)
{
    setup();
    CHECK_STR(wr(domu, "mine/x", "v"), "OK");
    CHECK_STR(wr(dom0, "/granted", "g"), "OK");
    CHECK_STR(setp(dom0, "/granted", "n0 r1 r2"), "OK");
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 3);
    CHECK_EQ(xsd_domain_died(xsd, 1), 0);
    CHECK_EQ(xsd_domain_nodes(xsd, 1), 0);
    CHECK_STR(getp(dom0, "/local/domain/1/mine/x"), "n0");
    CHECK_STR(getp(dom0, "/granted"), "n0 r2");
    /* A new domain 1 inherits nothing. */
    CHECK_STR(rd(domu, "mine/x"), "EACCES");
    CHECK_STR(rd(domu, "/granted"), "EACCES");
    teardown();
}

TEST(control)
{
    setup();
    CHECK(strstr(req(dom0, XS_CONTROL, 0, "help", NULL), "check"));
    CHECK_STR(req(dom0, XS_CONTROL, 0, "check", NULL), "OK");
    CHECK_STR(req(dom0, XS_CONTROL, 0, "print", "hello log"), "OK");
    CHECK(strstr(logbuf, "hello log"));
    CHECK(strstr(req(dom0, XS_CONTROL, 0, "quota", NULL), "nodes 1000"));
    CHECK_STR(req(dom0, XS_CONTROL, 0, "frobnicate", NULL), "EINVAL");
    CHECK_STR(call(dom0, XS_CONTROL, 0, "", 0)->body, "EINVAL");
    teardown();
}

/* ---- the ring ----------------------------------------------------------- */

static void ring_put(struct xenstore_domain_interface *r, const void *data,
                     size_t len)
{
    const uint8_t *p = data;
    size_t i;

    for ( i = 0; i < len; i++ )
        r->req[MASK_XENSTORE_IDX(r->req_prod + i)] = (char)p[i];
    __sync_synchronize();
    r->req_prod += (uint32_t)len;
}

static size_t ring_take(struct xenstore_domain_interface *r, void *buf,
                        size_t max)
{
    uint8_t *p = buf;
    size_t n = 0;

    while ( n < max && r->rsp_cons != r->rsp_prod )
        p[n++] = (uint8_t)r->rsp[MASK_XENSTORE_IDX(r->rsp_cons++)];
    return n;
}

/* A guest request through ring @r, and its reply. */
static struct msg *ring_call(struct xenstore_domain_interface *r,
                             uint32_t type, const void *payload, size_t len)
{
    struct xsd_sockmsg h = { type, req_id++, 0, (uint32_t)len };

    memset(&reply, 0, sizeof(reply));
    ring_put(r, &h, sizeof(h));
    ring_put(r, payload, len);
    xsd_process(xsd);
    if ( ring_take(r, &reply.h, sizeof(reply.h)) != sizeof(reply.h) ||
         reply.h.len > XENSTORE_PAYLOAD_MAX ||
         ring_take(r, reply.body, reply.h.len) != reply.h.len )
        snprintf(reply.body, sizeof(reply.body), "(no reply)");
    return &reply;
}

/* The next message on ring @r, flattened, or "". */
static const char *ring_event(struct xenstore_domain_interface *r)
{
    memset(&reply, 0, sizeof(reply));
    if ( ring_take(r, &reply.h, sizeof(reply.h)) != sizeof(reply.h) ||
         reply.h.len > XENSTORE_PAYLOAD_MAX ||
         ring_take(r, reply.body, reply.h.len) != reply.h.len )
        return "";
    return flat(&reply);
}

static void ring_setup(void)
{
    setup();
    CHECK_EQ(xsd_introduce(xsd, 1, 0, 5), 0);
}

TEST(ring_requests)
{
    struct msg *m;
    int before;

    ring_setup();
    CHECK_STR(wr(dom0, "/local/domain/1/name", "guest"), "OK");
    before = nr_notify;
    m = ring_call(&rings[0], XS_READ, "name", 5);
    CHECK_EQ(m->h.type, XS_READ);
    CHECK_EQ(m->h.req_id, req_id - 1);
    CHECK_STR(m->body, "guest");
    CHECK(nr_notify > before);
    CHECK_EQ(rings[0].req_cons, rings[0].req_prod);

    /* Same rights as the local domU connection. */
    CHECK_STR(ring_call(&rings[0], XS_READ, "/", 2)->body, "EACCES");
    CHECK_STR(ring_call(&rings[0], XS_INTRODUCE, "5\0" "1\0" "1", 6)->body,
              "EACCES");

    /* Indices that wrap around 2^32 are fine. */
    rings[0].req_cons = rings[0].req_prod = 0xfffffff0u;
    rings[0].rsp_cons = rings[0].rsp_prod = 0xfffffffau;
    CHECK_STR(ring_call(&rings[0], XS_READ, "name", 5)->body, "guest");
    CHECK_STR(ring_call(&rings[0], XS_READ, "name", 5)->body, "guest");

    /* A request longer than the ring, fed as the guest makes room. */
    {
        char big[1900];
        struct xsd_sockmsg h = { XS_WRITE, 77, 0, sizeof(big) };
        size_t off = 0;

        memcpy(big, "blob", 5);
        memset(big + 5, 'b', sizeof(big) - 5);
        ring_put(&rings[0], &h, sizeof(h));
        while ( off < sizeof(big) )
        {
            size_t room = XENSTORE_RING_SIZE -
                          (rings[0].req_prod - rings[0].req_cons);
            size_t n = sizeof(big) - off < room ? sizeof(big) - off : room;

            ring_put(&rings[0], big + off, n);
            off += n;
            xsd_process(xsd);
        }
        CHECK_EQ(ring_take(&rings[0], &reply.h, sizeof(reply.h)), 16);
        CHECK_EQ(reply.h.req_id, 77);
        CHECK_EQ(ring_take(&rings[0], reply.body, reply.h.len), 3);
        CHECK_STR(reply.body, "OK");
    }
    teardown();
}

TEST(ring_hostile_indices)
{
    struct msg *m;

    ring_setup();
    /* Producer more than a ring ahead of the consumer: never trusted. */
    rings[0].req_prod = rings[0].req_cons + XENSTORE_RING_SIZE + 1;
    xsd_process(xsd);
    CHECK_EQ(rings[0].error, XENSTORE_ERROR_RINGIDX);
    CHECK_EQ(rings[0].rsp_prod, 0);
    CHECK(strstr(logbuf, "out of range"));
    xsd_process(xsd);                       /* ignored from now on */
    CHECK_STR(rd(dom0, "/"), "");

    /* Until it asks for a reconnect. */
    rings[0].connection = XENSTORE_RECONNECT;
    xsd_process(xsd);
    CHECK_EQ(rings[0].connection, XENSTORE_CONNECTED);
    CHECK_EQ(rings[0].error, XENSTORE_ERROR_NONE);
    CHECK_EQ(rings[0].req_prod, 0);
    CHECK_STR(wr(dom0, "/local/domain/1/k", "v"), "OK");
    m = ring_call(&rings[0], XS_READ, "k", 2);
    CHECK_STR(m->body, "v");

    /* A garbage consumer index on the response ring. */
    rings[0].rsp_cons = rings[0].rsp_prod - 5000;
    ring_put(&rings[0], "\2\0\0\0\1\0\0\0\0\0\0\0\2\0\0\0k", 18);
    xsd_process(xsd);
    CHECK_EQ(rings[0].error, XENSTORE_ERROR_RINGIDX);

    /* Consumer ahead of producer is just as bad. */
    rings[0].connection = XENSTORE_RECONNECT;
    xsd_process(xsd);
    rings[0].req_cons = 100;
    rings[0].req_prod = 50;
    xsd_process(xsd);
    CHECK_EQ(rings[0].error, XENSTORE_ERROR_RINGIDX);
    teardown();
}

TEST(ring_garbage_messages)
{
    struct xsd_sockmsg h = { XS_READ, 9, 0, XENSTORE_PAYLOAD_MAX + 1 };
    uint8_t junk[64];
    unsigned int i;
    struct msg *m;

    ring_setup();
    /* Unknown types and unterminated strings: an error, nothing more. */
    m = ring_call(&rings[0], 0x41414141u, "AAAA", 4);
    CHECK_STR(m->body, "EINVAL");
    m = ring_call(&rings[0], XS_WRITE, "abc", 3);
    CHECK_STR(m->body, "EINVAL");
    m = ring_call(&rings[0], XS_SET_PERMS, "x\0n1\0r", 6);
    CHECK_STR(m->body, "EINVAL");
    m = ring_call(&rings[0], XS_WATCH, "w", 2);
    CHECK_STR(m->body, "EINVAL");
    for ( i = 0; i < sizeof(junk); i++ )
        junk[i] = (uint8_t)(i * 37 + 11);
    m = ring_call(&rings[0], XS_READ, junk, sizeof(junk));
    CHECK_STR(m->body, "EINVAL");
    CHECK_EQ(rings[0].error, 0);

    /* A header announcing more than XENSTORE_PAYLOAD_MAX: dropped. */
    ring_put(&rings[0], &h, sizeof(h));
    ring_put(&rings[0], junk, sizeof(junk));
    xsd_process(xsd);
    CHECK_EQ(rings[0].error, XENSTORE_ERROR_PROTO);
    teardown();
}

TEST(ring_outstanding_requests)
{
    uint32_t cons_before;
    unsigned int i, n = 0;
    uint8_t buf[4096];

    ring_setup();
    memset(buf, 'v', 100);
    buf[100] = '\0';
    CHECK_STR(wr(dom0, "/local/domain/1/k", (const char *)buf), "OK");
    /* 40 small requests with 116-byte replies; the guest reads none. */
    for ( i = 0; i < 40; i++ )
    {
        struct xsd_sockmsg h = { XS_READ, 1000 + i, 0, 2 };

        ring_put(&rings[0], &h, sizeof(h));
        ring_put(&rings[0], "k", 2);
    }
    xsd_process(xsd);
    /* The response ring took some, 20 more wait: then it stops reading. */
    cons_before = rings[0].req_cons;
    CHECK(rings[0].req_cons != rings[0].req_prod);
    xsd_process(xsd);
    CHECK_EQ(rings[0].req_cons, cons_before);

    /* Reading replies lets it go on, until all 40 are answered. */
    for ( i = 0; i < 20; i++ )
    {
        n += (unsigned int)ring_take(&rings[0], buf, sizeof(buf));
        xsd_process(xsd);
    }
    CHECK_EQ(rings[0].req_cons, rings[0].req_prod);
    CHECK_EQ(n, 40 * (sizeof(struct xsd_sockmsg) + 100));
    teardown();
}

TEST(set_target)
{
    struct msg *m;

    ring_setup();                           /* domain 1 on rings[0] */
    CHECK_EQ(xsd_introduce(xsd, 2, 1, 6), 0);
    CHECK_STR(wr(dom0, "/local/domain/1/dm", "x"), "OK");
    m = ring_call(&rings[1], XS_READ, "/local/domain/1/dm", 19);
    CHECK_STR(m->body, "EACCES");
    CHECK_STR(req(dom0, XS_SET_TARGET, 0, "2", "1"), "OK");
    m = ring_call(&rings[1], XS_READ, "/local/domain/1/dm", 19);
    CHECK_STR(m->body, "x");
    CHECK_STR(req(dom0, XS_SET_TARGET, 0, "5", "1"), "ENOENT");
    CHECK_STR(req(dom0, XS_SET_TARGET, 0, "0", "1"), "EINVAL");

    /* The target's release reaches it, then the target link is gone. */
    m = ring_call(&rings[1], XS_WATCH, "@releaseDomain\0t", 17);
    CHECK_STR(m->body, "OK");
    CHECK_STR(ring_event(&rings[1]), "@releaseDomain t");
    CHECK_EQ(xsd_domain_died(xsd, 1), 0);
    xsd_process(xsd);
    CHECK_STR(ring_event(&rings[1]), "@releaseDomain t");
    m = ring_call(&rings[1], XS_READ, "/local/domain/1/dm", 19);
    CHECK_STR(m->body, "EACCES");
    teardown();
}

int main(void)
{
    RUN(read_write_mkdir_rm);
    RUN(paths);
    RUN(malformed_requests);
    RUN(oversized_message_breaks_connection);
    RUN(directory_part);
    RUN(get_set_perms);
    RUN(domu_permissions);
    RUN(rm_needs_write_on_node);
    RUN(quota_nodes);
    RUN(quota_node_size);
    RUN(quota_watches);
    RUN(quota_transactions);
    RUN(quota_transaction_nodes);
    RUN(events_dropped_when_unread);
    RUN(watch_rules);
    RUN(watch_needs_read_permission);
    RUN(transactions);
    RUN(transaction_quota_at_commit);
    RUN(introduce_and_release);
    RUN(release_forgets_domain_rights);
    RUN(control);
    RUN(ring_requests);
    RUN(ring_hostile_indices);
    RUN(ring_garbage_messages);
    RUN(ring_outstanding_requests);
    RUN(set_target);
    HARNESS_EXIT();
}
