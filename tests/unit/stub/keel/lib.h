/*
 * Host-test replacement for <keel/lib.h>: the C library comes from the
 * host, printk and panic are captured by the harness.
 */
#ifndef KEEL_LIB_H
#define KEEL_LIB_H

#include <keel/types.h>
#include <string.h>
#include <stdio.h>

#define KLOG_ERR     "<0>"
#define KLOG_WARNING "<1>"
#define KLOG_INFO    "<2>"
#define KLOG_DEBUG   "<3>"

/* Everything printk'd is appended here so tests can assert on messages. */
extern char stub_printk_buf[65536];
void stub_printk_reset(void);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __noreturn panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
