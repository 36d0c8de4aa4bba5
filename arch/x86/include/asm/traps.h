#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/regs.h>

void show_registers(const struct cpu_user_regs *regs);
void show_stack_trace(unsigned long rip, unsigned long rbp);
/* Let a crashing CPU print even if another held the console lock. */
void console_force_unlock(void);

#endif
