/*
 * libkeelctrl in a PV kernel built on Keel's guest runtime: the handle to
 * pass to every kc_ and dombuild_ call (tools/libs/ctrl/pv.c).
 */
#ifndef KEELCTRL_PV_H
#define KEELCTRL_PV_H

#include <keelctrl.h>

extern struct kc_handle pv_kc_handle;

#endif /* KEELCTRL_PV_H */
