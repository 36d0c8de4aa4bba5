/*
 * Host test of libxs (tools/libs/xs) against the real xenstored core
 * (tools/xenstored), both unmodified.
 *
 * dom0 is a tool in the same program, on the function-call transport.  The
 * guest, domain 1, uses the ring transport on a ring page that is an array
 * here: its wait hook runs the daemon's xsd_process() and fails when the
 * daemon made no progress, so a request that would hang reports -XEN_EIO
 * instead.  A scripted byte stream plays a broken daemon.
 */
#include "harness.h"

#include <stdint.h>
#include <stdbool.h>
#include "xenstored.h"
#include "xs.h"

/* ---- fake platform ------------------------------------------------------ */

#define NR_RINGS 2

static struct xenstore_domain_interface rings[NR_RINGS];
static bool mapped[NR_RINGS];
static unsigned int kicks;

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
    return (int)port;
}

static void fake_unbind(void *ctx, unsigned int port)
{
}

static void fake_notify(void *ctx, unsigned int port)
{
}

static void fake_mb(void *ctx)
{
    __sync_synchronize();
}

static const struct xsd_ops fake_ops = {
    .map_ring = fake_map,
    .unmap_ring = fake_unmap,
    .bind_evtchn = fake_bind,
    .unbind_evtchn = fake_unbind,
    .notify = fake_notify,
    .mb = fake_mb,
};

static struct xsd *xsd;
static struct xs_handle *dom0, *guest;

/* ---- the guest's ring hooks --------------------------------------------- */

static void guest_notify(void *ctx)
{
    kicks++;
}

/* "Block" for the event channel: let the daemon run; stuck is an error. */
static int guest_wait(void *ctx)
{
    struct xenstore_domain_interface *r = ctx;
    uint32_t cons = r->req_cons, prod = r->rsp_prod;

    xsd_process(xsd);
    if ( r->req_cons == cons && r->rsp_prod == prod )
        return -XEN_EIO;
    return 0;
}

static void guest_mb(void *ctx)
{
    __sync_synchronize();
}

static const struct xs_ring_ops guest_ops = {
    .ctx = &rings[0],
    .notify = guest_notify,
    .wait = guest_wait,
    .mb = guest_mb,
};

static void setup(void)
{
    static const struct xs_perm home = { 1, XS_PERM_NONE };

    memset(rings, 0, sizeof(rings));
    memset(mapped, 0, sizeof(mapped));
    xsd = xsd_create(&fake_ops, NULL);
    dom0 = xs_open_local(xsd, 0, NULL, NULL);
    CHECK(dom0 != NULL);
    CHECK_EQ(xs_mkdir(dom0, XS_TXN_NONE, "/local/domain/1"), 0);
    CHECK_EQ(xs_set_perms(dom0, XS_TXN_NONE, "/local/domain/1", &home, 1),
             0);
    CHECK_EQ(xs_introduce(dom0, 1, 0, 7), 0);
    guest = xs_open_ring(&rings[0], &guest_ops);
    CHECK(guest != NULL);
}

static void teardown(void)
{
    xs_close(guest);
    xs_close(dom0);
    xsd_destroy(xsd);
}

static bool read_is(struct xs_handle *h, uint32_t tx, const char *path,
                    const char *expect)
{
    char *v = NULL;
    size_t len = 0;
    bool same;

    if ( xs_read(h, tx, path, &v, &len) )
        return false;
    same = len == strlen(expect) && !strcmp(v, expect);
    free(v);
    return same;
}

/* ---- the store ---------------------------------------------------------- */

