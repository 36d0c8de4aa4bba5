#!/bin/bash
# System test: the hypercall fuzzer PV kernel (tests/guests/fuzz) issues its
# budget of hostile hypercalls (100,000 by default; seeded PRNG, the seed
# printed first) as dom0 and must report SUCCESS with Keel still running:
# two seeds at -smp 1, one at -smp 2.  A failure names the seed, so it can
# be replayed with `tests/run-guest --dom0-args "seed=N" build/guests/fuzz`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

img=$BUILD/guests/fuzz
out=$TEST_DIR/fuzz-guest
mkdir -p "$out"
if [[ ! -r $img ]]; then
    fail "fuzz guest: kernel present" "no $img (make guests)"
    exit 0
fi

run_seed() {
    local seed=$1 smp=$2 log=$out/seed$1-smp$2.log name="fuzz guest seed $1 smp $2"
    local rc=0

    "$KEEL_ROOT/tests/run-guest" --smp "$smp" -m 256 --timeout 240 \
        --dom0-args "seed=$seed" --log "$log" "$img" > "$log.out" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        pass "$name: budget completed"
    else
        fail "$name: budget completed" "run-guest exit $rc (log $log)"
    fi
    if grep -q 'FATAL TRAP' "$log"; then
        fail "$name: no hypervisor fault" "FATAL TRAP in $log"
    else
        pass "$name: no hypervisor fault"
    fi
}

run_seed 1 1
run_seed 424242 1
run_seed 7 2
