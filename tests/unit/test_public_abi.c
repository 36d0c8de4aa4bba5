/*
 * Host test of the public ABI headers (include/public).
 *
 * Including every header here proves each is self-contained enough to
 * build with the host compiler and that all their _Static_assert pins on
 * struct sizes and offsets hold there too.  The run-time checks below then
 * look at what static asserts cannot: macro values guests depend on, the
 * helpers (guest handles, TI_*, cr3 conversion, status names), and the
 * consistency of the tables the headers carry.  One "ok - <header>" line
 * per header.
 */
#include "harness.h"

#include <stddef.h>

/* The lowest layers first, so each of them is also seen on its own. */
#include <public/arch-x86/xen-x86_64.h>
#include <public/arch-x86/xen.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>
#include <public/elfnote.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/callback.h>
#include <public/physdev.h>
#include <public/nmi.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/xsm/flask_op.h>
#include <public/io/console.h>
#include <public/io/xs_wire.h>

#define ARRAY_SIZE_T(a) (sizeof(a) / sizeof((a)[0]))

/* Like RUN(), but reports the header's path rather than a C identifier. */
#define RUN_HEADER(fn, path) do {                                         \
    harness_case_name = (path);                                           \
    harness_failed_case = 0;                                              \
    fn();                                                                 \
    if ( harness_failed_case )                                            \
        harness_total_failed++;                                           \
    else                                                                  \
        printf("ok - %s\n", (path));                                      \
} while ( 0 )

TEST(xen_x86_64)
{
    CHECK_EQ(FLAT_RING3_CS32, 0xe023);
    CHECK_EQ(FLAT_RING3_CS64, 0xe033);
    CHECK_EQ(FLAT_RING3_DS32, 0xe02b);
    CHECK_EQ(FLAT_RING3_SS64, 0xe02b);
    CHECK_EQ(FLAT_KERNEL_CS, 0xe033);
    CHECK_EQ(FLAT_KERNEL_SS, 0xe02b);
    CHECK_EQ(FLAT_USER_CS32, 0xe023);
    CHECK_EQ(FLAT_KERNEL_DS, 0);
    /* The flat selectors are in the hypervisor's reserved GDT entries. */
    CHECK(FLAT_RING3_CS32 >> 3 >= 7168);
    CHECK_EQ(HYPERVISOR_VIRT_START, 0xffff800000000000ull);
    CHECK_EQ(HYPERVISOR_VIRT_END, 0xffff880000000000ull);
    CHECK_EQ(MACH2PHYS_VIRT_START, 0xffff800000000000ull);
    CHECK_EQ(MACH2PHYS_VIRT_END, 0xffff804000000000ull);
    CHECK_EQ(MACH2PHYS_NR_ENTRIES, 1ull << 35);
    CHECK_EQ(SEGBASE_FS, 0);
    CHECK_EQ(SEGBASE_GS_USER_SEL, 3);
    CHECK_EQ(VGCF_in_syscall, 0x100);
    CHECK_EQ(sizeof(struct iret_context), 72);
    CHECK_EQ(sizeof(cpu_user_regs_t), 200);
    CHECK_EQ(offsetof(struct xen_cpu_user_regs, saved_upcall_mask), 140);
    CHECK_EQ(xen_pfn_to_cr3(0x1234), 0x1234000);
    CHECK_EQ(xen_cr3_to_pfn(0x1234fff), 0x1234);
}

TEST(arch_x86_xen)
{
    struct trap_info ti = { .vector = 14, .flags = 0, .cs = FLAT_KERNEL_CS,
                            .address = 0xffffffff81000000ul };
    xen_guest_handle_uint8 h;
    uint8_t buf[4];

    CHECK_EQ(FIRST_RESERVED_GDT_ENTRY, 7168);
    CHECK_EQ(FIRST_RESERVED_GDT_BYTE, 14 * 4096);
    CHECK_EQ(XEN_LEGACY_MAX_VCPUS, 32);
    CHECK_EQ(sizeof(struct vcpu_guest_context), 5168);
    CHECK_EQ(offsetof(struct vcpu_guest_context, ctrlreg) + 3 * 8, 5008);
    CHECK_EQ(sizeof(xen_pfn_t), 8);
    CHECK_EQ(sizeof(xen_ulong_t), 8);

    TI_SET_DPL(&ti, 3);
    TI_SET_IF(&ti, 1);
    CHECK_EQ(TI_GET_DPL(&ti), 3);
    CHECK(TI_GET_IF(&ti));
    CHECK_EQ(ti.flags, 7);
    TI_SET_DPL(&ti, 1);
    TI_SET_IF(&ti, 0);
    CHECK_EQ(ti.flags, 1);
    CHECK_EQ(TI_GET_IF(&ti), 0);

    /* A guest handle is one pointer, filled by set_xen_guest_handle. */
    CHECK_EQ(sizeof(h), 8);
    set_xen_guest_handle(h, buf);
    CHECK(h.p == buf);
    CHECK_EQ(xen_guest_handle_addr(h), (uint64_t)(uintptr_t)buf);
}

