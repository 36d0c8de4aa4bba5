/*
 * Host tests do not have arch/x86/include on the include path (the stubs
 * shadow <asm/...>), but <asm/mm.h> needs no arch services: use the real
 * header unchanged.
 */
#include "../../../../arch/x86/include/asm/mm.h"
