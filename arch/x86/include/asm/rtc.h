/* CMOS real-time clock (arch/x86/rtc.c). */
#ifndef ASM_RTC_H
#define ASM_RTC_H

#include <keel/types.h>

/* The RTC's time as seconds since the epoch (0 if it makes no sense). */
uint64_t rtc_epoch_seconds(void);
uint64_t rtc_mktime(unsigned int year, unsigned int mon, unsigned int day,
                    unsigned int hour, unsigned int min, unsigned int sec);

#endif
