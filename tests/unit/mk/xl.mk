# xl, the command-line front end (tools/xl), over libkeelctrl and a
# simulated hypervisor.
include tools/xl/xl.mk
UNIT_TESTS += xl
unit-xl-srcs := $(XL_SRCS) tools/libs/ctrl/ctrl.c
unit-xl-cflags := $(XL_CFLAGS) -Wmissing-prototypes
# unit.mk lists no headers of tools libraries: rebuild when ours change.
$(BUILD)/unit/test_xl: $(XL_HDRS) tools/libs/ctrl/include/keelctrl.h
