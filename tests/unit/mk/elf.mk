UNIT_TESTS += elf
unit-elf-srcs := common/lib/elf.c
