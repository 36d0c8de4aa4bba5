/*
 * Host tests for the command-line engine (common/cmdline.c) and the
 * console, misc and dom0_max_vcpus options, linked unmodified.  The test
 * registers its own options of every generic type in the same
 * "keel_params" section, so the grammar is tested apart from any real
 * option.  Every case starts from reset(): all options back to defaults
 * and the captured printk output emptied.
 */
#include "harness.h"
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/console_params.h>
#include <keel/misc_params.h>
#include <keel/dom0_params.h>

/* ---- test-only options, one per generic type ------------------------------ */

static bool t_bool;
boolean_param("t_bool", t_bool);
static int t_ibool;
boolean_param("t_ibool", t_ibool);
static unsigned int t_uint;
integer_param("t_uint", t_uint);
static int t_int;
integer_param("t_int", t_int);
static unsigned long t_ulong;
integer_param("t_ulong", t_ulong);
static uint8_t t_u8;
integer_param("t_u8", t_u8);
static unsigned long long t_size;
size_param("t_size", t_size);
static unsigned int t_size32;
size_param("t_size32", t_size32);
static char t_str[8];
string_param("t_str", t_str);
static bool t_literal;
boolean_param("no-literal", t_literal);
static unsigned int t_dup1, t_dup2;
integer_param("t_dup", t_dup1);
integer_param("t_dup", t_dup2);

static int custom_calls, custom_rc;
static char custom_val[64];

static int t_custom_fn(const char *val)
{
    custom_calls++;
    snprintf(custom_val, sizeof(custom_val), "%s", val);
    return custom_rc;
}
custom_param("t_custom", t_custom_fn);

static void reset(void)
{
    t_bool = false;
    t_ibool = 0;
    t_uint = 0;
    t_int = 0;
    t_ulong = 0;
    t_u8 = 0;
    t_size = 0;
    t_size32 = 0;
    strcpy(t_str, "init");
    t_literal = false;
    t_dup1 = t_dup2 = 0;
    custom_calls = 0;
    custom_rc = 0;
    custom_val[0] = '\0';
    console_params_reset();
    misc_params_reset();
    dom0_params_reset();
    stub_printk_reset();
}

/* Parse `line` from a clean state. */
static void parse(const char *line)
{
    reset();
    cmdline_parse(line);
}

static char expect_buf[512];

static const char *invalid_msg(const char *key, const char *val, int rc)
{
    snprintf(expect_buf, sizeof(expect_buf),
             KLOG_WARNING "parameter \"%s\" has invalid value \"%s\", rc=%d!\n",
             key, val, rc);
    return expect_buf;
}

static const char *unknown_msg(const char *key)
{
    snprintf(expect_buf, sizeof(expect_buf),
             KLOG_WARNING "parameter \"%s\" unknown!\n", key);
    return expect_buf;
}

/* `key=val` must be rejected with rc, with exactly the standard warning. */
#define CHECK_INVALID(key, val, rc) do {                                    \
    parse(key "=" val);                                                     \
    CHECK_STR(stub_printk_buf, invalid_msg(key, val, rc));                  \
} while ( 0 )

#define CHECK_QUIET() CHECK_STR(stub_printk_buf, "")

/* ---- booleans -------------------------------------------------------------- */

TEST(bool_bare_name)
{
    parse("t_bool");
    CHECK_EQ(t_bool, 1);
    CHECK_QUIET();
}

TEST(bool_true_spellings)
{
    static const char *const words[] = { "yes", "on", "true", "enable", "1" };
    char line[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(words); i++ )
    {
        snprintf(line, sizeof(line), "t_bool=%s t_ibool=%s", words[i], words[i]);
        parse(line);
        CHECK_EQ(t_bool, 1);
        CHECK_EQ(t_ibool, 1);
        CHECK_QUIET();
    }
}

TEST(bool_false_spellings)
{
    static const char *const words[] = { "no", "off", "false", "disable", "0" };
    char line[64];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(words); i++ )
    {
        snprintf(line, sizeof(line), "t_bool t_bool=%s", words[i]);
        parse(line);
        CHECK_EQ(t_bool, 0);
        CHECK_QUIET();
    }
}

TEST(bool_no_prefix)
{
    parse("t_bool no-t_bool");
    CHECK_EQ(t_bool, 0);
    CHECK_QUIET();
    parse("no-t_bool t_bool");
    CHECK_EQ(t_bool, 1);
}

TEST(bool_no_prefix_with_value_is_invalid)
{
    parse("t_bool no-t_bool=1");
    CHECK_EQ(t_bool, 1);
    CHECK_STR(stub_printk_buf, invalid_msg("no-t_bool", "1", -EINVAL));
    parse("t_bool no-t_bool=off");
    CHECK_EQ(t_bool, 1);
    CHECK_STR(stub_printk_buf, invalid_msg("no-t_bool", "off", -EINVAL));
}

TEST(bool_invalid_values)
{
    CHECK_INVALID("t_bool", "maybe", -EINVAL);
    CHECK_EQ(t_bool, 0);
    CHECK_INVALID("t_bool", "", -EINVAL);
    CHECK_INVALID("t_bool", "Yes", -EINVAL);
    CHECK_INVALID("t_bool", "2", -EINVAL);
    CHECK_INVALID("t_bool", "onn", -EINVAL);
}

TEST(literal_no_dash_name)
{
    /* An option really named "no-literal" is set, not negated. */
    parse("no-literal");
    CHECK_EQ(t_literal, 1);
    CHECK_QUIET();
}

/* ---- integers -------------------------------------------------------------- */

TEST(int_bases)
{
    static const struct { const char *line; unsigned int val; } cases[] = {
        { "t_uint=42", 42 }, { "t_uint=0x2a", 42 }, { "t_uint=0X2A", 42 },
        { "t_uint=052", 42 }, { "t_uint=0", 0 }, { "t_uint=00", 0 },
        { "t_uint=0xffffffff", 0xffffffffU }, { "t_uint=4294967295", 0xffffffffU },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        parse(cases[i].line);
        CHECK_EQ(t_uint, cases[i].val);
        CHECK_QUIET();
    }
}

