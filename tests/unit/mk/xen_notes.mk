UNIT_TESTS += xen_notes
unit-xen_notes-srcs := common/lib/xen_notes.c common/lib/elf.c
