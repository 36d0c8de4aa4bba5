/*
 * events, hostile arguments: bad ports, domains, VIRQs, vCPUs, pointers
 * and commands, each with the exact error Xen gives.
 *
 * Bad ports are 0 (reserved for the domain's lifetime), 4095 (never
 * allocated: its bucket does not exist yet), 4096 (past the 2-level
 * limit) and 0xffffffff.  Xen: port 0 is a valid port in state
 * "reserved": status says closed and unmask succeeds, while send, close
 * and bind_vcpu fail -EINVAL; every other bad port is -EINVAL for all
 * five.  bind_vcpu looks at the vCPU before the port (-ENOENT first).
 */
#include "events.h"

static const evtchn_port_t bad_ports[] = { 4095, 4096, 0xffffffff };

static void check_bad_ports(void)
{
    struct evtchn_status st;
    unsigned int i;

    /* Port 0: reserved. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(0));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(0));
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, 0, &st));
    CHECK_EQ(EVTCHNSTAT_closed, st.status);
    CHECK_RC(0, pv_evtchn_unmask(0));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(0, 0));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_vcpu(0, nr_vcpus));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, 0, NULL));

    for ( i = 0; i < ARRAY_SIZE(bad_ports); i++ )
    {
        evtchn_port_t p = bad_ports[i];

        printf("bad port %#x\n", p);
        CHECK_RC(-XEN_EINVAL, pv_evtchn_send(p));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_close(p));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_status(DOMID_SELF, p, &st));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_unmask(p));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(p, 0));
        CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_vcpu(p, nr_vcpus));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, p,
                                                         NULL));
    }
}

static void check_bad_domains(void)
{
    struct evtchn_status st;
    evtchn_port_t p, q;

    /* No such domain. */
    CHECK_RC(-XEN_ESRCH, pv_evtchn_alloc_unbound(1, DOMID_SELF, &p));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_alloc_unbound(DOMID_INVALID, DOMID_SELF,
                                                 &p));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_status(1, 1, &st));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_status(DOMID_INVALID, 1, &st));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_bind_interdomain(1, 1, NULL));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_reset(1));
    CHECK_RC(-XEN_ESRCH, pv_evtchn_reset(DOMID_INVALID));

    /* Xen: the remote domain of alloc_unbound need not exist (yet). */
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, 1, &p));
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, p, &st));
    CHECK_EQ(EVTCHNSTAT_unbound, st.status);
    CHECK_EQ(1, st.u.unbound.dom);
    /* ... and only that domain may bind to it. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, p, &q));
    CHECK_RC(0, pv_evtchn_close(p));

    /* bind_interdomain to a port that is not unbound. */
    CHECK_RC(0, pv_evtchn_bind_ipi(0, &p));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, p, &q));
    CHECK_RC(0, pv_evtchn_close(p));
    CHECK_RC(0, loopback_quiet(&p, &q));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, p, NULL));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, q, NULL));
    CHECK_RC(0, pv_evtchn_close(p));
    CHECK_RC(0, pv_evtchn_close(q));
    /* ... or closed. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_interdomain(DOMID_SELF, p, NULL));
}

static void check_bad_virq_vcpu(void)
{
    evtchn_port_t p;

    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_virq(NR_VIRQS, 0, &p));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_virq(0xffffffff, 0, &p));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_virq(0x80000000, 0, &p));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_virq(VIRQ_TIMER, nr_vcpus, &p));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_virq(VIRQ_TIMER, ~0u, &p));
    /* Xen: a global VIRQ on any vCPU but 0 is -EINVAL, existing or not. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_virq(VIRQ_GLOBAL, nr_vcpus, &p));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_ipi(nr_vcpus, &p));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_ipi(~0u, &p));
}

static void check_bad_pointers(void)
{
    static const unsigned int cmds[] = {
        EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_bind_pirq,
        EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status,
        EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu,
        EVTCHNOP_unmask, EVTCHNOP_reset, EVTCHNOP_init_control,
        EVTCHNOP_expand_array, EVTCHNOP_set_priority,
    };
    unsigned int i, bad = 0;
    long rc;

    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        rc = HYPERVISOR_event_channel_op(cmds[i], BAD_PTR_LOW);
        if ( rc != -XEN_EFAULT )
        {
            printf("EVTCHNOP %u, arg %p: %ld\n", cmds[i], BAD_PTR_LOW, rc);
            bad++;
        }
        rc = HYPERVISOR_event_channel_op(cmds[i], BAD_PTR_XEN);
        if ( rc != -XEN_EFAULT )
        {
            printf("EVTCHNOP %u, arg %p: %ld\n", cmds[i], BAD_PTR_XEN, rc);
            bad++;
        }
    }
    CHECK_EQ(0, bad);
}

static void check_bad_commands(void)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    struct evtchn_set_priority sp = { .port = 1, .priority = 7 };
    evtchn_port_t p;
    long rc;

    /*
     * Xen: 14 is EVTCHNOP_reset's continuation, reachable from the guest;
     * with no reset under way it is -EBUSY.
     */
    rc = HYPERVISOR_event_channel_op(14, &r);
    printf("EVTCHNOP 14: %ld\n", rc);
    CHECK_RC(-XEN_EBUSY, rc);
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_event_channel_op(15, &r));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_event_channel_op(99, BAD_PTR_LOW));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_event_channel_op(0x80000000, NULL));

    /* set_priority: FIFO only. */
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p));
    sp.port = p;
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_event_channel_op(EVTCHNOP_set_priority,
                                                      &sp));
    sp.port = 4096;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_event_channel_op(EVTCHNOP_set_priority,
                                                      &sp));
    CHECK_RC(0, pv_evtchn_close(p));
}