TEST(int_malformed)
{
    CHECK_INVALID("t_uint", "", -EINVAL);
    CHECK_INVALID("t_uint", "12abc", -EINVAL);
    CHECK_INVALID("t_uint", "0x", -EINVAL);
    CHECK_INVALID("t_uint", "08", -EINVAL);
    CHECK_INVALID("t_uint", "-1", -EINVAL);
    CHECK_INVALID("t_uint", "+1", -EINVAL);
    CHECK_INVALID("t_uint", "abc", -EINVAL);
    CHECK_INVALID("t_uint", "1.5", -EINVAL);
    CHECK_EQ(t_uint, 0);

    parse("t_uint");
    CHECK_STR(stub_printk_buf, invalid_msg("t_uint", "", -EINVAL));
    parse("no-t_uint");
    CHECK_STR(stub_printk_buf, invalid_msg("no-t_uint", "", -EINVAL));
}

TEST(int_overflow)
{
    CHECK_INVALID("t_uint", "4294967296", -EOVERFLOW);
    CHECK_INVALID("t_uint", "0x100000000", -EOVERFLOW);
    CHECK_EQ(t_uint, 0);
    CHECK_INVALID("t_u8", "256", -EOVERFLOW);
    CHECK_INVALID("t_ulong", "18446744073709551616", -EOVERFLOW);
    CHECK_INVALID("t_ulong", "0x10000000000000000", -EOVERFLOW);
    CHECK_INVALID("t_ulong", "99999999999999999999999999", -EOVERFLOW);
    CHECK_EQ(t_ulong, 0);

    parse("t_u8=255 t_ulong=18446744073709551615");
    CHECK_EQ(t_u8, 255);
    CHECK(t_ulong == ~0UL);
    CHECK_QUIET();
}

TEST(int_signed)
{
    parse("t_int=-5");
    CHECK_EQ(t_int, -5);
    parse("t_int=-0x10");
    CHECK_EQ(t_int, -16);
    parse("t_int=2147483647");
    CHECK_EQ(t_int, 2147483647);
    parse("t_int=-2147483648");
    CHECK_EQ(t_int, -2147483647 - 1);
    CHECK_QUIET();
    CHECK_INVALID("t_int", "2147483648", -EOVERFLOW);
    CHECK_INVALID("t_int", "-2147483649", -EOVERFLOW);
    CHECK_INVALID("t_int", "--1", -EINVAL);
    CHECK_INVALID("t_int", "-", -EINVAL);
    CHECK_EQ(t_int, 0);
}

/* ---- sizes ---------------------------------------------------------------- */

TEST(size_suffixes)
{
    static const struct { const char *line; unsigned long long val; } cases[] = {
        { "t_size=3T", 3ULL << 40 }, { "t_size=3t", 3ULL << 40 },
        { "t_size=5G", 5ULL << 30 }, { "t_size=5g", 5ULL << 30 },
        { "t_size=7M", 7ULL << 20 }, { "t_size=7m", 7ULL << 20 },
        { "t_size=9K", 9ULL << 10 }, { "t_size=9k", 9ULL << 10 },
        { "t_size=11B", 11 }, { "t_size=11b", 11 },
        { "t_size=4", 4096 },                   /* no suffix: KiB */
        { "t_size=0", 0 },
        { "t_size=0x10M", 16ULL << 20 },
        { "t_size=010k", 8ULL << 10 },          /* octal */
        { "t_size=16777215T", 16777215ULL << 40 },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        parse(cases[i].line);
        CHECK(t_size == cases[i].val);
        CHECK_QUIET();
    }

    parse("t_size32=4194303K");
    CHECK_EQ(t_size32, 4194303U << 10);
}

TEST(size_malformed)
{
    CHECK_INVALID("t_size", "12Q", -EINVAL);
    CHECK_INVALID("t_size", "", -EINVAL);
    CHECK_INVALID("t_size", "M", -EINVAL);
    CHECK_INVALID("t_size", "1MB", -EINVAL);
    CHECK_INVALID("t_size", "1k2", -EINVAL);
    CHECK_INVALID("t_size", "-1M", -EINVAL);
    CHECK_INVALID("t_size", "16777216T", -EOVERFLOW);
    CHECK_INVALID("t_size", "18014398509481984K", -EOVERFLOW);
    CHECK_EQ(t_size, 0);
    CHECK_INVALID("t_size32", "4G", -EOVERFLOW);
    CHECK_EQ(t_size32, 0);
}

/* ---- strings and custom handlers ----------------------------------------- */

TEST(string_values)
{
    parse("t_str=abc");
    CHECK_STR(t_str, "abc");
    parse("t_str=1234567");
    CHECK_STR(t_str, "1234567");
    parse("t_str=a=b");
    CHECK_STR(t_str, "a=b");
    CHECK_QUIET();

    CHECK_INVALID("t_str", "12345678", -E2BIG);
    CHECK_STR(t_str, "init");
    CHECK_INVALID("t_str", "", -EINVAL);
    CHECK_STR(t_str, "init");
    parse("t_str");
    CHECK_STR(stub_printk_buf, invalid_msg("t_str", "", -EINVAL));
    parse("no-t_str");
    CHECK_STR(stub_printk_buf, invalid_msg("no-t_str", "", -EINVAL));
}

TEST(custom_handler)
{
    parse("t_custom=hello");
    CHECK_EQ(custom_calls, 1);
    CHECK_STR(custom_val, "hello");
    parse("t_custom");
    CHECK_EQ(custom_calls, 1);
    CHECK_STR(custom_val, "");
    parse("t_custom=");
    CHECK_STR(custom_val, "");
    parse("no-t_custom");
    CHECK_STR(custom_val, "no");
    CHECK_QUIET();

    parse("no-t_custom=x");
    CHECK_EQ(custom_calls, 0);
    CHECK_STR(stub_printk_buf, invalid_msg("no-t_custom", "x", -EINVAL));

    reset();
    custom_rc = -ENOENT;
    cmdline_parse("t_custom=what");
    CHECK_STR(stub_printk_buf, invalid_msg("t_custom", "what", -2));
}

TEST(duplicate_registration_applies_all)
{
    parse("t_dup=7");
    CHECK_EQ(t_dup1, 7);
    CHECK_EQ(t_dup2, 7);
    CHECK_QUIET();
}

/* ---- words and warnings ----------------------------------------------------- */

