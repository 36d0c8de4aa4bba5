/*
 * Link-time layout of a PV test kernel, shared by the assembly, the C
 * runtime and the linker script.  The kernel links in the top 2 GiB
 * (-mcmodel=kernel) at VIRT_BASE, as Linux PV kernels do; the builder
 * maps it, the p2m, start_info, the initial page tables and a stack page
 * from there upwards, so everything the runtime touches at start of day is
 * inside one contiguous virtual range.
 */
#ifndef PVGUEST_LAYOUT_H
#define PVGUEST_LAYOUT_H

#define PV_VIRT_BASE        0xffffffff80000000
#define PV_BOOT_STACK_SIZE  0x4000

#endif /* PVGUEST_LAYOUT_H */
