/*
 * libtoolstack: running PV domUs from a control domain (prefix ts_).
 *
 * What xl asks for (create, shutdown, reboot, destroy, console, mem-set)
 * is done here on top of libkeelctrl (hypercalls), libdombuild (the PV
 * builder), libkeelcfg (xl.cfg files), libxs (xenstore) and the console
 * backend core.  The toolstack keeps a record per domain it created:
 * its name and configuration, its console ring and event channel, what
 * to do when it powers off, reboots or crashes.
 *
 * Everything that depends on where the toolstack runs is behind struct
 * ts_platform: reading files, this domain's event channels, lasting
 * mappings of other domains' frames, where messages and console lines go,
 * and waiting for the next event.  The control domain (tools/ctrldom)
 * provides one; a Linux dom0 would provide another.
 *
 * Calls are made from one thread.  ts_service() must run after every
 * event (or periodically): it moves console output, notices domains that
 * shut down and applies their on_poweroff/on_reboot/on_crash action.
 */
#ifndef KEEL_TOOLSTACK_H
#define KEEL_TOOLSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <keelctrl.h>

struct xs_handle;

struct ts_platform {
    void *priv;
    struct kc_handle *kc;
    struct xs_handle *xs;               /* a privileged xenstore connection */
    /* A file's contents (valid as long as the toolstack): 0 or -ENOENT. */
    int (*read_file)(void *priv, const char *path, const void **data,
                     size_t *len);
    /* This domain's end of an interdomain channel to remote's rport. */
    int (*evtchn_bind)(void *priv, domid_t remote, evtchn_port_t rport,
                       evtchn_port_t *local);
    void (*evtchn_close)(void *priv, evtchn_port_t local);
    void (*evtchn_notify)(void *priv, evtchn_port_t local);
    /* A frame of domain d mapped until unmapped: NULL on failure. */
    void *(*map_lasting)(void *priv, domid_t d, xen_pfn_t mfn);
    void (*unmap_lasting)(void *priv, void *va);
    /* xenstored: domain d's ring is at mfn, its channel is port. */
    int (*store_introduce)(void *priv, domid_t d, xen_pfn_t mfn,
                           evtchn_port_t port);
    void (*store_release)(void *priv, domid_t d);
    /* Messages for the administrator (errors, notices), one line each. */
    void (*msg)(void *priv, const char *line);
    /* A line of a domain's console output, when not attached. */
    void (*console_line)(void *priv, domid_t d, const char *line);
    /* Raw console output while attached (xl console). */
    void (*console_out)(void *priv, const char *data, size_t len);
    /* Input while attached: up to len bytes now (0: none yet). */
    size_t (*console_in)(void *priv, char *buf, size_t len);
    /* Sleep until an event or ns nanoseconds; time now in ns. */
    void (*wait)(void *priv, uint64_t ns);
    uint64_t (*now)(void *priv);
};

struct ts;

#define TS_CREATE_PAUSED    (1u << 0)
#define TS_CREATE_QUIET     (1u << 1)

struct ts *ts_init(const struct ts_platform *p);

/*
 * Create and start a domain from an xl.cfg file (path for read_file)
 * with `key=value` overrides.  0 and *domid, or -errno after a message
 * naming the file, line, or the numbers at fault (e.g. "need 64 MiB,
 * free 20 MiB").  Nothing is left behind on failure.
 */
int ts_create(struct ts *t, const char *path, int nr_overrides,
              char **overrides, unsigned int flags, domid_t *domid);
/* Destroy now (no shutdown request): its record, xenstore entries,
 * channels and mappings go too. */
int ts_destroy(struct ts *t, domid_t d);
/* Ask the guest to power off or reboot; with wait, until it has. */
int ts_shutdown(struct ts *t, domid_t d, unsigned int reason, bool wait);
/* Balloon target and ceiling (memory/target in xenstore, max_mem). */
int ts_mem_set(struct ts *t, domid_t d, uint64_t kb);
/* Attach to the console until the escape character ^] (0x1d). */
int ts_console(struct ts *t, domid_t d);
/* Console output, shutdown detection and on_* actions: after events. */
void ts_service(struct ts *t);

/* Names: "Domain-0" for 0; 0 or -ESRCH. */
int ts_name_of(struct ts *t, domid_t d, char *buf, size_t len);
/* A name, or a number given in decimal: 0 or -ESRCH. */
int ts_find(struct ts *t, const char *arg, domid_t *d);
/* How many domains the toolstack is running (for tests). */
unsigned int ts_nr_domains(const struct ts *t);

#endif /* KEEL_TOOLSTACK_H */
