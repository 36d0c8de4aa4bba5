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
    uint64_t t = TSS_AVAIL;

    CHECK(!pv_check_descriptor(&t));
}

TEST(call_gates)
{
    /* Gate to guest selector 0x0b, DPL 3 asked: stored DPL 0, RPL 3. */
    uint64_t g = CALL_GATE | (0x0bULL << 16);
    uint64_t xen = CALL_GATE | (0xe008ULL << 16);
    uint64_t kern = CALL_GATE | (0xe030ULL << 16);
    uint64_t rsvd = CALL_GATE | (0x0bULL << 16) | (1ULL << 32);

    CHECK(pv_check_descriptor(&g));
    CHECK_EQ((g >> 45) & 3, 0);
    CHECK_EQ((g >> 16) & 0xffff, 0x0b);
    CHECK(!pv_check_descriptor(&xen));      /* into the hypervisor */
    CHECK(pv_check_descriptor(&kern));      /* flat guest kernel code */
    CHECK_EQ((kern >> 16) & 0xffff, 0xe033);
    CHECK(!pv_check_descriptor(&rsvd));
}

TEST(conforming_code_accepted_at_dpl3)
{
    uint64_t c = CONFORMING_CODE;

    CHECK(pv_check_descriptor(&c));
    CHECK_EQ((c >> 45) & 3, 3);
}

int main(void)
{
    RUN(not_present_untouched);
    RUN(dpl_raised_to_3);
    RUN(system_descriptors_refused);
    RUN(call_gates);
    RUN(conforming_code_accepted_at_dpl3);
    HARNESS_EXIT();
}
