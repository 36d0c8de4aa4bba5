/*
 * Guest user mode for the syscall, INT and sysenter tests.
 *
 * A 64-bit PV guest has two L4s: the kernel's and the user's
 * (MMUEXT_NEW_USER_BASEPTR); Xen switches between them, and between the
 * kernel and user GS bases, on every kernel/user transition.  Our user L4
 * is a copy of the kernel L4's guest slots, so user code sees the same
 * mappings (the hypervisor gives every guest mapping the user bit anyway)
 * and can run functions of the test kernel directly.
 *
 * pv_run_user() saves the kernel context, sets the kernel stack that Xen
 * switches to on entries from user mode (stack_switch), and irets to
 * pv_user_trampoline at RPL 3.  The trampoline calls the function and
 * issues SYSCALL with its return value; the syscall callback (or any trap
 * taken in user mode) records the registers and resumes the kernel
 * context, so pv_run_user() returns.
 */
#include <pvguest/lib.h>

#define USER_STACK_PAGES 4

extern char pv_user_kstack_end[], pv_user_trampoline[];
void pv_user_enter(unsigned long *ctx, unsigned long rip, unsigned long rsp,
                   pv_user_fn_t fn, long arg);
void pv_user_resume(unsigned long *ctx) __noreturn;

unsigned long pv_user_kstack_top;
unsigned long pv_user_l4_mfn;
static unsigned long user_stack_top;
static unsigned long kernel_ctx[7];
static struct pv_user_exit *cur_exit;
static bool active;

void pv_user_init(void)
{
    uint64_t *kl4 = mfn_to_virt(pv_kernel_l4_mfn), *ul4;
    unsigned int i;
    long rc;

    ul4 = pv_alloc_page();
    if ( !kl4 || !ul4 )
        test_abort("user L4: no memory");
    for ( i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            ul4[i] = kl4[i];
    if ( (rc = pv_set_page_ro(ul4)) )
        test_abort("user L4: making it read-only: %ld", rc);
    pv_user_l4_mfn = virt_to_mfn(ul4);
    if ( (rc = pv_mmuext1(MMUEXT_NEW_USER_BASEPTR, pv_user_l4_mfn, 0)) )
        test_abort("MMUEXT_NEW_USER_BASEPTR: %ld", rc);

    for ( i = 0; i < USER_STACK_PAGES; i++ )
    {
        void *p = pv_alloc_page();

        if ( !p )
            test_abort("user stack: no memory");
        user_stack_top = (unsigned long)p + PAGE_SIZE;
    }
    pv_user_kstack_top = (unsigned long)pv_user_kstack_end;
    if ( (rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, pv_user_kstack_top)) )
        test_abort("stack_switch: %ld", rc);
}

bool pv_user_active(void)
{
    return active;
}

void pv_run_user(pv_user_fn_t fn, long arg, struct pv_user_exit *exit)
{
    memset(exit, 0, sizeof(*exit));
    cur_exit = exit;
    active = true;
    pv_user_enter(kernel_ctx, (unsigned long)pv_user_trampoline,
                  user_stack_top, fn, arg);
    active = false;
    cur_exit = NULL;
    vcpu_set_mask(1);
}

void pv_user_trap(struct pv_regs *regs, bool by_syscall)
{
    struct pv_user_exit *e = cur_exit;

    e->by_syscall = by_syscall;
    e->mask = vcpu_mask();
    e->vector = regs->vector;
    e->regs = *regs;
    e->frame_addr = (unsigned long)&regs->rcx + 8;
    if ( !by_syscall && regs->vector < 256 )
    {
        switch ( regs->vector )
        {
        case 8: case 10: case 11: case 12: case 13: case 14: case 17:
        case 21: case 29: case 30:
            e->frame_addr -= 8;
            break;
        }
    }
    pv_user_resume(kernel_ctx);
}
