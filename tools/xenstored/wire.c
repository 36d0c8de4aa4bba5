/*
 * The wire protocol: decode a request, check it, run it, reply.
 *
 * Each message type has one entry in wire_ops[] with its handler and
 * flags (privileged only; tx_id ignored).  The dispatcher resolves the
 * transaction, checks privilege, calls the handler and sends either the
 * reply (same type, req_id and tx_id) or XS_ERROR with the errno name
 * from public/io/xs_wire.h.  Unknown types are EINVAL.  Only after the
 * reply is queued do the watch events the request caused fire, so
 * clients see replies first (the initial event of a new watch as well).
 *
 * Payloads are strings each ended by a NUL (xenstore.txt).  conn.c put an
 * extra NUL after the payload, but an argument only counts if its own NUL
 * lies inside the payload: a request whose last string is unterminated,
 * or with more or fewer strings than the type takes, is EINVAL.  Values
 * (XS_WRITE) are binary and run to the end of the payload.  A reply that
 * would exceed XENSTORE_PAYLOAD_MAX is E2BIG (XS_DIRECTORY_PART exists
 * for long directories).
 */
#include "xsd_private.h"

#define WIRE_PRIV   0x1u            /* privileged connections only: EACCES */
#define WIRE_NOTID  0x2u            /* tx_id is ignored */

#define MAX_ARGS    4

struct req {
    struct xsd *xsd;
    struct xsd_conn *conn;
    const struct xsd_sockmsg *hdr;
    const char *payload;
    uint32_t len;
    struct xsd_ctx ctx;
    struct xsd_evlist events;       /* fired after the reply */
    char *reply;
    uint32_t rlen;
    bool overflow;
    struct xsd_watch *new_watch;    /* gets its first event after the reply */
    char path[XSD_PATH_BUF];
};

/* ---- arguments and replies --------------------------------------------- */

/*
 * Split the payload into up to @max NUL-ended strings.  Returns how many
 * were found; *@used is how many payload bytes they cover.
 */
static unsigned int split(const struct req *rq, const char **argv,
                          unsigned int max, uint32_t *used)
{
    uint32_t off = 0;
    unsigned int n = 0;

    while ( n < max && off < rq->len )
    {
        const char *nul = xsd_memchr(rq->payload + off, 0, rq->len - off);

        if ( !nul )
            break;
        argv[n++] = rq->payload + off;
        off = (uint32_t)(nul - rq->payload) + 1;
    }
    *used = off;
    return n;
}

/* Exactly @n strings, filling the payload. */
static bool args_exact(const struct req *rq, const char **argv,
                       unsigned int n)
{
    uint32_t used;

    return split(rq, argv, n, &used) == n && used == rq->len;
}

/* At least @n strings; anything after them is ignored (WATCH's "?"). */
static bool args_atleast(const struct req *rq, const char **argv,
                         unsigned int n)
{
    uint32_t used;

    return split(rq, argv, n, &used) == n;
}

static void put(struct req *rq, const void *data, size_t len)
{
    if ( rq->overflow || len > XENSTORE_PAYLOAD_MAX - rq->rlen )
    {
        rq->overflow = true;
        return;
    }
    memcpy(rq->reply + rq->rlen, data, len);
    rq->rlen += (uint32_t)len;
}

static void put_str(struct req *rq, const char *s)
{
    put(rq, s, strlen(s) + 1);
}

static int ok(struct req *rq)
{
    put_str(rq, "OK");
    return 0;
}

/* One path argument, made absolute into rq->path. */
static int path_arg(struct req *rq, const char *arg)
{
    return xsd_canonical(rq->conn, arg, rq->path);
}

static int one_path(struct req *rq)
{
    const char *argv[1];

    if ( !args_exact(rq, argv, 1) )
        return XEN_EINVAL;
    return path_arg(rq, argv[0]);
}

static int one_domid(struct req *rq, unsigned int *domid, bool allow_dom0)
{
    const char *argv[1];

    if ( !args_exact(rq, argv, 1) || !xsd_parse_domid(argv[0], domid) )
        return XEN_EINVAL;
    return (*domid == 0 && !allow_dom0) ? XEN_EINVAL : 0;
}

/* ---- the store ---------------------------------------------------------- */

