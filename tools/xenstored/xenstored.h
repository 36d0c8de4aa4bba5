/*
 * xenstored: the portable core of Keel's xenstore daemon.
 *
 * This is everything of the daemon that does not depend on where it runs:
 * the node store with Xen's permissions, transactions, watches, per-domain
 * quotas, the wire protocol of public/io/xs_wire.h and docs/misc/
 * xenstore.txt, the shared-ring transport to guests and a function-call
 * transport for tools linked into the control domain.  The platform (the
 * control domain's tiny libc, or later Linux) supplies a struct xsd_ops
 * for what only it can do: map a domain's ring page, bind and notify event
 * channels, and order memory accesses.  docs/design/xenstore.md describes
 * the design.
 *
 * The core is single-threaded: the platform calls xsd_process() whenever
 * an event channel of a domain connection fires (or simply in its loop),
 * and the xsd_local_* functions from the same thread.  Errors are returned
 * as negative XEN_E* values from public/errno.h.
 *
 * Plain C99; only <stddef.h> <stdint.h> <stdbool.h> <stdarg.h> <string.h>
 * <stdlib.h> <stdio.h> (for snprintf) of the C library are used.
 */
#ifndef KEEL_XENSTORED_H
#define KEEL_XENSTORED_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <public/io/xs_wire.h>

struct xsd;
struct xsd_conn;

/*
 * What the platform does for the daemon.  All hooks but log are required
 * once a domain is introduced; @ctx is passed back to each of them.  They
 * run inside the daemon's calls and must not call back into it.
 */
struct xsd_ops {
    void *ctx;

    /*
     * Map the xenstore ring page of @domid (machine frame @mfn, as given
     * in XS_INTRODUCE).  NULL if it cannot be mapped.
     */
    struct xenstore_domain_interface *(*map_ring)(void *ctx,
                                                  unsigned int domid,
                                                  uint64_t mfn);
    void (*unmap_ring)(void *ctx, unsigned int domid,
                       struct xenstore_domain_interface *ring);

    /*
     * Bind a local event channel to @remote_port of @domid.  Returns the
     * local port (>= 0) or a negative XEN_E* value.
     */
    int (*bind_evtchn)(void *ctx, unsigned int domid,
                       unsigned int remote_port);
    void (*unbind_evtchn)(void *ctx, unsigned int local_port);

    /* Kick the domain behind a local port. */
    void (*notify)(void *ctx, unsigned int local_port);

    /*
     * A full memory barrier, between reading a ring index and the data it
     * covers, and between writing data and publishing the index.  On x86
     * a compiler barrier would do for most of them; one hook keeps the
     * core free of inline assembly.
     */
    void (*mb)(void *ctx);

    /* Optional: one line of diagnostic text, no trailing newline. */
    void (*log)(void *ctx, const char *line);
};

/*
 * Limits on what an unprivileged domain may make the daemon hold.  The
 * defaults are C xenstored's (Xen 4.17); dom0 and other privileged
 * connections are not limited.
 */
struct xsd_quota {
    unsigned int nodes_per_domain;  /* nodes owned: 1000, ENOSPC */
    unsigned int watches_per_conn;  /* 128, E2BIG */
    unsigned int txns_per_conn;     /* open transactions: 10, ENOSPC */
    unsigned int node_size;         /* stored node bytes: 2048, ENOSPC */
    unsigned int perms_per_node;    /* 5, ENOSPC */
    unsigned int path_max;          /* below /local/domain/N/: 2048 */
    unsigned int txn_nodes;         /* nodes one transaction touches: 1024 */
    unsigned int outstanding;       /* unsent replies before we stop reading */
    unsigned int out_bytes;         /* queued bytes, then events drop */
};

void xsd_quota_defaults(struct xsd_quota *q);

/*
 * Create a daemon with an empty store (just "/", owned by dom0, "n0") and
 * no connections.  @q NULL means the defaults.  NULL on allocation failure.
 */
struct xsd *xsd_create(const struct xsd_ops *ops, const struct xsd_quota *q);

/* Drop every connection (unmapping and unbinding rings) and the store. */
void xsd_destroy(struct xsd *xsd);

/*
 * Serve every domain connection: read complete requests from each request
 * ring, handle them, write replies and watch events to the response
 * rings, notify.  Call it after any event-channel upcall; calling it with
 * nothing to do is harmless.
 */
void xsd_process(struct xsd *xsd);

/*
 * Domain lifecycle, for the platform.  xsd_introduce() is XS_INTRODUCE
 * without the privilege check (so the platform may connect dom0's own
 * ring with @domid 0).  xsd_domain_shutdown() fires @releaseDomain once
 * for a domain that shut down (again only after XS_RESUME).
 * xsd_domain_died() is XS_RELEASE for a domain that is gone: it drops the
 * connection if any, gives the domain's nodes to dom0, removes its
 * permission entries and fires @releaseDomain.  The nodes under
 * /local/domain/<domid> stay: the toolstack removes them.
 */
int xsd_introduce(struct xsd *xsd, unsigned int domid, uint64_t mfn,
                  unsigned int port);
int xsd_domain_shutdown(struct xsd *xsd, unsigned int domid);
int xsd_domain_died(struct xsd *xsd, unsigned int domid);
bool xsd_domain_introduced(const struct xsd *xsd, unsigned int domid);

/* Nodes owned by @domid (what the nodes_per_domain quota counts). */
unsigned int xsd_domain_nodes(const struct xsd *xsd, unsigned int domid);

/*
 * The function-call transport, for tools in the control domain.  A local
 * connection speaks the same byte stream as a socket or ring: the caller
 * writes requests (struct xsd_sockmsg header and payload, in as many
 * pieces as it likes) and reads back replies and watch events.  Requests
 * are handled inside xsd_local_write().  @domid is the domain the caller
 * acts for: 0 is privileged, anything else is treated like that domain's
 * ring connection (useful for driver domains and for tests).
 *
 * xsd_local_write() returns 0, or -XEN_EIO once the connection is broken
 * (a header announced more than XENSTORE_PAYLOAD_MAX bytes); a broken
 * connection must be closed.  xsd_local_read() copies out up to @len
 * queued bytes and returns how many.
 */
struct xsd_conn *xsd_local_open(struct xsd *xsd, unsigned int domid);
void xsd_local_close(struct xsd_conn *conn);
int xsd_local_write(struct xsd_conn *conn, const void *buf, size_t len);
size_t xsd_local_read(struct xsd_conn *conn, void *buf, size_t len);
size_t xsd_local_pending(const struct xsd_conn *conn);

#endif /* KEEL_XENSTORED_H */
