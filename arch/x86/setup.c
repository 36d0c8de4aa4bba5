/*
 * The boot CPU's path from head.S to the idle loop.  Order matters:
 * exceptions are caught first, the command line is parsed before the
 * console is configured, the memory map is sanitised before anything is
 * allocated, and the final page tables replace the boot ones before the
 * frame table and heap exist.  Later issues hook dom0 construction in at
 * the end.
 */
#include <keel/boot_alloc.h>
#include <keel/bootinfo.h>
#include <keel/console.h>
#include <keel/dom0_params.h>
#include <keel/lib.h>
#include <keel/memmap.h>
#include <keel/misc_params.h>
#include <keel/mm.h>
#include <keel/param.h>
#include <keel/pci.h>
#include <keel/sched.h>
#include <keel/sched-if.h>
#include <keel/shutdown.h>
#include <keel/softirq.h>
#include <keel/timer.h>
#include <keel/xmalloc.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/ioapic.h>
#include <asm/mm.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/traps.h>
#include <keel/domain.h>
#include <asm/page.h>
#include <asm/mm.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <xsm/xsm.h>

#define FOUR_GIB (4ULL << 30)

extern char boot_stack[];
extern const char __image_start[], __image_end[];

static struct boot_info boot_info;
static struct memmap_entry e820_raw[BOOT_MAX_MMAP];
static struct memmap_entry e820[MEMMAP_MAX_ENTRIES];
static unsigned int nr_e820;

/* The sanitised host map (XENMEM_machine_memory_map); constant after boot. */
const struct memmap_entry *arch_host_memory_map(unsigned int *nr)
{
    *nr = nr_e820;
    return e820;
}
static bool boot_identity_map = true;    /* the boot page tables are live */
static paddr_t directmap_end;            /* what the direct map covers */

const void *mbinfo_map(paddr_t pa, size_t len)
{
    if ( pa + len < pa || pa + len > FOUR_GIB )
        return NULL;
    return boot_identity_map ? (const void *)(unsigned long)pa
                             : maddr_to_virt(pa);
}

void arch_timer_program(s_time_t deadline)
{
    s_time_t now = NOW();

    apic_timer_arm(deadline > now ? (uint64_t)(deadline - now) : 1);
}

/* Sanitise the loader's map; fall back on mem_lower/mem_upper. */
static void __init memory_map_setup(void)
{
    unsigned int i, n = boot_info.nr_mmap;
    int rc;

    for ( i = 0; i < n; i++ )
    {
        e820_raw[i].addr = boot_info.mmap[i].addr;
        e820_raw[i].len = boot_info.mmap[i].len;
        e820_raw[i].type = boot_info.mmap[i].type;
    }
    if ( !n && boot_info.mem_upper_kb )
    {
        printk(KLOG_WARNING "Boot loader gave no memory map: using "
               "mem_lower/mem_upper\n");
        e820_raw[0] = (struct memmap_entry){ 0, boot_info.mem_lower_kb << 10,
                                             E820_RAM };
        e820_raw[1] = (struct memmap_entry){ 1 << 20,
                                             boot_info.mem_upper_kb << 10,
                                             E820_RAM };
        n = 2;
    }
    rc = memmap_sanitise(e820_raw, n, e820, ARRAY_SIZE(e820), &nr_e820);
    if ( rc )
        printk(KLOG_WARNING "Memory map has more than %u entries: the rest "
               "is ignored\n", (unsigned int)ARRAY_SIZE(e820));
    if ( !memmap_ram_bytes(e820, nr_e820) )
        panic("No usable RAM in the boot loader's memory map\n");
    memmap_print(e820, nr_e820);
}

