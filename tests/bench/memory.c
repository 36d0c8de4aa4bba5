/*
 * pvbench: the memory the hypervisor keeps for itself after boot.
 *
 * Defined the same way on every hypervisor, through the PV ABI alone:
 *
 *   ram       the usable RAM of the host's memory map
 *             (XENMEM_machine_memory_map, E820 type 1), in whole pages;
 *   dom0      the pages dom0 owns (XENMEM_current_reservation) after it
 *             has asked for every page the hypervisor will still give it
 *             (XENMEM_increase_reservation, 512 at a time, until none
 *             comes);
 *   kept      ram - dom0: what the hypervisor did not hand out: its image,
 *             heap, frame table and M2P, per-CPU data, the memory it
 *             reserves (the first MiB included), whatever it did not
 *             free after boot.
 *
 * Measured first thing after boot, before the other metrics allocate
 * anything in the hypervisor; the pages are given back
 * (XENMEM_decrease_reservation) at once.  The line:
 *
 *   BENCH-MEM ram_kib=<n> dom0_kib=<n> kept_kib=<n> boot_dom0_kib=<n>
 *
 * or "BENCH-MEM unsupported (<reason>)".
 */
#include "bench.h"

#define BALLOON_MAX     (1UL << 17)     /* 512 MiB of pages */
#define BATCH           512UL
#define MAP_ENTRIES     128

static xen_pfn_t balloon[BALLOON_MAX];

static long reservation(unsigned int op, xen_pfn_t *list, unsigned long nr)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr, .extent_order = 0, .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(op, &r);
}

static long current_pages(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* Usable RAM in the host's map, in whole pages; <0: -errno. */
static long ram_pages(void)
{
    static struct xen_e820_entry map[MAP_ENTRIES];
    struct xen_memory_map mm = { .nr_entries = MAP_ENTRIES };
    unsigned long pages = 0;
    unsigned int i;
    long rc;

    set_xen_guest_handle(mm.buffer, map);
    if ( (rc = HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm)) )
        return rc;
    for ( i = 0; i < mm.nr_entries && i < MAP_ENTRIES; i++ )
    {
        uint64_t start = (map[i].addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
        uint64_t end = (map[i].addr + map[i].size) >> PAGE_SHIFT;

        if ( map[i].type == 1 && end > start )
            pages += end - start;
    }
    return pages;
}

void bench_memory(void)
{
    unsigned long n = 0, given = 0, kib = PAGE_SIZE / 1024;
    long ram, boot, full, rc;
    uint64_t t0, t1;

    if ( (ram = ram_pages()) < 0 )
    {
        printf("BENCH-MEM unsupported (XENMEM_machine_memory_map: %s)\n",
               bench_errname(ram));
        return;
    }
    if ( (boot = current_pages()) < 0 )
    {
        printf("BENCH-MEM unsupported (XENMEM_current_reservation: %s)\n",
               bench_errname(boot));
        return;
    }

    t0 = bench_tsc();
    while ( n < BALLOON_MAX )
    {
        rc = reservation(XENMEM_increase_reservation, &balloon[n],
                         BALLOON_MAX - n < BATCH ? BALLOON_MAX - n : BATCH);
        if ( rc <= 0 )
            break;
        n += rc;
    }
    t1 = bench_tsc();
    full = current_pages();
    while ( given < n )
    {
        rc = reservation(XENMEM_decrease_reservation, &balloon[given],
                         n - given < BATCH ? n - given : BATCH);
        if ( rc <= 0 )
            break;
        given += rc;
    }
    printf("BENCH-INFO memory: %lu pages taken in %lu cycles, %lu given "
           "back; dom0 owns %ld pages\n", n, t1 - t0, given,
           current_pages());

    if ( given != n )
        test_fail("memory", "gave back %lu of the %lu pages taken", given,
                  n);
    if ( full < 0 )
        printf("BENCH-MEM unsupported (XENMEM_current_reservation: %s)\n",
               bench_errname(full));
    else if ( n == BALLOON_MAX )
        printf("BENCH-MEM unsupported (more than %lu pages to take)\n",
               BALLOON_MAX);
    else if ( full > ram )
        printf("BENCH-MEM unsupported (dom0 owns %ld pages, more than the "
               "%ld of RAM)\n", full, ram);
    else
        printf("BENCH-MEM ram_kib=%lu dom0_kib=%lu kept_kib=%lu "
               "boot_dom0_kib=%lu\n", ram * kib, full * kib,
               (ram - full) * kib, boot * kib);
}
