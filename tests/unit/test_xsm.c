/*
 * Host tests for the XSM hooks (xsm/hooks.c) under both policies, and for
 * the xsm= option (xsm/xsm_core.c through the real command-line parser):
 * each hook lets the control domain through, keeps a domU to itself,
 * and under SILO refuses the channels between two domUs.
 */
#include "harness.h"

#include <keel/lib.h>
#include <keel/param.h>
#include <xsm/xsm.h>
#include <public/domctl.h>
#include <public/sysctl.h>

extern char stub_printk_buf[];
void stub_printk_reset(void);

/* keel/domain.h wants these; the hooks never call them. */
struct vcpu *get_current(void) { return NULL; }
void set_current(struct vcpu *v) { (void)v; }

static struct domain dom0 = { .domain_id = 0, .is_privileged = true };
static struct domain du1 = { .domain_id = 1 };
static struct domain du2 = { .domain_id = 2 };

typedef int two_fn(const struct domain *, const struct domain *);

/* Toolstack hooks: dom0 yes, a domU no (not even on itself). */
static two_fn *const priv_hooks[] = {
    xsm_domain_destroy, xsm_domain_pause, xsm_domain_unpause,
    xsm_getdomaininfo, xsm_max_mem, xsm_max_vcpus, xsm_setvcpucontext,
    xsm_getvcpucontext, xsm_vcpuaffinity, xsm_getvcpuinfo,
    xsm_settimeoffset, xsm_setdomainhandle, xsm_address_size,
    xsm_schedop_shutdown,
};

static void each_policy(void (*fn)(void))
{
    xsm_policy = XSM_POLICY_DUMMY;
    fn();
    xsm_policy = XSM_POLICY_SILO;
    fn();
    xsm_policy = XSM_POLICY_DUMMY;
}

static void toolstack_body(void)
{
    unsigned int i;

    for ( i = 0; i < sizeof(priv_hooks) / sizeof(priv_hooks[0]); i++ )
    {
        CHECK_EQ(priv_hooks[i](&dom0, &du1), 0);
        CHECK_EQ(priv_hooks[i](&dom0, &dom0), 0);
        CHECK_EQ(priv_hooks[i](&du1, &du1), -EPERM);
        CHECK_EQ(priv_hooks[i](&du1, &du2), -EPERM);
        CHECK_EQ(priv_hooks[i](&du1, &dom0), -EPERM);
    }
    CHECK_EQ(xsm_domctl(&dom0, NULL, XEN_DOMCTL_createdomain), 0);
    CHECK_EQ(xsm_domctl(&du1, &du1, XEN_DOMCTL_getdomaininfo), -EPERM);
    CHECK_EQ(xsm_domctl(&du1, NULL, XEN_DOMCTL_createdomain), -EPERM);
    CHECK_EQ(xsm_domain_create(&dom0, 0), 0);
    CHECK_EQ(xsm_domain_create(&du1, 0), -EPERM);
    CHECK_EQ(xsm_domctl_scheduler_op(&dom0, &du1, 0), 0);
    CHECK_EQ(xsm_domctl_scheduler_op(&du1, &du1, 0), -EPERM);
    CHECK_EQ(xsm_iomem_permission(&dom0, &du1, 0, 10, true), 0);
    CHECK_EQ(xsm_iomem_permission(&du1, &du1, 0, 10, true), -EPERM);
    CHECK_EQ(xsm_ioport_permission(&dom0, &du1, 0x60, 0x64, false), 0);
    CHECK_EQ(xsm_ioport_permission(&du1, &du2, 0x60, 0x64, true), -EPERM);
    CHECK_EQ(xsm_irq_permission(&dom0, &du1, 5, true), 0);
    CHECK_EQ(xsm_irq_permission(&du1, &du1, 5, true), -EPERM);
    CHECK_EQ(xsm_sysctl(&dom0, XEN_SYSCTL_physinfo), 0);
    CHECK_EQ(xsm_sysctl(&du1, XEN_SYSCTL_physinfo), -EPERM);
    CHECK_EQ(xsm_readconsole(&dom0, true), 0);
    CHECK_EQ(xsm_readconsole(&du1, false), -EPERM);
    CHECK_EQ(xsm_physinfo(&du1), -EPERM);
    CHECK_EQ(xsm_sched_id(&du1), -EPERM);
    CHECK_EQ(xsm_cpupool_op(&du1, 3), -EPERM);
    CHECK_EQ(xsm_cpupool_op(&dom0, 3), 0);
}

