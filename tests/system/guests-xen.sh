#!/bin/bash
# tests/system/guests-xen.sh: the PV conformance kernels (tests/guests/)
# run as dom0 of the real Xen 4.17, the behaviour Keel must reproduce.
#
# Opt-in: without KEEL_XEN_PEER=1 it prints nothing and exits 0, so that
# `make test` never downloads Xen.  With it, tools/build/xen-peer fetches
# Debian's xen-hypervisor-4.17-amd64 into build/xen/, and each kernel,
# plain and gzip-compressed, is booted through tests/run-guest; each must
# print "Test result: SUCCESS" (SKIP counts as a pass only when the kernel
# printed why).  XEN_GUESTS="hello traps" limits the kernels run.
set -uo pipefail

[[ ${KEEL_XEN_PEER:-} == 1 ]] || exit 0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

xen=$("$KEEL_ROOT/tools/build/xen-peer" "$BUILD" 2>/dev/null | tail -n1)
if [[ -z $xen || ! -r $xen ]]; then
    fail xen-peer "tools/build/xen-peer could not provide Xen 4.17"
    exit 1
fi
pass xen-peer

xen_args="console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all"
xen_args+=" guest_loglvl=all noreboot"
guests=${XEN_GUESTS:-hello traps mmu memop fuzz sched domctl}

for g in $guests; do
    for img in "$BUILD/guests/$g" "$BUILD/guests/$g.gz"; do
        name=xen/$(basename "$img")
        if [[ ! -r $img ]]; then
            fail "$name" "$img missing (make guests)"
            continue
        fi
        log=$TEST_DIR/xen/$(basename "$img").log
        rc=0
        # sched builds domUs from a module (the spin kernel) on 2 CPUs.
        extra=(--smp 1)
        if [[ $g == sched ]]; then
            extra=(--smp 2 --initrd "$BUILD/guests/spin${img##*/sched}")
        fi
        "$KEEL_ROOT/tests/run-guest" --keel "$xen" --keel-args "$xen_args" \
            "${extra[@]}" -m 256 --timeout "${BOOT_TIMEOUT}" --log "$log" \
            "$img" 2>/dev/null || rc=$?
        case $rc in
            0) pass "$name" ;;
            3) if grep -q '^SKIP: ' <(log_text "$log"); then
                   pass "$name"
               else
                   fail "$name" "SKIP without a reason (see $log)"
               fi ;;
            *) fail "$name" "run-guest status $rc: $(grep -E \
                   'FAIL:|ERROR:|Test result' "$log" | head -n3 | tr '\n' ' ')" ;;
        esac
    done
done
