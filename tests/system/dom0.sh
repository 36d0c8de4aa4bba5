#!/bin/bash
# System test: the dom0 boot module.
#   - without a module Keel names what is missing and how to give it, then
#     halts (`noreboot`) or reboots after five seconds (the default; QEMU
#     runs with -no-reboot, so the reboot ends QEMU);
#   - with modules Keel lists them with their command lines.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DONE_RE='Manual reset required|Reboot in five seconds|Keel is up'

# boot NAME KEEL-ARGS [QEMU-ARGS...]: boot build/keel to its end.
boot() {
    local name=$1 args=$2 status=0
    shift 2
    qemu_start "$TEST_DIR/dom0-$name.log" -machine pc -cpu max -m 256 \
        -kernel "$BUILD/keel" -append "$args" "$@"
    qemu_wait "$DONE_RE" "$BOOT_TIMEOUT" || status=$?
    if [[ $status -eq 0 ]]; then
        pass "dom0 $name: boots to the end"
    else
        fail "dom0 $name: boots to the end" "$(wait_reason $status)"
    fi
}

# No module, noreboot: message, how to fix it, then a halt.
boot missing-noreboot "console=com1 noreboot"
qemu_stop
check_log "dom0 missing-noreboot: missing dom0 named" \
    '^No dom0 kernel: Keel found no boot module\.'
check_log "dom0 missing-noreboot: says how to give one" 'first Multiboot module'
check_log "dom0 missing-noreboot: halts" \
    "Manual reset required \('noreboot' specified\)"
check_no_log "dom0 missing-noreboot: not a fault" 'FATAL TRAP|Panic on CPU'

# No module, default: message, then a reboot five seconds later.
boot missing-reboot "console=com1"
check_log "dom0 missing-reboot: missing dom0 named" \
    '^No dom0 kernel: Keel found no boot module\.'
check_log "dom0 missing-reboot: announces the reboot" 'Reboot in five seconds'
status=0
qemu_wait 'this line never appears' 30 || status=$?
qemu_stop
if [[ $status -eq 1 ]]; then
    pass "dom0 missing-reboot: reboots (QEMU -no-reboot exits)"
else
    fail "dom0 missing-reboot: reboots (QEMU -no-reboot exits)" \
         "QEMU still running 30 s after the reboot message"
fi

# A module (any file stands in for the dom0 kernel), with arguments.
mod=$TEST_DIR/dom0-fake-kernel
head -c 4096 /dev/zero > "$mod"
boot module "console=com1 noreboot" -initrd "$mod root=/dev/xvda1 quiet"
qemu_stop
check_log "dom0 module: one module" '^Boot modules: 1'
check_log "dom0 module: module 0 with its command line" \
    '^  module 0: .*root=/dev/xvda1 quiet'
check_no_log "dom0 module: no missing-dom0 message" 'No dom0 kernel'

# Kernel and initrd.
boot two-modules "console=com1 noreboot" -initrd "$mod console=hvc0,$mod"
qemu_stop
check_log "dom0 two-modules: two modules" '^Boot modules: 2'
check_log "dom0 two-modules: module 1 listed" '^  module 1: '
