/*
 * fatal: things a PV guest can do that end the domain.  The hypervisor
 * must crash the domain cleanly (and, for dom0, shut down with reason
 * crash) without faulting itself.  One case per boot, chosen by the dom0
 * command line "case=NAME"; tests/system/guest-fatal.sh boots each one
 * and reads the hypervisor's log.
 *
 * The kernel prints "expect-crash: NAME" and then does it.  If it is
 * still running afterwards it prints a FAIL line and "Test result:
 * FAILURE"; an unknown or missing case is "Test result: ERROR".
 *
 * Cases (each checked on Xen 4.17 to crash the domain):
 *  - iret-bad-stack: the iret hypercall with RSP on an unmapped page
 *    (Xen: "Fault while reading IRET context from guest stack").
 *  - iret-no-user-l4: NEW_USER_BASEPTR 0, then an iret to user mode
 *    (Xen: "Guest switching to user mode with no user page tables").
 *  - bounce-bad-stack: an exception (#UD) in kernel mode with RSP on an
 *    unmapped page: the bounce frame cannot be written.
 *  - user-bad-kstack: stack_switch to an unmapped kernel stack, then an
 *    exception in user mode: the same on the kernel stack.
 *  - no-trap-table: set_trap_table(NULL) clears every entry, then #UD:
 *    no handler to bounce to.
 *  - iret-noncanon-rsp: an iret to kernel mode with a non-canonical RSP,
 *    landing on a push.
 */
#include <pvguest/lib.h>

const char test_name[] = "fatal";

#define UNMAPPED    0x0000000000002000UL
#define NONCANON    0x8000000000000000UL

void fatal_iret_on(unsigned long rsp) __noreturn;
void fatal_ud2_on(unsigned long rsp) __noreturn;
long fatal_user_ud2(long);
asm ( ".pushsection .text\n"
      ".globl fatal_iret_on\n"
      "fatal_iret_on:\n\t"
      "mov %rdi, %rsp\n\t"
      "mov $23, %eax\n\t"
      "syscall\n\t"
      "ud2\n"
      ".globl fatal_ud2_on\n"
      "fatal_ud2_on:\n\t"
      "mov %rdi, %rsp\n\t"
      "ud2\n"
      ".globl fatal_user_ud2\n"
      "fatal_user_ud2:\n\t"
      "ud2\n"
      "fatal_push_landing:\n\t"
      "push %rax\n\t"
      "ud2\n"
      ".popsection" );
extern char fatal_push_landing[];

static void iret_noncanon_rsp(void)
{
    struct iret_context c = {
        .rip = (unsigned long)fatal_push_landing, .cs = 0xe030,
        .rflags = 0x2, .rsp = NONCANON | 0x1000, .ss = 0xe02b,
    };
    static struct iret_context frame __aligned(16);

    frame = c;
    fatal_iret_on((unsigned long)&frame);
}

static const char *arg_case(void)
{
    static char name[64];
    const char *p = strstr((const char *)pv_start_info->cmd_line, "case=");
    unsigned int i;

    if ( !p )
        return NULL;
    p += 5;
    for ( i = 0; i < sizeof(name) - 1 && p[i] && p[i] != ' '; i++ )
        name[i] = p[i];
    name[i] = '\0';
    return name;
}

void test_main(void)
{
    const char *c = arg_case();
    struct pv_user_exit e;

    if ( !c )
        test_abort("no case=NAME on the command line");
    /* Make sure the unmapped page really is unmapped. */
    if ( pv_pte_read(UNMAPPED, 4) & _PAGE_PRESENT )
        test_abort("L4 slot 0 is in use");

    printf("expect-crash: %s\n", c);
    if ( !strcmp(c, "iret-bad-stack") )
        fatal_iret_on(UNMAPPED);
    else if ( !strcmp(c, "iret-no-user-l4") )
    {
        CHECK_RC(0, pv_mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0));
        pv_run_user(fatal_user_ud2, 0, &e);
    }
    else if ( !strcmp(c, "bounce-bad-stack") )
        fatal_ud2_on(UNMAPPED);
    else if ( !strcmp(c, "user-bad-kstack") )
    {
        CHECK_RC(0, HYPERVISOR_stack_switch(FLAT_KERNEL_SS, UNMAPPED));
        pv_run_user(fatal_user_ud2, 0, &e);
    }
    else if ( !strcmp(c, "no-trap-table") )
    {
        CHECK_RC(0, HYPERVISOR_set_trap_table(NULL));
        asm volatile ( "ud2" );
    }
    else if ( !strcmp(c, "iret-noncanon-rsp") )
        iret_noncanon_rsp();
    else
        test_abort("unknown case \"%s\"", c);

    test_fail(c, "the domain survived");
}
