/*
 * keelcfg.h - the xl.cfg(5) configuration file parser (raw layer).
 *
 * Parses the text of an xl domain configuration file into settings: each
 * key maps to a value that is a string (quoted strings and bare numbers
 * alike, as in Xen) or a list of values (lists nest).  The typed view of
 * a PV domain built on top of this is <keelcfg_domain.h>.
 *
 * Grammar (the one Xen's libxlu implements; tools/libs/cfg/README has the
 * details and the few places where Keel differs):
 *
 *   file      := { statement } [ assignment ]
 *   statement := [ assignment ] ( NEWLINE | ';' )
 *   assignment:= KEY ( '=' | '+=' ) value
 *   value     := STRING | NUMBER | '[' { NEWLINE } [ items ] ']'
 *   items     := value { NEWLINE } { ',' { NEWLINE } value { NEWLINE } }
 *                [ ',' { NEWLINE } ]
 *
 *   KEY     [a-z][._0-9a-z]*         (lower case only)
 *   NUMBER  [0-9][0-9a-fx]*          (kept as text; cfg_get_long converts)
 *   STRING  '...' or "..." on one line, with C escapes
 *   #       starts a comment that runs to the end of the line
 *
 * The last assignment to a key wins.  KEY += value appends: to the string
 * or list assigned before (both must be of the same kind), or assigns if
 * the key is new.
 *
 * Messages.  Every error and warning is one line of text handed, without
 * its newline, to the caller's report function; nothing is printed and
 * nothing aborts.  Parse errors read like Xen's:
 *
 *   vm.cfg:3: config parsing error near `foo': syntax error, unexpected
 *   IDENT, expecting += or '='
 *
 * cfg_msgbuf_report() collects the lines into a caller buffer.
 *
 * Plain C99: only <stddef.h> <stdint.h> <stdbool.h> <stdarg.h> <string.h>
 * <stdlib.h> <stdio.h> (malloc, snprintf and the string functions), so the
 * same sources build on a host, in the control domain and on Linux.
 */
#ifndef KEELCFG_H
#define KEELCFG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Return values: 0 or one of these (negative). */
#define CFG_OK        0
#define CFG_ENOENT  (-1)    /* the key is not set */
#define CFG_EINVAL  (-2)    /* parse error, or not a valid number */
#define CFG_ETYPE   (-3)    /* a list where a single value is wanted, or
                               the other way round */
#define CFG_ERANGE  (-4)    /* number outside the bounds asked for */
#define CFG_EAPPEND (-5)    /* a number was set with += */
#define CFG_ENOMEM  (-6)    /* allocation failed */

/* Flags for the cfg_get_* functions. */
#define CFG_QUIET   1u      /* report nothing; the return value says why */

/* limits.h is not among the headers we may use. */
#define CFG_LONG_MAX ((long)(~0ul >> 1))
#define CFG_LONG_MIN (-CFG_LONG_MAX - 1)

/* Inputs larger than this are refused (the control domain's heap is
 * small, and no sane configuration file comes close). */
#define CFG_MAX_INPUT  (4u << 20)
/* Lists nested deeper than this are a parse error. */
#define CFG_MAX_DEPTH  32

struct cfg;                 /* a parsed file */
struct cfg_value;           /* a string or a list, owned by its cfg */

enum cfg_type {
    CFG_STRING,
    CFG_LIST,
};

/* Receives one message line (no trailing newline). */
typedef void cfg_report_fn(void *opaque, const char *line);

/*
 * Parse len bytes at data.  source names the file in messages.  report
 * (may be NULL) receives every message, now and from later look-ups on
 * the result.  On success *out is the parsed file (cfg_free it); on
 * failure *out is NULL and the return value is CFG_EINVAL (after at least
 * one message) or CFG_ENOMEM.  data need not be NUL-terminated; a NUL
 * byte in it is an error.
 */
int cfg_parse(const char *data, size_t len, const char *source,
              cfg_report_fn *report, void *opaque, struct cfg **out);

/*
 * As cfg_parse, with `xl create cfg key=value ...` overrides: xl appends
 * "\n", then each override followed by "\n", then "\n" to the file and
 * parses the whole as one source, so overrides are ordinary statements
 * that come last (last assignment wins), and errors in them carry the
 * file's name and line numbers past its end.  This does exactly that.
 * With nr == 0 it is cfg_parse.
 */
int cfg_parse_with_overrides(const char *data, size_t len,
                             const char *source,
                             const char *const *overrides, size_t nr,
                             cfg_report_fn *report, void *opaque,
                             struct cfg **out);

void cfg_free(struct cfg *cfg);

/* The name given to cfg_parse. */
const char *cfg_source(const struct cfg *cfg);

/* Format a message and hand it to cfg's report function. */
void cfg_report(const struct cfg *cfg, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- settings --------------------------------------------------------- */

/* The value in force for key, or NULL. */
const struct cfg_value *cfg_lookup(const struct cfg *cfg, const char *key);

/* Line of the value of the assignment in force for key, or 0. */
int cfg_key_line(const struct cfg *cfg, const char *key);

/*
 * Iteration in file order: keys are numbered 0 .. cfg_nr_keys() - 1 by
 * their first assignment; each appears once, with the value in force.
 * cfg_key_at returns the key (NULL past the end) and, if value or line
 * are not NULL, its value and line.
 */
size_t cfg_nr_keys(const struct cfg *cfg);
const char *cfg_key_at(const struct cfg *cfg, size_t i,
                       const struct cfg_value **value, int *line);

/*
 * Typed look-ups.  They return CFG_OK, or CFG_ENOENT silently, or another
 * error after reporting it (unless flags has CFG_QUIET), in Xen's words:
 *
 *   vm.cfg:4: warning: parameter `memory' is a list but should be a
 *   single value
 */
int cfg_get_string(const struct cfg *cfg, const char *key, const char **out,
                   unsigned int flags);

/* A number (strtol base 0: 10, 0x1a, 017) in [min, max]. */
int cfg_get_long(const struct cfg *cfg, const char *key, long min, long max,
                 long *out, unsigned int flags);

int cfg_get_list(const struct cfg *cfg, const char *key,
                 const struct cfg_value **out, unsigned int flags);

/* ---- values ----------------------------------------------------------- */

enum cfg_type cfg_value_type(const struct cfg_value *v);
int cfg_value_line(const struct cfg_value *v);

/* The string, or NULL for a list. */
const char *cfg_value_string(const struct cfg_value *v);

/* Number of items of a list (0 for a string). */
size_t cfg_list_count(const struct cfg_value *list);

/* Item i of a list, or NULL past the end (or for a string). */
const struct cfg_value *cfg_list_item(const struct cfg_value *list, size_t i);

/* Item i as a string, or NULL past the end or if it is a list. */
const char *cfg_list_string(const struct cfg_value *list, size_t i);

/* ---- helpers ---------------------------------------------------------- */

/*
 * The whole of s as a number, as strtol(s, &end, 0) with *end == '\0':
 * leading white space and a sign allowed, 0x for hex, 0 for octal.
 * CFG_OK, CFG_EINVAL or CFG_ERANGE (on overflow).
 */
int cfg_parse_long(const char *s, long *out);

/* A short English description of a CFG_E* value. */
const char *cfg_strerror(int err);

/* Collects message lines, each followed by '\n', into buf[size]: always
 * NUL-terminated; what does not fit is dropped and truncated is set. */
struct cfg_msgbuf {
    char *buf;
    size_t size;
    size_t len;
    bool truncated;
};
void cfg_msgbuf_report(void *opaque, const char *line);

#endif /* KEELCFG_H */
