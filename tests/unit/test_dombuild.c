/*
 * Host tests of the PV domU builder (tools/libs/dombuild) and the control
 * library calls it makes (tools/libs/ctrl), against a simulated
 * hypervisor: a machine memory array, populate_physmap handing out frames
 * in a scrambled order (so a pfn/mfn mix-up shows), and a record of the
 * domctls and mmuext_ops made.  The result is checked the way the guest
 * would see it: by walking the page tables the builder wrote, from the
 * CR3 of vCPU 0's context.
 */
#include "harness.h"
#include "elf_builder.h"
#include <keelctrl.h>
#include <dombuild.h>
#include <public/errno.h>
#include <unistd.h>

#define NR_MFN      8192
#define DOMID       7
#define SI_FRAME    77

static uint8_t (*machine)[4096];
static int mfn_owner[NR_MFN];               /* domid + 1, or 0 */
static unsigned long next_k, populate_limit, nr_populated;
static int maps_out, pin_rc;
static struct {
    unsigned int cmd, dom;
    xen_pfn_t mfn;
    unsigned int n;
} pinned;
static struct vcpu_guest_context ctxt;
static bool have_ctxt;
static xen_pfn_t hc_gmfn;

static xen_pfn_t next_mfn(void)
{
    /* 2749 is coprime with 8000: distinct frames, far from pfn order. */
    xen_pfn_t m;

    do {
        m = 64 + (next_k++ * 2749) % 8000;
    } while ( m == SI_FRAME );
    return m;
}

static long fake_domctl(struct xen_domctl *op)
{
    if ( op->interface_version != XEN_DOMCTL_INTERFACE_VERSION )
        return -XEN_EACCES;
    if ( op->domain != DOMID )
        return -XEN_ESRCH;
    switch ( op->cmd )
    {
    case XEN_DOMCTL_getdomaininfo:
        memset(&op->u.getdomaininfo, 0, sizeof(op->u.getdomaininfo));
        op->u.getdomaininfo.domain = DOMID;
        op->u.getdomaininfo.shared_info_frame = SI_FRAME;
        return 0;
    case XEN_DOMCTL_setvcpucontext:
        if ( op->u.vcpucontext.vcpu != 0 )
            return -XEN_EINVAL;
        memcpy(&ctxt, op->u.vcpucontext.ctxt.p, sizeof(ctxt));
        have_ctxt = true;
        return 0;
    case XEN_DOMCTL_hypercall_init:
        hc_gmfn = op->u.hypercall_init.gmfn;
        return 0;
    }
    return -XEN_ENOSYS;
}

static long fake_populate(struct xen_memory_reservation *r)
{
    xen_pfn_t *list = r->extent_start.p;
    unsigned long i;

    if ( r->domid != DOMID || r->extent_order )
        return -XEN_EINVAL;
    for ( i = 0; i < r->nr_extents; i++ )
    {
        xen_pfn_t mfn;

        if ( populate_limit && nr_populated == populate_limit )
            break;
        mfn = next_mfn();
        mfn_owner[mfn] = DOMID + 1;
        memset(machine[mfn], 0xa5, 4096);   /* not zeroed: builder must */
        list[i] = mfn;
        nr_populated++;
    }
    return i;
}

static long fake_hypercall(void *priv, unsigned int nr, unsigned long a1,
                           unsigned long a2, unsigned long a3,
                           unsigned long a4, unsigned long a5)
{
    struct mmuext_op *op;

    switch ( nr )
    {
    case __HYPERVISOR_domctl:
        return fake_domctl((struct xen_domctl *)a1);
    case __HYPERVISOR_memory_op:
        if ( a1 != XENMEM_populate_physmap )
            return -XEN_ENOSYS;
        return fake_populate((struct xen_memory_reservation *)a2);
    case __HYPERVISOR_mmuext_op:
        op = (struct mmuext_op *)a1;
        pinned.cmd = op->cmd;
        pinned.mfn = op->arg1.mfn;
        pinned.n = a2;
        pinned.dom = a4;
        return pin_rc;
    }
    return -XEN_ENOSYS;
}

static void *fake_buf_alloc(void *priv, size_t len)
{
    return malloc(len);
}

static void fake_buf_free(void *priv, void *p, size_t len)
{
    free(p);
}

static void *fake_map(void *priv, domid_t domid, xen_pfn_t mfn, bool w)
{
    if ( domid != DOMID || mfn >= NR_MFN || mfn_owner[mfn] != DOMID + 1 )
        return NULL;
    maps_out++;
    return machine[mfn];
}