TEST(store_operations)
{
    struct xs_perm perms[2] = { { 1, XS_PERM_NONE }, { 2, XS_PERM_READ } };
    struct xs_perm *got;
    unsigned int n;
    char **names;
    char *v;
    size_t len;

    setup();
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "data/name", "guest", 5), 0);
    CHECK(read_is(guest, XS_TXN_NONE, "data/name", "guest"));
    CHECK(read_is(dom0, XS_TXN_NONE, "/local/domain/1/data/name", "guest"));
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "data/bin", "a\0b", 3), 0);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "data/bin", &v, &len), 0);
    CHECK_EQ(len, 3);
    CHECK(!memcmp(v, "a\0b", 4));
    free(v);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "data/bin", &v, NULL), 0);
    free(v);

    CHECK_EQ(xs_mkdir(guest, XS_TXN_NONE, "data/dir/sub"), 0);
    CHECK_EQ(xs_directory(guest, XS_TXN_NONE, "data", &names, &n), 0);
    CHECK_EQ(n, 3);
    CHECK_STR(names[0], "name");
    CHECK_STR(names[1], "bin");
    CHECK_STR(names[2], "dir");
    CHECK(names[3] == NULL);
    free(names);
    CHECK_EQ(xs_directory(guest, XS_TXN_NONE, "data/dir/sub", &names, &n),
             0);
    CHECK_EQ(n, 0);
    free(names);

    CHECK_EQ(xs_set_perms(guest, XS_TXN_NONE, "data/name", perms, 2), 0);
    CHECK_EQ(xs_get_perms(guest, XS_TXN_NONE, "data/name", &got, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_EQ(got[0].domid, 1);
    CHECK_EQ(got[0].access, XS_PERM_NONE);
    CHECK_EQ(got[1].domid, 2);
    CHECK_EQ(got[1].access, XS_PERM_READ);
    free(got);
    perms[0].domid = 0;
    CHECK_EQ(xs_set_perms(guest, XS_TXN_NONE, "data/name", perms, 2),
             -XEN_EPERM);
    perms[0].access = 7;
    CHECK_EQ(xs_set_perms(guest, XS_TXN_NONE, "data/name", perms, 2),
             -XEN_EINVAL);

    CHECK_EQ(xs_rm(guest, XS_TXN_NONE, "data/dir"), 0);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "data/dir/sub", &v, NULL),
             -XEN_ENOENT);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "/local", &v, NULL), -XEN_EACCES);
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "bad path", "", 0), -XEN_EINVAL);
    CHECK_EQ(xs_request(guest, 99, 0, "x", 2, NULL, NULL), -XEN_EINVAL);
    CHECK(kicks > 0);
    teardown();
}

TEST(values_larger_than_the_ring)
{
    char big[4100], *v;
    size_t len;

    setup();
    memset(big, 'x', sizeof(big));
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/big", big, 4000),
             0);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "big", &v, &len), 0);
    CHECK_EQ(len, 4000);
    CHECK(!memcmp(v, big, 4000));
    free(v);
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "mine", big, 2000), 0);
    CHECK_EQ(xs_read(dom0, XS_TXN_NONE, "/local/domain/1/mine", &v, &len), 0);
    CHECK_EQ(len, 2000);
    free(v);
    /* The domU's node size quota, and the protocol's payload limit. */
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "mine", big, 2040), -XEN_ENOSPC);
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "mine", big, 4095), -XEN_E2BIG);
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/x", big, 4093), 0);
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/x", big, 4094), -XEN_E2BIG);
    teardown();
}

TEST(long_directory_in_parts)
{
    char path[96];
    char **names;
    unsigned int i, n;

    setup();
    for ( i = 0; i < 200; i++ )
    {
        snprintf(path, sizeof(path),
                 "/local/domain/1/many/a-long-child-name-for-listing-%03u", i);
        CHECK_EQ(xs_write(dom0, XS_TXN_NONE, path, "", 0), 0);
    }
    CHECK_EQ(xs_directory(guest, XS_TXN_NONE, "many", &names, &n), 0);
    CHECK_EQ(n, 200);
    for ( i = 0; i < n && i < 200; i++ )
    {
        snprintf(path, sizeof(path), "a-long-child-name-for-listing-%03u", i);
        CHECK_STR(names[i], path);
    }
    free(names);
    CHECK_EQ(xs_directory(dom0, XS_TXN_NONE, "/local/domain/1/many",
                          &names, &n), 0);
    CHECK_EQ(n, 200);
    free(names);
    teardown();
}

/* ---- watches ------------------------------------------------------------ */

