UNIT_TESTS += domctl
unit-domctl-srcs := common/domctl_check.c
