/*
 * cfg_parse.c - the xl.cfg grammar, as an explicit LR(1) automaton.
 *
 * Why an automaton and not recursive descent: users (and their scripts)
 * know Xen's messages, which come from a Bison LALR(1) parser with verbose
 * errors.  What Bison says ("syntax error, unexpected IDENT, expecting
 * $end") depends on the state in which it notices the error, after its
 * default reductions, and its error recovery decides which later errors
 * are reported.  Running the same automaton reproduces all of that, and
 * an explicit stack needs no recursion: nesting depth is checked when a
 * '[' is shifted.
 *
 * The grammar, numbered as the reductions below:
 *
 *    2 file: stmts                      3 file: stmts assignment
 *    4 stmts: (empty)                   5 stmts: stmts stmt
 *    6 stmt: assignment endstmt         7 stmt: endstmt
 *    8 stmt: error NEWLINE
 *    9 assignment: IDENT '=' value     10 assignment: IDENT "+=" value
 *   11 endstmt: NEWLINE                12 endstmt: ';'
 *   13 value: atom                     14 value: '[' nlok valuelist ']'
 *   15 atom: STRING                    16 atom: NUMBER
 *   17 valuelist: (empty)              18 valuelist: values
 *   19 valuelist: values ',' nlok
 *   20 values: value nlok              21 values: values ',' nlok value nlok
 *   22 nlok: (empty)                   23 nlok: nlok NEWLINE
 *
 * Its LALR(1) states are below, with the item that names each.  A state
 * that only ever reduces one rule does so without reading a token (as
 * Bison does), which decides when the lexer runs and so the order of
 * messages.  Error recovery is Bison's: report unless within three
 * shifted tokens of the last error, pop to a state that shifts `error'
 * (only ST_STMTS), then drop tokens up to a NEWLINE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_private.h"

enum state {
    ST_START,           /* $accept: . file $end */
    ST_FILE,            /* $accept: file . $end */
    ST_STMTS,           /* file: stmts . ; stmts: stmts . stmt */
    ST_ACCEPT,          /* $accept: file $end . */
    ST_ERROR,           /* stmt: error . NEWLINE */
    ST_IDENT,           /* assignment: IDENT . '=' value | IDENT . += */
    ST_NL,              /* endstmt: NEWLINE . */
    ST_SEMI,            /* endstmt: ';' . */
    ST_STMT,            /* stmts: stmts stmt . */
    ST_ASSIGN,          /* file: stmts assignment . ; stmt: assignment . */
    ST_ENDSTMT,         /* stmt: endstmt . */
    ST_ERROR_NL,        /* stmt: error NEWLINE . */
    ST_OPADD,           /* assignment: IDENT += . value */
    ST_OPSET,           /* assignment: IDENT '=' . value */
    ST_ASSIGN_END,      /* stmt: assignment endstmt . */
    ST_STRING,          /* atom: STRING . */
    ST_NUMBER,          /* atom: NUMBER . */
    ST_LBRACK,          /* value: '[' . nlok valuelist ']' */
    ST_ADD_VALUE,       /* assignment: IDENT += value . */
    ST_ATOM,            /* value: atom . */
    ST_SET_VALUE,       /* assignment: IDENT '=' value . */
    ST_LIST_OPEN,       /* value: '[' nlok . valuelist ']' */
    ST_NLOK_NL,         /* nlok: nlok NEWLINE . */
    ST_ITEM_FIRST,      /* values: value . nlok */
    ST_VALUELIST,       /* value: '[' nlok valuelist . ']' */
    ST_VALUES,          /* valuelist: values . [',' nlok] ; values: values . ',' */
    ST_ITEM_FIRST_NL,   /* values: value nlok . */
    ST_RBRACK,          /* value: '[' nlok valuelist ']' . */
    ST_COMMA,           /* values ',' . nlok ... */
    ST_COMMA_NLOK,      /* values ',' nlok . [value nlok] */
    ST_ITEM_NEXT,       /* values: values ',' nlok value . nlok */
    ST_ITEM_NEXT_NL,    /* values: values ',' nlok value nlok . */
};

enum lhs { N_FILE, N_STMTS, N_STMT, N_ASSIGN, N_ENDSTMT, N_VALUE, N_ATOM,
           N_VALUELIST, N_VALUES, N_NLOK };

