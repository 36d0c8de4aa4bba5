/*
 * Host tests of the PV domain view of an xl.cfg file
 * (tools/libs/cfg/domcfg.c, cpumap.c): xl's defaults, every key Keel
 * reads, and the exact text of every error.
 */
#include "harness.h"
#include <keelcfg_domain.h>

static char msgs[8192];
static struct cfg_msgbuf mb;
static struct cfg *cur;

/* Parse text (which must be valid syntax) and read it as a domain. */
static int dom_parse(const char *text, struct cfg_domain *dom)
{
    int rc;

    mb = (struct cfg_msgbuf){ msgs, sizeof(msgs), 0, false };
    msgs[0] = '\0';
    cfg_free(cur);
    cur = NULL;
    rc = cfg_parse(text, strlen(text), "t.cfg", cfg_msgbuf_report, &mb,
                   &cur);
    CHECK_EQ(rc, CFG_OK);
    if ( rc )
    {
        memset(dom, 0, sizeof(*dom));
        return rc;
    }
    return cfg_domain_parse(cur, dom);
}

/* The messages for a file that must be refused. */
static const char *dom_err(const char *text)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse(text, &dom), CFG_EINVAL);
    cfg_domain_release(&dom);
    return msgs;
}

#define BASE "name = 'vm'\nkernel = '/k'\n"

TEST(defaults)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse(BASE, &dom), CFG_OK);
    CHECK_STR(msgs, "");
    CHECK_STR(dom.name, "vm");
    CHECK_STR(dom.kernel, "/k");
    CHECK(dom.ramdisk == NULL);
    CHECK(dom.cmdline == NULL);
    CHECK_EQ(dom.memory_mb, 32);
    CHECK_EQ(dom.maxmem_mb, 32);
    CHECK_EQ(dom.vcpus, 1);
    CHECK_EQ(dom.maxvcpus, 1);
    CHECK_EQ(dom.cpus.nr, 0);
    CHECK_EQ(dom.cpus_soft.nr, 0);
    CHECK_EQ(dom.on_poweroff, CFG_ACTION_DESTROY);
    CHECK_EQ(dom.on_reboot, CFG_ACTION_RESTART);
    CHECK_EQ(dom.on_crash, CFG_ACTION_DESTROY);
    CHECK(dom.disk == NULL && dom.vif == NULL && dom.pci == NULL);
    cfg_domain_release(&dom);
    CHECK(dom.name == NULL);
}

TEST(typical_netbsd_domu)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse("# NetBSD domU\n"
                       "name = \"netbsd1\"\n"
                       "type = \"pv\"\n"
                       "kernel = \"/netbsd-XEN3_DOMU.gz\"\n"
                       "ramdisk = '/miniroot.kmod'\n"
                       "memory = 256\n"
                       "maxmem = 0x200\n"
                       "vcpus = 2\n"
                       "maxvcpus = '4'\n"
                       "cpus = \"0-3,^2\"\n"
                       "cpus_soft = ['1', 3]\n"
                       "on_poweroff = 'preserve'\n"
                       "on_reboot = 'rename-restart'\n"
                       "on_crash = 'coredump-restart'\n"
                       "disk = [ 'phy:/dev/wd0g,0x1,w' ]\n"
                       "vif = [ 'mac=00:16:3e:00:00:01,bridge=bridge0' ]\n"
                       "pci = [ '0000:03:00.0' ]\n"
                       "root = 'xbd0a'\n"
                       "extra = 'console=xencons'\n"
                       "vnc = 1\n", &dom), CFG_OK);
    CHECK_STR(msgs, "");
    CHECK_STR(dom.name, "netbsd1");
    CHECK_STR(dom.kernel, "/netbsd-XEN3_DOMU.gz");
    CHECK_STR(dom.ramdisk, "/miniroot.kmod");
    CHECK_STR(dom.cmdline, "root=xbd0a console=xencons");
    CHECK_EQ(dom.memory_mb, 256);
    CHECK_EQ(dom.maxmem_mb, 512);
    CHECK_EQ(dom.vcpus, 2);
    CHECK_EQ(dom.maxvcpus, 4);
    CHECK_EQ(dom.cpus.nr, 1);
    CHECK(!dom.cpus.per_vcpu);
    CHECK_EQ(cfg_cpumap_weight(&dom.cpus.map[0]), 3);
    CHECK(cfg_cpumap_test(&dom.cpus.map[0], 0));
    CHECK(cfg_cpumap_test(&dom.cpus.map[0], 1));
    CHECK(!cfg_cpumap_test(&dom.cpus.map[0], 2));
    CHECK(cfg_cpumap_test(&dom.cpus.map[0], 3));
    CHECK_EQ(dom.cpus_soft.nr, 2);
    CHECK(dom.cpus_soft.per_vcpu);
    CHECK(cfg_cpumap_test(&dom.cpus_soft.map[0], 1));
    CHECK_EQ(cfg_cpumap_weight(&dom.cpus_soft.map[0]), 1);
    CHECK(cfg_cpumap_test(&dom.cpus_soft.map[1], 3));
    CHECK_EQ(dom.on_poweroff, CFG_ACTION_PRESERVE);
    CHECK_EQ(dom.on_reboot, CFG_ACTION_RENAME_RESTART);
    CHECK_EQ(dom.on_crash, CFG_ACTION_COREDUMP_RESTART);
    CHECK_EQ(cfg_list_count(dom.disk), 1);
    CHECK_STR(cfg_list_string(dom.disk, 0), "phy:/dev/wd0g,0x1,w");
    CHECK_STR(cfg_list_string(dom.vif, 0),
              "mac=00:16:3e:00:00:01,bridge=bridge0");
    CHECK_STR(cfg_list_string(dom.pci, 0), "0000:03:00.0");
    /* Keys Keel does not read stay in the raw layer. */
    CHECK_STR(cfg_value_string(cfg_lookup(cur, "vnc")), "1");
    cfg_domain_release(&dom);
}

