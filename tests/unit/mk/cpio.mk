UNIT_TESTS += cpio
unit-cpio-srcs := tools/libs/util/cpio.c
unit-cpio-cflags := -Itools/libs/util/include
