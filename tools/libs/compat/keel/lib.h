/*
 * <keel/lib.h> for toolstack builds: the hypervisor's pure helpers in
 * common/lib (ELF and Xen-note parsing, gunzip) are compiled unmodified
 * into the tools, with the C library of wherever the tools run (the PV
 * runtime's libc subset, or the host's) standing in for the hypervisor's.
 * Put this directory before include/ on the include path.
 */
#ifndef KEEL_LIB_H
#define KEEL_LIB_H

#include <keel/types.h>
#include <string.h>
#include <stdio.h>

#endif /* KEEL_LIB_H */
