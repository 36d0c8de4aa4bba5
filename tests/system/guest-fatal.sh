#!/bin/bash
# System test: domain-fatal guest behaviour.  The PV kernel
# tests/guests/fatal boots as dom0 once per case (dom0 command line
# "case=NAME"), prints "expect-crash: NAME" and does something that must
# end the domain: an iret hypercall with its frame on an unmapped page, an
# iret to user mode with no user L4, an exception with the kernel stack
# unmapped (in kernel mode, and from user mode with stack_switch pointing
# at an unmapped page), an exception with no trap table, an iret to a
# non-canonical RSP.  Each was checked on Xen 4.17 to crash the domain.
#
# For each case: the kernel got as far as "expect-crash: NAME"; the
# hypervisor crashed the domain ("d0: crashed: ..." then "Hardware domain
# (d0) shut down: reason 3 (crash)"); the guest never printed a result
# (it would have, had it survived); Keel itself did not fault or panic.
#
# FATAL_ON_XEN=1 runs the same cases on the real Xen 4.17 instead
# (tools/build/xen-peer), checking Xen's "domain_crash" and "Hardware Dom0
# crashed" lines.  FATAL_CASES="a b" limits the cases.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

CASES=${FATAL_CASES:-"iret-bad-stack iret-no-user-l4 bounce-bad-stack
    user-bad-kstack no-trap-table iret-noncanon-rsp"}
img=$BUILD/guests/fatal
out=$TEST_DIR/guest-fatal
mkdir -p "$out"

if [[ ${FATAL_ON_XEN:-} == 1 ]]; then
    hv=$("$KEEL_ROOT/tools/build/xen-peer" "$BUILD" 2>/dev/null | tail -n1)
    hv_args="console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all"
    hv_args+=" guest_loglvl=all noreboot"
    crashed_re='domain_crash(_sync)? called from'
    down_re="Hardware Dom0 crashed"
    tag=xen
else
    hv=$BUILD/keel
    hv_args="console=com1 loglvl=all guest_loglvl=all noreboot"
    crashed_re='^d0: crashed: '
    down_re='^Hardware domain \(d0\) shut down: reason 3 \(crash\)'
    tag=keel
fi
hv_fault_re='FATAL TRAP|Panic on CPU|Xen BUG|----\[ Keel-'

if [[ ! -r $img || -z $hv || ! -r $hv ]]; then
    fail "fatal" "need $img (make guests) and the hypervisor ${hv:-image}"
    exit 0
fi

for c in $CASES; do
    name="fatal/$tag/$c"
    log=$out/$tag-$c.log
    qemu_start "$log" -machine pc -cpu max -smp 1 -m 256 \
        -kernel "$hv" -append "$hv_args" -initrd "$img case=$c"
    rc=0
    # (qemu_wait reads the raw log: no anchors here.)
    qemu_wait "${down_re#^}|Test result:|$hv_fault_re" "$BOOT_TIMEOUT" || rc=$?
    # Let the last lines reach the log.
    sleep 0.5
    qemu_stop
    QEMU_LOG=$log
    if (( rc != 0 )); then
        fail "$name" "$(wait_reason $rc)"
    elif ! grep -Eq -- "^expect-crash: $c\$" <(log_text); then
        fail "$name" "the kernel did not reach the case (see $log)"
    elif line=$(grep -Em1 -- "$hv_fault_re" <(log_text)); then
        fail "$name" "the hypervisor faulted: $line"
    elif line=$(grep -Em1 -- 'Test result:|^FAIL' <(log_text)); then
        fail "$name" "the domain survived: $line"
    elif ! grep -Eq -- "$crashed_re" <(log_text); then
        fail "$name" "no line matching /$crashed_re/ (see $log)"
    elif ! grep -Eq -- "$down_re" <(log_text); then
        fail "$name" "no line matching /$down_re/ (see $log)"
    else
        pass "$name ($(grep -Em1 -- "$crashed_re" <(log_text) |
                       sed -E 's/^d0: crashed: //'))"
    fi
done
exit 0
