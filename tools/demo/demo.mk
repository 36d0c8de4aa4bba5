# The demo domUs (tools/demo, README there): one PV kernel, `demo`, whose
# command line picks its role (echo, ping, pong).  keel-ctrl carries it in
# its initrd as boot/demo.gz (tools/ctrldom/ctrldom.mk) and starts it from
# tools/ctrldom/etc/demo-*.cfg.
#
#   make demo       $(BUILD)/demo/demo (ELF) and $(BUILD)/demo/demo.gz
#
# Built like the test kernels (tests/guests/guests.mk: the same flags, the
# runtime libpvguest.a and libkeeltools.a, which carries libxs), so this
# fragment is included after tests/tests.mk.

DEMO_BUILD := $(BUILD)/demo
DEMO_SRCS  := $(wildcard tools/demo/*.c)
DEMO_OBJS  := $(patsubst tools/demo/%.c,$(DEMO_BUILD)/obj/%.o,$(DEMO_SRCS))

$(DEMO_BUILD)/obj/%.o: tools/demo/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(GUEST_CFLAGS) $(TOOLS_INC) -MMD -MP -c $< -o $@

$(DEMO_BUILD)/demo: $(DEMO_OBJS) $(GUESTLIB) $(TOOLSLIB) tools/guest/guest.lds
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $(DEMO_OBJS) \
	    --whole-archive $(GUESTLIB) --no-whole-archive $(TOOLSLIB)

$(DEMO_BUILD)/demo.gz: $(DEMO_BUILD)/demo
	$(Q)gzip -9 -n -c $< > $@

.PHONY: demo
demo: $(DEMO_BUILD)/demo $(DEMO_BUILD)/demo.gz

-include $(DEMO_OBJS:.o=.d)