static const struct rule {
    uint8_t lhs, len;
} rules[] = {
    [2]  = { N_FILE, 1 },      [3]  = { N_FILE, 2 },
    [4]  = { N_STMTS, 0 },     [5]  = { N_STMTS, 2 },
    [6]  = { N_STMT, 2 },      [7]  = { N_STMT, 1 },
    [8]  = { N_STMT, 2 },
    [9]  = { N_ASSIGN, 3 },    [10] = { N_ASSIGN, 3 },
    [11] = { N_ENDSTMT, 1 },   [12] = { N_ENDSTMT, 1 },
    [13] = { N_VALUE, 1 },     [14] = { N_VALUE, 4 },
    [15] = { N_ATOM, 1 },      [16] = { N_ATOM, 1 },
    [17] = { N_VALUELIST, 0 }, [18] = { N_VALUELIST, 1 },
    [19] = { N_VALUELIST, 3 },
    [20] = { N_VALUES, 2 },    [21] = { N_VALUES, 5 },
    [22] = { N_NLOK, 0 },      [23] = { N_NLOK, 2 },
};

/* Reduction of a state that never reads a token for it, or 0. */
static const uint8_t consistent[ST_ITEM_NEXT_NL + 1] = {
    [ST_START] = 4, [ST_NL] = 11, [ST_SEMI] = 12, [ST_STMT] = 5,
    [ST_ENDSTMT] = 7, [ST_ERROR_NL] = 8, [ST_ASSIGN_END] = 6,
    [ST_STRING] = 15, [ST_NUMBER] = 16, [ST_LBRACK] = 22,
    [ST_ADD_VALUE] = 10, [ST_ATOM] = 13, [ST_SET_VALUE] = 9,
    [ST_NLOK_NL] = 23, [ST_ITEM_FIRST] = 22, [ST_RBRACK] = 14,
    [ST_COMMA] = 22, [ST_ITEM_NEXT] = 22,
};

/* Token names as Bison prints them. */
static const char *const tok_name[] = {
    [TOK_EOF] = "$end", [TOK_IDENT] = "IDENT", [TOK_STRING] = "STRING",
    [TOK_NUMBER] = "NUMBER", [TOK_NEWLINE] = "NEWLINE", [TOK_ADD] = "+=",
    [TOK_SET] = "'='", [TOK_SEMI] = "';'", [TOK_LBRACK] = "'['",
    [TOK_RBRACK] = "']'", [TOK_COMMA] = "','",
};

/* What each state that can detect an error expects, for the message. */
static const char *expected(enum state st)
{
    switch ( st )
    {
    case ST_FILE:      return "$end";
    case ST_STMTS:     return "$end or IDENT or NEWLINE or ';'";
    case ST_IDENT:     return "+= or '='";
    case ST_OPADD:
    case ST_OPSET:     return "STRING or NUMBER or '['";
    case ST_VALUELIST: return "']'";
    case ST_ERROR:     return "NEWLINE";
    default:           return NULL;
    }
}

/* Shift (> 0: state + 1), reduce (< 0: -rule) or error (0) on tok in a
 * state that reads a token. */
#define SHIFT(s) ((int)(s) + 1)
static int action(enum state st, enum cfg_tok tok)
{
    switch ( st )
    {
    case ST_FILE:
        return tok == TOK_EOF ? SHIFT(ST_ACCEPT) : 0;
    case ST_STMTS:
        switch ( tok )
        {
        case TOK_EOF:     return -2;
        case TOK_IDENT:   return SHIFT(ST_IDENT);
        case TOK_NEWLINE: return SHIFT(ST_NL);
        case TOK_SEMI:    return SHIFT(ST_SEMI);
        default:          return 0;
        }
    case ST_ERROR:
        return tok == TOK_NEWLINE ? SHIFT(ST_ERROR_NL) : 0;
    case ST_IDENT:
        return tok == TOK_ADD ? SHIFT(ST_OPADD) :
               tok == TOK_SET ? SHIFT(ST_OPSET) : 0;
    case ST_ASSIGN:
        return tok == TOK_NEWLINE ? SHIFT(ST_NL) :
               tok == TOK_SEMI ? SHIFT(ST_SEMI) : -3;
    case ST_OPADD:
    case ST_OPSET:
    case ST_LIST_OPEN:
    case ST_COMMA_NLOK:
        switch ( tok )
        {
        case TOK_STRING:  return SHIFT(ST_STRING);
        case TOK_NUMBER:  return SHIFT(ST_NUMBER);
        case TOK_LBRACK:  return SHIFT(ST_LBRACK);
        case TOK_NEWLINE:
            if ( st == ST_LIST_OPEN || st == ST_COMMA_NLOK )
                return SHIFT(ST_NLOK_NL);
            return 0;
        default:
            return st == ST_LIST_OPEN ? -17 : st == ST_COMMA_NLOK ? -19 : 0;
        }
    case ST_VALUELIST:
        return tok == TOK_RBRACK ? SHIFT(ST_RBRACK) : 0;
    case ST_VALUES:
        return tok == TOK_COMMA ? SHIFT(ST_COMMA) : -18;
    case ST_ITEM_FIRST_NL:
        return tok == TOK_NEWLINE ? SHIFT(ST_NLOK_NL) : -20;
    case ST_ITEM_NEXT_NL:
        return tok == TOK_NEWLINE ? SHIFT(ST_NLOK_NL) : -21;
    default:
        return 0;
    }
}

