UNIT_TESTS += rangeset
unit-rangeset-srcs := common/lib/rangeset.c