TEST(xen)
{
    struct start_info si;
    struct mmu_update mu = { .ptr = 0x1000 | MMU_PT_UPDATE_PRESERVE_AD };

    CHECK_EQ(__HYPERVISOR_set_trap_table, 0);
    CHECK_EQ(__HYPERVISOR_mmu_update, 1);
    CHECK_EQ(__HYPERVISOR_console_io, 18);
    CHECK_EQ(__HYPERVISOR_iret, 23);
    CHECK_EQ(__HYPERVISOR_sched_op, 29);
    CHECK_EQ(__HYPERVISOR_event_channel_op, 32);
    CHECK_EQ(__HYPERVISOR_sysctl, 35);
    CHECK_EQ(__HYPERVISOR_domctl, 36);
    CHECK_EQ(__HYPERVISOR_hypfs_op, 42);
    CHECK_EQ(__HYPERVISOR_arch_7, 55);
    CHECK_EQ(NR_VIRQS, 24);
    CHECK_EQ(VIRQ_CONSOLE, 2);
    CHECK_EQ(MMUEXT_NEW_USER_BASEPTR, 15);
    CHECK_EQ(MMUEXT_UNMARK_SUPER, 20);
    CHECK_EQ(mu.ptr & 3, MMU_PT_UPDATE_PRESERVE_AD);
    CHECK_EQ(UVMF_INVLPG | UVMF_ALL, 6);
    CHECK_EQ(VMASST_TYPE_m2p_strict, 32);
    CHECK_EQ(DOMID_SELF, 0x7ff0);
    CHECK_EQ(DOMID_IO, 0x7ff1);
    CHECK_EQ(DOMID_XEN, 0x7ff2);
    CHECK_EQ(DOMID_COW, 0x7ff3);
    CHECK_EQ(DOMID_INVALID, 0x7ff4);
    CHECK_EQ(DOMID_IDLE, 0x7fff);
    CHECK_EQ(SIF_MOD_START_PFN, 8);

    CHECK_EQ(sizeof(struct start_info), 1168);
    CHECK_EQ(sizeof(si.cmd_line), 1024);
    CHECK_EQ(offsetof(struct start_info, first_p2m_pfn), 1152);
    CHECK_EQ(sizeof(struct shared_info), 3136);
    CHECK_EQ(sizeof(((struct shared_info *)0)->evtchn_pending), 512);
    CHECK_EQ(offsetof(struct shared_info, vcpu_info[1].time), 64 + 32);
    CHECK_EQ(offsetof(struct shared_info, arch.nmi_reason), 3088 + 16);
    CHECK_EQ(sizeof(struct vcpu_info), 64);
    CHECK_EQ(offsetof(struct vcpu_info, arch.cr2), 16);
    CHECK_EQ(sizeof(struct vcpu_time_info), 32);
    CHECK_EQ(sizeof(struct mmuext_op), 24);
    CHECK_EQ(sizeof(struct multicall_entry), 64);
    CHECK_EQ(sizeof(struct dom0_vga_console_info), 40);
    /* dom0's console info sits right after start_info in the same page. */
    CHECK(sizeof(struct start_info) + sizeof(struct dom0_vga_console_info)
          <= 4096);
}

static int errno_value_of(const char *name)
{
#define ERRNO_LOOKUP(n, v, d) if ( !strcmp(name, #n) ) return (v);
    XEN_ERRNO_LIST(ERRNO_LOOKUP)
#undef ERRNO_LOOKUP
    return -1;
}

