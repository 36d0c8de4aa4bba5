/*
 * keel-ctrl: Keel's own control domain, a PV kernel on the guest runtime
 * (tools/guest) that runs xenstored, the console backend and the
 * toolstack, and offers xl at a prompt on its console.
 *
 *   main.c      start of day, the event loop, autostart, the prompt
 *   platform.c  what the libraries need from this kernel: event channels,
 *               lasting foreign mappings, files from the initrd, waiting
 *   input.c     console input (CONSOLEIO_read) and line editing
 *
 * Single-threaded, on vCPU 0: every event (any port) wakes the loop,
 * which then serves everything (xenstored rings, consoles, dead domains).
 */
#ifndef KEEL_CTRLDOM_H
#define KEEL_CTRLDOM_H

#include <pvguest/lib.h>
#include <pvguest/event.h>
#include <keelctrl.h>

struct xsd;
struct xs_handle;
struct ts;

extern struct xsd *ctrl_xsd;
extern struct xs_handle *ctrl_xs;
extern struct ts *ctrl_ts;

/* platform.c */
void ctrl_platform_init(void);
/* A file of the initrd (cpio): 0 or -ENOENT. */
int ctrl_read_file(const char *path, const void **data, size_t *len);
/* Sleep until any event or ns nanoseconds have passed. */
void ctrl_wait(uint64_t ns);
/* Serve everything once: xenstored, consoles, domain deaths. */
void ctrl_service(void);
extern const struct ts_platform ctrl_ts_platform;

/* input.c */
/* Bytes typed on the console now (0: none). */
size_t ctrl_input(char *buf, size_t len);
/* A whole line, edited (backspace), echoed; waits, serving events. */
void ctrl_readline(const char *prompt, char *line, size_t len);
void ctrl_write(const char *s, size_t len);

#endif /* KEEL_CTRLDOM_H */
