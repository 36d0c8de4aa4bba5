/*
 * Command-line options that have no subsystem file of their own yet,
 * parsed by common/misc_params.c: maxcpus=, noreboot, sched=, iommu= and
 * pv-linear-pt.  The owning subsystems read these once they exist.
 *
 * The variables are written only by the command-line parser during early
 * boot and are constant afterwards (c).
 */
#ifndef KEEL_MISC_PARAMS_H
#define KEEL_MISC_PARAMS_H

#include <keel/types.h>

/* maxcpus=: most CPUs to bring up; 0 (the default) means all of them. */
extern unsigned int opt_maxcpus;                    /* (c) */

/* noreboot: after a panic, stay halted instead of rebooting after 5 s. */
extern bool opt_noreboot;                           /* (c) default false */

/* sched=: name of the scheduler to use; the scheduler code validates it. */
#define SCHED_NAME_MAX 16
extern char opt_sched[SCHED_NAME_MAX];              /* (c) "credit2" */

/* pv-linear-pt: PV guests may map page tables recursively (NetBSD does). */
extern bool opt_pv_linear_pt;                       /* (c) default true */

/* iommu=: what to do with the IOMMUs. */
enum iommu_quarantine {
    IOMMU_QUARANTINE_NONE,          /* quarantine=0 */
    IOMMU_QUARANTINE_BASIC,         /* quarantine=1 (default): DMA faults */
    IOMMU_QUARANTINE_SCRATCH_PAGE,  /* quarantine=scratch-page */
};

struct iommu_params {
    bool enable;                /* iommu=<bool>; default true */
    bool force;                 /* force / required: no boot without one */
    bool verbose;
    bool debug;                 /* implies verbose */
    enum iommu_quarantine quarantine;
    bool intremap;              /* interrupt remapping; default true */
    bool intpost;               /* posted interrupts; default false */
    bool superpages;            /* default true */
    bool qinval;                /* VT-d queued invalidation; default true */
    bool snoop;                 /* VT-d snoop control; default true */
    bool igfx;                  /* VT-d for graphics-only units; default true */
    bool crash_disable;         /* turn IOMMUs off before kexec; default false */
    bool amd_perdev_intremap;   /* AMD per-device IRT; default true */
};
extern struct iommu_params opt_iommu;               /* (c) */

/* Put every option above back to its default (boot state; for tests). */
void misc_params_reset(void);

#endif /* KEEL_MISC_PARAMS_H */
