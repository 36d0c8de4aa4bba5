/*
 * libFuzzer harness for the xl.cfg parser (tools/libs/cfg), linked as
 * tests/unit/test_xlcfg.c links it.  The input is a configuration file,
 * given to the parser in a buffer of exactly its size (no terminating
 * NUL, so ASan sees any read past the end).  If it contains a line
 * "#--", what follows is split at newlines into xl create overrides.
 *
 * Beyond "no crash, no leak", it checks properties of the API: a refused
 * file always says why, every message names the file, iteration and
 * look-up agree, and every value can be walked and read back through the
 * typed getters and the domain layer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keelcfg.h>
#include <keelcfg_domain.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(bool ok)
{
    if ( !ok )
        abort();
}

static char msgs[1 << 16];
static struct cfg_msgbuf mb;

/* Every line is about the file, or one of the fixed warnings. */
static void check_messages(void)
{
    const char *p = msgs;

    while ( *p )
    {
        const char *nl = strchr(p, '\n');

        expect(nl != NULL);
        expect(!strncmp(p, "fuzz.cfg:", 9) || !strncmp(p, "fuzz.cfg: ", 10) ||
               !strncmp(p, "warning: ", 9) || !strncmp(p, "Warning: ", 9));
        p = nl + 1;
    }
}

static void walk(const struct cfg_value *v, unsigned int depth)
{
    size_t i, n;

    expect(depth <= CFG_MAX_DEPTH);
    expect(cfg_value_line(v) >= 1);
    if ( cfg_value_type(v) == CFG_STRING )
    {
        struct cfg_cpumap map;
        char why[128];
        long l;

        expect(cfg_value_string(v) != NULL);
        expect(cfg_list_count(v) == 0);
        (void)cfg_parse_long(cfg_value_string(v), &l);
        (void)cfg_cpumap_parse(cfg_value_string(v), &map, why, sizeof(why));
        return;
    }
    expect(cfg_value_string(v) == NULL);
    n = cfg_list_count(v);
    for ( i = 0; i < n; i++ )
    {
        const struct cfg_value *item = cfg_list_item(v, i);

        expect(item != NULL);
        expect((cfg_list_string(v, i) != NULL) ==
               (cfg_value_type(item) == CFG_STRING));
        walk(item, depth + 1);
    }
    expect(cfg_list_item(v, n) == NULL);
}

static void check_cfg(const struct cfg *c)
{
    struct cfg_domain dom;
    size_t i, n = cfg_nr_keys(c);
    size_t before;
    int rc;

    for ( i = 0; i < n; i++ )
    {
        const struct cfg_value *v, *l;
        const char *key, *s;
        int line;
        long num;

        key = cfg_key_at(c, i, &v, &line);
        expect(key && *key && v);
        expect(cfg_lookup(c, key) == v);
        expect(cfg_key_line(c, key) == line && line >= 1);
        walk(v, 1);
        rc = cfg_get_string(c, key, &s, CFG_QUIET);
        expect(rc == (cfg_value_type(v) == CFG_STRING ? CFG_OK : CFG_ETYPE));
        rc = cfg_get_list(c, key, &l, CFG_QUIET);
        expect(rc == (cfg_value_type(v) == CFG_LIST ? CFG_OK : CFG_ETYPE));
        /* Loud look-ups must say something when they fail. */
        before = mb.len;
        rc = cfg_get_long(c, key, -1000, 1000, &num, 0);
        expect(rc == CFG_OK || mb.len > before || mb.truncated);
    }
    expect(cfg_key_at(c, n, NULL, NULL) == NULL);

    before = mb.len;
    rc = cfg_domain_parse(c, &dom);
    expect(rc == CFG_OK || rc == CFG_EINVAL || rc == CFG_ENOMEM);
    if ( rc == CFG_EINVAL )
        expect(mb.len > before || mb.truncated);
    if ( rc == CFG_OK )
    {
        expect(dom.name && dom.kernel);
        expect(dom.memory_mb >= 1 && dom.memory_mb <= dom.maxmem_mb);
        expect(dom.vcpus >= 1 && dom.vcpus <= dom.maxvcpus &&
               dom.maxvcpus <= CFG_MAX_VCPUS);
        expect(dom.cpus.nr <= dom.maxvcpus);
        for ( i = 0; i < dom.cpus.nr; i++ )
            expect(cfg_cpumap_weight(&dom.cpus.map[i]) > 0);
    }
    cfg_domain_release(&dom);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char mark[] = "\n#--";
    const char *over[16];
    size_t nr = 0, flen = size;
    char *file, *ovtext = NULL;
    struct cfg *c = NULL;
    int rc;

    /* Split off overrides after a "#--" line. */
    for ( size_t i = 0; i + 4 <= size; i++ )
        if ( !memcmp(data + i, mark, 4) )
        {
            char *p;

            flen = i + 1;
            ovtext = malloc(size - i - 4 + 1);
            expect(ovtext != NULL);
            memcpy(ovtext, data + i + 4, size - i - 4);
            ovtext[size - i - 4] = '\0';
            for ( p = ovtext; nr < 16; )
            {
                char *nl = strchr(p, '\n');

                over[nr++] = p;
                if ( !nl )
                    break;
                *nl = '\0';
                p = nl + 1;
            }
            break;
        }

    file = malloc(flen ? flen : 1);
    expect(file != NULL);
    memcpy(file, data, flen);

    mb = (struct cfg_msgbuf){ msgs, sizeof(msgs), 0, false };
    msgs[0] = '\0';
    rc = cfg_parse_with_overrides(file, flen, "fuzz.cfg", over, nr,
                                  cfg_msgbuf_report, &mb, &c);
    expect(rc == CFG_OK || rc == CFG_EINVAL || rc == CFG_ENOMEM);
    expect((rc == CFG_OK) == (c != NULL));
    /* A refused file always says why. */
    if ( rc == CFG_EINVAL )
        expect(mb.len > 0 || mb.truncated);
    if ( c )
    {
        check_cfg(c);
        cfg_free(c);
    }
    if ( !mb.truncated )
        check_messages();

    free(file);
    free(ovtext);
    return 0;
}