TEST(name_and_type)
{
    struct cfg_domain dom;

    CHECK_STR(dom_err("kernel = '/k'\n"),
              "t.cfg: Domain name must be specified.\n");
    CHECK_STR(dom_err("kernel = '/k'\nname = ''\n"),
              "t.cfg:2: name: must not be empty\n");
    CHECK_STR(dom_err("kernel = '/k'\nname = ['a']\n"),
              "t.cfg:2: name: expected a single value, not a list\n");

    /* xl matches a prefix: "p" is pv. */
    CHECK_EQ(dom_parse(BASE "type = 'p'\n", &dom), CFG_OK);
    cfg_domain_release(&dom);
    CHECK_EQ(dom_parse(BASE "builder = 'generic'\ntype = 'pv'\n", &dom),
             CFG_OK);
    cfg_domain_release(&dom);
    CHECK_STR(dom_err(BASE "type = 'hvm'\n"),
              "t.cfg:3: type: HVM guests are not supported: Keel runs PV "
              "guests (type = \"pv\")\n");
    CHECK_STR(dom_err(BASE "type = 'pvh'\n"),
              "t.cfg:3: type: PVH guests are not supported: Keel runs PV "
              "guests (type = \"pv\")\n");
    /* ... and "" is a prefix of "hvm". */
    CHECK_STR(dom_err(BASE "type = ''\n"),
              "t.cfg:3: type: HVM guests are not supported: Keel runs PV "
              "guests (type = \"pv\")\n");
    CHECK_STR(dom_err(BASE "type = 'xen'\n"),
              "t.cfg:3: Invalid domain type xen.\n");
    CHECK_STR(dom_err(BASE "builder = 'hvm'\n"),
              "t.cfg:3: builder: HVM guests are not supported: Keel runs PV "
              "guests (type = \"pv\")\n");
    CHECK_STR(dom_err(BASE "builder = 'linux'\n"),
              "t.cfg:3: Invalid domain type linux.\n");
    CHECK_STR(dom_err(BASE "type = 'pv'\nbuilder = 'hvm'\n"),
              "t.cfg:4: Contradicting \"builder\" and \"type\" options "
              "specified.\n");
}

