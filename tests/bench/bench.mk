# The PV benchmark kernel and `make bench` (docs/performance.md).
#
#   build/bench/pvbench      the kernel: every .c and .S in tests/bench/,
#                            linked against the PV guest runtime
#                            (tests/guests/guests.mk) with its flags
#   make bench               tools/build/bench: Keel against Xen 4.17 in
#                            the same QEMU configuration; results under
#                            build/bench/
#
# Included from tests/tests.mk; `make test-guests` (and so `make test`)
# builds the kernel, which tests/system/bench-smoke.sh runs on Keel.
# BENCH_ARGS passes options to tools/build/bench, e.g.
# `make bench BENCH_ARGS="--runs 5 --reps 2000"`.

BENCH_BUILD  := $(BUILD)/bench
BENCH_KERNEL := $(BENCH_BUILD)/pvbench
BENCH_ARGS   ?=

bench-srcs := $(wildcard tests/bench/*.c tests/bench/*.S)
bench-objs := $(patsubst tests/bench/%,$(BENCH_BUILD)/obj/%,\
                $(patsubst %.c,%.o,$(patsubst %.S,%.o,$(bench-srcs))))

$(BENCH_BUILD)/obj/%.o: tests/bench/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH_BUILD)/obj/%.o: tests/bench/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(GUEST_ASFLAGS) -MMD -MP -c $< -o $@

$(BENCH_KERNEL): $(bench-objs) $(GUESTLIB) tools/guest/guest.lds
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $(bench-objs) \
	    --whole-archive $(GUESTLIB) --no-whole-archive

-include $(bench-objs:.o=.d)

.PHONY: bench-kernel bench
bench-kernel: $(BENCH_KERNEL)

test-guests: $(BENCH_KERNEL)

# Tools first (gnuplot may need installing), then Keel and the kernel,
# then the runs; tools/build/bench fetches Xen itself (tools/build/xen-peer).
bench:
	@$(DEPS_CHECK) build test bench
	$(MAKE) all bench-kernel
	BUILD=$(BUILD) tools/build/bench $(BENCH_ARGS)
