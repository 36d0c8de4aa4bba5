/*
 * xl_private.h - what the xl command files share: the per-run context,
 * output, the option parser (GNU getopt_long's rules, as Xen's xl uses
 * them), domain look-up, and the formatting helpers that must print
 * exactly what Xen's xl prints (times, CPU bitmaps, UUIDs).
 *
 * Files: xl.c (xl_main, help), xl_cmdtable.c (the command table),
 * xl_util.c (everything declared here), xl_info.c (list, info, dmesg,
 * domid, domname), xl_vcpu.c (vcpu-list, vcpu-pin), xl_sched.c
 * (sched-credit, sched-credit2), xl_vmcontrol.c (create, console, pause,
 * unpause, destroy, shutdown, reboot, mem-set).
 */
#ifndef KEEL_XL_PRIVATE_H
#define KEEL_XL_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xl.h"

#ifdef __GNUC__
#define XL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define XL_PRINTF(f, a)
#endif

#define XL_EXIT_OK      0
#define XL_EXIT_FAIL    1
#define XL_EXIT_USAGE   2

/* libxl error numbers Xen's xl prints in some messages ("rc=-6"). */
#define XL_LIBXL_ERROR_FAIL     (-3)
#define XL_LIBXL_ERROR_NOMEM    (-5)
#define XL_LIBXL_ERROR_INVAL    (-6)

/* Longest domain name xl handles (xenstore's limit is larger; longer
 * names are cut). */
#define XL_NAME_MAX     256

/* Physical CPUs a bitmap may name (Xen's NR_CPUS ceiling). */
#define XL_MAX_CPUS     4096

/* One run of xl_main. */
struct xl_ctx {
    const struct xl_ops *ops;
    bool dryrun;                /* global -N */
    bool force;                 /* global -f */
    char **scratch;             /* room for argc operands (option parser) */
};

/* ---- the command table (xl_cmdtable.c) ------------------------------- */

struct xl_cmd {
    const char *name;
    int (*fn)(struct xl_ctx *x, int argc, char **argv); /* argv[0]: name */
    bool can_dryrun;            /* accepts global -N */
    bool modifies;              /* accepts global -f */
    const char *desc;           /* one line, no final full stop */
    const char *usage;          /* after "xl <name> " */
    const char *options;        /* NULL: none */
};

extern const struct xl_cmd xl_cmd_table[];
extern const size_t xl_cmd_table_len;

/* The command named s, or the only one s is a prefix of; else NULL. */
const struct xl_cmd *xl_cmd_lookup(const char *s);
/* xl help [command] on standard output. */
void xl_help(struct xl_ctx *x, const char *command);

