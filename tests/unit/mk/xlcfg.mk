# The xl.cfg parser (tools/libs/cfg): grammar, messages, look-ups.
include tools/libs/cfg/cfg.mk
UNIT_TESTS += xlcfg
unit-xlcfg-srcs := $(CFG_SRCS)
unit-xlcfg-cflags := $(CFG_CFLAGS) -Wmissing-prototypes
# unit.mk lists no headers of tools libraries: rebuild when ours change.
$(BUILD)/unit/test_xlcfg: $(CFG_HDRS)
