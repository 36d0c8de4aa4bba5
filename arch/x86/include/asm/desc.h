/* Descriptor tables and exception vector numbers. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <keel/types.h>

#define X86_EXC_DE   0
#define X86_EXC_DB   1
#define X86_EXC_NMI  2
#define X86_EXC_BP   3
#define X86_EXC_OF   4
#define X86_EXC_BR   5
#define X86_EXC_UD   6
#define X86_EXC_NM   7
#define X86_EXC_DF   8
#define X86_EXC_TS   10
#define X86_EXC_NP   11
#define X86_EXC_SS   12
#define X86_EXC_GP   13
#define X86_EXC_PF   14
#define X86_EXC_MF   16
#define X86_EXC_AC   17
#define X86_EXC_MC   18
#define X86_EXC_XM   19
#define X86_EXC_VE   20
#define X86_EXC_CP   21
#define X86_NR_EXC   32

void idt_init(void);
void cpu_desc_init(unsigned long stack_block, void *gdt);
void *boot_cpu_gdt(void);

#endif /* ASM_DESC_H */