/* The state after reducing to lhs on top of state below; -1 if none
 * (cannot happen for a correct automaton). */
static int go_to(enum lhs lhs, enum state below)
{
    switch ( lhs )
    {
    case N_FILE:
        return below == ST_START ? ST_FILE : -1;
    case N_STMTS:
        return below == ST_START ? ST_STMTS : -1;
    case N_STMT:
        return below == ST_STMTS ? ST_STMT : -1;
    case N_ASSIGN:
        return below == ST_STMTS ? ST_ASSIGN : -1;
    case N_ENDSTMT:
        return below == ST_STMTS ? ST_ENDSTMT :
               below == ST_ASSIGN ? ST_ASSIGN_END : -1;
    case N_VALUE:
        switch ( below )
        {
        case ST_OPADD:      return ST_ADD_VALUE;
        case ST_OPSET:      return ST_SET_VALUE;
        case ST_LIST_OPEN:  return ST_ITEM_FIRST;
        case ST_COMMA_NLOK: return ST_ITEM_NEXT;
        default:            return -1;
        }
    case N_ATOM:
        return below == ST_OPADD || below == ST_OPSET ||
               below == ST_LIST_OPEN || below == ST_COMMA_NLOK ? ST_ATOM : -1;
    case N_VALUELIST:
        return below == ST_LIST_OPEN ? ST_VALUELIST : -1;
    case N_VALUES:
        return below == ST_LIST_OPEN ? ST_VALUES : -1;
    case N_NLOK:
        switch ( below )
        {
        case ST_LBRACK:     return ST_LIST_OPEN;
        case ST_ITEM_FIRST: return ST_ITEM_FIRST_NL;
        case ST_COMMA:      return ST_COMMA_NLOK;
        case ST_ITEM_NEXT:  return ST_ITEM_NEXT_NL;
        default:            return -1;
        }
    }
    return -1;
}

/*
 * One stack entry: the state and the semantic value of the symbol that
 * led to it (a key or atom string, or a value).  The deepest stack is a
 * statement prefix (4 entries) plus at most 5 per list level.
 */
struct slot {
    uint8_t state;
    int line;
    char *str;
    struct cfg_value *val;
};
#define STACK_MAX (8 + 6 * (CFG_MAX_DEPTH + 1))
#define STR_(x) #x
#define STR(x) STR_(x)

struct parser {
    struct cfg_pctx ctx;
    struct slot stack[STACK_MAX];
    unsigned int sp;                /* entries in use */
    unsigned int depth;             /* ST_LBRACK entries on the stack */
    struct cfg_token la;            /* lookahead */
    bool have_la;
    unsigned int errstatus;         /* Bison's yyerrstatus */
};

static void slot_clear(struct slot *s)
{
    free(s->str);
    cfg__value_free(s->val);
    s->str = NULL;
    s->val = NULL;
}

static void pop(struct parser *ps)
{
    struct slot *s = &ps->stack[--ps->sp];

    if ( s->state == ST_LBRACK )
        ps->depth--;
    slot_clear(s);
}

/* Push state; str/val are owned by the stack from here on. */
static bool push(struct parser *ps, enum state st, int line, char *str,
                 struct cfg_value *val)
{
    struct slot *s;

