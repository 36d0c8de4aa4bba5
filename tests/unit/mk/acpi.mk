UNIT_TESTS += acpi
unit-acpi-srcs := arch/x86/acpi/tables.c tests/unit/stub/directmap.c
