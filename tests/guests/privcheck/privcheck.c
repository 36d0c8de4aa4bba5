/*
 * privcheck: what an unprivileged domain may not do, run as a domU (the
 * control domain starts it from tools/ctrldom/etc/privcheck.cfg; its
 * console output shows up in the control domain's log).
 *
 * Every domctl and sysctl this Keel implements, aimed at dom0, must fail with -EPERM (after the interface version check,
 * which comes first: -EACCES), and so must every privileged sub-op of
 * the other hypercalls (the memory reservation ops say so by the count
 * of extents done, 0, and XENVER_commandline by the text "<denied>"): another domain's memory, page tables, mappings,
 * event channels and grant table, remote shutdown, the host's memory map,
 * the hypervisor command line, console input, physdev management.  As
 * dom0 the kernel skips: it only means something without privilege.
 *
 * Xen 4.17 answers the same (the default XSM policy, "dummy").
 */
#include <pvguest/lib.h>
#include <pvguest/event.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/grant_table.h>
#include <public/physdev.h>

const char test_name[] = "privcheck";

static domid_t self;

static long gnttab_op(unsigned int cmd, void *op, unsigned int count)
{
    return pv_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)op,
                        count, 0, 0);
}

static const unsigned int domctls[] = {
    XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain,
    XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain,
    XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_setvcpuaffinity,
    XEN_DOMCTL_max_mem, XEN_DOMCTL_setvcpucontext,
    XEN_DOMCTL_getvcpucontext, XEN_DOMCTL_getvcpuinfo,
    XEN_DOMCTL_max_vcpus, XEN_DOMCTL_scheduler_op,
    XEN_DOMCTL_irq_permission, XEN_DOMCTL_iomem_permission,
    XEN_DOMCTL_ioport_permission, XEN_DOMCTL_hypercall_init,
    XEN_DOMCTL_settimeoffset, XEN_DOMCTL_getvcpuaffinity,
    XEN_DOMCTL_set_address_size, XEN_DOMCTL_get_address_size,
};

static const unsigned int sysctls[] = {
    XEN_SYSCTL_readconsole, XEN_SYSCTL_physinfo, XEN_SYSCTL_sched_id,
    XEN_SYSCTL_getdomaininfolist,
};

static long domctl(unsigned int cmd, domid_t d, uint32_t version)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = version;
    op.domain = d;
    /* Valid arguments, so that only the privilege is at fault (Xen checks
     * some ranges first). */
    switch ( cmd )
    {
    case XEN_DOMCTL_createdomain:
        op.u.createdomain.max_vcpus = 1;
        break;
    case XEN_DOMCTL_ioport_permission:
        op.u.ioport_permission.first_port = 0x80;
        op.u.ioport_permission.nr_ports = 1;
        break;
    case XEN_DOMCTL_iomem_permission:
        op.u.iomem_permission.first_mfn = 0xa0;
        op.u.iomem_permission.nr_mfns = 1;
        break;
    case XEN_DOMCTL_irq_permission:
        op.u.irq_permission.pirq = 1;
        break;
    }
    return HYPERVISOR_domctl(&op);
}

static void check_domctl_sysctl(void)
{
    struct xen_sysctl sop;
    unsigned int i;

    /* The version is checked before the privilege. */
    CHECK_RC(-XEN_EACCES, domctl(XEN_DOMCTL_getdomaininfo, 0, 1));
    for ( i = 0; i < ARRAY_SIZE(domctls); i++ )
    {
        long r0 = domctl(domctls[i], 0, XEN_DOMCTL_INTERFACE_VERSION);

        if ( r0 != -XEN_EPERM )
            test_fail("domctl", "cmd %u on dom0: %ld, expected -EPERM",
                      domctls[i], r0);
        else
            test_pass("domctl");
    }
    for ( i = 0; i < ARRAY_SIZE(sysctls); i++ )
    {
        memset(&sop, 0, sizeof(sop));
        sop.cmd = sysctls[i];
        sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
        CHECK_RC(-XEN_EPERM, HYPERVISOR_sysctl(&sop));
    }
}

static void check_memory(void)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = 0 };
    struct xen_memory_map mm = { .nr_entries = 0 };
    unsigned long list[1] = { 0 };
    struct mmu_update u;
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };

    /*
     * Memory of dom0: nothing given or taken.  Xen: these return the
     * number of extents done, so a refusal is 0, not -EPERM.
     */
    set_xen_guest_handle(r.extent_start, list);
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_populate_physmap, &r));
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_increase_reservation, &r));
    CHECK_RC(0, HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_memory_op(XENMEM_machine_memory_map,
                                              &mm));

    /* Page tables and mappings naming dom0's frames. */
    u.ptr = pv_pte_maddr(pv_scratch_va(0), 1);
    u.val = 0x1000 | _PAGE_PRESENT;
    CHECK_RC(-XEN_EPERM, HYPERVISOR_mmu_update(&u, 1, NULL, 0));
    op.arg1.mfn = 1;
    CHECK_RC(-XEN_EPERM, HYPERVISOR_mmuext_op(&op, 1, NULL, 0));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_update_va_mapping_otherdomain(
                 pv_scratch_va(0), 0x1000 | _PAGE_PRESENT, UVMF_INVLPG, 0));
}

static void check_events_grants(void)
{
    struct evtchn_alloc_unbound a = { .dom = 0, .remote_dom = self };
    struct evtchn_status st = { .dom = 0, .port = 1 };
    struct gnttab_setup_table gs = { .dom = 0, .nr_frames = 1 };
    struct gnttab_query_size qs = { .dom = 0 };
    unsigned long frame = 0;

    CHECK_RC(-XEN_EPERM, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound,
                                                     &a));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
    set_xen_guest_handle(gs.frame_list, (xen_pfn_t *)&frame);
    CHECK_RC(0, gnttab_op(GNTTABOP_setup_table, &gs, 1));
    CHECK_EQ(GNTST_permission_denied, gs.status);
    CHECK_RC(0, gnttab_op(GNTTABOP_query_size, &qs, 1));
    CHECK_EQ(GNTST_permission_denied, qs.status);
}

static void check_other(void)
{
    struct sched_remote_shutdown rs = { .domain_id = 0,
                                        .reason = SHUTDOWN_poweroff };
    struct physdev_manage_pci pci = { .bus = 0, .devfn = 0 };
    char cmdline[1024];
    char c;

    CHECK_RC(-XEN_EPERM, HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs));
    /* Xen: not an error, the string "<denied>". */
    memset(cmdline, 'x', sizeof(cmdline));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_commandline, cmdline));
    CHECK(!strcmp(cmdline, "<denied>"));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_console_io(CONSOLEIO_read, 1, &c));
    CHECK_RC(-XEN_EPERM, HYPERVISOR_physdev_op(PHYSDEVOP_manage_pci_add,
                                               &pci));
}

void test_main(void)
{
    struct start_info *si = pv_start_info;

    if ( si->flags & SIF_INITDOMAIN )
    {
        test_skip("privcheck", "run as a domU: it checks what an "
                  "unprivileged domain may not do");
        return;
    }
    /* A domctl names an existing domain (else -ESRCH, before the
     * privilege check): dom0 always exists.  Channels are offered to
     * ourselves by DOMID_SELF. */
    self = DOMID_SELF;
    check_domctl_sysctl();
    check_memory();
    check_events_grants();
    check_other();
}