    if ( st == ST_LBRACK )
    {
        if ( ps->depth >= CFG_MAX_DEPTH )
        {
            free(str);
            cfg__value_free(val);
            cfg__syntax_error(&ps->ctx, &ps->la,
                              "lists nested too deeply (the limit is "
                              STR(CFG_MAX_DEPTH) " levels)");
            return false;
        }
        ps->depth++;
    }
    if ( ps->sp == STACK_MAX )
    {
        /* Unreachable given the depth limit; fail safe all the same. */
        free(str);
        cfg__value_free(val);
        cfg__syntax_error(&ps->ctx, &ps->la, "parser stack overflow");
        return false;
    }
    s = &ps->stack[ps->sp++];
    s->state = (uint8_t)st;
    s->line = line;
    s->str = str;
    s->val = val;
    return true;
}

static struct cfg_value *new_list(struct parser *ps, int line)
{
    struct cfg_value *v = calloc(1, sizeof(*v));

    if ( !v )
        ps->ctx.nomem = true;
    else
    {
        v->type = CFG_LIST;
        v->line = line;
    }
    return v;
}

/* Append item to list; takes ownership of item. */
static bool list_append(struct parser *ps, struct cfg_value *list,
                        struct cfg_value *item)
{
    if ( list->u.list.nr == list->u.list.cap )
    {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        struct cfg_value **it;

        if ( cap > (size_t)-1 / sizeof(*it) ||
             !(it = realloc(list->u.list.item, cap * sizeof(*it))) )
        {
            cfg__value_free(item);
            ps->ctx.nomem = true;
            return false;
        }
        list->u.list.item = it;
        list->u.list.cap = cap;
    }
    list->u.list.item[list->u.list.nr++] = item;
    return true;
}

/*
 * KEY += value where KEY is set: join the two in val.  Strings
 * concatenate, lists concatenate; mixing is Xen's error, reported at the
 * last token of the value as Xen does.
 */
static bool join(struct parser *ps, struct cfg_value *prev,
                 struct cfg_value *val)
{
    if ( prev->type != val->type )
    {
        cfg__lexical_error(&ps->ctx, ps->ctx.last_line, ps->ctx.last_text,
                           ps->ctx.last_len,
                           "can't add [list] to \"string\" or vice versa");
        return false;
    }
    if ( val->type == CFG_STRING )
    {
        size_t a = strlen(prev->u.str), b = strlen(val->u.str);
        char *s;

        if ( a > (size_t)-1 - b - 1 || !(s = malloc(a + b + 1)) )
        {
            ps->ctx.nomem = true;
            return false;
        }
        memcpy(s, prev->u.str, a);
        memcpy(s + a, val->u.str, b + 1);
        free(val->u.str);
        val->u.str = s;
    }
    else
    {
        size_t a = prev->u.list.nr, b = val->u.list.nr;
        struct cfg_value **it;

        if ( !a )
            return true;
        if ( a > (size_t)-1 / sizeof(*it) - b ||
             !(it = malloc((a + b) * sizeof(*it))) )
        {
            ps->ctx.nomem = true;
            return false;
        }
        /* The old list is freed when val replaces it: move its items
         * rather than copy them. */
        memcpy(it, prev->u.list.item, a * sizeof(*it));
        if ( b )
            memcpy(it + a, val->u.list.item, b * sizeof(*it));
        free(val->u.list.item);
        val->u.list.item = it;
        val->u.list.nr = val->u.list.cap = a + b;
        prev->u.list.nr = 0;
    }
    return true;
}

/* KEY = value or KEY += value.  Takes ownership of key and val. */
static void assign(struct parser *ps, char *key, struct cfg_value *val,
                   int line, bool append)
{
    struct cfg_setting *prev;

    /* After an error Xen stores nothing more (and so reports no more
     * += mismatches); the result is thrown away anyway. */
    if ( ps->ctx.failed || ps->ctx.nomem )
        goto drop;
    if ( append && (prev = cfg__find(ps->ctx.cfg, key)) != NULL &&
         !join(ps, prev->value, val) )
        goto drop;
    if ( cfg__insert(ps->ctx.cfg, key, val, line, append) )
        ps->ctx.nomem = true;
    return;

 drop:
    free(key);
    cfg__value_free(val);
}