TEST(unknown_option_messages)
{
    parse("bogus");
    CHECK_STR(stub_printk_buf, "<1>parameter \"bogus\" unknown!\n");
    parse("bogus=1");
    CHECK_STR(stub_printk_buf, unknown_msg("bogus"));
    parse("no-bogus");
    CHECK_STR(stub_printk_buf, unknown_msg("no-bogus"));
    parse("T_BOOL");                            /* names are case-sensitive */
    CHECK_STR(stub_printk_buf, unknown_msg("T_BOOL"));
    CHECK_EQ(t_bool, 0);
    parse("=5");
    CHECK_STR(stub_printk_buf, unknown_msg(""));
    parse("--");
    CHECK_STR(stub_printk_buf, unknown_msg("--"));
}

TEST(invalid_message_exact_text)
{
    parse("t_uint=12abc");
    CHECK_STR(stub_printk_buf,
              "<1>parameter \"t_uint\" has invalid value \"12abc\", rc=-22!\n");
}

TEST(errors_do_not_stop_parsing)
{
    parse("bogus t_uint=zz t_bool t_str=ok t_size=1Q t_int=3");
    CHECK_EQ(t_bool, 1);
    CHECK_STR(t_str, "ok");
    CHECK_EQ(t_int, 3);
    CHECK_EQ(t_uint, 0);
    CHECK(t_size == 0);
    snprintf(expect_buf, sizeof(expect_buf), "%s%s%s",
             "<1>parameter \"bogus\" unknown!\n",
             "<1>parameter \"t_uint\" has invalid value \"zz\", rc=-22!\n",
             "<1>parameter \"t_size\" has invalid value \"1Q\", rc=-22!\n");
    CHECK_STR(stub_printk_buf, expect_buf);
}

TEST(spaces_and_empty_lines)
{
    parse("   t_bool    t_uint=7     ");
    CHECK_EQ(t_bool, 1);
    CHECK_EQ(t_uint, 7);
    CHECK_QUIET();
    parse("");
    CHECK_QUIET();
    parse("     ");
    CHECK_QUIET();
    reset();
    cmdline_parse(NULL);
    CHECK_QUIET();
}

TEST(later_word_wins)
{
    parse("t_uint=1 t_uint=2 t_bool no-t_bool");
    CHECK_EQ(t_uint, 2);
    CHECK_EQ(t_bool, 0);
    parse("t_uint=1 t_uint=bad");
    CHECK_EQ(t_uint, 1);                        /* a bad word changes nothing */
}

TEST(placeholder_ignored)
{
    parse("placeholder t_bool placeholder");
    CHECK_EQ(t_bool, 1);
    CHECK_QUIET();
    parse("placeholder=1");
    CHECK_STR(stub_printk_buf, unknown_msg("placeholder"));
    parse("placeholders");
    CHECK_STR(stub_printk_buf, unknown_msg("placeholders"));
}

TEST(overlong_word)
{
    static char line[1200 + 16];

    memset(line, 'x', 1200);
    strcpy(line + 1200, " t_bool");
    parse(line);
    CHECK_EQ(t_bool, 1);
    CHECK(strstr(stub_printk_buf, "too long, rc=-7!\n") != NULL);
    CHECK(strncmp(stub_printk_buf, "<1>parameter \"xxxx", 18) == 0);
}

/* ---- helpers ---------------------------------------------------------------- */

TEST(helper_parse_bool)
{
    const char *s = "onwards";

    CHECK_EQ(parse_bool("enable", NULL), 1);
    CHECK_EQ(parse_bool("disable", NULL), 0);
    CHECK_EQ(parse_bool(s, s + 2), 1);
    CHECK_EQ(parse_bool(s, NULL), -1);
    CHECK_EQ(parse_bool("", NULL), -1);
    CHECK_EQ(parse_bool("ON", NULL), -1);
}

TEST(helper_parse_boolean)
{
    const char *list = "verbose,no-debug";

    CHECK_EQ(parse_boolean("verbose", "verbose", NULL), 1);
    CHECK_EQ(parse_boolean("verbose", "no-verbose", NULL), 0);
    CHECK_EQ(parse_boolean("verbose", "verbose=0", NULL), 0);
    CHECK_EQ(parse_boolean("verbose", "verbose=on", NULL), 1);
    CHECK_EQ(parse_boolean("verbose", "verbose=2", NULL), -1);
    CHECK_EQ(parse_boolean("verbose", "verbosex", NULL), -1);
    CHECK_EQ(parse_boolean("verbose", "verb", NULL), -1);
    CHECK_EQ(parse_boolean("verbose", "no-verbose=1", NULL), -1);
    CHECK_EQ(parse_boolean("verbose", list, list + 7), 1);
    CHECK_EQ(parse_boolean("debug", list + 8, NULL), 0);
    CHECK_EQ(parse_boolean("debug", list, list + 7), -1);
}

TEST(helper_parse_ull)
{
    unsigned long long v = 1234;
    const char *s, *end;

    s = "0x1fZ";
    CHECK_EQ(parse_ull(s, &end, &v), 0);
    CHECK_EQ(v, 0x1f);
    CHECK(end == s + 4);
    s = "0777 ";
    CHECK_EQ(parse_ull(s, &end, &v), 0);
    CHECK_EQ(v, 0777);
    CHECK(end == s + 4);
    s = "0x";                                   /* zero, then stray 'x' */
    CHECK_EQ(parse_ull(s, &end, &v), 0);
    CHECK_EQ(v, 0);
    CHECK(end == s + 1);
    s = "089";                                  /* octal zero, then '8' */
    CHECK_EQ(parse_ull(s, &end, &v), 0);
    CHECK(end == s + 1);
    s = "18446744073709551615";
    CHECK_EQ(parse_ull(s, &end, &v), 0);
    CHECK(v == ~0ULL);
    v = 5;
    s = "18446744073709551616x";
    CHECK_EQ(parse_ull(s, &end, &v), -EOVERFLOW);
    CHECK(end == s + 20);
    CHECK_EQ(v, 5);
    s = "";
    CHECK_EQ(parse_ull(s, &end, &v), -EINVAL);
    CHECK(end == s);
    s = "-1";
    CHECK_EQ(parse_ull(s, &end, &v), -EINVAL);
    CHECK(end == s);
}

