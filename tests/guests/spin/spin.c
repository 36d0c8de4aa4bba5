/*
 * spin: a domU for the scheduling tests, built by a dom0 test kernel
 * (tests/guests/sched) through libdombuild.  Its command line says what
 * to do:
 *
 *   spin       burn CPU for ever (the builder's dom0 destroys it)
 *   poweroff   shut down at once (SCHEDOP_shutdown poweroff)
 *   crash      shut down with reason crash
 * and three ways for a guest to get itself crashed by the hypervisor:
 *   crash-notraps   clear the trap table, then raise #UD
 *   crash-stack     point the kernel stack at unmapped memory, then #UD:
 *                   the exception frame cannot be written
 *   crash-badtraps  every trap handler at an unmapped (canonical)
 *                   address, then #UD: each delivery faults again until
 *                   the stack runs out (the PV form of a triple fault)
 *
 * It prints nothing the test relies on: a domU's console_io writes are
 * refused by Xen's default policy, so the dom0 kernel judges it from the
 * outside (getdomaininfo, getvcpuinfo).
 */
#include <pvguest/lib.h>

const char test_name[] = "spin";

volatile unsigned long spin_rounds;

void test_main(void)
{
    const char *cmd = (const char *)pv_start_info->cmd_line;

    if ( !strcmp(cmd, "poweroff") )
        pv_shutdown(SHUTDOWN_poweroff);
    if ( !strcmp(cmd, "crash") )
        pv_shutdown(SHUTDOWN_crash);
    if ( !strcmp(cmd, "crash-notraps") )
    {
        HYPERVISOR_set_trap_table(NULL);
        asm volatile ( "ud2" );
    }
    if ( !strcmp(cmd, "crash-stack") )
        asm volatile ( "mov $0x1000, %rsp; ud2" );
    if ( !strcmp(cmd, "crash-badtraps") )
    {
        static struct trap_info bad[257];
        unsigned int v;

        for ( v = 0; v < 256; v++ )
        {
            bad[v].vector = v;
            bad[v].cs = FLAT_KERNEL_CS;
            bad[v].address = 0x100000000000UL;
        }
        HYPERVISOR_set_trap_table(bad);
        asm volatile ( "ud2" );
    }
    for ( ; ; )
        spin_rounds++;
}