TEST(toolstack_hooks_dom0_only)
{
    each_policy(toolstack_body);
}

static void target_body(void)
{
    /* A domain on itself, or dom0 on anyone; never one domU on another. */
    CHECK_EQ(xsm_evtchn_status(&du1, &du1), 0);
    CHECK_EQ(xsm_evtchn_status(&dom0, &du1), 0);
    CHECK_EQ(xsm_evtchn_status(&du1, &du2), -EPERM);
    CHECK_EQ(xsm_evtchn_reset(&du1, &du2), -EPERM);
    CHECK_EQ(xsm_evtchn_reset(&du1, &dom0), -EPERM);
    CHECK_EQ(xsm_evtchn_reset(&dom0, &du2), 0);
    CHECK_EQ(xsm_grant_setup(&du1, &du1), 0);
    CHECK_EQ(xsm_grant_setup(&du1, &du2), -EPERM);
    CHECK_EQ(xsm_grant_setup(&dom0, &du2), 0);
    CHECK_EQ(xsm_grant_query_size(&du2, &du1), -EPERM);
    CHECK_EQ(xsm_grant_query_size(&du2, &du2), 0);
    /* Memory hooks: the same under both policies. */
    CHECK_EQ(xsm_mmu_update(&du1, &du1, &du1), 0);
    CHECK_EQ(xsm_mmu_update(&du1, &du1, &du2), -EPERM);
    CHECK_EQ(xsm_mmu_update(&du1, &du2, &du1), -EPERM);
    CHECK_EQ(xsm_mmu_update(&dom0, &du1, &du2), 0);
    CHECK_EQ(xsm_mmuext_op(&du1, &du2), -EPERM);
    CHECK_EQ(xsm_mmuext_op(&dom0, &du2), 0);
    CHECK_EQ(xsm_update_va_mapping(&du2, &du1), -EPERM);
    CHECK_EQ(xsm_update_va_mapping(&du2, &du2), 0);
    CHECK_EQ(xsm_memory_adjust_reservation(&du1, &du2), -EPERM);
    CHECK_EQ(xsm_memory_adjust_reservation(&dom0, &du2), 0);
    CHECK_EQ(xsm_memory_adjust_reservation(&du2, &du2), 0);
    /* Hook-only operations: no privilege asked. */
    CHECK_EQ(xsm_evtchn_send(&du1, &du1), 0);
    CHECK_EQ(xsm_grant_unmapref(&du1, &du2), 0);
}

TEST(target_hooks_self_or_dom0)
{
    each_policy(target_body);
}

TEST(dummy_lets_domus_talk)
{
    xsm_policy = XSM_POLICY_DUMMY;
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, &du2), 0);
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, NULL), 0);   /* no such remote */
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du2, &du1), -EPERM);  /* not its own */
    CHECK_EQ(xsm_evtchn_unbound(&dom0, &du2, &du1), 0);
    CHECK_EQ(xsm_evtchn_interdomain(&du1, &du2), 0);
    CHECK_EQ(xsm_grant_mapref(&du1, &du2, 0), 0);
    CHECK_EQ(xsm_grant_copy(&du1, &du2, &du1), 0);
    CHECK_EQ(xsm_grant_copy(&du1, &du1, &du2), 0);
}

