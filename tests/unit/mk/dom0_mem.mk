UNIT_TESTS += dom0_mem
unit-dom0_mem-srcs := common/cmdline.c common/dom0_params.c
