/*
 * Command-line options that shape dom0: dom0_mem=, dom0_max_vcpus= and
 * dom0_vcpus_pin, as parsed by common/dom0_params.c, and the pure
 * functions that turn them into a page count and a vCPU count.
 *
 * The variables are written only by the command-line parser during early
 * boot and are constant afterwards (c).
 */
#ifndef KEEL_DOM0_PARAMS_H
#define KEEL_DOM0_PARAMS_H

#include <keel/types.h>

/*
 * One amount of dom0_mem=: `[-]<size>`, `[-][<size>+]<frac>%`.
 * The value is nr_pages + percent% of the available pages, or, with
 * `minus`, the available pages less that (never below zero).
 */
struct dom0_memsize {
    bool set;                   /* given on the command line */
    bool minus;                 /* leading '-': "all but" */
    unsigned int percent;       /* 0..99 */
    unsigned long nr_pages;     /* <size> rounded down to whole pages */
};

struct dom0_mem_cfg {
    struct dom0_memsize size;   /* dom0_mem=<sz> */
    struct dom0_memsize min;    /* dom0_mem=min:<sz> */
    struct dom0_memsize max;    /* dom0_mem=max:<sz> */
};

extern struct dom0_mem_cfg opt_dom0_mem;            /* (c) */
extern unsigned int opt_dom0_max_vcpus_min;         /* (c) default 1 */
extern unsigned int opt_dom0_max_vcpus_max;         /* (c) default UINT_MAX */
extern bool opt_dom0_vcpus_pin;                     /* (c) default false */

/* Pages one amount stands for, given `avail` available pages. */
unsigned long dom0_memsize_pages(const struct dom0_memsize *sz,
                                 unsigned long avail);

/*
 * dom0's initial allocation in pages, given the pages available for it
 * (free memory less what the builder reserves for its own structures):
 *
 *   nr = dom0_mem=<sz> if given and non-zero, otherwise
 *        avail - min(avail / 16, 128 MiB);
 *   nr = max(nr, min:);  nr = min(nr, max:);  nr = min(nr, avail).
 *
 * So max: beats min:, and dom0 never gets more than is available.
 */
unsigned long dom0_mem_compute(const struct dom0_mem_cfg *cfg,
                               unsigned long avail);

/* dom0_mem_compute() with the options from the command line. */
unsigned long dom0_compute_nr_pages(unsigned long avail_pages);

/*
 * The most dom0 may balloon up to, in pages: max: if given, otherwise
 * ~0UL (no limit).
 */
unsigned long dom0_compute_max_pages(unsigned long avail_pages);

/*
 * dom0's vCPU count: one per physical CPU, raised to the minimum and then
 * cut to the maximum of dom0_max_vcpus=, and never above `limit` (what
 * the domain builder supports) nor below 1.
 */
unsigned int dom0_compute_max_vcpus(unsigned int nr_cpus, unsigned int limit);

/* Put every dom0 option back to its default (boot state; used by tests). */
void dom0_params_reset(void);

#endif /* KEEL_DOM0_PARAMS_H */
