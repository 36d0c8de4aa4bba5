# libFuzzer harnesses for the parsers that judge untrusted input.  Each
# harness tests/fuzz/fuzz_N.c is linked, like a unit test, with the
# unmodified hypervisor (or tools library) sources in fuzz-N-srcs and
# tests/unit/stub.c, built by clang with libFuzzer, ASan and UBSan (plus
# fuzz-N-cflags, if set) into $(BUILD)/fuzz/fuzz_N.
#
#   make fuzz-build   harnesses and their seed corpora ($(BUILD)/fuzz/seeds)
#   make fuzz         build, then run each harness for a bounded number of
#                     inputs (tests/system/fuzz.sh; FUZZ_RUNS, FUZZ_TIME)
#
# Seeds: tests/fuzz/mkseeds.c writes small valid inputs at build time,
# tests/fuzz/pvkernel.S is linked into a real PV kernel image, and
# tests/fuzz/corpus/<N>/ holds the text ones.  Included once (guarded), from
# the top Makefile or with `make -f Makefile -f tests/fuzz/fuzz.mk`.

ifndef KEEL_FUZZ_MK
KEEL_FUZZ_MK := 1

FUZZ_CC      ?= clang
FUZZ_DIR      = $(BUILD)/fuzz
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -Wall -Wextra -Werror \
                -Wno-unused-parameter -Wno-unused-function \
                -Itests/unit/stub -Iinclude -Itests/unit
FUZZ_HARNESSES := inflate elf cmdline mbinfo xlcfg

fuzz-inflate-srcs := common/lib/inflate.c
fuzz-elf-srcs     := common/lib/elf.c common/lib/xen_notes.c
fuzz-cmdline-srcs := common/cmdline.c common/dom0_params.c \
                     common/misc_params.c drivers/char/console_params.c
fuzz-mbinfo-srcs  := arch/x86/boot/mbinfo.c

include tools/libs/cfg/cfg.mk
fuzz-xlcfg-srcs   := $(CFG_SRCS)
fuzz-xlcfg-cflags := $(CFG_CFLAGS) -Wmissing-prototypes
fuzz-xlcfg-deps   := $(CFG_HDRS)

FUZZ_BINS = $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_HARNESSES))

define fuzz_rule
$$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(fuzz-$(1)-srcs) \
        $$(fuzz-$(1)-deps) tests/unit/stub.c \
        $$(wildcard tests/unit/stub/*/*.h) $$(wildcard include/*/*.h)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(fuzz-$(1)-cflags) -o $$@ \
	    tests/fuzz/fuzz_$(1).c \
	    $$(fuzz-$(1)-srcs) tests/unit/stub.c
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call fuzz_rule,$(h))))

$(FUZZ_DIR)/mkseeds: tests/fuzz/mkseeds.c tests/unit/elf_builder.h \
                     tests/unit/deflate_encoder.h $(wildcard include/*/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-function \
	    -Itests/unit/stub -Iinclude -Itests/unit -o $@ $<

# A real GNU as/ld PV kernel image, as an ELF seed and gzipped.
$(FUZZ_DIR)/pvkernel: tests/fuzz/pvkernel.S tests/fuzz/pvkernel.lds
	@mkdir -p $(dir $@)
	$(HOSTCC) -c tests/fuzz/pvkernel.S -o $@.o
	$(LD) -T tests/fuzz/pvkernel.lds -z max-page-size=0x1000 -o $@ $@.o

# Rebuilt whenever a generator or a text seed changes.
$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/pvkernel \
                          $(wildcard tests/fuzz/corpus/*/*)
	rm -rf $(FUZZ_DIR)/seeds
	$(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/seeds
	for d in tests/fuzz/corpus/*/; do \
	    mkdir -p $(FUZZ_DIR)/seeds/$$(basename $$d) && \
	    cp $$d* $(FUZZ_DIR)/seeds/$$(basename $$d)/; done
	cp $(FUZZ_DIR)/pvkernel $(FUZZ_DIR)/seeds/elf/pvkernel.elf
	gzip -9 -n -c $(FUZZ_DIR)/pvkernel > $(FUZZ_DIR)/seeds/inflate/pvkernel.gz
	gzip -9 -n -c docs/hacking.md > $(FUZZ_DIR)/seeds/inflate/hacking.md.gz
	touch $@

.PHONY: fuzz-build fuzz
fuzz-build: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp

fuzz: fuzz-build
	FUZZ_NO_BUILD=1 BUILD=$(BUILD) tests/system/fuzz.sh

endif # KEEL_FUZZ_MK
