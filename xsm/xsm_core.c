/*
 * XSM policy selection: the xsm= command-line option (Xen's name and
 * values) and the boot report.  xsm=dummy (the default) or xsm=silo;
 * Xen's xsm=flask is not built into Keel and, like any other value, is
 * reported as invalid and leaves the policy as it was.  The hooks
 * themselves are in xsm/hooks.c.
 */
#include <keel/errno.h>
#include <keel/lib.h>
#include <keel/param.h>
#include <xsm/xsm.h>

static int parse_xsm(const char *s)
{
    if ( !strcmp(s, "dummy") )
        xsm_policy = XSM_POLICY_DUMMY;
    else if ( !strcmp(s, "silo") )
        xsm_policy = XSM_POLICY_SILO;
    else
        return -EINVAL;
    return 0;
}
custom_param("xsm", parse_xsm);

void xsm_init(void)
{
    if ( xsm_policy == XSM_POLICY_SILO )
        printk("XSM: SILO policy: domUs may share event channels and "
               "grants only with dom0\n");
    else
        printk("XSM: dummy policy: dom0 controls every domain\n");
}