static int do_read(struct req *rq)
{
    struct xsd_rec *r;
    int rc = one_path(rq);

    if ( !rc )
        rc = xsd_node_lookup(&rq->ctx, rq->path, XSD_PERM_READ, &r);
    if ( !rc )
        put(rq, r->value, r->vlen);
    return rc;
}

static int do_write(struct req *rq)
{
    const char *nul = xsd_memchr(rq->payload, 0, rq->len);
    uint32_t off;
    int rc;

    if ( !nul )
        return XEN_EINVAL;
    rc = path_arg(rq, rq->payload);
    if ( rc )
        return rc;
    off = (uint32_t)(nul - rq->payload) + 1;
    rc = xsd_node_write(&rq->ctx, rq->path, rq->payload + off,
                        rq->len - off);
    return rc ? rc : ok(rq);
}

static int do_mkdir(struct req *rq)
{
    int rc = one_path(rq);

    if ( !rc )
        rc = xsd_node_mkdir(&rq->ctx, rq->path);
    return rc ? rc : ok(rq);
}

static int do_rm(struct req *rq)
{
    int rc = one_path(rq);

    if ( !rc )
        rc = xsd_node_rm(&rq->ctx, rq->path);
    return rc ? rc : ok(rq);
}

static int do_directory(struct req *rq)
{
    struct xsd_rec *r;
    int rc = one_path(rq);

    if ( !rc )
        rc = xsd_node_lookup(&rq->ctx, rq->path, XSD_PERM_READ, &r);
    if ( rc )
        return rc;
    if ( r->clen > XENSTORE_PAYLOAD_MAX )
        return XEN_E2BIG;
    put(rq, r->children, r->clen);
    return 0;
}

/*
 * "<gencnt>\0" then the names from byte @offset of the child list that
 * fit; an extra empty string marks that the list is complete.
 */
static int do_directory_part(struct req *rq)
{
    const char *argv[2];
    struct xsd_rec *r;
    char gen[24];
    uint64_t offset;
    uint32_t off, end;
    int rc;

    if ( !args_exact(rq, argv, 2) ||
         !xsd_parse_uint(argv[1], UINT32_MAX, &offset) )
        return XEN_EINVAL;
    rc = path_arg(rq, argv[0]);
    if ( !rc )
        rc = xsd_node_lookup(&rq->ctx, rq->path, XSD_PERM_READ, &r);
    if ( rc )
        return rc;
    off = (uint32_t)offset;
    if ( off > r->clen || (off > 0 && r->children[off - 1] != '\0') )
        return XEN_EINVAL;

    snprintf(gen, sizeof(gen), "%llu", (unsigned long long)r->gen);
    put_str(rq, gen);
    for ( end = off; end < r->clen; )
    {
        uint32_t n = (uint32_t)strlen(r->children + end) + 1;

        /* Keep one byte for the end marker. */
        if ( rq->rlen + (end - off) + n > XENSTORE_PAYLOAD_MAX - 1 )
            break;
        end += n;
    }
    put(rq, r->children + off, end - off);
    if ( end == r->clen )
        put(rq, "", 1);
    return 0;
}

static int do_get_perms(struct req *rq)
{
    const char *argv[1];
    const struct xsd_perm *perms;
    uint32_t n, i;
    struct xsd_rec *r;
    int rc, sp;

    if ( !args_exact(rq, argv, 1) )
        return XEN_EINVAL;
    if ( argv[0][0] == '@' )
    {
        if ( (sp = xsd_special_index(argv[0])) < 0 )
            return XEN_ENOENT;
        perms = rq->xsd->special[sp];
        n = rq->xsd->nr_special[sp];
        if ( !(xsd_perm_for(rq->conn, perms, n) & XSD_PERM_READ) )
            return XEN_EACCES;
    }
    else
    {
        rc = path_arg(rq, argv[0]);
        if ( !rc )
            rc = xsd_node_lookup(&rq->ctx, rq->path, XSD_PERM_READ, &r);
        if ( rc )
            return rc;
        perms = r->perms;
        n = r->nr_perms;
    }
    for ( i = 0; i < n; i++ )
    {
        char buf[16];

        if ( xsd_perm_format(&perms[i], buf, sizeof(buf)) < 0 )
            return XEN_EINVAL;
        put_str(rq, buf);
    }
    return 0;
}

