/*
 * Secondary CPU bring-up.  For each APIC ID from the MADT (up to
 * `maxcpus`), the boot CPU allocates a stack block and a GDT, fills the
 * trampoline's parameters, sends INIT / STARTUP / STARTUP, and waits (with
 * a time limit) for the new CPU to report itself online.  CPUs are started
 * one at a time, so the single trampoline page is never shared.
 */
#include <keel/lib.h>
#include <keel/mm.h>
#include <keel/timer.h>
#include <keel/sched-if.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <keel/spinlock.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/pv/traps.h>

#define GDT_ORDER          4            /* 64 KiB */
#define AP_START_TIMEOUT_MS 2000

void *cpu_stack_block[NR_CPUS];         /* (c) once the CPU is up */
uint32_t cpu_apic_id[NR_CPUS];
unsigned int nr_cpus_online = 1;

extern const char trampoline_start[], trampoline_end[];
extern uint64_t tramp_cr3, tramp_efer, tramp_stack, tramp_entry;
extern char boot_stack[];

static volatile bool ap_alive;

static uint64_t *tramp_param(uint64_t *sym)
{
    return maddr_to_virt(TRAMPOLINE_PHYS +
                         ((const char *)sym - trampoline_start));
}

void start_secondary(void);
void start_secondary(void)
{
    struct cpu_info *ci = get_cpu_info();
    unsigned int cpu = ci->cpu;

    cpu_desc_init((unsigned long)cpu_stack_block[cpu], ci->gdt);
    cpu_init_features();
    pv_syscall_init_cpu();
    apic_init_ap();
    apic_timer_setup_cpu();
    timer_init_cpu();
    sched_init_cpu(cpu);
    printk("CPU%u: online (APIC ID %u)\n", cpu, apic_current_id());
    __atomic_store_n(&ap_alive, true, __ATOMIC_SEQ_CST);
    time_tsc_sync_ap();
    idle_loop();
}

static bool start_one(unsigned int cpu, uint32_t apic_id)
{
    void *block = alloc_xenheap_pages(STACK_ORDER);
    void *gdt = alloc_xenheap_pages(GDT_ORDER);
    struct cpu_info *ci;
    s_time_t deadline;

    if ( !block || !gdt )
    {
        printk(KLOG_ERR "CPU%u: no memory for its stack or GDT\n", cpu);
        if ( block )
            free_xenheap_pages(block, STACK_ORDER);
        if ( gdt )
            free_xenheap_pages(gdt, GDT_ORDER);
        return false;
    }
    memset(block, 0, PAGE_SIZE << STACK_ORDER);
    memset(gdt, 0, PAGE_SIZE << GDT_ORDER);
    ci = cpu_info_of_stack((unsigned long)block);
    ci->cpu = cpu;
    ci->apic_id = apic_id;
    ci->gdt = gdt;
    cpu_stack_block[cpu] = block;
    cpu_apic_id[cpu] = apic_id;

    /* Below the guest frame at the top (asm/pv/traps.h). */
    *tramp_param(&tramp_stack) = (unsigned long)ci -
                                 sizeof(struct cpu_user_regs);
    *tramp_param(&tramp_entry) = (unsigned long)start_secondary;
    ap_alive = false;

    apic_send_ipi(apic_id, APIC_DM_INIT, 0);
    udelay(10000);
    apic_send_ipi(apic_id, APIC_DM_STARTUP, TRAMPOLINE_PHYS >> 12);
    udelay(200);
    apic_send_ipi(apic_id, APIC_DM_STARTUP, TRAMPOLINE_PHYS >> 12);

    deadline = NOW() + AP_START_TIMEOUT_MS * 1000000LL;
    while ( !__atomic_load_n(&ap_alive, __ATOMIC_SEQ_CST) && NOW() < deadline )
        cpu_relax();
    if ( ap_alive )
    {
        time_tsc_sync_bsp();
        return true;
    }

    printk(KLOG_ERR "CPU%u (APIC ID %u) did not come online\n", cpu, apic_id);
    cpu_stack_block[cpu] = NULL;
    /* The CPU might still wake later: leak its memory rather than reuse. */
    return false;
}

void smp_boot_cpus(const uint32_t *apic_ids, unsigned int nr,
                   unsigned int max_cpus)
{
    uint32_t self = apic_current_id();
    unsigned int i, cpu = 1, skipped = 0;

    get_cpu_info()->apic_id = self;
    cpu_apic_id[0] = self;
    cpu_stack_block[0] = boot_stack;

    memcpy(maddr_to_virt(TRAMPOLINE_PHYS), trampoline_start,
           trampoline_end - trampoline_start);
    *tramp_param(&tramp_cr3) = idle_l4_maddr();
    *tramp_param(&tramp_efer) = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
    paging_map_low_identity(true);

    for ( i = 0; i < nr; i++ )
    {
        if ( apic_ids[i] == self )
            continue;
        if ( cpu >= max_cpus || cpu >= NR_CPUS )
        {
            skipped++;
            continue;
        }
        if ( start_one(cpu, apic_ids[i]) )
        {
            cpu++;
            __atomic_store_n(&nr_cpus_online, cpu, __ATOMIC_SEQ_CST);
        }
    }

    paging_map_low_identity(false);
    if ( skipped )
        printk("SMP: %u CPU(s) not started (maxcpus=%u)\n", skipped, max_cpus);
    printk("SMP: %u CPU(s) online; TSCs %s\n", nr_cpus_online,
           time_tsc_synced() ? "in step (guests get a stable pvclock)"
                             : "not in step: pvclock not marked stable");
}
