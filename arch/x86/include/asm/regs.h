/*
 * Register frame saved by every entry stub in arch/x86/entry/entry.S.
 * The layout follows the PV ABI's struct cpu_user_regs (public
 * arch-x86/xen-x86_64.h) so that later issues can hand it to guests
 * without reshuffling; ENTRY_FRAME_* below are used by the assembly.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#define STACK_SIZE      32768       /* per-CPU block: 4 IST pages + stack */
#define STACK_ORDER     3
#define IST_NMI         1
#define IST_DF          2
#define IST_MCE         3
#define IST_DB          4
#define CPU_INFO_SIZE   256         /* reserved at the top of each stack */

#ifndef __ASSEMBLY__
#include <keel/types.h>

struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    /* pushed by the CPU */
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

BUILD_BUG_ON(__builtin_offsetof(struct cpu_user_regs, error_code) != 15 * 8);
BUILD_BUG_ON(__builtin_offsetof(struct cpu_user_regs, rip) != 16 * 8);
BUILD_BUG_ON(sizeof(struct cpu_user_regs) != 21 * 8);
#endif

#endif /* ASM_REGS_H */
