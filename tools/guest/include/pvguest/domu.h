/*
 * What a PV kernel needs to be a proper domU (a domain the control
 * domain built, without SIF_INITDOMAIN): its console ring, its xenstore
 * connection, grant tables and the PV control protocol.
 *
 *   xencons.c   the console ring (start_info.console.domU): printf and
 *               pv_console_write go there in a domU; input is read from it
 *   xenstore.c  libxs over the xenstore ring (start_info.store_mfn), and
 *               small helpers that bound what they read
 *   gnttab.c    this domain's v1 grant table: grant and end access to a
 *               frame; map and unmap another domain's grant
 *   control.c   control/shutdown: the feature keys, the watch, and
 *               SCHEDOP_shutdown with the reason asked for
 *   errno.c     names of error numbers for messages
 *
 * Nothing here uses upcalls: waiting is SCHEDOP_poll on the port
 * concerned with a deadline, and every wait ends (see each function).
 * The xenstore client is libxs (tools/libs/xs/xs.h), so xenstore.c and
 * control.c are built into libkeeltools.a with it, not into libpvguest.a:
 * a kernel that calls them links libkeeltools.a (the test kernels, keel-
 * ctrl and the demo do), and includes <xs.h> to call libxs directly.
 */
#ifndef PVGUEST_DOMU_H
#define PVGUEST_DOMU_H

#include <pvguest/lib.h>
#include <pvguest/event.h>
#include <public/grant_table.h>

struct xs_handle;
struct xs_watch_event;

/* ---- console ring (xencons.c) ----------------------------------------- */

/*
 * True when console output goes to the ring: we are not the initial
 * domain and start_info names a console page.
 */
bool pv_xencons_active(void);
/* The console event channel (0 when not active). */
evtchn_port_t pv_xencons_port(void);
/*
 * Output ('\n' becomes "\r\n").  Waits for room while the backend drains
 * the ring; a backend that takes nothing for PV_XENCONS_STALL_NS makes
 * this and later writes drop what does not fit, until it moves again.
 */
void pv_xencons_write(const char *s, size_t len);
/* Input: up to len bytes the backend put in the ring (0: none now). */
size_t pv_xencons_read(char *buf, size_t len);

#define PV_XENCONS_STALL_NS     PV_MS(2000)

/* ---- xenstore (xenstore.c) --------------------------------------------- */

/*
 * The xenstore connection of this domain (one per kernel; later calls
 * return the same handle).  NULL if start_info names no store ring or its
 * page is not in the boot mapping.  Calls on it wait with SCHEDOP_poll on
 * the store channel; a store silent for PV_XS_TIMEOUT_NS makes the call
 * fail with -XEN_ETIMEDOUT.
 */
struct xs_handle *pv_xs_open(void);
evtchn_port_t pv_xs_port(void);

#define PV_XS_TIMEOUT_NS        PV_MS(30000)

/*
 * Our domain id (the "domid" key of our home) and home path
 * (XS_GET_DOMAIN_PATH, "/local/domain/<id>").  0 or -XEN_E*.
 */
int pv_xs_domid(struct xs_handle *h, domid_t *domid);
int pv_xs_home(struct xs_handle *h, char *buf, size_t len);

/*
 * Bounded reads, for values another domain may have written: the value
 * must fit buf with its NUL (-XEN_E2BIG otherwise) and hold no NUL of its
 * own (-XEN_EINVAL).  pv_xs_read_uint takes plain decimal (no sign, no
 * spaces, at most max; -XEN_EINVAL otherwise).
 */
int pv_xs_read_str(struct xs_handle *h, const char *path, char *buf,
                   size_t len);
int pv_xs_read_uint(struct xs_handle *h, const char *path,
                    unsigned long max, unsigned long *val);
int pv_xs_write_str(struct xs_handle *h, const char *path, const char *val);
/* Owner us, read access for every other domain. */
int pv_xs_set_world_readable(struct xs_handle *h, const char *path);

/* ---- PV control protocol (control.c) ---------------------------------- */

/*
 * Write control/feature-poweroff and control/feature-reboot = "1" under
 * our home and watch control/shutdown (token PV_CONTROL_TOKEN).  0 or
 * -XEN_E*.
 */
int pv_control_init(struct xs_handle *h);
#define PV_CONTROL_TOKEN        "pv-control"

/*
 * Judge one watch event: if it is ours and control/shutdown holds
 * "poweroff", "halt" or "reboot", clear the key (in a transaction) and
 * shut down with that reason (does not return).  Returns true if the
 * event was ours.
 */
bool pv_control_event(struct xs_handle *h, const struct xs_watch_event *ev);
/*
 * Every watch event queued or waiting in the ring now (not blocking):
 * ours are judged as above, others are passed to other() when set, else
 * dropped.  Returns how many events there were.
 */
unsigned int pv_control_service(struct xs_handle *h,
                                void (*other)(const struct xs_watch_event *));
/* Called (when set) just before SCHEDOP_shutdown for a request. */
extern void (*pv_control_before_shutdown)(unsigned int reason);

/* ---- grant tables (gnttab.c) ------------------------------------------- */

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *op,
                                             unsigned int count)
{
    return HC(grant_table_op, cmd, op, count, 0, 0);
}

/*
 * GNTTABOP_setup_table for our table (PV_GNTTAB_FRAMES frames) and map
 * it.  The result of the hypercall (0 or -errno); when that is 0, *status
 * (may be NULL) holds the operation's GNTST_* code.  Every grant-table
 * call below reports the same way, and returns 1 when the hypercall
 * succeeded but the status is not GNTST_okay.
 */
long pv_gnttab_init(int16_t *status);
#define PV_GNTTAB_FRAMES        1

/*
 * Let domain dom map (or copy) frame mfn: a free v1 entry from
 * GNTTAB_NR_RESERVED_ENTRIES up gets domid and frame, then, after a write
 * barrier, its flags.  0 and *ref, -XEN_ENOSPC when the table is full,
 * -XEN_EINVAL for a frame v1 cannot name, -XEN_ENODEV before init.
 */
long pv_gnttab_grant(domid_t dom, unsigned long mfn, bool readonly,
                     grant_ref_t *ref);
/*
 * Take the access back, unless the grantee has it mapped or is copying
 * (GTF_reading/GTF_writing): then -XEN_EBUSY, and the grant stays.
 */
long pv_gnttab_end(grant_ref_t ref);
/* The entry's flags as the hypervisor left them (GTF_*). */
uint16_t pv_gnttab_flags(grant_ref_t ref);

/*
 * Map grant ref of domain dom at va (GNTMAP_host_map; the page-aligned VA
 * must have an L1 table behind it: a pv_foreign_window() page does).  The
 * VA's old mapping is taken down first, with a TLB flush, which Xen's map
 * does not do; if the map fails the VA is left unmapped.  *handle for the
 * unmap.
 */
long pv_gnttab_map(unsigned long va, domid_t dom, grant_ref_t ref,
                   bool readonly, grant_handle_t *handle, int16_t *status);
/* Undo it; the VA is left unmapped (pv_foreign_unmap() remaps a window). */
long pv_gnttab_unmap(unsigned long va, grant_handle_t handle,
                     int16_t *status);
/* "GNTST_permission_denied" etc. */
const char *pv_gntst_name(int16_t status);

/* ---- errors (errno.c) --------------------------------------------------- */

/* "EPERM" for -XEN_EPERM (or XEN_EPERM), "E?" for unknown numbers. */
const char *pv_errno_name(long rc);

#endif /* PVGUEST_DOMU_H */
