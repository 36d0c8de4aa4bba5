/*
 * keelcfg_domain.h - a parsed xl.cfg file read as a PV guest description,
 * with xl's defaults and Keel's checks.
 *
 *   key          meaning                               default
 *   name         domain name (required)                -
 *   type         "pv" (builder="generic" also works)   pv
 *   kernel       path of the guest kernel (required)   -
 *   ramdisk      path of the initial ramdisk           none
 *   cmdline      kernel command line; without it       none
 *                root= and extra= give "root=R E"
 *   memory       MiB at start                          maxmem, or 32
 *   maxmem       MiB ceiling, >= memory                memory
 *   vcpus        vCPUs online at start                 1
 *   maxvcpus     vCPUs the guest may bring up          vcpus
 *   cpus         hard affinity: "all", "0-3,^2", or a  any CPU
 *                list with one such string per vCPU
 *   cpus_soft    soft affinity, same forms             any CPU
 *   on_poweroff  destroy restart rename-restart        destroy
 *   on_reboot    preserve coredump-destroy             restart
 *   on_crash     coredump-restart soft-reset           destroy
 *   disk vif pci kept as the raw lists for their users -
 *
 * Other keys are ignored here, as xl ignores keys it does not know; they
 * stay readable through <keelcfg.h>.
 *
 * Errors go to the report function of the cfg, one line each, naming the
 * file and the line of the value at fault:
 *
 *   vm.cfg:3: memory: invalid value "abc"
 *   vm.cfg: Domain name must be specified.
 *
 * Where xl has a message for the same fault, its words are kept ("Unknown
 * on_crash action \"x\" specified").  Where xl only warns and carries on
 * with a default (a memory= that is not a number), Keel refuses the file:
 * a guest built from a config with a typo in it is not what the user
 * asked for.  Every error in the file is reported, not only the first.
 */
#ifndef KEELCFG_DOMAIN_H
#define KEELCFG_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "keelcfg.h"

/* Physical CPUs an affinity can name (the hypervisor checks the CPUs it
 * really has). */
#define CFG_MAX_CPUS        1024
/* vCPUs a guest may have. */
#define CFG_MAX_VCPUS       512
/* memory and maxmem, MiB (16 TiB). */
#define CFG_MAX_MEMORY_MB   (1ul << 24)
/* xl's default memory, MiB (libxl's default max_memkb). */
#define CFG_DEFAULT_MEMORY_MB 32

enum cfg_action {
    CFG_ACTION_DESTROY,
    CFG_ACTION_RESTART,
    CFG_ACTION_RENAME_RESTART,
    CFG_ACTION_PRESERVE,
    CFG_ACTION_COREDUMP_DESTROY,
    CFG_ACTION_COREDUMP_RESTART,
    CFG_ACTION_SOFT_RESET,
};

struct cfg_cpumap {
    uint64_t bits[CFG_MAX_CPUS / 64];
};

/*
 * An affinity.  nr == 0: not set, any CPU.  From a string, nr == 1 and
 * map[0] applies to every vCPU; from a list, map[i] is vCPU i's (per_vcpu),
 * and vCPUs past nr may run anywhere.  Items past maxvcpus are ignored,
 * as xl does.
 */
struct cfg_affinity {
    unsigned int nr;
    bool per_vcpu;
    struct cfg_cpumap *map;
};

struct cfg_domain {
    char *name;
    char *kernel;
    char *ramdisk;                  /* NULL: none */
    char *cmdline;                  /* NULL: none */
    unsigned long memory_mb;
    unsigned long maxmem_mb;
    unsigned int vcpus;
    unsigned int maxvcpus;
    struct cfg_affinity cpus;
    struct cfg_affinity cpus_soft;
    enum cfg_action on_poweroff;
    enum cfg_action on_reboot;
    enum cfg_action on_crash;
    /* Borrowed from the cfg (valid while it is): NULL if not set. */
    const struct cfg_value *disk;
    const struct cfg_value *vif;
    const struct cfg_value *pci;
};

/*
 * Fill dom from cfg.  CFG_OK, or CFG_EINVAL after reporting every error,
 * or CFG_ENOMEM.  Either way dom must then be given to
 * cfg_domain_release (which leaves it zeroed).
 */
int cfg_domain_parse(const struct cfg *cfg, struct cfg_domain *dom);
void cfg_domain_release(struct cfg_domain *dom);

/* The xl.cfg name of an action, and back (CFG_OK or CFG_EINVAL). */
const char *cfg_action_name(enum cfg_action a);
int cfg_action_parse(const char *s, enum cfg_action *out);

/*
 * A CPU list as xl reads cpus= and `xl vcpu-pin`: comma-separated items,
 * each "N", "N-M" or "all", optionally preceded by "^" to remove instead
 * of add, applied left to right to an empty set ("0-3,^2" is 0, 1, 3).
 * NUMA forms ("nodes:1") are not supported.  CFG_OK, or CFG_EINVAL with
 * the reason in why[whylen] (e.g. "invalid CPU range \"3-1\"").
 */
int cfg_cpumap_parse(const char *s, struct cfg_cpumap *map, char *why,
                     size_t whylen);
bool cfg_cpumap_test(const struct cfg_cpumap *map, unsigned int cpu);
unsigned int cfg_cpumap_weight(const struct cfg_cpumap *map);

#endif /* KEELCFG_DOMAIN_H */
