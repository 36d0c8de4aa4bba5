/*
 * Test result reporting.  Every case prints one line, "PASS: name",
 * "FAIL: name: why" or "SKIP: name: why"; a failed check names the file
 * and line with the expected and actual values.  test_finish() prints the
 * one line the runners look for,
 *
 *     Test result: SUCCESS | SKIP | ERROR | FAILURE
 *
 * (SKIP when nothing passed and something was skipped, ERROR when the test
 * itself went wrong), then powers the domain off with SCHEDOP_shutdown.
 * The counters are atomic: checks may run on any vCPU.
 */
#include <pvguest/lib.h>
#include <public/sysctl.h>
#include <public/version.h>

unsigned int test_nr_pass, test_nr_fail, test_nr_skip;
bool test_error;

void test_pass(const char *name)
{
    __atomic_fetch_add(&test_nr_pass, 1, __ATOMIC_SEQ_CST);
    printf("PASS: %s\n", name);
}

void test_fail(const char *name, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    __atomic_fetch_add(&test_nr_fail, 1, __ATOMIC_SEQ_CST);
    printf("FAIL: %s: %s\n", name, buf);
}

void test_skip(const char *name, const char *reason)
{
    __atomic_fetch_add(&test_nr_skip, 1, __ATOMIC_SEQ_CST);
    printf("SKIP: %s: %s\n", name, reason);
}

bool test_check_eq(const char *file, int line, const char *what,
                   unsigned long expected, unsigned long actual)
{
    if ( expected == actual )
    {
        __atomic_fetch_add(&test_nr_pass, 1, __ATOMIC_SEQ_CST);
        return true;
    }
    __atomic_fetch_add(&test_nr_fail, 1, __ATOMIC_SEQ_CST);
    printf("FAIL: %s:%d: %s: expected %#lx (%ld), got %#lx (%ld)\n",
           file, line, what, expected, (long)expected, actual, (long)actual);
    return false;
}

bool test_check_true(const char *file, int line, const char *what, bool ok)
{
    if ( ok )
    {
        __atomic_fetch_add(&test_nr_pass, 1, __ATOMIC_SEQ_CST);
        return true;
    }
    __atomic_fetch_add(&test_nr_fail, 1, __ATOMIC_SEQ_CST);
    printf("FAIL: %s:%d: %s\n", file, line, what);
    return false;
}

void __noreturn pv_shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    for ( ;; )
        pv_hypercall_inline(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                            (unsigned long)&s, 0, 0, 0);
}

void test_abort(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printf("ERROR: %s\n", buf);
    test_error = true;
    test_finish();
}

void test_finish(void)
{
    const char *result;

    if ( test_error )
        result = "ERROR";
    else if ( test_nr_fail )
        result = "FAILURE";
    else if ( !test_nr_pass && test_nr_skip )
        result = "SKIP";
    else
        result = "SUCCESS";
    printf("%s: %u passed, %u failed, %u skipped\n", test_name,
           test_nr_pass, test_nr_fail, test_nr_skip);
    printf("Test result: %s\n", result);
    pv_shutdown(SHUTDOWN_poweroff);
}

bool pv_on_keel(void)
{
    char extra[XEN_EXTRAVERSION_LEN] = "";

    HYPERVISOR_xen_version(XENVER_extraversion, extra);
    return strstr(extra, "keel") != NULL;
}

unsigned long pv_host_free_pages(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    if ( HYPERVISOR_sysctl(&op) )
        test_abort("sysctl physinfo failed");
    return op.u.physinfo.free_pages;
}
