/* Host "direct map" base for tests/unit/stub/asm/page.h. */
#include <asm/page.h>

unsigned char *stub_directmap_base;
