/*
 * libxs: Keel's xenstore client library.
 *
 * A handle talks to xenstored over one transport: the domain's xenstore
 * ring page (a guest, or dom0 with its own ring), a byte stream the caller
 * provides (a socket, later, on a Linux dom0), or the function-call
 * transport of an xenstored linked into the same program (xs_local.c, the
 * control domain's tools).  The requests are those of docs/misc/
 * xenstore.txt; replies are matched to requests by req_id, and watch
 * events that arrive meanwhile are queued for xs_read_watch().
 *
 * Calls block until their reply arrives, using the transport's wait hook
 * when there is nothing to read; a wait hook that returns an error makes
 * the call fail with it.  Results are 0 or a negative XEN_E* value
 * (public/errno.h): xenstored's error names map back to their numbers,
 * -XEN_EIO means the transport failed or the daemon broke the protocol
 * (the handle is then unusable).  Transactions that end with -XEN_EAGAIN
 * are for the caller to retry.  Strings and arrays returned are malloc'ed
 * in one piece each: free() them.
 *
 * Plain C99, like tools/xenstored; single-threaded per handle.
 */
#ifndef KEEL_XS_H
#define KEEL_XS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <public/io/xs_wire.h>

struct xs_handle;

/* No transaction. */
#define XS_TXN_NONE 0u

/* ---- transports --------------------------------------------------------- */

/*
 * A byte stream.  write() takes what it can and returns how many bytes
 * (0 if none fit now); read() returns how many it copied (0 if nothing is
 * there now); both may return a negative XEN_E* value.  wait() blocks
 * until either may make progress, or returns a negative value to give up
 * (-XEN_EAGAIN: nothing will come, for non-blocking callers).  close()
 * is optional and called by xs_close().  The ops are copied.
 */
struct xs_stream_ops {
    long (*write)(void *ctx, const void *buf, size_t len);
    long (*read)(void *ctx, void *buf, size_t len);
    int (*wait)(void *ctx);
    void (*close)(void *ctx);
};

struct xs_handle *xs_open_stream(const struct xs_stream_ops *ops, void *ctx);

/*
 * The xenstore ring page.  notify() kicks the daemon (the store event
 * channel); wait() blocks until the event channel fires (or gives up with
 * a negative value); mb() is a full memory barrier.
 */
struct xs_ring_ops {
    void *ctx;
    void (*notify)(void *ctx);
    int (*wait)(void *ctx);
    void (*mb)(void *ctx);
};

struct xs_handle *xs_open_ring(struct xenstore_domain_interface *ring,
                               const struct xs_ring_ops *ops);

/*
 * An xenstored in the same program, acting for @domid (0: privileged).
 * Requests are handled as they are written, so replies never need a wait;
 * @wait (may be NULL: then blocking for a watch event fails with
 * -XEN_EAGAIN) is called when a watch event is awaited.
 */
struct xsd;
struct xs_handle *xs_open_local(struct xsd *xsd, unsigned int domid,
                                int (*wait)(void *ctx), void *ctx);

void xs_close(struct xs_handle *h);

/* ---- the store ---------------------------------------------------------- */

/* Permissions as on the wire: entry 0 is the owner and the default. */
#define XS_PERM_NONE   0u
#define XS_PERM_READ   1u
#define XS_PERM_WRITE  2u
#define XS_PERM_BOTH   3u

struct xs_perm {
    unsigned int domid;
    unsigned int access;            /* XS_PERM_* */
};

/* *value gets the bytes plus a NUL not counted in *len (len may be NULL). */
int xs_read(struct xs_handle *h, uint32_t tx, const char *path,
            char **value, size_t *len);
int xs_write(struct xs_handle *h, uint32_t tx, const char *path,
             const void *value, size_t len);
int xs_mkdir(struct xs_handle *h, uint32_t tx, const char *path);
int xs_rm(struct xs_handle *h, uint32_t tx, const char *path);
/* *names: *num pointers then the strings, one allocation.  Long listings
 * are fetched with XS_DIRECTORY_PART. */
int xs_directory(struct xs_handle *h, uint32_t tx, const char *path,
                 char ***names, unsigned int *num);
int xs_get_perms(struct xs_handle *h, uint32_t tx, const char *path,
                 struct xs_perm **perms, unsigned int *num);
int xs_set_perms(struct xs_handle *h, uint32_t tx, const char *path,
                 const struct xs_perm *perms, unsigned int num);

/* ---- watches ------------------------------------------------------------ */

struct xs_watch_event {
    const char *path;
    const char *token;
};

int xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_unwatch(struct xs_handle *h, const char *path, const char *token);
int xs_reset_watches(struct xs_handle *h);
/*
 * The next queued watch event (free() it).  Without one: if @wait, block
 * for it; otherwise -XEN_EAGAIN.
 */
int xs_read_watch(struct xs_handle *h, struct xs_watch_event **ev,
                  bool wait);
unsigned int xs_queued_watches(const struct xs_handle *h);

/* ---- transactions ------------------------------------------------------- */

int xs_transaction_start(struct xs_handle *h, uint32_t *tx);
/* Commit (abort == false) or abort.  -XEN_EAGAIN: conflict, retry. */
int xs_transaction_end(struct xs_handle *h, uint32_t tx, bool abort);

/* ---- domains (privileged) ----------------------------------------------- */

int xs_introduce(struct xs_handle *h, unsigned int domid, uint64_t mfn,
                 unsigned int port);
int xs_release(struct xs_handle *h, unsigned int domid);
int xs_resume(struct xs_handle *h, unsigned int domid);
int xs_set_target(struct xs_handle *h, unsigned int domid,
                  unsigned int target);
int xs_is_domain_introduced(struct xs_handle *h, unsigned int domid,
                            bool *introduced);
int xs_get_domain_path(struct xs_handle *h, unsigned int domid,
                       char **path);
/* XS_CONTROL <cmd> [<arg>]; *reply (may be NULL) gets the answer. */
int xs_control(struct xs_handle *h, const char *cmd, const char *arg,
               char **reply);

/*
 * Any request: @len payload bytes as given.  The reply payload (plus a
 * NUL) goes to *reply if not NULL.  For types this library lacks.
 */
int xs_request(struct xs_handle *h, uint32_t type, uint32_t tx,
               const void *payload, size_t len, char **reply,
               size_t *rlen);

#endif /* KEEL_XS_H */
