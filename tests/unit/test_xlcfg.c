/*
 * Host tests of the xl.cfg parser (tools/libs/cfg): every grammar rule,
 * the exact text of every message (Xen's where Xen has one), look-ups,
 * += and overrides, and hostile inputs (depth, NUL, size).
 */
#include "harness.h"
#include <keelcfg.h>

static char msgs[16384];
static struct cfg_msgbuf mb;

static int parse_n(const char *text, size_t len, struct cfg **out)
{
    mb = (struct cfg_msgbuf){ msgs, sizeof(msgs), 0, false };
    msgs[0] = '\0';
    return cfg_parse(text, len, "t.cfg", cfg_msgbuf_report, &mb, out);
}

/* Parse text that must be valid and produce no message. */
static struct cfg *ok(const char *text)
{
    struct cfg *c = NULL;
    int rc = parse_n(text, strlen(text), &c);

    CHECK_EQ(rc, CFG_OK);
    CHECK_STR(msgs, "");
    CHECK(c != NULL);
    return c;
}

/* Parse text that must be refused; returns the messages. */
static const char *bad(const char *text)
{
    struct cfg *c = (struct cfg *)1;
    int rc = parse_n(text, strlen(text), &c);

    CHECK_EQ(rc, CFG_EINVAL);
    CHECK(c == NULL);
    return msgs;
}

static const char *str(struct cfg *c, const char *key)
{
    const char *s = NULL;

    if ( cfg_get_string(c, key, &s, 0) )
        return "(unset)";
    return s;
}

/* ---- grammar ----------------------------------------------------------- */

TEST(empty_inputs)
{
    static const char *const texts[] = {
        "", "\n", "\n\n\n", "# just a comment\n", ";", ";;\n;", "  \t \n",
        "# comment at the end, no newline",
    };
    unsigned int i;

    for ( i = 0; i < sizeof(texts) / sizeof(texts[0]); i++ )
    {
        struct cfg *c = ok(texts[i]);

        if ( c )
            CHECK_EQ(cfg_nr_keys(c), 0);
        cfg_free(c);
    }
    /* NULL data with length 0 is an empty file too. */
    {
        struct cfg *c = NULL;

        CHECK_EQ(parse_n(NULL, 0, &c), CFG_OK);
        cfg_free(c);
    }
}

TEST(assignments_and_types)
{
    struct cfg *c = ok("name = \"vm1\"\n"
                       "kernel='/boot/netbsd'\n"
                       "memory = 512\n"
                       "  vcpus=2   # two\n"
                       "key.with_dots.9 = \"d\"\n");
    const struct cfg_value *v;

    CHECK_STR(str(c, "name"), "vm1");
    CHECK_STR(str(c, "kernel"), "/boot/netbsd");
    /* Numbers are strings until asked for as numbers, as in Xen. */
    CHECK_STR(str(c, "memory"), "512");
    CHECK_STR(str(c, "vcpus"), "2");
    CHECK_STR(str(c, "key.with_dots.9"), "d");
    v = cfg_lookup(c, "memory");
    CHECK(v && cfg_value_type(v) == CFG_STRING);
    CHECK_EQ(cfg_key_line(c, "name"), 1);
    CHECK_EQ(cfg_key_line(c, "vcpus"), 4);
    CHECK_EQ(cfg_key_line(c, "key.with_dots.9"), 5);
    CHECK(cfg_lookup(c, "nosuch") == NULL);
    CHECK_EQ(cfg_key_line(c, "nosuch"), 0);
    CHECK_STR(cfg_source(c), "t.cfg");
    cfg_free(c);
}

TEST(separators_and_last_line)
{
    struct cfg *c = ok("a=1;b=2;\nc = 3 ; d = 4\ne = 5");

    CHECK_STR(str(c, "a"), "1");
    CHECK_STR(str(c, "b"), "2");
    CHECK_STR(str(c, "c"), "3");
    CHECK_STR(str(c, "d"), "4");
    CHECK_STR(str(c, "e"), "5");
    CHECK_EQ(cfg_key_line(c, "d"), 2);
    CHECK_EQ(cfg_key_line(c, "e"), 3);
    cfg_free(c);
}

TEST(number_tokens)
{
    /* [0-9][0-9a-fx]*: all of these are single NUMBER tokens. */
    struct cfg *c = ok("a = 0x1f\nb = 017\nc = 12abc\nd = 0xx\ne = 1e5\n");

    CHECK_STR(str(c, "a"), "0x1f");
    CHECK_STR(str(c, "b"), "017");
    CHECK_STR(str(c, "c"), "12abc");
    CHECK_STR(str(c, "d"), "0xx");
    CHECK_STR(str(c, "e"), "1e5");
    cfg_free(c);
}

