#!/bin/bash
# System test: keel-ctrl, Keel's control domain, driven through its
# console the way an administrator would use it: boot, xl list/info/
# create/vcpu-list/vcpu-pin/pause/unpause/mem-set/shutdown/destroy/dmesg,
# refusals with their messages, and 200 create/destroy cycles that leave
# free memory, xenstore nodes and dom0's event channels as they were.
#
# Each command is typed on COM1; its output is the log between its echo
# and the next prompt.  With KEEL_XEN_PEER=1 the same script also runs on
# Xen 4.17 (tools/build/xen-peer), prefixed "xen/", where the two must
# agree.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

PROMPT='keel-ctrl# '
CMD_TIMEOUT=${CMD_TIMEOUT:-60}
CYCLES=${CYCLES:-200}
out=$TEST_DIR/ctrldom
mkdir -p "$out"

# run_cmd CMD: type it, wait for the next prompt; $REPLY is its output.
nprompts=0
run_cmd() {
    local status=0 want
    nprompts=$(grep -o -- "$PROMPT" "$QEMU_LOG" | wc -l)
    want=$((nprompts + 1))
    qemu_send "$1"$'\r'
    local deadline=$((SECONDS + CMD_TIMEOUT))
    while (( $(grep -o -- "$PROMPT" "$QEMU_LOG" | wc -l) < want )); do
        if (( SECONDS > deadline )) || ! qemu_running; then
            status=1
            break
        fi
        sleep 0.2
    done
    # Output: after the last echo of CMD (after the prompt, or alone on
    # its line when a guest's console line came in between), up to the
    # next prompt.
    REPLY=$(log_text | awk -v p="$PROMPT" -v c="$1" '
        $0 == p c || $0 == c { buf = ""; on = 1; next }
        on && index($0, p) == 1 { on = 0 }
        on { buf = buf $0 "\n" }
        END { printf "%s", buf }')
    return $status
}

# expect NAME REGEX: pass if the last command's output matches.
expect() {
    if grep -Eq -- "$2" <<<"$REPLY"; then
        pass "$P$1"
    else
        fail "$P$1" "no line matching /$2/ in: $(head -c 400 <<<"$REPLY" | tr '\n' '|')"
    fi
}

expect_not() {
    if grep -Eq -- "$2" <<<"$REPLY"; then
        fail "$P$1" "unexpected /$2/ in: $(head -c 400 <<<"$REPLY" | tr '\n' '|')"
    else
        pass "$P$1"
    fi
}

# `xl info KEY` prints the value alone, as Xen's does.
free_mib() {
    run_cmd "xl info free_memory"
    grep -Eo '^[0-9]+$' <<<"$REPLY" | tail -n1
}

session() {
    local hv=$1 args=$2 status=0 before after i
    qemu_start "$out/${P:+xen-}session.log" -machine pc -cpu max -smp 2 -m 512 \
        -kernel "$hv" -append "$args" \
        -initrd "$BUILD/ctrldom/keel-ctrl.gz,$BUILD/ctrldom/initrd"
    qemu_wait "keel-ctrl: ready|FATAL TRAP|Panic|Test result" \
        "$BOOT_TIMEOUT" || status=$?
    if [[ $status -ne 0 ]] || ! grep -q "keel-ctrl: ready" "$QEMU_LOG"; then
        fail "${P}boots to the prompt" "$(wait_reason $status) ($QEMU_LOG)"
        qemu_stop
        return
    fi
    pass "${P}boots to the prompt"
    sleep 1

    run_cmd "xl list"
    expect "xl list header" \
        $'^Name {40}ID   Mem VCPUs\tState\tTime\\(s\\)$'
    expect "xl list dom0 row" '^Domain-0 {37}0 +[0-9]+ +[0-9]+     r-----  +[0-9]+\.[0-9]$'

    run_cmd "xl info"
    expect "xl info xen_commandline" "^xen_commandline +: ${args//./\\.}\$"
    expect "xl info nr_cpus" '^nr_cpus +: 2$'

    before=$(free_mib)
    run_cmd "xl create spin1.cfg"
    expect "xl create parses" '^Parsing config from spin1\.cfg$'
    expect_not "xl create succeeds" 'rror|annot|ailed'
    sleep 2
    run_cmd "xl list"
    expect "xl list shows the domU" '^spin1 +[1-9][0-9]* +8 +1     [rb]-----  +[0-9]+\.[0-9]$'
    run_cmd "xl vcpu-list spin1"
    expect "xl vcpu-list row" '^spin1 +[0-9]+ +0 +[01] +[r-][b-]- +[0-9]+\.[0-9]  all / all$'
    run_cmd "xl vcpu-pin spin1 0 1"
    run_cmd "xl vcpu-list spin1"
    expect "xl vcpu-pin honoured" '^spin1 +[0-9]+ +0 +1 +.* 1 / all$'
    run_cmd "xl pause spin1"
    run_cmd "xl list spin1"
    expect "xl pause" '^spin1 .* [r-][b-]p---  '
    run_cmd "xl unpause spin1"
    run_cmd "xl list spin1"
    expect "xl unpause" '^spin1 .* [rb]-----  '
    run_cmd "xl mem-set spin1 6"
    expect_not "xl mem-set" 'rror|nvalid'
    run_cmd "xl list -l spin1"
    expect "xl mem-set max_memkb" '"max_memkb": 9216'
    # xl reboot: on_reboot's default, restart, gives a new domain of the
    # same name (spin has no PV control: it is shut down with reason
    # reboot directly).
    run_cmd "xl list spin1"
    old_id=$(awk '$1 == "spin1" { print $2 }' <<<"$REPLY")
    run_cmd "xl reboot spin1"
    sleep 3
    run_cmd "xl list spin1"
    new_id=$(awk '$1 == "spin1" { print $2 }' <<<"$REPLY")
    if [[ -n $old_id && -n $new_id && $new_id != "$old_id" ]]; then
        pass "${P}xl reboot: restarted as a new domain"
    else
        fail "${P}xl reboot: restarted as a new domain" "id '$old_id' then '$new_id'"
    fi
    run_cmd "xl shutdown spin1"
    sleep 3
    run_cmd "xl list"
    expect_not "xl shutdown: on_poweroff destroy" '^spin1 '
    after=$(free_mib)
    if [[ -n $before && $before == "$after" ]]; then
        pass "${P}free memory back after shutdown"
    else
        fail "${P}free memory back after shutdown" "$before MiB, then $after MiB"
    fi

    # A domU that gets itself crashed is crashed alone, on_crash honoured:
    # "preserve" keeps it listed, shut down with reason crash; the
    # default "destroy" removes it; a running domU is not disturbed.
    run_cmd "xl create spin1.cfg 'name=\"bystander\"'"
    for mode in crash-notraps crash-stack crash-badtraps; do
        run_cmd "xl create spin1.cfg 'name=\"$mode\"' 'cmdline=\"$mode\"' 'on_crash=\"preserve\"'"
        sleep 2
        run_cmd "xl list $mode"
        expect "$mode: crashed alone, preserved" "^$mode .* ---sc-  "
        run_cmd "xl destroy $mode"
    done
    run_cmd "xl create spin1.cfg 'name=\"c2\"' 'cmdline=\"crash-stack\"'"
    sleep 2
    run_cmd "xl list"
    expect_not "on_crash destroy" '^c2 '
    expect "the bystander keeps running" '^bystander .* [rb]-----  '
    run_cmd "xl destroy bystander"

    # From a domU every domctl, sysctl and privileged sub-op is refused
    # (tests/guests/privcheck prints its result on its console).
    run_cmd "xl create privcheck.cfg"
    local deadline=$((SECONDS + 60))
    while (( SECONDS < deadline )) &&
          ! grep -Eq '\(d[0-9]+\) Test result: ' <(log_text); do
        sleep 1
    done
    if grep -Eq '\(d[0-9]+\) Test result: SUCCESS' <(log_text); then
        pass "${P}domU: privileged calls refused with -EPERM"
    else
        fail "${P}domU: privileged calls refused with -EPERM" \
            "$(grep -E '\(d[0-9]+\) (FAIL|Test result)' <(log_text) | head -5 | tr '\n' '|')"
    fi
    # It powers off (on_poweroff destroy); let its last lines pass first.
    for ((i = 0; i < 20; i++)); do
        sleep 1
        run_cmd "xl list"
        grep -q '^privcheck ' <<<"$REPLY" || break
    done

    # Refusals name the file, line or numbers.
    run_cmd "xl create spin1.cfg 'memory=4096'"
    expect "xl create: not enough memory" '^spin1\.cfg: memory: need 4097 MiB, free [0-9]+ MiB, dom0 holds [0-9]+ MiB'
    run_cmd "xl create spin1.cfg 'kernel=\"boot/none\"'"
    expect "xl create: unknown kernel" '^spin1\.cfg:[0-9]+: kernel: cannot read "boot/none"'
    run_cmd "xl create spin1.cfg 'memory = = 3'"
    expect "xl create: syntax error" '^spin1\.cfg:[0-9]+: config parsing error near'
    run_cmd "xl create nosuch.cfg"
    expect "xl create: no file" '^Failed to read config file: nosuch\.cfg'
    run_cmd "xl destroy nosuch"
    expect "xl destroy: unknown domain" 'nosuch is an invalid domain identifier'

    # Create and destroy CYCLES times: free memory, xenstore nodes and
    # dom0's event channels exactly as before (keel-ctrl's `stat`).
    run_cmd "stat"
    before=$(grep -o 'stat: .*' <<<"$REPLY")
    for ((i = 0; i < CYCLES; i++)); do
        run_cmd "xl create -q spin1.cfg" || break
        run_cmd "xl destroy spin1" || break
    done
    run_cmd "xl list"
    expect_not "$CYCLES create/destroy: no domU left" '^spin1 '
    run_cmd "stat"
    after=$(grep -o 'stat: .*' <<<"$REPLY")
    if [[ $i -eq $CYCLES && -n $before && $before == "$after" ]]; then
        pass "${P}$CYCLES create/destroy: memory, xenstore, channels as before"
    else
        fail "${P}$CYCLES create/destroy: memory, xenstore, channels as before" \
            "$i cycles; before '$before', after '$after'"
    fi

    run_cmd "xl dmesg"
    expect "xl dmesg" '.'
    qemu_stop
}

P=""
session "$BUILD/keel" "console=com1 loglvl=all guest_loglvl=all noreboot dom0_mem=128M"

if [[ ${KEEL_XEN_PEER:-} == 1 ]]; then
    xen=$("$KEEL_ROOT/tools/build/xen-peer" "$BUILD" 2>/dev/null | tail -n1)
    P="xen/"
    session "$xen" "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot dom0_mem=128M"
fi
exit 0