static void fake_unmap(void *priv, void *va)
{
    maps_out--;
}

static const struct kc_platform fake_platform = {
    .hypercall = fake_hypercall, .buf_alloc = fake_buf_alloc,
    .buf_free = fake_buf_free, .map_foreign = fake_map,
    .unmap_foreign = fake_unmap,
};
static struct kc_handle h = { &fake_platform };

static void reset(void)
{
    if ( !machine )
        machine = calloc(NR_MFN, 4096);
    memset(mfn_owner, 0, sizeof(mfn_owner));
    mfn_owner[SI_FRAME] = DOMID + 1;        /* the hypervisor's page */
    memset(machine[SI_FRAME], 0xa5, 4096);
    next_k = populate_limit = nr_populated = 0;
    maps_out = 0;
    pin_rc = 0;
    memset(&pinned, 0, sizeof(pinned));
    memset(&ctxt, 0, sizeof(ctxt));
    have_ctxt = false;
    hc_gmfn = 0;
    default_cfg();
    build();
}

/* Walk the guest's tables from CR3: the frame va maps, and its flags. */
static bool translate(uint64_t va, xen_pfn_t *mfn, uint64_t *flags)
{
    xen_pfn_t t = ctxt.ctrlreg[3] >> 12;
    unsigned int shift;

    for ( shift = 39; ; shift -= 9 )
    {
        uint64_t e;

        if ( t >= NR_MFN )
            return false;
        e = ((uint64_t *)machine[t])[(va >> shift) & 511];
        if ( !(e & 1) )
            return false;
        t = (e & 0x000ffffffffff000ULL) >> 12;
        if ( shift == 12 )
        {
            *mfn = t;
            *flags = e & 0xfff;
            return true;
        }
    }
}

static void *guest_ptr(uint64_t va)
{
    xen_pfn_t mfn;
    uint64_t flags;

    if ( !translate(va, &mfn, &flags) )
        return NULL;
    return machine[mfn] + (va & 4095);
}

static int build_with(const void *kernel, size_t len, unsigned long pages,
                      const void *rd, size_t rd_len, const char *cmdline,
                      struct dombuild_result *r, char *err)
{
    struct dombuild_params p = {
        .domid = DOMID, .kernel = kernel, .kernel_len = len,
        .ramdisk = rd, .ramdisk_len = rd_len, .cmdline = cmdline,
        .nr_pages = pages, .console_evtchn = 3, .store_evtchn = 4,
    };

    return dombuild_pv(&h, &p, r, err, 200);
}

static uint8_t ramdisk[5000];

