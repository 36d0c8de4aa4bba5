/*
 * xl_cmdtable.c - the subcommands this xl implements, with the help text
 * `xl help` and `xl <cmd> -h` print.
 *
 * Names, descriptions and usage lines are Xen 4.17's, in Xen's order, so
 * `xl help` looks as users know it; the option lists name only the
 * options Keel's xl accepts.  Commands Xen has and Keel does not yet
 * (save, migrate, block-attach, ...) are left out rather than listed and
 * refused.
 */
#include "xl_private.h"

const struct xl_cmd xl_cmd_table[] = {
    { "create", xl_cmd_create, false, true,
      "Create a domain from config file <filename>",
      "<ConfigFile> [options] [vars]",
      "-h                      Print this help.\n"
      "-p                      Leave the domain paused after it is created.\n"
      "-c                      Connect to the console after the domain is "
      "created.\n"
      "-f FILE, --defconfig=FILE\n"
      "                     Use the given configuration file.\n"
      "-q, --quiet             Quiet."
    },
    { "list", xl_cmd_list, false, false,
      "List information about all/some domains",
      "[options] [Domain]\n",
      "-l, --long              Output all VM details\n"
      "-v, --verbose           Prints out UUIDs and security context\n"
      "-Z, --context           Prints out security context\n"
      "-c, --cpupool           Prints the cpupool the domain is in"
    },
    { "destroy", xl_cmd_destroy, false, true,
      "Terminate a domain immediately",
      "[options] <Domain>\n",
      "-f                      Permit destroying domain 0, which will only "
      "succeed\n"
      "                        when run from disaggregated toolstack domain "
      "with a\n"
      "                        hardware domain distinct from domain 0."
    },
    { "shutdown", xl_cmd_shutdown, false, true,
      "Issue a shutdown signal to a domain",
      "[options] <-a|Domain>",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Fallback to ACPI power event for HVM guests "
      "with\n"
      "                        no PV drivers.\n"
      "-w, --wait              Wait for guest(s) to shutdown.\n"
    },
    { "reboot", xl_cmd_reboot, false, true,
      "Issue a reboot signal to a domain",
      "[options] <-a|Domain>",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Fallback to ACPI reset event for HVM guests "
      "with\n"
      "                        no PV drivers.\n"
      "-w, --wait              Wait for guest(s) to reboot.\n"
    },
    { "pause", xl_cmd_pause, false, true,
      "Pause execution of a domain",
      "<Domain>", NULL
    },
    { "unpause", xl_cmd_unpause, false, true,
      "Unpause a paused domain",
      "<Domain>", NULL
    },
    { "console", xl_cmd_console, false, false,
      "Attach to domain's console",
      "[options] <Domain>\n"
      "-t <type>       console type, pv , serial or vuart\n"
      "-n <number>     console number", NULL
    },
    { "mem-set", xl_cmd_mem_set, false, true,
      "Set the current memory usage for a domain",
      "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", NULL
    },
    { "vcpu-list", xl_cmd_vcpu_list, false, false,
      "List the VCPUs for all/some domains",
      "[Domain, ...]", NULL
    },
    { "vcpu-pin", xl_cmd_vcpu_pin, true, true,
      "Set which CPUs a VCPU can use",
      "[option] <Domain> <VCPU|all> <Hard affinity|-|all> "
      "<Soft affinity|-|all>",
      "-f, --force        undo an override pinning done by the kernel"
    },
    { "info", xl_cmd_info, false, false,
      "Get information about Xen host",
      "[<Item>]", NULL
    },
    { "sched-credit", xl_cmd_sched_credit, false, true,
      "Get/set credit scheduler parameters",
      "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s] [-p CPUPOOL]",
      "-d DOMAIN, --domain=DOMAIN        Domain to modify\n"
      "-w WEIGHT, --weight=WEIGHT        Weight (int)\n"
      "-c CAP, --cap=CAP                 Cap (int)\n"
      "-s         --schedparam           Query scheduler parameters\n"
      "-p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL"
    },
    { "sched-credit2", xl_cmd_sched_credit2, false, true,
      "Get/set credit2 scheduler parameters",
      "[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]",
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n"
      "-w WEIGHT, --weight=WEIGHT     Weight (int)\n"
      "-c CAP,    --cap=CAP           Cap (int)\n"
      "-s         --schedparam        Query scheduler parameters\n"
      "-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL"
    },
    { "domid", xl_cmd_domid, false, false,
      "Convert a domain name to domain id",
      "<DomainName>", NULL
    },
    { "domname", xl_cmd_domname, false, false,
      "Convert a domain id to domain name",
      "<DomainId>", NULL
    },
    { "dmesg", xl_cmd_dmesg, false, false,
      "Read and/or clear dmesg buffer",
      "[-c]",
      "  -c                        Clear dmesg buffer as well as printing it"
    },
};

const size_t xl_cmd_table_len = sizeof(xl_cmd_table) / sizeof(xl_cmd_table[0]);
