UNIT_TESTS += xsm
unit-xsm-srcs := xsm/hooks.c xsm/xsm_core.c common/cmdline.c
