/*
 * mbprint: a tiny Multiboot 1 kernel for testing tests/run-guest itself.
 *
 * It writes its command line to COM1, then a newline, then halts.  Started
 * as `-kernel mbprint -append "Test result: SKIP"` it prints a result line
 * the runner parses, without any hypervisor involved.  With no command
 * line it prints nothing and halts, which the runner must report as a
 * crash once its timeout expires.
 */

#define MB1_MAGIC       0x1badb002
#define MB1_BOOT_MAGIC  0x2badb002
#define MB1_INFO_CMDLINE (1 << 2)
#define COM1            0x3f8
#define UART_LSR        5
#define UART_LSR_THRE   0x20

        .section .multiboot, "a"
        .balign 4
        .long   MB1_MAGIC
        .long   0                       /* flags: ELF layout, no requests */
        .long   -MB1_MAGIC              /* checksum */

        .text
        .code32
        .globl  _start
_start:
        cli
        mov     $stack_top, %esp
        cmp     $MB1_BOOT_MAGIC, %eax
        jne     halt
        testl   $MB1_INFO_CMDLINE, (%ebx)
        jz      halt
        mov     16(%ebx), %esi          /* multiboot_info.cmdline */
1:      lodsb
        test    %al, %al
        jz      2f
        call    putc
        jmp     1b
2:      mov     $'\r', %al
        call    putc
        mov     $'\n', %al
        call    putc
halt:   hlt
        jmp     halt

/* Write %al to COM1 once the transmitter holding register is empty. */
putc:   mov     %al, %ah
        mov     $COM1 + UART_LSR, %dx
3:      inb     %dx, %al
        test    $UART_LSR_THRE, %al
        jz      3b
        mov     $COM1, %dx
        mov     %ah, %al
        outb    %al, %dx
        ret

        .bss
        .balign 16
        .skip   1024
stack_top:
