UNIT_TESTS += console
unit-console-srcs := common/console_format.c drivers/char/ns16550.c drivers/char/vga.c
