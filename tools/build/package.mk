# Packaging: `make iso` (a GRUB rescue ISO) and `make install`.

# ---- make iso -------------------------------------------------------------
# $(BUILD)/keel.iso boots Keel from GRUB 2: entry 0 through multiboot2 (the
# default), 1 through multiboot, 2 the gzip image through multiboot2.  GRUB
# and Keel talk on the screen and on COM1.  ISO_ARGS is Keel's command line;
# ISO_DOM0 (with ISO_DOM0_ARGS) adds a dom0 kernel module to every entry.
# Try it: qemu-system-x86_64 -cdrom build/keel.iso -nographic
ISO_ARGS      ?= console=com1,vga
ISO_DOM0      ?=
ISO_DOM0_ARGS ?=

.PHONY: iso
iso:
	@tools/build/deps build iso
	$(MAKE) all
	tools/build/mkiso --args "$(ISO_ARGS)" \
	    $(if $(ISO_DOM0),--module "$(ISO_DOM0)" --module-args "$(ISO_DOM0_ARGS)") \
	    $(BUILD)/keel.iso $(BUILD)/keel $(BUILD)/keel.gz
	@echo "$(BUILD)/keel.iso: boot it with qemu-system-x86_64 -cdrom $(BUILD)/keel.iso -nographic"

# ---- make install ---------------------------------------------------------
# DESTDIR/boot/keel-<version>.gz, the link DESTDIR/boot/keel.gz to it (the
# name boot loader configurations use), and the documentation.
DESTDIR ?=
PREFIX  ?= /usr
DOCDIR  ?= $(PREFIX)/share/doc/keel

.PHONY: install
install: $(BUILD)/keel.gz
	install -d $(DESTDIR)/boot $(DESTDIR)$(DOCDIR)
	install -m 0644 $(BUILD)/keel.gz $(DESTDIR)/boot/keel-$(VERSION).gz
	ln -sfn keel-$(VERSION).gz $(DESTDIR)/boot/keel.gz
	install -m 0644 README $(DESTDIR)$(DOCDIR)/
	for f in $(patsubst docs/%,%,$(shell find docs -name '*.md')); do \
	    install -D -m 0644 docs/$$f $(DESTDIR)$(DOCDIR)/$$f || exit 1; \
	done
