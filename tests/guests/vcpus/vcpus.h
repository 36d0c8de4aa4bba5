/*
 * vcpus: shared declarations of the multi-vCPU conformance kernel: the
 * orchestration on vCPU 0 (vcpus.c) and the functions the secondary vCPUs
 * run through the runtime's mailbox (secondary.c).
 *
 * The runtime (<pvguest/smp.h>) builds the secondaries' contexts, enters
 * them at pv_smp_entry, records the registers their context gave them,
 * and takes every vCPU's event upcalls (pv_evt_entry: per port the count,
 * the vCPU that took it and its pvclock then).  What this kernel checks
 * beyond that is kept in struct vc_cpu, written by the vCPU it describes.
 */
#ifndef VCPUS_TEST_H
#define VCPUS_TEST_H

#include <pvguest/smp.h>

#define VC_MAX              PV_SMP_MAX  /* vCPUs used (more are ignored) */
#define VC_MAGIC_RBX        0x5eb0c0de00000000UL
#define VC_MAGIC_R15        0x0123456789abcdefUL
#define VC_TIMEOUT_NS       PV_MS(20000)

struct vc_cpu {
    /* What the vCPU found at start of day (vc_start). */
    unsigned long entry_gs;
    struct pv_clock_sample start_clock;
    bool lar_ok;
    uint32_t lar_val;
    int start_area_state;

    /* Events. */
    evtchn_port_t ipi_port;             /* bound to this vCPU by itself */
    volatile uint64_t send_time;        /* pvclock before vc_send's send */

    /* vc_block. */
    volatile bool blocking, sent, woke_after_send;
    volatile unsigned long nr_blocks;
    volatile long block_rc;

    /* vc_clock. */
    volatile unsigned long clock_self_back;

    /* vc_runstate. */
    struct vcpu_runstate_info rs1, rs2;
    long rs_rc1, rs_rc2;
    int rs_area_state;

    /* vc_spin: counts while it runs, until stop. */
    volatile unsigned long counter;
    volatile bool stop;

    /* vc_self_down. */
    volatile bool self_down_returned;
    volatile long self_down_rc;

    /* The registered runstate area. */
    struct vcpu_runstate_info area __aligned(64);
} __aligned(64);

extern struct vc_cpu vc_cpus[VC_MAX];
extern unsigned int vc_nr;              /* vCPUs in use */

/* The shared clock ordering state of vc_clock. */
struct vc_clock {
    volatile unsigned int lock;
    volatile unsigned int start;        /* all vCPUs begin together */
    uint64_t last;
    unsigned int last_vcpu;
    unsigned long seq, backwards, handoffs;
    uint64_t worst;                     /* largest step back, ns */
    unsigned int worst_from, worst_to;
};
extern struct vc_clock vc_clock;

/* secondary.c: run on a vCPU through pv_smp_call/pv_smp_post (or as its
 * start function), each on the vCPU it runs on. */
long vc_start(void *arg);               /* the start record */
long vc_bind_ipi(void *arg);            /* bind_ipi(self): ipi_port */
long vc_send(void *arg);                /* send((port)arg); send_time */
long vc_block(void *arg);               /* SCHEDOP_block until our IPI */
long vc_clock_loop(void *arg);          /* the ordering loop, arg times */
long vc_runstate(void *arg);            /* get_runstate_info(self) */
long vc_spin(void *arg);                /* count until stop */
long vc_self_down(void *arg);           /* VCPUOP_down(self) */

#endif /* VCPUS_TEST_H */
