# Hypervisor objects under arch/x86/ (paths relative to the top).
obj-y += arch/x86/boot/head.o
obj-y += arch/x86/boot/mbinfo.o
obj-y += arch/x86/entry/entry.o
obj-y += arch/x86/cpu/desc.o
obj-y += arch/x86/cpu/traps.o
obj-y += arch/x86/setup.o
obj-y += arch/x86/irq.o
obj-y += arch/x86/mm/paging.o
obj-y += arch/x86/apic.o
obj-y += arch/x86/time.o
obj-y += arch/x86/boot/trampoline.o
obj-y += arch/x86/cpu/common.o
obj-y += arch/x86/smpboot.o
obj-y += arch/x86/smp.o
obj-y += arch/x86/ioapic.o
obj-y += arch/x86/shutdown.o
obj-y += arch/x86/acpi/tables.o
