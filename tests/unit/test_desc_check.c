/* Host tests for arch/x86/pv/desc-check.c. */
#include "harness.h"
#include <asm/pv/desc.h>

#define FLAT_CODE64_DPL0 0x00af9a000000ffffULL
#define FLAT_DATA_DPL0   0x00cf92000000ffffULL
#define FLAT_CODE64_DPL3 0x00affa000000ffffULL
#define TSS_AVAIL        0x0000890000000067ULL
#define CALL_GATE        0x0000ec0000000000ULL
#define CONFORMING_CODE  0x00cf9e000000ffffULL

TEST(not_present_untouched)
{
    uint64_t d = 0x1234000000005678ULL;     /* P clear */

    CHECK(pv_check_descriptor(&d));
    CHECK_EQ(d, 0x1234000000005678ULL);
}

TEST(dpl_raised_to_3)
{
    uint64_t c = FLAT_CODE64_DPL0, d = FLAT_DATA_DPL0;

    CHECK(pv_check_descriptor(&c));
    CHECK_EQ(c, FLAT_CODE64_DPL3);
    CHECK(pv_check_descriptor(&d));
    CHECK_EQ((d >> 45) & 3, 3);
}

TEST(system_descriptors_refused)
{
    uint64_t t = TSS_AVAIL, g = CALL_GATE;

    CHECK(!pv_check_descriptor(&t));
    CHECK(!pv_check_descriptor(&g));
}

TEST(conforming_code_refused)
{
    uint64_t c = CONFORMING_CODE;

    CHECK(!pv_check_descriptor(&c));
}

int main(void)
{
    RUN(not_present_untouched);
    RUN(dpl_raised_to_3);
    RUN(system_descriptors_refused);
    RUN(conforming_code_refused);
    HARNESS_EXIT();
}
