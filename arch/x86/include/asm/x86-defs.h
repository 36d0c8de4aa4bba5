/* Architectural constants: control registers, EFER, segment selectors. */
#ifndef ASM_X86_DEFS_H
#define ASM_X86_DEFS_H

#define X86_CR0_PE   (1 << 0)
#define X86_CR0_MP   (1 << 1)
#define X86_CR0_EM   (1 << 2)
#define X86_CR0_TS   (1 << 3)
#define X86_CR0_NE   (1 << 5)
#define X86_CR0_WP   (1 << 16)
#define X86_CR0_AM   (1 << 18)
#define X86_CR0_PG   (1 << 31)

#define X86_CR4_PAE        (1 << 5)
#define X86_CR4_PGE        (1 << 7)
#define X86_CR4_OSFXSR     (1 << 9)
#define X86_CR4_OSXMMEXCPT (1 << 10)
#define X86_CR4_FSGSBASE   (1 << 16)
#define X86_CR4_OSXSAVE    (1 << 18)
#define X86_CR4_SMEP       (1 << 20)
#define X86_CR4_SMAP       (1 << 21)

#define MSR_EFER           0xc0000080
#define EFER_SCE           (1 << 0)
#define EFER_LME           (1 << 8)
#define EFER_NXE           (1 << 11)
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_APIC_BASE      0x0000001b

/*
 * Hypervisor GDT layout (see arch/x86/cpu/gdt.c).  The PV ABI reserves GDT
 * entries from 7168 (selector 0xe000) upwards for the hypervisor; guest
 * descriptors live below.  The ring-3 flat selectors are the ABI's
 * FLAT_RING3_* values.
 */
#define FIRST_RESERVED_GDT_ENTRY 7168
#define GDT_ENTRIES        8192
#define __HYPERVISOR_CS    0xe008
#define __HYPERVISOR_DS    0xe010
#define __HYPERVISOR_CS32  0xe018
#define FLAT_RING3_CS32    0xe023
#define FLAT_RING3_DS      0xe02b
#define FLAT_RING3_CS64    0xe033
#define TSS_SELECTOR       0xe040
#define LDT_SELECTOR       0xe050

/* Selectors of the tiny GDT used only by the 32-bit boot path. */
#define BOOT_CS64          0x08
#define BOOT_DS            0x10

#define X86_EFLAGS_TF      (1 << 8)
#define X86_EFLAGS_IF      (1 << 9)
#define X86_EFLAGS_DF      (1 << 10)
#define X86_EFLAGS_IOPL    (3 << 12)
#define X86_EFLAGS_NT      (1 << 14)
#define X86_EFLAGS_RF      (1 << 16)
#define X86_EFLAGS_VM      (1 << 17)
#define X86_EFLAGS_AC      (1 << 18)

#endif /* ASM_X86_DEFS_H */
