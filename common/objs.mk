# Hypervisor objects under common/ (paths relative to the top).
obj-y += common/lib/string.o
obj-y += common/lib/vsnprintf.o
obj-y += common/console.o
obj-y += common/symbols.o
obj-y += common/softirq.o
obj-y += common/timer.o
obj-y += common/cmdline.o
obj-y += common/dom0_params.o
obj-y += common/misc_params.o
obj-y += common/lib/memmap.o
obj-y += common/boot_alloc.o
obj-y += common/page_alloc.o
obj-y += common/xmalloc.o
obj-y += common/console_format.o
obj-y += common/keyhandler.o
