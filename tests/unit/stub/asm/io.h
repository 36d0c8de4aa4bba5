/*
 * Host-test replacement for <asm/io.h>: port I/O goes to two hooks that
 * the test defines, e.g. to emulate PCI configuration ports 0xcf8/0xcfc.
 * Same signatures and argument order as arch/x86/include/asm/io.h.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <keel/types.h>

/* Defined by each test that links code using port I/O; size is 1, 2, 4. */
uint32_t stub_port_in(uint16_t port, unsigned int size);
void stub_port_out(uint16_t port, unsigned int size, uint32_t val);

static inline uint8_t inb(uint16_t port)
{
    return (uint8_t)stub_port_in(port, 1);
}

static inline uint16_t inw(uint16_t port)
{
    return (uint16_t)stub_port_in(port, 2);
}

static inline uint32_t inl(uint16_t port)
{
    return stub_port_in(port, 4);
}

static inline void outb(uint8_t v, uint16_t port)
{
    stub_port_out(port, 1, v);
}

static inline void outw(uint16_t v, uint16_t port)
{
    stub_port_out(port, 2, v);
}

static inline void outl(uint32_t v, uint16_t port)
{
    stub_port_out(port, 4, v);
}

#endif /* ASM_IO_H */
