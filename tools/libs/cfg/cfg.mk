# The xl.cfg parser library (README here).  Included by the builds that
# link it: the host unit tests (tests/unit/mk/xlcfg.mk, domcfg.mk), the
# fuzzer (tests/fuzz/fuzz.mk) and, later, the control domain.  Paths are
# relative to the top of the tree unless CFG_DIR is set first.
#
#   CFG_SRCS    the sources, to compile and link as they are
#   CFG_HDRS    every header they include (for dependencies)
#   CFG_CFLAGS  what a user of <keelcfg.h> needs on its command line
#
# Plain C99 using only <stddef.h> <stdint.h> <stdbool.h> <stdarg.h>
# <string.h> <stdlib.h> <stdio.h> (malloc family, snprintf, string
# functions): no errno, ctype, limits.h or stdio FILE I/O.

ifndef KEEL_CFG_MK
KEEL_CFG_MK := 1

CFG_DIR    ?= tools/libs/cfg
CFG_SRCS   := $(CFG_DIR)/cfg_util.c $(CFG_DIR)/cfg_lex.c \
              $(CFG_DIR)/cfg_parse.c $(CFG_DIR)/cfg_access.c \
              $(CFG_DIR)/cpumap.c $(CFG_DIR)/domcfg.c
CFG_HDRS   := $(CFG_DIR)/include/keelcfg.h \
              $(CFG_DIR)/include/keelcfg_domain.h $(CFG_DIR)/cfg_private.h
CFG_CFLAGS := -I$(CFG_DIR)/include

endif # KEEL_CFG_MK
