/*
 * misc: the smaller hypercalls and emulated instructions of a 64-bit PV
 * guest.  The cases are listed at the top of each part: misc.c, io.c,
 * cpu.c.
 *
 * Cases (misc.c):
 *  - VCPUOP_is_up: vCPU 0 is up (1); a vCPU id past the domain's (100,
 *    ~0U) -ENOENT; an unknown vcpu_op -ENOSYS.
 *  - VCPUOP_get_physid as dom0: Xen: only for a vCPU that can run on one
 *    CPU alone (dom0_vcpus_pin, or a one-CPU machine): then 0 and the APIC
 *    id (bits 0-31) and ACPI id (32-63), a bad pointer -EFAULT; else
 *    -EINVAL.  -ENOENT for a vCPU that does not exist.
 *  - VCPUOP_register_runstate_memory_area: the area is filled at once:
 *    state RUNSTATE_running, a plausible state_entry_time, the times of
 *    the states (completed periods only: Xen: time[running] may be 0)
 *    adding up to no more than it; still running after SCHEDOP_yield;
 *    after NULL it is no longer written.  Xen: an unmapped
 *    guest address (0x1000) and NULL (stop) are accepted (0); a
 *    hypervisor or non-canonical address -EFAULT; a bad argument pointer
 *    -EFAULT.
 *  - sched_op: yield 0; block with an event already pending returns at
 *    once (0), with events unmasked and the upcall delivered;
 *    shutdown_code 0 (and -EFAULT for a bad pointer); remote_shutdown of a
 *    domain that does not exist (77, 0x7fef) -ESRCH, bad pointer
 *    -EFAULT; shutdown with a bad pointer -EFAULT; an unknown command
 *    -ENOSYS.
 *  - nmi_op: register a canonical handler 0, unregister 0 (twice too, and
 *    with any argument); Xen: a non-zero pad word is ignored (0);
 *    non-canonical -EINVAL; bad pointer -EFAULT; unknown command -ENOSYS.
 *  - xsm_op without an XSM policy: -ENOSYS, whatever the argument.
 *  - VCPUOP_register_vcpu_info (last: it cannot be undone): an offset not
 *    8-byte aligned or leaving less than 64 bytes -ENXIO; a frame of the
 *    hypervisor, a frame past RAM, a page-table frame: -EINVAL; bad
 *    pointer -EFAULT; vCPU 100 -ENOENT.  Positive: the vcpu_info moves
 *    to our page with its contents (mask, time) and upcall_pending set
 *    and pending_sel all ones; CR2 of the next #PF appears there and no
 *    longer in shared_info; unmasking delivers the upcall; a second
 *    registration -EINVAL.
 *  - last: Xen: SCHEDOP_remote_shutdown does not translate DOMID_SELF:
 *    -ESRCH.
 */
#include "misc.h"

const char test_name[] = "misc";

void *new_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages");
    return p;
}

static unsigned long xen_mfn;

static void find_xen_frame(void)
{
    const uint64_t *l4 = mfn_to_virt(pv_kernel_l4_mfn);
    unsigned int slot;

    for ( slot = 256; slot < 272; slot++ )
        if ( l4[slot] & _PAGE_PRESENT )
        {
            xen_mfn = (l4[slot] & PTE_ADDR_MASK) >> PAGE_SHIFT;
            return;
        }
    test_abort("no hypervisor L4 slot is present");
}

