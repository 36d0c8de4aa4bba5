/*
 * Console command-line options: which consoles to use (console=), the
 * serial ports' line settings (com1=, com2=), the input switch character
 * (conswitch=), log thresholds (loglvl=, guest_loglvl=), line time stamps
 * (console_timestamps) and the console ring size (conring_size=).
 *
 * Only parsing lives here; the drivers act on the opt_* variables later.
 * Each handler works on a local copy and stores it only when the whole
 * value is valid, so a rejected value leaves the previous setting intact.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/console_params.h>

#define SERIAL_DEFAULT(io, irq_) {                                          \
    .baud = SERIAL_BAUD_AUTO, .base_baud = SERIAL_BASE_BAUD,               \
    .data_bits = 8, .parity = 'n', .stop_bits = 1,                         \
    .io_base = (io), .irq = (irq_), .present = false }

static const struct serial_cfg serial_defaults[SERIAL_NR_PORTS] = {
    [SERIAL_COM1] = SERIAL_DEFAULT(0x3f8, 4),
    [SERIAL_COM2] = SERIAL_DEFAULT(0x2f8, 3),
};

#define LOGLVL_DEFAULT       { LOGLVL_WARNING, LOGLVL_WARNING }
#define GUEST_LOGLVL_DEFAULT { LOGLVL_NONE, LOGLVL_WARNING }

unsigned int opt_console = CONSOLE_DEFAULT;
struct serial_cfg opt_serial[SERIAL_NR_PORTS] = {
    [SERIAL_COM1] = SERIAL_DEFAULT(0x3f8, 4),
    [SERIAL_COM2] = SERIAL_DEFAULT(0x2f8, 3),
};
char opt_conswitch_char = 'a';
bool opt_conswitch_to_dom0 = true;
struct loglvl_cfg opt_loglvl = LOGLVL_DEFAULT;
struct loglvl_cfg opt_guest_loglvl = GUEST_LOGLVL_DEFAULT;
enum console_ts opt_console_timestamps = CONSOLE_TS_NONE;
unsigned long opt_conring_size = CONRING_SIZE_MIN;

void console_params_reset(void)
{
    static const struct loglvl_cfg loglvl = LOGLVL_DEFAULT;
    static const struct loglvl_cfg guest = GUEST_LOGLVL_DEFAULT;

    opt_console = CONSOLE_DEFAULT;
    memcpy(opt_serial, serial_defaults, sizeof(opt_serial));
    opt_conswitch_char = 'a';
    opt_conswitch_to_dom0 = true;
    opt_loglvl = loglvl;
    opt_guest_loglvl = guest;
    opt_console_timestamps = CONSOLE_TS_NONE;
    opt_conring_size = CONRING_SIZE_MIN;
}

/* Does [s, e) spell exactly `word`? */
static bool item_is(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);

    return (size_t)(e - s) == n && !strncmp(s, word, n);
}

/* End of the comma-separated item starting at s. */
static const char *item_end(const char *s)
{
    while ( *s != ',' && *s != '\0' )
        s++;
    return s;
}

/* ---- console= ------------------------------------------------------------ */

static int parse_console(const char *s)
{
    unsigned int mask = 0;
    bool none = false;
    const char *e;

    for ( ; ; s = e + 1 )
    {
        e = item_end(s);
        if ( item_is(s, e, "vga") )
            mask |= CONSOLE_VGA;
        else if ( item_is(s, e, "com1") )
            mask |= CONSOLE_COM1;
        else if ( item_is(s, e, "com2") )
            mask |= CONSOLE_COM2;
        else if ( item_is(s, e, "none") )
            none = true;
        else
            return -EINVAL;             /* includes empty items */
        if ( *e == '\0' )
            break;
    }

    if ( none && mask )
        return -EINVAL;                 /* "none" only makes sense alone */
    opt_console = mask;
    return 0;
}
custom_param("console", parse_console);

/* ---- com1= com2= ---------------------------------------------------------- */

/* An integer field, which must end exactly at e, within [lo, hi]. */
static int parse_field(const char *s, const char *e, unsigned long long lo,
                       unsigned long long hi, unsigned int *out)
{
    unsigned long long v;
    const char *end;
    int rc = parse_ull(s, &end, &v);

    if ( rc )
        return rc;
    if ( end != e )
        return -EINVAL;
    if ( v < lo || v > hi )
        return -ERANGE;
    *out = v;
    return 0;
}

/* DPS: data bits 5-8, parity n|o|e|m|s, stop bits 1-2, e.g. "8n1". */
static int parse_dps(const char *s, const char *e, struct serial_cfg *c)
{
    if ( e - s != 3 || s[0] < '5' || s[0] > '8' ||
         !strchr("noems", s[1]) || s[1] == '\0' ||
         (s[2] != '1' && s[2] != '2') )
        return -EINVAL;
    c->data_bits = s[0] - '0';
    c->parity = s[1];
    c->stop_bits = s[2] - '0';
    return 0;
}

/*
 * <baud|auto>[/<base-baud>][,DPS][,<io-base>][,<irq>], each field may be
 * left empty to keep its default, e.g. "9600,,0x2f8".
 */
