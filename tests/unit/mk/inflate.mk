UNIT_TESTS += inflate
unit-inflate-srcs := common/lib/inflate.c
