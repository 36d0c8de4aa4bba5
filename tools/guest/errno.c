/*
 * Names of the hypervisor's error numbers (public/errno.h), for messages
 * that must say exactly what a call returned: "-1 (EPERM)".
 */
#include <pvguest/domu.h>

const char *pv_errno_name(long rc)
{
#define NAME(name, num, text)   [num] = #name,
    static const char *const names[] = { XEN_ERRNO_LIST(NAME) };
#undef NAME
    unsigned long n = rc < 0 ? -(unsigned long)rc : (unsigned long)rc;

    if ( n >= ARRAY_SIZE(names) || !names[n] )
        return "E?";
    return names[n];
}
