/*
 * xl_info.c - the commands that report on the host and its domains:
 * list (table, -v -Z -c columns, and -l JSON), info (Xen's keys in
 * Xen's order, with the one-key filter `xl info free_memory`), dmesg,
 * domid and domname.
 *
 * Formats are Xen 4.17's xl_info.c, column for column: scripts such as
 * the xendomains init scripts of NetBSD and Linux parse `xl list`.  The
 * JSON of `xl list -l` carries the part of libxl's domain configuration
 * the hypervisor knows (domid, c_info type/name/uuid, b_info max_vcpus,
 * max_memkb, target_memkb), in libxl's layout and yajl's indentation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/errno.h>
#include <public/version.h>
#include "xl_private.h"

#define CONSOLE_CHUNK   16384       /* libxl's console reader buffer */
#define CONSOLE_READS   1024        /* at most 16 MiB in one dmesg */

/* ---- xl list -------------------------------------------------------------- */

struct list_flags {
    bool verbose, context, cpupool;
};

static unsigned int shutdown_reason(const struct xen_domctl_getdomaininfo *d)
{
    if ( !(d->flags & XEN_DOMINF_shutdown) )
        return 0;
    return (d->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
}

static void list_domains(struct xl_ctx *x, const struct list_flags *f,
                         const struct xen_domctl_getdomaininfo *info,
                         unsigned int nr)
{
    static const char letters[] = "-rscwS";
    char name[XL_NAME_MAX], time[32], uuid[37];
    unsigned int i;

    xl_out(x, "Name                                        ID   Mem VCPUs\t"
           "State\tTime(s)");
    if ( f->verbose )
        xl_out(x, "   UUID                            Reason-Code\t"
               "Security Label");
    if ( f->context && !f->verbose )
        xl_out(x, "   Security Label");
    if ( f->cpupool )
        xl_out(x, "         Cpupool");
    xl_out(x, "\n");

    for ( i = 0; i < nr; i++ )
    {
        const struct xen_domctl_getdomaininfo *d = &info[i];
        unsigned int reason = shutdown_reason(d);
        unsigned long mem_mb = (unsigned long)
            (((d->tot_pages + d->outstanding_pages) << 2) / 1024);

        xl_fmt_seconds(time, sizeof(time), 8, d->cpu_time);
        xl_out(x, "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %s",
               xl_domname(x, d->domain, name, sizeof(name)), d->domain,
               mem_mb, (int)d->nr_online_vcpus,
               d->flags & XEN_DOMINF_running ? 'r' : '-',
               d->flags & XEN_DOMINF_blocked ? 'b' : '-',
               d->flags & XEN_DOMINF_paused ? 'p' : '-',
               d->flags & XEN_DOMINF_shutdown ? 's' : '-',
               reason < sizeof(letters) - 1 ? letters[reason] : '?',
               d->flags & XEN_DOMINF_dying ? 'd' : '-', time);
        if ( f->verbose )
        {
            xl_fmt_uuid(uuid, d->handle);
            xl_out(x, " %s", uuid);
            if ( d->flags & XEN_DOMINF_shutdown )
                xl_out(x, " %8x", reason);
            else
                xl_out(x, " %8s", "-");
        }
        if ( f->verbose || f->context )
            xl_out(x, " %16s", "-");    /* no security labels */
        if ( f->cpupool )
            xl_out(x, "%16s", d->cpupool == 0 ? "Pool-0" : "(null)");
        xl_out(x, "\n");
    }
}

/* A JSON string as yajl writes it. */
static void json_string(struct xl_ctx *x, const char *s)
{
    char esc[8];

    xl_out(x, "\"");
    for ( ; *s; s++ )
    {
        unsigned char c = (unsigned char)*s;

        switch ( c )
        {
        case '"':
            xl_out(x, "\\\"");
            break;
        case '\\':
            xl_out(x, "\\\\");
            break;
        case '\b':
            xl_out(x, "\\b");
            break;
        case '\f':
            xl_out(x, "\\f");
            break;
        case '\n':
            xl_out(x, "\\n");
            break;
        case '\r':
            xl_out(x, "\\r");
            break;
        case '\t':
            xl_out(x, "\\t");
            break;
        default:
            if ( c < 0x20 )
                snprintf(esc, sizeof(esc), "\\u%04X", c);
            else
            {
                esc[0] = (char)c;
                esc[1] = '\0';
            }
            xl_out(x, "%s", esc);
        }
    }
    xl_out(x, "\"");
}

/*
 * libxl's printf_info_one_json for what the hypervisor knows, indented
 * as yajl's beautifier does (four spaces a level, "key": value).
 */
static void list_details(struct xl_ctx *x,
                         const struct xen_domctl_getdomaininfo *info,
                         unsigned int nr)
{
    char name[XL_NAME_MAX], uuid[37];
    unsigned int i;

    xl_out(x, "[\n");
    for ( i = 0; i < nr; i++ )
    {
        const struct xen_domctl_getdomaininfo *d = &info[i];
        unsigned int max_vcpus = d->max_vcpu_id == XEN_INVALID_MAX_VCPU_ID
                                 ? 0 : d->max_vcpu_id + 1;

        xl_fmt_uuid(uuid, d->handle);
        xl_out(x, "%s    {\n", i ? ",\n" : "");
        xl_out(x, "        \"domid\": %u,\n", d->domain);
        xl_out(x, "        \"config\": {\n");
        xl_out(x, "            \"c_info\": {\n");
        xl_out(x, "                \"type\": \"%s\",\n",
               d->flags & XEN_DOMINF_hvm_guest ? "hvm" : "pv");
        xl_out(x, "                \"name\": ");
        json_string(x, xl_domname(x, d->domain, name, sizeof(name)));
        xl_out(x, ",\n                \"uuid\": \"%s\"\n", uuid);
        xl_out(x, "            },\n");
        xl_out(x, "            \"b_info\": {\n");
        xl_out(x, "                \"max_vcpus\": %u,\n", max_vcpus);
        xl_out(x, "                \"max_memkb\": %llu,\n",
               (unsigned long long)(d->max_pages << 2));
        xl_out(x, "                \"target_memkb\": %llu\n",
               (unsigned long long)(d->tot_pages << 2));
        xl_out(x, "            }\n");
        xl_out(x, "        }\n");
        xl_out(x, "    }");
    }
    xl_out(x, "\n]\n");
}

int xl_cmd_list(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "long", false, 'l' },
        { "verbose", false, 'v' },
        { "context", false, 'Z' },
        { "cpupool", false, 'c' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("lvhZc", longopts, "list", 0);
    struct xen_domctl_getdomaininfo one, *info = &one, *all = NULL;
    struct list_flags f = { false, false, false };
    bool details = false;
    unsigned int nr = 1;
    domid_t d;
    int opt, rc;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
    {
        switch ( opt )
        {
        case 'l':
            details = true;
            break;
        case 'v':
            f.verbose = true;
            break;
        case 'Z':
            f.context = true;
            break;
        case 'c':
            f.cpupool = true;
            break;
        }
    }
    if ( opt < 0 )
        return o.status;

    if ( o.nr == 0 )
    {
        if ( xl_domain_list(x, &all, &nr) )
            return XL_EXIT_FAIL;
        info = all;
    }
    else if ( o.nr == 1 )
    {
        if ( !xl_find_domain(x, o.opnd[0], &d) )
            return XL_EXIT_FAIL;
        if ( (rc = xl_domain_info(x, d, &one)) == -XEN_ESRCH )
        {
            xl_err(x, "Error: Domain '%s' does not exist.\n", o.opnd[0]);
            return XL_EXIT_FAIL;
        }
        if ( rc )
        {
            xl_err(x, "libxl_domain_info failed (code %d).\n", rc);
            return XL_EXIT_FAIL;
        }
    }
    else
    {
        xl_help(x, "list");
        return XL_EXIT_FAIL;
    }

    if ( details )
        list_details(x, info, nr);
    else
        list_domains(x, &f, info, nr);
    free(all);
    return XL_EXIT_OK;
}

/* ---- xl info ---------------------------------------------------------------- */

/*
 * One line of xl info, or with a filter (xl info <key>) only the value of
 * the lines starting with it, as Xen's maybe_printf.
 */
static void info_line(struct xl_ctx *x, const char *filter,
                      const char *fmt, ...) XL_PRINTF(3, 4);

static void info_line(struct xl_ctx *x, const char *filter,
                      const char *fmt, ...)
{
    va_list ap;
    char *line, *colon;

    va_start(ap, fmt);
    line = xl_vasprintf(fmt, ap);
    va_end(ap);
    if ( !line )
        return;
    if ( !filter )
        xl_out(x, "%s", line);
    else if ( !strncmp(line, filter, strlen(filter)) &&
              (colon = strchr(line, ':')) != NULL && colon[1] == ' ' )
        xl_out(x, "%s", colon + 2);
    free(line);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void info_node(struct xl_ctx *x, const char *f)
{
    const struct xl_ops *ops = x->ops;

    info_line(x, f, "host                   : %s\n", or_empty(ops->host));
    info_line(x, f, "release                : %s\n", or_empty(ops->release));
    info_line(x, f, "version                : %s\n", or_empty(ops->version));
    info_line(x, f, "machine                : %s\n", or_empty(ops->machine));
}

static void info_phys(struct xl_ctx *x, const char *f)
{
    struct xen_sysctl_physinfo pi;
    uint8_t *freemap;
    unsigned int caps, i, n = 0, nr_bits;
    long pagesize;

    if ( kc_physinfo(x->ops->kc, &pi) )
    {
        xl_err(x, "libxl_physinfo failed.\n");
        return;
    }
    caps = pi.capabilities;
    info_line(x, f, "nr_cpus                : %d\n", (int)pi.nr_cpus);
    info_line(x, f, "max_cpu_id             : %d\n", (int)pi.max_cpu_id);
    info_line(x, f, "nr_nodes               : %d\n", (int)pi.nr_nodes);
    info_line(x, f, "cores_per_socket       : %d\n",
              (int)pi.cores_per_socket);
    info_line(x, f, "threads_per_core       : %d\n",
              (int)pi.threads_per_core);
    info_line(x, f, "cpu_mhz                : %d.%03d\n",
              (int)(pi.cpu_khz / 1000), (int)(pi.cpu_khz % 1000));
    info_line(x, f, "hw_caps                : %08x:%08x:%08x:%08x:%08x:%08x:"
              "%08x:%08x\n", pi.hw_cap[0], pi.hw_cap[1], pi.hw_cap[2],
              pi.hw_cap[3], pi.hw_cap[4], pi.hw_cap[5], pi.hw_cap[6],
              pi.hw_cap[7]);
    /* Xen 4.17's list; pv_directio follows hvm_directio's bit, as libxl's
     * cap_hvm_directio is XEN_SYSCTL_PHYSCAP_directio. */
    info_line(x, f, "virt_caps              :%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
              caps & XEN_SYSCTL_PHYSCAP_pv ? " pv" : "",
              caps & XEN_SYSCTL_PHYSCAP_hvm ? " hvm" : "",
              (caps & XEN_SYSCTL_PHYSCAP_hvm) &&
              (caps & XEN_SYSCTL_PHYSCAP_directio) ? " hvm_directio" : "",
              (caps & XEN_SYSCTL_PHYSCAP_pv) &&
              (caps & XEN_SYSCTL_PHYSCAP_directio) ? " pv_directio" : "",
              caps & XEN_SYSCTL_PHYSCAP_hap ? " hap" : "",
              caps & XEN_SYSCTL_PHYSCAP_shadow ? " shadow" : "",
              caps & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share
              ? " iommu_hap_pt_share" : "",
              caps & XEN_SYSCTL_PHYSCAP_vmtrace ? " vmtrace" : "",
              caps & XEN_SYSCTL_PHYSCAP_vpmu ? " vpmu" : "",
              caps & XEN_SYSCTL_PHYSCAP_gnttab_v1 ? " gnttab-v1" : "",
              caps & XEN_SYSCTL_PHYSCAP_gnttab_v2 ? " gnttab-v2" : "",
              pi.arch_capabilities & 1 ? " assisted_xapic" : "",
              pi.arch_capabilities & 2 ? " assisted_x2apic" : "");

    pagesize = kc_xen_version(x->ops->kc, XENVER_pagesize, NULL, 0);
    if ( pagesize > 0 && pagesize <= (1L << 20) )
    {
        uint64_t per_mb = (uint64_t)((1L << 20) / pagesize);

        info_line(x, f, "total_memory           : %llu\n",
                  (unsigned long long)(pi.total_pages / per_mb));
        info_line(x, f, "free_memory            : %llu\n",
                  (unsigned long long)((pi.free_pages - pi.outstanding_pages)
                                       / per_mb));
        /* No page sharing in Keel. */
        info_line(x, f, "sharing_freed_memory   : 0\n");
        info_line(x, f, "sharing_used_memory    : 0\n");
        info_line(x, f, "outstanding_claims     : %llu\n",
                  (unsigned long long)(pi.outstanding_pages / per_mb));
    }
    /* libxl_get_freecpus: the CPUs in no pool (the line is left out when
     * they cannot be had). */
    nr_bits = pi.max_cpu_id + 1;
    if ( nr_bits > XL_MAX_CPUS || !nr_bits )
        nr_bits = XL_MAX_CPUS;
    freemap = calloc(1, (nr_bits + 7) / 8);
    if ( freemap && kc_cpupool_freeinfo(x->ops->kc, freemap, nr_bits) == 0 )
    {
        for ( i = 0; i < nr_bits; i++ )
            if ( freemap[i / 8] & (1u << (i % 8)) )
                n++;
        info_line(x, f, "free_cpus              : %d\n", (int)n);
    }
    free(freemap);
}

/* libxl's build_id: lower-case hex, "" when there is none or it is not
 * ours to see, NULL when the call failed otherwise. */
static char *build_id(struct xl_ctx *x, long pagesize)
{
    uint32_t lens[2] = { 1020, 0 };
    unsigned char *buf;
    char *hex = NULL;
    long r = -XEN_ENOBUFS, i;
    unsigned int t;

    lens[1] = pagesize > 4 ? (uint32_t)pagesize - 4 : 4092;
    for ( t = 0; t < 2 && r == -XEN_ENOBUFS; t++ )
    {
        if ( (buf = malloc(lens[t])) == NULL )
            return NULL;
        r = kc_xen_build_id(x->ops->kc, buf, lens[t]);
        if ( r == 0 || r == -XEN_EPERM || r == -XEN_ENODATA )
            hex = xl_asprintf("%s", "");
        else if ( r > 0 && r <= (long)lens[t] &&
                  (hex = malloc((size_t)r * 2 + 1)) != NULL )
        {
            for ( i = 0; i < r; i++ )
                snprintf(hex + i * 2, 3, "%02x", (unsigned int)buf[i]);
        }
        free(buf);
    }
    if ( r == -XEN_ENOBUFS )
        xl_err(x, "libxl: error: getting build_id: %s\n",
               xl_strerror(XEN_ENOBUFS));
    return hex;
}

/* A string sub-op of xen_version, NUL-terminated whatever it returned. */
static void version_string(struct xl_ctx *x, unsigned int cmd, char *buf,
                           size_t len)
{
    if ( kc_xen_version(x->ops->kc, cmd, buf, len) < 0 )
        buf[0] = '\0';
    buf[len - 1] = '\0';
}

static void info_xen(struct xl_ctx *x, const char *f)
{
    struct {
        xen_extraversion_t extra;
        struct xen_compile_info cc;
        xen_capabilities_info_t caps;
        xen_changeset_info_t changeset;
        xen_commandline_t cmdline;
    } *v;
    struct xen_platform_parameters pp;
    const char *sched;
    long version, pagesize;
    uint32_t sched_id;
    char *bid;

    if ( kc_sched_id(x->ops->kc, &sched_id) )
    {
        xl_err(x, "get_scheduler sysctl failed.\n");
        return;
    }
    if ( (v = calloc(1, sizeof(*v))) == NULL )
    {
        xl_err(x, "libxl_get_version_info failed.\n");
        return;
    }
    version = kc_xen_version(x->ops->kc, XENVER_version, NULL, 0);
    if ( version < 0 )
        version = 0;
    version_string(x, XENVER_extraversion, v->extra, sizeof(v->extra));
    if ( kc_xen_version(x->ops->kc, XENVER_compile_info, &v->cc,
                        sizeof(v->cc)) < 0 )
        memset(&v->cc, 0, sizeof(v->cc));
    v->cc.compiler[sizeof(v->cc.compiler) - 1] = '\0';
    v->cc.compile_by[sizeof(v->cc.compile_by) - 1] = '\0';
    v->cc.compile_domain[sizeof(v->cc.compile_domain) - 1] = '\0';
    v->cc.compile_date[sizeof(v->cc.compile_date) - 1] = '\0';
    version_string(x, XENVER_capabilities, v->caps, sizeof(v->caps));
    version_string(x, XENVER_changeset, v->changeset, sizeof(v->changeset));
    version_string(x, XENVER_commandline, v->cmdline, sizeof(v->cmdline));
    if ( kc_xen_version(x->ops->kc, XENVER_platform_parameters, &pp,
                        sizeof(pp)) < 0 )
        pp.virt_start = 0;
    pagesize = kc_xen_version(x->ops->kc, XENVER_pagesize, NULL, 0);
    bid = build_id(x, pagesize);
    sched = xl_sched_name(sched_id);

    info_line(x, f, "xen_major              : %d\n", (int)(version >> 16));
    info_line(x, f, "xen_minor              : %d\n", (int)(version & 0xff));
    info_line(x, f, "xen_extra              : %s\n", v->extra);
    info_line(x, f, "xen_version            : %d.%d%s\n", (int)(version >> 16),
              (int)(version & 0xff), v->extra);
    info_line(x, f, "xen_caps               : %s\n", v->caps);
    info_line(x, f, "xen_scheduler          : %s\n", sched ? sched : "(null)");
    info_line(x, f, "xen_pagesize           : %u\n", (unsigned int)pagesize);
    info_line(x, f, "platform_params        : virt_start=0x%llx\n",
              (unsigned long long)pp.virt_start);
    info_line(x, f, "xen_changeset          : %s\n", v->changeset);
    info_line(x, f, "xen_commandline        : %s\n", v->cmdline);
    info_line(x, f, "cc_compiler            : %s\n", v->cc.compiler);
    info_line(x, f, "cc_compile_by          : %s\n", v->cc.compile_by);
    info_line(x, f, "cc_compile_domain      : %s\n", v->cc.compile_domain);
    info_line(x, f, "cc_compile_date        : %s\n", v->cc.compile_date);
    info_line(x, f, "build_id               : %s\n", bid ? bid : "(null)");
    free(bid);
    free(v);
}

int xl_cmd_info(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("", NULL, "info", 0);
    const char *filter;
    int opt;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    filter = o.nr ? o.opnd[0] : NULL;

    info_node(x, filter);
    info_phys(x, filter);
    info_xen(x, filter);
    info_line(x, filter, "xend_config_format     : 4\n");
    return XL_EXIT_OK;
}

/* ---- xl dmesg ---------------------------------------------------------------- */

int xl_cmd_dmesg(struct xl_ctx *x, int argc, char **argv)
{
    static const struct xl_option longopts[] = {
        { "clear", false, 'c' },
        { NULL, false, 0 },
    };
    struct xl_opts o = XL_OPTS("c", longopts, "dmesg", 0);
    bool clear = false;
    uint32_t index = 0, len;
    unsigned int reads;
    char *buf;
    int opt, rc = 0;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        if ( opt == 'c' )
            clear = true;
    if ( opt < 0 )
        return o.status;

    if ( (buf = malloc(CONSOLE_CHUNK + 1)) == NULL )
    {
        xl_err(x, "xl: out of memory\n");
        return XL_EXIT_FAIL;
    }
    /* Incremental reads from the oldest byte until the ring is drained. */
    for ( reads = 0; reads < CONSOLE_READS; reads++ )
    {
        len = CONSOLE_CHUNK;
        rc = kc_readconsole(x->ops->kc, buf, &len, &index, true, clear);
        if ( rc || !len )
            break;
        if ( len > CONSOLE_CHUNK )
            len = CONSOLE_CHUNK;
        buf[len] = '\0';
        xl_out(x, "%s", buf);
    }
    free(buf);
    if ( rc )
    {
        xl_err(x, "libxl: error: reading console ring buffer: %s\n",
               xl_strerror(-rc));
        return XL_EXIT_FAIL;
    }
    return XL_EXIT_OK;
}

/* ---- xl domid / domname ------------------------------------------------------ */

int xl_cmd_domid(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("", NULL, "domid", 1);
    domid_t d;
    int opt;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    if ( xl_name_to_domid(x, o.opnd[0], &d) )
    {
        xl_err(x, "Can't get domid of domain name '%s', maybe this domain "
               "does not exist.\n", o.opnd[0]);
        return XL_EXIT_FAIL;
    }
    xl_out(x, "%u\n", d);
    return XL_EXIT_OK;
}

int xl_cmd_domname(struct xl_ctx *x, int argc, char **argv)
{
    struct xl_opts o = XL_OPTS("", NULL, "domname", 1);
    struct xen_domctl_getdomaininfo info;
    char buf[XL_NAME_MAX];
    const char *end, *name;
    long v;
    domid_t d;
    int opt;

    while ( (opt = xl_opt_next(x, &o, argc, argv)) > 0 )
        ;
    if ( opt < 0 )
        return o.status;
    v = xl_strtol(o.opnd[0], &end);
    if ( end == o.opnd[0] )
    {
        xl_err(x, "Invalid domain id.\n\n");
        return XL_EXIT_FAIL;
    }
    d = (domid_t)v;
    name = xl_domname(x, d, buf, sizeof(buf));
    if ( v < 0 || v >= DOMID_FIRST_RESERVED ||
         (name != buf && (d != 0 || xl_domain_info(x, d, &info))) )
    {
        xl_err(x, "Can't get domain name of domain id '%u', maybe this "
               "domain does not exist.\n", (unsigned int)v);
        return XL_EXIT_FAIL;
    }
    xl_out(x, "%s\n", name);
    return XL_EXIT_OK;
}