/* The special nodes follow the node rules; on success @perms is theirs. */
static int set_special_perms(struct req *rq, const char *name,
                             struct xsd_perm *perms, uint32_t n)
{
    const unsigned int need = XSD_PERM_WRITE | XSD_PERM_OWNER;
    struct xsd *xsd = rq->xsd;
    int sp = xsd_special_index(name);

    if ( sp < 0 )
        return XEN_ENOENT;
    if ( (xsd_perm_for(rq->conn, xsd->special[sp], xsd->nr_special[sp]) &
          need) != need )
        return XEN_EACCES;
    if ( !rq->conn->privileged && perms[0].domid != xsd->special[sp][0].domid )
        return XEN_EPERM;
    free(xsd->special[sp]);
    xsd->special[sp] = perms;
    xsd->nr_special[sp] = n;
    return 0;
}

static int do_set_perms(struct req *rq)
{
    const char *argv[1];
    struct xsd_perm *perms;
    uint32_t used, off, n = 0, i;
    int rc;

    /* The path, then one or more permissions, every one NUL-ended. */
    if ( split(rq, argv, 1, &used) != 1 )
        return XEN_EINVAL;
    for ( off = used; off < rq->len; n++ )
    {
        const char *nul = xsd_memchr(rq->payload + off, 0, rq->len - off);

        if ( !nul )
            return XEN_EINVAL;
        off = (uint32_t)(nul - rq->payload) + 1;
    }
    if ( n == 0 )
        return XEN_EINVAL;
    if ( !rq->conn->privileged && n > rq->xsd->quota.perms_per_node )
        return XEN_ENOSPC;

    perms = malloc(n * sizeof(*perms));
    if ( !perms )
        return XEN_ENOMEM;
    for ( i = 0, off = used; i < n; i++ )
    {
        const char *s = rq->payload + off;

        rc = xsd_perm_parse(s, &perms[i]);
        if ( rc )
            goto out;
        off += (uint32_t)strlen(s) + 1;
    }

    if ( argv[0][0] == '@' )
    {
        rc = set_special_perms(rq, argv[0], perms, n);
        if ( !rc )
            return ok(rq);          /* the array now belongs to the node */
        goto out;
    }
    rc = path_arg(rq, argv[0]);
    if ( !rc )
        rc = xsd_node_set_perms(&rq->ctx, rq->path, perms, n);
    if ( !rc )
        ok(rq);
 out:
    free(perms);
    return rc;
}

/* ---- watches ------------------------------------------------------------ */

/* A watch path: "@special" as it is, anything else made absolute. */
static int watch_path(struct req *rq, const char *arg, bool *relative)
{
    size_t len = strlen(arg);

    *relative = false;
    if ( arg[0] == '@' )
    {
        if ( len > XENSTORE_REL_PATH_MAX )
            return XEN_EINVAL;
        memcpy(rq->path, arg, len + 1);
        return 0;
    }
    *relative = arg[0] != '/';
    return path_arg(rq, arg);
}

static int do_watch(struct req *rq)
{
    const char *argv[2];
    bool relative;
    int rc;

    if ( !args_atleast(rq, argv, 2) )
        return XEN_EINVAL;
    rc = watch_path(rq, argv[0], &relative);
    if ( !rc )
        rc = xsd_watch_add(rq->conn, rq->path, relative, argv[1],
                           &rq->new_watch);
    return rc ? rc : ok(rq);
}

static int do_unwatch(struct req *rq)
{
    const char *argv[2];
    bool relative;
    int rc;

    if ( !args_atleast(rq, argv, 2) )
        return XEN_EINVAL;
    rc = watch_path(rq, argv[0], &relative);
    if ( !rc )
        rc = xsd_watch_del(rq->conn, rq->path, argv[1]);
    return rc ? rc : ok(rq);
}

static int do_reset_watches(struct req *rq)
{
    xsd_watch_drop_all(rq->conn);
    xsd_txn_drop_all(rq->conn);
    rq->ctx.txn = NULL;
    return ok(rq);
}

/* ---- transactions ------------------------------------------------------- */

