/*
 * Keel public ABI: HYPERVISOR_xsm_op(struct xen_flask_op *).
 *
 * The FLASK security module's control interface.  Keel has no FLASK: it
 * answers every xsm_op with -XEN_ENOSYS, which is what guests and tools
 * expect from a Xen built without FLASK.  Only the outer structure and the
 * sub-op numbers are given, so callers can be decoded and logged; the
 * argument union is kept at Xen 4.17's size (32 bytes) but its members
 * beyond the simplest are not spelled out.
 */
#ifndef KEEL_PUBLIC_XSM_FLASK_OP_H
#define KEEL_PUBLIC_XSM_FLASK_OP_H

#include "../xen.h"

#define XEN_FLASK_INTERFACE_VERSION 1

/* FLASK_LOAD: a new policy image. */
struct xen_flask_load {
    XEN_GUEST_HANDLE(char) buffer;      /* IN: policy */
    uint32_t size;                      /* IN: bytes */
};
XEN_ABI_CHECK_SIZE(struct xen_flask_load, 16);

/* FLASK_GETENFORCE / FLASK_SETENFORCE. */
struct xen_flask_setenforce {
    uint32_t enforcing;                 /* 0 permissive, 1 enforcing */
};
XEN_ABI_CHECK_SIZE(struct xen_flask_setenforce, 4);

/* FLASK_CONTEXT_TO_SID / FLASK_SID_TO_CONTEXT. */
struct xen_flask_sid_context {
    uint32_t sid;                       /* IN/OUT */
    uint32_t size;                      /* IN: buffer; OUT: string length */
    XEN_GUEST_HANDLE(char) context;     /* IN/OUT: security context text */
};
XEN_ABI_CHECK_SIZE(struct xen_flask_sid_context, 16);

struct xen_flask_op {
    uint32_t cmd;
#define FLASK_LOAD              1
#define FLASK_GETENFORCE        2
#define FLASK_SETENFORCE        3
#define FLASK_CONTEXT_TO_SID    4
#define FLASK_SID_TO_CONTEXT    5
#define FLASK_ACCESS            6
#define FLASK_CREATE            7
#define FLASK_RELABEL           8
#define FLASK_USER              9   /* no longer implemented in Xen */
#define FLASK_POLICYVERS        10
#define FLASK_GETBOOL           11
#define FLASK_SETBOOL           12
#define FLASK_COMMITBOOLS       13
#define FLASK_MLS               14
#define FLASK_DISABLE           15  /* no longer implemented in Xen */
#define FLASK_GETAVC_THRESHOLD  16
#define FLASK_SETAVC_THRESHOLD  17
#define FLASK_AVC_HASHSTATS     18
#define FLASK_AVC_CACHESTATS    19
#define FLASK_MEMBER            20
#define FLASK_ADD_OCONTEXT      21
#define FLASK_DEL_OCONTEXT      22
#define FLASK_GET_PEER_SID      23
#define FLASK_RELABEL_DOMAIN    24
#define FLASK_DEVICETREE_LABEL  25
    uint32_t interface_version;         /* XEN_FLASK_INTERFACE_VERSION */
    union {
        struct xen_flask_load load;
        struct xen_flask_setenforce enforce;
        struct xen_flask_sid_context sid_context;
        uint8_t pad[32];                /* the other sub-ops' arguments */
    } u;
};
typedef struct xen_flask_op xen_flask_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_flask_op_t);
XEN_ABI_CHECK_SIZE(struct xen_flask_op, 40);
XEN_ABI_CHECK_OFFSET(struct xen_flask_op, u, 8);

#endif /* KEEL_PUBLIC_XSM_FLASK_OP_H */
