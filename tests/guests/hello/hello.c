/*
 * hello: the first PV kernel.  Boots as dom0, prints, and checks what a
 * PV kernel relies on before anything else.
 *
 * Cases:
 *  - start_info: magic "xen-3.0-x86_64" NUL-terminated; flags
 *    SIF_PRIVILEGED|SIF_INITDOMAIN; nr_pages equals
 *    XENMEM_current_reservation; pt_base page-aligned inside the boot
 *    mapping and the frame CR3 names; nr_pt_frames >= 4; every p2m entry
 *    valid and the M2P inverse of it; cmd_line NUL-terminated; no module;
 *    shared_info page-aligned; dom0 console info offset/size sane.
 *  - shared_info: mapped; vcpu 0's upcall mask 1 at boot; its time info
 *    version even and multiplier non-zero.
 *  - hypercall page: the 32-byte stub for xen_version and the iret stub
 *    hold the ABI's instruction bytes exactly.
 *  - every xen_version sub-op, through the hypercall page and inline
 *    SYSCALL, with the buffers pre-filled with garbage to prove they are
 *    written in full and zero-padded (XSA-122); get_features submap 0 and
 *    an out-of-range submap; an unknown sub-op; a bad buffer.
 *  - console_io: write, zero-length write, write from a bad buffer,
 *    read as dom0, an unknown sub-op.
 *  - unknown hypercall numbers, through the page and inline, including
 *    numbers past the page and a number with high bits set in rax.
 *
 * Xen 4.17's answers that were not what the ABI text suggests are noted
 * where they are checked ("Xen:").
 */
#include <pvguest/lib.h>

const char test_name[] = "hello";

#define BAD_PTR_LOW     ((void *)0x1000)                /* unmapped */
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)  /* hypervisor */

/* Is BUF[0..LEN) a NUL-terminated string followed only by zeros? */
static bool str_zero_padded(const char *buf, size_t len)
{
    size_t n = strnlen(buf, len), i;

    if ( n == len )
        return false;
    for ( i = n; i < len; i++ )
        if ( buf[i] )
            return false;
    return true;
}

static void check_start_info(void)
{
    struct start_info *si = pv_start_info;
    unsigned long pfn, bad = 0, cur, l4_pfn;

    printf("start_info: nr_pages %lu shared_info %#lx flags %#x\n",
           si->nr_pages, si->shared_info, si->flags);
    printf("  pt_base %#lx nr_pt_frames %lu mfn_list %#lx\n",
           si->pt_base, si->nr_pt_frames, si->mfn_list);
    printf("  mod_start %#lx mod_len %lu console info %u+%u\n",
           si->mod_start, si->mod_len, si->console.dom0.info_off,
           si->console.dom0.info_size);
    printf("  cmd_line \"%.1024s\"\n", si->cmd_line);

    CHECK(!memcmp(si->magic, "xen-3.0-x86_64", 15));
    CHECK(strnlen(si->magic, sizeof(si->magic)) < sizeof(si->magic));
    CHECK_EQ(SIF_PRIVILEGED | SIF_INITDOMAIN,
             si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN));
    CHECK_EQ(0, si->flags & SIF_MOD_START_PFN);

    cur = HYPERVISOR_memory_op(XENMEM_current_reservation,
                               &(uint16_t){ DOMID_SELF });
    CHECK_EQ(si->nr_pages, cur);

    CHECK_EQ(0, si->pt_base & (PAGE_SIZE - 1));
    CHECK(si->pt_base >= pv_virt_start && si->pt_base < (unsigned long)
          pfn_to_virt(pv_nr_boot_pfns));
    CHECK(si->nr_pt_frames >= 4);
    l4_pfn = virt_to_pfn((void *)si->pt_base);
    CHECK_EQ(pfn_to_mfn(l4_pfn) << PAGE_SHIFT, read_cr3());

    CHECK(si->mfn_list >= (unsigned long)_end);
    CHECK_EQ(0, si->mfn_list & 7);
    for ( pfn = 0; pfn < si->nr_pages; pfn++ )
    {
        unsigned long mfn = pv_p2m[pfn];

        if ( mfn >= (1UL << 40) || pv_m2p[mfn] != pfn )
        {
            if ( !bad )
                printf("  p2m[%lu] = %#lx, m2p of it %#lx\n", pfn, mfn,
                       mfn < (1UL << 40) ? pv_m2p[mfn] : ~0UL);
            bad++;
        }
    }
    CHECK_EQ(0, bad);
    /* The kernel image is pfn 0 onwards: VIRT_BASE maps pfn 0. */
    CHECK_EQ(pfn_to_mfn(0),
             (pv_pte_read(pv_virt_start, 1) & PTE_ADDR_MASK) >> PAGE_SHIFT);

    CHECK(strnlen((const char *)si->cmd_line, MAX_GUEST_CMDLINE) <
          MAX_GUEST_CMDLINE);
    CHECK_EQ(0, si->mod_start);
    CHECK_EQ(0, si->mod_len);
    CHECK_EQ(0, si->shared_info & (PAGE_SIZE - 1));
    /* dom0: the VGA console info, if any, follows start_info. */
    if ( si->console.dom0.info_size )
        CHECK(si->console.dom0.info_off >= sizeof(struct start_info));
    else
        test_pass("no dom0 console info");
}