TEST(errno)
{
#define ERRNO_ROW(n, v, d) { #n, v, XEN_##n },
    static const struct { const char *name; int listed, defined; } t[] = {
        XEN_ERRNO_LIST(ERRNO_ROW)
    };
#undef ERRNO_ROW
    size_t i;

    /* Every listed error has the number its XEN_E* macro gives, and the
     * list is strictly ascending (no duplicates). */
    for ( i = 0; i < ARRAY_SIZE_T(t); i++ )
    {
        CHECK_EQ(t[i].listed, t[i].defined);
        if ( i )
            CHECK(t[i].listed > t[i - 1].listed);
    }
    CHECK_EQ(ARRAY_SIZE_T(t), 47);
    CHECK_EQ(XEN_EPERM, 1);
    CHECK_EQ(XEN_EFAULT, 14);
    CHECK_EQ(XEN_EINVAL, 22);
    CHECK_EQ(XEN_ENOSYS, 38);
    CHECK_EQ(XEN_EOPNOTSUPP, 95);
    CHECK_EQ(XEN_ECONNREFUSED, 111);
    CHECK_EQ(XEN_EWOULDBLOCK, XEN_EAGAIN);
    CHECK_EQ(XEN_ERESTART, 85);
    /* Internal-only codes are not in the guest-visible list. */
    CHECK_EQ(errno_value_of("ERESTART"), -1);
    CHECK_EQ(errno_value_of("EINTR"), -1);
    CHECK_EQ(errno_value_of("EBUSY"), 16);
}

TEST(features)
{
    CHECK_EQ(XENFEAT_writable_page_tables, 0);
    CHECK_EQ(XENFEAT_auto_translated_physmap, 2);
    CHECK_EQ(XENFEAT_supervisor_mode_kernel, 3);
    CHECK_EQ(XENFEAT_mmu_pt_update_preserve_ad, 5);
    CHECK_EQ(XENFEAT_dom0, 11);
    CHECK_EQ(XENFEAT_direct_mapped, 17);
    CHECK_EQ(XENFEAT_NR_SUBMAPS, 1);
}

TEST(version)
{
    CHECK_EQ(XENVER_version, 0);
    CHECK_EQ(XENVER_get_features, 6);
    CHECK_EQ(XENVER_build_id, 10);
    CHECK_EQ(XEN_EXTRAVERSION_LEN, 16);
    CHECK_EQ(XEN_CAPABILITIES_INFO_LEN, 1024);
    CHECK_EQ(XEN_CHANGESET_INFO_LEN, 64);
    CHECK_EQ(sizeof(xen_commandline_t), 1024);
    CHECK_EQ(sizeof(struct xen_compile_info), 144);
    CHECK_EQ(sizeof(struct xen_feature_info), 8);
    CHECK_EQ(sizeof(struct xen_build_id), 4);
}

TEST(elfnote)
{
    CHECK_EQ(XEN_ELFNOTE_ENTRY, 1);
    CHECK_EQ(XEN_ELFNOTE_HYPERCALL_PAGE, 2);
    CHECK_EQ(XEN_ELFNOTE_VIRT_BASE, 3);
    CHECK_EQ(XEN_ELFNOTE_PADDR_OFFSET, 4);
    CHECK_EQ(XEN_ELFNOTE_XEN_VERSION, 5);
    CHECK_EQ(XEN_ELFNOTE_GUEST_OS, 6);
    CHECK_EQ(XEN_ELFNOTE_FEATURES, 10);
    CHECK_EQ(XEN_ELFNOTE_L1_MFN_VALID, 13);
    CHECK_EQ(XEN_ELFNOTE_INIT_P2M, 15);
    CHECK_EQ(XEN_ELFNOTE_MOD_START_PFN, 16);
    CHECK_EQ(XEN_ELFNOTE_SUPPORTED_FEATURES, 17);
    CHECK_EQ(XEN_ELFNOTE_PHYS32_ENTRY, 18);
    CHECK_EQ(XEN_ELFNOTE_MAX, 18);
}

