/*
 * libkeelctrl's platform for PV kernels built on Keel's guest runtime
 * (tools/guest): hypercalls are made directly, buffers are ordinary heap
 * memory (our own pages, always mapped), and foreign frames are shown
 * through the runtime's recycled windows (pv_foreign_map_window).
 */
#include <pvguest/lib.h>
#include <keelctrl.h>
#include <keelctrl-pv.h>

static long pv_kc_hypercall(void *priv, unsigned int nr, unsigned long a1,
                            unsigned long a2, unsigned long a3,
                            unsigned long a4, unsigned long a5)
{
    return pv_hypercall(nr, a1, a2, a3, a4, a5);
}

static void *pv_kc_buf_alloc(void *priv, size_t len)
{
    return malloc(len);
}

static void pv_kc_buf_free(void *priv, void *p, size_t len)
{
    free(p);
}

static void *pv_kc_map_foreign(void *priv, domid_t domid, xen_pfn_t mfn,
                               bool writable)
{
    return pv_foreign_map_window(domid, mfn, writable);
}

static void pv_kc_unmap_foreign(void *priv, void *va)
{
    pv_foreign_unmap_window(va);
}

static const struct kc_platform pv_platform = {
    .hypercall = pv_kc_hypercall,
    .buf_alloc = pv_kc_buf_alloc,
    .buf_free = pv_kc_buf_free,
    .map_foreign = pv_kc_map_foreign,
    .unmap_foreign = pv_kc_unmap_foreign,
};

struct kc_handle pv_kc_handle = { &pv_platform };
