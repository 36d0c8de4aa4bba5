# Hypervisor objects under drivers/ (paths relative to the top).
obj-y += drivers/char/console_params.o
obj-y += drivers/pci/pci.o