static void check_vcpu_op(void)
{
    static struct vcpu_runstate_info rs;
    struct vcpu_register_runstate_memory_area area;
    struct vcpu_get_physid phys;
    uint64_t t0;
    long rc;

    CHECK_RC(1, HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL));
    CHECK_RC(-XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_is_up, 100, NULL));
    CHECK_RC(-XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_is_up, ~0U, NULL));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_vcpu_op(99, 0, NULL));

    phys.phys_id = 0x5a5a5a5a5a5a5a5aUL;
    rc = HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0, &phys);
    printf("get_physid(0): %ld, %#lx\n", rc, phys.phys_id);
    if ( rc == 0 )
    {
        /* APIC id and ACPI id of a CPU of this (small) machine. */
        CHECK((phys.phys_id & 0xffffffffUL) < 8);
        CHECK((phys.phys_id >> 32) < 8);
        CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0,
                                                 BAD_PTR_XEN));
    }
    else
        CHECK_RC(-XEN_EINVAL, rc);
    CHECK_RC(-XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_get_physid, 100, &phys));

    memset(&rs, 0xff, sizeof(rs));
    area.addr.v = &rs;
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                   &area));
    printf("runstate: state %d entry %#lx running %lu runnable %lu "
           "blocked %lu offline %lu\n", rs.state, rs.state_entry_time,
           rs.time[0], rs.time[1], rs.time[2], rs.time[3]);
    CHECK_EQ(RUNSTATE_running, rs.state);
    CHECK(!(rs.state_entry_time & XEN_RUNSTATE_UPDATE));
    CHECK(rs.state_entry_time > 0 && rs.state_entry_time < (1UL << 62));
    /* The time in each state counts completed periods only: it adds up to
     * no more than the time the current one began. */
    CHECK(rs.time[0] + rs.time[1] + rs.time[2] + rs.time[3] <=
          rs.state_entry_time);
    CHECK(rs.time[0] + rs.time[1] + rs.time[2] + rs.time[3] > 0);
    t0 = rs.time[RUNSTATE_running];
    CHECK_RC(0, HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
    CHECK_EQ(RUNSTATE_running, rs.state);
    CHECK(rs.time[RUNSTATE_running] >= t0);

    area.addr.p = 0x1000;               /* unmapped guest address */
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                   &area));
    area.addr.p = (unsigned long)BAD_PTR_XEN;
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(
                 VCPUOP_register_runstate_memory_area, 0, &area));
    area.addr.p = NONCANON;
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(
                 VCPUOP_register_runstate_memory_area, 0, &area));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(
                 VCPUOP_register_runstate_memory_area, 0, BAD_PTR_LOW));
    area.addr.p = 0;
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                   &area));
    memset(&rs, 0xff, sizeof(rs));
    CHECK_RC(0, HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
    CHECK_EQ(-1, rs.state);             /* no longer updated */
}

static void check_sched_op(void)
{
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
    struct sched_remote_shutdown rsd = { .domain_id = 77,
                                         .reason = SHUTDOWN_poweroff };
    unsigned long upcalls;
    long rc;

    CHECK_RC(0, HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
    CHECK_RC(0, HYPERVISOR_sched_op(SCHEDOP_yield, BAD_PTR_XEN));

    /* Block with an event pending: returns at once, events unmasked. */
    vcpu_set_mask(1);
    upcalls = pv_nr_upcalls;
    pv_vcpu_info->evtchn_upcall_pending = 1;
    rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    CHECK_RC(0, rc);
    CHECK_EQ(0, vcpu_mask());
    CHECK_EQ(upcalls + 1, pv_nr_upcalls);
    CHECK_EQ(0, pv_vcpu_info->evtchn_upcall_pending);
    vcpu_set_mask(1);

    CHECK_RC(0, HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &sd));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_shutdown_code,
                                              BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_shutdown, BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_shutdown,
                                              BAD_PTR_XEN));
    CHECK_RC(-XEN_ESRCH, HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rsd));
    rsd.domain_id = DOMID_FIRST_RESERVED - 1;
    CHECK_RC(-XEN_ESRCH, HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rsd));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_remote_shutdown,
                                              BAD_PTR_LOW));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_sched_op(99, NULL));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_sched_op(-1, NULL));
}

static void check_nmi_xsm(void)
{
    struct xennmi_callback cb = { .handler_address = pv_trap_stub_addr(2) };
    static char xsm_buf[128];

    CHECK_RC(0, HYPERVISOR_nmi_op(XENNMI_register_callback, &cb));
    CHECK_RC(0, HYPERVISOR_nmi_op(XENNMI_unregister_callback, NULL));
    CHECK_RC(0, HYPERVISOR_nmi_op(XENNMI_unregister_callback, NULL));
    /* Xen: the pad word is not looked at. */
    cb.pad = 0x5a;
    CHECK_RC(0, HYPERVISOR_nmi_op(XENNMI_register_callback, &cb));
    CHECK_RC(0, HYPERVISOR_nmi_op(XENNMI_unregister_callback, BAD_PTR_XEN));
    cb.pad = 0;
    cb.handler_address = NONCANON;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_nmi_op(XENNMI_register_callback, &cb));
    cb.handler_address = 0x0000800000000000UL;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_nmi_op(XENNMI_register_callback, &cb));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_nmi_op(XENNMI_register_callback,
                                            BAD_PTR_LOW));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_nmi_op(2, &cb));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_nmi_op(~0U, &cb));
    /* The NMI entry of the trap table was overwritten: put ours back. */
    CHECK_RC(0, pv_reload_trap_table());

    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_xsm_op(xsm_buf));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_xsm_op(NULL));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_xsm_op(BAD_PTR_XEN));
}

