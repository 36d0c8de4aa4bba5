# xenstored's portable core (tools/xenstored) driven over its local and
# ring transports: every request type, permissions, quotas, watches,
# transactions, domains, hostile rings and malformed messages.
include tools/xenstored/xenstored.mk
UNIT_TESTS += xenstored
unit-xenstored-srcs := $(XSD_SRCS)
unit-xenstored-cflags := $(XSD_CFLAGS) -Wmissing-prototypes
# unit.mk lists no headers of tools libraries: rebuild when ours change.
$(BUILD)/unit/test_xenstored: $(XSD_HDRS)