TEST(helper_parse_size_and_unit)
{
    const char *s, *end;
    unsigned long long v = 0;

    s = "1G,";
    CHECK(parse_size_and_unit(s, &end) == 1ULL << 30);
    CHECK(end == s + 2);
    s = "12Q";
    CHECK(parse_size_and_unit(s, &end) == 12ULL << 10);
    CHECK(end == s + 2);
    s = "";
    CHECK(parse_size_and_unit(s, &end) == 0);
    CHECK(end == s);
    s = "16777216T";
    CHECK(parse_size_and_unit(s, &end) == 0);
    CHECK(end == s);
    CHECK(parse_size_and_unit("2M", NULL) == 2ULL << 20);
    CHECK_EQ(parse_size("0x10B", &end, &v), 0); /* B is a hex digit here */
    CHECK_EQ(v, 0x10bULL << 10);
}

/* ---- the loader's line ---------------------------------------------------- */

#define CHECK_SPLIT(raw, loader, hv, extra) do {                            \
    stub_printk_reset();                                                    \
    cmdline_init(raw, loader);                                              \
    CHECK_STR(cmdline_hypervisor(), hv);                                    \
    CHECK_STR(cmdline_dom0_extra(), extra);                                 \
    CHECK_QUIET();                                                          \
} while ( 0 )

TEST(image_name_per_loader)
{
    CHECK_SPLIT("/boot/keel.gz console=com1 loglvl=all", LOADER_MULTIBOOT1,
                "console=com1 loglvl=all", "");
    CHECK_SPLIT("/boot/keel.gz console=com1 loglvl=all", LOADER_OTHER,
                "console=com1 loglvl=all", "");
    CHECK_SPLIT("console=com1 loglvl=all", LOADER_GRUB2,
                "console=com1 loglvl=all", "");
    CHECK_SPLIT("   keel.gz   a=1  ", LOADER_MULTIBOOT1, "a=1", "");
    CHECK_SPLIT("   a=1 b  ", LOADER_GRUB2, "a=1 b", "");
    CHECK_SPLIT("keel.gz", LOADER_MULTIBOOT1, "", "");
    CHECK_SPLIT("keel.gz", LOADER_GRUB2, "keel.gz", "");
    CHECK_SPLIT("", LOADER_MULTIBOOT1, "", "");
    CHECK_SPLIT(NULL, LOADER_MULTIBOOT1, "", "");
    CHECK_SPLIT(NULL, LOADER_GRUB2, "", "");
}

TEST(placeholder_kept_in_saved_line)
{
    CHECK_SPLIT("keel.gz placeholder dom0_mem=1G", LOADER_MULTIBOOT1,
                "placeholder dom0_mem=1G", "");
    CHECK_SPLIT("placeholder dom0_mem=1G", LOADER_GRUB2,
                "placeholder dom0_mem=1G", "");
}

TEST(dom0_separator)
{
    CHECK_SPLIT("keel a=1 -- root=/dev/sda ro", LOADER_MULTIBOOT1,
                "a=1", "root=/dev/sda ro");
    CHECK_SPLIT("a=1 -- root=/dev/sda ro", LOADER_GRUB2,
                "a=1", "root=/dev/sda ro");
    CHECK_SPLIT("keel a=1 -- ", LOADER_MULTIBOOT1, "a=1", "");
    CHECK_SPLIT("keel a=1 --", LOADER_MULTIBOOT1, "a=1", "");
    CHECK_SPLIT("keel a=1 b--c --x x-- ---", LOADER_MULTIBOOT1,
                "a=1 b--c --x x-- ---", "");
    CHECK_SPLIT("keel -- quiet", LOADER_MULTIBOOT1, "", "quiet");
    CHECK_SPLIT("-- quiet", LOADER_GRUB2, "", "quiet");
    CHECK_SPLIT("keel a -- b -- c", LOADER_MULTIBOOT1, "a", "b -- c");
    CHECK_SPLIT("keel a=1   b=2   --   x  y  ", LOADER_MULTIBOOT1,
                "a=1   b=2", "x  y");
}

TEST(overlong_lines_cut_at_words)
{
    static char raw[3000];
    const char *hv, *extra;
    size_t n;
    unsigned int i;

    /* 150 * "t_uint=1 " is 1350 characters; then 300 more for dom0. */
    strcpy(raw, "keel ");
    for ( i = 0; i < 150; i++ )
        strcat(raw, "t_uint=1 ");
    strcat(raw, "--");
    for ( i = 0; i < 150; i++ )
        strcat(raw, " abcdefghi");

    stub_printk_reset();
    cmdline_init(raw, LOADER_MULTIBOOT1);
    hv = cmdline_hypervisor();
    extra = cmdline_dom0_extra();
    n = strlen(hv);
    CHECK(n <= CMDLINE_MAX - 1);
    CHECK(n > CMDLINE_MAX - 10);
    CHECK_EQ(n % 9, 8);                         /* whole words only */
    CHECK(strncmp(hv + n - 8, "t_uint=1", 8) == 0);
    n = strlen(extra);
    CHECK(n <= CMDLINE_MAX - 1);
    CHECK_EQ(n % 10, 9);
    CHECK(strncmp(extra + n - 9, "abcdefghi", 9) == 0);
    CHECK(strstr(stub_printk_buf,
                 "<1>hypervisor command line longer than 1023 characters: "
                 "ignoring \"t_uint=1 ") != NULL);
    CHECK(strstr(stub_printk_buf,
                 "<1>dom0 command line longer than 1023 characters") != NULL);

    /* One word longer than the buffer: dropped whole. */
    memset(raw, 'y', 2000);
    raw[2000] = '\0';
    stub_printk_reset();
    cmdline_init(raw, LOADER_GRUB2);
    CHECK_STR(cmdline_hypervisor(), "");
    CHECK(strstr(stub_printk_buf, "ignoring \"yyyy") != NULL);
}

TEST(skip_image_name_and_cook)
{
    CHECK_STR(cmdline_skip_image_name("  vmlinuz   root=/dev/sda1 ro"),
              "root=/dev/sda1 ro");
    CHECK_STR(cmdline_skip_image_name("vmlinuz"), "");
    CHECK_STR(cmdline_skip_image_name(""), "");
    CHECK_STR(cmdline_skip_image_name(NULL), "");
    CHECK_STR(cmdline_cook("vmlinuz quiet", LOADER_MULTIBOOT1), "quiet");
    CHECK_STR(cmdline_cook("vmlinuz quiet", LOADER_OTHER), "quiet");
    CHECK_STR(cmdline_cook("  placeholder quiet", LOADER_GRUB2),
              "placeholder quiet");
    CHECK_STR(cmdline_cook(NULL, LOADER_GRUB2), "");
}

