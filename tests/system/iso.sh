#!/bin/bash
# System test: Keel booted by GRUB 2 from a rescue ISO (tools/build/mkiso,
# the same script as `make iso`), one ISO per menu entry:
#   mb2   multiboot2 /boot/keel
#   mb1   multiboot  /boot/keel
#   gz    multiboot2 /boot/keel.gz (GRUB decompresses)
#   mod   multiboot2 /boot/keel with module2 /boot/dom0
# The command line starts with `noreboot`: GRUB 2 passes no image name, so
# Keel must keep the first word (the halt message proves it did), and it
# holds Debian's `placeholder`, which Keel must ignore.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DONE_RE='Manual reset required|Reboot in five seconds|Keel is up'
ARGS="noreboot placeholder console=com1 loglvl=all"

iso_case() {
    local name=$1 entry=$2 title=$3 status=0 iso
    shift 3
    iso=$TEST_DIR/iso-$name.iso
    if ! "$KEEL_ROOT/tools/build/mkiso" --default "$entry" --timeout 0 \
            --args "$ARGS" "$@" "$iso" "$BUILD/keel" "$BUILD/keel.gz" \
            > "$TEST_DIR/iso-$name.mkiso.log" 2>&1; then
        fail "iso $name: ISO built" "tools/build/mkiso failed, see $TEST_DIR/iso-$name.mkiso.log"
        return 0
    fi
    qemu_start "$TEST_DIR/iso-$name.log" -machine pc -cpu max -m 256 \
        -cdrom "$iso" -boot d
    qemu_wait "$DONE_RE" "$BOOT_TIMEOUT" || status=$?
    qemu_stop

    check_log_fixed "iso $name: GRUB boots \"$title\"" "Booting \`$title'"
    if [[ $status -eq 0 ]]; then
        pass "iso $name: Keel boots to the end"
    else
        fail "iso $name: Keel boots to the end" "$(wait_reason $status)"
    fi
    check_no_log "iso $name: no fault" 'FATAL TRAP|Panic on CPU'
    check_log "iso $name: memory map logged" '^Keel-e820 RAM map:'
    check_log "iso $name: CPU online" '^SMP: 1 CPU\(s\) online'
    check_log "iso $name: PCI devices found" '^PCI: [0-9]+ devices? found'
    check_no_log "iso $name: placeholder ignored" 'parameter "placeholder"'
}

# Without a module, boot ends in the missing-dom0 halt.
no_dom0_checks() {
    check_log "iso $1: missing dom0 reported" '^No dom0 kernel'
    check_log "iso $1: first word kept (noreboot applies)" \
        "Manual reset required \('noreboot' specified\)"
}

iso_case mb2 0 "Keel (multiboot2)"
no_dom0_checks mb2
iso_case mb1 1 "Keel (multiboot)"
no_dom0_checks mb1
iso_case gz 2 "Keel, gzip image (multiboot2)"
no_dom0_checks gz

mod=$TEST_DIR/iso-fake-kernel
head -c 4096 /dev/zero > "$mod"
iso_case mod 0 "Keel (multiboot2)" --module "$mod" --module-args "root=/dev/xvda1"
check_log "iso mod: module found" '^Boot modules: 1'
check_log "iso mod: module command line" '^  module 0: .*root=/dev/xvda1'
