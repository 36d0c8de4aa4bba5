/*
 * The demo domUs (tools/demo): one PV kernel on the guest runtime whose
 * command line picks what it does.
 *
 *   demo.c   start of day (xenstore, the control protocol), the command
 *            line, the echo role, and the loop every role ends in:
 *            console input and shutdown requests
 *   pair.c   ping/pong: two domUs find each other through xenstore,
 *            connect an interdomain event channel and map each other's
 *            granted page, exchange events and check the data
 *
 * Single vCPU, no upcalls: every wait is SCHEDOP_poll with a deadline.
 */
#ifndef DEMO_H
#define DEMO_H

#include <pvguest/domu.h>
#include <xs.h>

#define DEMO_NAME_MAX       32          /* name=, peer= */
#define DEMO_MAXDOM_DEFAULT 64          /* peers searched below this id */
#define DEMO_EVENTS_DEFAULT 10000

struct demo {
    struct xs_handle *xs;
    domid_t self;
    char home[64];                      /* /local/domain/<self> */
};
extern struct demo demo;

struct pair_args {
    bool initiator;                     /* ping: allocates the channel */
    char name[DEMO_NAME_MAX + 1];
    char peer[DEMO_NAME_MAX + 1];
    unsigned int maxdom;
    unsigned long events;
};

/* Sleep until deadline (pvclock ns) or an event on the console or store. */
void demo_wait(uint64_t deadline);
/* Serve shutdown requests (and echo input lines if echo) for ever. */
void __noreturn demo_serve(bool echo);

/* pair.c: the whole exchange, ending in one result line. */
void demo_pair(const struct pair_args *a);

#endif /* DEMO_H */