TEST(memory)
{
    CHECK_EQ(XENMEM_increase_reservation, 0);
    CHECK_EQ(XENMEM_decrease_reservation, 1);
    CHECK_EQ(XENMEM_maximum_ram_page, 2);
    CHECK_EQ(XENMEM_machphys_mfn_list, 5);
    CHECK_EQ(XENMEM_populate_physmap, 6);
    CHECK_EQ(XENMEM_add_to_physmap, 7);
    CHECK_EQ(XENMEM_memory_map, 9);
    CHECK_EQ(XENMEM_machine_memory_map, 10);
    CHECK_EQ(XENMEM_exchange, 11);
    CHECK_EQ(XENMEM_machphys_mapping, 12);
    CHECK_EQ(XENMEM_set_memory_map, 13);
    CHECK_EQ(XENMEM_maximum_gpfn, 14);
    CHECK_EQ(XENMEM_acquire_resource, 28);
    CHECK_EQ(XENMEMF_address_bits(32), 32);
    CHECK_EQ(XENMEMF_node(0), 0x100);
    CHECK_EQ(XENMEMF_get_node(XENMEMF_node(3) | 32), 3);
    CHECK_EQ(XENMEMF_get_address_bits(XENMEMF_node(3) | 32), 32);
    CHECK_EQ(XENMEMF_exact_node(1), 0x20200);
    CHECK_EQ(sizeof(struct xen_memory_reservation), 32);
    CHECK_EQ(sizeof(struct xen_memory_exchange), 72);
    CHECK_EQ(sizeof(struct xen_e820_entry), 20);
    CHECK_EQ(sizeof(struct xen_memory_map), 16);
}

TEST(sched)
{
    CHECK_EQ(SCHEDOP_yield, 0);
    CHECK_EQ(SCHEDOP_block, 1);
    CHECK_EQ(SCHEDOP_shutdown, 2);
    CHECK_EQ(SCHEDOP_poll, 3);
    CHECK_EQ(SCHEDOP_remote_shutdown, 4);
    CHECK_EQ(SCHEDOP_watchdog, 6);
    CHECK_EQ(SHUTDOWN_poweroff, 0);
    CHECK_EQ(SHUTDOWN_reboot, 1);
    CHECK_EQ(SHUTDOWN_suspend, 2);
    CHECK_EQ(SHUTDOWN_crash, 3);
    CHECK_EQ(SHUTDOWN_watchdog, 4);
    CHECK_EQ(SHUTDOWN_soft_reset, 5);
    CHECK_EQ(SHUTDOWN_MAX, 5);
    CHECK_EQ(sizeof(struct sched_poll), 24);
}

TEST(vcpu)
{
    CHECK_EQ(VCPUOP_initialise, 0);
    CHECK_EQ(VCPUOP_up, 1);
    CHECK_EQ(VCPUOP_register_runstate_memory_area, 5);
    CHECK_EQ(VCPUOP_set_singleshot_timer, 8);
    CHECK_EQ(VCPUOP_register_vcpu_info, 10);
    CHECK_EQ(VCPUOP_get_physid, 12);
    CHECK_EQ(VCPU_SSHOTTMR_future, 1);
    CHECK_EQ(RUNSTATE_offline, 3);
    CHECK_EQ(XEN_RUNSTATE_UPDATE, 1ull << 63);
    CHECK_EQ(sizeof(struct vcpu_runstate_info), 48);
    CHECK_EQ(xen_vcpu_physid_to_x86_apicid(0x0000000500000007ull), 7);
    CHECK_EQ(xen_vcpu_physid_to_x86_acpiid(0x0000000500000007ull), 5);
}

TEST(callback)
{
    CHECK_EQ(CALLBACKTYPE_event, 0);
    CHECK_EQ(CALLBACKTYPE_failsafe, 1);
    CHECK_EQ(CALLBACKTYPE_syscall, 2);
    CHECK_EQ(CALLBACKTYPE_nmi, 4);
    CHECK_EQ(CALLBACKTYPE_sysenter, 5);
    CHECK_EQ(CALLBACKTYPE_syscall32, 7);
    CHECK_EQ(CALLBACKF_mask_events, 1);
    CHECK_EQ(CALLBACKOP_unregister, 1);
    CHECK_EQ(sizeof(struct callback_register), 16);
}

TEST(physdev)
{
    CHECK_EQ(PHYSDEVOP_irq_status_query, 5);
    CHECK_EQ(PHYSDEVOP_set_iopl, 6);
    CHECK_EQ(PHYSDEVOP_set_iobitmap, 7);
    CHECK_EQ(PHYSDEVOP_eoi, 12);
    CHECK_EQ(PHYSDEVOP_map_pirq, 13);
    CHECK_EQ(PHYSDEVOP_setup_gsi, 21);
    CHECK_EQ(PHYSDEVOP_pci_device_add, 25);
    CHECK_EQ(PHYSDEVOP_pirq_eoi_gmfn, 28);
    CHECK_EQ(sizeof(struct physdev_map_pirq), 40);
    CHECK_EQ(sizeof(struct physdev_op), 24);
}