TEST(end_to_end)
{
    reset();
    cmdline_init("/keel.gz placeholder t_uint=3 console=vga -- t_uint=9 quiet",
                 LOADER_MULTIBOOT1);
    cmdline_parse(cmdline_hypervisor());
    CHECK_EQ(t_uint, 3);
    CHECK_EQ(opt_console, CONSOLE_VGA);
    CHECK_STR(cmdline_dom0_extra(), "t_uint=9 quiet");
    CHECK_QUIET();
}

/* ---- console options -------------------------------------------------------- */

TEST(console_list)
{
    reset();
    CHECK_EQ(opt_console, CONSOLE_COM1 | CONSOLE_VGA);
    parse("console=vga");
    CHECK_EQ(opt_console, CONSOLE_VGA);
    parse("console=com1,com2");
    CHECK_EQ(opt_console, CONSOLE_COM1 | CONSOLE_COM2);
    parse("console=com2,vga,com2");
    CHECK_EQ(opt_console, CONSOLE_COM2 | CONSOLE_VGA);
    parse("console=none");
    CHECK_EQ(opt_console, 0);
    CHECK_QUIET();
}

TEST(console_malformed)
{
    static const char *const bad[] = {
        "dbgp", "", "com1,", ",vga", "com1,,vga", "none,vga", "COM1", "com3",
        "com1H", "vga;com1",
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        char line[64];

        snprintf(line, sizeof(line), "console=%s", bad[i]);
        parse(line);
        CHECK_EQ(opt_console, CONSOLE_COM1 | CONSOLE_VGA);
        CHECK_STR(stub_printk_buf, invalid_msg("console", bad[i], -EINVAL));
    }
}

#define CHECK_SERIAL(port, baud_, base_, d_, p_, s_, io_, irq_) do {        \
    const struct serial_cfg *c_ = &opt_serial[port];                        \
    CHECK_EQ(c_->baud, baud_);                                              \
    CHECK_EQ(c_->base_baud, base_);                                         \
    CHECK_EQ(c_->data_bits, d_);                                            \
    CHECK_EQ(c_->parity, p_);                                               \
    CHECK_EQ(c_->stop_bits, s_);                                            \
    CHECK_EQ(c_->io_base, io_);                                             \
    CHECK_EQ(c_->irq, irq_);                                                \
} while ( 0 )

TEST(serial_defaults)
{
    reset();
    CHECK_SERIAL(SERIAL_COM1, SERIAL_BAUD_AUTO, 115200, 8, 'n', 1, 0x3f8, 4);
    CHECK_SERIAL(SERIAL_COM2, SERIAL_BAUD_AUTO, 115200, 8, 'n', 1, 0x2f8, 3);
    CHECK(!opt_serial[SERIAL_COM1].present);
    CHECK(!opt_serial[SERIAL_COM2].present);
}

TEST(serial_valid)
{
    parse("com1=115200,8n1");
    CHECK_SERIAL(SERIAL_COM1, 115200, 115200, 8, 'n', 1, 0x3f8, 4);
    CHECK(opt_serial[SERIAL_COM1].present);
    CHECK(!opt_serial[SERIAL_COM2].present);
    CHECK_QUIET();

    parse("com2=9600,8n1,0x2f8,3");
    CHECK_SERIAL(SERIAL_COM2, 9600, 115200, 8, 'n', 1, 0x2f8, 3);
    CHECK(opt_serial[SERIAL_COM2].present);
    CHECK(!opt_serial[SERIAL_COM1].present);

    parse("com2=115200");
    CHECK_SERIAL(SERIAL_COM2, 115200, 115200, 8, 'n', 1, 0x2f8, 3);

    parse("com1=auto");
    CHECK_SERIAL(SERIAL_COM1, SERIAL_BAUD_AUTO, 115200, 8, 'n', 1, 0x3f8, 4);
    CHECK(opt_serial[SERIAL_COM1].present);

    parse("com1=57600/921600,7e2,0x3e8,0");
    CHECK_SERIAL(SERIAL_COM1, 57600, 921600, 7, 'e', 2, 0x3e8, 0);

    parse("com1=auto/1500000,6o1");
    CHECK_SERIAL(SERIAL_COM1, SERIAL_BAUD_AUTO, 1500000, 6, 'o', 1, 0x3f8, 4);

    parse("com1=9600,,0x2e8");
    CHECK_SERIAL(SERIAL_COM1, 9600, 115200, 8, 'n', 1, 0x2e8, 4);

    parse("com1=,5m1,,11");
    CHECK_SERIAL(SERIAL_COM1, SERIAL_BAUD_AUTO, 115200, 5, 'm', 1, 0x3f8, 11);

    parse("com1=19200,8s2");
    CHECK_SERIAL(SERIAL_COM1, 19200, 115200, 8, 's', 2, 0x3f8, 4);

    parse("com1=115200,8n1 com1=9600");          /* later replaces whole */
    CHECK_SERIAL(SERIAL_COM1, 9600, 115200, 8, 'n', 1, 0x3f8, 4);
    CHECK_QUIET();
}

TEST(serial_malformed)
{
    static const struct { const char *val; int rc; } bad[] = {
        { "115200,9x1", -EINVAL }, { "115200,8n3", -EINVAL },
        { "115200,4n1", -EINVAL }, { "115200,8n", -EINVAL },
        { "115200,8n1x", -EINVAL }, { "115200,8N1", -EINVAL },
        { "abc", -EINVAL }, { "", -EINVAL }, { "pci", -EINVAL },
        { "115200x", -EINVAL }, { "auto/", -EINVAL }, { "/9600", -EINVAL },
        { "115200,8n1,0x10000", -ERANGE }, { "115200,8n1,0", -ERANGE },
        { "115200,8n1,0x3f8,256", -ERANGE }, { "115200,8n1,0x3f8,x", -EINVAL },
        { "0", -ERANGE }, { "230400", -ERANGE }, { "115200/0", -ERANGE },
        { "115200,8n1,0x3f8,4,5", -EINVAL }, { "115200,8n1,0x3f8,4,", -EINVAL },
        { "99999999999999999999", -EOVERFLOW }, { "4294967296/4294967296", -ERANGE },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        char line[96];

        snprintf(line, sizeof(line), "com1=%s", bad[i].val);
        parse(line);
        CHECK_STR(stub_printk_buf, invalid_msg("com1", bad[i].val, bad[i].rc));
        CHECK_SERIAL(SERIAL_COM1, SERIAL_BAUD_AUTO, 115200, 8, 'n', 1, 0x3f8, 4);
        CHECK(!opt_serial[SERIAL_COM1].present);
    }

    parse("com1");
    CHECK_STR(stub_printk_buf, invalid_msg("com1", "", -EINVAL));
    parse("com1=230400/1843200");                /* fine with a faster clock */
    CHECK_EQ(opt_serial[SERIAL_COM1].baud, 230400);
    CHECK_QUIET();
}

