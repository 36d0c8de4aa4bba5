# keel-ctrl, Keel's control domain: a PV kernel on the guest runtime with
# xenstored, the console backend, the toolstack and xl linked in, and its
# initrd (a newc cpio archive of configs and domU kernels).
#
#   make ctrldom    $(BUILD)/ctrldom/keel-ctrl(.gz), $(BUILD)/ctrldom/initrd
#
# Included from the top Makefile after tests/tests.mk (it uses the guest
# runtime's flags and libraries from tests/guests/guests.mk).

include tools/libs/cfg/cfg.mk
include tools/xenstored/xenstored.mk
include tools/libs/xs/xs.mk
-include tools/xl/xl.mk

CTRL_BUILD   := $(BUILD)/ctrldom
CTRL_SRCS    := $(wildcard tools/ctrldom/*.c)
CTRL_LIBSRCS := $(CFG_SRCS) $(XSD_SRCS) $(XS_SRCS) $(XS_LOCAL_SRCS) \
                $(XL_SRCS) tools/libs/toolstack/toolstack.c \
                tools/console/consback.c tools/libs/util/cpio.c
CTRL_INC     := -Itools/libs/compat -Itools/guest/include/libc \
                -Itools/libs/toolstack/include -Itools/console/include \
                -Itools/libs/util/include -Itools/xl/include \
                $(CFG_CFLAGS) $(XSD_CFLAGS) $(XS_CFLAGS)
CTRL_CFLAGS  := $(CTRL_INC) $(GUEST_CFLAGS) $(TOOLS_INC)
CTRL_OBJS    := $(patsubst %.c,$(CTRL_BUILD)/obj/%.o,$(CTRL_SRCS) \
                  $(CTRL_LIBSRCS))

$(CTRL_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CTRL_CFLAGS) -MMD -MP -c $< -o $@

$(CTRL_BUILD)/keel-ctrl: $(CTRL_OBJS) $(GUESTLIB) $(TOOLSLIB) \
                         tools/guest/guest.lds
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $(CTRL_OBJS) \
	    --whole-archive $(GUESTLIB) --no-whole-archive $(TOOLSLIB)

$(CTRL_BUILD)/keel-ctrl.gz: $(CTRL_BUILD)/keel-ctrl
	$(Q)gzip -9 -n -c $< > $@

# The initrd: tools/ctrldom/etc/ as etc/keel/, and the domU kernels as
# boot/NAME.
CTRL_KERNELS := $(GUEST_BUILD)/spin.gz $(GUEST_BUILD)/privcheck.gz \
                $(BUILD)/demo/demo.gz
CTRL_ETC     := $(wildcard tools/ctrldom/etc/*)
$(CTRL_BUILD)/initrd: $(CTRL_ETC) $(CTRL_KERNELS)
	@mkdir -p $(CTRL_BUILD)/root/etc/keel $(CTRL_BUILD)/root/boot
	$(Q)rm -rf $(CTRL_BUILD)/root/etc/keel/* $(CTRL_BUILD)/root/boot/*
	$(Q)cp $(CTRL_ETC) $(CTRL_BUILD)/root/etc/keel/
	$(Q)cp $(CTRL_KERNELS) $(CTRL_BUILD)/root/boot/
	$(Q)cd $(CTRL_BUILD)/root && find . | LC_ALL=C sort | \
	    cpio -o -H newc --quiet > ../initrd.tmp && mv ../initrd.tmp ../initrd

.PHONY: ctrldom
ctrldom: $(CTRL_BUILD)/keel-ctrl $(CTRL_BUILD)/keel-ctrl.gz \
         $(CTRL_BUILD)/initrd

-include $(CTRL_OBJS:.o=.d)
