UNIT_TESTS += memmap
unit-memmap-srcs := common/lib/memmap.c
