UNIT_TESTS += vsnprintf
unit-vsnprintf-srcs := build/unit/keel_vsnprintf.c

# Build the unmodified source with its entry points renamed, so the test can
# compare it with the host's snprintf in the same binary.
build/unit/keel_vsnprintf.c: common/lib/vsnprintf.c
	@mkdir -p $(dir $@)
	printf '#define vsnprintf keel_vsnprintf\n#define snprintf keel_snprintf\n#include "../../common/lib/vsnprintf.c"\n' > $@
