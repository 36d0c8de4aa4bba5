/*
 * xenstored internals, shared by the files of tools/xenstored.
 *
 * Who owns what:
 *   util.c    strings, numbers, path syntax, error names, logging
 *   hmap.c    the string-keyed hash table used by the store and by
 *             transactions
 *   store.c   node records, the store, transaction views of it and the
 *             per-domain node counts
 *   node.c    the node operations (read, write, mkdir, rm, directory,
 *             permissions) with their permission and quota checks
 *   perms.c   permission strings and the access decision
 *   txn.c     transactions: start, end, commit
 *   watch.c   watches, pending events, firing
 *   conn.c    connections: input framing, output queue, local transport
 *   ring.c    the shared-ring transport of domain connections
 *   domain.c  introduce, release, shutdown, set_target, the daemon object
 *   wire.c    request decoding and the per-type handlers
 *
 * Single-threaded: nothing here locks.  Anything a guest sends is copied
 * out of the ring before it is looked at, and every length is checked
 * before it is used.
 */
#ifndef KEEL_XSD_PRIVATE_H
#define KEEL_XSD_PRIVATE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "xenstored.h"

#define XSD_HOME_PREFIX     "/local/domain/"
/* A canonical path buffer: absolute paths are at most this long. */
#define XSD_PATH_BUF        (XENSTORE_ABS_PATH_MAX + 1)

/* The special watch paths and their slots in xsd->special[]. */
#define XSD_SPECIAL_INTRODUCE   0
#define XSD_SPECIAL_RELEASE     1
#define XSD_NR_SPECIAL          2

/* Access bits.  OWNER is never stored: it is what the owner gets. */
#define XSD_PERM_NONE   0u
#define XSD_PERM_READ   1u
#define XSD_PERM_WRITE  2u
#define XSD_PERM_BOTH   (XSD_PERM_READ | XSD_PERM_WRITE)
#define XSD_PERM_OWNER  4u

/* One permission entry; entry 0 names the owner and everyone's default. */
struct xsd_perm {
    uint32_t domid;
    uint32_t access;                /* XSD_PERM_NONE/READ/WRITE/BOTH */
};

/*
 * A node's contents.  Records are immutable once stored and shared by
 * reference count, so a transaction can hold the version it first saw;
 * a change stores a new record.  One allocation holds the struct, the
 * permissions, the value and the children (leaf names, each followed by
 * a NUL, in creation order: the same byte list XS_DIRECTORY returns).
 */
struct xsd_rec {
    unsigned int refs;
    uint64_t gen;                   /* store generation when it was stored */
    uint32_t nr_perms;              /* >= 1 */
    uint32_t vlen;
    uint32_t clen;
    struct xsd_perm *perms;
    uint8_t *value;
    char *children;
};

/* ---- hmap.c ------------------------------------------------------------- */

struct xsd_hnode {
    struct xsd_hnode *next;
    uint32_t hash;
    char *key;                      /* owned by the node's container */
};

struct xsd_hmap {
    struct xsd_hnode **buckets;
    uint32_t nr_buckets;            /* a power of two */
    uint32_t count;
};

int xsd_hmap_init(struct xsd_hmap *m);
void xsd_hmap_fini(struct xsd_hmap *m);
struct xsd_hnode *xsd_hmap_get(const struct xsd_hmap *m, const char *key);
void xsd_hmap_insert(struct xsd_hmap *m, struct xsd_hnode *n);
void xsd_hmap_remove(struct xsd_hmap *m, struct xsd_hnode *n);
/* Any node, or NULL when empty (for draining a map). */
struct xsd_hnode *xsd_hmap_any(const struct xsd_hmap *m);
/* Iterate: *pos starts at 0; NULL at the end.  Do not insert meanwhile. */
struct xsd_hnode *xsd_hmap_next(const struct xsd_hmap *m,
                                const struct xsd_hnode *prev, uint32_t *pos);

/* ---- store.c ------------------------------------------------------------ */

/*
 * A path's slot in the store or in a transaction.  In the store @rec is
 * the node (NULL only for a slot reserved by xsd_db_reserve()).  In a
 * transaction @base is the store's record when the transaction first
 * touched the path (NULL: absent) and @rec what the transaction sees now.
 */
struct xsd_entry {
    struct xsd_hnode h;
    struct xsd_rec *rec;
    struct xsd_rec *base;
    bool modified;
};

/* Per-domain node count (owner = perms[0].domid). */
struct xsd_acct {
    unsigned int domid;
    unsigned int nodes;
};

struct xsd_rec *xsd_rec_new(const struct xsd_perm *perms, uint32_t nr_perms,
                            const void *value, uint32_t vlen,
                            const char *children, uint32_t clen);
void xsd_rec_get(struct xsd_rec *r);
void xsd_rec_put(struct xsd_rec *r);
struct xsd_rec *xsd_rec_with_value(const struct xsd_rec *r,
                                   const void *value, uint32_t vlen);
struct xsd_rec *xsd_rec_with_perms(const struct xsd_rec *r,
                                   const struct xsd_perm *perms, uint32_t n);
