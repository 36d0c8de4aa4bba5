#include "../../../../../arch/x86/include/asm/pv/desc.h"
