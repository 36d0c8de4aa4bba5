#!/bin/bash
# System test: the demo domUs (tools/demo).
#
#   - tests/guests/demohost, a dom0 that does for them what keel-ctrl does
#     (xenstored, the toolstack's xenstore keys, the console backend),
#     checks every role: echo, the ping/pong pair (10,000 events and a
#     granted page each way), shutdown requests; once with the default
#     XSM policy and once with xsm=silo, where the pair must be refused at
#     GNTTABOP_map_grant_ref;
#   - keel-ctrl with tools/ctrldom/etc/demo-*.cfg, driven on its console:
#     xl create, xl console (a typed line comes back), the pair's result
#     lines, xl shutdown.
#
# With KEEL_XEN_PEER=1 demohost and the keel-ctrl session also run on Xen
# 4.17 (prefixed "xen/"), whose Debian build has no XSM: there xsm=silo is
# not run.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$TEST_DIR/demo
mkdir -p "$out"
host=$BUILD/guests/demohost
demo=$BUILD/demo/demo.gz

# demohost NAME HYPERVISOR ARGS
demohost() {
    local name=$1 hv=$2 args=$3 rc=0 log
    log=$out/${name//[\/ =]/-}.log
    "$KEEL_ROOT/tests/run-guest" --keel "$hv" --smp 2 -m 512 \
        --initrd "$demo" --keel-args "$args" --timeout 900 \
        --log "$log" "$host" > "${log%.log}.out" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        pass "$name"
    else
        fail "$name" "run-guest exit $rc; $(grep -a -m3 '^FAIL' "$log" |
            tr '\n' ' ')(log $log)"
    fi
}

# wait_for NAME REGEX SECONDS: pass when the log has a matching line.
wait_for() {
    local status=0
    qemu_wait "$2" "$3" || status=$?
    if [[ $status -eq 0 ]]; then
        pass "$1"
    else
        fail "$1" "$(wait_reason $status) (log $QEMU_LOG)"
    fi
    return $status
}

# ctrl_session PREFIX HYPERVISOR ARGS
ctrl_session() {
    local P=$1
    qemu_start "$out/${P//\//-}keel-ctrl.log" -machine pc -cpu max -smp 2 \
        -m 512 -kernel "$2" -append "$3" \
        -initrd "$BUILD/ctrldom/keel-ctrl.gz,$BUILD/ctrldom/initrd"
    wait_for "${P}keel-ctrl: boots" 'keel-ctrl: ready' "$BOOT_TIMEOUT" ||
        { qemu_stop; return; }
    sleep 1
    qemu_send $'xl create demo-echo.cfg\r'
    wait_for "${P}keel-ctrl: demo-echo starts" '\(d[0-9]+\) demo: echo, domain' 60
    qemu_send $'xl console demo-echo\r'
    wait_for "${P}keel-ctrl: xl console attaches" 'Escape character is \^\]' 30
    sleep 1
    qemu_send $'typed at the console\r'
    wait_for "${P}keel-ctrl: demo-echo echoes a line" \
        'demo: echo: typed at the console' 30
    qemu_send $'\x1d'
    sleep 1
    qemu_send $'xl create demo-a.cfg\r'
    sleep 1
    qemu_send $'xl create demo-b.cfg\r'
    wait_for "${P}keel-ctrl: demo-a's result" \
        '\(d[0-9]+\) demo: A<->B: 10000 events, granted pages both ways: OK' 300
    wait_for "${P}keel-ctrl: demo-b's result" \
        '\(d[0-9]+\) demo: B<->A: 10000 events, granted pages both ways: OK' 60
    qemu_send $'xl shutdown demo-echo\r'
    wait_for "${P}keel-ctrl: xl shutdown reaches demo-echo" \
        '\(d[0-9]+\) demo: shutdown requested: poweroff' 30
    wait_for "${P}keel-ctrl: demo-echo powers off" \
        'demo-echo\) has shut down, reason code 0' 30
    qemu_stop
}

for f in "$host" "$demo"; do
    if [[ ! -r $f ]]; then
        fail "demo" "no $f (make guests demo)"
        exit 0
    fi
done

keel_args="console=com1 loglvl=all guest_loglvl=all noreboot dom0_mem=64M"
demohost "demohost" "$BUILD/keel" "$keel_args"
demohost "demohost xsm=silo" "$BUILD/keel" "$keel_args xsm=silo"
has_ctrl=0
if [[ -r $BUILD/ctrldom/initrd ]] &&
   cpio -it < "$BUILD/ctrldom/initrd" 2>/dev/null | grep -qx boot/demo.gz; then
    has_ctrl=1
fi
if [[ $has_ctrl == 1 ]]; then
    ctrl_session "" "$BUILD/keel" \
        "console=com1 loglvl=all guest_loglvl=all noreboot dom0_mem=128M"
else
    fail "keel-ctrl" "no boot/demo.gz in $BUILD/ctrldom/initrd (make ctrldom)"
fi

if [[ ${KEEL_XEN_PEER:-} == 1 ]]; then
    xen=$("$KEEL_ROOT/tools/build/xen-peer" "$BUILD" 2>/dev/null | tail -n1)
    if [[ -z $xen || ! -r $xen ]]; then
        fail "xen/demohost" "tools/build/xen-peer could not provide Xen 4.17"
    else
        xen_args="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all"
        xen_args+=" noreboot"
        demohost "xen/demohost" "$xen" "$xen_args dom0_mem=64M"
        [[ $has_ctrl == 1 ]] &&
            ctrl_session "xen/" "$xen" "$xen_args dom0_mem=128M"
    fi
fi
exit 0
