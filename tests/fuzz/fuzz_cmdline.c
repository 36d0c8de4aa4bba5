/*
 * libFuzzer harness for the command-line parser: common/cmdline.c with
 * the option sets of common/dom0_params.c, common/misc_params.c and
 * drivers/char/console_params.c, linked as tests/unit/test_cmdline.c links
 * them.  The input is a command line (NUL-terminated here); the first
 * byte also picks the boot loader kind.  Every run starts from defaults.
 */
#include <keel/types.h>
#include <keel/lib.h>
#include <keel/errno.h>
#include <keel/param.h>
#include <keel/console_params.h>
#include <keel/misc_params.h>
#include <keel/dom0_params.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect(bool ok)
{
    if ( !ok )
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum boot_loader loaders[] = {
        LOADER_MULTIBOOT1, LOADER_GRUB2, LOADER_OTHER,
    };
    char *s = malloc(size + 1);
    const char *end;
    unsigned long long v;

    expect(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';

    console_params_reset();
    misc_params_reset();
    dom0_params_reset();
    stub_printk_reset();

    cmdline_init(s, loaders[size ? data[0] % 3 : 0]);
    expect(strlen(cmdline_hypervisor()) < CMDLINE_MAX);
    expect(strlen(cmdline_dom0_extra()) < CMDLINE_MAX);
    cmdline_parse(cmdline_hypervisor());
    cmdline_parse(s);

    (void)dom0_compute_nr_pages(1ul << 20);
    (void)dom0_compute_max_pages(1ul << 20);
    (void)dom0_compute_max_vcpus(4, 128);

    if ( parse_ull(s, &end, &v) == 0 )
        expect(end > s && end <= s + size);
    if ( parse_size(s, &end, &v) == 0 )
        expect(end > s && end <= s + size);
    (void)parse_size_and_unit(s, &end);
    expect(end >= s && end <= s + size);
    (void)parse_bool(s, NULL);
    (void)parse_boolean("x", s, NULL);
    (void)cmdline_cook(s, LOADER_GRUB2);
    (void)cmdline_skip_image_name(s);

    free(s);
    return 0;
}
