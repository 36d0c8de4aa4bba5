/*
 * Descriptor tables: each CPU's GDT (64 KiB, hypervisor descriptors in the
 * ABI-reserved entries from 7168 up), its TSS with the IST stacks, and the
 * IDT shared by all CPUs.  NMI, #DF, #MC and #DB run on IST stacks so that
 * they never use a stack the faulting context may have broken.
 */
#include <keel/lib.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>

#define GDT_BYTES      (GDT_ENTRIES * 8)
#define IDT_ENTRIES    256
#define GATE_INTR      0xe

/* Flat descriptors: 64-bit code, data, 32-bit code, each DPL 0 or 3. */
#define DESC_CODE64_DPL0 0x00af9a000000ffffULL
#define DESC_DATA_DPL0   0x00cf92000000ffffULL
#define DESC_CODE32_DPL0 0x00cf9a000000ffffULL
#define DESC_CODE32_DPL3 0x00cffa000000ffffULL
#define DESC_DATA_DPL3   0x00cff2000000ffffULL
#define DESC_CODE64_DPL3 0x00affa000000ffffULL
#define DESC_TSS_AVAIL   0x89ULL

struct idt_entry {
    uint16_t offset0;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type_attr;
    uint16_t offset1;
    uint32_t offset2;
    uint32_t reserved;
} __packed;
BUILD_BUG_ON(sizeof(struct idt_entry) != 16);

extern const char idt_stubs[];          /* entry.S: 16 bytes per vector */

static struct idt_entry idt[IDT_ENTRIES] __aligned(4096);
static uint8_t boot_gdt_table[GDT_BYTES] __aligned(4096);

static void set_gate(unsigned int vec, unsigned int ist, unsigned int dpl)
{
    unsigned long addr = (unsigned long)idt_stubs + vec * 16;

    idt[vec] = (struct idt_entry){
        .offset0 = addr & 0xffff,
        .selector = __HYPERVISOR_CS,
        .ist = ist,
        .type_attr = 0x80 | (dpl << 5) | GATE_INTR,
        .offset1 = (addr >> 16) & 0xffff,
        .offset2 = addr >> 32,
    };
}

void __init idt_init(void)
{
    unsigned int v;

    for ( v = 0; v < IDT_ENTRIES; v++ )
        set_gate(v, 0, 0);
    /* int3 and into may be used by guest code (ring 3). */
    set_gate(X86_EXC_BP, 0, 3);
    set_gate(X86_EXC_OF, 0, 3);
    set_gate(0x80, 0, 3);                   /* guest INT 0x80 */
    set_gate(X86_EXC_NMI, IST_NMI, 0);
    set_gate(X86_EXC_DF, IST_DF, 0);
    set_gate(X86_EXC_MC, IST_MCE, 0);
    set_gate(X86_EXC_DB, IST_DB, 0);
}

static void write_gdt_entries(uint64_t *gdt, struct tss64 *tss)
{
    uint64_t base = (unsigned long)tss, limit = sizeof(*tss) - 1;
    uint64_t *hv = gdt + FIRST_RESERVED_GDT_ENTRY;

    hv[__HYPERVISOR_CS  / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_CODE64_DPL0;
    hv[__HYPERVISOR_DS  / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_DATA_DPL0;
    hv[__HYPERVISOR_CS32 / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_CODE32_DPL0;
    hv[FLAT_RING3_CS32  / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_CODE32_DPL3;
    hv[FLAT_RING3_DS    / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_DATA_DPL3;
    hv[FLAT_RING3_CS64  / 8 - FIRST_RESERVED_GDT_ENTRY] = DESC_CODE64_DPL3;
    /* 16-byte TSS descriptor. */
    hv[TSS_SELECTOR / 8 - FIRST_RESERVED_GDT_ENTRY] =
        (limit & 0xffff) | ((base & 0xffffff) << 16) | (DESC_TSS_AVAIL << 40) |
        ((limit >> 16) << 48) | (((base >> 24) & 0xff) << 56);
    hv[TSS_SELECTOR / 8 - FIRST_RESERVED_GDT_ENTRY + 1] = base >> 32;
}

/*
 * Load this CPU's GDT, TSS and the IDT.  `block` is the CPU's stack block
 * and `gdt` its 64 KiB GDT (zeroed by the caller).
 */
void cpu_desc_init(unsigned long block, void *gdt)
{
    struct cpu_info *ci = cpu_info_of_stack(block);
    struct desc_ptr gdtr = { GDT_BYTES - 1, (unsigned long)gdt };
    struct desc_ptr idtr = { sizeof(idt) - 1, (unsigned long)idt };

    memset(&ci->tss, 0, sizeof(ci->tss));
    ci->tss.rsp[0] = (unsigned long)ci;
    /* IST stacks grow down from the end of their page. */
    ci->tss.ist[IST_DF - 1]  = block + 1 * PAGE_SIZE;
    ci->tss.ist[IST_NMI - 1] = block + 2 * PAGE_SIZE;
    ci->tss.ist[IST_MCE - 1] = block + 3 * PAGE_SIZE;
    ci->tss.ist[IST_DB - 1]  = block + 4 * PAGE_SIZE;
    ci->tss.iomap_base = sizeof(ci->tss);
    ci->gdt = gdt;

    write_gdt_entries(gdt, &ci->tss);
    lgdt(&gdtr);
    lidt(&idtr);
    /* Reload the segment registers with the new selectors. */
    __asm__ __volatile__ (
        "pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:\n\t"
        "mov %1, %%ss; mov %1, %%ds; mov %1, %%es\n\t"
        "xor %%eax, %%eax; mov %%eax, %%fs; mov %%eax, %%gs"
        :: "i" (__HYPERVISOR_CS), "r" (__HYPERVISOR_DS) : "rax", "memory" );
    ltr(TSS_SELECTOR);
    /* A null LDT: guest LDT selectors fault until set_ldt gives one. */
    __asm__ __volatile__ ( "lldt %w0" :: "r" (0) );
}

void *boot_cpu_gdt(void)
{
    return boot_gdt_table;
}
