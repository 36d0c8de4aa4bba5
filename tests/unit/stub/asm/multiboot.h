/* Pure layout header: host tests use the real one unchanged. */
#include "../../../../arch/x86/include/asm/multiboot.h"