/* event_channel_op_compat (hypercall 16): cmd inside the argument. */
static void check_compat(void)
{
    struct evtchn_op op;
    evtchn_port_t p;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = EVTCHNOP_alloc_unbound;
    op.u.alloc_unbound.dom = DOMID_SELF;
    op.u.alloc_unbound.remote_dom = DOMID_SELF;
    rc = HC(event_channel_op_compat, &op, 0, 0, 0, 0);
    printf("event_channel_op_compat alloc_unbound: %ld port %u\n", rc,
           op.u.alloc_unbound.port);
    if ( !CHECK_RC(0, rc) )
        return;
    p = op.u.alloc_unbound.port;
    check_status(p, EVTCHNSTAT_unbound, 0);

    memset(&op, 0, sizeof(op));
    op.cmd = EVTCHNOP_status;
    op.u.status.dom = DOMID_SELF;
    op.u.status.port = p;
    CHECK_RC(0, HC(event_channel_op_compat, &op, 0, 0, 0, 0));
    CHECK_EQ(EVTCHNSTAT_unbound, op.u.status.status);

    memset(&op, 0, sizeof(op));
    op.cmd = EVTCHNOP_close;
    op.u.close.port = p;
    CHECK_RC(0, HC(event_channel_op_compat, &op, 0, 0, 0, 0));
    CHECK_RC(-XEN_EINVAL, HC(event_channel_op_compat, &op, 0, 0, 0, 0));
    CHECK_RC(-XEN_EFAULT, HC(event_channel_op_compat, BAD_PTR_LOW, 0, 0, 0,
                             0));
    op.cmd = 99;
    CHECK_RC(-XEN_ENOSYS, HC(event_channel_op_compat, &op, 0, 0, 0, 0));
}

void test_hostile(void)
{
    check_bad_ports();
    check_bad_domains();
    check_bad_virq_vcpu();
    check_bad_pointers();
    check_bad_commands();
    check_compat();
}

/*
 * After exhaustion every bucket exists: port 4095, closed again, is a
 * valid port in state free.  Xen: status says closed and unmask succeeds;
 * send, close and bind_vcpu are -EINVAL.
 */
void test_hostile_after_exhaustion(void)
{
    struct evtchn_status st;

    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, 4095, &st));
    CHECK_EQ(EVTCHNSTAT_closed, st.status);
    CHECK_RC(0, pv_evtchn_unmask(4095));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(4095));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(4095));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(4095, 0));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_status(DOMID_SELF, 4096, &st));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_unmask(4096));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(0xffffffff));
}
