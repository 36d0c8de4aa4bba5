# The PV domain view of an xl.cfg file (tools/libs/cfg/domcfg.c, cpumap.c).
include tools/libs/cfg/cfg.mk
UNIT_TESTS += domcfg
unit-domcfg-srcs := $(CFG_SRCS)
unit-domcfg-cflags := $(CFG_CFLAGS) -Wmissing-prototypes
# unit.mk lists no headers of tools libraries: rebuild when ours change.
$(BUILD)/unit/test_domcfg: $(CFG_HDRS)
