/*
 * xl.h - Keel's xl, the command-line front end, as a library.
 *
 * xl_main() runs one xl command line ("list -l", "vcpu-pin vm1 all 0-3")
 * and returns the exit status xl would have: 0 on success, 1 when the
 * command failed, 2 for a usage error (unknown option, missing
 * argument), as Xen's xl does.  Commands, options, output formats and
 * messages are those of Xen 4.17's xl (docs/man/xl.1 has the details);
 * where Xen fails silently or vaguely Keel says what happened, on the
 * error stream only, so scripts that read standard output see Xen's
 * output.
 *
 * Everything xl needs from the place it runs in comes through struct
 * xl_ops: the hypercall handle (libkeelctrl), the two output streams,
 * domain names, and the toolstack actions that are more than a hypercall
 * (building a domain, its console, a clean shutdown, ballooning).  The
 * same sources serve in Keel's control domain, a PV kernel where commands
 * are typed at a prompt, and as a Linux program.
 *
 * Portability: plain C99 with only <stddef.h> <stdint.h> <stdbool.h>
 * <stdarg.h> <string.h> <stdlib.h> <stdio.h> (malloc family, string
 * functions, snprintf/vsnprintf without "%.*s" or floating point).  xl
 * keeps no global state: several xl_main() calls may run one after the
 * other with different ops.
 */
#ifndef KEEL_XL_H
#define KEEL_XL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <keelctrl.h>

/* flags for xl_ops.create */
#define XL_CREATE_PAUSED   (1u << 0)   /* -p: leave it paused */
#define XL_CREATE_CONSOLE  (1u << 1)   /* -c: xl attaches the console after */
#define XL_CREATE_QUIET    (1u << 2)   /* -q: say nothing on success */

/* type for xl_ops.console_type (xl console -t) */
#define XL_CONSOLE_PV      1
#define XL_CONSOLE_SERIAL  2
#define XL_CONSOLE_VUART   3

struct xl_ops {
    void *priv;                         /* first argument of every op */
    struct kc_handle *kc;               /* hypercalls (libkeelctrl) */

    /* Text for standard output and standard error (no newline added). */
    void (*out)(void *priv, const char *s);
    void (*err)(void *priv, const char *s);

    /*
     * Name of domain d into buf[len] ("Domain-0" for 0): 0, or -errno if
     * it has none.  NULL: no names (dom0 is still "Domain-0").
     */
    int (*name_of)(void *priv, domid_t d, char *buf, size_t len);
    /*
     * A domain name given by the user to its id: 0 or -ESRCH.  xl calls
     * it for arguments that are not all digits (a number is a domid, as
     * in Xen); NULL: xl compares name_of of every domain.
     */
    int (*find)(void *priv, const char *arg, domid_t *d);

    /*
     * Toolstack actions.  Each returns 0 or -errno and, when it fails,
     * has already said why through err (xl adds only its context line).
     * NULL means "not available here": the command says so and fails.
     */
    /* Build and start a domain from cfg_path, the overrides being
     * "key=value" statements applied after the file (xl.cfg(5)). */
    int (*create)(void *priv, const char *cfg_path, int nr_overrides,
                  char **overrides, unsigned int flags, domid_t *d);
    /* Attach to d's primary console; return on detach.  The banner and
     * the escape character are the op's job. */
    int (*console)(void *priv, domid_t d);
    /* Optional: console num of type XL_CONSOLE_* (xl console -t/-n).
     * NULL: only the primary console ("-t pv", number 0) is there. */
    int (*console_type)(void *priv, domid_t d, unsigned int type, int num);
    /* Ask d to shut down cleanly (SHUTDOWN_poweroff or _reboot); with
     * wait, return once it has shut down or gone. */
    int (*shutdown)(void *priv, domid_t d, unsigned int reason, bool wait);
    /* Optional: wait for a domain already asked (xl shutdown -a -w asks
     * every domain first).  NULL: -a -w waits for each in turn. */
    int (*wait_shutdown)(void *priv, domid_t d);
    int (*destroy)(void *priv, domid_t d);
    /* Balloon d to target_kb (xl mem-set). */
    int (*mem_set)(void *priv, domid_t d, uint64_t target_kb);

    /* For xl info: the control domain's host name, OS release, OS
     * version and machine (uname).  NULL prints as empty. */
    const char *host, *release, *version, *machine;
};

/*
 * Run one xl command line, given as main() gets it: argv[0] is the
 * program name (ignored), then global options (-v -f -N -t -T), the
 * subcommand and its arguments: { "xl", "list", "-l" }.  Returns the
 * exit status.  argv is not modified.
 */
int xl_main(const struct xl_ops *ops, int argc, char **argv);

#endif /* KEEL_XL_H */
