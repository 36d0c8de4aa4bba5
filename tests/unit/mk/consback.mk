UNIT_TESTS += consback
unit-consback-srcs := tools/console/consback.c
unit-consback-cflags := -Itools/console/include
