/*
 * Keel public ABI: the PV console ring page.
 *
 * A domU's console is one shared page (start_info.console.domU.mfn, grant
 * reference GNTTAB_RESERVED_CONSOLE) plus an event channel.  Two byte
 * rings: @in carries keyboard input to the guest, @out the guest's output
 * to the backend.  Indices only grow (wrapping at 2^32); the byte for
 * index i is at ring[MASK_XENCONS_IDX(i, ring)].  The producer writes the
 * data, issues a write barrier, then advances prod; the consumer reads
 * prod, a read barrier, the data, then advances cons; each side notifies
 * the event channel after moving its index.  Layout as in Xen 4.17.
 */
#ifndef KEEL_PUBLIC_IO_CONSOLE_H
#define KEEL_PUBLIC_IO_CONSOLE_H

#include "../xen.h"

typedef uint32_t XENCONS_RING_IDX;

/* Position of index @idx in @ring (a char array whose size is a power of 2). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];                  /* backend -> guest */
    char out[2048];                 /* guest -> backend */
    XENCONS_RING_IDX in_cons;       /* written by the guest */
    XENCONS_RING_IDX in_prod;       /* written by the backend */
    XENCONS_RING_IDX out_cons;      /* written by the backend */
    XENCONS_RING_IDX out_prod;      /* written by the guest */
};
XEN_ABI_CHECK_SIZE(struct xencons_interface, 3088);
XEN_ABI_CHECK_OFFSET(struct xencons_interface, out, 1024);
XEN_ABI_CHECK_OFFSET(struct xencons_interface, in_cons, 3072);
XEN_ABI_CHECK_OFFSET(struct xencons_interface, in_prod, 3076);
XEN_ABI_CHECK_OFFSET(struct xencons_interface, out_cons, 3080);
XEN_ABI_CHECK_OFFSET(struct xencons_interface, out_prod, 3084);

#endif /* KEEL_PUBLIC_IO_CONSOLE_H */
