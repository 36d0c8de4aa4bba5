UNIT_TESTS += dombuild
unit-dombuild-srcs := tools/libs/dombuild/dombuild.c tools/libs/ctrl/ctrl.c common/lib/elf.c common/lib/xen_notes.c common/lib/inflate.c
unit-dombuild-cflags := -Itools/libs/ctrl/include -Itools/libs/dombuild/include
