/*
 * libxs core: requests, replies, watch events, and the operations.
 *
 * One request is outstanding at a time per handle.  A request is built
 * in full (header and payload, at most XENSTORE_PAYLOAD_MAX bytes of
 * payload: longer ones fail with -XEN_E2BIG before anything is sent,
 * because xenstored would drop the connection), written through the
 * transport, and then messages are read until the reply with its req_id
 * comes: watch events met on the way are queued, stray replies (to a
 * request abandoned after a transport error) are dropped.  A message from
 * the daemon longer than XENSTORE_PAYLOAD_MAX breaks the handle.
 *
 * The transport is a byte stream (struct xs_stream_ops); xs_ring.c and
 * xs_local.c adapt the ring page and the in-process daemon to it.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "xs.h"

struct queued_event {
    struct xs_watch_event ev;       /* first: free(&ev) frees it all */
    struct queued_event *next;
    char data[];
};

struct xs_handle {
    struct xs_stream_ops ops;
    void *ctx;
    bool broken;
    uint32_t next_req_id;

    /* The message being received. */
    uint8_t rhdr[sizeof(struct xsd_sockmsg)];
    struct xsd_sockmsg hdr;
    bool rbody;
    uint32_t rhave;
    char *rbuf;                     /* XENSTORE_PAYLOAD_MAX + 1 */

    struct queued_event *ev_head;
    struct queued_event *ev_tail;
    unsigned int nr_events;
};

struct xs_handle *xs_open_stream(const struct xs_stream_ops *ops, void *ctx)
{
    struct xs_handle *h = calloc(1, sizeof(*h));

    if ( !h )
        return NULL;
    h->rbuf = malloc(XENSTORE_PAYLOAD_MAX + 1);
    if ( !h->rbuf )
    {
        free(h);
        return NULL;
    }
    h->ops = *ops;
    h->ctx = ctx;
    h->next_req_id = 1;
    return h;
}

void xs_close(struct xs_handle *h)
{
    if ( !h )
        return;
    while ( h->ev_head )
    {
        struct queued_event *q = h->ev_head;

        h->ev_head = q->next;
        free(q);
    }
    if ( h->ops.close )
        h->ops.close(h->ctx);
    free(h->rbuf);
    free(h);
}

/* ---- transport ---------------------------------------------------------- */

static int fail(struct xs_handle *h, int rc)
{
    if ( rc == -XEN_EIO )
        h->broken = true;
    return rc;
}

