/*
 * xenstored in a PV kernel on Keel's guest runtime (tools/guest):
 * the platform operations (xsd_pv.c), for the control domain and for
 * test kernels that host domUs.  Rings are mapped at recycled runtime
 * windows, event channels are interdomain bindings of vCPU 0, and log
 * lines go to the console as "xenstored: ...".
 */
#ifndef KEEL_XENSTORED_PV_H
#define KEEL_XENSTORED_PV_H

#include <xenstored.h>

extern const struct xsd_ops pv_xsd_ops;

#endif /* KEEL_XENSTORED_PV_H */
