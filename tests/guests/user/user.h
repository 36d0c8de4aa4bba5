/*
 * user: shared declarations of the guest-user-mode conformance kernel:
 * page tables, segment bases, SYSCALL, INT n and exceptions from user mode
 * (user.c); the failsafe callback, iret corner cases, MOV SS and SYSENTER
 * (iret.c).  The user-mode instruction sequences are in snippets.S.
 */
#ifndef USER_TEST_H
#define USER_TEST_H

#include <pvguest/lib.h>

#define NONCANON        0x8000000000000000UL
#define PTE_RW          (_PAGE_PRESENT | _PAGE_RW)
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                         _PAGE_ACCESSED | _PAGE_DIRTY)

/* snippets.S */
#define SNIPPET(n)  long n(long); extern char n##_insn[], n##_after[]
SNIPPET(us_syscall);
long us_movss_syscall(long);
long us_movss_mem_syscall(long);
SNIPPET(us_sysenter);
SNIPPET(us_ud2);
SNIPPET(us_int0);
SNIPPET(us_int21);
SNIPPET(us_int80);
SNIPPET(us_int3);
SNIPPET(us_intn3);
SNIPPET(us_div0);
SNIPPET(us_hlt);
SNIPPET(us_fnop);
SNIPPET(us_read);
SNIPPET(us_write);
long us_segs(long);
extern char us_movss_insn[], us_movss_mem_insn[], us_movss_mem_after[];
extern char k_movss_insn[];
extern unsigned long us_ss_var;
long k_movss_hypercall(void);
long iret_raw(const struct iret_context *ctx);
extern char iret_raw_landed[], iret_raw_resume[];
extern char iret_raw_user_landed[], iret_raw_user_cb[];

/* What the snippets recorded in user mode. */
extern unsigned long us_rsp, us_rflags;

/* The frame a bounce from user mode lands in: on the stack_switch stack,
 * 16-byte aligned, 7 quadwords (8 with an error code). */
static inline unsigned long user_frame(bool error_code)
{
    return (pv_user_kstack_top & ~0xfUL) - (error_code ? 8 : 7) * 8;
}

void *new_page(void);
long make_ro(void *va);
long cb_register(unsigned int type, unsigned int flags, void *addr);

void test_user(void);
void test_iret(void);

#endif /* USER_TEST_H */
