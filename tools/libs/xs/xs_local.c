/*
 * libxs over the function-call transport of an xenstored linked into the
 * same program (the control domain's tools).  Build with tools/xenstored
 * on the include path; a Linux dom0 build, which talks to a separate
 * daemon, leaves this file out (XS_LOCAL_SRCS in xs.mk).
 *
 * xsd_local_write() handles each complete request at once, so a reply is
 * always there to read and only watch events ever need the wait hook.
 */
#include <stdlib.h>
#include "xs.h"
#include "xenstored.h"

struct xs_local {
    struct xsd_conn *conn;
    int (*wait)(void *ctx);
    void *ctx;
};

static long local_write(void *ctx, const void *buf, size_t len)
{
    struct xs_local *l = ctx;
    int rc = xsd_local_write(l->conn, buf, len);

    return rc < 0 ? rc : (long)len;
}

static long local_read(void *ctx, void *buf, size_t len)
{
    struct xs_local *l = ctx;

    return (long)xsd_local_read(l->conn, buf, len);
}

static int local_wait(void *ctx)
{
    struct xs_local *l = ctx;

    return l->wait ? l->wait(l->ctx) : -XEN_EAGAIN;
}

static void local_close(void *ctx)
{
    struct xs_local *l = ctx;

    xsd_local_close(l->conn);
    free(l);
}

struct xs_handle *xs_open_local(struct xsd *xsd, unsigned int domid,
                                int (*wait)(void *ctx), void *ctx)
{
    static const struct xs_stream_ops stream = {
        .write = local_write,
        .read = local_read,
        .wait = local_wait,
        .close = local_close,
    };
    struct xs_local *l = malloc(sizeof(*l));
    struct xs_handle *h;

    if ( !l )
        return NULL;
    l->conn = xsd_local_open(xsd, domid);
    if ( !l->conn )
    {
        free(l);
        return NULL;
    }
    l->wait = wait;
    l->ctx = ctx;
    h = xs_open_stream(&stream, l);
    if ( !h )
    {
        xsd_local_close(l->conn);
        free(l);
    }
    return h;
}
