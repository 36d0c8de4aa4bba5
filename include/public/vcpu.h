/*
 * Keel public ABI: HYPERVISOR_vcpu_op(cmd, vcpuid, arg).
 *
 * Bringing vCPUs up and down, their timers, and where their shared state
 * lives.  Numbers and layouts are Xen 4.17's.
 *
 * Privilege: a domain acts on its own vCPUs only.  Common errors:
 * -XEN_ENOENT (no vCPU @vcpuid), -XEN_EFAULT, -XEN_EINVAL, -XEN_ENOSYS
 * (unknown cmd).
 */
#ifndef KEEL_PUBLIC_VCPU_H
#define KEEL_PUBLIC_VCPU_H

#include "xen.h"

/* arg = struct vcpu_guest_context.  Give a vCPU that has never run its
 * initial state (it stays down until VCPUOP_up).  -XEN_EEXIST if already
 * initialised, -XEN_EINVAL for a rejected context. */
#define VCPUOP_initialise            0

/* arg unused.  Start an initialised vCPU.  -XEN_EINVAL if it has no
 * context yet. */
#define VCPUOP_up                    1

/* arg unused.  Stop a vCPU (its state is kept).  Returns 0. */
#define VCPUOP_down                  2

/* arg unused.  Returns 1 if the vCPU is up, 0 if not. */
#define VCPUOP_is_up                 3

/* arg = struct vcpu_runstate_info.  Copy out the vCPU's run state. */
#define VCPUOP_get_runstate_info     4
struct vcpu_runstate_info {
    int      state;             /* RUNSTATE_* now */
    uint64_t state_entry_time;  /* system time (ns) it was entered;
                                   XEN_RUNSTATE_UPDATE set while changing */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)
    uint64_t time[4];           /* ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);
XEN_ABI_CHECK_SIZE(struct vcpu_runstate_info, 48);
XEN_ABI_CHECK_OFFSET(struct vcpu_runstate_info, state_entry_time, 8);
XEN_ABI_CHECK_OFFSET(struct vcpu_runstate_info, time, 16);

#define RUNSTATE_running  0     /* on a physical CPU */
#define RUNSTATE_runnable 1     /* ready, waiting for a CPU */
#define RUNSTATE_blocked  2     /* waiting for an event */
#define RUNSTATE_offline  3     /* down, or preempted by the hypervisor */

/*
 * arg = struct vcpu_register_runstate_memory_area.  Keep a copy of the
 * vCPU's vcpu_runstate_info at a guest virtual address (valid in every
 * address space the vCPU runs, for a PV guest), updated on every state
 * change.  With VMASST_TYPE_runstate_update_flag the hypervisor sets
 * XEN_RUNSTATE_UPDATE in state_entry_time while it writes.  Address 0
 * stops the updates.  Returns 0.
 */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);
XEN_ABI_CHECK_SIZE(struct vcpu_register_runstate_memory_area, 8);

/* arg = struct vcpu_set_periodic_timer.  VIRQ_TIMER every period_ns.
 * -XEN_EINVAL for a period below 1 ms.  stop: arg unused. */
#define VCPUOP_set_periodic_timer    6
#define VCPUOP_stop_periodic_timer   7
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);
XEN_ABI_CHECK_SIZE(struct vcpu_set_periodic_timer, 8);

/* arg = struct vcpu_set_singleshot_timer.  One VIRQ_TIMER at the absolute
 * system time given.  Only on the calling vCPU (-XEN_EINVAL otherwise).
 * With VCPU_SSHOTTMR_future a time already past gives -XEN_ETIME.
 * stop: arg unused. */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;    /* absolute system time, ns */
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);
XEN_ABI_CHECK_SIZE(struct vcpu_set_singleshot_timer, 16);
XEN_ABI_CHECK_OFFSET(struct vcpu_set_singleshot_timer, flags, 8);
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1u << _VCPU_SSHOTTMR_future)

/*
 * arg = struct vcpu_register_vcpu_info.  Move the vCPU's vcpu_info out of
 * shared_info to @offset in frame @mfn (a writable page of the caller);
 * needed for vCPUs 32 and up.  Only once per vCPU, on the calling vCPU or
 * one that is down.  Errors: -XEN_ENXIO (offset leaves no room for 64
 * bytes, or is not 8-byte aligned), -XEN_EINVAL (already moved, bad frame,
 * vCPU running elsewhere).
 */
#define VCPUOP_register_vcpu_info   10
struct vcpu_register_vcpu_info {
    uint64_t mfn;               /* frame to hold the vcpu_info */
    uint32_t offset;            /* byte offset within it */
    uint32_t rsvd;              /* must be 0 */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);
XEN_ABI_CHECK_SIZE(struct vcpu_register_vcpu_info, 16);
XEN_ABI_CHECK_OFFSET(struct vcpu_register_vcpu_info, offset, 8);

/* arg unused.  Raise an NMI on the vCPU.  Returns 0. */
#define VCPUOP_send_nmi             11

/* arg = struct vcpu_get_physid.  Identity of the physical CPU a pinned
 * vCPU of the hardware domain runs on; -XEN_EINVAL otherwise. */
#define VCPUOP_get_physid           12
struct vcpu_get_physid {
    uint64_t phys_id;           /* APIC id in bits 0-31, ACPI id in 32-63 */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
XEN_ABI_CHECK_SIZE(struct vcpu_get_physid, 8);
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/* arg = struct vcpu_register_time_memory_area.  Keep a copy of the vCPU's
 * vcpu_time_info at a guest virtual address (for user-space clocks);
 * address 0 stops it.  Returns 0. */
#define VCPUOP_register_vcpu_time_memory_area 13
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);
XEN_ABI_CHECK_SIZE(struct vcpu_register_time_memory_area, 8);

#endif /* KEEL_PUBLIC_VCPU_H */
