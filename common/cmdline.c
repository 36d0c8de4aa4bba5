/*
 * The hypervisor command line: what the boot loader passed, split into our
 * own options and dom0's extra arguments, and the generic engine that
 * applies our options to the `struct kernel_param`s registered with the
 * macros in <keel/param.h>.
 *
 * Owns the two saved copies (hv_cmdline, dom0_extra) and the shared value
 * parsers (parse_bool, parse_boolean, parse_ull, parse_size).  Invariants:
 * the saved copies are always NUL-terminated and never hold part of a word
 * (a line too long for its buffer loses whole words at its end), and a
 * rejected word never changes an option variable: the generic types check
 * the whole value before storing, and custom handlers promise the same.
 *
 * Boot-time only, on the boot CPU, before anyone reads the options: no
 * locks, and the word buffer below is static rather than on the stack.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>

static char hv_cmdline[CMDLINE_MAX];
static char dom0_extra[CMDLINE_MAX];

/* One word of the line being parsed, split in place into key and value. */
static char opt_word[CMDLINE_MAX];

/* ---- value parsers -------------------------------------------------------- */

int parse_bool(const char *s, const char *e)
{
    static const struct {
        const char *word;
        int val;
    } spellings[] = {
        { "1", 1 }, { "yes", 1 }, { "on", 1 }, { "true", 1 }, { "enable", 1 },
        { "0", 0 }, { "no", 0 }, { "off", 0 }, { "false", 0 }, { "disable", 0 },
    };
    size_t len = e ? (size_t)(e - s) : strlen(s);
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(spellings); i++ )
        if ( strlen(spellings[i].word) == len &&
             !strncmp(spellings[i].word, s, len) )
            return spellings[i].val;

    return -1;
}

int parse_boolean(const char *name, const char *s, const char *e)
{
    size_t nlen = strlen(name), slen;
    bool negated = !strncmp(s, "no-", 3);

    if ( negated )
        s += 3;
    if ( e && e < s )
        return -1;                      /* "no-" runs past e */
    slen = e ? (size_t)(e - s) : strlen(s);

    if ( slen < nlen || strncmp(s, name, nlen) )
        return -1;
    if ( slen == nlen )
        return !negated;
    if ( s[nlen] != '=' || negated )    /* "no-name=..." is not a boolean */
        return -1;

    return parse_bool(s + nlen + 1, e);
}

static int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return 99;                          /* not a digit in any base */
}

int parse_ull(const char *s, const char **end, unsigned long long *val)
{
    unsigned int base = 10;
    unsigned long long v = 0;
    const char *p = s;
    bool overflow = false;
    int d;

    if ( p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
         digit_value(p[2]) < 16 )
    {
        base = 16;
        p += 2;
    }
    else if ( p[0] == '0' )
        base = 8;                       /* "0" alone is octal zero */

    if ( digit_value(*p) >= (int)base )
    {
        *end = s;
        return -EINVAL;
    }

    for ( ; (d = digit_value(*p)) < (int)base; p++ )
    {
        if ( v > (~0ULL - d) / base )
            overflow = true;
        v = v * base + d;
    }

    *end = p;
    if ( overflow )
        return -EOVERFLOW;
    *val = v;
    return 0;
}

int parse_size(const char *s, const char **end, unsigned long long *bytes)
{
    unsigned long long v;
    unsigned int shift;
    int rc = parse_ull(s, end, &v);

    if ( rc )
        return rc;

    switch ( **end )
    {
    case 'T': case 't': shift = 40; (*end)++; break;
    case 'G': case 'g': shift = 30; (*end)++; break;
    case 'M': case 'm': shift = 20; (*end)++; break;
    case 'K': case 'k': shift = 10; (*end)++; break;
    case 'B': case 'b': shift = 0;  (*end)++; break;
    default:            shift = 10;           break;   /* KiB */
    }

    if ( v > (~0ULL >> shift) )
        return -EOVERFLOW;
    *bytes = v << shift;
    return 0;
}

