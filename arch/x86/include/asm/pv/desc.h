/* PV guest descriptor tables (arch/x86/pv/descriptor.c, desc-check.c). */
#ifndef ASM_PV_DESC_H
#define ASM_PV_DESC_H

#include <keel/types.h>

/*
 * Check one 8-byte descriptor a guest wants installed; fix it up in place
 * (DPL raised to 3).  False: refuse it.
 */
bool pv_check_descriptor(uint64_t *desc);

struct vcpu;
/* Install a GDT for v (not loaded until v runs); 0 or -errno. */
int pv_gdt_install(struct vcpu *v, const unsigned long *frames,
                   unsigned int entries);

/* LDTs (arch/x86/pv/ldt.c). */
void pv_load_ldt(struct vcpu *v);
void pv_ldt_release(struct vcpu *v);
void pv_ldt_changed(struct vcpu *v);
struct cpu_user_regs;
bool pv_ldt_fault(struct cpu_user_regs *regs);
void pv_ldt_frame_written(struct vcpu *v, unsigned long mfn);

/* Copy the current vCPU's GDT frames into this CPU's GDT. */
void pv_load_gdt(void);

#endif
