UNIT_TESTS += desc_check
unit-desc_check-srcs := arch/x86/pv/desc-check.c
