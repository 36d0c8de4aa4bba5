/*
 * vcpus: shared declarations of the multi-vCPU conformance kernel: the
 * orchestration on vCPU 0 (vcpus.c), what the secondary vCPUs run and the
 * event upcall every vCPU takes (secondary.c), and their entry points
 * (entry.S).
 *
 * Only vCPU 0 checks and prints results (the runtime's printf and the
 * test_* counters are not SMP-safe).  A secondary vCPU records what it
 * saw in its struct vc_cpu and prints with one console_io write per line;
 * vCPU 0 drives it through a mailbox (cmd/arg, cmd_seq, done_seq).
 */
#ifndef VCPUS_TEST_H
#define VCPUS_TEST_H

#include <pvguest/lib.h>
#include <pvguest/event.h>

#define VC_MAX              8           /* vCPUs used (more are ignored) */
#define VC_STACK_SIZE       16384       /* a power of two: see vc_self() */
#define VC_MAX_PORTS        256         /* ports we track */
#define VC_MAGIC_RBX        0x5eb0c0de00000000UL
#define VC_MAGIC_R15        0x0123456789abcdefUL
#define VC_TIMEOUT_NS       PV_MS(20000)

enum vc_cmd {
    VC_CMD_NONE,
    VC_CMD_BIND_IPI,        /* bind_ipi(self): result, ipi_port */
    VC_CMD_SEND,            /* send(arg): result; send_time before it */
    VC_CMD_BLOCK,           /* SCHEDOP_block until our IPI arrives */
    VC_CMD_CLOCK,           /* the shared pvclock ordering loop, arg times */
    VC_CMD_RUNSTATE,        /* get_runstate_info(self) around a spin */
    VC_CMD_SELF_DOWN,       /* VCPUOP_down(self); done before the call */
};

struct vc_cpu {
    struct vc_cpu *self;                /* first: read through %gs:0 */
    unsigned int id;

    /* Mailbox: vCPU 0 writes cmd and arg, then bumps cmd_seq; the vCPU
     * runs the command and sets done_seq = cmd_seq. */
    volatile unsigned int cmd;
    volatile unsigned long arg;
    volatile unsigned long cmd_seq, done_seq;
    volatile long result;

    volatile unsigned long counter;     /* grows while idle-spinning */
    volatile unsigned int starts;       /* entries through the start stub */
    volatile bool alive;

    /* What the vCPU found at start of day. */
    unsigned long entry_rdi, entry_rsp, entry_rbx, entry_r15;
    unsigned long entry_rflags, entry_gs;
    uint8_t entry_mask;
    struct pv_clock_sample start_clock;
    bool lar_ok;
    uint32_t lar_val;
    int start_area_state;

    /* Events. */
    evtchn_port_t ipi_port;             /* bound to this vCPU by itself */
    volatile unsigned long nr_upcalls;
    volatile unsigned long ipi_count;   /* upcalls that took ipi_port */
    volatile uint64_t send_time;        /* pvclock before VC_CMD_SEND */

    /* VC_CMD_BLOCK. */
    volatile bool blocking, sent, woke_after_send;
    volatile unsigned long nr_blocks;
    volatile long block_rc;

    /* VC_CMD_CLOCK. */
    volatile unsigned long clock_self_back;

    /* VC_CMD_RUNSTATE. */
    struct vcpu_runstate_info rs1, rs2;
    long rs_rc1, rs_rc2;
    int rs_area_state;

    /* VC_CMD_SELF_DOWN. */
    volatile bool self_down_returned;
    volatile long self_down_rc;

    /* The registered runstate area. */
    struct vcpu_runstate_info area __aligned(64);
} __aligned(64);

extern struct vc_cpu vc_cpus[VC_MAX];
extern char vc_stacks[VC_MAX][VC_STACK_SIZE];
extern unsigned int vc_nr;              /* vCPUs in use */

/* Per port: the vCPU whose upcall last took it (-1: none), how often
 * ports were taken, and the taker's pvclock then. */
extern volatile int vc_port_taker[VC_MAX_PORTS];
extern volatile uint32_t vc_port_count[VC_MAX_PORTS];
extern volatile uint32_t vc_port_untracked;
extern volatile uint64_t vc_port_time[VC_MAX_PORTS];  /* taker's pvclock */

/* The shared clock ordering state of VC_CMD_CLOCK. */
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

/* entry.S */
extern char vc_secondary_start[], vc_evt_entry[];

/* secondary.c */
unsigned int vc_self(void);
uint64_t vc_now(unsigned int vcpu);
void vc_clock_loop(unsigned int vcpu, unsigned long iters);
void vc_cpu_relax(void);

#endif /* VCPUS_TEST_H */
