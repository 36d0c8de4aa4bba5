/*
 * Host tests do not have arch/x86/include on the include path (the stubs
 * shadow <asm/...>), but <asm/pv/emulate.h> is pure declarations: use the
 * real header unchanged.
 */
#include "../../../../../arch/x86/include/asm/pv/emulate.h"