TEST(conswitch)
{
    reset();
    CHECK_EQ(opt_conswitch_char, 'a');
    CHECK(opt_conswitch_to_dom0);
    parse("conswitch=b");
    CHECK_EQ(opt_conswitch_char, 'b');
    CHECK(opt_conswitch_to_dom0);
    parse("conswitch=ax");
    CHECK_EQ(opt_conswitch_char, 'a');
    CHECK(!opt_conswitch_to_dom0);
    parse("conswitch=xx");
    CHECK_EQ(opt_conswitch_char, 'x');
    CHECK(!opt_conswitch_to_dom0);
    CHECK_QUIET();

    CHECK_INVALID("conswitch", "", -EINVAL);
    CHECK_INVALID("conswitch", "A", -EINVAL);
    CHECK_INVALID("conswitch", "ab", -EINVAL);
    CHECK_INVALID("conswitch", "axx", -EINVAL);
    CHECK_INVALID("conswitch", "1", -EINVAL);
    CHECK_EQ(opt_conswitch_char, 'a');
    CHECK(opt_conswitch_to_dom0);
}

#define CHECK_LVL(cfg, lo, up) do {                                         \
    CHECK_EQ((cfg).lower, lo);                                              \
    CHECK_EQ((cfg).upper, up);                                              \
} while ( 0 )

TEST(loglvl)
{
    static const struct { const char *name; unsigned int lvl; } names[] = {
        { "none", 0 }, { "error", 1 }, { "warning", 2 }, { "info", 3 },
        { "debug", 4 }, { "all", 4 },
    };
    unsigned int i;
    char line[64];

    reset();
    CHECK_LVL(opt_loglvl, LOGLVL_WARNING, LOGLVL_WARNING);
    CHECK_LVL(opt_guest_loglvl, LOGLVL_NONE, LOGLVL_WARNING);

    for ( i = 0; i < ARRAY_SIZE(names); i++ )
    {
        snprintf(line, sizeof(line), "loglvl=none/%s", names[i].name);
        parse(line);
        CHECK_LVL(opt_loglvl, 0, names[i].lvl);
        snprintf(line, sizeof(line), "guest_loglvl=%s/all", names[i].name);
        parse(line);
        CHECK_LVL(opt_guest_loglvl, names[i].lvl, 4);
        CHECK_QUIET();
    }

    parse("loglvl=all");
    CHECK_LVL(opt_loglvl, 4, 4);
    parse("loglvl=error");                      /* rate-limit level kept */
    CHECK_LVL(opt_loglvl, 1, 2);
    parse("loglvl=info/error");                 /* raised to the first */
    CHECK_LVL(opt_loglvl, 3, 3);
    parse("guest_loglvl=warning");
    CHECK_LVL(opt_guest_loglvl, 2, 2);
    CHECK_LVL(opt_loglvl, 2, 2);
    parse("guest_loglvl=error/info");
    CHECK_LVL(opt_guest_loglvl, 1, 3);
    CHECK_QUIET();
}

TEST(loglvl_malformed)
{
    static const char *const bad[] = {
        "verbose", "", "warning/", "/info", "Warning", "info/debug/all",
        "warn", "all/x",
    };
    unsigned int i;
    char line[64];

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        snprintf(line, sizeof(line), "loglvl=%s", bad[i]);
        parse(line);
        CHECK_STR(stub_printk_buf, invalid_msg("loglvl", bad[i], -EINVAL));
        CHECK_LVL(opt_loglvl, 2, 2);
        snprintf(line, sizeof(line), "guest_loglvl=%s", bad[i]);
        parse(line);
        CHECK_STR(stub_printk_buf, invalid_msg("guest_loglvl", bad[i], -EINVAL));
        CHECK_LVL(opt_guest_loglvl, 0, 2);
    }
}

TEST(console_timestamps)
{
    static const struct { const char *line; enum console_ts mode; } cases[] = {
        { "console_timestamps", CONSOLE_TS_DATE },
        { "console_timestamps=none", CONSOLE_TS_NONE },
        { "console_timestamps=date", CONSOLE_TS_DATE },
        { "console_timestamps=datems", CONSOLE_TS_DATEMS },
        { "console_timestamps=boot", CONSOLE_TS_BOOT },
        { "console_timestamps=raw", CONSOLE_TS_RAW },
        { "console_timestamps=yes", CONSOLE_TS_DATE },
        { "console_timestamps=1", CONSOLE_TS_DATE },
        { "console_timestamps=raw console_timestamps=off", CONSOLE_TS_NONE },
        { "console_timestamps=boot no-console_timestamps", CONSOLE_TS_NONE },
    };
    unsigned int i;

    reset();
    CHECK_EQ(opt_console_timestamps, CONSOLE_TS_NONE);
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        parse(cases[i].line);
        CHECK_EQ(opt_console_timestamps, cases[i].mode);
        CHECK_QUIET();
    }

    CHECK_INVALID("console_timestamps", "dates", -EINVAL);
    CHECK_INVALID("console_timestamps", "Date", -EINVAL);
    CHECK_EQ(opt_console_timestamps, CONSOLE_TS_NONE);
    parse("no-console_timestamps=raw");
    CHECK_STR(stub_printk_buf,
              invalid_msg("no-console_timestamps", "raw", -EINVAL));
}

TEST(conring_size)
{
    static const struct { const char *line; unsigned long size; } cases[] = {
        { "conring_size=64k", 64UL << 10 }, { "conring_size=100k", 128UL << 10 },
        { "conring_size=1", 16UL << 10 }, { "conring_size=0", 16UL << 10 },
        { "conring_size=16385B", 32UL << 10 }, { "conring_size=1M", 1UL << 20 },
        { "conring_size=1G", 1UL << 30 }, { "conring_size=16", 16UL << 10 },
    };
    unsigned int i;

    reset();
    CHECK_EQ(opt_conring_size, 16384);
    for ( i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        parse(cases[i].line);
        CHECK_EQ(opt_conring_size, cases[i].size);
        CHECK_QUIET();
    }

    CHECK_INVALID("conring_size", "2G", -ERANGE);
    CHECK_INVALID("conring_size", "1073741825B", -ERANGE);
    CHECK_INVALID("conring_size", "16x", -EINVAL);
    CHECK_INVALID("conring_size", "", -EINVAL);
    CHECK_INVALID("conring_size", "16777216T", -EOVERFLOW);
    CHECK_EQ(opt_conring_size, 16384);
}

