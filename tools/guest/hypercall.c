/*
 * Hypercall dispatch: through the hypercall page or inline, following
 * pv_hypercall_mode.  The page only has stubs for numbers below 128
 * (4096 / 32); larger numbers are always issued inline.
 */
#include <pvguest/lib.h>

enum pv_hc_mode pv_hypercall_mode = PV_HC_PAGE;

long pv_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                  unsigned long a3, unsigned long a4, unsigned long a5)
{
    if ( pv_hypercall_mode == PV_HC_PAGE && nr < PAGE_SIZE / 32 )
        return pv_hypercall_page(nr, a1, a2, a3, a4, a5);
    return pv_hypercall_inline(nr, a1, a2, a3, a4, a5);
}
