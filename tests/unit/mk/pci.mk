UNIT_TESTS += pci
unit-pci-srcs := drivers/pci/pci.c arch/x86/acpi/tables.c tests/unit/stub/directmap.c
