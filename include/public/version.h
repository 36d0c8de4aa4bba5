/*
 * Keel public ABI: HYPERVISOR_xen_version(cmd, arg).
 *
 * Identification of the hypervisor.  Keel answers as the Xen version whose
 * ABI it implements, so guests take their usual paths.
 *
 * Every sub-op returns 0 on success except XENVER_version, XENVER_pagesize
 * and XENVER_build_id, which return a value.  Errors: -XEN_EFAULT (arg not
 * writable), -XEN_ENOSYS (unknown cmd), -XEN_EPERM (XENVER_build_id needs
 * a privileged domain; an unprivileged XENVER_commandline succeeds with
 * the string "<denied>"; the others are open to every domain).
 */
#ifndef KEEL_PUBLIC_VERSION_H
#define KEEL_PUBLIC_VERSION_H

#include "xen.h"

/* arg unused; returns (major << 16) | minor. */
#define XENVER_version      0

/* arg: xen_extraversion_t, e.g. ".1" (NUL-terminated). */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* arg: struct xen_compile_info, NUL-terminated strings. */
#define XENVER_compile_info 2
struct xen_compile_info {
    char compiler[64];          /* compiler and version */
    char compile_by[16];        /* user that built it */
    char compile_domain[32];    /* build host domain */
    char compile_date[32];      /* build date */
};
typedef struct xen_compile_info xen_compile_info_t;
XEN_ABI_CHECK_SIZE(struct xen_compile_info, 144);
XEN_ABI_CHECK_OFFSET(struct xen_compile_info, compile_by, 64);
XEN_ABI_CHECK_OFFSET(struct xen_compile_info, compile_domain, 80);
XEN_ABI_CHECK_OFFSET(struct xen_compile_info, compile_date, 112);

/* arg: xen_capabilities_info_t, space-separated guest types such as
 * "xen-3.0-x86_64". */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* arg: xen_changeset_info_t, the source revision. */
#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* arg: struct xen_platform_parameters. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;     /* lowest hypervisor-reserved address */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
XEN_ABI_CHECK_SIZE(struct xen_platform_parameters, 8);

/* arg: struct xen_feature_info.  -XEN_EINVAL for submap_idx >=
 * XENFEAT_NR_SUBMAPS. */
#define XENVER_get_features 6
struct xen_feature_info {
    unsigned int submap_idx;    /* IN: which group of 32 features */
    uint32_t     submap;        /* OUT: XENFEAT_* bits of that group */
};
typedef struct xen_feature_info xen_feature_info_t;
XEN_ABI_CHECK_SIZE(struct xen_feature_info, 8);
XEN_ABI_CHECK_OFFSET(struct xen_feature_info, submap, 4);

#include "features.h"

/* arg unused; returns the page size in bytes (4096). */
#define XENVER_pagesize 7

/* arg: xen_domain_handle_t; the handle (UUID) the toolstack gave the
 * calling domain. */
#define XENVER_guest_handle 8

/* arg: xen_commandline_t, the hypervisor command line; "<denied>" for an
 * unprivileged domain. */
#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/*
 * arg: struct xen_build_id, or NULL to ask for the length.  Returns the
 * number of bytes of build id (written to buf when arg is given).
 * Privileged.  Errors: -XEN_EINVAL (len == 0), -XEN_ENOBUFS (len too
 * small), -XEN_ENODATA (no build id).
 */
#define XENVER_build_id 10
struct xen_build_id {
    uint32_t      len;          /* IN: bytes available in buf */
    unsigned char buf[];        /* OUT: the build id */
};
typedef struct xen_build_id xen_build_id_t;
XEN_ABI_CHECK_SIZE(struct xen_build_id, 4);

#endif /* KEEL_PUBLIC_VERSION_H */
