/*
 * idle: a dom0 that stays up and does nothing, yielding the CPU in a loop.
 * System tests use it when they need Keel running with a live dom0 (for
 * example to type debug keys); it never prints a result line.
 */
#include <pvguest/lib.h>

const char test_name[] = "idle";

void test_main(void)
{
    printf("idle: dom0 up, yielding forever\n");
    for ( ; ; )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
