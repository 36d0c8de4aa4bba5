/*
 * cfg_lex.c - tokens of the xl.cfg grammar, and the parse error messages.
 *
 * The token rules are those of Xen's libxlu scanner (a flex file), which
 * the messages users know depend on:
 *
 *   [ \t]                skipped
 *   [a-z][._0-9a-z]*     IDENT       (so "Name" or "my-key" are errors)
 *   [0-9][0-9a-fx]*      NUMBER      (text; "0x1F" is NUMBER "0x1" + "F")
 *   , [ ] = ; +=         themselves
 *   \n  or  #...\n       NEWLINE
 *   '...'  "..."         STRING: no raw newline, backslash escapes
 *   anything else        a lexical error: the character and the run of
 *                        non-blank characters after it are reported as
 *                        one token ("near `Name=\"x\"': lexical error"),
 *                        then scanning resumes; + - . ( ) : also mark the
 *                        file as likely Python, which earns a hint.
 *
 * An unterminated string is such a lexical error ("near `\"abc': lexical
 * error"), as in Xen.  Keel differs from Xen only where Xen's behaviour is
 * an accident of its scanner (README lists them): \x and octal escapes
 * mean what they mean in C (Xen rejects the first and drops the second),
 * a comment may end at end of file without a newline, a stray character
 * at end of file is reported, and errors at the end of a line are
 * reported on that line (Xen says one line earlier).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_private.h"

static bool is_lower(char c)  { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c)  { return c >= '0' && c <= '9'; }
static bool is_odigit(char c) { return c >= '0' && c <= '7'; }

static int hex_value(char c)
{
    if ( is_digit(c) )
        return c - '0';
    if ( c >= 'a' && c <= 'f' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'F' )
        return c - 'A' + 10;
    return -1;
}

/* ---- messages ---------------------------------------------------------- */

/*
 * "near" part of a message, as Xen's yyerror builds it from the token
 * text: a trailing newline is dropped ("<newline>" if nothing is left),
 * then trailing blanks; the rest is quoted `like this'.  (cfg_report
 * escapes any control character in it.)
 */
static char *near_text(const char *text, size_t len, bool eof)
{
    char *out;

    if ( eof )
        return cfg__strndup("<end of file>", 13);
    if ( len && text[len - 1] == '\n' )
        len--;
    while ( len && (text[len - 1] == ' ' || text[len - 1] == '\t') )
        len--;
    if ( !len )
        return cfg__strndup("<newline>", 9);
    if ( len > (size_t)-1 - 3 )
        return NULL;
    out = malloc(len + 3);
    if ( !out )
        return NULL;
    out[0] = '`';
    memcpy(out + 1, text, len);
    out[len + 1] = '\'';
    out[len + 2] = '\0';
    return out;
}

/*
 * Report "source:line: config parsing error near TOKEN: msg".  As in Xen,
 * once a line has had a lexical error, later errors on it are not
 * reported: they are its consequences.
 */
static void parse_error(struct cfg_pctx *ctx, int line, const char *text,
                        size_t len, bool eof, const char *msg)
{
    char *near;

    ctx->failed = true;
    if ( line <= ctx->lexerr_line )
        return;
    near = near_text(text, len, eof);
    if ( !near )
    {
        ctx->nomem = true;
        return;
    }
    cfg_report(ctx->cfg, "%s:%d: config parsing error near %s: %s",
               ctx->cfg->source, line, near, msg);
    free(near);
}

void cfg__syntax_error(struct cfg_pctx *ctx, const struct cfg_token *tok,
                       const char *msg)
{
    parse_error(ctx, tok->line, tok->text, tok->len, tok->kind == TOK_EOF,
                msg);
}

void cfg__lexical_error(struct cfg_pctx *ctx, int line, const char *text,
                        size_t len, const char *msg)
{
    parse_error(ctx, line, text, len, false, msg);
    if ( line > ctx->lexerr_line )
        ctx->lexerr_line = line;
}