static void check_shared_info(void)
{
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[0];

    printf("shared_info: upcall pending %u mask %u, time version %u mul %u"
           " shift %d, wc %u.%09u\n", vi->evtchn_upcall_pending,
           vi->evtchn_upcall_mask, vi->time.version,
           vi->time.tsc_to_system_mul, vi->time.tsc_shift,
           pv_shared_info->wc_sec, pv_shared_info->wc_nsec);
    CHECK_EQ(1, vi->evtchn_upcall_mask);
    CHECK_EQ(0, vi->time.version & 1);
    CHECK(vi->time.tsc_to_system_mul != 0);
}

static void check_hypercall_page(void)
{
    static const uint8_t stub[] = {
        0x51,                           /* push %rcx */
        0x41, 0x53,                     /* push %r11 */
        0xb8, 17, 0, 0, 0,              /* mov $17, %eax */
        0x0f, 0x05,                     /* syscall */
        0x41, 0x5b,                     /* pop %r11 */
        0x59,                           /* pop %rcx */
        0xc3,                           /* ret */
    };
    static const uint8_t iret[] = {
        0x51, 0x41, 0x53, 0x50,         /* push %rcx, %r11, %rax */
        0xb8, 23, 0, 0, 0,              /* mov $23, %eax */
        0x0f, 0x05,                     /* syscall */
    };
    long v1, v2;

    CHECK(!memcmp(hypercall_page + 17 * 32, stub, sizeof(stub)));
    CHECK(!memcmp(hypercall_page + 23 * 32, iret, sizeof(iret)));
    v1 = pv_hypercall_page(__HYPERVISOR_xen_version, XENVER_version,
                           0, 0, 0, 0);
    v2 = pv_hypercall_inline(__HYPERVISOR_xen_version, XENVER_version,
                             0, 0, 0, 0);
    CHECK_EQ(v1, v2);
    CHECK(v1 >= 0x30000);
}