static int parse_serial(unsigned int port, const char *s)
{
    struct serial_cfg c = serial_defaults[port];
    const char *e, *slash;
    unsigned int field;
    int rc = 0;

    if ( !*s )
        return -EINVAL;

    for ( field = 0; ; field++, s = e + 1 )
    {
        e = item_end(s);
        if ( field > 3 )
            rc = -EINVAL;               /* too many fields */
        else if ( s == e )
            rc = 0;                     /* empty: keep the default */
        else if ( field == 0 )
        {
            slash = s;
            while ( slash < e && *slash != '/' )
                slash++;
            if ( item_is(s, slash, "auto") )
                c.baud = SERIAL_BAUD_AUTO;
            else
                rc = parse_field(s, slash, 1, 0xffffffffU, &c.baud);
            if ( rc == 0 && slash < e )
                rc = parse_field(slash + 1, e, 1, 0xffffffffU, &c.base_baud);
            if ( rc == 0 && c.baud > c.base_baud )
                rc = -ERANGE;           /* the divisor would be zero */
        }
        else if ( field == 1 )
            rc = parse_dps(s, e, &c);
        else if ( field == 2 )
            rc = parse_field(s, e, 1, 0xffff, &c.io_base);
        else
            rc = parse_field(s, e, 0, 255, &c.irq);
        if ( rc )
            return rc;
        if ( *e == '\0' )
            break;
    }

    c.present = true;
    opt_serial[port] = c;
    return 0;
}

static int parse_com1(const char *s)
{
    return parse_serial(SERIAL_COM1, s);
}
custom_param("com1", parse_com1);

static int parse_com2(const char *s)
{
    return parse_serial(SERIAL_COM2, s);
}
custom_param("com2", parse_com2);

/* ---- conswitch= ---------------------------------------------------------- */

static int parse_conswitch(const char *s)
{
    if ( s[0] < 'a' || s[0] > 'z' ||
         (s[1] != '\0' && (s[1] != 'x' || s[2] != '\0')) )
        return -EINVAL;
    opt_conswitch_char = s[0];
    opt_conswitch_to_dom0 = (s[1] != 'x');
    return 0;
}
custom_param("conswitch", parse_conswitch);

/* ---- loglvl= guest_loglvl= ------------------------------------------------ */

static int loglvl_value(const char *s, const char *e, unsigned int *lvl)
{
    static const struct {
        const char *name;
        unsigned int lvl;
    } levels[] = {
        { "none", LOGLVL_NONE }, { "error", LOGLVL_ERROR },
        { "warning", LOGLVL_WARNING }, { "info", LOGLVL_INFO },
        { "debug", LOGLVL_DEBUG }, { "all", LOGLVL_ALL },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(levels); i++ )
        if ( item_is(s, e, levels[i].name) )
        {
            *lvl = levels[i].lvl;
            return 0;
        }
    return -EINVAL;
}

/*
 * <level>[/<rate-limited level>].  Without the second part the rate-limit
 * threshold is kept, but never left below the first (Xen's rule).
 */
static int parse_loglvl_into(const char *s, struct loglvl_cfg *cfg)
{
    struct loglvl_cfg c = *cfg;
    const char *slash = strchr(s, '/');
    const char *end = s + strlen(s);
    int rc;

    rc = loglvl_value(s, slash ? slash : end, &c.lower);
    if ( rc == 0 && slash )
        rc = loglvl_value(slash + 1, end, &c.upper);
    if ( rc )
        return rc;
    if ( c.upper < c.lower )
        c.upper = c.lower;
    *cfg = c;
    return 0;
}

static int parse_loglvl(const char *s)
{
    return parse_loglvl_into(s, &opt_loglvl);
}
custom_param("loglvl", parse_loglvl);

static int parse_guest_loglvl(const char *s)
{
    return parse_loglvl_into(s, &opt_guest_loglvl);
}
custom_param("guest_loglvl", parse_guest_loglvl);

/* ---- console_timestamps ------------------------------------------------- */

static int parse_console_timestamps(const char *s)
{
    static const struct {
        const char *name;
        enum console_ts mode;
    } modes[] = {
        { "", CONSOLE_TS_DATE },        /* bare name: the old boolean */
        { "none", CONSOLE_TS_NONE }, { "date", CONSOLE_TS_DATE },
        { "datems", CONSOLE_TS_DATEMS }, { "boot", CONSOLE_TS_BOOT },
        { "raw", CONSOLE_TS_RAW },
    };
    unsigned int i;
    int b = parse_bool(s, NULL);

    if ( b >= 0 )
    {
        opt_console_timestamps = b ? CONSOLE_TS_DATE : CONSOLE_TS_NONE;
        return 0;
    }
    for ( i = 0; i < ARRAY_SIZE(modes); i++ )
        if ( !strcmp(s, modes[i].name) )
        {
            opt_console_timestamps = modes[i].mode;
            return 0;
        }
    return -EINVAL;
}
custom_param("console_timestamps", parse_console_timestamps);

/* ---- conring_size= ------------------------------------------------------- */

static int parse_conring_size(const char *s)
{
    unsigned long long bytes;
    unsigned long size = CONRING_SIZE_MIN;
    const char *end;
    int rc = parse_size(s, &end, &bytes);

    if ( rc )
        return rc;
    if ( *end )
        return -EINVAL;
    if ( bytes > CONRING_SIZE_MAX )
        return -ERANGE;
    while ( size < bytes )
        size <<= 1;                     /* round up to a power of two */
    opt_conring_size = size;
    return 0;
}
custom_param("conring_size", parse_conring_size);