TEST(string_escapes)
{
    struct cfg *c = ok("a = \"q\\\"s\\'b\\\\\"\n"
                       "b = 'tab\\there\\nnl\\r\\a\\b\\f\\v'\n"
                       "c = \"\\x41\\x4a\\x4\"\n"
                       "d = \"\\101\\7\\0101\"\n"
                       "e = 'it\"s'\n"
                       "f = \"\"\n"
                       "g = \"# not a comment\"\n");

    CHECK_STR(str(c, "a"), "q\"s'b\\");
    CHECK_STR(str(c, "b"), "tab\there\nnl\r\a\b\f\v");
    CHECK_STR(str(c, "c"), "AJ\x04");
    CHECK_STR(str(c, "d"), "A\a\b1");         /* \010 then 1 */
    CHECK_STR(str(c, "e"), "it\"s");
    CHECK_STR(str(c, "f"), "");
    CHECK_STR(str(c, "g"), "# not a comment");
    cfg_free(c);
}

TEST(string_escape_errors)
{
    CHECK_STR(bad("a = \"x\\qy\"\n"),
              "t.cfg:1: config parsing error near `\"x\\qy\"': invalid "
              "character after backlash in quoted string\n");
    CHECK_STR(bad("\na = 'x\\xg'\n"),
              "t.cfg:2: config parsing error near `'x\\xg'': invalid digit "
              "after backslash hex numerical character escape in quoted "
              "string\n");
    CHECK_STR(bad("a = \"\\x\"\n"),
              "t.cfg:1: config parsing error near `\"\\x\"': invalid digit "
              "after backslash hex numerical character escape in quoted "
              "string\n");
    CHECK_STR(bad("a = \"\\400\"\n"),
              "t.cfg:1: config parsing error near `\"\\400\"': invalid digit "
              "after backslash octal numerical character escape in quoted "
              "string\n");
    CHECK_STR(bad("a = \"a\\0b\"\n"),
              "t.cfg:1: config parsing error near `\"a\\0b\"': NUL character "
              "escape in quoted string\n");
    CHECK_STR(bad("a = \"\\x00\"\n"),
              "t.cfg:1: config parsing error near `\"\\x00\"': NUL character "
              "escape in quoted string\n");
}

