/*
 * Small hypercalls about the hypervisor and the calling domain:
 * xen_version, console_io, sched_op and xsm_op.
 *
 * Keel speaks Xen 4.17's guest ABI, so xen_version reports 4.17 with
 * Keel's own extra version; every buffer handed back is fully written
 * (zero-padded) so no hypervisor memory leaks to the guest (XSA-122).
 */
#include <keel/console.h>
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/param.h>
#include <asm/page.h>
#include <public/features.h>
#include <public/version.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define KEEL_ABI_MAJOR   4
#define KEEL_ABI_MINOR   17
#define KEEL_EXTRAVERSION ".0-keel"
#define CONSOLE_CHUNK    256

/*
 * The GNU build ID the linker put in the image (ld --build-id=sha1): a
 * note with name "GNU" and type 3.
 */
#define NT_GNU_BUILD_ID 3
extern const char __start_note_gnu_build_id[], __stop_note_gnu_build_id[];

static int keel_build_id(const void **id, unsigned int *sz)
{
    const uint32_t *n = (const uint32_t *)__start_note_gnu_build_id;
    size_t len = __stop_note_gnu_build_id - __start_note_gnu_build_id;

    /* namesz, descsz, type, "GNU\0", desc */
    if ( len < 16 || n[0] != 4 || n[2] != NT_GNU_BUILD_ID ||
         16 + (size_t)n[1] > len )
        return -ENODATA;
    *id = (const char *)n + 16;
    *sz = n[1];
    return 0;
}

/* Fill dst[size] with s, truncated and zero-padded. */
static void strncpy_fixed(char *dst, const char *s, size_t size)
{
    size_t n = MIN(strlen(s), size - 1);

    memset(dst, 0, size);
    memcpy(dst, s, n);
}

/* Copy a string into a fixed-size ABI buffer, zero-padded. */
static long put_fixed_string(unsigned long va, const char *s, size_t size)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];    /* the largest of them */
    size_t n = MIN(strlen(s), size - 1);

    memset(buf, 0, size);
    memcpy(buf, s, n);
    return copy_to_guest(va, buf, size) ? -EFAULT : 0;
}

static uint32_t features_submap(const struct domain *d, unsigned int idx)
{
    uint32_t map = 0;

    if ( idx != 0 )
        return 0;
    map |= 1U << XENFEAT_memory_op_vnode_supported;
    map |= 1U << XENFEAT_mmu_pt_update_preserve_ad;
    map |= 1U << XENFEAT_highmem_assist;
    map |= 1U << XENFEAT_gnttab_map_avail_bits;
    if ( d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3) )
        map |= 1U << XENFEAT_pae_pgdir_above_4gb;
    if ( d->is_privileged )
        map |= 1U << XENFEAT_dom0;
    map |= 1U << XENFEAT_direct_mapped;     /* PV: guest frames are real */
    return map;
}

long do_xen_version(unsigned long cmd, unsigned long arg, unsigned long a3,
                    unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    bool deny = xsm_default_action(XSM_PRIV, d, NULL) != 0;

    switch ( cmd )
    {
    case XENVER_version:
        return (KEEL_ABI_MAJOR << 16) | KEEL_ABI_MINOR;

    case XENVER_extraversion:
        return put_fixed_string(arg, deny ? "<denied>" : KEEL_EXTRAVERSION,
                                XEN_EXTRAVERSION_LEN);

    case XENVER_compile_info:
    {
        struct xen_compile_info ci;

        memset(&ci, 0, sizeof(ci));
        strncpy_fixed(ci.compiler, deny ? "<denied>" : "gcc " __VERSION__,
                      sizeof(ci.compiler));
        strncpy_fixed(ci.compile_by, deny ? "<denied>" : "keel",
                      sizeof(ci.compile_by));
        strncpy_fixed(ci.compile_domain, deny ? "<denied>" : "",
                      sizeof(ci.compile_domain));
        strncpy_fixed(ci.compile_date, deny ? "<denied>" : __DATE__,
                      sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
    }

    case XENVER_capabilities:
        return put_fixed_string(arg, "xen-3.0-x86_64 ",
                                XEN_CAPABILITIES_INFO_LEN);

    case XENVER_changeset:
        return put_fixed_string(arg, deny ? "<denied>" : "keel " KEEL_VERSION,
                                XEN_CHANGESET_INFO_LEN);

    case XENVER_platform_parameters:
    {
        struct xen_platform_parameters pp = {
            .virt_start = HYPERVISOR_VIRT_START,
        };

        return copy_to_guest(arg, &pp, sizeof(pp)) ? -EFAULT : 0;
    }

    case XENVER_get_features:
    {
        struct xen_feature_info fi;

        if ( copy_from_guest(&fi, arg, sizeof(fi)) )
            return -EFAULT;
        fi.submap = features_submap(d, fi.submap_idx);
        if ( fi.submap_idx >= XENFEAT_NR_SUBMAPS )
            return -EINVAL;
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }

    case XENVER_pagesize:
        return PAGE_SIZE;

    case XENVER_guest_handle:
    {
        xen_domain_handle_t h;

        memset(h, 0, sizeof(h));
        return copy_to_guest(arg, h, sizeof(h)) ? -EFAULT : 0;
    }

    case XENVER_commandline:
        /* Xen: an unprivileged caller gets "<denied>", not an error. */
        return put_fixed_string(arg, deny ? "<denied>" : cmdline_hypervisor(),
                                sizeof(xen_commandline_t));

    case XENVER_build_id:
    {
        struct xen_build_id bid;
        const void *id;
        unsigned int sz;

        if ( deny )
            return -EPERM;
        if ( keel_build_id(&id, &sz) )
            return -ENODATA;
        if ( !arg )
            return sz;                      /* just the length */
        if ( copy_from_guest(&bid, arg, sizeof(bid)) )
            return -EFAULT;
        if ( bid.len == 0 )
            return -EINVAL;
        if ( sz > bid.len )
            return -ENOBUFS;
        if ( copy_to_guest(arg + offsetof(struct xen_build_id, buf), id, sz) )
            return -EFAULT;
        return sz;
    }
    }
    return -ENOSYS;
}

long do_console_io(unsigned long cmd, unsigned long count, unsigned long buf,
                   unsigned long a4, unsigned long a5)
{
    struct domain *d = current->domain;
    char kbuf[CONSOLE_CHUNK];
    unsigned long done = 0;

    switch ( cmd )
    {
    case CONSOLEIO_write:
        if ( count > INT32_MAX )
            return -EINVAL;
        while ( done < count )
        {
            size_t n = MIN(count - done, sizeof(kbuf));

            if ( done && hypercall_preempt_check() )
            {
                unsigned long args[3] = { cmd, count - done, buf + done };

                return hypercall_create_continuation(__HYPERVISOR_console_io,
                                                     3, args);
            }
            if ( copy_from_guest(kbuf, buf + done, n) )
                return -EFAULT;
            console_guest_write(d->domain_id, kbuf, n);
            done += n;
        }
        return 0;

    case CONSOLEIO_read:
    {
        size_t n;

        if ( xsm_default_action(XSM_PRIV, d, NULL) )
            return -EPERM;
        if ( count > INT32_MAX )
            return -EINVAL;
        n = console_dom0_input_read(kbuf, MIN(count, sizeof(kbuf)));
        if ( n && copy_to_guest(buf, kbuf, n) )
            return -EFAULT;
        return n;
    }
    }
    return -ENOSYS;
}

long do_xsm_op(unsigned long op, unsigned long arg, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    /* The default policy has no guest-visible XSM interface (no FLASK). */
    return -ENOSYS;
}