/* Reduce by rule r. */
static bool reduce(struct parser *ps, unsigned int r)
{
    unsigned int n = rules[r].len;
    struct slot *rhs = &ps->stack[ps->sp - n];
    struct cfg_value *val = NULL;
    char *str = NULL;
    int line = n ? rhs[0].line : ps->ctx.last_line;
    int next;

    switch ( r )
    {
    case 9:
    case 10:
        assign(ps, rhs[0].str, rhs[2].val, rhs[2].line, r == 10);
        rhs[0].str = NULL;
        rhs[2].val = NULL;
        break;
    case 13:
        val = calloc(1, sizeof(*val));
        if ( !val )
        {
            ps->ctx.nomem = true;
            break;
        }
        val->type = CFG_STRING;
        val->line = line;
        val->u.str = rhs[0].str;
        rhs[0].str = NULL;
        break;
    case 14:
        val = rhs[2].val;
        rhs[2].val = NULL;
        if ( val )
            val->line = line;
        break;
    case 15:
    case 16:
        str = rhs[0].str;
        rhs[0].str = NULL;
        break;
    case 17:
        val = new_list(ps, line);
        break;
    case 18:
    case 19:
        val = rhs[0].val;
        rhs[0].val = NULL;
        break;
    case 20:
        val = new_list(ps, line);
        if ( val && !list_append(ps, val, rhs[0].val) )
        {
            cfg__value_free(val);
            val = NULL;
        }
        rhs[0].val = NULL;
        break;
    case 21:
        val = rhs[0].val;
        rhs[0].val = NULL;
        if ( val && !list_append(ps, val, rhs[3].val) )
        {
            cfg__value_free(val);
            val = NULL;
        }
        rhs[3].val = NULL;
        break;
    default:
        break;
    }

    while ( n-- )
        pop(ps);
    if ( ps->ctx.nomem )
    {
        free(str);
        cfg__value_free(val);
        return false;
    }
    next = go_to((enum lhs)rules[r].lhs,
                 (enum state)ps->stack[ps->sp - 1].state);
    if ( next < 0 )
    {
        free(str);
        cfg__value_free(val);
        cfg__syntax_error(&ps->ctx, &ps->la, "internal parser error");
        return false;
    }
    return push(ps, (enum state)next, line, str, val);
}

static void drop_lookahead(struct parser *ps)
{
    free(ps->la.str);
    ps->la.str = NULL;
    ps->have_la = false;
}

/*
 * A syntax error in the state on top, with the lookahead in ps->la.
 * Returns false if parsing must stop (Bison's YYABORT).
 */
static bool recover(struct parser *ps)
{
    enum state st = (enum state)ps->stack[ps->sp - 1].state;
    const char *exp;

    if ( !ps->errstatus )
    {
        char msg[160];

        exp = expected(st);
        snprintf(msg, sizeof(msg), "syntax error, unexpected %s%s%s",
                 tok_name[ps->la.kind], exp ? ", expecting " : "",
                 exp ? exp : "");
        cfg__syntax_error(&ps->ctx, &ps->la, msg);
    }
    else
        ps->ctx.failed = true;
    if ( ps->errstatus == 3 )
    {
        /* The token that just failed again after an error: drop it. */
        if ( ps->la.kind == TOK_EOF )
            return false;
        drop_lookahead(ps);
    }
    ps->errstatus = 3;
    while ( ps->stack[ps->sp - 1].state != ST_STMTS )
    {
        if ( ps->sp == 1 )
            return false;
        pop(ps);
    }
    return push(ps, ST_ERROR, ps->la.line, NULL, NULL);
}

/* Run the automaton; true if it accepted. */
static bool run(struct parser *ps)
{
    if ( !push(ps, ST_START, 1, NULL, NULL) )
        return false;

    for ( ;; )
    {
        enum state st = (enum state)ps->stack[ps->sp - 1].state;
        int act;

        if ( ps->ctx.nomem )
            return false;
        if ( st == ST_ACCEPT )
            return true;
        if ( consistent[st] )
        {
            if ( !reduce(ps, consistent[st]) )
                return false;
            continue;
        }
        if ( !ps->have_la )
        {
            cfg__lex(&ps->ctx, &ps->la);
            ps->have_la = true;
            if ( ps->ctx.nomem )
                return false;
        }
        act = action(st, ps->la.kind);
        if ( act > 0 )
        {
            if ( ps->errstatus )
                ps->errstatus--;
            if ( !push(ps, (enum state)(act - 1), ps->la.line, ps->la.str,
                       NULL) )
            {
                ps->la.str = NULL;
                return false;
            }
            ps->la.str = NULL;
            ps->have_la = false;
        }
        else if ( act < 0 )
        {
            if ( !reduce(ps, (unsigned int)-act) )
                return false;
        }
        else if ( !recover(ps) )
            return false;
    }
}

