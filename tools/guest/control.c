/*
 * The PV control protocol of a domU (Xen's docs/misc/xenstore-paths.pandoc,
 * as Linux's drivers/xen/manage.c speaks it): the toolstack asks for a
 * shutdown by writing "poweroff", "reboot" (or "halt", "suspend") to
 * control/shutdown under the domain's home; a guest that advertises
 * control/feature-poweroff and control/feature-reboot is trusted to act,
 * others are shut down from outside.
 *
 * We advertise both, watch control/shutdown (absolute paths under our
 * home, from XS_GET_DOMAIN_PATH), and on a request we know
 * read it and clear it in one transaction (retried on EAGAIN), as Linux
 * does, then SCHEDOP_shutdown with the reason.  Requests we do not handle
 * ("suspend", anything else) are left in place and reported once.  The
 * key's value is read with a bound: the domain itself may write it too.
 */
#include <pvguest/domu.h>
#include <xs.h>

#define MAX_TRIES       8

void (*pv_control_before_shutdown)(unsigned int reason);

/* <home>/control/shutdown, set by pv_control_init(). */
static char shutdown_key[96];

static int write_key(struct xs_handle *h, const char *home, const char *key)
{
    char path[96];

    if ( (size_t)snprintf(path, sizeof(path), "%s/control/%s", home,
                          key) >= sizeof(path) )
        return -XEN_E2BIG;
    return pv_xs_write_str(h, path, "1");
}

int pv_control_init(struct xs_handle *h)
{
    char home[64];
    int rc;

    if ( (rc = pv_xs_home(h, home, sizeof(home))) != 0 )
        return rc;
    snprintf(shutdown_key, sizeof(shutdown_key), "%s/control/shutdown",
             home);
    if ( (rc = write_key(h, home, "feature-poweroff")) != 0 ||
         (rc = write_key(h, home, "feature-reboot")) != 0 )
        return rc;
    return xs_watch(h, shutdown_key, PV_CONTROL_TOKEN);
}

/* SHUTDOWN_* for a request, or -1. */
static int request_reason(const char *val)
{
    if ( !strcmp(val, "poweroff") || !strcmp(val, "halt") )
        return SHUTDOWN_poweroff;
    if ( !strcmp(val, "reboot") )
        return SHUTDOWN_reboot;
    return -1;
}

/* Printable ASCII only, for messages about values others wrote. */
static void sanitise(char *s)
{
    for ( ; *s; s++ )
        if ( *s < 0x20 || *s > 0x7e )
            *s = '?';
}

static void handle_request(struct xs_handle *h)
{
    static char ignored[32];
    unsigned int tries;

    for ( tries = 0; tries < MAX_TRIES; tries++ )
    {
        char val[32], *raw;
        size_t len;
        uint32_t tx;
        int reason, rc;

        if ( xs_transaction_start(h, &tx) )
            return;
        if ( xs_read(h, tx, shutdown_key, &raw, &len) )
        {
            xs_transaction_end(h, tx, true);
            return;
        }
        snprintf(val, sizeof(val), "%s", raw);
        free(raw);
        if ( len >= sizeof(val) )
            val[0] = '\0';              /* too long to be a request */
        reason = request_reason(val);
        if ( reason >= 0 &&
             xs_write(h, tx, shutdown_key, "", 0) )
        {
            xs_transaction_end(h, tx, true);
            return;
        }
        rc = xs_transaction_end(h, tx, reason < 0);
        if ( rc == -XEN_EAGAIN )
            continue;
        if ( reason < 0 )
        {
            sanitise(val);
            if ( val[0] && strcmp(val, ignored) )
                printf("%s: ignoring shutdown request \"%s\"\n", test_name,
                       val);
            memcpy(ignored, val, sizeof(ignored));
            return;
        }
        if ( rc )
            return;
        printf("%s: shutdown requested: %s\n", test_name, val);
        if ( pv_control_before_shutdown )
            pv_control_before_shutdown(reason);
        pv_shutdown(reason);
    }
}

bool pv_control_event(struct xs_handle *h, const struct xs_watch_event *ev)
{
    if ( strcmp(ev->token, PV_CONTROL_TOKEN) )
        return false;
    handle_request(h);
    return true;
}

unsigned int pv_control_service(struct xs_handle *h,
                                void (*other)(const struct xs_watch_event *))
{
    struct xs_watch_event *ev;
    unsigned int n = 0;

    while ( xs_read_watch(h, &ev, false) == 0 )
    {
        n++;
        if ( !pv_control_event(h, ev) && other )
            other(ev);
        free(ev);
    }
    return n;
}
