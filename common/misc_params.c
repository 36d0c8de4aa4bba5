/*
 * Command-line options whose subsystems do not exist yet or own no .c file
 * of their own: maxcpus=, noreboot, sched=, pv-linear-pt and iommu=.  When
 * a subsystem grows, its option may move to it; the variables and their
 * defaults (Xen's) are declared in <keel/misc_params.h>.
 *
 * iommu= is a list whose items are judged into a local copy that is
 * stored only when every item is valid; unlike Xen, a list with one bad
 * item changes nothing.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/misc_params.h>

#define IOMMU_DEFAULTS {                                                    \
    .enable = true, .force = false, .verbose = false, .debug = false,      \
    .quarantine = IOMMU_QUARANTINE_BASIC, .intremap = true,                \
    .intpost = false, .superpages = true, .qinval = true, .snoop = true,   \
    .igfx = true, .crash_disable = false, .amd_perdev_intremap = true }

unsigned int opt_maxcpus;
bool opt_noreboot;
char opt_sched[SCHED_NAME_MAX] = "credit2";
bool opt_pv_linear_pt = true;
struct iommu_params opt_iommu = IOMMU_DEFAULTS;

integer_param("maxcpus", opt_maxcpus);
boolean_param("noreboot", opt_noreboot);
string_param("sched", opt_sched);
boolean_param("pv-linear-pt", opt_pv_linear_pt);

void misc_params_reset(void)
{
    static const struct iommu_params iommu_defaults = IOMMU_DEFAULTS;

    opt_maxcpus = 0;
    opt_noreboot = false;
    memset(opt_sched, 0, sizeof(opt_sched));
    memcpy(opt_sched, "credit2", sizeof("credit2"));
    opt_pv_linear_pt = true;
    opt_iommu = iommu_defaults;
}

/* ---- iommu= -------------------------------------------------------------- */

/* The plain boolean sub-options, each with a `no-` form and `=<bool>`. */
static const struct {
    const char *name;
    size_t offset;
} iommu_bools[] = {
    { "force",       offsetof(struct iommu_params, force) },
    { "required",    offsetof(struct iommu_params, force) },
    { "verbose",     offsetof(struct iommu_params, verbose) },
    { "intremap",    offsetof(struct iommu_params, intremap) },
    { "intpost",     offsetof(struct iommu_params, intpost) },
    { "superpages",  offsetof(struct iommu_params, superpages) },
    { "qinval",      offsetof(struct iommu_params, qinval) },
    { "snoop",       offsetof(struct iommu_params, snoop) },
    { "igfx",        offsetof(struct iommu_params, igfx) },
    { "crash-disable", offsetof(struct iommu_params, crash_disable) },
    { "amd-iommu-perdev-intremap",
      offsetof(struct iommu_params, amd_perdev_intremap) },
};

static int parse_iommu_item(const char *s, const char *e,
                            struct iommu_params *c)
{
    unsigned int i;
    int val;

    if ( (val = parse_bool(s, e)) >= 0 )
    {
        c->enable = val;
        return 0;
    }
    if ( (val = parse_boolean("debug", s, e)) >= 0 )
    {
        c->debug = val;
        if ( val )
            c->verbose = true;
        return 0;
    }
    if ( (val = parse_boolean("quarantine", s, e)) >= 0 )
    {
        c->quarantine = val ? IOMMU_QUARANTINE_BASIC : IOMMU_QUARANTINE_NONE;
        return 0;
    }
    if ( (size_t)(e - s) == strlen("quarantine=scratch-page") &&
         !strncmp(s, "quarantine=scratch-page", e - s) )
    {
        c->quarantine = IOMMU_QUARANTINE_SCRATCH_PAGE;
        return 0;
    }
    for ( i = 0; i < ARRAY_SIZE(iommu_bools); i++ )
        if ( (val = parse_boolean(iommu_bools[i].name, s, e)) >= 0 )
        {
            *(bool *)((char *)c + iommu_bools[i].offset) = val;
            return 0;
        }

    return -EINVAL;
}

static int parse_iommu(const char *s)
{
    struct iommu_params c = opt_iommu;
    const char *e;
    int rc;

    for ( ; ; s = e + 1 )
    {
        for ( e = s; *e != ',' && *e != '\0'; e++ )
            ;
        rc = parse_iommu_item(s, e, &c);
        if ( rc )
            return rc;                  /* includes empty items */
        if ( *e == '\0' )
            break;
    }

    opt_iommu = c;
    return 0;
}
custom_param("iommu", parse_iommu);
