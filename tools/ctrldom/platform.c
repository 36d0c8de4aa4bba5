/*
 * keel-ctrl: what the toolstack libraries need from this kernel.
 *
 * Files come from the initrd (start_info's module, a newc cpio archive).
 * Lasting foreign mappings (console rings; xenstore rings through
 * xenstored's PV platform, tools/xenstored/xsd_pv.c) use the runtime's
 * recycled windows.  Event channels are ordinary interdomain bindings of
 * vCPU 0; any event wakes ctrl_wait(), and ctrl_service() then serves all.
 */
#include "ctrldom.h"
#include <cpio.h>
#include <keelctrl-pv.h>
#include <toolstack.h>
#include <xenstored-pv.h>
#include <xs.h>

struct xsd *ctrl_xsd;
struct xs_handle *ctrl_xs;
struct ts *ctrl_ts;

static evtchn_port_t timer_port, console_port;

/* ---- files --------------------------------------------------------------- */

static int initrd_file(const char *path, const void **data, size_t *len)
{
    struct start_info *si = pv_start_info;
    struct cpio_entry e;

    if ( !si->mod_start || !si->mod_len ||
         cpio_find((const void *)si->mod_start, si->mod_len, path, &e,
                   NULL) )
        return -XEN_ENOENT;
    *data = e.data;
    *len = e.size;
    return 0;
}

/*
 * A path as given, or else a bare name (no '/') in the configuration
 * directory /etc/keel, as xl looks configs up by name there.
 */
int ctrl_read_file(const char *path, const void **data, size_t *len)
{
    char alt[256];

    if ( initrd_file(path, data, len) == 0 )
        return 0;
    if ( strchr(path, '/') ||
         snprintf(alt, sizeof(alt), "etc/keel/%s", path) >= (int)sizeof(alt) )
        return -XEN_ENOENT;
    return initrd_file(alt, data, len);
}

/* ---- waiting ------------------------------------------------------------- */

void ctrl_wait(uint64_t ns)
{
    /* VIRQ_TIMER at the deadline; any other event wakes us sooner. */
    HYPERVISOR_set_timer_op(pv_now() + ns);
    pv_block();
    pv_evt_enable();
}

void ctrl_service(void)
{
    xsd_process(ctrl_xsd);
    ts_service(ctrl_ts);
    xsd_process(ctrl_xsd);
}

/* ---- toolstack platform ------------------------------------------------- */

static int ts_read_file(void *priv, const char *path, const void **data,
                        size_t *len)
{
    return ctrl_read_file(path, data, len);
}

static int ts_evtchn_bind(void *priv, domid_t remote, evtchn_port_t rport,
                          evtchn_port_t *local)
{
    long rc = pv_evtchn_bind_interdomain(remote, rport, local);

    if ( rc == 0 )
        pv_evtchn_unmask(*local);
    return (int)rc;
}

static void ts_evtchn_close(void *priv, evtchn_port_t local)
{
    pv_evtchn_close(local);
}

static void ts_evtchn_notify(void *priv, evtchn_port_t local)
{
    pv_evtchn_send(local);
}

static void *ts_map(void *priv, domid_t d, xen_pfn_t mfn)
{
    return pv_foreign_map_window(d, mfn, true);
}

static void ts_unmap(void *priv, void *va)
{
    pv_foreign_unmap_window(va);
}

static int ts_store_introduce(void *priv, domid_t d, xen_pfn_t mfn,
                              evtchn_port_t port)
{
    return xs_introduce(ctrl_xs, d, mfn, port);
}

static void ts_store_release(void *priv, domid_t d)
{
    xs_release(ctrl_xs, d);
}

static void ts_msg(void *priv, const char *line)
{
    printf("%s\n", line);
}

static void ts_console_line(void *priv, domid_t d, const char *line)
{
    printf("(d%u) %s\n", d, line);
}

static void ts_console_out(void *priv, const char *data, size_t len)
{
    ctrl_write(data, len);
}

static size_t ts_console_in(void *priv, char *buf, size_t len)
{
    return ctrl_input(buf, len);
}

static void ts_wait(void *priv, uint64_t ns)
{
    ctrl_wait(ns);
    xsd_process(ctrl_xsd);
}

static uint64_t ts_now(void *priv)
{
    return pv_now();
}

const struct ts_platform ctrl_ts_platform = {
    .kc = &pv_kc_handle,
    .read_file = ts_read_file,
    .evtchn_bind = ts_evtchn_bind,
    .evtchn_close = ts_evtchn_close,
    .evtchn_notify = ts_evtchn_notify,
    .map_lasting = ts_map,
    .unmap_lasting = ts_unmap,
    .store_introduce = ts_store_introduce,
    .store_release = ts_store_release,
    .msg = ts_msg,
    .console_line = ts_console_line,
    .console_out = ts_console_out,
    .console_in = ts_console_in,
    .wait = ts_wait,
    .now = ts_now,
};

/* The local connection waits by serving xenstored itself. */
static int xs_local_wait(void *ctx)
{
    xsd_process(ctrl_xsd);
    return 0;
}

void ctrl_platform_init(void)
{
    struct xsd_quota q;

    if ( pv_evt_init() )
        test_abort("cannot take event upcalls");
    if ( pv_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port) )
        test_abort("cannot bind VIRQ_TIMER");
    /* Console input wakes the prompt (it also polls, in case). */
    if ( pv_evtchn_bind_virq(VIRQ_CONSOLE, 0, &console_port) )
        printf("keel-ctrl: no VIRQ_CONSOLE: the prompt polls for input\n");
    pv_evt_enable();

    xsd_quota_defaults(&q);
    if ( (ctrl_xsd = xsd_create(&pv_xsd_ops, &q)) == NULL ||
         (ctrl_xs = xs_open_local(ctrl_xsd, 0, xs_local_wait, NULL)) == NULL )
        test_abort("cannot start xenstored");
}
