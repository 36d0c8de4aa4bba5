UNIT_TESTS += xmalloc
unit-xmalloc-srcs := common/xmalloc.c common/page_alloc.c tests/unit/stub/directmap.c