/* ---- misc options --------------------------------------------------------- */

TEST(maxcpus)
{
    reset();
    CHECK_EQ(opt_maxcpus, 0);
    parse("maxcpus=4");
    CHECK_EQ(opt_maxcpus, 4);
    parse("maxcpus=0x10");
    CHECK_EQ(opt_maxcpus, 16);
    CHECK_QUIET();
    CHECK_INVALID("maxcpus", "4294967296", -EOVERFLOW);
    CHECK_INVALID("maxcpus", "-1", -EINVAL);
    CHECK_INVALID("maxcpus", "4cpus", -EINVAL);
    CHECK_EQ(opt_maxcpus, 0);
    parse("maxcpus");
    CHECK_STR(stub_printk_buf, invalid_msg("maxcpus", "", -EINVAL));
}

TEST(noreboot)
{
    reset();
    CHECK(!opt_noreboot);
    parse("noreboot");
    CHECK(opt_noreboot);
    parse("noreboot=true");
    CHECK(opt_noreboot);
    parse("noreboot noreboot=false");
    CHECK(!opt_noreboot);
    parse("noreboot no-noreboot");
    CHECK(!opt_noreboot);
    CHECK_QUIET();
    CHECK_INVALID("noreboot", "sometimes", -EINVAL);
}

TEST(sched)
{
    reset();
    CHECK_STR(opt_sched, "credit2");
    parse("sched=credit");
    CHECK_STR(opt_sched, "credit");
    parse("sched=null");
    CHECK_STR(opt_sched, "null");
    parse("sched=0123456789abcde");             /* 15 characters: fits */
    CHECK_STR(opt_sched, "0123456789abcde");
    CHECK_QUIET();
    CHECK_INVALID("sched", "0123456789abcdef", -E2BIG);
    CHECK_STR(opt_sched, "credit2");
    CHECK_INVALID("sched", "", -EINVAL);
    CHECK_STR(opt_sched, "credit2");
}

TEST(pv_linear_pt)
{
    reset();
    CHECK(opt_pv_linear_pt);
    parse("no-pv-linear-pt");
    CHECK(!opt_pv_linear_pt);
    parse("pv-linear-pt=0");
    CHECK(!opt_pv_linear_pt);
    parse("no-pv-linear-pt pv-linear-pt");
    CHECK(opt_pv_linear_pt);
    CHECK_QUIET();
    CHECK_INVALID("pv-linear-pt", "maybe", -EINVAL);
    CHECK(opt_pv_linear_pt);
}

TEST(iommu_defaults)
{
    reset();
    CHECK(opt_iommu.enable);
    CHECK(!opt_iommu.force);
    CHECK(!opt_iommu.verbose);
    CHECK(!opt_iommu.debug);
    CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_BASIC);
    CHECK(opt_iommu.intremap);
    CHECK(!opt_iommu.intpost);
    CHECK(opt_iommu.superpages);
    CHECK(opt_iommu.qinval);
    CHECK(opt_iommu.snoop);
    CHECK(opt_iommu.igfx);
    CHECK(!opt_iommu.crash_disable);
    CHECK(opt_iommu.amd_perdev_intremap);
}

TEST(iommu_list)
{
    parse("iommu=off");
    CHECK(!opt_iommu.enable);
    parse("no-iommu");
    CHECK(!opt_iommu.enable);
    parse("iommu=0 iommu=1");
    CHECK(opt_iommu.enable);
    parse("iommu=force");
    CHECK(opt_iommu.force);
    parse("iommu=required");
    CHECK(opt_iommu.force);
    parse("iommu=force,no-required");
    CHECK(!opt_iommu.force);
    parse("iommu=no-intremap,verbose");
    CHECK(!opt_iommu.intremap);
    CHECK(opt_iommu.verbose);
    CHECK(!opt_iommu.debug);
    parse("iommu=debug");
    CHECK(opt_iommu.debug);
    CHECK(opt_iommu.verbose);
    parse("iommu=debug,no-verbose");
    CHECK(opt_iommu.debug);
    CHECK(!opt_iommu.verbose);
    parse("iommu=quarantine=scratch-page");
    CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_SCRATCH_PAGE);
    parse("iommu=quarantine=0");
    CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_NONE);
    parse("iommu=no-quarantine");
    CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_NONE);
    parse("iommu=no-quarantine,quarantine");
    CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_BASIC);
    parse("iommu=1,no-igfx,qinval=0,snoop=off,intpost,superpages=no,"
          "crash-disable,no-amd-iommu-perdev-intremap,intremap=disable");
    CHECK(opt_iommu.enable);
    CHECK(!opt_iommu.igfx);
    CHECK(!opt_iommu.qinval);
    CHECK(!opt_iommu.snoop);
    CHECK(opt_iommu.intpost);
    CHECK(!opt_iommu.superpages);
    CHECK(opt_iommu.crash_disable);
    CHECK(!opt_iommu.amd_perdev_intremap);
    CHECK(!opt_iommu.intremap);
    CHECK_QUIET();
}

TEST(iommu_malformed_changes_nothing)
{
    static const char *const bad[] = {
        "verbose,bogus", "", "verbose,", ",verbose", "no-verbose=1",
        "quarantine=scratch", "Force", "force=maybe", "debug,,verbose",
        "quarantine=scratch-pages",
    };
    unsigned int i;
    char line[64];

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        snprintf(line, sizeof(line), "iommu=%s", bad[i]);
        parse(line);
        CHECK_STR(stub_printk_buf, invalid_msg("iommu", bad[i], -EINVAL));
        CHECK(!opt_iommu.verbose);
        CHECK(!opt_iommu.debug);
        CHECK(!opt_iommu.force);
        CHECK_EQ(opt_iommu.quarantine, IOMMU_QUARANTINE_BASIC);
    }
    parse("no-iommu=1");
    CHECK_STR(stub_printk_buf, invalid_msg("no-iommu", "1", -EINVAL));
    CHECK(opt_iommu.enable);
}

