#!/bin/bash
# System test: the benchmark kernel (build/bench/pvbench, tests/bench/)
# runs as dom0 on Keel with few repetitions (reps=50) and prints a line
# for every metric in tests/bench/metrics, each with a number or
# "unsupported (reason)", and its BENCH-MEM line; it ends with "Test
# result: SUCCESS" (an "error" line, a call that exists but failed, makes
# it FAILURE).  Nothing here looks at the numbers: timing belongs to
# `make bench` (docs/performance.md), never to the tests.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$BUILD/bench/pvbench
log=$TEST_DIR/bench/smoke.log
mkdir -p "$TEST_DIR/bench"

if [[ ! -r $kernel ]]; then
    fail "bench kernel" "no $kernel (make test-guests)"
    exit 0
fi

rc=0
"$KEEL_ROOT/tests/run-guest" --smp 1 -m 256 \
    --keel-args "console=com1 loglvl=all guest_loglvl=all noreboot dom0_mem=64M dom0_max_vcpus=2" \
    --dom0-args "reps=50" --timeout "${BOOT_TIMEOUT}" --log "$log" \
    "$kernel" > "$TEST_DIR/bench/smoke.out" 2>&1 || rc=$?
if [[ $rc -eq 0 ]]; then
    pass "bench kernel runs on Keel"
else
    fail "bench kernel runs on Keel" "run-guest exit $rc: $(grep -E \
        'ERROR:|FAIL:|error \(' "$log" | head -n3 | tr '\n' ' ')(log $log)"
fi

QEMU_LOG=$log
num='[0-9]+'
while read -r metric _; do
    [[ -z $metric || $metric == \#* ]] && continue
    check_log "bench $metric" \
        "^BENCH $metric (median=$num p10=$num p90=$num min=$num reps=$num|unsupported \(.+\))\$" \
        "no number or \"unsupported\" for $metric: $(log_line "^BENCH $metric ")"
done < "$KEEL_ROOT/tests/bench/metrics"
check_log "bench memory" \
    "^BENCH-MEM (ram_kib=$num dom0_kib=$num kept_kib=$num boot_dom0_kib=$num|unsupported \(.+\))\$"
check_log "bench end" "^BENCH-END metrics=$num\$"
exit 0
