/*
 * Host tests do not have arch/x86/include on the include path (the stubs
 * shadow <asm/...>), but <asm/time.h> only declares: use the real header
 * unchanged.
 */
#include "../../../../arch/x86/include/asm/time.h"