TEST(builds_a_domain_as_the_abi_says)
{
    struct dombuild_result r;
    struct start_info *si;
    char err[200];
    uint64_t va, flags, pt_end;
    xen_pfn_t mfn, *p2m;
    unsigned long pfn;

    reset();
    for ( size_t i = 0; i < sizeof(ramdisk); i++ )
        ramdisk[i] = i * 3 + 1;
    CHECK_EQ(0, build_with(img_buf, img_size, 2048, ramdisk,
                           sizeof(ramdisk), "root=/dev/xvda1", &r, err));
    CHECK_STR("", err);
    CHECK_EQ(0, maps_out);
    CHECK_EQ(2048, nr_populated);

    /* Pinned L4 = CR3; vCPU 0's entry state. */
    CHECK(have_ctxt);
    CHECK_EQ(MMUEXT_PIN_L4_TABLE, pinned.cmd);
    CHECK_EQ(DOMID, pinned.dom);
    CHECK_EQ(1, pinned.n);
    CHECK_EQ(pinned.mfn, ctxt.ctrlreg[3] >> 12);
    CHECK_EQ(VB + TEXT_PADDR + 0x10, ctxt.user_regs.rip);
    CHECK_EQ(VB + TEXT_PADDR + 0x10, r.entry);
    CHECK_EQ(VGCF_in_kernel | VGCF_online, ctxt.flags);
    CHECK_EQ(FLAT_KERNEL_CS, ctxt.user_regs.cs);
    CHECK_EQ(FLAT_KERNEL_SS, ctxt.user_regs.ss);
    CHECK_EQ(FLAT_KERNEL_SS, ctxt.kernel_ss);
    CHECK_EQ(ctxt.user_regs.rsp, ctxt.kernel_sp);
    CHECK(ctxt.user_regs.rflags & (1 << 9));
    CHECK_STR("linux", r.guest_os);

    /* start_info, read through the guest's own mapping. */
    si = guest_ptr(ctxt.user_regs.rsi);
    CHECK(si != NULL);
    if ( !si )
        return;
    CHECK_STR("xen-3.0-x86_64", si->magic);
    CHECK_EQ(2048, si->nr_pages);
    CHECK_EQ((uint64_t)SI_FRAME << 12, si->shared_info);
    CHECK_EQ(0, si->flags);
    CHECK_EQ(r.store_mfn, si->store_mfn);
    CHECK_EQ(4, si->store_evtchn);
    CHECK_EQ(r.console_mfn, si->console.domU.mfn);
    CHECK_EQ(3, si->console.domU.evtchn);
    CHECK_STR("root=/dev/xvda1", (char *)si->cmd_line);
    CHECK_EQ(sizeof(ramdisk), si->mod_len);
    CHECK(si->mod_start >= VB + DATA_PADDR + 0x3000);
    CHECK_EQ(0, si->mod_start & 4095);
    CHECK(si->mfn_list > si->mod_start);
    CHECK(si->pt_base > si->mfn_list);
    CHECK_EQ(ctxt.user_regs.rsp, si->pt_base + si->nr_pt_frames * 4096 +
             4096);
    /* 4 MiB of boot mapping (L4, L3, L2, two L1s). */
    CHECK_EQ(5, si->nr_pt_frames);

    /* The boot mapping: pfn order, tables read-only, the rest writable. */
    p2m = guest_ptr(si->mfn_list);
    CHECK(p2m != NULL);
    pt_end = si->pt_base + si->nr_pt_frames * 4096;
    CHECK_EQ(VB + (4UL << 20), r.virt_end);
    CHECK(r.virt_end - ctxt.user_regs.rsp >= 512 * 1024);
    for ( va = VB, pfn = 0; va < r.virt_end; va += 4096, pfn++ )
    {
        xen_pfn_t want = p2m ? ((xen_pfn_t *)guest_ptr(si->mfn_list +
                                                        pfn * 8))[0] : 0;

        if ( !translate(va, &mfn, &flags) || mfn != want ||
             mfn_owner[mfn] != DOMID + 1 ||
             !(flags & 4) != 0 ||
             !!(flags & 2) != !(va >= si->pt_base && va < pt_end) )
        {
            CHECK_EQ(want, mfn);
            CHECK_EQ(va, 0);            /* name the failing address */
            break;
        }
    }
    CHECK(!translate(r.virt_end, &mfn, &flags));
    CHECK(!translate(VB - 4096, &mfn, &flags));

    /* Contents: text, data, bss, ramdisk; zeroed rings and stack. */
    CHECK(guest_ptr(VB + TEXT_PADDR) &&
          !memcmp(guest_ptr(VB + TEXT_PADDR), img_buf + TEXT_OFF, 4096));
    CHECK(guest_ptr(VB + DATA_PADDR) &&
          !memcmp(guest_ptr(VB + DATA_PADDR), img_buf + DATA_OFF, 0x800));
    CHECK_EQ(0, ((uint8_t *)guest_ptr(VB + DATA_PADDR + 0x900))[0]);
    CHECK_EQ(0, ((uint8_t *)guest_ptr(VB + DATA_PADDR + 0x2fff))[0]);
    CHECK(!memcmp(guest_ptr(si->mod_start), ramdisk, 4096));
    CHECK(!memcmp(guest_ptr(si->mod_start + 4096), ramdisk + 4096,
                  sizeof(ramdisk) - 4096));
    CHECK_EQ(0, ((uint8_t *)machine[r.store_mfn])[100]);
    CHECK_EQ(0, ((uint8_t *)machine[r.console_mfn])[4095]);
    CHECK_EQ(0, ((uint8_t *)guest_ptr(ctxt.user_regs.rsp - 8))[0]);

    /* shared_info: zeroed, every vCPU's upcalls masked. */
    {
        struct shared_info *shi = (void *)machine[SI_FRAME];
        unsigned int i;

        for ( i = 0; i < XEN_LEGACY_MAX_VCPUS; i++ )
            CHECK_EQ(1, shi->vcpu_info[i].evtchn_upcall_mask);
        CHECK_EQ(0, shi->vcpu_info[0].evtchn_upcall_pending);
        CHECK_EQ(0, shi->evtchn_pending[0]);
        CHECK_EQ(0, shi->wc_sec);
    }

    /* Hypercall page: the frame behind its note's address. */
    CHECK(translate(VB + TEXT_PADDR + 0x1000, &mfn, &flags));
    CHECK_EQ(mfn, hc_gmfn);
}