/* Everything the allocators must not hand out: image, modules, info. */
static void __init memory_setup(void)
{
    struct memmap_range prot[BOOT_MAX_MODULES + 2];
    static struct memmap_range free_ranges[MEMMAP_MAX_ENTRIES];
    unsigned int nr_prot = 0, nr_free, i;
    unsigned long max_pfn, ft_pages;
    paddr_t dm_end, mapped;
    mfn_t ft;

    prot[nr_prot++] = (struct memmap_range){
        virt_to_maddr(__image_start), virt_to_maddr(__image_end) };
    prot[nr_prot++] = (struct memmap_range){
        boot_info.info_start, boot_info.info_end };
    for ( i = 0; i < boot_info.nr_modules; i++ )
        prot[nr_prot++] = (struct memmap_range){
            boot_info.modules[i].start, boot_info.modules[i].end };
    if ( memmap_free_ranges(e820, nr_e820, prot, nr_prot, free_ranges,
                            ARRAY_SIZE(free_ranges), &nr_free) )
        printk(KLOG_WARNING "Too many free memory ranges: some RAM unused\n");
    boot_alloc_init(free_ranges, nr_free);

    /* Direct map: all RAM, and at least the low 4 GiB (MMIO: APIC, HPET). */
    max_pfn = memmap_max_ram_pfn(e820, nr_e820);
    dm_end = MAX((paddr_t)max_pfn << PAGE_SHIFT, FOUR_GIB);
    mapped = paging_init(dm_end, boot_cpu.nx, boot_cpu.pdpe1gb);
    directmap_end = mapped;
    boot_identity_map = false;
    if ( mapped < ((paddr_t)max_pfn << PAGE_SHIFT) )
    {
        max_pfn = mapped >> PAGE_SHIFT;
        boot_alloc_truncate(_mfn(max_pfn));     /* forget unmapped RAM */
    }
    printk("Memory: direct map of %lu MiB at %#lx; image RX/R/RW+NX\n",
           (unsigned long)(mapped >> 20), (unsigned long)DIRECTMAP_VIRT_START);

    /* One struct page_info per frame up to the highest RAM frame. */
    ft_pages = ROUNDUP(max_pfn * sizeof(struct page_info), PAGE_SIZE) >>
               PAGE_SHIFT;
    ft = boot_alloc_pages_below(ft_pages, 1, _mfn(mapped >> PAGE_SHIFT));
    frame_table_setup(mfn_to_virt(ft), max_pfn);
    end_boot_allocator();
    printk("Memory: %lu MiB RAM, %lu MiB free for the heap, frame table "
           "%lu KiB\n",
           (unsigned long)(memmap_ram_bytes(e820, nr_e820) >> 20),
           total_free_pages() >> (20 - PAGE_SHIFT), ft_pages << 2);
}

static void __init report_consoles(void)
{
    printk("Console: %s\n", console_describe());
}

/*
 * Without a dom0 kernel there is nothing to run: say exactly what is
 * missing and how to provide it, then halt or reboot per `noreboot`.
 */
static void __noreturn no_dom0(void)
{
    printk(KLOG_ERR "No dom0 kernel: Keel found no boot module.\n");
    printk(KLOG_ERR "The dom0 kernel must be the first Multiboot module:\n");
    printk(KLOG_ERR "  GRUB 2:  multiboot2 /boot/keel.gz ...  then  "
           "module2 /boot/vmlinuz ...\n");
    printk(KLOG_ERR "  NetBSD:  load /netbsd-XEN3_DOM0.gz console=pc;"
           "multiboot /keel.gz dom0_mem=256M\n");
    printk(KLOG_ERR "  QEMU:    -kernel keel -initrd \"dom0-kernel args\"\n");
    machine_panic_stop();
}

void __noreturn idle_loop(void)
{
    unsigned int cpu = smp_processor_id();

    for ( ; ; )
    {
        do_softirq();
        local_irq_disable();
        if ( softirq_pending(cpu) )
        {
            local_irq_enable();
            continue;
        }
        if ( sched_need_resched() )
        {
            struct vcpu *next = sched_pick_next(NULL);

            local_irq_enable();
            if ( next )
                pv_start_vcpu(next);            /* does not return */
            continue;
        }
        if ( cpu == 0 && scrub_free_pages_batch() )
        {
            /* More to scrub: stay awake, but let softirqs in between. */
            local_irq_enable();
            continue;
        }
        safe_halt();            /* sti; hlt: no lost wake-up */
    }
}