TEST(nmi)
{
    CHECK_EQ(XENNMI_register_callback, 0);
    CHECK_EQ(XENNMI_unregister_callback, 1);
    CHECK_EQ(XEN_NMIREASON_pci_serr, 2);
    CHECK_EQ(sizeof(struct xennmi_callback), 16);
}

TEST(event_channel)
{
    CHECK_EQ(EVTCHNOP_bind_interdomain, 0);
    CHECK_EQ(EVTCHNOP_send, 4);
    CHECK_EQ(EVTCHNOP_alloc_unbound, 6);
    CHECK_EQ(EVTCHNOP_unmask, 9);
    CHECK_EQ(EVTCHNOP_init_control, 11);
    CHECK_EQ(EVTCHNOP_set_priority, 13);
    CHECK_EQ(EVTCHNSTAT_ipi, 5);
    CHECK_EQ(EVTCHN_2L_NR_CHANNELS, 4096);
    /* The 2-level bitmaps in shared_info hold exactly that many ports. */
    CHECK_EQ(sizeof(((struct shared_info *)0)->evtchn_pending) * 8,
             EVTCHN_2L_NR_CHANNELS);
    CHECK_EQ(EVTCHN_FIFO_NR_CHANNELS, 1 << 17);
    CHECK_EQ(sizeof(struct evtchn_status), 24);
    CHECK_EQ(sizeof(struct evtchn_op), 28);
}

TEST(grant_table)
{
    CHECK_EQ(GNTTABOP_map_grant_ref, 0);
    CHECK_EQ(GNTTABOP_setup_table, 2);
    CHECK_EQ(GNTTABOP_copy, 5);
    CHECK_EQ(GNTTABOP_cache_flush, 12);
    CHECK_EQ(GNTST_okay, 0);
    CHECK_EQ(GNTST_general_error, -1);
    CHECK_EQ(GNTST_permission_denied, -8);
    CHECK_EQ(GNTST_bad_copy_arg, -10);
    CHECK_EQ(GNTST_eagain, -12);
    CHECK_EQ(GNTST_no_space, -13);
    CHECK_EQ(GTF_permit_access | GTF_readonly, 5);
    CHECK_EQ(GNTMAP_host_map | GNTMAP_readonly, 6);
    CHECK_EQ(GNTMAP_guest_avail_mask, 0xffff0000u);
    CHECK_STR(gnttab_status_name(GNTST_okay), "okay");
    CHECK_STR(gnttab_status_name(GNTST_bad_gntref), "bad grant reference");
    CHECK_STR(gnttab_status_name(GNTST_no_space), "no space");
    CHECK_STR(gnttab_status_name(-14), "unknown status");
    CHECK_STR(gnttab_status_name(1), "unknown status");
    CHECK_EQ(sizeof(struct grant_entry_v1), 8);
    CHECK_EQ(sizeof(struct gnttab_map_grant_ref), 32);
    CHECK_EQ(sizeof(struct gnttab_copy), 40);
}

TEST(domctl)
{
    CHECK_EQ(XEN_DOMCTL_INTERFACE_VERSION, 0x15);
    CHECK_EQ(XEN_DOMCTL_createdomain, 1);
    CHECK_EQ(XEN_DOMCTL_getdomaininfo, 5);
    CHECK_EQ(XEN_DOMCTL_max_vcpus, 15);
    CHECK_EQ(XEN_DOMCTL_hypercall_init, 22);
    CHECK_EQ(XEN_DOMCTL_set_paging_mempool_size, 86);
    CHECK_EQ(XEN_DOMINF_shutdownshift, 16);
    CHECK_EQ(sizeof(struct xen_domctl), 144);
    CHECK_EQ(sizeof(((struct xen_domctl *)0)->u), 128);
    CHECK_EQ(sizeof(struct xen_domctl_getdomaininfo), 112);
    CHECK_EQ(sizeof(struct xen_domctl_createdomain), 64);
}

TEST(sysctl)
{
    CHECK_EQ(XEN_SYSCTL_INTERFACE_VERSION, 0x15);
    CHECK_EQ(XEN_SYSCTL_readconsole, 1);
    CHECK_EQ(XEN_SYSCTL_physinfo, 3);
    CHECK_EQ(XEN_SYSCTL_getdomaininfolist, 6);
    CHECK_EQ(XEN_SYSCTL_get_cpu_policy, 29);
    CHECK_EQ(sizeof(struct xen_sysctl), 136);
    CHECK_EQ(sizeof(((struct xen_sysctl *)0)->u), 128);
    CHECK_EQ(sizeof(struct xen_sysctl_physinfo), 112);
}

