/*
 * Structure offsets for the assembly entry code.  Compiled to assembly
 * only; the build turns each "->NAME value" marker into a #define in
 * $(BUILD)/include/asm-offsets.h.
 */
#include <keel/types.h>
#include <asm/percpu.h>
#include <asm/regs.h>

#define DEFINE(sym, val) \
    __asm__ __volatile__ ( "\n.ascii \"->" #sym " %0\"" :: "i" (val) )
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
    OFFSET(UREGS_r15, struct cpu_user_regs, r15);
    OFFSET(UREGS_rdi, struct cpu_user_regs, rdi);
    OFFSET(UREGS_error_code, struct cpu_user_regs, error_code);
    OFFSET(UREGS_entry_vector, struct cpu_user_regs, entry_vector);
    OFFSET(UREGS_rip, struct cpu_user_regs, rip);
    OFFSET(UREGS_cs, struct cpu_user_regs, cs);
    OFFSET(UREGS_rflags, struct cpu_user_regs, rflags);
    OFFSET(UREGS_rsp, struct cpu_user_regs, rsp);
    OFFSET(UREGS_ss, struct cpu_user_regs, ss);
    DEFINE(UREGS_size, sizeof(struct cpu_user_regs));
    OFFSET(CPUINFO_syscall_scratch, struct cpu_info, syscall_scratch);
    OFFSET(CPUINFO_stack_top, struct cpu_info, stack_top);
}
