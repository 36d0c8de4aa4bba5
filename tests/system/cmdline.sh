#!/bin/bash
# System test: the hypervisor command line as boot loaders hand it over.
#   - an unknown option and an invalid value are warned about by name, and
#     boot goes on to its end;
#   - the NetBSD-style Multiboot 1 line (image name first) boots, and the
#     image name is dropped rather than reported as an option;
#   - GRUB's `placeholder` word is ignored.
# QEMU -kernel puts the image path in front of -append, exactly as NetBSD's
# /boot puts "/keel.gz" in front of the boot.cfg options.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DONE_RE='Manual reset required|Reboot in five seconds|Keel is up'

# boot NAME KEEL-ARGS [KERNEL]: boot -kernel KERNEL (build/keel) to its end.
boot() {
    local name=$1 args=$2 kernel=${3:-$BUILD/keel} status=0
    qemu_start "$TEST_DIR/cmdline-$name.log" -machine pc -cpu max -m 256 \
        -kernel "$kernel" -append "$args"
    qemu_wait "$DONE_RE" "$BOOT_TIMEOUT" || status=$?
    qemu_stop
    if [[ $status -eq 0 ]]; then
        pass "cmdline $name: boots to the end"
    else
        fail "cmdline $name: boots to the end" "$(wait_reason $status)"
    fi
}

# Unknown option and invalid value: warned about, then boot goes on (the
# CPUs, PCI and dom0 lines come after the command line is parsed).
boot bad-options "frobnicate=1 conring_size=12Q noreboot"
check_log "cmdline bad-options: unknown option warned" \
    'parameter "frobnicate" unknown!'
check_log "cmdline bad-options: invalid value warned" \
    'parameter "conring_size" has invalid value "12Q", rc=-?[0-9]+!'
check_log "cmdline bad-options: boot goes on past the warnings" \
    '^SMP: 1 CPU\(s\) online'
check_log "cmdline bad-options: options after the bad ones still apply" \
    "Manual reset required \('noreboot' specified\)"

# NetBSD /boot.cfg: multiboot /keel.gz dom0_mem=256M console=com1 com1=...
# The image is passed as build/test/netbsd/keel.gz (a link to build/keel)
# so that the first word is the NetBSD-looking image name.
mkdir -p "$TEST_DIR/netbsd"
ln -sfn "$(cd "$BUILD" && pwd)/keel" "$TEST_DIR/netbsd/keel.gz"
boot netbsd "dom0_mem=256M console=com1 com1=115200,8n1 noreboot" \
    "$TEST_DIR/netbsd/keel.gz"
check_no_log "cmdline netbsd: image name not taken for an option" \
    'parameter ".*keel.*" unknown|unknown!|invalid value'
check_log "cmdline netbsd: options after the image name apply" \
    "Manual reset required \('noreboot' specified\)"

# GRUB-style placeholder word, first and in the middle.
boot placeholder "placeholder noreboot placeholder console=com1"
check_no_log "cmdline placeholder: placeholder ignored" \
    'parameter "placeholder"'
check_log "cmdline placeholder: the other options apply" \
    "Manual reset required \('noreboot' specified\)"
