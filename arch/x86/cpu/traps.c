/*
 * Exception dispatch.  With no guests yet, any exception taken by the
 * hypervisor is a hypervisor bug: dump the registers and a symbolised
 * stack trace, then panic (reboot after 5 s unless `noreboot`).
 * Vectors 32 and above are interrupts and go to do_irq().
 */
#include <keel/lib.h>
#include <keel/symbols.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/pv/traps.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define TRACE_MAX_FRAMES 32

static const char *const exc_names[X86_NR_EXC] = {
    [X86_EXC_DE] = "divide error",        [X86_EXC_DB] = "debug",
    [X86_EXC_NMI] = "NMI",                [X86_EXC_BP] = "breakpoint",
    [X86_EXC_OF] = "overflow",            [X86_EXC_BR] = "bounds",
    [X86_EXC_UD] = "invalid opcode",      [X86_EXC_NM] = "device not available",
    [X86_EXC_DF] = "double fault",        [X86_EXC_TS] = "invalid TSS",
    [X86_EXC_NP] = "segment not present", [X86_EXC_SS] = "stack error",
    [X86_EXC_GP] = "general protection fault",
    [X86_EXC_PF] = "page fault",          [X86_EXC_MF] = "coprocessor error",
    [X86_EXC_AC] = "alignment check",     [X86_EXC_MC] = "machine check",
    [X86_EXC_XM] = "SIMD error",          [X86_EXC_VE] = "virtualisation exception",
    [X86_EXC_CP] = "control-flow protection",
};

/*
 * Walk the frame-pointer chain from rbp.  Bounded in depth and confined to
 * the stack block that rbp starts in, so a corrupt chain cannot loop or
 * fault.
 */
void show_stack_trace(unsigned long rip, unsigned long rbp)
{
    unsigned long block = rbp & ~(unsigned long)(STACK_SIZE - 1);
    unsigned int n;

    printk("Keel stack trace from rbp=%016lx:\n", rbp);
    print_symbol("   ", rip);
    for ( n = 0; n < TRACE_MAX_FRAMES; n++ )
    {
        const unsigned long *frame = (const unsigned long *)rbp;

        if ( !rbp || (rbp & 7) || rbp < block ||
             rbp + 16 > block + STACK_SIZE )
            break;
        if ( frame[1] )
            print_symbol("   ", frame[1]);
        if ( frame[0] <= rbp )              /* chain must go up the stack */
            break;
        rbp = frame[0];
    }
}

void show_registers(const struct cpu_user_regs *r)
{
    printk("----[ Keel-%s  x86_64  debug=%c ]----\n", KEEL_VERSION,
#ifdef CONFIG_DEBUG
           'y'
#else
           'n'
#endif
        );
    printk("CPU:    %u\n", smp_processor_id());
    printk("RIP:    %04lx:", (unsigned long)r->cs);
    print_symbol("", r->rip);
    printk("RFLAGS: %016lx   CONTEXT: hypervisor\n", (unsigned long)r->rflags);
    printk("rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    printk("r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    printk("r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    printk("r15: %016lx   cr0: %016lx   cr4: %016lx\n", r->r15, read_cr0(),
           read_cr4());
    printk("cr3: %016lx   cr2: %016lx\n", read_cr3(), read_cr2());
    printk("ss: %04lx   cs: %04lx   error code: %04x\n", (unsigned long)r->ss,
           (unsigned long)r->cs, r->error_code);
}

static void __noreturn fatal_trap(const struct cpu_user_regs *r)
{
    unsigned int vec = r->entry_vector;

    console_force_unlock();
    show_registers(r);
    show_stack_trace(r->rip, r->rbp);
    if ( vec == X86_EXC_PF )
        panic("FATAL TRAP: vector = %u (%s)\n[error_code=%04x] faulting "
              "linear address: %016lx\n", vec, exc_names[vec], r->error_code,
              read_cr2());
    panic("FATAL TRAP: vector = %u (%s)\n[error_code=%04x]\n", vec,
          vec < X86_NR_EXC && exc_names[vec] ? exc_names[vec] : "reserved",
          r->error_code);
}

/*
 * Every exception and interrupt comes here.  Interrupts go to do_irq();
 * exceptions taken while a guest ran go to the PV code; exceptions in the
 * hypervisor itself are fatal unless the faulting instruction has an
 * exception-table fixup (a guest memory access, for instance).
 */
void do_trap(struct cpu_user_regs *regs);
void do_trap(struct cpu_user_regs *regs)
{
    unsigned long fixup;

    if ( regs->entry_vector == 0x80 && guest_mode(regs) )
    {
        pv_do_int80(regs);
        return;
    }
    if ( regs->entry_vector >= X86_NR_EXC )
    {
        if ( guest_mode(regs) )
            pv_guest_entered();
        do_irq(regs);
        return;
    }
    if ( guest_mode(regs) )
    {
        pv_guest_entered();
        pv_do_guest_trap(regs);
        return;
    }
    switch ( regs->entry_vector )
    {
    case X86_EXC_NMI:
        printk(KLOG_WARNING "NMI received on CPU %u\n", smp_processor_id());
        return;
    case X86_EXC_DB:
        /*
         * A guest's data breakpoint hit by a hypervisor access to guest
         * memory, or MOV SS + SYSCALL (XSA-260): not the hypervisor's
         * business.  Clear DR6 and carry on (we run on the #DB IST stack).
         */
        __asm__ __volatile__ ( "mov %0, %%db6" :: "r" (0xffff0ff0UL) );
        return;
    }
    if ( (fixup = search_exception_table(regs->rip)) != 0 )
    {
        get_cpu_info()->fixup_vector = regs->entry_vector;
        get_cpu_info()->fixup_error_code = regs->error_code;
        regs->rip = fixup;
        return;
    }
    fatal_trap(regs);
}