unsigned long long parse_size_and_unit(const char *s, const char **ps)
{
    unsigned long long bytes = 0;
    const char *end;

    if ( parse_size(s, &end, &bytes) )
    {
        bytes = 0;
        end = s;
    }
    if ( ps )
        *ps = end;
    return bytes;
}

/* ---- the generic option types -------------------------------------------- */

/* Store v in a variable of `len` bytes, refusing values that do not fit. */
static int assign_integer(const struct kernel_param *p, unsigned long long v,
                          bool negative)
{
    unsigned int bits = p->len * 8;

    if ( p->is_signed )
    {
        /* Magnitude limits: 2^(bits-1) - 1 up, 2^(bits-1) down. */
        unsigned long long lim = 1ULL << (bits - 1);

        if ( negative ? v > lim : v >= lim )
            return -EOVERFLOW;
        if ( negative )
            v = -v;                     /* two's complement of the magnitude */
    }
    else if ( negative || (bits < 64 && (v >> bits)) )
        return -EOVERFLOW;

    switch ( p->len )
    {
    case 1: *(uint8_t *)p->par.var = (uint8_t)v; break;
    case 2: *(uint16_t *)p->par.var = (uint16_t)v; break;
    case 4: *(uint32_t *)p->par.var = (uint32_t)v; break;
    case 8: *(uint64_t *)p->par.var = v; break;
    default: return -EINVAL;            /* excluded by the macros */
    }
    return 0;
}

static int set_integer(const struct kernel_param *p, const char *val)
{
    bool negative = p->is_signed && *val == '-';
    unsigned long long v;
    const char *end;
    int rc;

    rc = parse_ull(val + negative, &end, &v);
    if ( rc == 0 && *end )
        rc = -EINVAL;                   /* trailing garbage */
    return rc ? rc : assign_integer(p, v, negative);
}

static int set_size(const struct kernel_param *p, const char *val)
{
    unsigned long long v;
    const char *end;
    int rc;

    rc = parse_size(val, &end, &v);
    if ( rc == 0 && *end )
        rc = -EINVAL;
    return rc ? rc : assign_integer(p, v, false);
}

static int set_string(const struct kernel_param *p, const char *val)
{
    size_t n = strlen(val);

    if ( n == 0 )
        return -EINVAL;
    if ( n >= p->len )
        return -E2BIG;                  /* never store a truncated value */
    memcpy(p->par.var, val, n + 1);
    return 0;
}

/*
 * Apply one option.  `has_value` says whether the word had an '=';
 * `negated` that it was written no-<name>.  Returns 0 or -errno.
 */
static int apply_param(const struct kernel_param *p, const char *val,
                       bool has_value, bool negated)
{
    int b;

    switch ( p->type )
    {
    case PARAM_BOOL:
        if ( !has_value )
            return assign_integer(p, !negated, false);
        if ( negated || (b = parse_bool(val, NULL)) < 0 )
            return -EINVAL;
        return assign_integer(p, b, false);

    case PARAM_CUSTOM:
        if ( negated )
            return has_value ? -EINVAL : p->par.fn("no");
        return p->par.fn(val);

    case PARAM_INT:
    case PARAM_SIZE:
    case PARAM_STR:
        if ( negated || !has_value || !*val )
            return -EINVAL;
        if ( p->type == PARAM_INT )
            return set_integer(p, val);
        if ( p->type == PARAM_SIZE )
            return set_size(p, val);
        return set_string(p, val);
    }

    return -EINVAL;
}

/*
 * Apply `key[=val]` to every option registered under that name (normally
 * one).  Returns false when no option has the name.
 */
static bool apply_word(const char *key, const char *val, bool has_value)
{
    const struct kernel_param *p;
    const char *name = key;
    bool negated = false, found = false;
    int rc = 0;

    for ( p = __start_keel_params; p < __stop_keel_params; p++ )
        if ( !strcmp(p->name, key) )
            found = true;

    /* Only when no option is literally called "no-...". */
    if ( !found && !strncmp(key, "no-", 3) )
    {
        name = key + 3;
        negated = true;
    }

    found = false;
    for ( p = __start_keel_params; p < __stop_keel_params; p++ )
    {
        int rctmp;

        if ( strcmp(p->name, name) )
            continue;
        found = true;
        rctmp = apply_param(p, val, has_value, negated);
        if ( rc == 0 )
            rc = rctmp;
    }

    if ( found && rc )
        printk(KLOG_WARNING "parameter \"%s\" has invalid value \"%s\", rc=%d!\n",
               key, val, rc);
    return found;
}

