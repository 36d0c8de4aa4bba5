UNIT_TESTS += page_alloc
unit-page_alloc-srcs := common/page_alloc.c common/boot_alloc.c common/lib/memmap.c tests/unit/stub/directmap.c
