UNIT_TESTS += evtchn
unit-evtchn-srcs := common/event/evtchn.c common/event/evtchn_2l.c common/event/evtchn_ops.c \
                    xsm/hooks.c
