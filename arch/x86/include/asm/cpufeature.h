/* CPU feature detection and per-CPU feature enabling (arch/x86/cpu/common.c). */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <keel/types.h>

struct cpu_features {
    char vendor[13];
    char brand[49];
    uint32_t family, model, stepping;
    uint32_t max_leaf, max_ext_leaf;
    bool nx, smep, smap, xsave, fsgsbase, pdpe1gb, x2apic, tsc_deadline;
    bool invariant_tsc, pge, fxsr;
    uint64_t xcr0;                  /* what we enabled in XCR0 */
    uint32_t xsave_size;
};

extern struct cpu_features boot_cpu;

void cpu_detect(void);              /* boot CPU, once */
void cpu_init_features(void);       /* every CPU: CR0/CR4/XCR0 */
void cpu_print_features(void);

/* Loop forever with interrupts on, running softirqs (arch/x86/setup.c). */
void __noreturn idle_loop(void);

#endif
