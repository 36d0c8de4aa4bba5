#!/bin/bash
# System test: build/keel booted by QEMU -kernel (Multiboot 1) on both
# machine types, with one and four CPUs, 128 MiB and 4 GiB.  Each boot must
# bring every CPU online and log the sanitised memory map, the ACPI tables
# and the PCI devices, then stop at the missing-dom0 message.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# A boot is over once Keel halts, reboots, or idles waiting for debug keys.
DONE_RE='Manual reset required|Reboot in five seconds|Keel is up'
# 64-bit hex "start - end (type)", as Keel prints its memory map.
E820_RE='^ [0-9a-f]{16} - [0-9a-f]{16} \('

# usable_mib: MiB of RAM the log's memory map calls usable.
usable_mib() {
    local start end total=0
    while read -r start _ end _; do
        total=$((total + 16#$end - 16#$start))
    done < <(log_text | grep -E "$E820_RE" | grep -F '(usable)')
    echo $((total >> 20))
}

boot_case() {
    local machine=$1 smp=$2 mem=$3 status=0 name n cpus
    name="boot $machine smp$smp ${mem}M"
    qemu_start "$TEST_DIR/boot-$machine-smp$smp-$mem.log" \
        -machine "$machine" -cpu max -smp "$smp" -m "$mem" \
        -kernel "$BUILD/keel" -append "console=com1 loglvl=all noreboot"
    qemu_wait "$DONE_RE" "$BOOT_TIMEOUT" || status=$?
    qemu_stop

    if [[ $status -eq 0 ]]; then
        pass "$name: boots to the end"
    else
        fail "$name: boots to the end" "$(wait_reason $status)"
    fi
    check_no_log "$name: no fault" 'FATAL TRAP|Panic on CPU'

    # Every CPU: "CPU<n>: online" for each secondary, then the total.
    n=$(count_log '^CPU[0-9]+: online \(APIC ID [0-9]+\)')
    if [[ $n -eq $((smp - 1)) && $(count_log "^SMP: $smp CPU\(s\) online") -eq 1 ]]; then
        pass "$name: all $smp CPU(s) online"
    else
        fail "$name: all $smp CPU(s) online" \
             "$n secondary CPUs online, want $((smp - 1)); $(log_line '^SMP:')"
    fi

    # The sanitised memory map: header, entries, and RAM matching -m.
    n=$(count_log "$E820_RE")
    if [[ $(count_log '^Keel-e820 RAM map:') -eq 1 && $n -gt 0 ]]; then
        pass "$name: memory map logged ($n entries)"
    else
        fail "$name: memory map logged" "no 'Keel-e820 RAM map:' header with entries"
    fi
    n=$(usable_mib)
    if [[ $n -le $mem && $n -ge $((mem - 16)) ]]; then
        pass "$name: memory map holds the RAM given (${n} MiB usable)"
    else
        fail "$name: memory map holds the RAM given" "${n} MiB usable, -m $mem"
    fi

    # ACPI: the RSDP, the MADT and the CPUs it lists.
    cpus=$(log_line '^ACPI: [0-9]+ CPUs in MADT' | sed -E 's/^ACPI: ([0-9]+) .*/\1/')
    if [[ $(count_log '^ACPI: RSDP') -eq 1 && $(count_log '^ACPI: APIC') -eq 1 &&
          ${cpus:-0} -eq $smp ]]; then
        pass "$name: ACPI tables (RSDP, MADT with $smp CPUs)"
    else
        fail "$name: ACPI tables (RSDP, MADT with $smp CPUs)" \
             "RSDP/APIC lines missing or MADT lists '${cpus:-none}' CPUs"
    fi

    # PCI: one line per device, and the total agreeing with them.
    n=$(count_log '^PCI: [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] \[[0-9a-f]{4}:[0-9a-f]{4}\]')
    if [[ $n -gt 0 && $(count_log "^PCI: $n devices? found") -eq 1 ]]; then
        pass "$name: PCI devices found ($n)"
    else
        fail "$name: PCI devices found" \
             "$n device lines; total line: '$(log_line '^PCI: [0-9]+ devices? found')'"
    fi

    check_log "$name: missing dom0 reported" '^No dom0 kernel: Keel found no boot module'
}

boot_case pc 1 128
boot_case pc 4 4096
boot_case q35 4 4096
boot_case q35 1 128
