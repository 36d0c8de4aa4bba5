/*
 * dom0's command-line options: dom0_mem=, dom0_max_vcpus= and
 * dom0_vcpus_pin, and the arithmetic that turns them into an allocation.
 *
 * The parsers judge the whole value into a local copy and store it only
 * when every item is valid, so a half-valid value changes nothing.  The
 * compute functions are pure: the domain builder passes in what is
 * available and gets a count back; they never fail, and they never return
 * more memory than is available.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/dom0_params.h>

#define DOM0_MAX_VCPUS_UNLIMITED 0xffffffffU

/* Reserve kept back from dom0 by default: 1/16 of memory, at most this. */
#define DOM0_DEFAULT_RESERVE_PAGES ((128UL << 20) >> PAGE_SHIFT)

struct dom0_mem_cfg opt_dom0_mem;
unsigned int opt_dom0_max_vcpus_min = 1;
unsigned int opt_dom0_max_vcpus_max = DOM0_MAX_VCPUS_UNLIMITED;
bool opt_dom0_vcpus_pin;

boolean_param("dom0_vcpus_pin", opt_dom0_vcpus_pin);

void dom0_params_reset(void)
{
    memset(&opt_dom0_mem, 0, sizeof(opt_dom0_mem));
    opt_dom0_max_vcpus_min = 1;
    opt_dom0_max_vcpus_max = DOM0_MAX_VCPUS_UNLIMITED;
    opt_dom0_vcpus_pin = false;
}

/* ---- dom0_mem= ----------------------------------------------------------- */

/*
 * One amount, `[-]<size>`, `[-]<frac>%` or `[-]<size>+<frac>%`, ending at
 * ',' or the end of the string.  *ps is left on that terminator.
 */
static int parse_memsize(const char *s, const char **ps,
                         struct dom0_memsize *out)
{
    struct dom0_memsize sz = { .set = true };
    unsigned long long v;
    const char *end;
    int rc;

    if ( *s == '-' )
    {
        sz.minus = true;
        s++;
    }

    /* A bare number followed by '%' is a fraction; otherwise a <size>. */
    rc = parse_ull(s, &end, &v);
    if ( rc )
        return rc;
    if ( *end != '%' )
    {
        rc = parse_size(s, &end, &v);
        if ( rc )
            return rc;
        sz.nr_pages = v >> PAGE_SHIFT;
        if ( *end != '+' )
            goto done;
        s = end + 1;
        rc = parse_ull(s, &end, &v);
        if ( rc )
            return rc;
        if ( *end != '%' )
            return -EINVAL;             /* <size>+<size> */
    }
    if ( v >= 100 )
        return -ERANGE;
    sz.percent = v;
    end++;                              /* the '%' */

 done:
    if ( *end != ',' && *end != '\0' )
        return -EINVAL;
    *ps = end;
    *out = sz;
    return 0;
}

static int parse_dom0_mem(const char *s)
{
    struct dom0_mem_cfg cfg = opt_dom0_mem;
    int rc;

    if ( !*s )
        return -EINVAL;

    for ( ; ; )
    {
        if ( !strncmp(s, "min:", 4) )
            rc = parse_memsize(s + 4, &s, &cfg.min);
        else if ( !strncmp(s, "max:", 4) )
            rc = parse_memsize(s + 4, &s, &cfg.max);
        else
            rc = parse_memsize(s, &s, &cfg.size);
        if ( rc )
            return rc;
        if ( *s == '\0' )
            break;
        s++;                            /* the ',' */
        if ( *s == '\0' )
            return -EINVAL;             /* trailing comma */
    }

    opt_dom0_mem = cfg;
    return 0;
}
custom_param("dom0_mem", parse_dom0_mem);

unsigned long dom0_memsize_pages(const struct dom0_memsize *sz,
                                 unsigned long avail)
{
    /* percent% of avail without overflowing the product. */
    unsigned long frac = (avail / 100) * sz->percent +
                         (avail % 100) * sz->percent / 100;
    unsigned long pages = sz->nr_pages + frac;

    if ( pages < frac )
        pages = ~0UL;                   /* saturate */
    if ( sz->minus )
        return pages < avail ? avail - pages : 0;
    return pages;
}

unsigned long dom0_mem_compute(const struct dom0_mem_cfg *cfg,
                               unsigned long avail)
{
    unsigned long nr = 0, min = 0, max = ~0UL;

    if ( cfg->size.set )
        nr = dom0_memsize_pages(&cfg->size, avail);
    if ( cfg->min.set )
        min = dom0_memsize_pages(&cfg->min, avail);
    if ( cfg->max.set )
        max = dom0_memsize_pages(&cfg->max, avail);

    /*
     * No size (or one that works out to nothing, e.g. "all but more than
     * there is"): everything less a reserve for DMA buffers and the like.
     */
    if ( nr == 0 )
        nr = avail - MIN(avail / 16, DOM0_DEFAULT_RESERVE_PAGES);

    nr = MAX(nr, min);
    nr = MIN(nr, max);                  /* max beats min */
    return MIN(nr, avail);
}

unsigned long dom0_compute_nr_pages(unsigned long avail_pages)
{
    return dom0_mem_compute(&opt_dom0_mem, avail_pages);
}

unsigned long dom0_compute_max_pages(unsigned long avail_pages)
{
    if ( !opt_dom0_mem.max.set )
        return ~0UL;
    return dom0_memsize_pages(&opt_dom0_mem.max, avail_pages);
}

/* ---- dom0_max_vcpus= ------------------------------------------------------ */

static int parse_vcpu_count(const char *s, const char **end, unsigned int *n)
{
    unsigned long long v;
    int rc = parse_ull(s, end, &v);

    if ( rc )
        return rc;
    if ( v > DOM0_MAX_VCPUS_UNLIMITED )
        return -EOVERFLOW;
    *n = v;
    return 0;
}

/* `N`, `N-M`, `N-` or `-M`. */
static int parse_dom0_max_vcpus(const char *s)
{
    unsigned int min = 1, max = DOM0_MAX_VCPUS_UNLIMITED;
    int rc;

    if ( !strcmp(s, "-") )
        return -EINVAL;                 /* neither bound given */
    if ( *s != '-' )
    {
        rc = parse_vcpu_count(s, &s, &min);
        if ( rc )
            return rc;
        if ( min == 0 )
            min = 1;                    /* as Xen: zero means one */
        if ( *s == '\0' )
            max = min;                  /* exactly N */
        else if ( *s != '-' )
            return -EINVAL;
    }
    if ( *s == '-' && *++s != '\0' )
    {
        rc = parse_vcpu_count(s, &s, &max);
        if ( rc )
            return rc;
        if ( max == 0 )
            return -EINVAL;
    }
    if ( *s != '\0' || min > max )
        return -EINVAL;

    opt_dom0_max_vcpus_min = min;
    opt_dom0_max_vcpus_max = max;
    return 0;
}
custom_param("dom0_max_vcpus", parse_dom0_max_vcpus);

unsigned int dom0_compute_max_vcpus(unsigned int nr_cpus, unsigned int limit)
{
    unsigned int n = nr_cpus;

    n = MAX(n, opt_dom0_max_vcpus_min);
    n = MIN(n, opt_dom0_max_vcpus_max);
    n = MIN(n, limit);
    return n ? n : 1;
}