struct xsd_rec *xsd_rec_with_child(const struct xsd_rec *r, const char *leaf);
struct xsd_rec *xsd_rec_without_child(const struct xsd_rec *r,
                                      const char *leaf);
bool xsd_rec_has_child(const struct xsd_rec *r, const char *leaf);
size_t xsd_rec_size(const struct xsd_rec *r);
static inline unsigned int xsd_rec_owner(const struct xsd_rec *r)
{
    return r->perms[0].domid;
}

/*
 * The context of one operation: who asks, in which transaction, and where
 * the watch events it causes go (fired after the reply, or at commit).
 */
struct xsd_evlist;
struct xsd_ctx {
    struct xsd *xsd;
    struct xsd_conn *conn;          /* NULL: the daemon itself */
    struct xsd_txn *txn;            /* NULL: straight to the store */
    struct xsd_evlist *events;
};

int xsd_db_get(const struct xsd_ctx *c, const char *path,
               struct xsd_rec **rec);
int xsd_db_put(const struct xsd_ctx *c, const char *path,
               struct xsd_rec *rec);
void xsd_db_del(const struct xsd_ctx *c, const char *path);
int xsd_db_reserve(const struct xsd_ctx *c, const char *path);
void xsd_db_unreserve(const struct xsd_ctx *c, const char *path);
unsigned int xsd_db_nodes(const struct xsd_ctx *c, unsigned int domid);

int xsd_store_init(struct xsd *xsd);
void xsd_store_fini(struct xsd *xsd);
struct xsd_acct *xsd_acct_find(struct xsd *xsd, unsigned int domid,
                               bool create);
void xsd_store_forget_domain(struct xsd *xsd, unsigned int domid);
bool xsd_store_txn_clean(const struct xsd *xsd, const struct xsd_hmap *map);
int xsd_store_txn_prepare(struct xsd *xsd, const struct xsd_hmap *map);
void xsd_store_txn_apply(struct xsd *xsd, struct xsd_hmap *map);
void xsd_store_txn_free(struct xsd_hmap *map);

/* ---- perms.c ------------------------------------------------------------ */

unsigned int xsd_perm_for(const struct xsd_conn *conn,
                          const struct xsd_perm *perms, uint32_t n);
int xsd_perm_parse(const char *s, struct xsd_perm *p);
int xsd_perm_format(const struct xsd_perm *p, char *buf, size_t len);

/* ---- node.c ------------------------------------------------------------- */

int xsd_node_lookup(const struct xsd_ctx *c, const char *path,
                    unsigned int want, struct xsd_rec **rec);
int xsd_node_write(const struct xsd_ctx *c, const char *path,
                   const void *value, uint32_t vlen);
int xsd_node_mkdir(const struct xsd_ctx *c, const char *path);
int xsd_node_rm(const struct xsd_ctx *c, const char *path);
int xsd_node_set_perms(const struct xsd_ctx *c, const char *path,
                       const struct xsd_perm *perms, uint32_t n);

/* ---- txn.c -------------------------------------------------------------- */

struct xsd_txn;
struct xsd_txn *xsd_txn_find(const struct xsd_conn *conn, uint32_t id);
int xsd_txn_start(struct xsd_conn *conn, uint32_t *id);
int xsd_txn_end(struct xsd_conn *conn, struct xsd_txn *t, bool do_commit,
                struct xsd_evlist *fire);
void xsd_txn_drop_all(struct xsd_conn *conn);
struct xsd_hmap *xsd_txn_map(struct xsd_txn *t);
unsigned int xsd_txn_entries(const struct xsd_txn *t);
struct xsd_evlist *xsd_txn_events(struct xsd_txn *t);

/* ---- watch.c ------------------------------------------------------------ */

struct xsd_event {
    struct xsd_event *next;
    bool rm;                        /* subtree removal: children fire too */
    uint32_t nr_perms;              /* who may see it: the node's perms */
    struct xsd_perm *perms;
    char path[];
};

struct xsd_evlist {
    struct xsd_event *head;
    struct xsd_event **tail;
};

struct xsd_watch {
    struct xsd_watch *next;
    char *path;                     /* absolute, or "@..." */
    char *token;
    bool relative;                  /* given relative: events are too */
};

void xsd_evlist_init(struct xsd_evlist *l);
void xsd_evlist_add(struct xsd_evlist *l, const char *path, bool rm,
                    const struct xsd_rec *r);
void xsd_evlist_fire(struct xsd *xsd, struct xsd_evlist *l);
void xsd_evlist_free(struct xsd_evlist *l);
int xsd_watch_add(struct xsd_conn *conn, const char *path, bool relative,
                  const char *token, struct xsd_watch **out);
int xsd_watch_del(struct xsd_conn *conn, const char *path,
                  const char *token);
void xsd_watch_drop_all(struct xsd_conn *conn);
void xsd_watch_send(struct xsd_conn *conn, const struct xsd_watch *w,
                    const char *path);
