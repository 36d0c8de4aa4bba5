/*
 * Keel public ABI: the xenstore wire protocol and ring page.
 *
 * A message is a struct xsd_sockmsg header followed by @len bytes of
 * payload, usually NUL-terminated strings.  The same format is used on the
 * shared ring page of a domain (start_info.store_mfn, grant reference
 * GNTTAB_RESERVED_XENSTORE, event channel start_info.store_evtchn) and on
 * xenstored's local socket.  Replies echo req_id and tx_id; a failed
 * request gets an XS_ERROR reply whose payload is an errno name such as
 * "ENOENT".  Numbers and layouts are Xen 4.17's.
 */
#ifndef KEEL_PUBLIC_IO_XS_WIRE_H
#define KEEL_PUBLIC_IO_XS_WIRE_H

#include "../xen.h"
#include "../errno.h"

enum xsd_sockmsg_type {
    XS_CONTROL              = 0,    /* xenstored control commands */
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY            = 1,    /* list children of a node */
    XS_READ                 = 2,    /* read a node's value */
    XS_GET_PERMS            = 3,    /* read a node's permissions */
    XS_WATCH                = 4,    /* path, token: watch a subtree */
    XS_UNWATCH              = 5,    /* path, token: remove a watch */
    XS_TRANSACTION_START    = 6,    /* reply: transaction id */
    XS_TRANSACTION_END      = 7,    /* "T" commit or "F" abort */
    XS_INTRODUCE            = 8,    /* domid, mfn, port: new domain ring */
    XS_RELEASE              = 9,    /* domid: forget a domain */
    XS_GET_DOMAIN_PATH      = 10,   /* domid -> "/local/domain/<domid>" */
    XS_WRITE                = 11,   /* path, value */
    XS_MKDIR                = 12,   /* create a node */
    XS_RM                   = 13,   /* remove a subtree */
    XS_SET_PERMS            = 14,   /* path, permissions */
    XS_WATCH_EVENT          = 15,   /* server -> client: path, token */
    XS_ERROR                = 16,   /* reply: errno name */
    XS_IS_DOMAIN_INTRODUCED = 17,   /* domid -> "T" or "F" */
    XS_RESUME               = 18,   /* domid: clear its shutdown state */
    XS_SET_TARGET           = 19,   /* domid, target: device model rights */
    /* 20 was XS_RESTRICT, removed */
    XS_RESET_WATCHES        = 21,   /* drop all the caller's watches */
    XS_DIRECTORY_PART       = 22,   /* path, offset: part of a listing */
    XS_TYPE_COUNT           = 23,   /* number of types */
    XS_INVALID              = 0xffff    /* never a valid type */
};

/* Legacy flags for XS_WRITE. */
#define XS_WRITE_NONE         "NONE"
#define XS_WRITE_CREATE       "CREATE"
#define XS_WRITE_CREATE_EXCL  "CREATE|EXCL"

/*
 * Error names that may appear in an XS_ERROR reply, with the errno each
 * stands for (XEN_E* values, i.e. x86 Linux numbers).  New names are only
 * ever appended.
 */
#define XSD_ERROR_LIST(X)           \
    X(EINVAL,    XEN_EINVAL)        \
    X(EACCES,    XEN_EACCES)        \
    X(EEXIST,    XEN_EEXIST)        \
    X(EISDIR,    XEN_EISDIR)        \
    X(ENOENT,    XEN_ENOENT)        \
    X(ENOMEM,    XEN_ENOMEM)        \
    X(ENOSPC,    XEN_ENOSPC)        \
    X(EIO,       XEN_EIO)           \
    X(ENOTEMPTY, XEN_ENOTEMPTY)     \
    X(ENOSYS,    XEN_ENOSYS)        \
    X(EROFS,     XEN_EROFS)         \
    X(EBUSY,     XEN_EBUSY)         \
    X(EAGAIN,    XEN_EAGAIN)        \
    X(EISCONN,   XEN_EISCONN)       \
    X(E2BIG,     XEN_E2BIG)         \
    X(EPERM,     XEN_EPERM)

struct xsd_errors {
    int errnum;                 /* XEN_E* value */
    const char *errstring;      /* name sent on the wire */
};

#define XSD_ERROR_ENTRY_(name, num) { num, #name },
static const struct xsd_errors xsd_errors[] __attribute__((__unused__)) = {
    XSD_ERROR_LIST(XSD_ERROR_ENTRY_)
};
#undef XSD_ERROR_ENTRY_

struct xsd_sockmsg {
    uint32_t type;              /* enum xsd_sockmsg_type */
    uint32_t req_id;            /* chosen by the client, echoed */
    uint32_t tx_id;             /* transaction, 0 = none */
    uint32_t len;               /* payload bytes after this header */
};
XEN_ABI_CHECK_SIZE(struct xsd_sockmsg, 16);
XEN_ABI_CHECK_OFFSET(struct xsd_sockmsg, len, 12);

/* Payload order of an XS_WATCH_EVENT. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

/*
 * The ring page.  @req carries requests from the domain to xenstored, @rsp
 * replies and watch events back; indices grow freely and are masked with
 * MASK_XENSTORE_IDX().  Producer and consumer follow the same barrier and
 * notify rules as the console ring.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* domain -> xenstored */
    char rsp[XENSTORE_RING_SIZE];   /* xenstored -> domain */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;       /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;            /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;                 /* XENSTORE_ERROR_* */
};
XEN_ABI_CHECK_SIZE(struct xenstore_domain_interface, 2076);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, rsp, 1024);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, req_cons, 2048);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, req_prod, 2052);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, rsp_cons, 2056);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, rsp_prod, 2060);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, server_features, 2064);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, connection, 2068);
XEN_ABI_CHECK_OFFSET(struct xenstore_domain_interface, error, 2072);

/* Largest payload of one message: exceeding it breaks the connection. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longest paths: exceeding them only fails the request. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* connection field works */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* error field works */

/* connection values */
#define XENSTORE_CONNECTED 0        /* normal operation */
#define XENSTORE_RECONNECT 1        /* guest asks to reset the ring */

/* error values */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1    /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2    /* invalid ring index */
#define XENSTORE_ERROR_PROTO   3    /* protocol violation (too long) */

#endif /* KEEL_PUBLIC_IO_XS_WIRE_H */
