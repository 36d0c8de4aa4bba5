/*
 * spin: a domU for the scheduling tests, built by a dom0 test kernel
 * (tests/guests/sched) through libdombuild.  Its command line says what
 * to do:
 *
 *   spin       burn CPU for ever (the builder's dom0 destroys it)
 *   poweroff   shut down at once (SCHEDOP_shutdown poweroff)
 *   crash      shut down with reason crash
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
    for ( ; ; )
        spin_rounds++;
}
