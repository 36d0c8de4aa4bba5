# Keel's xl as a library (tools/xl/include/xl.h): the command-line front
# end, run by the control domain's prompt and, later, by a Linux program.
# Included by the builds that link it: the host unit test
# (tests/unit/mk/xl.mk) and the control domain.  Paths are relative to
# the top of the tree unless XL_DIR is set first.  The library calls
# libkeelctrl (tools/libs/ctrl/ctrl.c), which the user links as well.
#
#   XL_SRCS    the sources, to compile and link as they are
#   XL_HDRS    every header of ours they include (for dependencies)
#   XL_CFLAGS  what a user of <xl.h> needs on its command line (with the
#              hypervisor's include/ for <public/...>)
#
# Plain C99 using only <stddef.h> <stdint.h> <stdbool.h> <stdarg.h>
# <string.h> <stdlib.h> <stdio.h>; no floating point.

ifndef KEEL_XL_MK
KEEL_XL_MK := 1

XL_DIR    ?= tools/xl
XL_SRCS   := $(XL_DIR)/xl.c $(XL_DIR)/xl_cmdtable.c $(XL_DIR)/xl_util.c \
             $(XL_DIR)/xl_info.c $(XL_DIR)/xl_vcpu.c $(XL_DIR)/xl_sched.c \
             $(XL_DIR)/xl_vmcontrol.c
XL_HDRS   := $(XL_DIR)/include/xl.h $(XL_DIR)/xl_private.h
XL_CFLAGS := -I$(XL_DIR)/include -Itools/libs/ctrl/include

endif # KEEL_XL_MK
