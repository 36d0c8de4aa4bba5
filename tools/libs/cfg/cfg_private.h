/*
 * cfg_private.h - internals shared by the files of the xl.cfg parser:
 * the value tree, the settings table, tokens and the parse context.
 * Nothing here is part of the API; internal functions carry a cfg__
 * prefix.
 */
#ifndef KEELCFG_PRIVATE_H
#define KEELCFG_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "keelcfg.h"

/*
 * A value.  Strings hold no NUL byte (the lexer refuses them), so plain C
 * strings do.  A list owns its items; nesting is at most CFG_MAX_DEPTH,
 * which bounds the recursion in cfg__value_free.
 */
struct cfg_value {
    enum cfg_type type;
    int line;                       /* line of its first token */
    union {
        char *str;
        struct {
            struct cfg_value **item;
            size_t nr, cap;
        } list;
    } u;
};

/* One key and the assignment in force for it. */
struct cfg_setting {
    char *key;
    struct cfg_value *value;
    int line;                       /* line of that assignment's value */
    bool append;                    /* that assignment was += */
};

/*
 * A parsed file.  set[] is in order of first assignment; slot[] is an
 * open-addressing hash of set[] indices (+1, 0 = empty) by key, sized a
 * power of two at least twice nr_set, so look-ups stay O(1) however many
 * keys a hostile file has.
 */
struct cfg {
    char *source;
    cfg_report_fn *report;
    void *opaque;
    struct cfg_setting *set;
    size_t nr_set, cap_set;
    size_t *slot;
    size_t nr_slot;
};

enum cfg_tok {
    TOK_EOF,
    TOK_IDENT,
    TOK_STRING,
    TOK_NUMBER,
    TOK_NEWLINE,
    TOK_ADD,                        /* += */
    TOK_SET,                        /* = */
    TOK_SEMI,
    TOK_LBRACK,
    TOK_RBRACK,
    TOK_COMMA,
};

struct cfg_token {
    enum cfg_tok kind;
    int line;
    const char *text;               /* raw text in the input (messages) */
    size_t len;
    char *str;                      /* IDENT, NUMBER: a copy of the text;
                                       STRING: the unquoted value */
};

/* State of one parse, shared by the lexer and the parser. */
struct cfg_pctx {
    struct cfg *cfg;                /* source name, report, settings */
    const char *p, *end;            /* input not yet lexed */
    int line;                       /* line of *p */
    int last_line;                  /* line of the last token returned */
    const char *last_text;          /* ... and its text, for messages */
    size_t last_len;
    int lexerr_line;                /* last line with a lexical error */
    bool failed;                    /* an error was reported */
    bool nomem;
    bool python;                    /* saw characters typical of Python */
};

/* cfg_lex.c */
void cfg__lex(struct cfg_pctx *ctx, struct cfg_token *tok);
void cfg__syntax_error(struct cfg_pctx *ctx, const struct cfg_token *tok,
                       const char *msg);
void cfg__lexical_error(struct cfg_pctx *ctx, int line, const char *text,
                        size_t len, const char *msg);

/* cfg_util.c */
char *cfg__strndup(const char *s, size_t n);
void cfg__vreport(const struct cfg *cfg, const char *fmt, va_list ap);
void cfg__value_free(struct cfg_value *v);
struct cfg_setting *cfg__find(const struct cfg *cfg, const char *key);
int cfg__insert(struct cfg *cfg, char *key, struct cfg_value *value,
                int line, bool append);

#endif /* KEELCFG_PRIVATE_H */
