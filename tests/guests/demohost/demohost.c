/*
 * demohost: the demo domUs (tools/demo) under a dom0 that does for them
 * what keel-ctrl does (host.c: xenstored, the toolstack's xenstore
 * entries, the console backend), judged from their console lines and
 * their xenstore keys.  Module: the demo kernel (build/demo/demo.gz or
 * the ELF); run with dom0_mem=64M so that there is memory for three
 * 8 MiB domUs.
 *
 * Cases:
 *  - echo: its banner; control/feature-poweroff and -reboot are "1"; a
 *    line typed on its console comes back as "demo: echo: <line>" (CR,
 *    CR LF and LF end a line; DEL erases);
 *  - pair: "ping name=A peer=B" and "pong name=B peer=A" find each other
 *    and each prints exactly one result line, "demo: A<->B: 10000 events,
 *    granted pages both ways: OK" -- or, when the hypervisor runs
 *    xsm=silo (its command line, XENVER_commandline), a FAILED line
 *    naming GNTTABOP_map_grant_ref and GNTST_permission_denied, without
 *    hanging;
 *  - hostile peers: data/demo of a domain that does not exist, with a
 *    grant reference that is not a number, or that no live domain grants:
 *    the result line says which, and nothing hangs;
 *  - shutdown: "poweroff" in control/shutdown powers the echo domU off
 *    and the key is cleared; "reboot" shuts A down with reason reboot; an
 *    unknown request ("suspend") is reported and ignored, B keeps running,
 *    and "halt" then powers it off.
 */
#include "demohost.h"
#include <xs.h>

const char test_name[] = "demohost";

#define BOOT_NS     PV_MS(60000)
#define LINE_NS     PV_MS(20000)
#define PAIR_NS     PV_MS(600000)
#define DOWN_NS     PV_MS(30000)

static bool key_is(struct domu *d, const char *key, const char *want)
{
    char *v;
    bool ok;

    if ( domu_xs_read(d, key, &v) )
        return false;
    ok = !strcmp(v, want);
    free(v);
    return ok;
}

static struct domu *check_echo(void)
{
    struct domu *d = domu_start("echo", "echo");

    if ( !d )
        return NULL;
    if ( !CHECK(domu_wait_line(d, "demo: echo, domain", BOOT_NS) != NULL) )
        return d;
    CHECK(key_is(d, "control/feature-poweroff", "1"));
    CHECK(key_is(d, "control/feature-reboot", "1"));

    domu_type(d, "hello keel\r");
    CHECK(domu_wait_line(d, "demo: echo: hello keel", LINE_NS) != NULL);
    domu_type(d, "line two\r\nthird\n");
    CHECK(domu_wait_line(d, "demo: echo: line two", LINE_NS) != NULL);
    CHECK(domu_wait_line(d, "demo: echo: third", LINE_NS) != NULL);
    domu_type(d, "typo\x7f\x7f\x7f\x7f" "edited\r");
    CHECK(domu_wait_line(d, "demo: echo: edited", LINE_NS) != NULL);
    return d;
}

/* How many lines of d hold needle. */
static unsigned int count_lines(struct domu *d, const char *needle)
{
    unsigned int i, n = 0;

    for ( i = 0; i < d->nr_hist; i++ )
        n += strstr(d->hist[i], needle) != NULL;
    return n;
}

enum expect { EXPECT_OK, EXPECT_REFUSED, EXPECT_EITHER };

/* The result line of one side, judged; true if it says refused. */
static bool check_result(struct domu *d, const char *me, const char *peer,
                         enum expect want)
{
    char prefix[32], ok[96];
    const char *l;
    bool refused, good;

    snprintf(prefix, sizeof(prefix), "demo: %s<->%s: ", me, peer);
    snprintf(ok, sizeof(ok), "%s10000 events, granted pages both ways: OK",
             prefix);
    l = domu_wait_line(d, prefix, PAIR_NS);
    if ( !CHECK(l != NULL) )
        return false;
    refused = strstr(l, "FAILED: GNTTABOP_map_grant_ref") &&
              strstr(l, "GNTST_permission_denied (-8)");
    good = want == EXPECT_OK ? !strcmp(l, ok) :
           want == EXPECT_REFUSED ? refused : refused || !strcmp(l, ok);
    if ( !CHECK(good) )
        printf("FAIL: %s said \"%s\"\n", me, l);
    return refused;
}

static void check_pair(enum expect want, struct domu **a, struct domu **b)
{
    *a = domu_start("ping", "ping name=A peer=B");
    *b = domu_start("pong", "pong name=B peer=A");
    if ( !*a || !*b )
        return;
    /* The two sides agree. */
    CHECK_EQ(check_result(*a, "A", "B", want),
             check_result(*b, "B", "A", want));
    /* Exactly one result line each, a while later too. */
    domu_wait_line(*a, "no such line", PV_MS(2000));
    CHECK_EQ(1, count_lines(*a, "demo: A<->B: "));
    CHECK_EQ(1, count_lines(*b, "demo: B<->A: "));
    /* Both took their grant back: the peer had unmapped it. */
    CHECK_EQ(0, count_lines(*a, "still maps our page"));
    CHECK_EQ(0, count_lines(*b, "still maps our page"));
}

