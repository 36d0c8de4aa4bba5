/*
 * demo: a small PV domU for keel-ctrl (tools/ctrldom/etc/demo-*.cfg).
 * Its command line picks the role:
 *
 *   echo                          print a banner, then echo every line
 *                                 typed on the console ("demo: echo: ...")
 *   ping name=A peer=B [opts]     find the domain calling itself B through
 *   pong name=B peer=A [opts]     xenstore, connect to it (ping allocates
 *                                 the event channel, pong binds it), map
 *                                 each other's granted page, exchange
 *                                 events; one result line (pair.c)
 *
 *   opts: maxdom=N  look for the peer among domains 1..N-1 (default 64)
 *         events=N  round trips (default 10000)
 *
 * Every role then stays up answering shutdown requests (control/shutdown,
 * the PV control protocol of the runtime).  Output goes to the PV console
 * ring; the console backend logs it as "(dN) line".
 */
#include "demo.h"

const char test_name[] = "demo";

struct demo demo;

#define LINE_MAX    128

/* ---- waiting and the service loop ---------------------------------------- */

void demo_wait(uint64_t deadline)
{
    evtchn_port_t ports[2] = { pv_xencons_port(), pv_xs_port() };
    unsigned int n = ports[1] ? 2 : 1;

    pv_poll(ports, n, deadline);
    pv_evtchn_clear_pending(ports[0]);
    if ( ports[1] )
        pv_evtchn_clear_pending(ports[1]);
}

struct line_editor {
    char buf[LINE_MAX + 1];
    size_t len;
    bool after_cr;
};

/*
 * Input as a terminal line discipline would take it: characters are
 * echoed as typed (xl console puts the terminal in raw mode), backspace
 * erases, CR, LF or CR LF ends the line, other control bytes are
 * dropped; a line that outgrows the buffer is cut there.
 */
static void echo_input(struct line_editor *l, const char *in, size_t n)
{
    size_t i;

    for ( i = 0; i < n; i++ )
    {
        char c = in[i];

        if ( c == '\n' && l->after_cr )
        {
            l->after_cr = false;
            continue;
        }
        l->after_cr = c == '\r';
        if ( c == '\r' || c == '\n' || l->len == LINE_MAX )
        {
            l->buf[l->len] = '\0';
            printf("\ndemo: echo: %s\n", l->buf);
            l->len = 0;
            if ( c == '\r' || c == '\n' )
                continue;
        }
        if ( c == 0x7f || c == '\b' )
        {
            if ( l->len )
            {
                l->len--;
                pv_console_write("\b \b", 3);
            }
        }
        else if ( c >= 0x20 && c < 0x7f )
        {
            l->buf[l->len++] = c;
            pv_console_write(&c, 1);
        }
    }
}

void demo_serve(bool echo)
{
    struct line_editor l = { .len = 0 };
    char in[64];

    for ( ; ; )
    {
        bool busy = false;
        size_t n;

        if ( (n = pv_xencons_read(in, sizeof(in))) != 0 )
        {
            busy = true;
            if ( echo )
                echo_input(&l, in, n);
        }
        if ( demo.xs && pv_control_service(demo.xs, NULL) )
            busy = true;
        if ( !busy )
            demo_wait(pv_now() + PV_MS(1000));
    }
}

/* ---- the command line ---------------------------------------------------- */

