/*
 * The CMOS real-time clock, read once at boot for the wallclock.  Handles
 * BCD or binary mode and 12-hour mode, waits (boundedly) for an update in
 * progress to finish, and reads until two reads agree.
 */
#include <keel/lib.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/rtc.h>

#define RTC_INDEX       0x70
#define RTC_DATA        0x71
#define RTC_SECONDS     0x00
#define RTC_MINUTES     0x02
#define RTC_HOURS       0x04
#define RTC_DAY         0x07
#define RTC_MONTH       0x08
#define RTC_YEAR        0x09
#define RTC_REG_A       0x0a
#define RTC_REG_B       0x0b
#define RTC_UIP         0x80            /* reg A: update in progress */
#define RTC_24H         0x02            /* reg B */
#define RTC_BINARY      0x04            /* reg B */
#define RTC_PM          0x80            /* hours, 12-hour mode */
#define UIP_SPINS       1000000
#define READ_TRIES      8

struct rtc_time {
    unsigned int sec, min, hour, day, mon, year, century;
};

static unsigned int rtc_reg(unsigned int reg)
{
    outb(reg, RTC_INDEX);
    return inb(RTC_DATA);
}

static void rtc_snapshot(struct rtc_time *t, unsigned int century_reg)
{
    unsigned int spins = UIP_SPINS;

    while ( (rtc_reg(RTC_REG_A) & RTC_UIP) && --spins )
        continue;
    t->sec = rtc_reg(RTC_SECONDS);
    t->min = rtc_reg(RTC_MINUTES);
    t->hour = rtc_reg(RTC_HOURS);
    t->day = rtc_reg(RTC_DAY);
    t->mon = rtc_reg(RTC_MONTH);
    t->year = rtc_reg(RTC_YEAR);
    t->century = century_reg ? rtc_reg(century_reg) : 0;
}

static unsigned int bcd(unsigned int v)
{
    return (v & 0x0f) + (v >> 4) * 10;
}

uint64_t rtc_epoch_seconds(void)
{
    struct rtc_time a, b;
    unsigned int regb, tries = READ_TRIES, year, pm;
    unsigned int century_reg = acpi_info.century;

    rtc_snapshot(&a, century_reg);
    do {
        b = a;
        rtc_snapshot(&a, century_reg);
    } while ( memcmp(&a, &b, sizeof(a)) && --tries );

    regb = rtc_reg(RTC_REG_B);
    pm = a.hour & RTC_PM;
    a.hour &= ~RTC_PM;
    if ( !(regb & RTC_BINARY) )
    {
        a.sec = bcd(a.sec);
        a.min = bcd(a.min);
        a.hour = bcd(a.hour);
        a.day = bcd(a.day);
        a.mon = bcd(a.mon);
        a.year = bcd(a.year);
        a.century = bcd(a.century);
    }
    if ( !(regb & RTC_24H) )
        a.hour = (a.hour % 12) + (pm ? 12 : 0);
    year = a.century ? a.century * 100 + a.year
                     : a.year + (a.year < 70 ? 2000 : 1900);
    return rtc_mktime(year, a.mon, a.day, a.hour, a.min, a.sec);
}

/* Seconds since 1970-01-01 for a proleptic Gregorian date (UTC). */
uint64_t rtc_mktime(unsigned int year, unsigned int mon, unsigned int day,
                    unsigned int hour, unsigned int min, unsigned int sec)
{
    static const unsigned short cum[12] = {
        0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    uint64_t days;
    unsigned int y;

    if ( year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31 ||
         hour > 23 || min > 59 || sec > 60 )
        return 0;
    y = year - 1;
    days = (uint64_t)(year - 1970) * 365 + (y / 4 - 1969 / 4) -
           (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400);
    days += cum[mon - 1] + day - 1;
    if ( mon > 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) )
        days++;
    return ((days * 24 + hour) * 60 + min) * 60 + sec;
}
