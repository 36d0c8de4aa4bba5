# PV conformance kernels and the PV guest runtime they link against.
#
#   make guests     build/guest/libpvguest.a, and for each kernel NAME in
#                   PV_GUESTS build/guests/NAME (ELF) and build/guests/NAME.gz
#
# The runtime is tools/guest/ (headers in tools/guest/include/pvguest); a
# kernel is every .c and .S file in tests/guests/NAME/.  They are built
# with their own flags: freestanding, linked at 0xffffffff80000000 with
# -mcmodel=kernel and no PIC, no red zone, no SSE.  Included from
# tests/tests.mk; `make test-guests` builds them too.  Running them on the
# real Xen is tests/system/guests-xen.sh (opt-in, KEEL_XEN_PEER=1).

PV_GUESTS     := hello traps mmu idle descr memop user misc ptwr fuzz fatal events timer vcpus grants domctl
PV_GUESTS     += spin sched privcheck
PV_GUESTS     += demohost
GUEST_BUILD   := $(BUILD)/guests
GUESTLIB_DIR  := $(BUILD)/guest
GUESTLIB      := $(GUESTLIB_DIR)/libpvguest.a

GUEST_CFLAGS  := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
                 -isystem $(shell $(CC) -print-file-name=include) \
                 -Itools/guest/include -Iinclude -m64 -mcmodel=kernel -fno-pic \
                 -fno-pie -mno-red-zone -mno-sse -mno-mmx -mno-sse2 \
                 -mno-avx -msoft-float -fno-stack-protector \
                 -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
                 -fno-strict-aliasing -fno-common \
                 -fno-tree-loop-distribute-patterns \
                 -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
                 -Wno-unused-parameter
GUEST_ASFLAGS := $(filter-out -std=gnu11,$(GUEST_CFLAGS)) -D__ASSEMBLY__ \
                 -Wa,--noexecstack
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
                 --no-warn-rwx-segments -T tools/guest/guest.lds

guestlib-srcs := head.S entry.S setup.c hypercall.c console.c string.c \
                 test.c traps.c mm.c user.c event.c event_entry.S time.c
guestlib-srcs += malloc.c foreign.c
guestlib-srcs += smp.c smp_entry.S
guestlib-srcs += xencons.c gnttab.c errno.c
guestlib-objs := $(addprefix $(GUESTLIB_DIR)/obj/,\
                   $(patsubst %.S,%.o,$(guestlib-srcs:.c=.o)))

$(GUESTLIB_DIR)/obj/%.o: tools/guest/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUESTLIB_DIR)/obj/%.o: tools/guest/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(GUEST_ASFLAGS) -MMD -MP -c $< -o $@

$(GUESTLIB): $(guestlib-objs)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# The toolstack libraries (tools/libs: libkeelctrl, libdombuild, and the
# hypervisor's pure image parsers they reuse) built for PV kernels, with
# the runtime's libc subset: build/guest/libkeeltools.a.  Kernels link it
# after the runtime, so only what a kernel calls is pulled in.
TOOLSLIB      := $(GUESTLIB_DIR)/libkeeltools.a
TOOLS_INC     := -Itools/libs/ctrl/include -Itools/libs/dombuild/include
TOOLS_INC     += -Itools/libs/xs -Itools/xenstored -Itools/console/include
TOOLS_CFLAGS  := -Itools/libs/compat -Itools/guest/include/libc \
                 $(GUEST_CFLAGS) $(TOOLS_INC)
toolslib-srcs := tools/libs/ctrl/ctrl.c tools/libs/ctrl/pv.c \
                 tools/libs/dombuild/dombuild.c common/lib/elf.c \
                 common/lib/xen_notes.c common/lib/inflate.c
toolslib-srcs += tools/libs/xs/xs.c tools/libs/xs/xs_ring.c
toolslib-srcs += tools/guest/xenstore.c tools/guest/control.c
include tools/xenstored/xenstored.mk
toolslib-srcs += $(XSD_SRCS) tools/xenstored/xsd_pv.c tools/libs/xs/xs_local.c \
                 tools/console/consback.c
toolslib-objs := $(addprefix $(GUESTLIB_DIR)/tools/,$(toolslib-srcs:.c=.o))

$(GUESTLIB_DIR)/tools/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(TOOLS_CFLAGS) -MMD -MP -c $< -o $@

$(TOOLSLIB): $(toolslib-objs)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(GUEST_BUILD)/obj/%.o: tests/guests/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(GUEST_CFLAGS) $(TOOLS_INC) -MMD -MP -c $< -o $@

$(GUEST_BUILD)/obj/%.o: tests/guests/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(GUEST_ASFLAGS) -MMD -MP -c $< -o $@

# guest-objs NAME: the objects of kernel NAME.
guest-objs = $(patsubst tests/guests/%,$(GUEST_BUILD)/obj/%,\
               $(patsubst %.c,%.o,$(patsubst %.S,%.o,\
               $(wildcard tests/guests/$(1)/*.c tests/guests/$(1)/*.S))))

define guest-rules
$(GUEST_BUILD)/$(1): $(call guest-objs,$(1)) $(GUESTLIB) $(TOOLSLIB) \
                    tools/guest/guest.lds
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(LD) $$(GUEST_LDFLAGS) -o $$@ $(call guest-objs,$(1)) \
	    --whole-archive $$(GUESTLIB) --no-whole-archive $$(TOOLSLIB)
$(GUEST_BUILD)/$(1).gz: $(GUEST_BUILD)/$(1)
	$$(Q)gzip -9 -n -c $$< > $$@
endef
$(foreach g,$(PV_GUESTS),$(eval $(call guest-rules,$(g))))

PV_GUEST_IMAGES := $(foreach g,$(PV_GUESTS),$(GUEST_BUILD)/$(g) \
                     $(GUEST_BUILD)/$(g).gz)

-include $(guestlib-objs:.o=.d) $(toolslib-objs:.o=.d)
-include $(foreach g,$(PV_GUESTS),$(patsubst %.o,%.d,$(call guest-objs,$(g))))

.PHONY: guests
guests: $(GUESTLIB) $(PV_GUEST_IMAGES)

test-guests: guests
