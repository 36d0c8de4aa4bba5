UNIT_TESTS += gnttab
unit-gnttab-srcs := common/grant/grant_table.c common/grant/gnttab_map.c \
                    common/grant/gnttab_copy.c common/grant/gnttab_check.c \
                    arch/x86/mm/grant.c arch/x86/mm/mm.c \
                    arch/x86/mm/pagetable.c arch/x86/mm/m2p.c \
                    common/page_alloc.c tests/unit/stub/directmap.c \
                    xsm/hooks.c
