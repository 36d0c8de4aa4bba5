/*
 * Hypervisor command-line options: registration, the boot-loader command
 * line, and the small parsers that option handlers share.
 *
 * Each option is a `struct kernel_param` that the registration macros below
 * place in the ELF section "keel_params".  The linker script keeps that
 * section and brackets it with __start_keel_params/__stop_keel_params (GNU
 * ld does the same on its own for host unit tests), so the options of every
 * object linked in form one array that cmdline_parse() walks.
 *
 * Grammar (Xen's; see docs/command-line.md): space-separated words, each
 * `name` or `name=value`, case-sensitive.  Bad input never stops boot: the
 * word is reported with a KLOG_WARNING message and skipped, and a handler
 * that rejects its value leaves its variables as they were.
 *
 * All of this runs once on the boot CPU before anything else reads the
 * option variables, so nothing here takes a lock.
 */
#ifndef KEEL_PARAM_H
#define KEEL_PARAM_H

#include <keel/types.h>

/* ---- registration -------------------------------------------------------- */

enum param_type {
    PARAM_BOOL,     /* bool or integer variable set to 0/1 */
    PARAM_INT,      /* integer variable of 1, 2, 4 or 8 bytes */
    PARAM_SIZE,     /* byte count (<size> syntax) in an integer variable */
    PARAM_STR,      /* NUL-terminated copy into a char array */
    PARAM_CUSTOM,   /* handler int fn(const char *val): 0 or -errno */
};

struct kernel_param {
    const char *name;
    enum param_type type;
    unsigned int len;           /* sizeof the variable (buffer for STR) */
    bool is_signed;             /* PARAM_INT: variable is a signed type */
    union {
        void *var;
        int (*fn)(const char *val);
    } par;
};

/* Provided by the linker (keel.lds.S on the hypervisor, GNU ld on hosts). */
extern const struct kernel_param __start_keel_params[], __stop_keel_params[];

#define PARAM_CAT_(a, b) a##b
#define PARAM_CAT(a, b)  PARAM_CAT_(a, b)
#define PARAM_IS_SIGNED(v) ((__typeof__(v))-1 < (__typeof__(v))1)

#define PARAM_DEFINE_(name_, type_, len_, signed_, member_, target_)        \
    static const struct kernel_param PARAM_CAT(kparam_, __LINE__)           \
    __used __section("keel_params")                                         \
    __aligned(__alignof__(struct kernel_param)) = {                         \
        .name = (name_), .type = (type_), .len = (len_),                    \
        .is_signed = (signed_), .par.member_ = (target_) }

#define PARAM_CHECK_INT_(v)                                                 \
    _Static_assert(sizeof(v) == 1 || sizeof(v) == 2 || sizeof(v) == 4 ||    \
                   sizeof(v) == 8, "parameter variable must be an integer")

/* `name`, `name=<bool>`, `no-name`: bool (or integer) variable. */
#define boolean_param(n, v)                                                 \
    PARAM_CHECK_INT_(v);                                                    \
    PARAM_DEFINE_(n, PARAM_BOOL, sizeof(v), false, var, &(v))

/* `name=<integer>`: any integer variable; out-of-range is -EOVERFLOW. */
#define integer_param(n, v)                                                 \
    PARAM_CHECK_INT_(v);                                                    \
    PARAM_DEFINE_(n, PARAM_INT, sizeof(v), PARAM_IS_SIGNED(v), var, &(v))

/* `name=<size>`: byte count, e.g. unsigned long long. */
#define size_param(n, v)                                                    \
    PARAM_CHECK_INT_(v);                                                    \
    PARAM_DEFINE_(n, PARAM_SIZE, sizeof(v), false, var, &(v))

/* `name=<string>`: var must be a char array; too long is -E2BIG. */
#define string_param(n, v)                                                  \
    _Static_assert(!__builtin_types_compatible_p(__typeof__(v),             \
                                                 __typeof__(&(v)[0])),      \
                   "string_param needs a char array");                      \
    PARAM_DEFINE_(n, PARAM_STR, sizeof(v), false, var, (v))

