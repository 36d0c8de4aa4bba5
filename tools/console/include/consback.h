/*
 * The PV console backend's core (prefix cons_): moving bytes through a
 * domU's console ring page (include/public/io/console.h) and turning its
 * output into log lines.  Portable: the platform maps the ring page,
 * delivers the event channel and decides where lines and input go.
 *
 * The ring page is shared with a guest that may write anything at any
 * time: indices are read once per call, checked (the producer may be at
 * most one ring ahead of the consumer) and a ring found inconsistent is
 * marked broken and never touched again; the copied bytes are only data.
 */
#ifndef KEEL_CONSBACK_H
#define KEEL_CONSBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/io/console.h>

struct cons_ring {
    volatile struct xencons_interface *intf;
    bool broken;                /* the guest wrote impossible indices */
};

/* Take up to len bytes of the guest's output: the count moved (0 if none
 * or broken).  The caller notifies the guest when anything moved. */
size_t cons_read_out(struct cons_ring *r, char *buf, size_t len);
/* Give up to len bytes of input to the guest: the count moved. */
size_t cons_write_in(struct cons_ring *r, const char *buf, size_t len);

/*
 * Output to log lines: bytes accumulate until a newline (or the line
 * buffer fills), then emit(priv, line) is called with the line without
 * its newline; carriage returns are dropped, other control characters
 * but tab shown as '?', so a guest cannot drive the control console.
 */
#define CONS_LINE_MAX 160
struct cons_lines {
    char buf[CONS_LINE_MAX + 1];
    size_t len;
};
void cons_lines_feed(struct cons_lines *l, const char *data, size_t len,
                     void (*emit)(void *priv, const char *line), void *priv);

#endif /* KEEL_CONSBACK_H */
