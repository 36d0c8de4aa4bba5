#!/bin/bash
# System test of tests/run-guest itself.
#   - Its result parsing and exit codes, without the hypervisor: --keel
#     points at tests/guests/mbprint, a tiny Multiboot kernel that prints
#     its command line (so --keel-args "Test result: SKIP" prints a result
#     line) and halts.
#   - The crash paths: no result before the timeout, QEMU exiting without a
#     result, and Keel itself stopping.
#   - Real Keel with a stand-in dom0 module: the module and its arguments
#     reach Keel, and the missing result line is a crash once the timeout
#     expires.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

RUN_GUEST=$KEEL_ROOT/tests/run-guest
MBPRINT=$BUILD/test/guests/mbprint
LOGDIR=$TEST_DIR/run-guest-test
mkdir -p "$LOGDIR"
dummy=$LOGDIR/fake-kernel
head -c 4096 /dev/zero > "$dummy"

# slug NAME: NAME as a file name.
slug() {
    local s=${1//[^A-Za-z0-9]/-}
    echo "$s"
}

# expect_rc NAME WANT [MAX-SECONDS] -- RUN-GUEST-ARGS...
# Runs run-guest and checks its exit status (and, if given, that it took
# at most MAX-SECONDS).
expect_rc() {
    local name=$1 want=$2 max=${3:-} rc=0 start took base
    shift 3
    base=$LOGDIR/$(slug "$name")
    start=$SECONDS
    # In the background, so that a SIGTERM to this script reaches it too.
    "$RUN_GUEST" --log "$base.log" "$@" > "$base.out" 2>&1 &
    child=$!
    wait "$child" || rc=$?
    child=
    took=$((SECONDS - start))
    if [[ $rc -ne $want ]]; then
        fail "run-guest $name: exit $want" "exit $rc: $(tail -n1 "$base.out")"
    elif [[ -n $max && $took -gt $max ]]; then
        fail "run-guest $name: exit $want" "took ${took}s, more than ${max}s"
    else
        pass "run-guest $name: exit $want"
    fi
}

child=
trap '[[ -z $child ]] || kill "$child" 2>/dev/null; exit 143' TERM INT

if [[ ! -r $MBPRINT ]]; then
    fail "run-guest: test kernel present" "no $MBPRINT (make test-guests)"
    exit 0
fi

mb() { echo --keel "$MBPRINT" --timeout 60; }
# shellcheck disable=SC2046
{
expect_rc "result SUCCESS" 0 "" $(mb) --keel-args "Test result: SUCCESS" "$dummy"
expect_rc "result SKIP"    3 "" $(mb) --keel-args "Test result: SKIP" "$dummy"
expect_rc "result ERROR"   4 "" $(mb) --keel-args "Test result: ERROR" "$dummy"
expect_rc "result FAILURE" 5 "" $(mb) --keel-args "Test result: FAILURE" "$dummy"
expect_rc "result with prefix" 0 "" $(mb) --keel-args "(d1) Test result: SUCCESS" "$dummy"
expect_rc "unknown result word" 6 20 --keel "$MBPRINT" --timeout 5 \
    --keel-args "Test result: MAYBE" "$dummy"
expect_rc "--expect met" 0 "" $(mb) --keel-args "Test result: SUCCESS" \
    --expect 'mbprint' "$dummy"
expect_rc "--expect unmet" 5 "" $(mb) --keel-args "Test result: SUCCESS" \
    --expect 'no such line' "$dummy"
expect_rc "Keel stops (fatal trap)" 6 20 $(mb) --keel-args "FATAL TRAP: vector = 14" "$dummy"
}

# No result line: a crash after the timeout, and QEMU stopped by its PID
# (QEMU names the signal and the PID that sent it).
expect_rc "no result (timeout)" 6 30 --keel "$MBPRINT" --timeout 5 \
    --keel-args "silence" "$dummy"
log=$LOGDIR/$(slug "no result (timeout)").log
if grep -q 'terminating on signal 15 from pid' "$log.qemu"; then
    pass "run-guest no result (timeout): QEMU stopped by SIGTERM to its PID"
else
    fail "run-guest no result (timeout): QEMU stopped by SIGTERM to its PID" \
         "no 'terminating on signal 15' in $log.qemu"
fi

# QEMU exits without a result: it refuses an image that is no kernel.
expect_rc "QEMU exits without result" 6 20 --keel "$dummy" --timeout 60 "$dummy"

# Bad usage.
expect_rc "usage: no kernel" 2 "" --keel "$MBPRINT"
expect_rc "usage: bad machine" 2 "" --machine isapc "$dummy"
expect_rc "usage: missing file" 2 "" "$LOGDIR/does-not-exist"

# Real Keel with a stand-in dom0: the module and its arguments (a comma
# included, which QEMU needs doubled) arrive; no result line is a crash.
expect_rc "keel without result" 6 60 --timeout 15 --smp 2 --machine q35 \
    --dom0-args "console=hvc0 list=a,b" --initrd "$dummy" "$dummy"
QEMU_LOG=$LOGDIR/$(slug "keel without result").log
check_log "run-guest keel without result: dom0 module and initrd passed" \
    '^Boot modules: 2'
check_log "run-guest keel without result: dom0 arguments passed" \
    '^  module 0: .*console=hvc0 list=a,b'
check_log "run-guest keel without result: CPUs as asked" '^SMP: 2 CPU\(s\) online'