void cmdline_parse(const char *opts)
{
    const char *p = opts ? opts : "";

    for ( ; ; )
    {
        const char *start;
        size_t len;
        char *eq;

        while ( *p == ' ' )
            p++;
        if ( *p == '\0' )
            break;

        start = p;
        while ( *p != ' ' && *p != '\0' )
            p++;
        len = p - start;

        if ( len == 11 && !strncmp(start, "placeholder", 11) )
            continue;                   /* inserted by some GRUB scripts */

        if ( len >= sizeof(opt_word) )
        {
            /* Cannot come from cmdline_hypervisor(), which is shorter. */
            printk(KLOG_WARNING "parameter \"%.32s...\" is too long, rc=%d!\n",
                   start, -E2BIG);
            continue;
        }
        memcpy(opt_word, start, len);
        opt_word[len] = '\0';

        eq = strchr(opt_word, '=');
        if ( eq )
            *eq = '\0';
        if ( !apply_word(opt_word, eq ? eq + 1 : "", eq != NULL) )
            printk(KLOG_WARNING "parameter \"%s\" unknown!\n", opt_word);
    }
}

/* ---- the loader's line ---------------------------------------------------- */

const char *cmdline_skip_image_name(const char *s)
{
    if ( !s )
        return "";
    while ( *s == ' ' )
        s++;
    while ( *s != ' ' && *s != '\0' )
        s++;
    while ( *s == ' ' )
        s++;
    return s;
}

const char *cmdline_cook(const char *s, enum boot_loader loader)
{
    if ( !s )
        return "";
    if ( loader != LOADER_GRUB2 )
        return cmdline_skip_image_name(s);
    while ( *s == ' ' )
        s++;
    return s;
}

/*
 * Copy [s, s + len) less trailing spaces into buf.  When it does not fit,
 * keep only the words that fit whole, and say so: a cut word could turn
 * `dom0_mem=1024M` into a valid but very different `dom0_mem=10`.
 */
static void save_part(char *buf, const char *s, size_t len, const char *what)
{
    size_t n;

    while ( len && s[len - 1] == ' ' )
        len--;

    n = len;
    if ( n >= CMDLINE_MAX )
    {
        n = CMDLINE_MAX - 1;
        while ( n && s[n] != ' ' )      /* s[n] exists: n < len */
            n--;
        while ( n && s[n - 1] == ' ' )
            n--;
        printk(KLOG_WARNING "%s command line longer than %u characters: "
               "ignoring \"%.24s...\"\n", what, CMDLINE_MAX - 1,
               s + n + (s[n] == ' '));
    }

    memcpy(buf, s, n);
    buf[n] = '\0';
}

void cmdline_init(const char *raw, enum boot_loader loader)
{
    const char *s = cmdline_cook(raw, loader);
    const char *w = s, *hv_end = NULL, *extra = "";

    /* Find the first word that is exactly "--". */
    while ( *w )
    {
        const char *we = w;

        while ( *we != ' ' && *we != '\0' )
            we++;
        if ( we - w == 2 && w[0] == '-' && w[1] == '-' )
        {
            hv_end = w;
            extra = we;
            while ( *extra == ' ' )
                extra++;
            break;
        }
        w = we;
        while ( *w == ' ' )
            w++;
    }
    if ( !hv_end )
        hv_end = s + strlen(s);

    save_part(hv_cmdline, s, hv_end - s, "hypervisor");
    save_part(dom0_extra, extra, strlen(extra), "dom0");
}

const char *cmdline_hypervisor(void)
{
    return hv_cmdline;
}

const char *cmdline_dom0_extra(void)
{
    return dom0_extra;
}
