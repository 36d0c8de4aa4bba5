/*
 * Trap handling: the trap table (one stub per vector, in entry.S), the
 * callbacks (event, failsafe, syscall), the C dispatcher and the
 * exception fixup table.
 *
 * A test that expects an instruction to fault wraps it in PV_TRY(); the
 * instruction's address range goes to the .pv_fixup section.  When a
 * fault or trap lands inside such a range, the dispatcher records the
 * vector, error code, CR2 (from vcpu_info.arch.cr2) and the whole bounce
 * frame in pv_last_fault and resumes after the range.  Anything else is
 * unexpected: the registers are printed and the test ends with ERROR.
 * Faults from guest user mode end pv_run_user() instead (user.c).
 */
#include <pvguest/lib.h>
#include <pvguest/smp.h>

#define VEC_EVENT       256
#define VEC_FAILSAFE    257
#define VEC_SYSCALL     258
#define VEC_SYSCALL32   259
#define VEC_SYSENTER    260

struct fixup {
    unsigned long start, end;
};

extern const struct fixup __pv_fixup_start[], __pv_fixup_end[];
extern char pv_trap_stubs[];

struct trap_info pv_trap_table[257];
struct pv_fault pv_last_fault = { .vector = -1 };
unsigned int pv_vectors_seen[256];
unsigned long pv_nr_upcalls, pv_nr_failsafe;
unsigned long pv_failsafe_sels[4];
pv_trap_handler_t pv_failsafe_hook;
static pv_trap_handler_t handlers[256];

static bool has_error_code(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
           v == 29 || v == 30;
}

unsigned long pv_trap_stub_addr(unsigned int vector)
{
    return (unsigned long)pv_trap_stubs + vector * 32;
}

void pv_trap_entry(struct trap_info *ti, unsigned int vector,
                   unsigned int flags)
{
    ti->vector = vector;
    ti->flags = flags;
    ti->cs = FLAT_KERNEL_CS;
    ti->address = pv_trap_stub_addr(vector);
}

long pv_reload_trap_table(void)
{
    return HYPERVISOR_set_trap_table(pv_trap_table);
}

long pv_set_trap_flags(unsigned int vector, unsigned int flags)
{
    pv_trap_table[vector].flags = flags;
    return pv_reload_trap_table();
}

void pv_set_trap_handler(unsigned int vector, pv_trap_handler_t fn)
{
    handlers[vector] = fn;
}

static long register_callback(unsigned int type, unsigned int flags,
                              void *entry)
{
    struct callback_register cb = {
        .type = type, .flags = flags, .address = (unsigned long)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void pv_traps_init(void)
{
    unsigned int v;
    long rc;

    for ( v = 0; v < 256; v++ )
        /* int3 and into may be used from anywhere, as on hardware. */
        pv_trap_entry(&pv_trap_table[v], v, (v == 3 || v == 4) ? 3 : 0);
    memset(&pv_trap_table[256], 0, sizeof(pv_trap_table[256]));
    rc = pv_reload_trap_table();
    if ( rc )
        test_abort("set_trap_table: %ld", rc);

    if ( (rc = register_callback(CALLBACKTYPE_event, 0, pv_entry_event)) ||
         (rc = register_callback(CALLBACKTYPE_failsafe, 0,
                                 pv_entry_failsafe)) ||
         (rc = register_callback(CALLBACKTYPE_syscall, CALLBACKF_mask_events,
                                 pv_entry_syscall)) )
        test_abort("callback_op register: %ld", rc);
}

static void dump_regs(const struct pv_regs *r)
{
    printf("  rip %016lx cs %016lx rflags %016lx\n", r->rip, r->cs,
           r->rflags);
    printf("  rsp %016lx ss %016lx err %016lx\n", r->rsp, r->ss,
           r->error_code);
    printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax,
           r->rbx, r->rcx, r->rdx);
    printf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r->rsi,
           r->rdi, r->rbp, r->r8);
    printf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", r->r9,
           r->r10, r->r11, r->r12);
    printf("  r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", r->r13,
           r->r14, r->r15, pv_smp_vcpu_info(pv_smp_id())->arch.cr2);
}

static bool try_fixup(struct pv_regs *regs)
{
    const struct fixup *f;

    for ( f = __pv_fixup_start; f < __pv_fixup_end; f++ )
    {
        if ( regs->rip < f->start || regs->rip > f->end )
            continue;
        pv_last_fault.vector = regs->vector;
        pv_last_fault.error_code = regs->error_code;
        pv_last_fault.had_error_code = has_error_code(regs->vector);
        pv_last_fault.cr2 = pv_smp_vcpu_info(pv_smp_id())->arch.cr2;
        pv_last_fault.frame_addr = (unsigned long)&regs->rcx +
            (pv_last_fault.had_error_code ? 0 : 8);
        pv_last_fault.regs = *regs;
        regs->rip = f->end;
        return true;
    }
    return false;
}

/* The default event callback: acknowledge, on the vCPU that took it. */
void pv_event_dispatch(struct pv_regs *regs)
{
    unsigned int me = pv_smp_id();
    struct vcpu_info *vi = pv_smp_vcpu_info(me);

    __atomic_fetch_add(&pv_nr_upcalls, 1, __ATOMIC_SEQ_CST);
    pv_cpus[me].nr_default++;
    vi->evtchn_upcall_pending = 0;
    __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
}

void pv_trap_dispatch(struct pv_regs *regs)
{
    unsigned long v = regs->vector;

    switch ( v )
    {
    case VEC_EVENT:
        pv_event_dispatch(regs);
        return;
    case VEC_FAILSAFE:
        pv_nr_failsafe++;
        if ( pv_failsafe_hook && pv_failsafe_hook(regs) )
            return;
        if ( pv_user_active() )
            pv_user_trap(regs, false);
        return;
    case VEC_SYSCALL:
    case VEC_SYSCALL32:
    case VEC_SYSENTER:
        if ( pv_user_active() )
            pv_user_trap(regs, true);
        printf("unexpected callback %lu in kernel mode\n", v);
        dump_regs(regs);
        test_abort("unexpected callback");
    }

    if ( v < 256 )
    {
        pv_vectors_seen[v]++;
        if ( handlers[v] && handlers[v](regs) )
            return;
    }
    if ( (regs->cs & 3) == 3 && pv_user_active() )
        pv_user_trap(regs, false);
    if ( try_fixup(regs) )
        return;

    printf("unexpected exception %lu, error code %#lx\n", v,
           regs->error_code);
    dump_regs(regs);
    test_abort("unexpected exception %lu at %#lx", v, regs->rip);
}