static int send_all(struct xs_handle *h, const uint8_t *p, size_t len)
{
    while ( len )
    {
        long n = h->ops.write(h->ctx, p, len);

        if ( n < 0 )
            return fail(h, (int)n);
        if ( (size_t)n > len )
            return fail(h, -XEN_EIO);
        if ( n == 0 )
        {
            int rc = h->ops.wait(h->ctx);

            if ( rc < 0 )
                return rc;
            continue;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Read until one whole message is in h->hdr/h->rbuf: 1.  Nothing more to
 * read and !@block: 0.  Errors: negative.
 */
static int recv_msg(struct xs_handle *h, bool block)
{
    for ( ;; )
    {
        uint8_t *dst;
        size_t need;
        long n;

        if ( !h->rbody )
        {
            dst = h->rhdr + h->rhave;
            need = sizeof(h->rhdr) - h->rhave;
        }
        else
        {
            dst = (uint8_t *)h->rbuf + h->rhave;
            need = h->hdr.len - h->rhave;
        }
        n = need ? h->ops.read(h->ctx, dst, need) : 0;
        if ( n < 0 )
            return fail(h, (int)n);
        if ( (size_t)n > need )
            return fail(h, -XEN_EIO);
        h->rhave += (uint32_t)n;

        if ( !h->rbody && h->rhave == sizeof(h->rhdr) )
        {
            memcpy(&h->hdr, h->rhdr, sizeof(h->hdr));
            if ( h->hdr.len > XENSTORE_PAYLOAD_MAX )
                return fail(h, -XEN_EIO);
            h->rbody = true;
            h->rhave = 0;
        }
        if ( h->rbody && h->rhave == h->hdr.len )
        {
            h->rbuf[h->hdr.len] = '\0';
            h->rbody = false;
            h->rhave = 0;
            return 1;
        }
        if ( n > 0 )
            continue;
        if ( !block )
            return 0;
        n = h->ops.wait(h->ctx);
        if ( n < 0 )
            return (int)n;
    }
}

/* Queue the watch event in h->rbuf ("<path>\0<token>\0"); drop garbage. */
static void queue_event(struct xs_handle *h)
{
    const char *path = h->rbuf, *end = h->rbuf + h->hdr.len;
    const char *token;
    size_t plen, tlen;
    struct queued_event *q;

    plen = strlen(path);
    token = path + plen + 1;
    if ( token >= end )
        return;
    tlen = strlen(token);
    if ( token + tlen >= end )
        return;
    q = malloc(sizeof(*q) + plen + tlen + 2);
    if ( !q )
        return;
    memcpy(q->data, path, plen + 1);
    memcpy(q->data + plen + 1, token, tlen + 1);
    q->ev.path = q->data;
    q->ev.token = q->data + plen + 1;
    q->next = NULL;
    if ( h->ev_tail )
        h->ev_tail->next = q;
    else
        h->ev_head = q;
    h->ev_tail = q;
    h->nr_events++;
}

/* The error name in an XS_ERROR reply, as -XEN_E*. */
static int error_code(const char *name)
{
    unsigned int i;

    for ( i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++ )
        if ( !strcmp(name, xsd_errors[i].errstring) )
            return -xsd_errors[i].errnum;
    return -XEN_EIO;
}

/*
 * Send one request made of @n pieces and wait for its reply.  The reply
 * payload, NUL-terminated, goes to *reply (freed by the caller).
 */
static int talk(struct xs_handle *h, uint32_t type, uint32_t tx,
                const void *const *parts, const size_t *lens, unsigned int n,
                char **reply, size_t *rlen)
{
    uint8_t msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg hdr;
    size_t len = 0;
    unsigned int i;
    int rc;

    if ( h->broken )
        return -XEN_EIO;
    for ( i = 0; i < n; i++ )
    {
        if ( lens[i] > XENSTORE_PAYLOAD_MAX - len )
            return -XEN_E2BIG;
        memcpy(msg + sizeof(hdr) + len, parts[i], lens[i]);
        len += lens[i];
    }
    hdr.type = type;
    hdr.req_id = h->next_req_id++;
    hdr.tx_id = tx;
    hdr.len = (uint32_t)len;
    memcpy(msg, &hdr, sizeof(hdr));

    rc = send_all(h, msg, sizeof(hdr) + len);
    if ( rc )
        return rc;

    for ( ;; )
    {
        rc = recv_msg(h, true);
        if ( rc < 0 )
            return rc;
        if ( h->hdr.type == XS_WATCH_EVENT )
        {
            queue_event(h);
            continue;
        }
        if ( h->hdr.req_id != hdr.req_id )
            continue;               /* reply to an abandoned request */
        break;
    }

    if ( h->hdr.type == XS_ERROR )
        return error_code(h->rbuf);
    if ( h->hdr.type != type )
        return fail(h, -XEN_EIO);
    if ( reply )
    {
        *reply = malloc(h->hdr.len + 1);
        if ( !*reply )
            return -XEN_ENOMEM;
        memcpy(*reply, h->rbuf, h->hdr.len + 1);
    }
    if ( rlen )
        *rlen = h->hdr.len;
    return 0;
}

int xs_request(struct xs_handle *h, uint32_t type, uint32_t tx,
               const void *payload, size_t len, char **reply, size_t *rlen)
{
    const void *parts[1] = { payload };

    return talk(h, type, tx, parts, &len, 1, reply, rlen);
}

/* Requests made of NUL-terminated strings. */
static int talk_strs(struct xs_handle *h, uint32_t type, uint32_t tx,
                     const char *a, const char *b, const char *c,
                     char **reply, size_t *rlen)
{
    const void *parts[3];
    size_t lens[3];
    unsigned int n = 0;

    if ( a )
    {
        parts[n] = a;
        lens[n++] = strlen(a) + 1;
    }
    if ( b )
    {
        parts[n] = b;
        lens[n++] = strlen(b) + 1;
    }
    if ( c )
    {
        parts[n] = c;
        lens[n++] = strlen(c) + 1;
    }
    return talk(h, type, tx, parts, lens, n, reply, rlen);
}

/* ---- the store ---------------------------------------------------------- */

int xs_read(struct xs_handle *h, uint32_t tx, const char *path,
            char **value, size_t *len)
{
    return talk_strs(h, XS_READ, tx, path, NULL, NULL, value, len);
}

int xs_write(struct xs_handle *h, uint32_t tx, const char *path,
             const void *value, size_t len)
{
    const void *parts[2] = { path, value };
    size_t lens[2] = { strlen(path) + 1, len };

    return talk(h, XS_WRITE, tx, parts, lens, 2, NULL, NULL);
}

int xs_mkdir(struct xs_handle *h, uint32_t tx, const char *path)
{
    return talk_strs(h, XS_MKDIR, tx, path, NULL, NULL, NULL, NULL);
}

int xs_rm(struct xs_handle *h, uint32_t tx, const char *path)
{
    return talk_strs(h, XS_RM, tx, path, NULL, NULL, NULL, NULL);
}

/* Turn "a\0b\0c\0" into an array of pointers in one allocation. */
static int split_names(const char *buf, size_t len, char ***names,
                       unsigned int *num)
{
    unsigned int n = 0, i;
    size_t off;
    char **arr, *copy;

    for ( off = 0; off < len; off += strlen(buf + off) + 1 )
        n++;
    arr = malloc((n + 1) * sizeof(*arr) + len + 1);
    if ( !arr )
        return -XEN_ENOMEM;
    copy = (char *)(arr + n + 1);
    memcpy(copy, buf, len);
    copy[len] = '\0';
    for ( i = 0, off = 0; i < n; i++, off += strlen(copy + off) + 1 )
        arr[i] = copy + off;
    arr[n] = NULL;
    *names = arr;
    *num = n;
    return 0;
}

/*
 * A listing too long for one reply, in parts.  The generation count must
 * stay the same across the parts, or the directory changed: start again
 * (a few times, then -XEN_EAGAIN).
 */
static int directory_parts(struct xs_handle *h, uint32_t tx,
                           const char *path, char ***names,
                           unsigned int *num)
{
    unsigned int attempt;

    for ( attempt = 0; attempt < 8; attempt++ )
    {
        char *acc = NULL, gen0[24] = "";
        size_t have = 0;
        bool restart = false;
        int rc;

        for ( ;; )
        {
            char off[24], *reply, *tmp;
            const char *p, *end;
            size_t rlen, got;
            bool complete = false;

            snprintf(off, sizeof(off), "%zu", have);
            rc = talk_strs(h, XS_DIRECTORY_PART, tx, path, off, NULL,
                           &reply, &rlen);
            if ( rc )
                break;
            end = reply + rlen;
            if ( strlen(reply) >= sizeof(gen0) ||
                 reply + strlen(reply) >= end )
            {
                free(reply);
                rc = fail(h, -XEN_EIO);
                break;
            }
            if ( have == 0 )
                memcpy(gen0, reply, strlen(reply) + 1);
            else if ( strcmp(gen0, reply) )
            {
                free(reply);
                restart = true;
                break;
            }
            /* Names up to the empty string that ends the list, if any. */
            for ( p = reply + strlen(reply) + 1; p < end; p += strlen(p) + 1 )
                if ( !*p )
                {
                    complete = true;
                    break;
                }
            got = (size_t)(p - (reply + strlen(reply) + 1));
            if ( !got && !complete )
            {
                free(reply);
                rc = fail(h, -XEN_EIO);
                break;
            }
            tmp = realloc(acc, have + got + 1);
            if ( !tmp )
            {
                free(reply);
                rc = -XEN_ENOMEM;
                break;
            }
            acc = tmp;
            memcpy(acc + have, reply + strlen(reply) + 1, got);
            have += got;
            free(reply);
            if ( complete )
            {
                rc = split_names(acc ? acc : "", have, names, num);
                break;
            }
        }
        free(acc);
        if ( !restart )
            return rc;
    }
    return -XEN_EAGAIN;
}

int xs_directory(struct xs_handle *h, uint32_t tx, const char *path,
                 char ***names, unsigned int *num)
{
    char *reply;
    size_t len;
    int rc;

    rc = talk_strs(h, XS_DIRECTORY, tx, path, NULL, NULL, &reply, &len);
    if ( rc == -XEN_E2BIG )
        return directory_parts(h, tx, path, names, num);
    if ( rc )
        return rc;
    rc = split_names(reply, len, names, num);
    free(reply);
    return rc;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if ( !*s )
        return false;
    for ( ; *s; s++ )
    {
        unsigned int d = (unsigned int)(*s - '0');

        if ( *s < '0' || *s > '9' || v > (max - d) / 10 )
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

int xs_get_perms(struct xs_handle *h, uint32_t tx, const char *path,
                 struct xs_perm **perms, unsigned int *num)
{
    char *reply, **strs;
    unsigned int n, i;
    size_t len;
    int rc;

    rc = talk_strs(h, XS_GET_PERMS, tx, path, NULL, NULL, &reply, &len);
    if ( rc )
        return rc;
    rc = split_names(reply, len, &strs, &n);
    free(reply);
    if ( rc )
        return rc;
    *perms = malloc((n ? n : 1) * sizeof(**perms));
    if ( !*perms )
    {
        free(strs);
        return -XEN_ENOMEM;
    }
    for ( i = 0; i < n; i++ )
    {
        static const char letters[] = "nrwb";
        const char *l = strchr(letters, strs[i][0]);
        uint64_t id;

        if ( !strs[i][0] || !l || !parse_uint(strs[i] + 1, 0xffff, &id) )
        {
            free(strs);
            free(*perms);
            return -XEN_EIO;
        }
        (*perms)[i].access = (unsigned int)(l - letters);
        (*perms)[i].domid = (unsigned int)id;
    }
    free(strs);
    *num = n;
    return 0;
}

int xs_set_perms(struct xs_handle *h, uint32_t tx, const char *path,
                 const struct xs_perm *perms, unsigned int num)
{
    static const char letters[] = "nrwb";
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t plen = strlen(path) + 1, len;
    unsigned int i;

    if ( plen > sizeof(buf) )
        return -XEN_E2BIG;
    memcpy(buf, path, plen);
    len = plen;
    for ( i = 0; i < num; i++ )
    {
        int n;

        if ( perms[i].access > XS_PERM_BOTH )
            return -XEN_EINVAL;
        n = snprintf(buf + len, sizeof(buf) - len, "%c%u",
                     letters[perms[i].access], perms[i].domid);
        if ( n < 0 || (size_t)n + 1 > sizeof(buf) - len )
            return -XEN_E2BIG;
        len += (size_t)n + 1;
    }
    return xs_request(h, XS_SET_PERMS, tx, buf, len, NULL, NULL);
}

/* ---- watches ------------------------------------------------------------ */

int xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    return talk_strs(h, XS_WATCH, 0, path, token, NULL, NULL, NULL);
}

int xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    return talk_strs(h, XS_UNWATCH, 0, path, token, NULL, NULL, NULL);
}

int xs_reset_watches(struct xs_handle *h)
{
    return talk_strs(h, XS_RESET_WATCHES, 0, "", NULL, NULL, NULL, NULL);
}

int xs_read_watch(struct xs_handle *h, struct xs_watch_event **ev,
                  bool wait)
{
    while ( !h->ev_head )
    {
        int rc;

        if ( h->broken )
            return -XEN_EIO;
        rc = recv_msg(h, wait);
        if ( rc < 0 )
            return rc;
        if ( rc == 0 )
            return -XEN_EAGAIN;
        if ( h->hdr.type == XS_WATCH_EVENT )
            queue_event(h);
    }
    *ev = &h->ev_head->ev;
    h->ev_head = h->ev_head->next;
    if ( !h->ev_head )
        h->ev_tail = NULL;
    h->nr_events--;
    return 0;
}

unsigned int xs_queued_watches(const struct xs_handle *h)
{
    return h->nr_events;
}

/* ---- transactions ------------------------------------------------------- */

int xs_transaction_start(struct xs_handle *h, uint32_t *tx)
{
    uint64_t id;
    char *reply;
    int rc;

    rc = talk_strs(h, XS_TRANSACTION_START, 0, "", NULL, NULL, &reply, NULL);
    if ( rc )
        return rc;
    if ( !parse_uint(reply, UINT32_MAX, &id) || id == 0 )
        rc = fail(h, -XEN_EIO);
    else
        *tx = (uint32_t)id;
    free(reply);
    return rc;
}

int xs_transaction_end(struct xs_handle *h, uint32_t tx, bool abort)
{
    return talk_strs(h, XS_TRANSACTION_END, tx, abort ? "F" : "T", NULL,
                     NULL, NULL, NULL);
}

/* ---- domains ------------------------------------------------------------ */

int xs_introduce(struct xs_handle *h, unsigned int domid, uint64_t mfn,
                 unsigned int port)
{
    char d[16], m[24], p[16];

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(m, sizeof(m), "%llu", (unsigned long long)mfn);
    snprintf(p, sizeof(p), "%u", port);
    return talk_strs(h, XS_INTRODUCE, 0, d, m, p, NULL, NULL);
}

static int domid_op(struct xs_handle *h, uint32_t type, unsigned int domid,
                    char **reply)
{
    char d[16];

    snprintf(d, sizeof(d), "%u", domid);
    return talk_strs(h, type, 0, d, NULL, NULL, reply, NULL);
}

int xs_release(struct xs_handle *h, unsigned int domid)
{
    return domid_op(h, XS_RELEASE, domid, NULL);
}

int xs_resume(struct xs_handle *h, unsigned int domid)
{
    return domid_op(h, XS_RESUME, domid, NULL);
}

int xs_get_domain_path(struct xs_handle *h, unsigned int domid, char **path)
{
    return domid_op(h, XS_GET_DOMAIN_PATH, domid, path);
}

int xs_is_domain_introduced(struct xs_handle *h, unsigned int domid,
                            bool *introduced)
{
    char *reply;
    int rc = domid_op(h, XS_IS_DOMAIN_INTRODUCED, domid, &reply);

    if ( rc )
        return rc;
    *introduced = reply[0] == 'T';
    free(reply);
    return 0;
}

int xs_set_target(struct xs_handle *h, unsigned int domid,
                  unsigned int target)
{
    char d[16], t[16];

    snprintf(d, sizeof(d), "%u", domid);
    snprintf(t, sizeof(t), "%u", target);
    return talk_strs(h, XS_SET_TARGET, 0, d, t, NULL, NULL, NULL);
}

int xs_control(struct xs_handle *h, const char *cmd, const char *arg,
               char **reply)
{
    return talk_strs(h, XS_CONTROL, 0, cmd, arg, NULL, reply, NULL);
}
