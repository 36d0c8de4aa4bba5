# Final link of the hypervisor image.  Two passes: the first link gives the
# symbol addresses, which tools/build/mksyms turns into a sorted table that
# the second link embeds for symbolised stack traces.

$(BUILD)/keel.lds: arch/x86/keel.lds.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -D__ASSEMBLY__ -Iinclude -Iarch/x86/include -x c $< -o $@

$(BUILD)/keel-syms.o: $(OBJS) $(BUILD)/keel.lds tools/build/mksyms $(BUILD)/obj/empty-syms.o
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/keel.lds -o $(BUILD)/keel-pass1.elf $(OBJS) $(BUILD)/obj/empty-syms.o
	$(Q)$(NM) -n $(BUILD)/keel-pass1.elf | tools/build/mksyms > $(BUILD)/keel-syms.S
	$(Q)$(CC) $(ASFLAGS) -c $(BUILD)/keel-syms.S -o $@

$(BUILD)/obj/empty-syms.o: tools/build/empty-syms.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/keel.elf: $(OBJS) $(BUILD)/keel-syms.o $(BUILD)/keel.lds
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/keel.lds -o $@ $(OBJS) $(BUILD)/keel-syms.o

# QEMU's -kernel only accepts a 32-bit Multiboot 1 image: wrap it.
$(BUILD)/keel: $(BUILD)/keel.elf tools/build/mkelf32
	tools/build/mkelf32 $< $@ $(BUILD)
