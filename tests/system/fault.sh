#!/bin/bash
# System test: a deliberate hypervisor fault in a debug build
# (`make DEBUG=y BUILD=build/debug`).  Keel boots the idle PV kernel as
# dom0 so that it stays up on debug keys (conswitch=ax keeps serial input
# with Keel); the test types the debug key
# 'C' on COM1, which crashes the hypervisor on purpose, and expects the
# register dump, the stack trace with symbolised frames, and the fatal trap
# message, then the halt (`noreboot`).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KEEL=${DEBUG_KEEL:-$BUILD/debug/keel}
# The crash follows the key at once; this only bounds a missing one.
FAULT_TIMEOUT=${FAULT_TIMEOUT:-30}
name="fault debug-key C"

if [[ ! -r $KEEL ]]; then
    fail "$name: debug build present" "no $KEEL (make DEBUG=y BUILD=$BUILD/debug)"
    exit 0
fi

mod=$BUILD/guests/idle
if [[ ! -r $mod ]]; then
    fail "$name: idle dom0 kernel present" "no $mod (make guests)"
    exit 0
fi
qemu_start "$TEST_DIR/fault.log" -machine pc -cpu max -smp 2 -m 256 \
    -kernel "$KEEL" -append "console=com1 loglvl=all noreboot conswitch=ax" \
    -initrd "$mod"

status=0
qemu_wait 'idle: dom0 up|Manual reset required|Reboot in five seconds' "$BOOT_TIMEOUT" || status=$?
if [[ $status -ne 0 ]] || ! grep -q 'idle: dom0 up' "$QEMU_LOG"; then
    qemu_stop
    if [[ $status -ne 0 ]]; then
        why=$(wait_reason $status)
    else
        why="it stopped before dom0 came up (see $QEMU_LOG)"
    fi
    fail "$name: debug build boots to the debug keys" "$why"
    exit 0
fi
pass "$name: debug build boots to the debug keys"

qemu_send C
status=0
qemu_wait "Manual reset required|Reboot in five seconds" "$FAULT_TIMEOUT" || status=$?
qemu_stop
if [[ $status -eq 0 ]]; then
    pass "$name: the key crashes Keel, which then halts"
else
    fail "$name: the key crashes Keel, which then halts" "$(wait_reason $status)"
fi

check_log "$name: register dump header" '^----\[ Keel-[^ ]+ +x86_64 +debug=y'
check_log "$name: registers dumped" '^RIP: .*\[<ffff82d08[0-9a-f]+>\]'
check_log "$name: stack trace" '^Keel stack trace from rbp='
# Frames: "   [<ffff82d080201234>] function+0x12/0x80".
n=$(count_log '^ +\[<ffff82d08[0-9a-f]{7}>\] [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+')
if [[ $n -ge 1 ]]; then
    pass "$name: symbolised frames ($n)"
else
    fail "$name: symbolised frames" "no '   [<address>] function+0x../0x..' line in $QEMU_LOG"
fi
check_log "$name: fatal trap reported" '^FATAL TRAP: vector = [0-9]+'
