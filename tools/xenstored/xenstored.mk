# xenstored, the portable core (docs/design/xenstore.md).  Included by the
# builds that link it: the host unit tests (tests/unit/mk/xenstored.mk,
# xs_client.mk) and, later, the control domain, which adds its platform
# loop and struct xsd_ops.  Paths are relative to the top of the tree
# unless XSD_DIR is set first.
#
#   XSD_SRCS    the sources, to compile and link as they are
#   XSD_HDRS    every header they include (for dependencies)
#   XSD_CFLAGS  what a user of "xenstored.h" needs on its command line
#               (besides -Iinclude for <public/io/xs_wire.h>)
#
# Plain C99 using only <stddef.h> <stdint.h> <stdbool.h> <stdarg.h>
# <string.h> <stdlib.h> <stdio.h> (malloc family, snprintf, string
# functions): no errno, ctype, strtol or stdio FILE I/O.

ifndef KEEL_XENSTORED_MK
KEEL_XENSTORED_MK := 1

XSD_DIR    ?= tools/xenstored
XSD_SRCS   := $(XSD_DIR)/util.c $(XSD_DIR)/hmap.c $(XSD_DIR)/store.c \
              $(XSD_DIR)/perms.c $(XSD_DIR)/node.c $(XSD_DIR)/txn.c \
              $(XSD_DIR)/watch.c $(XSD_DIR)/conn.c $(XSD_DIR)/ring.c \
              $(XSD_DIR)/domain.c $(XSD_DIR)/wire.c
XSD_HDRS   := $(XSD_DIR)/xenstored.h $(XSD_DIR)/xsd_private.h \
              include/public/io/xs_wire.h
XSD_CFLAGS := -I$(XSD_DIR)

endif # KEEL_XENSTORED_MK
