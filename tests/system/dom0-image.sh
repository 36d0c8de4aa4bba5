#!/bin/bash
# System test: bad dom0 kernel modules are refused with a message naming
# the problem, and Keel stops cleanly (noreboot) without faulting:
# not an ELF file, a bad Xen note (XEN_VERSION), a truncated gzip module
# and a gzip module claiming an oversized uncompressed size.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

good=$BUILD/guests/hello
out=$TEST_DIR/dom0-image
mkdir -p "$out"
if [[ ! -r $good || ! -r $good.gz ]]; then
    fail "dom0 image: conformance kernel present" "no $good (make guests)"
    exit 0
fi

# Bad images, made from the good one.
head -c 65536 /dev/urandom > "$out/not-elf"
cp "$good" "$out/bad-note"
# The XEN_VERSION note's descriptor follows its name "Xen\0".
off=$(( $(grep -obUaP 'Xen\x00xen-3\.0' "$good" | head -1 | cut -d: -f1) + 4 ))
printf 'xen-2.9' | dd of="$out/bad-note" bs=1 seek="$off" conv=notrunc status=none
size=$(stat -c %s "$good.gz")
head -c $((size / 2)) "$good.gz" > "$out/truncated.gz"
cp "$good.gz" "$out/oversized.gz"
printf '\xff\xff\xff\x7f' | dd of="$out/oversized.gz" bs=1 seek=$((size - 4)) \
    conv=notrunc status=none

check_image() {
    local file=$1 what=$2 regex=$3 name="dom0 image: $2"
    local status=0

    qemu_start "$out/$(basename "$file").log" -machine pc -cpu max -smp 1 \
        -m 256 -kernel "$BUILD/keel" -append "console=com1 noreboot" \
        -initrd "$file"
    qemu_wait 'Manual reset required|FATAL TRAP|Test result' "$BOOT_TIMEOUT" \
        || status=$?
    qemu_stop
    if [[ $status -ne 0 ]]; then
        fail "$name: Keel stops cleanly" "$(wait_reason $status)"
        return
    fi
    check_log "$name: refused with a clear message" "$regex"
    check_no_log "$name: no hypervisor fault" 'FATAL TRAP'
    check_log "$name: Keel stops cleanly" "Manual reset required"
}

check_image "$out/not-elf" "not an ELF file" '^dom0 kernel: ELF: '
check_image "$out/bad-note" "bad XEN_VERSION note" '^dom0 kernel: Xen notes: .*XEN_VERSION'
check_image "$out/truncated.gz" "truncated gzip" '^dom0 kernel: gzip: '
check_image "$out/oversized.gz" "oversized gzip" '^dom0 kernel: gzip: '
