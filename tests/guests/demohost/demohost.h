/* Shared by the demohost kernel's files (see demohost.c). */
#ifndef DEMOHOST_H
#define DEMOHOST_H

#include <pvguest/lib.h>
#include <pvguest/event.h>
#include <keelctrl.h>
#include <consback.h>

#define DOMU_KB         (8 * 1024)
#define HIST_LINES      48

/* A domU built from the module, with its xenstore home and console. */
struct domu {
    domid_t id;
    char name[16];
    void *cons_page;                    /* its console ring, mapped */
    struct cons_ring cons;
    struct cons_lines lines;
    evtchn_port_t cons_port;            /* our end */
    bool introduced;
    char hist[HIST_LINES][CONS_LINE_MAX + 1];
    unsigned int nr_hist;               /* lines kept (the first ones) */
};

extern struct kc_handle *kc;
extern struct xs_handle *xs;            /* privileged, local */
extern bool on_keel;

/* host.c: xenstored, event loop, building and tearing down domUs. */
void host_init(const void *image, size_t len);
/* Serve xenstored and the consoles once. */
void host_service(void);
/* Sleep until an event or ns have passed, then serve. */
void host_wait(uint64_t ns);
/* Built, in xenstore, introduced, console attached, unpaused: or NULL. */
struct domu *domu_start(const char *name, const char *cmdline);
void domu_destroy(struct domu *d);
/* Wait for a console line containing needle: the line, or NULL. */
const char *domu_wait_line(struct domu *d, const char *needle,
                           uint64_t timeout_ns);
/* Type input on its console. */
void domu_type(struct domu *d, const char *s);
/* Its shutdown reason once shut down (-1 if still running after ns). */
int domu_wait_shutdown(struct domu *d, uint64_t timeout_ns);
/* /local/domain/<id>/<key>: 0 and a malloc'ed value (free it), or -errno */
int domu_xs_read(struct domu *d, const char *key, char **val);
int domu_xs_write(struct domu *d, const char *key, const char *val);

#endif /* DEMOHOST_H */