/* ---- dom0 vCPUs ------------------------------------------------------------ */

#define CHECK_VCPUS(line, lo, hi) do {                                      \
    parse(line);                                                            \
    CHECK_EQ(opt_dom0_max_vcpus_min, lo);                                   \
    CHECK_EQ(opt_dom0_max_vcpus_max, hi);                                   \
    CHECK_QUIET();                                                          \
} while ( 0 )

TEST(dom0_max_vcpus_syntax)
{
    reset();
    CHECK_EQ(opt_dom0_max_vcpus_min, 1);
    CHECK_EQ(opt_dom0_max_vcpus_max, 0xffffffffU);
    CHECK_VCPUS("dom0_max_vcpus=4", 4, 4);
    CHECK_VCPUS("dom0_max_vcpus=4-8", 4, 8);
    CHECK_VCPUS("dom0_max_vcpus=4-", 4, 0xffffffffU);
    CHECK_VCPUS("dom0_max_vcpus=-8", 1, 8);
    CHECK_VCPUS("dom0_max_vcpus=0", 1, 1);
    CHECK_VCPUS("dom0_max_vcpus=0-2", 1, 2);
    CHECK_VCPUS("dom0_max_vcpus=2-2", 2, 2);
    CHECK_VCPUS("dom0_max_vcpus=0x10", 16, 16);
}

TEST(dom0_max_vcpus_malformed)
{
    static const struct { const char *val; int rc; } bad[] = {
        { "4-2", -EINVAL }, { "", -EINVAL }, { "-", -EINVAL },
        { "x", -EINVAL }, { "4x", -EINVAL }, { "4-8x", -EINVAL },
        { "-0", -EINVAL }, { "4--8", -EINVAL }, { "4-8-", -EINVAL },
        { "4294967296", -EOVERFLOW }, { "1-4294967296", -EOVERFLOW },
        { " 4", -EINVAL },
    };
    unsigned int i;
    char line[64];

    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        snprintf(line, sizeof(line), "dom0_max_vcpus=%s", bad[i].val);
        parse(line);
        if ( bad[i].val[0] != ' ' )
            CHECK_STR(stub_printk_buf,
                      invalid_msg("dom0_max_vcpus", bad[i].val, bad[i].rc));
        CHECK_EQ(opt_dom0_max_vcpus_min, 1);
        CHECK_EQ(opt_dom0_max_vcpus_max, 0xffffffffU);
    }
}

TEST(dom0_max_vcpus_compute)
{
    /* The table from the documentation: dom0_max_vcpus=4-8. */
    static const unsigned int table[][2] = {
        { 2, 4 }, { 4, 4 }, { 6, 6 }, { 8, 8 }, { 10, 8 },
    };
    unsigned int i;

    parse("dom0_max_vcpus=4-8");
    for ( i = 0; i < ARRAY_SIZE(table); i++ )
        CHECK_EQ(dom0_compute_max_vcpus(table[i][0], 128), table[i][1]);
    CHECK_EQ(dom0_compute_max_vcpus(10, 5), 5);  /* builder's limit */

    parse("");
    CHECK_EQ(dom0_compute_max_vcpus(12, 128), 12);
    CHECK_EQ(dom0_compute_max_vcpus(12, 8), 8);
    CHECK_EQ(dom0_compute_max_vcpus(0, 8), 1);
    CHECK_EQ(dom0_compute_max_vcpus(4, 0), 1);
    parse("dom0_max_vcpus=2");
    CHECK_EQ(dom0_compute_max_vcpus(8, 128), 2);
    parse("dom0_max_vcpus=16");
    CHECK_EQ(dom0_compute_max_vcpus(8, 128), 16);  /* more than pCPUs */
    parse("dom0_max_vcpus=-3");
    CHECK_EQ(dom0_compute_max_vcpus(8, 128), 3);
    CHECK_EQ(dom0_compute_max_vcpus(2, 128), 2);
}

TEST(dom0_vcpus_pin)
{
    reset();
    CHECK(!opt_dom0_vcpus_pin);
    parse("dom0_vcpus_pin");
    CHECK(opt_dom0_vcpus_pin);
    parse("dom0_vcpus_pin=off");
    CHECK(!opt_dom0_vcpus_pin);
    CHECK_QUIET();
}

int main(void)
{
    RUN(bool_bare_name);
    RUN(bool_true_spellings);
    RUN(bool_false_spellings);
    RUN(bool_no_prefix);
    RUN(bool_no_prefix_with_value_is_invalid);
    RUN(bool_invalid_values);
    RUN(literal_no_dash_name);
    RUN(int_bases);
    RUN(int_malformed);
    RUN(int_overflow);
    RUN(int_signed);
    RUN(size_suffixes);
    RUN(size_malformed);
    RUN(string_values);
    RUN(custom_handler);
    RUN(duplicate_registration_applies_all);
    RUN(unknown_option_messages);
    RUN(invalid_message_exact_text);
    RUN(errors_do_not_stop_parsing);
    RUN(spaces_and_empty_lines);
    RUN(later_word_wins);
    RUN(placeholder_ignored);
    RUN(overlong_word);
    RUN(helper_parse_bool);
    RUN(helper_parse_boolean);
    RUN(helper_parse_ull);
    RUN(helper_parse_size_and_unit);
    RUN(image_name_per_loader);
    RUN(placeholder_kept_in_saved_line);
    RUN(dom0_separator);
    RUN(overlong_lines_cut_at_words);
    RUN(skip_image_name_and_cook);
    RUN(end_to_end);
    RUN(console_list);
    RUN(console_malformed);
    RUN(serial_defaults);
    RUN(serial_valid);
    RUN(serial_malformed);
    RUN(conswitch);
    RUN(loglvl);
    RUN(loglvl_malformed);
    RUN(console_timestamps);
    RUN(conring_size);
    RUN(maxcpus);
    RUN(noreboot);
    RUN(sched);
    RUN(pv_linear_pt);
    RUN(iommu_defaults);
    RUN(iommu_list);
    RUN(iommu_malformed_changes_nothing);
    RUN(dom0_max_vcpus_syntax);
    RUN(dom0_max_vcpus_malformed);
    RUN(dom0_max_vcpus_compute);
    RUN(dom0_vcpus_pin);
    HARNESS_EXIT();
}
