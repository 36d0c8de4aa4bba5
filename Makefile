# Keel top-level Makefile.  Plain GNU make; per-directory object lists live
# in */objs.mk, host unit tests in tests/unit/unit.mk, test and packaging
# targets in tests/tests.mk and tools/build/*.mk.

VERSION     := 0.1.0
BUILD       := build
CC          := gcc
LD          := ld
OBJCOPY     := objcopy
NM          := nm
HOSTCC      := gcc
DEBUG       ?= n

.DEFAULT_GOAL := all

# ---- hypervisor ---------------------------------------------------------
CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
          -isystem $(shell $(CC) -print-file-name=include) \
          -Iinclude -Iarch/x86/include -include include/keel/compiler.h \
          -m64 -fpie -mno-red-zone -mno-sse -mno-mmx -mno-sse2 \
          -mno-avx -msoft-float -fno-stack-protector \
          -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
          -fno-strict-aliasing -fno-common -fno-tree-loop-distribute-patterns \
          -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
          -Wno-unused-parameter -DKEEL_VERSION=\"$(VERSION)\"
ifeq ($(DEBUG),y)
CFLAGS += -DCONFIG_DEBUG=1
endif
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__ -Wa,--noexecstack \
           -I$(BUILD)/include
LDFLAGS := -nostdlib -z max-page-size=0x1000 --no-warn-rwx-segments --build-id=sha1

obj-y :=
include arch/x86/objs.mk
include common/objs.mk
include drivers/objs.mk
include xsm/objs.mk

OBJS := $(addprefix $(BUILD)/obj/,$(sort $(obj-y)))

# V=1 shows full commands.
Q := $(if $(filter 1,$(V)),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Offsets for assembly, from arch/x86/entry/asm-offsets.c.
$(BUILD)/include/asm-offsets.h: arch/x86/entry/asm-offsets.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -S -o $@.s $<
	$(Q)sed -n 's/^.*->\([A-Za-z_0-9]*\) \$$\{0,1\}\([0-9-]*\).*$$/#define \1 \2/p' $@.s > $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/obj/%.o: %.S $(BUILD)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)

include arch/x86/link.mk

.PHONY: all
all: $(BUILD)/keel $(BUILD)/keel.gz

$(BUILD)/keel.gz: $(BUILD)/keel
	gzip -9 -n -c $< > $@

# ---- host unit tests, system tests, packaging -----------------------------
include tests/unit/unit.mk
include tests/tests.mk
include tools/demo/demo.mk
include tools/ctrldom/ctrldom.mk
include tools/build/package.mk

.PHONY: clean
clean:
	rm -rf $(BUILD)