TEST(gzip_kernel)
{
    struct dombuild_result r;
    char err[200], path[] = "/tmp/keel-dombuild-XXXXXX", cmd[128];
    static uint8_t gz[IMG_SIZE * 2];
    size_t n;
    FILE *f;
    int fd;

    reset();
    fd = mkstemp(path);
    CHECK(fd >= 0);
    f = fdopen(fd, "w");
    fwrite(img_buf, 1, img_size, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "gzip -9 -c < %s", path);
    f = popen(cmd, "r");
    n = fread(gz, 1, sizeof(gz), f);
    pclose(f);
    unlink(path);
    CHECK(n > 20);
    CHECK_EQ(0, build_with(gz, n, 2048, NULL, 0, NULL, &r, err));
    CHECK_STR("", err);
    CHECK(guest_ptr(VB + TEXT_PADDR) &&
          !memcmp(guest_ptr(VB + TEXT_PADDR), img_buf + TEXT_OFF, 4096));

    /* A corrupt stream is refused by name. */
    reset();
    gz[n / 2] ^= 0xff;
    gz[n / 2 + 1] ^= 0x55;
    CHECK_EQ(-XEN_EINVAL, build_with(gz, n, 2048, NULL, 0, NULL, &r, err));
    CHECK(strstr(err, "gzip") != NULL);
    CHECK(!have_ctxt);
}

TEST(refusals_name_the_problem)
{
    struct dombuild_result r;
    char err[200], big[1500];

    /* Too little memory for the boot mapping: no memory taken. */
    reset();
    CHECK_EQ(-XEN_ENOMEM, build_with(img_buf, img_size, 256, NULL, 0, NULL,
                                     &r, err));
    CHECK_STR("memory: the kernel and boot mappings need 4 MiB, the domain "
              "has 1 MiB: raise memory", err);
    CHECK_EQ(0, nr_populated);

    /* The hypervisor gives less than asked. */
    reset();
    populate_limit = 1000;
    CHECK_EQ(-XEN_ENOMEM, build_with(img_buf, img_size, 2048, NULL, 0, NULL,
                                     &r, err));
    CHECK(strstr(err, "only 3 of 8 MiB") != NULL);
    CHECK(!have_ctxt);

    /* Not ELF. */
    reset();
    memset(big, 'x', sizeof(big));
    CHECK_EQ(-XEN_EINVAL, build_with(big, sizeof(big), 2048, NULL, 0, NULL,
                                     &r, err));
    CHECK(!strncmp(err, "kernel: not a usable ELF image: ", 32));
    CHECK_EQ(0, nr_populated);

    /* A required feature Keel lacks for a domU. */
    reset();
    default_notes();
    cfg.notes[7].descsz = snprintf((char *)cfg.notes[7].desc, 64,
                                   "!supervisor_mode_kernel") + 1;
    build();
    CHECK_EQ(-XEN_EINVAL, build_with(img_buf, img_size, 2048, NULL, 0, NULL,
                                     &r, err));
    CHECK(!strncmp(err, "kernel: ", 8));
    CHECK(strstr(err, "supervisor_mode_kernel") != NULL);

    /* The hypervisor refuses the page tables. */
    reset();
    pin_rc = -XEN_EINVAL;
    CHECK_EQ(-XEN_EINVAL, build_with(img_buf, img_size, 2048, NULL, 0, NULL,
                                     &r, err));
    CHECK(strstr(err, "refused") != NULL);
    CHECK(!have_ctxt);
    CHECK_EQ(0, maps_out);

    /* No memory at all. */
    reset();
    CHECK_EQ(-XEN_EINVAL, build_with(img_buf, img_size, 0, NULL, 0, NULL,
                                     &r, err));
}

TEST(long_command_line_is_cut_and_terminated)
{
    struct dombuild_result r;
    struct start_info *si;
    char err[200], *cmd = malloc(3000);

    reset();
    memset(cmd, 'c', 2999);
    cmd[2999] = '\0';
    CHECK_EQ(0, build_with(img_buf, img_size, 2048, NULL, 0, cmd, &r, err));
    si = guest_ptr(ctxt.user_regs.rsi);
    CHECK(si && strlen((char *)si->cmd_line) == MAX_GUEST_CMDLINE - 1);
    CHECK(si && si->mod_start == 0 && si->mod_len == 0);
    free(cmd);
}

int main(void)
{
    RUN(builds_a_domain_as_the_abi_says);
    RUN(gzip_kernel);
    RUN(refusals_name_the_problem);
    RUN(long_command_line_is_cut_and_terminated);
    free(machine);
    HARNESS_EXIT();
}