void test_vcpu_sched(void)
{
    check_vcpu_op();
    check_sched_op();
    check_nmi_xsm();
}

static long reg_vcpu_info(unsigned int vcpu, unsigned long mfn,
                          unsigned int offset)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

void test_vcpu_info(void)
{
    char *page = new_page();
    unsigned long mfn = virt_to_mfn(page), v, upcalls;
    struct vcpu_info *old = &pv_shared_info->vcpu_info[0], *nvi;
    uint64_t old_cr2;
    uint32_t ver;

    /* Xen: a bad offset is -ENXIO. */
    CHECK_RC(-XEN_ENXIO, reg_vcpu_info(0, mfn, 4));
    CHECK_RC(-XEN_ENXIO, reg_vcpu_info(0, mfn, 1));
    CHECK_RC(-XEN_ENXIO, reg_vcpu_info(0, mfn, PAGE_SIZE - 64 + 8));
    CHECK_RC(-XEN_ENXIO, reg_vcpu_info(0, mfn, PAGE_SIZE));
    CHECK_RC(-XEN_ENXIO, reg_vcpu_info(0, mfn, ~0U));
    CHECK_RC(-XEN_EINVAL, reg_vcpu_info(0, xen_mfn, 0));
    CHECK_RC(-XEN_EINVAL, reg_vcpu_info(0, (1UL << 40) - 1, 0));
    CHECK_RC(-XEN_EINVAL, reg_vcpu_info(0, pv_kernel_l4_mfn, 0));
    CHECK_RC(-XEN_ENOENT, reg_vcpu_info(100, mfn, 0));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0,
                                             BAD_PTR_LOW));

    /* Move it to offset 128 of our page; the last legal offset is 4032. */
    vcpu_set_mask(1);
    ver = old->time.version;
    CHECK_RC(0, reg_vcpu_info(0, mfn, 128));
    nvi = (struct vcpu_info *)(page + 128);
    pv_vcpu_info = nvi;
    CHECK_EQ(1, nvi->evtchn_upcall_mask);
    CHECK_EQ(1, nvi->evtchn_upcall_pending);
    CHECK_EQ(~0UL, nvi->evtchn_pending_sel);
    CHECK(nvi->time.version >= ver);
    CHECK(nvi->time.tsc_to_system_mul != 0);
    CHECK_EQ(old->time.tsc_to_system_mul, nvi->time.tsc_to_system_mul);

    /* CR2 of a #PF now goes to the new place only. */
    old_cr2 = old->arch.cr2;
    PV_TRY("mov (%1), %0", : "=r" (v) : "r" (0x3000UL) : "memory");
    CHECK_EQ(14, pv_last_fault.vector);
    CHECK_EQ(0x3000, nvi->arch.cr2);
    CHECK_EQ(old_cr2, old->arch.cr2);

    /* The pending upcall arrives once events are unmasked. */
    upcalls = pv_nr_upcalls;
    vcpu_set_mask(0);
    HYPERVISOR_xen_version(XENVER_version, NULL);
    vcpu_set_mask(1);
    CHECK(pv_nr_upcalls > upcalls);
    CHECK_EQ(0, nvi->evtchn_upcall_pending);

    CHECK_RC(-XEN_EINVAL, reg_vcpu_info(0, mfn, 256));
    CHECK_RC(-XEN_EINVAL, reg_vcpu_info(0, mfn, 128));
    (void)v;
}

/*
 * Last (Keel takes DOMID_SELF as the caller and powers it off): Xen does
 * not translate DOMID_SELF here, so it names no domain.
 */
static void check_remote_shutdown_self(void)
{
    struct sched_remote_shutdown rsd = { .domain_id = DOMID_SELF,
                                         .reason = SHUTDOWN_poweroff };

    CHECK_RC(-XEN_ESRCH, HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rsd));
}

void test_main(void)
{
    find_xen_frame();
    test_vcpu_sched();
    test_io();
    test_cpu();
    test_vcpu_info();
    check_remote_shutdown_self();
}