/* ---- strings ----------------------------------------------------------- */

/*
 * The value of the quoted token s[0..len) (quotes included; the scanner
 * guarantees that a backslash is never the last character before the
 * closing quote).  On a bad escape, report it and return what was decoded
 * so far: the parse has failed anyway, as in Xen.
 */
static char *unquote(struct cfg_pctx *ctx, const char *s, size_t len,
                     int line)
{
    const char *p = s + 1, *end = s + len - 1;
    const char *bad = NULL;
    char *out, *q;

    out = malloc(len - 1);
    if ( !out )
    {
        ctx->nomem = true;
        return NULL;
    }
    q = out;
    while ( p < end )
    {
        unsigned int v;
        char c = *p++;

        if ( c != '\\' )
        {
            *q++ = c;
            continue;
        }
        c = *p++;
        switch ( c )
        {
        case '"': case '\'': case '\\': v = (unsigned char)c; break;
        case 'a': v = '\a'; break;
        case 'b': v = '\b'; break;
        case 'f': v = '\f'; break;
        case 'n': v = '\n'; break;
        case 'r': v = '\r'; break;
        case 't': v = '\t'; break;
        case 'v': v = '\v'; break;
        case 'x':
            /* \xH or \xHH (Xen rejects every \x escape; C's meaning is
             * the useful one). */
            if ( p == end || hex_value(*p) < 0 )
            {
                bad = "invalid digit after backslash hex numerical "
                      "character escape in quoted string";
                goto out;
            }
            v = (unsigned int)hex_value(*p++);
            if ( p < end && hex_value(*p) >= 0 )
                v = v * 16 + (unsigned int)hex_value(*p++);
            break;
        default:
            if ( !is_odigit(c) )
            {
                /* Xen's message, spelling included. */
                bad = "invalid character after backlash in quoted string";
                goto out;
            }
            v = (unsigned int)(c - '0');
            if ( p < end && is_odigit(*p) )
                v = v * 8 + (unsigned int)(*p++ - '0');
            if ( p < end && is_odigit(*p) )
                v = v * 8 + (unsigned int)(*p++ - '0');
            if ( v > 0xff )
            {
                bad = "invalid digit after backslash octal numerical "
                      "character escape in quoted string";
                goto out;
            }
            break;
        }
        if ( v == 0 )
        {
            /* Values are C strings. */
            bad = "NUL character escape in quoted string";
            goto out;
        }
        *q++ = (char)v;
    }
 out:
    *q = '\0';
    if ( bad )
        cfg__lexical_error(ctx, line, s, len, bad);
    return out;
}

/* Length of the quoted string at s, or 0 if it is not terminated on this
 * line (flex's rule "([^"\\\n]|\\.)*" then fails to match). */
static size_t quoted_len(const char *s, const char *end)
{
    const char *q = s + 1;

    while ( q < end && *q != '\n' )
    {
        if ( *q == *s )
            return (size_t)(q + 1 - s);
        if ( *q == '\\' )
        {
            if ( q + 1 == end || q[1] == '\n' )
                return 0;
            q++;
        }
        q++;
    }
    return 0;
}

/* ---- the scanner ------------------------------------------------------- */

static void set_token(struct cfg_pctx *ctx, struct cfg_token *tok,
                      enum cfg_tok kind, const char *s, size_t len)
{
    tok->kind = kind;
    tok->line = ctx->line;
    tok->text = s;
    tok->len = len;
    tok->str = NULL;
    ctx->p = s + len;
}

/*
 * A character no token starts with, at s.  Like Xen's scanner, take it
 * and the non-blank run after it as one bad token (or it and one blank,
 * or it and the newline, which then also ends the statement).  Returns
 * true if it produced a NEWLINE token.
 */