/*
 * A peer that does not play fair: dom0 writes data/demo for a domain that
 * does not exist (readable by all), with a grant reference that is not a
 * number, then one that names no grant of a live domain.  The demo must
 * say so in its result line, without mapping anything.
 */
static void fake_peer(unsigned int domid, const char *name, const char *gref)
{
    struct xs_perm readable = { domid, XS_PERM_READ };
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/data/demo", domid);
    CHECK_RC(0, xs_mkdir(xs, XS_TXN_NONE, path));
    CHECK_RC(0, xs_set_perms(xs, XS_TXN_NONE, path, &readable, 1));
    snprintf(path, sizeof(path), "/local/domain/%u/data/demo/name", domid);
    CHECK_RC(0, xs_write(xs, XS_TXN_NONE, path, name, strlen(name)));
    snprintf(path, sizeof(path), "/local/domain/%u/data/demo/gref", domid);
    CHECK_RC(0, xs_write(xs, XS_TXN_NONE, path, gref, strlen(gref)));
}

static void check_hostile(void)
{
    struct domu *c, *d;
    char path[32];

    fake_peer(60, "H", "12abc");
    fake_peer(61, "G", "1000");
    c = domu_start("hostile1", "ping name=C peer=H");
    d = domu_start("hostile2", "pong name=D peer=G");
    if ( c )
        CHECK(domu_wait_line(c, "demo: C<->H: FAILED: H's /local/domain/60/"
                             "data/demo/gref is not a number from 8 to "
                             "65535", PAIR_NS) != NULL);
    if ( d )
        CHECK(domu_wait_line(d, "demo: D<->G: FAILED: GNTTABOP_map_grant_ref "
                             "(grant 1000 of domain 61): GNTST_bad_domain "
                             "(-2)", PAIR_NS) != NULL);
    if ( c )
        domu_destroy(c);
    if ( d )
        domu_destroy(d);
    snprintf(path, sizeof(path), "/local/domain/60");
    CHECK_RC(0, xs_rm(xs, XS_TXN_NONE, path));
    snprintf(path, sizeof(path), "/local/domain/61");
    CHECK_RC(0, xs_rm(xs, XS_TXN_NONE, path));
}

static void check_shutdown(struct domu *d, const char *request, int reason)
{
    struct xen_domctl_getdomaininfo info;

    if ( !d )
        return;
    CHECK_RC(0, kc_domain_getinfo(kc, d->id, &info));
    CHECK(!(info.flags & XEN_DOMINF_shutdown));
    CHECK_RC(0, domu_xs_write(d, "control/shutdown", request));
    CHECK_EQ(reason, domu_wait_shutdown(d, DOWN_NS));
    CHECK(key_is(d, "control/shutdown", ""));
}

static void check_ignored(struct domu *d)
{
    struct xen_domctl_getdomaininfo info;

    if ( !d )
        return;
    CHECK_RC(0, domu_xs_write(d, "control/shutdown", "suspend"));
    CHECK(domu_wait_line(d, "ignoring shutdown request \"suspend\"",
                         LINE_NS) != NULL);
    CHECK_RC(0, kc_domain_getinfo(kc, d->id, &info));
    CHECK(!(info.flags & XEN_DOMINF_shutdown));
    CHECK(key_is(d, "control/shutdown", "suspend"));
}

void test_main(void)
{
    struct start_info *si = pv_start_info;
    char cmdline[1024] = "";
    struct domu *echo, *a = NULL, *b = NULL;
    enum expect want;
    bool silo;

    if ( !si->mod_start || !si->mod_len )
        test_abort("no module: run with --initrd build/demo/demo.gz");
    host_init((const void *)si->mod_start, si->mod_len);
    HYPERVISOR_xen_version(XENVER_commandline, cmdline);
    cmdline[sizeof(cmdline) - 1] = '\0';
    silo = strstr(cmdline, "xsm=silo") != NULL;
    /*
     * Keel has SILO; Debian's Xen 4.17 is built without XSM and ignores
     * xsm=silo, so there either outcome is right.
     */
    want = !silo ? EXPECT_OK : on_keel ? EXPECT_REFUSED : EXPECT_EITHER;
    printf("demohost: on %s, xsm=silo %s\n", on_keel ? "Keel" : "Xen",
           want == EXPECT_OK ? "not asked for: the pair must connect" :
           want == EXPECT_REFUSED ? "asked for: the pair must be refused" :
           "asked for: the pair is refused if the hypervisor has XSM");

    echo = check_echo();
    check_pair(want, &a, &b);
    check_hostile();
    check_shutdown(echo, "poweroff", SHUTDOWN_poweroff);
    check_shutdown(a, "reboot", SHUTDOWN_reboot);
    check_ignored(b);
    check_shutdown(b, "halt", SHUTDOWN_poweroff);

    if ( echo )
        domu_destroy(echo);
    if ( a )
        domu_destroy(a);
    if ( b )
        domu_destroy(b);
}