/* The commands. */
int xl_cmd_list(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_info(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_dmesg(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_domid(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_domname(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_vcpu_list(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_vcpu_pin(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_sched_credit(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_sched_credit2(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_create(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_console(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_pause(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_unpause(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_destroy(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_shutdown(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_reboot(struct xl_ctx *x, int argc, char **argv);
int xl_cmd_mem_set(struct xl_ctx *x, int argc, char **argv);

/* ---- output (xl_util.c) ---------------------------------------------- */

void xl_out(struct xl_ctx *x, const char *fmt, ...) XL_PRINTF(2, 3);
void xl_err(struct xl_ctx *x, const char *fmt, ...) XL_PRINTF(2, 3);
/* A formatted string from malloc, or NULL when out of memory. */
char *xl_asprintf(const char *fmt, ...) XL_PRINTF(1, 2);
char *xl_vasprintf(const char *fmt, va_list ap);
/* "xl <cmd>: not supported in this environment ..." for a NULL op. */
int xl_not_available(struct xl_ctx *x, const char *cmd);
/* strerror() for a positive errno value (Xen's and Linux's numbers). */
const char *xl_strerror(int err);

/* ---- options (xl_util.c) ---------------------------------------------- */

struct xl_option {
    const char *name;           /* long name, without "--" */
    bool has_arg;
    int val;                    /* the short option it stands for */
};

/*
 * Options of one command, parsed as GNU getopt_long does for Xen's xl:
 * options and operands may be mixed (operands are collected in order),
 * "--" ends the options, "-" alone is an operand, short options may be
 * grouped ("-lv"), an option's argument is the rest of its word or the
 * next word, long options may be abbreviated to a unique prefix and take
 * "--name=value" or "--name value".  -h and --help print the command's
 * help.
 *
 *     struct xl_opts o = XL_OPTS("f", longopts, "vcpu-pin", 3);
 *     while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
 *         switch ( opt ) { case 'f': ...; }
 *     if ( opt < 0 )
 *         return o.status;
 *     ... o.opnd[0 .. o.nr) are the operands ...
 */
struct xl_opts {
    const char *shortopts;      /* "d:w:" as getopt */
    const struct xl_option *longopts;   /* ends with a NULL name; or NULL */
    const char *cmd;            /* for help and messages */
    int reqargs;                /* operands required */
    /* state */
    int next;                   /* next argv index */
    const char *cluster;        /* rest of a "-abc" group */
    bool ended;                 /* "--" seen */
    /* results */
    const char *optarg;         /* argument of the option returned */
    char **opnd;                /* operands so far */
    int nr;
    int status;                 /* exit status when xl_opt_next < 0 */
};

#define XL_OPTS(s, l, c, r) \
    { .shortopts = (s), .longopts = (l), .cmd = (c), .reqargs = (r), \
      .next = 1 }

/* The next option (> 0), 0 when all are read and the operands are
 * enough, or -1: help was printed or a usage error reported, and the
 * command must return o->status. */
int xl_opt_next(struct xl_ctx *x, struct xl_opts *o, int argc, char **argv);

/* ---- numbers (xl_util.c) ---------------------------------------------- */

/* strtol(s, &end, 10): white space, sign, digits; *end past them (s when
 * there are no digits).  Saturates at LONG_MIN/LONG_MAX. */
long xl_strtol(const char *s, const char **end);
/* The whole of s as a decimal number (digits only, at least one) no
 * larger than max: true and *v. */
bool xl_parse_ulong(const char *s, unsigned long max, unsigned long *v);

/* ---- domains (xl_util.c) ---------------------------------------------- */

/*
 * A domain argument as Xen's find_domain reads it: all digits is a domid,
 * anything else a name.  On failure prints "<arg> is an invalid domain
 * identifier (rc=-6)" and returns false.
 */
bool xl_find_domain(struct xl_ctx *x, const char *arg, domid_t *d);
/* libxl_name_to_domid: 0, or a libxl error number (-6: no such name). */
int xl_name_to_domid(struct xl_ctx *x, const char *name, domid_t *d);
/* Name of d into buf (see xl_ops.name_of); "(null)" if it has none, as
 * Xen's xl prints a missing name. */
const char *xl_domname(struct xl_ctx *x, domid_t d, char *buf, size_t len);
/*
 * Every domain, in id order: *out (free it) and *nr.  0, or -errno after
 * printing "libxl_list_domain failed." and the reason.
 */
int xl_domain_list(struct xl_ctx *x, struct xen_domctl_getdomaininfo **out,
                   unsigned int *nr);
/* getdomaininfo of d: 0 or -errno (-ESRCH: no such domain), silent. */
int xl_domain_info(struct xl_ctx *x, domid_t d,
                   struct xen_domctl_getdomaininfo *info);

/* ---- formatting (xl_util.c) ------------------------------------------- */

/*
 * printf("%<width>.1f", (float)ns / 1e9) as Xen's xl prints times, with
 * integers only: the float rounding of ns, the double division and
 * printf's round-half-even of the exact binary value are all reproduced.
 */
void xl_fmt_seconds(char *buf, size_t len, int width, uint64_t ns);
/* Xen's print_bitmap: "all", "none", or "0-3,5" for bits [0, nr_bits). */
void xl_print_bitmap(struct xl_ctx *x, const uint8_t *map,
                     unsigned int nr_bits);
/* A UUID as 8-4-4-4-12 lower-case hex into buf[37]. */
void xl_fmt_uuid(char *buf, const uint8_t uuid[16]);

/*
 * A CPU list as xl's parse_cpurange reads it ("0-3,^2", "all",
 * "nodes:0"): items applied left to right to map (nr_bits bits, which the
 * caller has zeroed); CPUs past nr_bits are dropped as libxl drops them.
 * On a bad item prints Xen's message and returns false.
 */
bool xl_parse_cpurange(struct xl_ctx *x, const char *s, uint8_t *map,
                       unsigned int nr_bits, unsigned int nr_nodes);

/* Scheduler name as libxl_scheduler_to_string, or NULL if unknown. */
const char *xl_sched_name(uint32_t sched_id);

#endif /* KEEL_XL_PRIVATE_H */