static bool lex_junk(struct cfg_pctx *ctx, struct cfg_token *tok,
                     const char *s)
{
    const char *q = s + 1, *end = ctx->end;

    if ( q < end && (*q == ' ' || *q == '\t') )
        q++;
    else if ( q < end && *q == '\n' )
    {
        cfg__lexical_error(ctx, ctx->line, s, 2, "lexical error");
        set_token(ctx, tok, TOK_NEWLINE, s, 2);
        ctx->line++;
        return true;
    }
    else
        while ( q < end && *q != ' ' && *q != '\t' && *q != '\n' )
            q++;
    cfg__lexical_error(ctx, ctx->line, s, (size_t)(q - s), "lexical error");
    ctx->p = q;
    return false;
}

void cfg__lex(struct cfg_pctx *ctx, struct cfg_token *tok)
{
    for ( ;; )
    {
        const char *s = ctx->p, *q;
        size_t n;

        if ( s == ctx->end )
        {
            /* Errors at end of file are reported on the last token's line,
             * as Xen does (its location is left from that token). */
            tok->kind = TOK_EOF;
            tok->line = ctx->last_line ? ctx->last_line : ctx->line;
            tok->text = s;
            tok->len = 0;
            tok->str = NULL;
            return;
        }

        switch ( *s )
        {
        case ' ':
        case '\t':
            ctx->p++;
            continue;

        case '\n':
            set_token(ctx, tok, TOK_NEWLINE, s, 1);
            ctx->line++;
            break;

        case '#':
            for ( q = s; q < ctx->end && *q != '\n'; q++ )
                continue;
            if ( q == ctx->end )
            {
                /* A comment on the last line needs no newline (Xen's
                 * scanner calls that a lexical error). */
                ctx->p = ctx->end;
                continue;
            }
            set_token(ctx, tok, TOK_NEWLINE, s, (size_t)(q + 1 - s));
            ctx->line++;
            break;

        case ',': set_token(ctx, tok, TOK_COMMA, s, 1); break;
        case '[': set_token(ctx, tok, TOK_LBRACK, s, 1); break;
        case ']': set_token(ctx, tok, TOK_RBRACK, s, 1); break;
        case '=': set_token(ctx, tok, TOK_SET, s, 1); break;
        case ';': set_token(ctx, tok, TOK_SEMI, s, 1); break;

        case '\'':
        case '"':
            n = quoted_len(s, ctx->end);
            if ( !n )
            {
                if ( lex_junk(ctx, tok, s) )
                    break;
                continue;
            }
            set_token(ctx, tok, TOK_STRING, s, n);
            tok->str = unquote(ctx, s, n, ctx->line);
            break;

        case '+':
            if ( s + 1 < ctx->end && s[1] == '=' )
            {
                set_token(ctx, tok, TOK_ADD, s, 2);
                break;
            }
            /* fall through */
        case '-': case '.': case '(': case ')': case ':':
            ctx->python = true;
            if ( lex_junk(ctx, tok, s) )
                break;
            continue;

        default:
            if ( is_lower(*s) )
            {
                for ( q = s + 1; q < ctx->end; q++ )
                    if ( !is_lower(*q) && !is_digit(*q) && *q != '_' &&
                         *q != '.' )
                        break;
                set_token(ctx, tok, TOK_IDENT, s, (size_t)(q - s));
            }
            else if ( is_digit(*s) )
            {
                for ( q = s + 1; q < ctx->end; q++ )
                    if ( !is_digit(*q) && !(*q >= 'a' && *q <= 'f') &&
                         *q != 'x' )
                        break;
                set_token(ctx, tok, TOK_NUMBER, s, (size_t)(q - s));
            }
            else
            {
                if ( lex_junk(ctx, tok, s) )
                    break;
                continue;
            }
            tok->str = cfg__strndup(s, (size_t)(q - s));
            if ( !tok->str )
                ctx->nomem = true;
            break;
        }

        ctx->last_line = tok->line;
        ctx->last_text = tok->text;
        ctx->last_len = tok->len;
        return;
    }
}