static bool parse_uint(const char *s, unsigned long min, unsigned long max,
                       unsigned long *out)
{
    unsigned long v = 0;

    if ( !*s )
        return false;
    for ( ; *s; s++ )
    {
        unsigned long d = (unsigned long)(*s - '0');

        if ( *s < '0' || *s > '9' || d > max || v > (max - d) / 10 )
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return v >= min && v <= max;
}

/* Names: letters, digits, '-' and '_', 1 to DEMO_NAME_MAX of them. */
static bool parse_name(const char *s, char *out)
{
    size_t n = strlen(s), i;

    if ( !n || n > DEMO_NAME_MAX )
        return false;
    for ( i = 0; i < n; i++ )
        if ( !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
               (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_') )
            return false;
    memcpy(out, s, n + 1);
    return true;
}

enum role { ROLE_BAD, ROLE_ECHO, ROLE_PAIR };

/* Split cmd (modified) into words; the role and the pair's options. */
static enum role parse_cmdline(char *cmd, struct pair_args *a)
{
    enum role role = ROLE_BAD;
    char *w = cmd, *next;
    bool first = true;
    unsigned long v;

    a->maxdom = DEMO_MAXDOM_DEFAULT;
    a->events = DEMO_EVENTS_DEFAULT;
    for ( ; *w; w = next )
    {
        while ( *w == ' ' )
            w++;
        if ( !*w )
            break;
        for ( next = w; *next && *next != ' '; next++ )
            ;
        if ( *next )
            *next++ = '\0';
        if ( first )
        {
            first = false;
            if ( !strcmp(w, "echo") )
                role = ROLE_ECHO;
            else if ( !strcmp(w, "ping") || !strcmp(w, "pong") )
            {
                role = ROLE_PAIR;
                a->initiator = w[1] == 'i';
            }
            else
            {
                printf("demo: unknown role \"%s\"\n", w);
                return ROLE_BAD;
            }
        }
        else if ( !strncmp(w, "name=", 5) && parse_name(w + 5, a->name) )
            ;
        else if ( !strncmp(w, "peer=", 5) && parse_name(w + 5, a->peer) )
            ;
        else if ( !strncmp(w, "maxdom=", 7) &&
                  parse_uint(w + 7, 2, DOMID_FIRST_RESERVED, &v) )
            a->maxdom = (unsigned int)v;
        else if ( !strncmp(w, "events=", 7) &&
                  parse_uint(w + 7, 1, 100000000, &v) )
            a->events = v;
        else
        {
            printf("demo: bad argument \"%s\"\n", w);
            return ROLE_BAD;
        }
    }
    if ( role == ROLE_PAIR && (!a->name[0] || !a->peer[0] ||
                               !strcmp(a->name, a->peer)) )
    {
        printf("demo: ping and pong need name= and peer= (two different "
               "names)\n");
        return ROLE_BAD;
    }
    return role;
}

/* ---- start of day -------------------------------------------------------- */

static bool connect_store(void)
{
    int rc;

    if ( (demo.xs = pv_xs_open()) == NULL )
    {
        printf("demo: no xenstore ring in start_info\n");
        return false;
    }
    if ( (rc = pv_xs_domid(demo.xs, &demo.self)) != 0 ||
         (rc = pv_xs_home(demo.xs, demo.home, sizeof(demo.home))) != 0 )
    {
        printf("demo: xenstore: cannot read our domid/home: %d (%s)\n", rc,
               pv_errno_name(rc));
        return false;
    }
    if ( (rc = pv_control_init(demo.xs)) != 0 )
        printf("demo: xenstore: control/ keys and watch: %d (%s); shutdown "
               "requests will not be seen\n", rc, pv_errno_name(rc));
    return true;
}

void test_main(void)
{
    static const char usage[] =
        "demo: usage: echo | ping name=A peer=B | pong name=B peer=A "
        "[maxdom=N] [events=N]\n";
    char cmd[sizeof(pv_start_info->cmd_line) + 1];
    struct pair_args a = { .initiator = false };
    enum role role;

    memcpy(cmd, pv_start_info->cmd_line, sizeof(pv_start_info->cmd_line));
    cmd[sizeof(cmd) - 1] = '\0';
    if ( !pv_xencons_active() )
    {
        printf("demo: this is a domU kernel (the control domain starts it "
               "from tools/ctrldom/etc/demo-*.cfg)\n");
        test_abort("started as the initial domain");
    }
    role = parse_cmdline(cmd, &a);
    if ( !connect_store() )
    {
        demo.xs = NULL;
        demo_serve(role == ROLE_ECHO);
    }

    switch ( role )
    {
    case ROLE_ECHO:
        printf("demo: echo, domain %u: type a line, it comes back\n",
               demo.self);
        demo_serve(true);
    case ROLE_PAIR:
        printf("demo: %s %s, domain %u, peer %s\n",
               a.initiator ? "ping" : "pong", a.name, demo.self, a.peer);
        demo_pair(&a);
        demo_serve(false);
    default:
        printf("%s", usage);
        demo_serve(false);
    }
}