static int do_transaction_start(struct req *rq)
{
    char id[16];
    uint32_t tid;
    int rc;

    if ( rq->ctx.txn )
        return XEN_EBUSY;           /* no nested transactions */
    rc = xsd_txn_start(rq->conn, &tid);
    if ( rc )
        return rc;
    snprintf(id, sizeof(id), "%u", (unsigned int)tid);
    put_str(rq, id);
    return 0;
}

static int do_transaction_end(struct req *rq)
{
    const char *argv[1];
    bool commit;
    int rc;

    if ( !args_exact(rq, argv, 1) )
        return XEN_EINVAL;
    if ( !strcmp(argv[0], "T") )
        commit = true;
    else if ( !strcmp(argv[0], "F") )
        commit = false;
    else
        return XEN_EINVAL;
    if ( !rq->ctx.txn )
        return XEN_ENOENT;
    rc = xsd_txn_end(rq->conn, rq->ctx.txn, commit, &rq->events);
    rq->ctx.txn = NULL;
    return rc ? rc : ok(rq);
}

/* ---- domains ------------------------------------------------------------ */

static int do_introduce(struct req *rq)
{
    const char *argv[3];
    unsigned int domid;
    uint64_t mfn, port;
    int rc;

    if ( !args_atleast(rq, argv, 3) || !xsd_parse_domid(argv[0], &domid) ||
         domid == 0 || !xsd_parse_uint(argv[1], UINT64_MAX, &mfn) ||
         !xsd_parse_uint(argv[2], INT32_MAX, &port) )
        return XEN_EINVAL;
    rc = xsd_domain_introduce(rq->xsd, domid, mfn, (unsigned int)port);
    return rc ? rc : ok(rq);
}

static int do_release(struct req *rq)
{
    unsigned int domid;
    int rc = one_domid(rq, &domid, false);

    if ( !rc )
        rc = xsd_domain_release(rq->xsd, domid);
    return rc ? rc : ok(rq);
}

static int do_resume(struct req *rq)
{
    unsigned int domid;
    int rc = one_domid(rq, &domid, false);

    if ( !rc )
        rc = xsd_domain_resume(rq->xsd, domid);
    return rc ? rc : ok(rq);
}

static int do_get_domain_path(struct req *rq)
{
    char path[32];
    unsigned int domid;
    int rc = one_domid(rq, &domid, true);

    if ( rc )
        return rc;
    snprintf(path, sizeof(path), XSD_HOME_PREFIX "%u", domid);
    put_str(rq, path);
    return 0;
}

static int do_is_domain_introduced(struct req *rq)
{
    unsigned int domid;
    int rc = one_domid(rq, &domid, true);

    if ( rc )
        return rc;
    put_str(rq, xsd_domain_introduced(rq->xsd, domid) ? "T" : "F");
    return 0;
}

static int do_set_target(struct req *rq)
{
    const char *argv[2];
    unsigned int domid, target;
    int rc;

    if ( !args_exact(rq, argv, 2) || !xsd_parse_domid(argv[0], &domid) ||
         !xsd_parse_domid(argv[1], &target) || domid == 0 )
        return XEN_EINVAL;
    rc = xsd_domain_set_target(rq->xsd, domid, target);
    return rc ? rc : ok(rq);
}

/* A minimal XS_CONTROL: enough for "xenstore-control help" and checks. */
static int do_control(struct req *rq)
{
    const char *argv[2];
    uint32_t used;
    unsigned int n = split(rq, argv, 2, &used);
    char text[256];
    const struct xsd_quota *q = &rq->xsd->quota;

    if ( n == 0 )
        return XEN_EINVAL;
    if ( !strcmp(argv[0], "help") )
    {
        put_str(rq, "check\nhelp\nprint <string>\nquota\n");
        return 0;
    }
    if ( !strcmp(argv[0], "check") )
        return ok(rq);
    if ( !strcmp(argv[0], "print") && n == 2 )
    {
        xsd_log(rq->xsd, "%s", argv[1]);
        return ok(rq);
    }
    if ( !strcmp(argv[0], "quota") )
    {
        snprintf(text, sizeof(text),
                 "nodes %u\nwatches %u\ntransactions %u\nnode-size %u\n"
                 "permissions %u\npath-max %u\ntransaction-nodes %u\n"
                 "outstanding %u\n",
                 q->nodes_per_domain, q->watches_per_conn, q->txns_per_conn,
                 q->node_size, q->perms_per_node, q->path_max, q->txn_nodes,
                 q->outstanding);
        put_str(rq, text);
        return 0;
    }
    return XEN_EINVAL;
}

