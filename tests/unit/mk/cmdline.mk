UNIT_TESTS += cmdline
unit-cmdline-srcs := common/cmdline.c common/dom0_params.c common/misc_params.c drivers/char/console_params.c
