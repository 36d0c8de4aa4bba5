# Host unit tests.  Each test N is tests/unit/test_N.c linked with the
# unmodified hypervisor sources listed in unit-N-srcs and tests/unit/stub.c.
# Stub headers in tests/unit/stub/ shadow <keel/lib.h> and <asm/...>.
#
# To add a test, create tests/unit/mk/foo.mk with:
#                  UNIT_TESTS += foo
#                  unit-foo-srcs := common/foo.c
#                  unit-foo-cflags := -Itools/libs/foo/include   (optional)

UNIT_TESTS :=
include $(wildcard tests/unit/mk/*.mk)

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow \
               -Wno-unused-parameter -Wno-unused-function \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined \
               -Itests/unit/stub -Iinclude -Itests/unit

UNIT_BINS := $(addprefix $(BUILD)/unit/test_,$(UNIT_TESTS))

define unit_rule
$(BUILD)/unit/test_$(1): tests/unit/test_$(1).c $$(unit-$(1)-srcs) tests/unit/stub.c tests/unit/harness.h $$(wildcard tests/unit/stub/*/*.h) $$(wildcard include/*/*.h)
	@mkdir -p $$(dir $$@)
	$(HOSTCC) $(UNIT_CFLAGS) $$(unit-$(1)-cflags) -o $$@ tests/unit/test_$(1).c $$(unit-$(1)-srcs) tests/unit/stub.c
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

.PHONY: unit
unit: $(UNIT_BINS)
