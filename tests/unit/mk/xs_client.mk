# libxs (tools/libs/xs) talking to xenstored over an in-memory ring page
# and over the function-call transport.
include tools/xenstored/xenstored.mk
include tools/libs/xs/xs.mk
UNIT_TESTS += xs_client
unit-xs_client-srcs := $(XSD_SRCS) $(XS_SRCS) $(XS_LOCAL_SRCS)
unit-xs_client-cflags := $(XSD_CFLAGS) $(XS_CFLAGS) -Wmissing-prototypes
# unit.mk lists no headers of tools libraries: rebuild when ours change.
$(BUILD)/unit/test_xs_client: $(XSD_HDRS) $(XS_HDRS)
