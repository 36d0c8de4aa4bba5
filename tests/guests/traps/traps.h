/*
 * traps: shared declarations of the trap-delivery conformance kernel's
 * three parts: exceptions and INT n (traps.c), privileged-instruction
 * emulation and the register hypercalls (privop.c), and guest user mode
 * with the callbacks (usermode.c).
 */
#ifndef TRAPS_TEST_H
#define TRAPS_TEST_H

#include <pvguest/lib.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)
#define NONCANON        0x8000000000000000UL

void test_privop(void);
void test_usermode(void);

#endif /* TRAPS_TEST_H */
