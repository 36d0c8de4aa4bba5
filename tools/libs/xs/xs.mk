# libxs, the xenstore client library (tools/libs/xs/xs.h).  Included by
# the builds that link it: the host unit tests (tests/unit/mk/xs_client.mk)
# and, later, the control domain's tools and the PV guest runtime.  Paths
# are relative to the top of the tree unless XS_DIR is set first.
#
#   XS_SRCS         the core and the ring transport (any client)
#   XS_LOCAL_SRCS   the function-call transport to an xenstored linked
#                   into the same program; needs XSD_CFLAGS too
#                   (tools/xenstored/xenstored.mk)
#   XS_HDRS         every header they include (for dependencies)
#   XS_CFLAGS       what a user of "xs.h" needs on its command line
#                   (besides -Iinclude for <public/io/xs_wire.h>)
#
# Plain C99, like tools/xenstored.

ifndef KEEL_XS_MK
KEEL_XS_MK := 1

XS_DIR        ?= tools/libs/xs
XS_SRCS       := $(XS_DIR)/xs.c $(XS_DIR)/xs_ring.c
XS_LOCAL_SRCS := $(XS_DIR)/xs_local.c
XS_HDRS       := $(XS_DIR)/xs.h include/public/io/xs_wire.h
XS_CFLAGS     := -I$(XS_DIR)

endif # KEEL_XS_MK