static void too_large(const struct cfg *cfg, size_t len)
{
    cfg_report(cfg, "%s: config parsing error: input too large (%lu bytes; "
               "the limit is %lu)", cfg->source, (unsigned long)len,
               (unsigned long)CFG_MAX_INPUT);
}

static void python_hint(struct cfg *cfg)
{
    cfg_report(cfg, "warning: Config file looks like it contains Python "
               "code.");
    cfg_report(cfg, "warning:  Arbitrary Python is no longer supported.");
    cfg_report(cfg, "warning:  See https://wiki.xen.org/wiki/PythonInXlConfig");
}

int cfg_parse(const char *data, size_t len, const char *source,
              cfg_report_fn *report, void *opaque, struct cfg **out)
{
    struct parser *ps;
    struct cfg *cfg;
    const char *nul;
    bool ok;
    int rc;

    *out = NULL;
    if ( !source )
        source = "config";
    cfg = calloc(1, sizeof(*cfg));
    if ( !cfg )
        return CFG_ENOMEM;
    cfg->report = report;
    cfg->opaque = opaque;
    cfg->source = cfg__strndup(source, strlen(source));
    if ( !cfg->source )
    {
        free(cfg);
        return CFG_ENOMEM;
    }

    if ( len > CFG_MAX_INPUT )
    {
        too_large(cfg, len);
        cfg_free(cfg);
        return CFG_EINVAL;
    }
    /* A NUL byte cannot be part of any value; refuse it outright rather
     * than let C strings cut values short. */
    for ( nul = data; nul < data + len && *nul; nul++ )
        continue;
    if ( nul < data + len )
    {
        const char *p;
        int line = 1;

        for ( p = data; p < nul; p++ )
            line += *p == '\n';
        cfg_report(cfg, "%s:%d: config parsing error: NUL character in "
                   "input", source, line);
        cfg_free(cfg);
        return CFG_EINVAL;
    }

    ps = calloc(1, sizeof(*ps));
    if ( !ps )
    {
        cfg_free(cfg);
        return CFG_ENOMEM;
    }
    ps->ctx.cfg = cfg;
    ps->ctx.p = data;
    ps->ctx.end = data + len;
    ps->ctx.line = 1;

    ok = run(ps);

    while ( ps->sp )
        pop(ps);
    if ( ps->have_la )
        drop_lookahead(ps);

    if ( ps->ctx.nomem )
    {
        cfg_report(cfg, "%s: config parsing failed: out of memory", source);
        rc = CFG_ENOMEM;
    }
    else if ( !ok || ps->ctx.failed )
    {
        ps->ctx.failed = true;
        if ( ps->ctx.python )
            python_hint(cfg);
        rc = CFG_EINVAL;
    }
    else
        rc = CFG_OK;
    free(ps);

    if ( rc )
        cfg_free(cfg);
    else
        *out = cfg;
    return rc;
}

int cfg_parse_with_overrides(const char *data, size_t len,
                             const char *source,
                             const char *const *overrides, size_t nr,
                             cfg_report_fn *report, void *opaque,
                             struct cfg **out)
{
    size_t total = len, i, n;
    struct cfg msg = { 0 };
    char *buf, *p;
    int rc;

    if ( !nr )
        return cfg_parse(data, len, source, report, opaque, out);

    /* file "\n" { override "\n" } "\n", exactly as xl builds it. */
    if ( total > (size_t)-1 - 2 )
        goto too_big;
    total += 2;
    for ( i = 0; i < nr; i++ )
    {
        n = strlen(overrides[i]);
        if ( n > (size_t)-1 - 1 - total )
            goto too_big;
        total += n + 1;
    }
    if ( total > CFG_MAX_INPUT )
        goto too_big;

    buf = malloc(total);
    if ( !buf )
    {
        *out = NULL;
        return CFG_ENOMEM;
    }
    if ( len )
        memcpy(buf, data, len);
    p = buf + len;
    *p++ = '\n';
    for ( i = 0; i < nr; i++ )
    {
        n = strlen(overrides[i]);
        memcpy(p, overrides[i], n);
        p += n;
        *p++ = '\n';
    }
    *p++ = '\n';
    rc = cfg_parse(buf, (size_t)(p - buf), source, report, opaque, out);
    free(buf);
    return rc;

 too_big:
    *out = NULL;
    msg.source = (char *)(source ? source : "config");
    msg.report = report;
    msg.opaque = opaque;
    too_large(&msg, total);
    return CFG_EINVAL;
}
