/* Shared by the domctl conformance kernel's files. */
#ifndef DOMCTL_TEST_H
#define DOMCTL_TEST_H

#include <pvguest/lib.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/* One domctl: cmd and domain set, the right interface version. */
long dc(uint32_t cmd, domid_t dom, struct xen_domctl *op);
long dominfo(domid_t dom, struct xen_domctl_getdomaininfo *info);
void createdomain_config(struct xen_domctl_createdomain *c);
/* createdomain (want 0: any id); *got is the new domain's id. */
long create(domid_t want, domid_t *got);
long destroy(domid_t dom);
/* XEN_DOMCTL_max_vcpus, as every toolstack calls it after creation. */
long set_max_vcpus(domid_t dom, uint32_t max);
/* One sysctl with the right interface version. */
long sc(uint32_t cmd, struct xen_sysctl *op);

/* sched.c */
void check_sched(domid_t d);
void check_affinity(domid_t d);
/* sysctl.c */
void check_sysctl(void);
void check_readconsole(void);
void check_leaks(void);

#endif /* DOMCTL_TEST_H */