TEST(silo_refuses_domu_to_domu)
{
    xsm_policy = XSM_POLICY_SILO;
    /* Event channels between two domUs. */
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, &du2), -EPERM);
    CHECK_EQ(xsm_evtchn_interdomain(&du1, &du2), -EPERM);
    /* A remote that does not exist: SILO asks, and gets -ESRCH (Xen). */
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, NULL), -ESRCH);
    /* XSM_TARGET still comes first. */
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du2, &dom0), -EPERM);
    /* Grants between two domUs. */
    CHECK_EQ(xsm_grant_mapref(&du1, &du2, 0), -EPERM);
    CHECK_EQ(xsm_grant_copy(&du1, &du2, &du1), -EPERM);
    CHECK_EQ(xsm_grant_copy(&du1, &du1, &du2), -EPERM);
    CHECK_EQ(xsm_grant_copy(&du2, &du1, &du2), -EPERM);
    xsm_policy = XSM_POLICY_DUMMY;
}

TEST(silo_allows_dom0_and_self)
{
    xsm_policy = XSM_POLICY_SILO;
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, &dom0), 0);
    CHECK_EQ(xsm_evtchn_unbound(&du1, &du1, &du1), 0);
    CHECK_EQ(xsm_evtchn_unbound(&dom0, &du1, &du2), 0); /* dom0 asks */
    CHECK_EQ(xsm_evtchn_unbound(&dom0, &dom0, &du2), 0);
    CHECK_EQ(xsm_evtchn_interdomain(&du1, &dom0), 0);
    CHECK_EQ(xsm_evtchn_interdomain(&dom0, &du1), 0);
    CHECK_EQ(xsm_evtchn_interdomain(&du1, &du1), 0);
    CHECK_EQ(xsm_grant_mapref(&du1, &dom0, 0), 0);
    CHECK_EQ(xsm_grant_mapref(&dom0, &du1, 0), 0);
    CHECK_EQ(xsm_grant_mapref(&du1, &du1, 0), 0);
    CHECK_EQ(xsm_grant_copy(&du1, &du1, &dom0), 0);
    CHECK_EQ(xsm_grant_copy(&du1, &dom0, &du1), 0);
    CHECK_EQ(xsm_grant_copy(&du1, &du1, &du1), 0);
    CHECK_EQ(xsm_grant_copy(&dom0, &du1, &du2), 0);
    xsm_policy = XSM_POLICY_DUMMY;
}

TEST(option_xsm)
{
    xsm_policy = XSM_POLICY_DUMMY;
    cmdline_parse("xsm=silo");
    CHECK_EQ(xsm_policy, XSM_POLICY_SILO);
    CHECK_STR(xsm_policy_name(xsm_policy), "silo");
    cmdline_parse("xsm=dummy");
    CHECK_EQ(xsm_policy, XSM_POLICY_DUMMY);
    CHECK_STR(xsm_policy_name(xsm_policy), "dummy");

    /* Xen's flask is not built in: an invalid value, nothing changes. */
    cmdline_parse("xsm=silo");
    stub_printk_reset();
    cmdline_parse("xsm=flask");
    CHECK_EQ(xsm_policy, XSM_POLICY_SILO);
    CHECK(strstr(stub_printk_buf, "parameter \"xsm\" has invalid value "
                                  "\"flask\"") != NULL);
    stub_printk_reset();
    cmdline_parse("xsm=");
    CHECK_EQ(xsm_policy, XSM_POLICY_SILO);
    CHECK(strstr(stub_printk_buf, "invalid value") != NULL);
    xsm_policy = XSM_POLICY_DUMMY;

    stub_printk_reset();
    xsm_init();
    CHECK(strstr(stub_printk_buf, "dummy") != NULL);
}

int main(void)
{
    RUN(toolstack_hooks_dom0_only);
    RUN(target_hooks_self_or_dom0);
    RUN(dummy_lets_domus_talk);
    RUN(silo_refuses_domu_to_domu);
    RUN(silo_allows_dom0_and_self);
    RUN(option_xsm);
    HARNESS_EXIT();
}
