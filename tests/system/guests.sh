#!/bin/bash
# System test: every PV conformance kernel (tests/guests/) boots as dom0 on
# Keel through tests/run-guest and reports SUCCESS (or SKIP with a reason),
# plain and gzip-compressed, at -smp 1 and -smp 2, or at the CPU counts in
# SMP_<kernel> when set (the kernels that drive secondary vCPUs: 2 and 4;
# dom0 gets one vCPU per CPU).  Runs two QEMUs at a time; each run-guest
# stops its own QEMU by PID.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KERNELS=${KERNELS:-"hello traps mmu vcpus user misc ptwr descr events timer grants memop domctl sched"}
# KERNELS_PENDING: conformance kernels that pass on Xen 4.17 but not yet
# on Keel.  Not run by default; GUESTS_PENDING=1 runs them instead of
# KERNELS.  None at the moment.  (tests/guests/fatal is in neither: it
# ends in a domain crash, which guest-fatal.sh checks.)
KERNELS_PENDING=${KERNELS_PENDING:-""}
if [[ ${GUESTS_PENDING:-} == 1 ]]; then
    KERNELS=$KERNELS_PENDING
fi
SMP_vcpus=${SMP_vcpus:-"2 4"}
SMP_events=${SMP_events:-"2 4"}
SMP_timer=${SMP_timer:-"2 4"}
SMP_grants=${SMP_grants:-"2 4"}
# sched builds domUs from its module, the spin kernel (ELF for the ELF
# run, gzip for the gzip run), so dom0 leaves memory free; at -smp 4 it
# runs with dom0_vcpus_pin.  KEEL_ARGS_<kernel>_<smp>, else
# KEEL_ARGS_<kernel>, is added to the Keel command line.
SMP_sched=${SMP_sched:-"2 4"}
MODULE_sched=spin
KEEL_ARGS_sched="dom0_mem=64M"
KEEL_ARGS_sched_4="dom0_mem=64M dom0_vcpus_pin"
GUEST_TIMEOUT=${GUEST_TIMEOUT:-150}
out=$TEST_DIR/guests
mkdir -p "$out"

run_one() {
    local k=$1 smp=$2 fmt=$3 img=$BUILD/guests/$1 name rc=0
    local mod_var=MODULE_$1 args_var=KEEL_ARGS_$1_$2 extra=()
    [[ -n ${!args_var:-} ]] || args_var=KEEL_ARGS_$1
    [[ $fmt == gz ]] && img=$img.gz
    name="guest $k ($fmt, smp $smp)"
    if [[ -n ${!mod_var:-} ]]; then
        local mod=$BUILD/guests/${!mod_var}
        if [[ $fmt == gz ]]; then
            mod+=.gz
        fi
        extra+=(--initrd "$mod")
    fi
    if [[ -n ${!args_var:-} ]]; then
        extra+=(--keel-args "console=com1 loglvl=all guest_loglvl=all noreboot ${!args_var}")
        name="$name, ${!args_var}"
    fi
    if [[ ! -r $img ]]; then
        echo "not ok - $name: no $img (make guests)"
        return
    fi
    "$KEEL_ROOT/tests/run-guest" --smp "$smp" -m 256 "${extra[@]}" \
        --timeout "$GUEST_TIMEOUT" --log "$out/$k-$fmt-smp$smp.log" \
        "$img" > "$out/$k-$fmt-smp$smp.out" 2>&1 || rc=$?
    case $rc in
    0) echo "ok - $name" ;;
    3) echo "ok - $name (SKIP: $(grep -m1 -o 'SKIP.*' "$out/$k-$fmt-smp$smp.log" || true))" ;;
    *) echo "not ok - $name: run-guest exit $rc; $(grep -m3 '^FAIL' "$out/$k-$fmt-smp$smp.log" | tr '\n' ' ')(log $out/$k-$fmt-smp$smp.log)" ;;
    esac
}

jobs_list=()
for k in $KERNELS; do
    smp_var=SMP_$k
    for smp in ${!smp_var:-1 2}; do
        for fmt in elf gz; do
            jobs_list+=("$k $smp $fmt")
        done
    done
done

# Two at a time; results printed in order.
for ((i = 0; i < ${#jobs_list[@]}; i += 2)); do
    a=(${jobs_list[i]})
    run_one "${a[@]}" > "$out/res.$i" &
    p1=$!
    p2=
    if (( i + 1 < ${#jobs_list[@]} )); then
        b=(${jobs_list[i+1]})
        run_one "${b[@]}" > "$out/res.$((i+1))" &
        p2=$!
    fi
    wait $p1
    [[ -n $p2 ]] && wait $p2
    cat "$out/res.$i"
    [[ -n $p2 ]] && cat "$out/res.$((i+1))"
done
exit 0