TEST(flask_op)
{
    CHECK_EQ(XEN_FLASK_INTERFACE_VERSION, 1);
    CHECK_EQ(FLASK_LOAD, 1);
    CHECK_EQ(FLASK_DEVICETREE_LABEL, 25);
    CHECK_EQ(sizeof(struct xen_flask_op), 40);
}

TEST(console)
{
    struct xencons_interface ring;

    CHECK_EQ(sizeof(ring), 3088);
    CHECK_EQ(offsetof(struct xencons_interface, in_cons), 3072);
    CHECK_EQ(MASK_XENCONS_IDX(1025u, ring.in), 1);
    CHECK_EQ(MASK_XENCONS_IDX(2049u, ring.out), 1);
    CHECK_EQ(MASK_XENCONS_IDX(0xffffffffu, ring.out), 2047);
}

TEST(xs_wire)
{
    size_t i;
    int found = 0;

    CHECK_EQ(XS_CONTROL, 0);
    CHECK_EQ(XS_READ, 2);
    CHECK_EQ(XS_WATCH, 4);
    CHECK_EQ(XS_INTRODUCE, 8);
    CHECK_EQ(XS_WRITE, 11);
    CHECK_EQ(XS_WATCH_EVENT, 15);
    CHECK_EQ(XS_ERROR, 16);
    CHECK_EQ(XS_SET_TARGET, 19);
    CHECK_EQ(XS_RESET_WATCHES, 21);
    CHECK_EQ(XS_DIRECTORY_PART, 22);
    CHECK_EQ(XS_TYPE_COUNT, 23);
    CHECK_EQ(XS_INVALID, 0xffff);
    CHECK_EQ(XENSTORE_RING_SIZE, 1024);
    CHECK_EQ(MASK_XENSTORE_IDX(1030u), 6);
    CHECK_EQ(sizeof(struct xsd_sockmsg), 16);
    CHECK_EQ(offsetof(struct xenstore_domain_interface, req_cons), 2048);
    CHECK_EQ(sizeof(struct xenstore_domain_interface), 2076);
    CHECK(sizeof(struct xenstore_domain_interface) <= 4096);

    CHECK_EQ(ARRAY_SIZE_T(xsd_errors), 16);
    CHECK_STR(xsd_errors[0].errstring, "EINVAL");
    for ( i = 0; i < ARRAY_SIZE_T(xsd_errors); i++ )
    {
        CHECK_EQ(errno_value_of(xsd_errors[i].errstring), xsd_errors[i].errnum);
        if ( !strcmp(xsd_errors[i].errstring, "ENOENT") )
            found = xsd_errors[i].errnum;
    }
    CHECK_EQ(found, XEN_ENOENT);
}

int main(void)
{
    RUN_HEADER(test_xen_x86_64, "public/arch-x86/xen-x86_64.h");
    RUN_HEADER(test_arch_x86_xen, "public/arch-x86/xen.h");
    RUN_HEADER(test_xen, "public/xen.h");
    RUN_HEADER(test_errno, "public/errno.h");
    RUN_HEADER(test_features, "public/features.h");
    RUN_HEADER(test_version, "public/version.h");
    RUN_HEADER(test_elfnote, "public/elfnote.h");
    RUN_HEADER(test_memory, "public/memory.h");
    RUN_HEADER(test_sched, "public/sched.h");
    RUN_HEADER(test_vcpu, "public/vcpu.h");
    RUN_HEADER(test_callback, "public/callback.h");
    RUN_HEADER(test_physdev, "public/physdev.h");
    RUN_HEADER(test_nmi, "public/nmi.h");
    RUN_HEADER(test_event_channel, "public/event_channel.h");
    RUN_HEADER(test_grant_table, "public/grant_table.h");
    RUN_HEADER(test_domctl, "public/domctl.h");
    RUN_HEADER(test_sysctl, "public/sysctl.h");
    RUN_HEADER(test_flask_op, "public/xsm/flask_op.h");
    RUN_HEADER(test_console, "public/io/console.h");
    RUN_HEADER(test_xs_wire, "public/io/xs_wire.h");
    HARNESS_EXIT();
}