/*
 * `name[=value]`: fn gets the text after '=' ("" when there is none, "no"
 * for a bare `no-name`) and returns 0 or -errno.  It must not change any
 * state unless the whole value is valid.
 */
#define custom_param(n, f)                                                  \
    PARAM_DEFINE_(n, PARAM_CUSTOM, 0, false, fn, (f))

/* ---- the boot-loader command line ---------------------------------------- */

enum boot_loader {
    LOADER_MULTIBOOT1,          /* line starts with the image name */
    LOADER_GRUB2,               /* GRUB 2 (either protocol): no image name */
    LOADER_OTHER,               /* assumed to start with the image name */
};

/* Size of the saved copies, terminating NUL included. */
#define CMDLINE_MAX 1024

/*
 * Split the loader's command line (NULL is taken as empty) into the
 * hypervisor's options and dom0's extra arguments (everything after a `--`
 * word), with the image name dropped as cmdline_cook() does.  Both parts
 * are copied into static buffers; a part that does not fit loses its last
 * words (never part of a word) and a warning is printed.  Does not apply
 * any option: call cmdline_parse(cmdline_hypervisor()) for that.
 */
void cmdline_init(const char *raw, enum boot_loader loader);

/* The hypervisor part, as `xl info` shows it in xen_commandline. */
const char *cmdline_hypervisor(void);

/* dom0's extra arguments, without leading or trailing spaces ("" if none). */
const char *cmdline_dom0_extra(void);

/* Skip leading spaces, the first word and the spaces after it. */
const char *cmdline_skip_image_name(const char *s);

/*
 * The loader-dependent cleanup of a command line, used both for our own
 * line and for the dom0 kernel module's string: leading spaces are skipped,
 * and so is the first word unless the loader is GRUB 2 (which, with
 * Multiboot 1 and 2 alike, passes only the arguments).
 */
const char *cmdline_cook(const char *s, enum boot_loader loader);

/*
 * Apply every word of `opts` to the registered options, in order (a later
 * word overrides an earlier one).  The word `placeholder` is ignored.
 */
void cmdline_parse(const char *opts);

/* ---- helpers for option handlers ----------------------------------------- */

/*
 * The boolean spellings: 1 for yes|on|true|enable|1, 0 for
 * no|off|false|disable|0, -1 otherwise.  Looks at [s, e), or to the end of
 * the string when e is NULL.
 */
int parse_bool(const char *s, const char *e);

/*
 * One boolean item of a list option, in [s, e) (e NULL: end of string):
 * `name` gives 1, `no-name` gives 0, `name=<bool>` gives that bool; -1 when
 * the item is not about `name` or its value is not a boolean.
 */
int parse_boolean(const char *name, const char *s, const char *e);

/*
 * An unsigned integer with C base detection: 0x/0X hex, leading 0 octal,
 * decimal otherwise.  No sign or spaces are accepted.  *end is set past the
 * digits.  Returns 0, -EINVAL when there is no digit (then *end == s) or
 * -EOVERFLOW when the value does not fit in 64 bits.
 */
int parse_ull(const char *s, const char **end, unsigned long long *val);

/*
 * A <size>: an integer as parse_ull() takes it, then an optional suffix
 * T/G/M/K/B (either case) for TiB, GiB, MiB, KiB or bytes; no suffix means
 * KiB.  *end is set past the suffix.  Returns 0, -EINVAL or -EOVERFLOW.
 */
int parse_size(const char *s, const char **end, unsigned long long *bytes);

/*
 * Xen's interface to the same thing: returns the byte count.  On error it
 * returns 0 and sets *ps to s, so a caller that checks for trailing text
 * sees the value rejected.
 */
unsigned long long parse_size_and_unit(const char *s, const char **ps);

#endif /* KEEL_PARAM_H */