TEST(kernel_ramdisk_cmdline)
{
    struct cfg_domain dom;

    CHECK_STR(dom_err("name = 'a'\n"),
              "t.cfg: kernel must be specified: Keel starts a PV guest from "
              "its kernel image (kernel = \"/path\")\n");
    CHECK_STR(dom_err("name = 'a'\nkernel = ''\n"),
              "t.cfg:2: kernel: must not be empty\n");
    CHECK_STR(dom_err(BASE "bootloader = 'pygrub'\n"),
              "t.cfg:3: bootloader: not supported; name the guest kernel "
              "with kernel = \"/path\"\n");

    CHECK_EQ(dom_parse(BASE "ramdisk = ''\ncmdline = 'ro quiet'\n", &dom),
             CFG_OK);
    CHECK(dom.ramdisk == NULL);
    CHECK_STR(dom.cmdline, "ro quiet");
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "root = '/dev/xvda1 ro'\n", &dom), CFG_OK);
    CHECK_STR(dom.cmdline, "root=/dev/xvda1 ro");
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "extra = 'single'\n", &dom), CFG_OK);
    CHECK_STR(dom.cmdline, "single");
    cfg_domain_release(&dom);

    /* cmdline wins over root/extra, with xl's warning. */
    CHECK_EQ(dom_parse(BASE "root = 'r'\ncmdline = 'c'\nextra = 'e'\n",
                       &dom), CFG_OK);
    CHECK_STR(dom.cmdline, "c");
    CHECK_STR(msgs, "Warning: ignoring root= and extra= in favour of "
              "cmdline=\n");
    cfg_domain_release(&dom);

    CHECK_STR(dom_err(BASE "extra = ['x']\n"),
              "t.cfg:3: extra: expected a single value, not a list\n");
}

TEST(memory)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse(BASE "memory = 1024\n", &dom), CFG_OK);
    CHECK_EQ(dom.memory_mb, 1024);
    CHECK_EQ(dom.maxmem_mb, 1024);
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "maxmem = 2048\n", &dom), CFG_OK);
    CHECK_EQ(dom.memory_mb, 2048);
    CHECK_EQ(dom.maxmem_mb, 2048);
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "memory = 512\nmaxmem = 512\n", &dom), CFG_OK);
    CHECK_EQ(dom.memory_mb, 512);
    cfg_domain_release(&dom);

    CHECK_STR(dom_err(BASE "memory = \"abc\"\n"),
              "t.cfg:3: memory: invalid value \"abc\"\n");
    CHECK_STR(dom_err(BASE "memory = 12abc\n"),
              "t.cfg:3: memory: invalid value \"12abc\"\n");
    CHECK_STR(dom_err(BASE "memory = 0\n"),
              "t.cfg:3: memory: value \"0\" is out of range (1 to "
              "16777216)\n");
    CHECK_STR(dom_err(BASE "\nmaxmem = 16777217\n"),
              "t.cfg:4: maxmem: value \"16777217\" is out of range (1 to "
              "16777216)\n");
    CHECK_STR(dom_err(BASE "memory = 99999999999999999999999\n"),
              "t.cfg:3: memory: value \"99999999999999999999999\" is out of "
              "range (1 to 16777216)\n");
    CHECK_STR(dom_err(BASE "memory = [512]\n"),
              "t.cfg:3: memory: expected a single value, not a list\n");
    CHECK_STR(dom_err(BASE "memory = 5\nmemory += 12\n"),
              "t.cfg:4: memory: can't use += with a number\n");
    CHECK_STR(dom_err(BASE "memory = 1024\nmaxmem = 512\n"),
              "t.cfg:4: maxmem: 512 MiB is less than memory (1024 MiB)\n");
}

TEST(vcpus)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse(BASE "vcpus = 4\n", &dom), CFG_OK);
    CHECK_EQ(dom.vcpus, 4);
    CHECK_EQ(dom.maxvcpus, 4);
    cfg_domain_release(&dom);

    /* maxvcpus alone: one vCPU online, as libxl does. */
    CHECK_EQ(dom_parse(BASE "maxvcpus = 8\n", &dom), CFG_OK);
    CHECK_EQ(dom.vcpus, 1);
    CHECK_EQ(dom.maxvcpus, 8);
    cfg_domain_release(&dom);

    CHECK_STR(dom_err(BASE "vcpus = 4\nmaxvcpus = 2\n"),
              "t.cfg:4: maxvcpus: 2 is less than vcpus (4)\n");
    CHECK_STR(dom_err(BASE "vcpus = 0\n"),
              "t.cfg:3: vcpus: value \"0\" is out of range (1 to 512)\n");
    CHECK_STR(dom_err(BASE "maxvcpus = 513\n"),
              "t.cfg:3: maxvcpus: value \"513\" is out of range (1 to 512)\n");
    CHECK_STR(dom_err(BASE "vcpus = 'two'\n"),
              "t.cfg:3: vcpus: invalid value \"two\"\n");
}