TEST(watches)
{
    struct xs_watch_event *ev;
    char *v;

    setup();
    CHECK_EQ(xs_watch(guest, "data", "tok"), 0);
    CHECK_EQ(xs_read_watch(guest, &ev, false), 0);   /* the initial one */
    CHECK_STR(ev->path, "data");
    CHECK_STR(ev->token, "tok");
    free(ev);
    CHECK_EQ(xs_read_watch(guest, &ev, false), -XEN_EAGAIN);
    CHECK_EQ(xs_watch(guest, "data", "tok"), -XEN_EEXIST);

    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/data/x", "1", 1),
             0);
    CHECK_EQ(xs_read_watch(guest, &ev, true), 0);
    CHECK_STR(ev->path, "data/x");
    free(ev);

    /* Events arriving during other requests are queued. */
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/data/a", "", 0), 0);
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/data/b", "", 0), 0);
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/data/c", "", 0), 0);
    CHECK(read_is(guest, XS_TXN_NONE, "data/x", "1"));
    CHECK_EQ(xs_queued_watches(guest), 3);
    CHECK_EQ(xs_read_watch(guest, &ev, false), 0);
    CHECK_STR(ev->path, "data/a");
    free(ev);
    CHECK_EQ(xs_read_watch(guest, &ev, false), 0);
    CHECK_STR(ev->path, "data/b");
    free(ev);
    CHECK_EQ(xs_read_watch(guest, &ev, false), 0);
    CHECK_STR(ev->path, "data/c");
    free(ev);

    CHECK_EQ(xs_unwatch(guest, "data", "tok"), 0);
    CHECK_EQ(xs_unwatch(guest, "data", "tok"), -XEN_ENOENT);
    CHECK_EQ(xs_write(dom0, XS_TXN_NONE, "/local/domain/1/data/d", "", 0), 0);
    CHECK(read_is(guest, XS_TXN_NONE, "data/d", ""));
    CHECK_EQ(xs_read_watch(guest, &ev, false), -XEN_EAGAIN);

    /* The local transport: no wait hook, so no blocking. */
    CHECK_EQ(xs_watch(dom0, "@introduceDomain", "in"), 0);
    CHECK_EQ(xs_read_watch(dom0, &ev, false), 0);
    CHECK_STR(ev->path, "@introduceDomain");
    free(ev);
    CHECK_EQ(xs_read_watch(dom0, &ev, true), -XEN_EAGAIN);
    CHECK_EQ(xs_reset_watches(dom0), 0);
    CHECK_EQ(xs_read(dom0, XS_TXN_NONE, "/nope", &v, NULL), -XEN_ENOENT);
    teardown();
}

/* ---- transactions ------------------------------------------------------- */

/* The usual client loop: retry the whole transaction on EAGAIN. */
static int increment(struct xs_handle *h, const char *path, bool interfere,
                     unsigned int *tries)
{
    for ( *tries = 1; *tries < 10; (*tries)++ )
    {
        uint32_t tx;
        char *v, buf[16];
        int rc;

        rc = xs_transaction_start(h, &tx);
        if ( rc )
            return rc;
        rc = xs_read(h, tx, path, &v, NULL);
        if ( rc )
        {
            xs_transaction_end(h, tx, true);
            return rc;
        }
        snprintf(buf, sizeof(buf), "%ld", strtol(v, NULL, 10) + 1);
        free(v);
        if ( interfere && *tries == 1 )
            xs_write(dom0, XS_TXN_NONE, "/local/domain/1/counter", "10", 2);
        rc = xs_write(h, tx, path, buf, strlen(buf));
        if ( rc )
        {
            xs_transaction_end(h, tx, true);
            return rc;
        }
        rc = xs_transaction_end(h, tx, false);
        if ( rc != -XEN_EAGAIN )
            return rc;
    }
    return -XEN_EAGAIN;
}

