# Test targets: `make test` (everything), `make run` (Keel in QEMU on this
# terminal), and the test guests.  The runner is tests/run-tests, the
# system tests are tests/system/*.sh; tests/README explains them all.

TEST_BUILD := $(BUILD)/test
DEPS_CHECK := tools/build/deps

# ---- test guests ----------------------------------------------------------
# mbprint: a Multiboot 1 kernel that prints its command line on COM1 and
# halts, so that tests/run-guest can be tested without the hypervisor.
$(TEST_BUILD)/guests/mbprint: tests/guests/mbprint/mbprint.S \
                              tests/guests/mbprint/mbprint.lds
	@mkdir -p $(dir $@)
	$(CC) -m32 -c $< -o $@.o
	$(LD) -m elf_i386 -nostdlib --no-warn-rwx-segments \
	    -T tests/guests/mbprint/mbprint.lds -o $@ $@.o

TEST_GUESTS := $(TEST_BUILD)/guests/mbprint

.PHONY: test-guests
test-guests: $(TEST_GUESTS)

include tests/guests/guests.mk
include tests/bench/bench.mk

# ---- make test ------------------------------------------------------------
# Dependencies first (they may need installing before anything builds),
# then the hypervisor, the unit tests, the test guests and the debug build
# that the fault test boots, then every test.
.PHONY: test
test:
	@$(DEPS_CHECK) build unit test iso
	$(MAKE) all unit test-guests ctrldom
	$(MAKE) DEBUG=y BUILD=$(BUILD)/debug all
	BUILD=$(BUILD) tests/run-tests

# ---- make run -------------------------------------------------------------
# Keel on this terminal with its control domain, keel-ctrl, as dom0 and its
# initrd (configs and domU kernels): the keel-ctrl# prompt takes xl
# commands.  COM1 and the QEMU monitor share the terminal (-nographic);
# QEMU's escape is Ctrl-T (-echr 0x14) so that Ctrl-A reaches Keel: Ctrl-A
# three times switches serial input between Keel and dom0.  Ctrl-T x
# quits QEMU, Ctrl-T c switches to the QEMU monitor and back.
# DOM0=path (with DOM0_ARGS, and DOM0_INITRD) boots another dom0 kernel.
RUN_MACHINE ?= pc
RUN_SMP     ?= 2
RUN_MEM     ?= 1024
RUN_ARGS    ?= console=com1 loglvl=all guest_loglvl=all noreboot dom0_mem=256M
DOM0        ?= $(BUILD)/ctrldom/keel-ctrl.gz
DOM0_ARGS   ?=
DOM0_INITRD ?= $(if $(filter $(BUILD)/ctrldom/keel-ctrl.gz,$(DOM0)),$(BUILD)/ctrldom/initrd)
comma       := ,

.PHONY: run
run:
	@$(DEPS_CHECK) build test
	$(MAKE) all guests ctrldom
	@echo "Starting Keel in QEMU.  Quit with Ctrl-T x (Ctrl-T c: QEMU monitor)."
	qemu-system-x86_64 -accel tcg -machine $(RUN_MACHINE) -cpu max \
	    -smp $(RUN_SMP) -m $(RUN_MEM) -nographic -echr 0x14 -no-reboot \
	    -kernel $(BUILD)/keel -append "$(RUN_ARGS)" \
	    $(if $(DOM0),-initrd "$(DOM0)$(if $(DOM0_ARGS), $(subst $(comma),$(comma)$(comma),$(DOM0_ARGS)))$(if $(DOM0_INITRD),$(comma)$(DOM0_INITRD))")
