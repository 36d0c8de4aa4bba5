#!/bin/bash
# System test: the libFuzzer harnesses of tests/fuzz (inflate, ELF and Xen
# notes, command line, Multiboot information, xl.cfg files), built by clang
# with ASan and UBSan and run from their seed corpora for a bounded number
# of inputs each: FUZZ_RUNS (default 200000, about 25 s for all five) with
# -seed=1, at most FUZZ_TIME seconds (default 60) apiece.  Prints
# "ok - fuzz/<name>: N runs" or "not ok - fuzz/<name>: reason"; a crashing
# input is kept in $BUILD/fuzz/artifacts.
#
# Needs clang with libFuzzer: `tools/build/deps fuzz` installs it when run
# as root, and this test fails with the command to run otherwise.
# FUZZ_NO_BUILD=1 skips the build (`make fuzz` has just done it).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$KEEL_ROOT" || exit 1

runs=${FUZZ_RUNS:-200000}
max_time=${FUZZ_TIME:-60}
fuzz_dir=$BUILD/fuzz
harnesses=(inflate elf cmdline mbinfo xlcfg)

if ! deps_out=$(tools/build/deps fuzz 2>&1); then
    fail "fuzz: clang with libFuzzer" \
         "missing; $(printf '%s' "$deps_out" | tr '\n' ' ')"
    exit 1
fi

if [[ -z ${FUZZ_NO_BUILD:-} ]]; then
    mkdir -p "$fuzz_dir"
    if ! make -s -f Makefile -f tests/fuzz/fuzz.mk BUILD="$BUILD" fuzz-build \
            > "$fuzz_dir/build.log" 2>&1; then
        fail "fuzz: build" "see $fuzz_dir/build.log"
        exit 1
    fi
fi

status=0
mkdir -p "$fuzz_dir/artifacts"
for name in "${harnesses[@]}"; do
    bin=$fuzz_dir/fuzz_$name
    work=$fuzz_dir/work/$name
    log=$fuzz_dir/fuzz_$name.log
    if [[ ! -x $bin ]]; then
        fail "fuzz/$name" "no $bin"
        status=1
        continue
    fi
    # New inputs go to the scratch directory, listed first; the seeds
    # are only read.
    rm -rf "$work"
    mkdir -p "$work"
    rc=0
    "$bin" -runs="$runs" -seed=1 -max_total_time="$max_time" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$fuzz_dir/artifacts/$name-" \
        "$work" "$fuzz_dir/seeds/$name" > "$log" 2>&1 || rc=$?
    done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
                tail -n 1)
    if [[ $rc -eq 0 && -n $done_runs ]]; then
        pass "fuzz/$name: $done_runs runs"
        grep -E '^(Done|#[0-9]+[[:space:]]+DONE)' "$log" | sed 's/^/# /'
    else
        reason=$(grep -m1 -E \
        'ERROR: (libFuzzer|AddressSanitizer)|runtime error:|SUMMARY:' "$log")
        fail "fuzz/$name" "exit $rc${reason:+: $reason} (see $log)"
        status=1
    fi
done
exit $status
