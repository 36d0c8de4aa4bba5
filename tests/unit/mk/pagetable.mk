UNIT_TESTS += pagetable
unit-pagetable-srcs := arch/x86/mm/mm.c arch/x86/mm/pagetable.c \
                       arch/x86/mm/mmu-ops.c arch/x86/mm/m2p.c \
                       common/memory.c common/page_alloc.c \
                       tests/unit/stub/directmap.c
