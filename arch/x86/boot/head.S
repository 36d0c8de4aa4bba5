/*
 * Keel's first instructions.  Both Multiboot 1 and Multiboot 2 loaders
 * enter at start32 in 32-bit protected mode with paging off:
 *   eax = loader magic, ebx = physical address of the loader's info.
 *
 * The image is linked at KEEL_VIRT_START + physical address, so until
 * paging is on every symbol is used through sym_phys().  We zero .bss,
 * check for a 64-bit CPU, turn on long mode with the static boot page
 * tables (identity map of the low 4 GiB and the image mapping in PML4 slot
 * 261), and jump to the upper half, where C takes over in __start_keel().
 */
#include <asm/page.h>
#include <asm/multiboot.h>
#include <asm/x86-defs.h>
#include <asm/regs.h>

#define sym_phys(s) ((s) - KEEL_VIRT_START)

        .section .text.multiboot, "ax", @progbits
        .code32

        /* Multiboot 1 header: page-aligned modules, memory info. */
        .balign 4
mb1_header:
        .long MB1_HEADER_MAGIC
        .long MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO
        .long -(MB1_HEADER_MAGIC + (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMINFO))

        /* Multiboot 2 header. */
        .balign 8
mb2_header:
        .long MB2_HEADER_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* Ask for the memory map and the ACPI RSDP copies (optional). */
        .balign 8
        .short MB2_HDR_TAG_INFO_REQ, 1      /* flags: optional */
        .long  8 + 4 * 4
        .long  MB2_TAG_MMAP, MB2_TAG_CMDLINE, MB2_TAG_MODULE, MB2_TAG_ACPI_NEW
        /* Modules page-aligned. */
        .balign 8
        .short MB2_HDR_TAG_MODALIGN, 0
        .long  8
        .balign 8
        .short MB2_HDR_TAG_END, 0
        .long  8
mb2_header_end:

        .globl start32
start32:
        cli
        cld
        mov     %eax, %esi                  /* keep magic and info */
        mov     %ebx, %edi
        mov     $sym_phys(boot_stack_top), %esp   /* below the cpu_info */

        /* Zero .bss (loaders should, but the page tables must be sane). */
        mov     $sym_phys(__bss_start), %ebx
1:      cmp     $sym_phys(__bss_end), %ebx
        jae     2f
        movl    $0, (%ebx)
        add     $4, %ebx
        jmp     1b
2:
        mov     %esi, sym_phys(boot_mb_magic)
        mov     %edi, sym_phys(boot_mb_info)

        /* Long mode available?  CPUID 0x80000001 EDX bit 29. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp                  /* bit 20 = NX */

        /* PAE on, boot page tables in. */
        mov     %cr4, %eax
        or      $X86_CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $sym_phys(boot_l4), %eax
        mov     %eax, %cr3

        /* EFER: long mode, NX if the CPU has it. */
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        bt      $20, %ebp
        jnc     3f
        or      $EFER_NXE, %eax
3:      wrmsr

        mov     $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_NE | X86_CR0_MP), %eax
        mov     %eax, %cr0

        lgdt    sym_phys(boot_gdtr)
        ljmp    $BOOT_CS64, $sym_phys(start64_low)

no_long_mode:
        /* Say why on both the VGA text screen and COM1, then stop. */
        mov     $sym_phys(no_lm_msg), %esi
        mov     $0xb8000, %edi
4:      lodsb
        test    %al, %al
        jz      6f
        mov     $0x07, %ah
        mov     %ax, (%edi)
        add     $2, %edi
        mov     $0x3f8, %dx
        out     %al, %dx
        jmp     4b
6:      hlt
        jmp     6b

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

        .text
start64_high:
        mov     $BOOT_DS, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp
        mov     boot_mb_magic(%rip), %edi
        mov     boot_mb_info(%rip), %esi
        call    __start_keel
7:      hlt
        jmp     7b

        .section .rodata, "a", @progbits
no_lm_msg:
        .asciz  "Keel: this CPU has no 64-bit long mode; Keel needs an x86-64 CPU."

        .section .data, "aw", @progbits
        .balign 16
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff          /* BOOT_CS64: 64-bit ring 0 code */
        .quad   0x00cf92000000ffff          /* BOOT_DS: flat data */
boot_gdt_end:
        .globl boot_gdtr
boot_gdtr:
        .short  boot_gdt_end - boot_gdt - 1
        .quad   sym_phys(boot_gdt)

        .globl boot_mb_magic, boot_mb_info
boot_mb_magic:  .long 0
boot_mb_info:   .long 0

/*
 * Boot page tables.  L2 pages map the low 4 GiB with 2 MiB pages; the
 * identity map (PML4 slot 0) uses all four, the image mapping in slot 261
 * reuses the first one (KEEL_VIRT_START maps physical 0).  C replaces
 * these with the final tables early in boot.
 */
#define PTE_BOOT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
        .section .data.page_aligned, "aw", @progbits
        .balign 4096
        .globl boot_l4
boot_l4:
        .quad   sym_phys(boot_l3_ident) + PTE_BOOT
        .fill   ((KEEL_VIRT_START >> 39) & 511) - 1, 8, 0
        .quad   sym_phys(boot_l3_high) + PTE_BOOT
        .fill   511 - ((KEEL_VIRT_START >> 39) & 511), 8, 0
boot_l3_ident:
        .quad   sym_phys(boot_l2) + 0 * 4096 + PTE_BOOT
        .quad   sym_phys(boot_l2) + 1 * 4096 + PTE_BOOT
        .quad   sym_phys(boot_l2) + 2 * 4096 + PTE_BOOT
        .quad   sym_phys(boot_l2) + 3 * 4096 + PTE_BOOT
        .fill   508, 8, 0
boot_l3_high:
        .fill   (KEEL_VIRT_START >> 30) & 511, 8, 0
        .quad   sym_phys(boot_l2) + PTE_BOOT
        .fill   511 - ((KEEL_VIRT_START >> 30) & 511), 8, 0
boot_l2:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) + PTE_BOOT + _PAGE_PSE
        .set    i, i + 1
        .endr

        /* The boot CPU's stack block (asm/percpu.h); cpu_info at the top. */
        .section .bss.stack, "aw", @nobits
        .balign STACK_SIZE
        .globl boot_stack, boot_stack_top
boot_stack:
        .skip   STACK_SIZE - CPU_INFO_SIZE
boot_stack_top:
        .skip   CPU_INFO_SIZE