TEST(cpus)
{
    struct cfg_domain dom;

    CHECK_EQ(dom_parse(BASE "cpus = 'all'\n", &dom), CFG_OK);
    CHECK_EQ(dom.cpus.nr, 1);
    CHECK_EQ(cfg_cpumap_weight(&dom.cpus.map[0]), CFG_MAX_CPUS);
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "cpus = 'all,^0'\n", &dom), CFG_OK);
    CHECK_EQ(cfg_cpumap_weight(&dom.cpus.map[0]), CFG_MAX_CPUS - 1);
    CHECK(!cfg_cpumap_test(&dom.cpus.map[0], 0));
    cfg_domain_release(&dom);

    /* A list pins vCPU by vCPU; items past maxvcpus are ignored. */
    CHECK_EQ(dom_parse(BASE "vcpus = 2\ncpus = [ '2', 5, '7-8', 'junk' ]\n",
                       &dom), CFG_OK);
    CHECK_EQ(dom.cpus.nr, 2);
    CHECK(dom.cpus.per_vcpu);
    CHECK(cfg_cpumap_test(&dom.cpus.map[0], 2));
    CHECK(cfg_cpumap_test(&dom.cpus.map[1], 5));
    CHECK_EQ(cfg_cpumap_weight(&dom.cpus.map[1]), 1);
    cfg_domain_release(&dom);

    CHECK_EQ(dom_parse(BASE "cpus = []\n", &dom), CFG_OK);
    CHECK_EQ(dom.cpus.nr, 0);
    cfg_domain_release(&dom);

    CHECK_STR(dom_err(BASE "cpus = '3-1'\n"),
              "t.cfg:3: cpus: invalid CPU range \"3-1\"\n");
    CHECK_STR(dom_err(BASE "cpus = '1,x'\n"),
              "t.cfg:3: cpus: invalid CPU range \"x\"\n");
    CHECK_STR(dom_err(BASE "cpus = '^all'\n"),
              "t.cfg:3: cpus: can't combine \"^\" and \"all\"\n");
    CHECK_STR(dom_err(BASE "cpus = 'nodes:0'\n"),
              "t.cfg:3: cpus: NUMA node affinity (\"nodes:0\") is not "
              "supported\n");
    CHECK_STR(dom_err(BASE "cpus = '1000-1024'\n"),
              "t.cfg:3: cpus: CPU 1024 is out of range (CPUs are 0 to "
              "1023)\n");
    CHECK_STR(dom_err(BASE "cpus = '^2'\n"),
              "t.cfg:3: cpus: \"^2\" selects no CPU\n");
    CHECK_STR(dom_err(BASE "cpus = ''\n"),
              "t.cfg:3: cpus: \"\" selects no CPU\n");
    CHECK_STR(dom_err(BASE "vcpus = 2\ncpus = [ '1',\n  ['2'] ]\n"),
              "t.cfg:5: cpus: item 2 (vCPU 1) is a list, not a CPU list "
              "string\n");
    CHECK_STR(dom_err(BASE "maxvcpus = 2\ncpus_soft = [ '1',\n '9-2' ]\n"),
              "t.cfg:5: cpus_soft: invalid CPU range \"9-2\"\n");
}

TEST(cpumap_parse)
{
    struct cfg_cpumap map;
    char why[160];

    CHECK_EQ(cfg_cpumap_parse(",0,,2,", &map, why, sizeof(why)), CFG_OK);
    CHECK_EQ(cfg_cpumap_weight(&map), 2);
    CHECK_EQ(cfg_cpumap_parse(" 1- 3", &map, why, sizeof(why)), CFG_OK);
    CHECK_EQ(cfg_cpumap_weight(&map), 3);
    CHECK_EQ(cfg_cpumap_parse("0-1023,^512-1023", &map, why, sizeof(why)),
             CFG_OK);
    CHECK_EQ(cfg_cpumap_weight(&map), 512);
    CHECK(!cfg_cpumap_test(&map, 5000));
    CHECK_EQ(cfg_cpumap_parse("1 -3", &map, why, sizeof(why)), CFG_EINVAL);
    CHECK_STR(why, "invalid CPU range \"1 -3\"");
    CHECK_EQ(cfg_cpumap_parse("-1", &map, why, sizeof(why)), CFG_EINVAL);
    CHECK_EQ(cfg_cpumap_parse("99999999999999999999999", &map, why,
                              sizeof(why)), CFG_EINVAL);
    CHECK_EQ(cfg_cpumap_parse("node:1", &map, why, sizeof(why)), CFG_EINVAL);
    CHECK_STR(why, "NUMA node affinity (\"node:1\") is not supported");
    /* Long items are cut short in the message. */
    CHECK_EQ(cfg_cpumap_parse("0123456789012345678901234567890123456789"
                              "0123456789012345678901234567890123456789",
                              &map, why, sizeof(why)), CFG_EINVAL);
    CHECK_STR(why, "invalid CPU range \"012345678901234567890123456789"
              "012345678901234567890123456789...\"");
}

