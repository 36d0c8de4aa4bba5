# Hypervisor objects under drivers/ (paths relative to the top).
obj-y += drivers/char/console_params.o
obj-y += drivers/pci/pci.o
obj-y += drivers/char/ns16550.o
obj-y += drivers/char/vga.o
