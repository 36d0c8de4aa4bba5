/*
 * keel-ctrl: start of day and the prompt.
 *
 * At start: event channels, xenstored (in this kernel, with a local
 * connection for the toolstack), the toolstack, then the domains listed
 * in the initrd's etc/keel/autostart (one config path per line, '#'
 * comments).  Then the prompt: `xl <command> ...` (or the command alone),
 * `help`, and `poweroff`, which ends dom0 and with it the machine.
 *
 * Words are split at blanks; single or double quotes keep blanks in a
 * word.  Output of xl goes to this console.
 */
#include "ctrldom.h"
#include <toolstack.h>
#include <xenstored.h>
#include <xl.h>
#include <public/grant_table.h>

const char test_name[] = "keel-ctrl";

#define MAX_ARGS    32
#define LINE_MAX    512
#define PROMPT      "keel-ctrl# "

/* ---- xl's services ------------------------------------------------------ */

static void xl_out(void *priv, const char *s)
{
    printf("%s", s);
}

static int xl_name_of(void *priv, domid_t d, char *buf, size_t len)
{
    return ts_name_of(ctrl_ts, d, buf, len);
}

static int xl_find(void *priv, const char *arg, domid_t *d)
{
    return ts_find(ctrl_ts, arg, d);
}

static int xl_create(void *priv, const char *path, int nr, char **over,
                     unsigned int flags, domid_t *d)
{
    return ts_create(ctrl_ts, path, nr, over,
                     (flags & XL_CREATE_PAUSED ? TS_CREATE_PAUSED : 0) |
                     (flags & XL_CREATE_QUIET ? TS_CREATE_QUIET : 0), d);
}

static int xl_console(void *priv, domid_t d)
{
    return ts_console(ctrl_ts, d);
}

static int xl_shutdown(void *priv, domid_t d, unsigned int reason, bool wait)
{
    return ts_shutdown(ctrl_ts, d, reason, wait);
}

static int xl_destroy(void *priv, domid_t d)
{
    return ts_destroy(ctrl_ts, d);
}

static int xl_mem_set(void *priv, domid_t d, uint64_t kb)
{
    return ts_mem_set(ctrl_ts, d, kb);
}

static struct xl_ops xl_services = {
    .out = xl_out,
    .err = xl_out,
    .name_of = xl_name_of,
    .find = xl_find,
    .create = xl_create,
    .console = xl_console,
    .shutdown = xl_shutdown,
    .destroy = xl_destroy,
    .mem_set = xl_mem_set,
    .host = "keel-ctrl",
    .release = "1.0",
    .version = "keel-ctrl PV control domain",
    .machine = "x86_64",
};

/* ---- words and commands ------------------------------------------------ */

static void show_stat(void);

static int split(char *line, char **argv)
{
    int argc = 0;
    char *r = line, *w = line;

    while ( argc < MAX_ARGS )
    {
        char quote = 0;

        while ( *r == ' ' || *r == '\t' )
            r++;
        if ( !*r )
            break;
        argv[argc++] = w;
        for ( ; *r && (quote || (*r != ' ' && *r != '\t')); r++ )
        {
            if ( !quote && (*r == '\'' || *r == '"') )
                quote = *r;
            else if ( quote && *r == quote )
                quote = 0;
            else
                *w++ = *r;
        }
        if ( *r )
            r++;
        *w++ = '\0';
    }
    return argc;
}

static void run_line(char *line)
{
    char *argv[MAX_ARGS + 2] = { "xl" };
    int argc = split(line, argv + 1);
    char **args = argv + 1;

    if ( !argc )
        return;
    if ( !strcmp(args[0], "help") )
    {
        printf("Commands: xl <subcommand> [args] (or the subcommand "
               "alone; 'xl help' lists them), stat, poweroff.\n"
               "Ctrl-A three times switches serial input between Keel "
               "and this prompt.\n");
        return;
    }
    if ( !strcmp(args[0], "stat") )
    {
        show_stat();
        return;
    }
    if ( !strcmp(args[0], "poweroff") )
    {
        printf("keel-ctrl: powering off\n");
        pv_shutdown(SHUTDOWN_poweroff);
    }
    if ( strcmp(args[0], "xl") )
    {
        args = argv;                    /* the subcommand alone */
        argc++;
    }
    xl_main(&xl_services, argc, args);
}

/*
 * `stat`: what creating and destroying domains must leave unchanged, on
 * one line for scripts: domains the toolstack runs, xenstore nodes (those
 * of dead domains are dom0's until the toolstack removes them), this
 * domain's event channels in use and grant-table frames, free memory.
 */
static void show_stat(void)
{
    struct xen_sysctl_physinfo pi;
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    unsigned int port, ports = 0;

    for ( port = 1; port < PV_EVT_NR_PORTS; port++ )
    {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

        if ( HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) )
            break;                      /* past the ports we have */
        if ( st.status != EVTCHNSTAT_closed )
            ports++;
    }
    if ( kc_physinfo(xl_services.kc, &pi) )
        pi.free_pages = 0;
    if ( pv_hypercall(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
                      (unsigned long)&qs, 1, 0, 0) || qs.status )
        qs.nr_frames = 0;
    printf("stat: domains %u xenstore-nodes %u evtchn-ports %u "
           "grant-frames %u free-kb %lu\n", ts_nr_domains(ctrl_ts),
           xsd_domain_nodes(ctrl_xsd, 0), ports, qs.nr_frames,
           (unsigned long)pi.free_pages * 4);

}

static void autostart(void)
{
    const void *data;
    char path[256];
    size_t len, i = 0;
    domid_t d;

    if ( ctrl_read_file("etc/keel/autostart", &data, &len) )
        return;
    while ( i < len )
    {
        const char *s = (const char *)data + i;
        size_t n = 0;

        while ( i + n < len && s[n] != '\n' )
            n++;
        i += n + 1;
        while ( n && (s[n - 1] == ' ' || s[n - 1] == '\r') )
            n--;
        if ( !n || s[0] == '#' || n >= sizeof(path) )
            continue;
        memcpy(path, s, n);
        path[n] = '\0';
        printf("keel-ctrl: autostart %s\n", path);
        if ( ts_create(ctrl_ts, path, 0, NULL, 0, &d) == 0 )
            printf("keel-ctrl: %s is domain %u\n", path, d);
    }
}

void test_main(void)
{
    struct ts_platform p;
    char line[LINE_MAX];

    ctrl_platform_init();
    p = ctrl_ts_platform;
    p.xs = ctrl_xs;
    if ( (ctrl_ts = ts_init(&p)) == NULL )
        test_abort("cannot start the toolstack");
    xl_services.kc = p.kc;
    printf("keel-ctrl: xenstored, console backend and toolstack running\n");
    autostart();
    printf("keel-ctrl: ready; type 'help' (Ctrl-A three times switches "
           "input between Keel and this prompt)\n");
    for ( ; ; )
    {
        ctrl_readline(PROMPT, line, sizeof(line));
        run_line(line);
        ctrl_service();
    }
}