TEST(lists)
{
    struct cfg *c = ok("disk = [ 'phy:/dev/wd0g,0x1,w', \"file:/x,xvda,w\" ]\n"
                       "empty = []\n"
                       "trail = [ 1, 2, ]\n"
                       "multi = [\n"
                       "    'a',   # first\n"
                       "\n"
                       "    'b'\n"
                       "    ,\n"
                       "    'c',\n"
                       "]\n"
                       "nest = [ [1, [2, 3]], [], 'x' ]\n");
    const struct cfg_value *l, *i;

    CHECK_EQ(cfg_get_list(c, "disk", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 2);
    CHECK_STR(cfg_list_string(l, 0), "phy:/dev/wd0g,0x1,w");
    CHECK_STR(cfg_list_string(l, 1), "file:/x,xvda,w");
    CHECK(cfg_list_string(l, 2) == NULL);
    CHECK(cfg_list_item(l, 2) == NULL);

    CHECK_EQ(cfg_get_list(c, "empty", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 0);

    CHECK_EQ(cfg_get_list(c, "trail", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 2);
    CHECK_STR(cfg_list_string(l, 1), "2");

    CHECK_EQ(cfg_get_list(c, "multi", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 3);
    CHECK_STR(cfg_list_string(l, 2), "c");
    CHECK_EQ(cfg_key_line(c, "multi"), 4);          /* the '[' */
    CHECK_EQ(cfg_value_line(cfg_list_item(l, 1)), 7);

    CHECK_EQ(cfg_get_list(c, "nest", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 3);
    i = cfg_list_item(l, 0);
    CHECK(cfg_value_type(i) == CFG_LIST);
    CHECK(cfg_list_string(l, 0) == NULL);           /* a list, not a string */
    CHECK(cfg_value_string(i) == NULL);
    CHECK_EQ(cfg_list_count(i), 2);
    CHECK_STR(cfg_list_string(i, 0), "1");
    CHECK_EQ(cfg_list_count(cfg_list_item(i, 1)), 2);
    CHECK_STR(cfg_list_string(cfg_list_item(i, 1), 1), "3");
    CHECK_EQ(cfg_list_count(cfg_list_item(l, 1)), 0);
    CHECK_STR(cfg_list_string(l, 2), "x");
    CHECK_EQ(cfg_list_count(NULL), 0);
    cfg_free(c);
}

TEST(last_assignment_wins_and_order)
{
    struct cfg *c = ok("b = 1\na = 2\nb = [3]\nc = 4\na = 5\n");
    const struct cfg_value *v;
    int line = 0;

    CHECK_EQ(cfg_nr_keys(c), 3);
    CHECK_STR(cfg_key_at(c, 0, &v, &line), "b");
    CHECK(cfg_value_type(v) == CFG_LIST);
    CHECK_EQ(line, 3);
    CHECK_STR(cfg_key_at(c, 1, &v, &line), "a");
    CHECK_STR(cfg_value_string(v), "5");
    CHECK_EQ(line, 5);
    CHECK_STR(cfg_key_at(c, 2, NULL, NULL), "c");
    CHECK(cfg_key_at(c, 3, &v, &line) == NULL);
    cfg_free(c);
}

TEST(append)
{
    struct cfg *c = ok("s = 'con'\ns += \"cat\"\n"
                       "l = [1]\nl += [2, 3]\nl += []\n"
                       "e = []\ne += ['x']\n"
                       "n += 'new'\nm += [7]\n");
    const struct cfg_value *l;
    long v;

    CHECK_STR(str(c, "s"), "concat");
    CHECK_EQ(cfg_key_line(c, "s"), 2);
    CHECK_EQ(cfg_get_list(c, "l", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 3);
    CHECK_STR(cfg_list_string(l, 0), "1");
    CHECK_STR(cfg_list_string(l, 2), "3");
    CHECK_EQ(cfg_get_list(c, "e", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 1);
    CHECK_STR(str(c, "n"), "new");
    CHECK_EQ(cfg_get_list(c, "m", &l, 0), CFG_OK);
    CHECK_EQ(cfg_list_count(l), 1);

    /* A number set with += is refused, in Xen's words. */
    cfg_free(c);
    c = ok("n = 1\nn += 2\n");
    CHECK_STR(str(c, "n"), "12");
    CHECK_EQ(cfg_get_long(c, "n", CFG_LONG_MIN, CFG_LONG_MAX, &v, 0),
             CFG_EAPPEND);
    CHECK_STR(msgs, "t.cfg:2: warning: can't use += with numbers for "
              "parameter `n'\n");
    cfg_free(c);
}

TEST(append_type_mismatch)
{
    CHECK_STR(bad("a = 'x'\na += [1,\n 2]\n"),
              "t.cfg:3: config parsing error near `]': can't add [list] to "
              "\"string\" or vice versa\n");
    CHECK_STR(bad("a = [1]\n\na += \"s\"\n"),
              "t.cfg:3: config parsing error near `\"s\"': can't add [list] "
              "to \"string\" or vice versa\n");
    /* After an error nothing more is stored, so no second message. */
    CHECK_STR(bad("a = 'x'\na += [1]\nb = 'y'\nb += [2]\n"),
              "t.cfg:2: config parsing error near `]': can't add [list] to "
              "\"string\" or vice versa\n");
}

/* ---- syntax errors ------------------------------------------------------ */

TEST(syntax_error_messages)
{
    CHECK_STR(bad("a b\n"),
              "t.cfg:1: config parsing error near `b': syntax error, "
              "unexpected IDENT, expecting += or '='\n");
    CHECK_STR(bad("x = 1\na =\n"),
              "t.cfg:2: config parsing error near <newline>: syntax error, "
              "unexpected NEWLINE, expecting STRING or NUMBER or '['\n");
    CHECK_STR(bad("a = # nothing\n"),
              "t.cfg:1: config parsing error near `# nothing': syntax error, "
              "unexpected NEWLINE, expecting STRING or NUMBER or '['\n");
    CHECK_STR(bad("\"x\"\n"),
              "t.cfg:1: config parsing error near `\"x\"': syntax error, "
              "unexpected STRING, expecting $end or IDENT or NEWLINE or "
              "';'\n");
    CHECK_STR(bad("= 1\n"),
              "t.cfg:1: config parsing error near `=': syntax error, "
              "unexpected '=', expecting $end or IDENT or NEWLINE or ';'\n");
    CHECK_STR(bad("+= 1\n"),
              "t.cfg:1: config parsing error near `+=': syntax error, "
              "unexpected +=, expecting $end or IDENT or NEWLINE or ';'\n");
    CHECK_STR(bad("a = ]\n"),
              "t.cfg:1: config parsing error near `]': syntax error, "
              "unexpected ']', expecting STRING or NUMBER or '['\n");
    CHECK_STR(bad("a = 1 = 2\n"),
              "t.cfg:1: config parsing error near `=': syntax error, "
              "unexpected '=', expecting $end\n");
    CHECK_STR(bad("a = [,]\n"),
              "t.cfg:1: config parsing error near `,': syntax error, "
              "unexpected ',', expecting ']'\n");
    CHECK_STR(bad("a = [1 2]\n"),
              "t.cfg:1: config parsing error near `2': syntax error, "
              "unexpected NUMBER, expecting ']'\n");
    CHECK_STR(bad("a = [1,,2]\n"),
              "t.cfg:1: config parsing error near `,': syntax error, "
              "unexpected ',', expecting ']'\n");
    CHECK_STR(bad("a = [1;]\n"),
              "t.cfg:1: config parsing error near `;': syntax error, "
              "unexpected ';', expecting ']'\n");
    /* Bison reports at end of file on the last token's line. */
    CHECK_STR(bad("a = [1,\n"),
              "t.cfg:1: config parsing error near <end of file>: syntax "
              "error, unexpected $end, expecting ']'\n");
    CHECK_STR(bad("a ="),
              "t.cfg:1: config parsing error near <end of file>: syntax "
              "error, unexpected $end, expecting STRING or NUMBER or '['\n");
    CHECK_STR(bad("a"),
              "t.cfg:1: config parsing error near <end of file>: syntax "
              "error, unexpected $end, expecting += or '='\n");
}

TEST(error_recovery)
{
    /* After "a = 1 b" the parser has reduced the file: Bison gives up. */
    CHECK_STR(bad("a = 1 b\nc d\n"),
              "t.cfg:1: config parsing error near `b': syntax error, "
              "unexpected IDENT, expecting $end\n");
    /* Errors within three tokens of the last one are not reported... */
    CHECK_STR(bad("a b\nc d\ne f\n"),
              "t.cfg:1: config parsing error near `b': syntax error, "
              "unexpected IDENT, expecting += or '='\n");
    /* ... later ones are, and the rest of a bad line is skipped. */
    CHECK_STR(bad("a b c d\n\nok = 1\ne f\n"),
              "t.cfg:1: config parsing error near `b': syntax error, "
              "unexpected IDENT, expecting += or '='\n"
              "t.cfg:4: config parsing error near `f': syntax error, "
              "unexpected IDENT, expecting += or '='\n");
    /* A list broken on its first line leaves its other lines as
     * statements, as in Xen. */
    CHECK_STR(bad("disk = [ 'a' 'b',\n 'c' ]\nname = 'x'\n"),
              "t.cfg:1: config parsing error near `'b'': syntax error, "
              "unexpected STRING, expecting ']'\n");
}

TEST(lexical_errors)
{
    CHECK_STR(bad("Name = \"x\"\n"),
              "t.cfg:1: config parsing error near `Name': lexical error\n");
    CHECK_STR(bad("name=\"x\"\nMemory=1\n"),
              "t.cfg:2: config parsing error near `Memory=1': lexical "
              "error\n");
    /* Unterminated strings. */
    CHECK_STR(bad("a = \"abc\nb = 1\n"),
              "t.cfg:1: config parsing error near `\"abc': lexical error\n");
    CHECK_STR(bad("a = 'two words\n"),
              "t.cfg:1: config parsing error near `'two': lexical error\n");
    CHECK_STR(bad("a = 'x\\\nb = 1\n"),
              "t.cfg:1: config parsing error near `'x\\': lexical error\n");
    CHECK_STR(bad("a = \"eof"),
              "t.cfg:1: config parsing error near `\"eof': lexical error\n");
    /* Other stray characters, at the end of a line and of the file. */
    CHECK_STR(bad("a = $\n"),
              "t.cfg:1: config parsing error near `$': lexical error\n");
    CHECK_STR(bad("a = 1\n$"),
              "t.cfg:2: config parsing error near `$': lexical error\n");
    CHECK_STR(bad("a = 1\r\n"),
              "t.cfg:1: config parsing error near `\\r': lexical error\n");
    CHECK_STR(bad("a = '\x1b'\nb = \x1b[1m\n"),
              "t.cfg:2: config parsing error near `\\x1b[1m': lexical "
              "error\n");
    /* A NUMBER stops at a capital: "0x1F" is 0x1 then F. */
    CHECK_STR(bad("a = 0x1F\n"),
              "t.cfg:1: config parsing error near `F': lexical error\n");
    /* One message per line after a lexical error. */
    CHECK_STR(bad("a = $ b C\nc d\n"),
              "t.cfg:1: config parsing error near `$': lexical error\n");
    CHECK_STR(bad("a = 1\nb = $x\n\nc = $y\n"),
              "t.cfg:2: config parsing error near `$x': lexical error\n"
              "t.cfg:4: config parsing error near `$y': lexical error\n");
}

TEST(python_hint)
{
    static const char hint[] =
        "warning: Config file looks like it contains Python code.\n"
        "warning:  Arbitrary Python is no longer supported.\n"
        "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n";
    char want[512];

    snprintf(want, sizeof(want), "t.cfg:1: config parsing error near "
             "`-colors': lexical error\n%s", hint);
    CHECK_STR(bad("llc-colors = \"9-13\"\n"), want);
    snprintf(want, sizeof(want), "t.cfg:2: config parsing error near "
             "`.5': lexical error\n%s", hint);
    CHECK_STR(bad("a = 1\nb = 1.5\n"), want);
    snprintf(want, sizeof(want), "t.cfg:1: config parsing error near "
             "`(\"a\",': lexical error\n%s", hint);
    CHECK_STR(bad("disk = (\"a\", \"b\")\n"), want);
    /* No hint without an error, nor for errors without such characters. */
    CHECK_STR(bad("a b\n"), "t.cfg:1: config parsing error near `b': syntax "
              "error, unexpected IDENT, expecting += or '='\n");
}

TEST(nesting_limit)
{
    char text[256];
    struct cfg *c;
    unsigned int i, n = 0;
    const struct cfg_value *v;

    /* 32 levels are fine... */
    n += (unsigned int)snprintf(text, sizeof(text), "a = ");
    for ( i = 0; i < CFG_MAX_DEPTH; i++ )
        text[n++] = '[';
    text[n++] = '1';
    for ( i = 0; i < CFG_MAX_DEPTH; i++ )
        text[n++] = ']';
    text[n++] = '\n';
    text[n] = '\0';
    c = ok(text);
    v = cfg_lookup(c, "a");
    for ( i = 1; i < CFG_MAX_DEPTH && v; i++ )
        v = cfg_list_item(v, 0);
    CHECK(v && cfg_value_type(v) == CFG_LIST);
    CHECK_STR(cfg_list_string(v, 0), "1");
    cfg_free(c);

    /* ... 33 are not, and parsing stops there. */
    n = (unsigned int)snprintf(text, sizeof(text), "\na = ");
    for ( i = 0; i <= CFG_MAX_DEPTH; i++ )
        text[n++] = '[';
    text[n] = '\0';
    CHECK_STR(bad(text), "t.cfg:2: config parsing error near `[': lists "
              "nested too deeply (the limit is 32 levels)\n");
}

TEST(deep_nesting_hostile)
{
    /* A megabyte of '[' must neither recurse nor blow a stack. */
    size_t n = 1 << 20;
    char *text = malloc(n + 5);

    memcpy(text, "a = ", 4);
    memset(text + 4, '[', n);
    text[n + 4] = '\0';
    CHECK_STR(bad(text), "t.cfg:1: config parsing error near `[': lists "
              "nested too deeply (the limit is 32 levels)\n");
    free(text);
}

TEST(nul_byte)
{
    static const char text[] = "a = 1\nb = \"x\0y\"\n";
    struct cfg *c = (struct cfg *)1;

    CHECK_EQ(parse_n(text, sizeof(text) - 1, &c), CFG_EINVAL);
    CHECK(c == NULL);
    CHECK_STR(msgs, "t.cfg:2: config parsing error: NUL character in "
              "input\n");
    CHECK_EQ(parse_n("\0", 1, &c), CFG_EINVAL);
    CHECK_STR(msgs, "t.cfg:1: config parsing error: NUL character in "
              "input\n");
}

TEST(input_too_large)
{
    size_t n = CFG_MAX_INPUT + 1;
    char *text = malloc(n);
    struct cfg *c = (struct cfg *)1;
    const char *const over[] = { "a=1" };
    char want[128];

    memset(text, '\n', n);
    CHECK_EQ(parse_n(text, n, &c), CFG_EINVAL);
    CHECK(c == NULL);
    snprintf(want, sizeof(want), "t.cfg: config parsing error: input too "
             "large (%lu bytes; the limit is %lu)\n", (unsigned long)n,
             (unsigned long)CFG_MAX_INPUT);
    CHECK_STR(msgs, want);
    /* Exactly the limit is fine. */
    CHECK_EQ(parse_n(text, n - 1, &c), CFG_OK);
    cfg_free(c);
    /* The limit applies to the file with its overrides. */
    mb.len = 0;
    CHECK_EQ(cfg_parse_with_overrides(text, n - 1, "t.cfg", over, 1,
                                      cfg_msgbuf_report, &mb, &c),
             CFG_EINVAL);
    CHECK(c == NULL);
    snprintf(want, sizeof(want), "t.cfg: config parsing error: input too "
             "large (%lu bytes; the limit is %lu)\n",
             (unsigned long)n - 1 + 6, (unsigned long)CFG_MAX_INPUT);
    CHECK_STR(msgs, want);
    free(text);
}

TEST(long_token_in_message)
{
    /* Messages longer than the formatter's first buffer arrive whole. */
    char text[700], want[800];

    memset(text, 'x', sizeof(text));
    memcpy(text, "A", 1);
    text[600] = '\n';
    text[601] = '\0';
    snprintf(want, sizeof(want), "t.cfg:1: config parsing error near `%.600s'"
             ": lexical error\n", text);
    CHECK_STR(bad(text), want);
}

/* ---- overrides --------------------------------------------------------- */

TEST(overrides)
{
    static const char file[] = "name = 'a'\nmemory = 256\n";
    const char *const over[] = { "memory=1024", "vcpus = 2", "extra='x'" };
    const char *const bad_over[] = { "vcpus=2", "memory=" };
    const char *const list_over[] = { "memory=2" };
    struct cfg *c = NULL;

    mb = (struct cfg_msgbuf){ msgs, sizeof(msgs), 0, false };
    CHECK_EQ(cfg_parse_with_overrides(file, strlen(file), "t.cfg", over, 3,
                                      cfg_msgbuf_report, &mb, &c), CFG_OK);
    /* Applied after the file, one "line" each after a blank one. */
    CHECK_STR(str(c, "memory"), "1024");
    CHECK_EQ(cfg_key_line(c, "memory"), 4);
    CHECK_STR(str(c, "vcpus"), "2");
    CHECK_EQ(cfg_key_line(c, "vcpus"), 5);
    CHECK_STR(str(c, "extra"), "x");
    CHECK_STR(str(c, "name"), "a");
    cfg_free(c);

    /* A file without a final newline gets one. */
    CHECK_EQ(cfg_parse_with_overrides("memory = 1", 10, "t.cfg", over, 1,
                                      cfg_msgbuf_report, &mb, &c), CFG_OK);
    CHECK_STR(str(c, "memory"), "1024");
    CHECK_EQ(cfg_key_line(c, "memory"), 2);
    cfg_free(c);

    /* Errors in overrides carry the file's name and following lines. */
    mb.len = 0;
    CHECK_EQ(cfg_parse_with_overrides(file, strlen(file), "t.cfg", bad_over,
                                      2, cfg_msgbuf_report, &mb, &c),
             CFG_EINVAL);
    CHECK(c == NULL);
    CHECK_STR(msgs, "t.cfg:5: config parsing error near <newline>: syntax "
              "error, unexpected NEWLINE, expecting STRING or NUMBER or "
              "'['\n");

    /* Overrides are plain text after the file: an open list takes them. */
    mb.len = 0;
    CHECK_EQ(cfg_parse_with_overrides("disk = [\n", 9, "t.cfg", list_over, 1,
                                      cfg_msgbuf_report, &mb, &c),
             CFG_EINVAL);
    CHECK_STR(msgs, "t.cfg:3: config parsing error near `memory': syntax "
              "error, unexpected IDENT, expecting ']'\n");

    /* No overrides: the file alone. */
    mb.len = 0;
    CHECK_EQ(cfg_parse_with_overrides(file, strlen(file), "t.cfg", NULL, 0,
                                      cfg_msgbuf_report, &mb, &c), CFG_OK);
    CHECK_STR(str(c, "memory"), "256");
    cfg_free(c);
}

/* ---- look-ups ---------------------------------------------------------- */

TEST(get_string_and_list_kinds)
{
    struct cfg *c = ok("s = 'x'\nl = ['y']\n");
    const struct cfg_value *v = NULL;
    const char *s = NULL;

    mb.len = 0;
    msgs[0] = '\0';
    CHECK_EQ(cfg_get_string(c, "l", &s, 0), CFG_ETYPE);
    CHECK_STR(msgs, "t.cfg:2: warning: parameter `l' is a list but should "
              "be a single value\n");
    mb.len = 0;
    CHECK_EQ(cfg_get_list(c, "s", &v, 0), CFG_ETYPE);
    CHECK_STR(msgs, "t.cfg:1: warning: parameter `s' is a single value but "
              "should be a list\n");
    mb.len = 0;
    msgs[0] = '\0';
    CHECK_EQ(cfg_get_string(c, "l", &s, CFG_QUIET), CFG_ETYPE);
    CHECK_EQ(cfg_get_list(c, "s", &v, CFG_QUIET), CFG_ETYPE);
    CHECK_EQ(cfg_get_string(c, "none", &s, 0), CFG_ENOENT);
    CHECK_EQ(cfg_get_list(c, "none", &v, 0), CFG_ENOENT);
    CHECK_STR(msgs, "");
    CHECK_EQ(cfg_list_count(cfg_lookup(c, "s")), 0);
    CHECK(cfg_list_item(cfg_lookup(c, "s"), 0) == NULL);
    CHECK(cfg_value_string(cfg_lookup(c, "l")) == NULL);
    cfg_free(c);
}

TEST(get_long)
{
    struct cfg *c = ok("dec = 42\nhex = 0x1a\noct = 017\nneg = '-5'\n"
                       "sp = ' 7'\nbad1 = 12abc\nbad2 = 08\nbad3 = 0x\n"
                       "bad4 = ''\nbig = 99999999999999999999\n"
                       "max = 9223372036854775807\n"
                       "min = '-9223372036854775808'\nl = [1]\n");
    long v = 0;

    CHECK_EQ(cfg_get_long(c, "dec", 0, 100, &v, 0), CFG_OK);
    CHECK_EQ(v, 42);
    CHECK_EQ(cfg_get_long(c, "hex", 0, 100, &v, 0), CFG_OK);
    CHECK_EQ(v, 26);
    CHECK_EQ(cfg_get_long(c, "oct", 0, 100, &v, 0), CFG_OK);
    CHECK_EQ(v, 15);
    CHECK_EQ(cfg_get_long(c, "neg", -10, 100, &v, 0), CFG_OK);
    CHECK_EQ(v, -5);
    CHECK_EQ(cfg_get_long(c, "sp", 0, 100, &v, 0), CFG_OK);
    CHECK_EQ(v, 7);
    CHECK_EQ(cfg_get_long(c, "max", CFG_LONG_MIN, CFG_LONG_MAX, &v, 0),
             CFG_OK);
    CHECK(v == CFG_LONG_MAX);
    CHECK_EQ(cfg_get_long(c, "min", CFG_LONG_MIN, CFG_LONG_MAX, &v, 0),
             CFG_OK);
    CHECK(v == CFG_LONG_MIN);
    CHECK_STR(msgs, "");

    CHECK_EQ(cfg_get_long(c, "bad1", 0, 100, &v, 0), CFG_EINVAL);
    CHECK_EQ(cfg_get_long(c, "bad2", 0, 100, &v, 0), CFG_EINVAL);
    CHECK_EQ(cfg_get_long(c, "bad3", 0, 100, &v, 0), CFG_EINVAL);
    CHECK_EQ(cfg_get_long(c, "bad4", 0, 100, &v, 0), CFG_EINVAL);
    CHECK_EQ(cfg_get_long(c, "big", CFG_LONG_MIN, CFG_LONG_MAX, &v, 0),
             CFG_ERANGE);
    CHECK_EQ(cfg_get_long(c, "dec", 50, 100, &v, 0), CFG_ERANGE);
    CHECK_EQ(cfg_get_long(c, "dec", 0, 10, &v, 0), CFG_ERANGE);
    CHECK_EQ(cfg_get_long(c, "l", 0, 10, &v, 0), CFG_ETYPE);
    CHECK_EQ(cfg_get_long(c, "none", 0, 10, &v, 0), CFG_ENOENT);
    CHECK_STR(msgs,
              "t.cfg:6: warning: parameter `bad1' is not a valid number\n"
              "t.cfg:7: warning: parameter `bad2' is not a valid number\n"
              "t.cfg:8: warning: parameter `bad3' is not a valid number\n"
              "t.cfg:9: warning: parameter `bad4' is not a valid number\n"
              "t.cfg:10: warning: parameter `big' could not be parsed as a "
              "number: Numerical result out of range\n"
              "t.cfg:1: warning: value `42' is smaller than minimum bound "
              "'50'\n"
              "t.cfg:1: warning: value `42' is greater than maximum bound "
              "'10'\n"
              "t.cfg:13: warning: parameter `l' is a list but should be a "
              "single value\n");
    CHECK(v == CFG_LONG_MIN);       /* untouched by the failures */
    cfg_free(c);
}

TEST(parse_long_helper)
{
    long v = 0;

    CHECK_EQ(cfg_parse_long("0", &v), CFG_OK);
    CHECK_EQ(v, 0);
    CHECK_EQ(cfg_parse_long("  +0X10", &v), CFG_OK);
    CHECK_EQ(v, 16);
    CHECK_EQ(cfg_parse_long("-010", &v), CFG_OK);
    CHECK_EQ(v, -8);
    CHECK_EQ(cfg_parse_long("-9223372036854775809", &v), CFG_ERANGE);
    CHECK_EQ(cfg_parse_long("9223372036854775808x", &v), CFG_ERANGE);
    CHECK_EQ(cfg_parse_long("0x", &v), CFG_EINVAL);
    CHECK_EQ(cfg_parse_long("-", &v), CFG_EINVAL);
    CHECK_EQ(cfg_parse_long("", &v), CFG_EINVAL);
    CHECK_EQ(cfg_parse_long("5 ", &v), CFG_EINVAL);
    CHECK_EQ(cfg_parse_long("0xfffffffffffffffff", &v), CFG_ERANGE);
    CHECK_EQ(v, -8);
}

TEST(many_keys)
{
    /* Enough keys to grow the table several times; order is kept. */
    size_t n = 5000, i, len = 0;
    char *text = malloc(n * 24), key[16];
    struct cfg *c;

    for ( i = 0; i < n; i++ )
        len += (size_t)sprintf(text + len, "k%lu = %lu\n", (unsigned long)i,
                               (unsigned long)i * 3);
    CHECK_EQ(parse_n(text, len, &c), CFG_OK);
    CHECK_EQ(cfg_nr_keys(c), n);
    for ( i = 0; i < n; i += 97 )
    {
        long v = -1;

        snprintf(key, sizeof(key), "k%lu", (unsigned long)i);
        CHECK_STR(cfg_key_at(c, i, NULL, NULL), key);
        CHECK_EQ(cfg_get_long(c, key, 0, CFG_LONG_MAX, &v, 0), CFG_OK);
        CHECK_EQ(v, (long)i * 3);
        CHECK_EQ(cfg_key_line(c, key), (int)i + 1);
    }
    cfg_free(c);
    free(text);
}

TEST(message_buffer)
{
    char small[40];
    struct cfg_msgbuf m = { small, sizeof(small), 0, false };
    struct cfg *c = (struct cfg *)1;

    /* Whole lines only: the second does not fit and is dropped. */
    cfg_msgbuf_report(&m, "first line");
    cfg_msgbuf_report(&m, "a second line that is too long to fit");
    CHECK_STR(small, "first line\n");
    CHECK(m.truncated);
    /* No report function at all is fine too. */
    CHECK_EQ(cfg_parse("a b\n", 4, "t.cfg", NULL, NULL, &c), CFG_EINVAL);
    CHECK(c == NULL);
    CHECK_EQ(cfg_parse("a=1", 3, NULL, NULL, NULL, &c), CFG_OK);
    CHECK_STR(cfg_source(c), "config");
    cfg_free(c);
    cfg_free(NULL);
    CHECK_STR(cfg_strerror(CFG_ERANGE), "out of range");
    CHECK_STR(cfg_strerror(12345), "unknown error");
}

int main(void)
{
    RUN(empty_inputs);
    RUN(assignments_and_types);
    RUN(separators_and_last_line);
    RUN(number_tokens);
    RUN(string_escapes);
    RUN(string_escape_errors);
    RUN(lists);
    RUN(last_assignment_wins_and_order);
    RUN(append);
    RUN(append_type_mismatch);
    RUN(syntax_error_messages);
    RUN(error_recovery);
    RUN(lexical_errors);
    RUN(python_hint);
    RUN(nesting_limit);
    RUN(deep_nesting_hostile);
    RUN(nul_byte);
    RUN(input_too_large);
    RUN(long_token_in_message);
    RUN(overrides);
    RUN(get_string_and_list_kinds);
    RUN(get_long);
    RUN(parse_long_helper);
    RUN(many_keys);
    RUN(message_buffer);
    HARNESS_EXIT();
}
