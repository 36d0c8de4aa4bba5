/*
 * libkeelctrl: the toolstack's calls into the hypervisor (domain control,
 * system control, memory, page-table and event-channel operations on
 * other domains), written once for every place the tools run.
 *
 * Portability: the library is plain C and reaches the hypervisor only
 * through a struct kc_platform the caller supplies: in a PV kernel of
 * Keel's own (the control domain, test kernels) hypercalls are direct and
 * buffers are ordinary memory; on a Linux dom0 they go through privcmd and
 * buffers must come from its hypercall-buffer allocator.  Every pointer
 * handed to the hypervisor (the domctl/sysctl struct itself, bitmaps,
 * contexts, frame lists) is in a buffer from kc_platform.buf_alloc.
 *
 * Results: 0 or a negative Xen errno (include/public/errno.h values), or a
 * count where the call says so.  Nothing here prints.
 */
#ifndef KEELCTRL_H
#define KEELCTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/sched.h>

struct kc_platform {
    void *priv;
    /* Hypercall nr with five arguments: its return value. */
    long (*hypercall)(void *priv, unsigned int nr, unsigned long a1,
                      unsigned long a2, unsigned long a3, unsigned long a4,
                      unsigned long a5);
    /* Memory the hypervisor may read and write during a call. */
    void *(*buf_alloc)(void *priv, size_t len);
    void (*buf_free)(void *priv, void *p, size_t len);
    /* One frame of domain domid mapped here, or NULL (then unmapped). */
    void *(*map_foreign)(void *priv, domid_t domid, xen_pfn_t mfn,
                         bool writable);
    void (*unmap_foreign)(void *priv, void *va);
};

struct kc_handle {
    const struct kc_platform *plat;
};

/* Raw calls: interface_version is filled in; the struct is copied back. */
int kc_domctl(struct kc_handle *h, struct xen_domctl *op);
int kc_sysctl(struct kc_handle *h, struct xen_sysctl *op);

/* ---- domains ------------------------------------------------------------ */
/* *domid: 0 to let the hypervisor choose; the id chosen on success. */
int kc_domain_create(struct kc_handle *h, uint32_t *domid,
                     const struct xen_domctl_createdomain *cfg);
/* Allocate the vCPUs: max must equal the createdomain max_vcpus. */
int kc_domain_max_vcpus(struct kc_handle *h, domid_t domid, uint32_t max);
int kc_domain_destroy(struct kc_handle *h, domid_t domid);
int kc_domain_pause(struct kc_handle *h, domid_t domid);
int kc_domain_unpause(struct kc_handle *h, domid_t domid);
/* Exactly domid (-ESRCH when it does not exist). */
int kc_domain_getinfo(struct kc_handle *h, domid_t domid,
                      struct xen_domctl_getdomaininfo *info);
int kc_domain_setmaxmem(struct kc_handle *h, domid_t domid,
                        uint64_t max_kb);
int kc_domain_hypercall_init(struct kc_handle *h, domid_t domid,
                             xen_pfn_t gmfn);
int kc_domain_shutdown(struct kc_handle *h, domid_t domid,
                       unsigned int reason);

/* ---- vCPUs -------------------------------------------------------------- */
int kc_vcpu_setcontext(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                       const struct vcpu_guest_context *ctxt);
int kc_vcpu_getinfo(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                    struct xen_domctl_getvcpuinfo *info);
/*
 * Hard and/or soft affinity (NULL: leave it) as bitmaps of nr_bits CPUs;
 * on success the maps are rewritten with the affinity in effect.
 */
int kc_vcpu_setaffinity(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                        uint8_t *hard, uint8_t *soft, uint32_t nr_bits);
int kc_vcpu_getaffinity(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                        uint8_t *hard, uint8_t *soft, uint32_t nr_bits);
/* As kc_vcpu_setaffinity, also ending a pinning the guest's kernel made
 * (SCHEDOP_pin_override): XEN_VCPUAFFINITY_FORCE, `xl vcpu-pin -f`. */
int kc_vcpu_setaffinity_force(struct kc_handle *h, domid_t domid,
                              uint32_t vcpu, uint8_t *hard, uint8_t *soft,
                              uint32_t nr_bits);

/* ---- scheduler ---------------------------------------------------------- */
int kc_sched_id(struct kc_handle *h, uint32_t *sched_id);
/*
 * Weight and cap of a domain under scheduler sched_id (XEN_SCHEDULER_CREDIT
 * or CREDIT2, which share the two fields; -EINVAL from the hypervisor when
 * it is not the scheduler in use).
 */
int kc_sched_credit_get(struct kc_handle *h, domid_t domid,
                        uint32_t sched_id, struct xen_domctl_sched_credit *p);
int kc_sched_credit_set(struct kc_handle *h, domid_t domid,
                        uint32_t sched_id,
                        const struct xen_domctl_sched_credit *p);

/* ---- host ---------------------------------------------------------------- */
int kc_physinfo(struct kc_handle *h, struct xen_sysctl_physinfo *info);
/*
 * Up to max domains with ids >= first, in id order: how many were
 * written to info[], or -errno.
 */
int kc_domain_list(struct kc_handle *h, domid_t first,
                   struct xen_domctl_getdomaininfo *info, uint32_t max);
/*
 * The hypervisor's console ring: up to *len bytes into buf (*len is set to
 * what was read).  *index: where to start when incremental, and the next
 * index on return.  clear empties the ring afterwards.
 */
int kc_readconsole(struct kc_handle *h, char *buf, uint32_t *len,
                   uint32_t *index, bool incremental, bool clear);
/* xen_version sub-op cmd into buf (len bytes, zeroed first): its result. */
long kc_xen_version(struct kc_handle *h, unsigned int cmd, void *buf,
                    size_t len);
/*
 * XENVER_build_id: the build id into buf (len bytes of room).  Returns
 * its length, or -errno: -ENOBUFS when len is too small, -ENODATA when
 * there is none, -EPERM when not privileged.
 */
long kc_xen_build_id(struct kc_handle *h, unsigned char *buf, uint32_t len);
/* The CPUs in no CPU pool (XEN_SYSCTL_CPUPOOL_OP_FREEINFO) as a bitmap of
 * nr_bits CPUs, written only on success. */
int kc_cpupool_freeinfo(struct kc_handle *h, uint8_t *map, uint32_t nr_bits);

/* ---- memory and page tables of another domain ------------------------- */
/*
 * Give domid the frames pfns[0..nr) (order 0); pfns[i] becomes the MFN
 * (PV).  Returns how many were populated (< nr: out of memory or over
 * the domain's maximum) or -errno.
 */
long kc_populate_physmap(struct kc_handle *h, domid_t domid,
                         xen_pfn_t *pfns, unsigned long nr);
/* One mmuext_op (cmd, arg1 = mfn) on frames of domid. */
int kc_mmuext(struct kc_handle *h, domid_t domid, unsigned int cmd,
              xen_pfn_t mfn);

/* ---- event channels ---------------------------------------------------- */
int kc_evtchn_alloc_unbound(struct kc_handle *h, domid_t domid,
                            domid_t remote, evtchn_port_t *port);

#endif /* KEELCTRL_H */
