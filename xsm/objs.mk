# Hypervisor objects under xsm/ (paths relative to the top).
obj-y += xsm/hooks.o
obj-y += xsm/xsm_core.o
