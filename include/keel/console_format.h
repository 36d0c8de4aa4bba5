/*
 * Pure helpers of the hypervisor console (common/console_format.c): log
 * level prefixes and filtering, rate limiting, line decoration (the
 * "(KEEL) " prefix and time stamps), the console ring, the conswitch
 * detector and the bounded dom0 input queue.
 *
 * Nothing here touches hardware, locks or global state: every function
 * works on the structure it is given, so host unit tests link this file
 * unchanged.  Callers provide the locking (common/console.c holds the
 * console lock around every use of its instances).
 */
#ifndef KEEL_CONSOLE_FORMAT_H
#define KEEL_CONSOLE_FORMAT_H

#include <keel/types.h>
#include <keel/console_params.h>

/* ---- log levels ---------------------------------------------------------- */

/* Severity indices of the KLOG_* prefixes ("<0>".."<3>"). */
#define CONSOLE_LEVEL_ERROR      0
#define CONSOLE_LEVEL_WARNING    1
#define CONSOLE_LEVEL_INFO       2
#define CONSOLE_LEVEL_DEBUG      3
#define CONSOLE_LEVEL_UNPREFIXED (-1)

/*
 * Strip a "<d>" prefix (d a decimal digit) from *msg and return its
 * severity index (digits above 3 count as debug), or
 * CONSOLE_LEVEL_UNPREFIXED leaving *msg alone.
 */
int console_parse_level(const char **msg);

enum console_verdict {
    CONSOLE_PRINT,              /* write to the consoles */
    CONSOLE_RATELIMIT,          /* write if the rate limiter allows */
    CONSOLE_DROP,               /* console ring only */
};

/*
 * What to do with a message of severity `level` under `cfg` (see
 * console_params.h for the thresholds).  Unprefixed messages are printed
 * unless cfg->lower is LOGLVL_NONE.
 */
enum console_verdict console_level_verdict(const struct loglvl_cfg *cfg,
                                           int level);

/* ---- rate limiting ------------------------------------------------------- */

#define CONSOLE_RATELIMIT_NS     5000000000LL   /* window */
#define CONSOLE_RATELIMIT_BURST  10             /* messages per window */

struct console_ratelimit {
    int64_t window_start;       /* ns, start of the current window */
    unsigned int printed;       /* messages let through in this window */
    unsigned long suppressed;   /* messages refused, not yet reported */
};

/*
 * May a rate-limited message print at time `now` (ns)?  When a new window
 * opens, *report receives the number of messages refused since the last
 * report (the caller says so before the message), otherwise 0.
 */
bool console_ratelimit_allow(struct console_ratelimit *rl, int64_t now,
                             unsigned long *report);

/* ---- line decoration ----------------------------------------------------- */

#define CONSOLE_LINE_PREFIX      "(KEEL) "
#define CONSOLE_TIMESTAMP_MAX    32     /* bytes, with the NUL */

/*
 * Format the time stamp for `mode` into buf (always NUL-terminated when
 * size > 0), with a trailing space, or "" for CONSOLE_TS_NONE:
 *   boot    "[    12.345678] "       now_ns since boot
 *   raw     "[0000001234abcdef] "    the TSC, hex
 *   date    "[2024-05-01 12:34:56] " wall_base (s since 1970) + now_ns
 *   datems  "[2024-05-01 12:34:56.789] "
 * Returns the length written.
 */
size_t console_format_timestamp(char *buf, size_t size, enum console_ts mode,
                                int64_t now_ns, uint64_t tsc,
                                uint64_t wall_base);

/*
 * Copy text from *src (up to end) into out[size], writing `prefix` before
 * the first character of every line (*sol: "at the start of a line",
 * updated).  A prefix is written only together with at least one
 * character of its line, so lines are never split from their prefix;
 * if out cannot even hold the prefix plus one character the prefix is
 * left out so progress is always made.  Returns the bytes written (no
 * NUL) and advances *src past what was consumed: call again until
 * *src == end.
 */
size_t console_decorate(char *out, size_t size, const char **src,
                        const char *end, const char *prefix, bool *sol);

/* ---- console ring -------------------------------------------------------- */

/*
 * A byte ring that overwrites its oldest contents.  prod and cons count
 * bytes ever written / consumed; prod - cons <= size always.
 *
 *   buf: [.....cons%size========prod%size.....]   (may wrap around)
 */
struct conring {
    char *buf;
    size_t size;                /* a power of two */
    uint64_t prod;
    uint64_t cons;
};

void conring_init(struct conring *r, char *buf, size_t size);
void conring_put(struct conring *r, const char *s, size_t n);
size_t conring_used(const struct conring *r);
/* Copy up to n of the oldest bytes; consume them if `consume`. */
size_t conring_read(struct conring *r, char *out, size_t n, bool consume);
/*
 * Copy up to n bytes from absolute position pos (cons <= pos < prod),
 * leaving the ring as it is; 0 when pos is not in the ring.
 */
size_t conring_peek(const struct conring *r, uint64_t pos, char *out,
                    size_t n);
/* Append the unread contents of src to dst (src is unchanged). */
void conring_copy(struct conring *dst, const struct conring *src);

/* ---- input switching ----------------------------------------------------- */

#define CONSWITCH_COUNT 3       /* Ctrl-<c> presses that switch input */

struct conswitch {
    unsigned int held;          /* switch codes seen in a row, withheld */
};

/* The control code typed for Ctrl-<c>, c in 'a'..'z'. */
static inline char conswitch_code(char c)
{
    return (char)(c - 'a' + 1);
}

/*
 * Feed one received byte; `code` is the switch code.  Returns true when
 * it completes CONSWITCH_COUNT codes in a row (switch input now).
 * Otherwise *nout bytes placed in out[] are to be delivered in order:
 * switch codes are withheld until it is clear they do not form a switch
 * sequence, then delivered before the byte that broke the sequence.
 */
bool conswitch_feed(struct conswitch *cs, char code, char c,
                    char out[CONSWITCH_COUNT], unsigned int *nout);

/* ---- bounded input queue ------------------------------------------------- */

#define CONSOLE_INQ_SIZE 128    /* a power of two */

struct console_inq {
    char buf[CONSOLE_INQ_SIZE];
    uint32_t head;              /* next byte to read (free-running) */
    uint32_t tail;              /* next slot to write (free-running) */
    unsigned long dropped;      /* bytes refused because the queue was full */
};

/* Queue c; false (and counted in dropped) when full. */
bool console_inq_put(struct console_inq *q, char c);
/* The oldest byte, or -1 if empty. */
int console_inq_get(struct console_inq *q);

#endif /* KEEL_CONSOLE_FORMAT_H */
