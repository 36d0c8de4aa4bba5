/*
 * xl.c - xl_main: global options, finding the subcommand, and help.
 *
 * As in Xen's xl: global options come before the subcommand (getopt
 * "+vftNT": -v more verbose, -f force, -N dry run, -t and -T progress
 * and timestamps, accepted for compatibility), the subcommand may be
 * abbreviated to any unambiguous prefix ("xl li" is "xl list"), "xl
 * help [cmd]" and "xl <cmd> -h" print help on standard output, and the
 * exit status is 0, 1 (failure) or 2 (usage error).
 */
#include <stdlib.h>
#include <string.h>
#include "xl_private.h"

const struct xl_cmd *xl_cmd_lookup(const char *s)
{
    const struct xl_cmd *found = NULL;
    size_t i, len, count = 0;

    if ( !s )
        return NULL;
    len = strlen(s);
    for ( i = 0; i < xl_cmd_table_len; i++ )
    {
        if ( strncmp(s, xl_cmd_table[i].name, len) )
            continue;
        /* An exact match wins even if it prefixes another command. */
        if ( strlen(xl_cmd_table[i].name) == len )
            return &xl_cmd_table[i];
        found = &xl_cmd_table[i];
        count++;
    }
    return count == 1 ? found : NULL;
}

void xl_help(struct xl_ctx *x, const char *command)
{
    const struct xl_cmd *cmd;
    size_t i;

    if ( !command || !strcmp(command, "help") )
    {
        xl_out(x, "Usage xl [-vfNtT] <subcommand> [args]\n\n");
        xl_out(x, "xl full list of subcommands:\n\n");
        for ( i = 0; i < xl_cmd_table_len; i++ )
        {
            xl_out(x, " %-19s ", xl_cmd_table[i].name);
            if ( strlen(xl_cmd_table[i].name) > 19 )
                xl_out(x, "\n %-19s ", "");
            xl_out(x, "%s\n", xl_cmd_table[i].desc);
        }
        return;
    }
    if ( (cmd = xl_cmd_lookup(command)) == NULL )
    {
        xl_out(x, "command \"%s\" not implemented\n", command);
        return;
    }
    xl_out(x, "Usage: xl [-v%s%s] %s %s\n\n%s.\n\n",
           cmd->modifies ? "f" : "", cmd->can_dryrun ? "N" : "",
           cmd->name, cmd->usage, cmd->desc);
    if ( cmd->options )
        xl_out(x, "Options:\n\n%s\n", cmd->options);
}

/* Global options: the index of the subcommand, or -1 after a message. */
static int global_options(struct xl_ctx *x, int argc, char **argv)
{
    const char *p;
    int i;

    for ( i = 1; i < argc; i++ )
    {
        p = argv[i];
        if ( p[0] != '-' || p[1] == '\0' )
            break;
        if ( !strcmp(p, "--") )
            return i + 1;
        if ( p[1] == '-' )
        {
            xl_err(x, "xl: unrecognized option '%s'\n", p);
            xl_err(x, "unknown global option\n");
            return -1;
        }
        for ( p++; *p; p++ )
        {
            switch ( *p )
            {
            case 'v':                   /* verbosity: nothing to raise */
            case 't':                   /* progress with \r */
            case 'T':                   /* timestamps */
                break;
            case 'N':
                x->dryrun = true;
                break;
            case 'f':
                x->force = true;
                break;
            default:
                xl_err(x, "xl: invalid option -- '%c'\n", *p);
                xl_err(x, "unknown global option\n");
                return -1;
            }
        }
    }
    return i;
}

int xl_main(const struct xl_ops *ops, int argc, char **argv)
{
    struct xl_ctx x = { .ops = ops };
    const struct xl_cmd *cmd;
    const char *name;
    int first, rc;

    if ( (first = global_options(&x, argc, argv)) < 0 )
        return XL_EXIT_FAIL;
    if ( first >= argc )
    {
        xl_help(&x, NULL);
        return XL_EXIT_FAIL;
    }
    name = argv[first];

    if ( (cmd = xl_cmd_lookup(name)) != NULL )
    {
        if ( x.dryrun && !cmd->can_dryrun )
        {
            xl_err(&x, "command does not implement -N (dryrun) option\n");
            return XL_EXIT_FAIL;
        }
        x.scratch = malloc((size_t)argc * sizeof(*x.scratch));
        if ( !x.scratch )
        {
            xl_err(&x, "xl: out of memory\n");
            return XL_EXIT_FAIL;
        }
        rc = cmd->fn(&x, argc - first, argv + first);
        free(x.scratch);
        return rc;
    }
    if ( !strcmp(name, "help") )
    {
        xl_help(&x, first + 1 < argc ? argv[first + 1] : NULL);
        return XL_EXIT_OK;
    }
    xl_err(&x, "command not implemented\n");
    xl_err(&x, "('xl help' lists the commands of this xl)\n");
    return XL_EXIT_FAIL;
}