void xsd_watch_fire_special(struct xsd *xsd, unsigned int which,
                            unsigned int domid);

/* ---- conn.c ------------------------------------------------------------- */

enum xsd_conn_kind {
    XSD_CONN_LOCAL,
    XSD_CONN_RING,
};

/* A queued outgoing message: header and payload, ready to copy out. */
struct xsd_msg {
    struct xsd_msg *next;
    bool reply;                     /* counts against "outstanding" */
    uint32_t len;
    uint8_t data[];
};

struct xsd_conn {
    struct xsd *xsd;
    struct xsd_conn *next;
    enum xsd_conn_kind kind;
    unsigned int domid;
    bool privileged;                /* dom0: no permission or quota checks */
    bool has_target;                /* XS_SET_TARGET: acts for target too */
    unsigned int target;
    bool dead;                      /* released; freed by xsd_reap() */
    bool bad;                       /* broke the protocol: ignored */
    bool shutdown_reported;         /* @releaseDomain sent for shutdown */

    /* Ring connections only. */
    struct xenstore_domain_interface *ring;
    uint64_t mfn;
    unsigned int remote_port;
    unsigned int local_port;

    /* Input: a header, then its payload, accumulated across calls. */
    uint8_t in_hdr[sizeof(struct xsd_sockmsg)];
    struct xsd_sockmsg hdr;         /* decoded once in_hdr is full */
    bool in_body;
    uint32_t in_used;
    char *in_buf;                   /* XENSTORE_PAYLOAD_MAX + 1 */

    /* Output queue. */
    struct xsd_msg *out_head;
    struct xsd_msg *out_tail;
    uint32_t out_off;               /* bytes of out_head already sent */
    unsigned int out_replies;
    size_t out_bytes;
    unsigned long events_dropped;

    struct xsd_watch *watches;
    unsigned int nr_watches;
    struct xsd_txn *txns;
    unsigned int nr_txns;
    uint32_t next_txid;
};

struct xsd_conn *xsd_conn_new(struct xsd *xsd, enum xsd_conn_kind kind,
                              unsigned int domid);
void xsd_conn_kill(struct xsd_conn *conn);
void xsd_conn_reset(struct xsd_conn *conn);
void xsd_conn_bad(struct xsd_conn *conn, uint32_t ring_error,
                  const char *why);
void *xsd_conn_in_space(struct xsd_conn *conn, size_t *len);
void xsd_conn_in_commit(struct xsd_conn *conn, size_t len);
int xsd_conn_send(struct xsd_conn *conn, uint32_t type, uint32_t req_id,
                  uint32_t tx_id, const void *p1, size_t l1,
                  const void *p2, size_t l2, bool reply);
void xsd_conn_sent(struct xsd_conn *conn, size_t len);
void xsd_reap(struct xsd *xsd);

/* ---- domain.c ----------------------------------------------------------- */

struct xsd {
    struct xsd_ops ops;
    struct xsd_quota quota;

    struct xsd_hmap store;          /* path -> struct xsd_entry */
    uint64_t gen;
    struct xsd_acct *acct;
    unsigned int nr_acct;
    unsigned int max_acct;

    struct xsd_conn *conns;
    unsigned int busy;              /* > 0: do not free dead connections */

    /* Permissions of @introduceDomain and @releaseDomain. */
    struct xsd_perm *special[XSD_NR_SPECIAL];
    uint32_t nr_special[XSD_NR_SPECIAL];

    char reply[XENSTORE_PAYLOAD_MAX];
};

struct xsd_conn *xsd_domain_conn(const struct xsd *xsd, unsigned int domid);
int xsd_domain_introduce(struct xsd *xsd, unsigned int domid, uint64_t mfn,
                         unsigned int port);
int xsd_domain_release(struct xsd *xsd, unsigned int domid);
int xsd_domain_resume(struct xsd *xsd, unsigned int domid);
int xsd_domain_set_target(struct xsd *xsd, unsigned int domid,
                          unsigned int target);
int xsd_special_index(const char *path);

/* ---- wire.c ------------------------------------------------------------- */

void xsd_wire_handle(struct xsd_conn *conn, const struct xsd_sockmsg *hdr,
                     char *payload);

/* ---- util.c ------------------------------------------------------------- */

const char *xsd_errname(int err);
void xsd_log(struct xsd *xsd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *xsd_strdup(const char *s);
const void *xsd_memchr(const void *p, int c, size_t n);
bool xsd_parse_uint(const char *s, uint64_t max, uint64_t *out);
bool xsd_parse_domid(const char *s, unsigned int *domid);
size_t xsd_home_len(const char *path);
bool xsd_path_valid(const struct xsd *xsd, const char *path);
int xsd_canonical(const struct xsd_conn *conn, const char *in, char *out);
bool xsd_path_is_child(const char *child, const char *parent);
char *xsd_path_join(const char *dir, const char *leaf);
const char *xsd_path_leaf(const char *path);
bool xsd_path_parent(const char *path, char *out);

#endif /* KEEL_XSD_PRIVATE_H */