TEST(actions)
{
    static const char *const names[] = {
        "destroy", "restart", "rename-restart", "preserve",
        "coredump-destroy", "coredump-restart", "soft-reset",
    };
    enum cfg_action a;
    struct cfg_domain dom;
    unsigned int i;

    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
    {
        CHECK_EQ(cfg_action_parse(names[i], &a), CFG_OK);
        CHECK_EQ(a, i);
        CHECK_STR(cfg_action_name(a), names[i]);
    }
    CHECK_EQ(cfg_action_parse("Destroy", &a), CFG_EINVAL);
    CHECK_STR(cfg_action_name((enum cfg_action)99), "unknown");

    CHECK_EQ(dom_parse(BASE "on_crash = 'soft-reset'\n", &dom), CFG_OK);
    CHECK_EQ(dom.on_crash, CFG_ACTION_SOFT_RESET);
    cfg_domain_release(&dom);
    CHECK_STR(dom_err(BASE "on_crash = 'explode'\n"),
              "t.cfg:3: Unknown on_crash action \"explode\" specified\n");
    /* Values quoted in messages cannot break the line. */
    CHECK_STR(dom_err(BASE "on_crash = \"re\\nstart\\r\\x1b\"\n"),
              "t.cfg:3: Unknown on_crash action \"re\\x0astart\\r\\x1b\" "
              "specified\n");
    CHECK_STR(dom_err(BASE "on_reboot = ['restart']\n"),
              "t.cfg:3: on_reboot: expected a single value, not a list\n");
}

TEST(raw_lists)
{
    CHECK_STR(dom_err(BASE "disk = 'phy:/dev/wd0g,0x1,w'\n"),
              "t.cfg:3: disk: expected a list, not a single value\n");
    CHECK_STR(dom_err(BASE "vif = 'bridge=bridge0'\npci = '0:1.0'\n"),
              "t.cfg:3: vif: expected a list, not a single value\n"
              "t.cfg:4: pci: expected a list, not a single value\n");
}

TEST(every_error_reported)
{
    CHECK_STR(dom_err("type = 'hvm'\nmemory = 'lots'\nvcpus = 0\n"
                      "on_poweroff = 'halt'\n"),
              "t.cfg:1: type: HVM guests are not supported: Keel runs PV "
              "guests (type = \"pv\")\n"
              "t.cfg: Domain name must be specified.\n"
              "t.cfg:2: memory: invalid value \"lots\"\n"
              "t.cfg:3: vcpus: value \"0\" is out of range (1 to 512)\n"
              "t.cfg:4: Unknown on_poweroff action \"halt\" specified\n"
              "t.cfg: kernel must be specified: Keel starts a PV guest from "
              "its kernel image (kernel = \"/path\")\n");
}

TEST(overrides_reach_domain)
{
    const char *const over[] = { "memory=64", "name=\"other\"" };
    struct cfg_domain dom;
    struct cfg *c = NULL;

    mb = (struct cfg_msgbuf){ msgs, sizeof(msgs), 0, false };
    CHECK_EQ(cfg_parse_with_overrides(BASE "memory = 128\n",
                                      strlen(BASE "memory = 128\n"), "t.cfg",
                                      over, 2, cfg_msgbuf_report, &mb, &c),
             CFG_OK);
    CHECK_EQ(cfg_domain_parse(c, &dom), CFG_OK);
    CHECK_EQ(dom.memory_mb, 64);
    CHECK_STR(dom.name, "other");
    cfg_domain_release(&dom);
    cfg_free(c);
}

int main(void)
{
    RUN(defaults);
    RUN(typical_netbsd_domu);
    RUN(name_and_type);
    RUN(kernel_ramdisk_cmdline);
    RUN(memory);
    RUN(vcpus);
    RUN(cpus);
    RUN(cpumap_parse);
    RUN(actions);
    RUN(raw_lists);
    RUN(every_error_reported);
    RUN(overrides_reach_domain);
    cfg_free(cur);
    HARNESS_EXIT();
}
