include tools/libs/cfg/cfg.mk
include tools/xenstored/xenstored.mk
include tools/libs/xs/xs.mk
UNIT_TESTS += toolstack
unit-toolstack-srcs := tools/libs/toolstack/toolstack.c \
    tools/libs/dombuild/dombuild.c tools/libs/ctrl/ctrl.c \
    common/lib/elf.c common/lib/xen_notes.c common/lib/inflate.c \
    tools/console/consback.c $(CFG_SRCS) $(XSD_SRCS) $(XS_SRCS) \
    $(XS_LOCAL_SRCS)
unit-toolstack-cflags := -Itools/libs/toolstack/include \
    -Itools/libs/ctrl/include -Itools/libs/dombuild/include \
    -Itools/console/include $(CFG_CFLAGS) $(XSD_CFLAGS) $(XS_CFLAGS)