TEST(transactions)
{
    unsigned int tries;
    uint32_t tx;
    char *v;

    setup();
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "counter", "0", 1), 0);
    CHECK_EQ(increment(guest, "counter", false, &tries), 0);
    CHECK_EQ(tries, 1);
    CHECK(read_is(guest, XS_TXN_NONE, "counter", "1"));
    CHECK_EQ(increment(guest, "counter", true, &tries), 0);
    CHECK_EQ(tries, 2);
    CHECK(read_is(guest, XS_TXN_NONE, "counter", "11"));

    CHECK_EQ(xs_transaction_start(guest, &tx), 0);
    CHECK_EQ(xs_write(guest, tx, "scratch", "x", 1), 0);
    CHECK(read_is(guest, tx, "scratch", "x"));
    CHECK_EQ(xs_read(dom0, XS_TXN_NONE, "/local/domain/1/scratch", &v, NULL),
             -XEN_ENOENT);
    CHECK_EQ(xs_transaction_end(guest, tx, true), 0);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "scratch", &v, NULL), -XEN_ENOENT);
    CHECK_EQ(xs_transaction_end(guest, tx, true), -XEN_ENOENT);
    CHECK_EQ(xs_read(guest, 999, "counter", &v, NULL), -XEN_ENOENT);
    teardown();
}

/* ---- domains ------------------------------------------------------------ */

TEST(domain_operations)
{
    bool yes;
    char *path, *help;

    setup();
    CHECK_EQ(xs_get_domain_path(dom0, 5, &path), 0);
    CHECK_STR(path, "/local/domain/5");
    free(path);
    CHECK_EQ(xs_get_domain_path(guest, 1, &path), 0);
    CHECK_STR(path, "/local/domain/1");
    free(path);
    CHECK_EQ(xs_is_domain_introduced(dom0, 1, &yes), 0);
    CHECK(yes);
    CHECK_EQ(xs_is_domain_introduced(dom0, 2, &yes), 0);
    CHECK(!yes);
    CHECK_EQ(xs_is_domain_introduced(guest, 1, &yes), -XEN_EACCES);
    CHECK_EQ(xs_introduce(guest, 2, 1, 3), -XEN_EACCES);
    CHECK_EQ(xs_introduce(dom0, 0, 1, 3), -XEN_EINVAL);
    CHECK_EQ(xs_resume(dom0, 1), 0);
    CHECK_EQ(xs_set_target(dom0, 1, 4), 0);
    CHECK_EQ(xs_control(dom0, "help", NULL, &help), 0);
    CHECK(strstr(help, "quota") != NULL);
    free(help);
    CHECK_EQ(xs_control(dom0, "print", "from a test", NULL), 0);

    CHECK_EQ(xs_watch(dom0, "@releaseDomain", "gone"), 0);
    CHECK_EQ(xs_release(dom0, 1), 0);
    CHECK(!mapped[0]);
    CHECK_EQ(xs_release(dom0, 1), -XEN_ENOENT);
    /* Nobody serves the guest's ring any more. */
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "x", "", 0), -XEN_EIO);
    teardown();
}

TEST(daemon_rejects_a_bad_ring)
{
    char *v;

    setup();
    CHECK_EQ(xs_write(guest, XS_TXN_NONE, "x", "1", 1), 0);
    /* Something scribbles on the request ring's consumer index. */
    rings[0].req_cons += 5000;
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "x", &v, NULL), -XEN_EIO);
    CHECK_EQ(xs_read(guest, XS_TXN_NONE, "x", &v, NULL), -XEN_EIO);
    teardown();
}

/* ---- a daemon that misbehaves ------------------------------------------- */

struct script {
    uint8_t data[2 * XENSTORE_PAYLOAD_MAX];
    size_t len, off;
    size_t written;
};

static long script_write(void *ctx, const void *buf, size_t len)
{
    struct script *s = ctx;

    s->written += len;
    return (long)len;
}

static long script_read(void *ctx, void *buf, size_t len)
{
    struct script *s = ctx;
    size_t n = s->len - s->off;

    if ( n > len )
        n = len;
    if ( n > 3 )
        n = 3;                      /* dribble it out */
    memcpy(buf, s->data + s->off, n);
    s->off += n;
    return (long)n;
}