/* ---- dispatch ----------------------------------------------------------- */

struct wire_op {
    int (*fn)(struct req *rq);
    unsigned int flags;
};

static const struct wire_op wire_ops[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { do_control,              WIRE_PRIV },
    [XS_DIRECTORY]            = { do_directory,            0 },
    [XS_READ]                 = { do_read,                 0 },
    [XS_GET_PERMS]            = { do_get_perms,            0 },
    [XS_WATCH]                = { do_watch,                WIRE_NOTID },
    [XS_UNWATCH]              = { do_unwatch,              WIRE_NOTID },
    [XS_TRANSACTION_START]    = { do_transaction_start,    0 },
    [XS_TRANSACTION_END]      = { do_transaction_end,      0 },
    [XS_INTRODUCE]            = { do_introduce,            WIRE_PRIV },
    [XS_RELEASE]              = { do_release,              WIRE_PRIV },
    [XS_GET_DOMAIN_PATH]      = { do_get_domain_path,      0 },
    [XS_WRITE]                = { do_write,                0 },
    [XS_MKDIR]                = { do_mkdir,                0 },
    [XS_RM]                   = { do_rm,                   0 },
    [XS_SET_PERMS]            = { do_set_perms,            0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, WIRE_PRIV },
    [XS_RESUME]               = { do_resume,               WIRE_PRIV },
    [XS_SET_TARGET]           = { do_set_target,           WIRE_PRIV },
    [XS_RESET_WATCHES]        = { do_reset_watches,        WIRE_NOTID },
    [XS_DIRECTORY_PART]       = { do_directory_part,       0 },
};

void xsd_wire_handle(struct xsd_conn *conn, const struct xsd_sockmsg *hdr,
                     char *payload)
{
    struct xsd *xsd = conn->xsd;
    const struct wire_op *op = NULL;
    struct req *rq;
    int rc = 0;

    rq = calloc(1, sizeof(*rq));
    if ( !rq )
    {
        static const char enomem[] = "ENOMEM";

        xsd_conn_send(conn, XS_ERROR, hdr->req_id, hdr->tx_id, enomem,
                      sizeof(enomem), NULL, 0, true);
        return;
    }
    rq->xsd = xsd;
    rq->conn = conn;
    rq->hdr = hdr;
    rq->payload = payload;
    rq->len = hdr->len;
    rq->reply = xsd->reply;
    xsd_evlist_init(&rq->events);
    rq->ctx.xsd = xsd;
    rq->ctx.conn = conn;

    xsd->busy++;
    if ( hdr->type < XS_TYPE_COUNT )
        op = &wire_ops[hdr->type];
    if ( !op || !op->fn )
        rc = XEN_EINVAL;
    else if ( (op->flags & WIRE_PRIV) && !conn->privileged )
        rc = XEN_EACCES;
    else if ( !(op->flags & WIRE_NOTID) && hdr->tx_id &&
              !(rq->ctx.txn = xsd_txn_find(conn, hdr->tx_id)) )
        rc = XEN_ENOENT;
    if ( !rc )
    {
        rq->ctx.events = rq->ctx.txn ? xsd_txn_events(rq->ctx.txn)
                                     : &rq->events;
        rc = op->fn(rq);
    }
    if ( !rc && rq->overflow )
        rc = XEN_E2BIG;

    if ( rc )
    {
        const char *name = xsd_errname(rc);

        xsd_conn_send(conn, XS_ERROR, hdr->req_id, hdr->tx_id, name,
                      strlen(name) + 1, NULL, 0, true);
    }
    else
        xsd_conn_send(conn, hdr->type, hdr->req_id, hdr->tx_id, rq->reply,
                      rq->rlen, NULL, 0, true);
    if ( !rc && rq->new_watch )
        xsd_watch_send(conn, rq->new_watch, rq->new_watch->path);
    xsd_evlist_fire(xsd, &rq->events);
    xsd->busy--;
    free(rq);
}