static void check_xen_version(const char *how)
{
    union {
        char extra[16];
        struct xen_compile_info ci;
        char caps[1024];
        char changeset[64];
        unsigned long virt_start;
        struct xen_feature_info fi;
        uint8_t handle[16];
        char cmdline[1024];
        uint32_t build_id[256];
    } u;
    long rc;
    unsigned int i;

    printf("xen_version through %s\n", how);
    rc = HYPERVISOR_xen_version(XENVER_version, NULL);
    printf("  version %ld.%ld\n", rc >> 16, rc & 0xffff);
    CHECK(rc >= 0x30000);

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_extraversion, u.extra));
    CHECK(str_zero_padded(u.extra, sizeof(u.extra)));
    printf("  extraversion \"%.16s\"\n", u.extra);

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_compile_info, &u.ci));
    CHECK(str_zero_padded(u.ci.compiler, sizeof(u.ci.compiler)));
    CHECK(str_zero_padded(u.ci.compile_by, sizeof(u.ci.compile_by)));
    CHECK(str_zero_padded(u.ci.compile_domain, sizeof(u.ci.compile_domain)));
    CHECK(str_zero_padded(u.ci.compile_date, sizeof(u.ci.compile_date)));
    /* Nothing written past the structure. */
    CHECK_EQ(0xaa, (uint8_t)u.caps[sizeof(u.ci)]);

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_capabilities, u.caps));
    CHECK(str_zero_padded(u.caps, sizeof(u.caps)));
    CHECK(strstr(u.caps, "xen-3.0-x86_64") != NULL);
    printf("  capabilities \"%.1024s\"\n", u.caps);

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_changeset, u.changeset));
    CHECK(str_zero_padded(u.changeset, sizeof(u.changeset)));

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_platform_parameters,
                                       &u.virt_start));
    CHECK_EQ(HYPERVISOR_VIRT_START, u.virt_start);

    memset(&u, 0xaa, sizeof(u));
    u.fi.submap_idx = 0;
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_get_features, &u.fi));
    printf("  features[0] %#x\n", u.fi.submap);
    CHECK_EQ(0, u.fi.submap_idx);
    CHECK(u.fi.submap & (1U << XENFEAT_dom0));
    CHECK(u.fi.submap & (1U << XENFEAT_mmu_pt_update_preserve_ad));
    CHECK(!(u.fi.submap & (1U << XENFEAT_writable_page_tables)));
    CHECK(!(u.fi.submap & (1U << XENFEAT_auto_translated_physmap)));
    CHECK(!(u.fi.submap & (1U << XENFEAT_supervisor_mode_kernel)));
    /*
     * Xen: 0x228e0 for a PV dom0: mmu_pt_update_preserve_ad (5),
     * highmem_assist (6), gnttab_map_avail_bits (7), dom0 (11),
     * memory_op_vnode_supported (13), not_direct_mapped (17).
     */
    CHECK_EQ(0x228e0, u.fi.submap);
    u.fi.submap_idx = 1;
    u.fi.submap = 0x5a5a5a5a;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_xen_version(XENVER_get_features,
                                                 &u.fi));
    u.fi.submap_idx = 0xffffffff;
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_xen_version(XENVER_get_features,
                                                 &u.fi));

    CHECK_RC(PAGE_SIZE, HYPERVISOR_xen_version(XENVER_pagesize, NULL));

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_guest_handle, u.handle));
    for ( i = 0; i < sizeof(u.handle); i++ )
        if ( u.handle[i] )
            break;
    CHECK_EQ(sizeof(u.handle), i);      /* dom0's handle is all zeros */
    CHECK_EQ(0xaa, (uint8_t)u.caps[16]);

    memset(&u, 0xaa, sizeof(u));
    CHECK_RC(0, HYPERVISOR_xen_version(XENVER_commandline, u.cmdline));
    CHECK(str_zero_padded(u.cmdline, sizeof(u.cmdline)));
    CHECK(strstr(u.cmdline, "console=com1") != NULL);
    printf("  commandline \"%.1024s\"\n", u.cmdline);

    /* Xen: a zero-length build_id buffer is -EINVAL, not -ENOBUFS. */
    memset(&u, 0, sizeof(u));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_xen_version(XENVER_build_id,
                                                 u.build_id));
    u.build_id[0] = sizeof(u) - 4;
    rc = HYPERVISOR_xen_version(XENVER_build_id, u.build_id);
    printf("  build_id (len %zu) -> %ld\n", sizeof(u) - 4, rc);
    CHECK(rc > 0 && rc <= (long)sizeof(u) - 4);

    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_xen_version(11, u.caps));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_xen_version(0x7fffffff, u.caps));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_xen_version(XENVER_extraversion,
                                                 BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_xen_version(XENVER_capabilities,
                                                 BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_xen_version(XENVER_get_features,
                                                 BAD_PTR_LOW));
}

static void check_console_io(void)
{
    static const char msg[] = "console_io: direct write\n";
    char buf[64];
    long rc;

    CHECK_RC(0, HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1,
                                      msg));
    CHECK_RC(0, HYPERVISOR_console_io(CONSOLEIO_write, 0, msg));
    CHECK_RC(0, HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_console_io(CONSOLEIO_write, 16,
                                                BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_console_io(CONSOLEIO_write, 16,
                                                BAD_PTR_XEN));
    rc = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
    printf("console_io read -> %ld\n", rc);
    CHECK(rc >= 0 && rc <= (long)sizeof(buf));
    CHECK_RC(-XEN_ENOSYS, HYPERVISOR_console_io(2, 0, buf));
}

static void check_unknown_hypercalls(void)
{
    static const unsigned long page_nrs[] = { 11, 43, 47, 56, 63, 100, 127 };
    static const unsigned long big_nrs[] = {
        128, 1000, 0x7fffffff, 0xffffffff, (1UL << 32) | 17, ~0UL,
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(page_nrs); i++ )
    {
        CHECK_RC(-XEN_ENOSYS, pv_hypercall_page(page_nrs[i], 0, 0, 0, 0, 0));
        CHECK_RC(-XEN_ENOSYS, pv_hypercall_inline(page_nrs[i], 0, 0, 0, 0,
                                                  0));
    }
    for ( i = 0; i < ARRAY_SIZE(big_nrs); i++ )
        CHECK_RC(-XEN_ENOSYS, pv_hypercall_inline(big_nrs[i], 0, 0, 0, 0,
                                                  0));
}

void test_main(void)
{
    printf("Hello from a PV guest\n");
    check_start_info();
    check_shared_info();
    check_hypercall_page();
    pv_hypercall_mode = PV_HC_PAGE;
    check_xen_version("the hypercall page");
    pv_hypercall_mode = PV_HC_INLINE;
    check_xen_version("inline syscall");
    pv_hypercall_mode = PV_HC_PAGE;
    check_console_io();
    check_unknown_hypercalls();
}