static int script_wait(void *ctx)
{
    struct script *s = ctx;

    return s->off < s->len ? 0 : -XEN_EIO;
}

static void script_add(struct script *s, uint32_t type, uint32_t req,
                       const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, req, 0, len };

    memcpy(s->data + s->len, &h, sizeof(h));
    s->len += sizeof(h);
    memcpy(s->data + s->len, payload, len);
    s->len += len;
}

TEST(client_survives_a_bad_daemon)
{
    static const struct xs_stream_ops ops = {
        .write = script_write,
        .read = script_read,
        .wait = script_wait,
    };
    struct script s;
    struct xs_handle *h;
    struct xs_watch_event *ev;
    char *v;

    /* A stray reply, a garbage event, a good event, then the reply. */
    memset(&s, 0, sizeof(s));
    h = xs_open_stream(&ops, &s);
    script_add(&s, XS_READ, 77, "stale", 5);
    script_add(&s, XS_WATCH_EVENT, 0, "no-token", 8);
    script_add(&s, XS_WATCH_EVENT, 0, "/p\0t", 5);
    script_add(&s, XS_READ, 1, "value", 5);
    CHECK_EQ(xs_read(h, XS_TXN_NONE, "/p", &v, NULL), 0);
    CHECK_STR(v, "value");
    free(v);
    CHECK_EQ(xs_queued_watches(h), 1);
    CHECK_EQ(xs_read_watch(h, &ev, false), 0);
    CHECK_STR(ev->path, "/p");
    CHECK_STR(ev->token, "t");
    free(ev);

    /* Error names map back; unknown ones are EIO. */
    script_add(&s, XS_ERROR, 2, "EQUOTA", 7);
    CHECK_EQ(xs_mkdir(h, XS_TXN_NONE, "/q"), -XEN_EIO);
    script_add(&s, XS_ERROR, 3, "ENOSPC", 7);
    CHECK_EQ(xs_mkdir(h, XS_TXN_NONE, "/q"), -XEN_ENOSPC);
    /* A reply of the wrong type breaks the handle. */
    script_add(&s, XS_WRITE, 4, "OK", 3);
    CHECK_EQ(xs_mkdir(h, XS_TXN_NONE, "/q"), -XEN_EIO);
    CHECK_EQ(xs_mkdir(h, XS_TXN_NONE, "/q"), -XEN_EIO);
    xs_close(h);

    /* A header longer than the protocol allows breaks it too. */
    memset(&s, 0, sizeof(s));
    h = xs_open_stream(&ops, &s);
    {
        struct xsd_sockmsg big = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };

        memcpy(s.data, &big, sizeof(big));
        s.len = sizeof(big) + 100;
    }
    CHECK_EQ(xs_read(h, XS_TXN_NONE, "/p", &v, NULL), -XEN_EIO);
    CHECK_EQ(xs_read_watch(h, &ev, false), -XEN_EIO);
    xs_close(h);

    /* A transaction id that is not a number. */
    memset(&s, 0, sizeof(s));
    h = xs_open_stream(&ops, &s);
    script_add(&s, XS_TRANSACTION_START, 1, "abc", 4);
    {
        uint32_t tx;

        CHECK_EQ(xs_transaction_start(h, &tx), -XEN_EIO);
    }
    xs_close(h);

    /* Oversized requests never leave the client. */
    memset(&s, 0, sizeof(s));
    h = xs_open_stream(&ops, &s);
    {
        static char huge[XENSTORE_PAYLOAD_MAX + 1];

        memset(huge, 'a', sizeof(huge) - 1);
        huge[0] = '/';
        CHECK_EQ(xs_mkdir(h, XS_TXN_NONE, huge), -XEN_E2BIG);
    }
    CHECK_EQ(s.written, 0);
    xs_close(h);
}

int main(void)
{
    RUN(store_operations);
    RUN(values_larger_than_the_ring);
    RUN(long_directory_in_parts);
    RUN(watches);
    RUN(transactions);
    RUN(domain_operations);
    RUN(daemon_rejects_a_bad_ring);
    RUN(client_survives_a_bad_daemon);
    HARNESS_EXIT();
}