void __start_keel(uint32_t magic, uint32_t info_pa);
void __init __start_keel(uint32_t magic, uint32_t info_pa)
{
    int mb_rc, acpi_rc;
    unsigned int max_cpus, i;

    /* The boot CPU's cpu_info sits at the top of its stack block. */
    memset(cpu_info_of_stack((unsigned long)boot_stack), 0, CPU_INFO_SIZE);
    pic_disable();
    idt_init();
    cpu_desc_init((unsigned long)boot_stack, boot_cpu_gdt());
    cpu_detect();

    mb_rc = mbinfo_parse(magic, info_pa, &boot_info);
    cmdline_init(boot_info.cmdline, boot_info.loader);
    console_init_preirq();
    printk("Keel %s (built with gcc %s)\n", KEEL_VERSION, __VERSION__);
    if ( mb_rc )
        panic("Keel was not started by a Multiboot loader (magic %#x): "
              "boot it with multiboot/multiboot2 or QEMU -kernel\n", magic);
    printk("Bootloader: %s (%s)\n", boot_info.loader_name,
           boot_info.multiboot2 ? "Multiboot 2" : "Multiboot 1");
    printk("Command line: %s\n", cmdline_hypervisor());
    cmdline_parse(cmdline_hypervisor());
    console_init_postparse();
    report_consoles();
    if ( boot_info.dropped )
        printk(KLOG_WARNING "Boot loader information: %u entries beyond "
               "Keel's limits were ignored\n", boot_info.dropped);

    cpu_print_features();
    cpu_init_features();
    pv_syscall_init_cpu();
    memory_map_setup();
    memory_setup();
    m2p_init();
    console_init_ring();

    acpi_set_map_limit(MIN(directmap_end, (paddr_t)DIRECTMAP_VIRT_END -
                                          DIRECTMAP_VIRT_START));
    acpi_rc = acpi_boot_init(boot_info.rsdp_copy, boot_info.rsdp_len);
    apic_init_bsp(acpi_rc ? 0 : acpi_info.lapic_addr);
    time_calibrate(acpi_rc || !acpi_info.hpet_present ? 0 : acpi_info.hpet_addr);
    apic_timer_calibrate();
    wallclock_init();
    ioapic_init();
    smp_ipi_init();
    timer_init();
    console_init_postirq();
    apic_timer_setup_cpu();
    timer_init_cpu();
    local_irq_enable();

    max_cpus = opt_maxcpus ? opt_maxcpus : NR_CPUS;
    if ( !acpi_rc && acpi_info.madt_present )
    {
        static uint32_t apic_ids[ACPI_MAX_CPUS];

        for ( i = 0; i < acpi_info.nr_cpus; i++ )
            apic_ids[i] = acpi_info.cpus[i].apic_id;
        smp_boot_cpus(apic_ids, acpi_info.nr_cpus, max_cpus);
    }
    else
        printk(KLOG_WARNING "SMP: no ACPI MADT: running on the boot CPU "
               "only\n");

    if ( paging_self_check() )
        panic("Keel's own page tables break W^X or the PML4 slot layout\n");
    pci_enumerate();

    printk("Boot modules: %u\n", boot_info.nr_modules);
    for ( i = 0; i < boot_info.nr_modules; i++ )
        printk("  module %u: %#lx-%#lx \"%s\"\n", i,
               (unsigned long)boot_info.modules[i].start,
               (unsigned long)boot_info.modules[i].end,
               boot_info.modules[i].cmdline);
    if ( !boot_info.nr_modules )
        no_dom0();

    printk("Keel is up; debug keys on the serial line ('h' for help).\n");
    xsm_init();
    sched_init();
    if ( dom0_construct(&boot_info) )
    {
        printk(KLOG_ERR "dom0: not started (see above).  Fix the dom0 "
               "kernel module, or boot another one.\n");
        machine_panic_stop();
    }
    console_endboot(true);
    /* Idle below the guest frame; the scheduler starts dom0 from there. */
    reset_stack_and_call(idle_loop, (unsigned long)guest_cpu_user_regs());
}
