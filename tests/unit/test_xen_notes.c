/*
 * Host tests for common/lib/xen_notes.c (with common/lib/elf.c): each Xen
 * note good and bad, duplicate and unknown notes, where the notes are
 * looked for, the legacy __xen_guest string, and every default and
 * refusal of xen_notes_check() with its message.
 */
#include "harness.h"
#include <keel/types.h>
#include <keel/errno.h>
#include <keel/elf.h>
#include <keel/xen_notes.h>
#include "elf_builder.h"

static struct elf_image img;
static struct xen_guest_params p;
static const char *why;

/* What Keel offers in these tests. */
static const uint32_t keel_feat =
    (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0);

/* Build, elf_init (must pass) and parse. */
static int parse(void)
{
    const char *ewhy;

    build();
    if ( elf_init(&img, img_buf, img_size, &ewhy) )
    {
        printf("# elf_init: %s\n", ewhy);
        return -999;
    }
    why = "unset";
    return xen_notes_parse(&img, &p, &why);
}

static int check(bool dom0)
{
    why = "unset";
    return xen_notes_check(&p, &img, keel_feat, dom0, &why);
}

static bool msg_is(const char *text)
{
    if ( why && strstr(why, text) )
        return true;
    printf("# message \"%s\" lacks \"%s\"\n", why ? why : "(null)", text);
    return false;
}

/* Parse refused with a message containing text. */
static bool parse_refused(const char *text)
{
    return parse() == -EINVAL && msg_is(text);
}

/* Parse fine, check refused with a message containing text. */
static bool check_refused(bool dom0, const char *text)
{
    int rc = parse();

    if ( rc )
    {
        printf("# parse: %d %s\n", rc, why);
        return false;
    }
    return check(dom0) == -EINVAL && msg_is(text);
}

TEST(linux_like_kernel)
{
    default_cfg();
    note_num(XEN_ELFNOTE_L1_MFN_VALID, 0, 0);
    note_last()->descsz = 16;
    memcpy(note_last()->desc, "\x01\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0", 16);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NOTES);
    CHECK_EQ(p.nr_xen_notes, 15);
    CHECK_STR(p.guest_os, "linux");
    CHECK_STR(p.guest_version, "2.6");
    CHECK_STR(p.xen_version, "xen-3.0");
    CHECK_STR(p.loader, "generic");
    CHECK(p.has_virt_base && p.virt_base == VB);
    CHECK(p.has_paddr_offset && p.paddr_offset == 0);
    CHECK(p.has_entry && p.entry == VB + TEXT_PADDR + 0x10);
    CHECK(p.has_hypercall_page && p.hypercall_page == VB + TEXT_PADDR + 0x1000);
    CHECK(p.has_hv_start_low && p.hv_start_low == 0xffff800000000000ull);
    CHECK(!p.has_init_p2m);
    CHECK_EQ(p.pae, XEN_PAE_EXTCR3);
    CHECK(p.suspend_cancel);
    CHECK(p.mod_start_pfn);
    CHECK(!p.bsd_symtab);
    CHECK(p.has_l1_mfn_valid);
    CHECK_EQ(p.l1_mfn_valid_mask, 1);
    CHECK_EQ(p.l1_mfn_valid_value, 1);
    CHECK(p.has_supported_features);
    CHECK_EQ(p.features_supported[0], (1u << XENFEAT_writable_page_tables) |
             (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0));
    CHECK_EQ(p.features_required[0], 1u << XENFEAT_writable_page_tables);

    CHECK_EQ(check(true), 0);
    CHECK(why == NULL);
    CHECK_EQ(p.virt_offset, VB);
    CHECK_EQ(p.virt_kstart, VB + TEXT_PADDR);
    CHECK_EQ(p.virt_kend, VB + DATA_PADDR + 0x3000);
    CHECK_EQ(check(false), 0);
}

TEST(numeric_sizes)
{
    static const uint32_t ok_sizes[] = { 1, 2, 4, 8 };

    for ( unsigned int i = 0; i < 4; i++ )
    {
        default_cfg();
        note_num(XEN_ELFNOTE_INIT_P2M, 0x8877665544332211ull, ok_sizes[i]);
        CHECK_EQ(parse(), 0);
        CHECK(p.has_init_p2m);
        CHECK_EQ(p.init_p2m, 0x8877665544332211ull &
                 (ok_sizes[i] == 8 ? ~0ull : (1ull << (8 * ok_sizes[i])) - 1));
    }
    for ( uint32_t size = 0; size <= 16; size++ )
    {
        if ( size == 1 || size == 2 || size == 4 || size == 8 )
            continue;
        default_cfg();
        note_num(XEN_ELFNOTE_ENTRY, 0, size);
        CHECK(parse_refused("note ENTRY: "));
    }
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, 0, 3);
    CHECK(parse_refused("note VIRT_BASE: 3-byte value (want 1, 2, 4 or 8 "
                        "bytes)"));
    /* L1_MFN_VALID: 4, 8 or 16 bytes. */
    default_cfg();
    note_num(XEN_ELFNOTE_L1_MFN_VALID, 0x1234, 8);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.l1_mfn_valid_mask, 0x1234);
    CHECK_EQ(p.l1_mfn_valid_value, 0x1234);
    default_cfg();
    note_num(XEN_ELFNOTE_L1_MFN_VALID, 0x1234, 12);
    CHECK(parse_refused("note L1_MFN_VALID: 12 bytes (want 4, 8 or 16)"));
}

TEST(string_notes)
{
    default_cfg();
    note_str(XEN_ELFNOTE_GUEST_OS, "NetBSD");
    note_last()->descsz = 6;            /* no NUL */
    CHECK(parse_refused("note GUEST_OS: string is not NUL-terminated"));
    default_cfg();
    note_str(XEN_ELFNOTE_LOADER, "");
    note_last()->descsz = 0;
    CHECK(parse_refused("note LOADER: string is not NUL-terminated"));

    /* A NUL before the end of the descriptor ends the string. */
    default_cfg();
    note_str(XEN_ELFNOTE_GUEST_OS, "NetBSD\0junk");
    note_last()->descsz = 12;
    memcpy(note_last()->desc, "NetBSD\0junk", 12);
    CHECK_EQ(parse(), 0);
    CHECK_STR(p.guest_os, "NetBSD");

    /* Over-long strings are truncated. */
    default_cfg();
    note_str(XEN_ELFNOTE_GUEST_VERSION,
             "0123456789012345678901234567890123456789");
    CHECK_EQ(parse(), 0);
    CHECK_STR(p.guest_version, "0123456789012345678901234567890");

    /* PAE_MODE and BSD_SYMTAB. */
    default_cfg();
    note_str(XEN_ELFNOTE_PAE_MODE, "yes,bimodal");
    note_str(XEN_ELFNOTE_BSD_SYMTAB, "yes");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.pae, XEN_PAE_BIMODAL);
    CHECK(p.bsd_symtab);
    default_cfg();
    note_str(XEN_ELFNOTE_PAE_MODE, "no");
    note_str(XEN_ELFNOTE_BSD_SYMTAB, "no");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.pae, XEN_PAE_EXTCR3);    /* the earlier "yes" stays */
    CHECK(!p.bsd_symtab);
}

TEST(duplicates_and_unknowns)
{
    /* Last wins for values; features accumulate. */
    default_cfg();
    note_num(XEN_ELFNOTE_ENTRY, VB + TEXT_PADDR + 0x20, 8);
    note_str(XEN_ELFNOTE_GUEST_OS, "Linux-dup");
    note_str(XEN_ELFNOTE_FEATURES, "writable_descriptor_tables");
    note_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_hvm_callback_vector,
             4);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.entry, VB + TEXT_PADDR + 0x20);
    CHECK_STR(p.guest_os, "Linux-dup");
    CHECK_EQ(p.features_supported[0],
             (1u << XENFEAT_writable_page_tables) |
             (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0) |
             (1u << XENFEAT_writable_descriptor_tables) |
             (1u << XENFEAT_hvm_callback_vector));

    /* Unknown types and other owners' notes are ignored: a GNU note of
     * type 3 (build id) must not be taken for VIRT_BASE. */
    default_cfg();
    note_num(99, 1, 4);
    note_num(0, 1, 4);
    note_num(XEN_ELFNOTE_VIRT_BASE, 0x1234, 8);
    note_last()->name = "GNU";
    note_num(XEN_ELFNOTE_VIRT_BASE, 0x5678, 8);
    note_last()->name = "Xen";
    note_last()->namesz = 3;            /* "Xen" without its NUL */
    note_num(XEN_ELFNOTE_VIRT_BASE, 0x9abc, 8);
    note_last()->name = "XenX";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.virt_base, VB);
    CHECK_EQ(p.nr_xen_notes, 16);

    /* "Xen" with a longer namesz still names Xen. */
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, 0x4000, 8);
    note_last()->namesz = 8;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.virt_base, 0x4000);

    /* The names and numbers tables. */
    CHECK_STR(xen_notes_type_name(XEN_ELFNOTE_SUPPORTED_FEATURES),
              "SUPPORTED_FEATURES");
    CHECK(xen_notes_type_name(0) == NULL);
    CHECK(xen_notes_type_name(19) == NULL);
    CHECK_STR(xen_notes_feature_name(XENFEAT_dom0), "dom0");
    CHECK(xen_notes_feature_name(12) == NULL);
    CHECK(xen_notes_feature_name(1000) == NULL);
}

TEST(features_string)
{
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES,
             "||hvm_callback_vector|!dom0|no_such_thing|");
    CHECK_EQ(parse(), 0);
    CHECK(p.features_supported[0] & (1u << XENFEAT_hvm_callback_vector));
    CHECK(p.features_required[0] & (1u << XENFEAT_dom0));

    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "dom0|!no_such_thing");
    CHECK(parse_refused("kernel requires unknown feature \"no_such_thing\""));
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "!");
    CHECK(parse_refused("kernel requires unknown feature \"\""));
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "!dom0x");
    CHECK(parse_refused("unknown feature \"dom0x\""));
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "!dom");
    CHECK(parse_refused("unknown feature \"dom\""));

    /* SUPPORTED_FEATURES sizes. */
    default_cfg();
    note_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0xffffffff00000004ull, 8);
    CHECK_EQ(parse(), 0);
    CHECK(p.features_supported[0] & 4);
    default_cfg();
    note_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0, 3);
    CHECK(parse_refused("note SUPPORTED_FEATURES: 3 bytes is not a whole "
                        "number of 32-bit words"));
    default_cfg();
    note_num(XEN_ELFNOTE_SUPPORTED_FEATURES, 0, 0);
    CHECK(parse_refused("note SUPPORTED_FEATURES: 0 bytes"));
}

TEST(where_notes_are_found)
{
    /* Only in a section: found there. */
    default_cfg();
    cfg.notes_in_segment = false;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NOTES);
    CHECK_EQ(p.virt_base, VB);

    /* Segment with p_offset 0 is skipped (binutils bug); the section is
     * used instead.  Make the segment's view differ to tell them apart. */
    default_cfg();
    build();
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    w64(PH(2, P_OFFSET), 0);
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NOTES);
    CHECK_EQ(p.nr_xen_notes, 14);

    /* Neither: nothing. */
    default_cfg();
    cfg.notes_in_segment = false;
    cfg.notes_in_section = false;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NONE);
    CHECK_EQ(check(true), -EINVAL);
    CHECK(msg_is("not a Xen PV kernel: no Xen ELF notes and no __xen_guest "
                 "section"));

    /* A note region holding only non-Xen notes counts as none. */
    default_cfg();
    for ( unsigned int i = 0; i < cfg.nr_notes; i++ )
        cfg.notes[i].name = "GNU";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NONE);

    /* 8-byte aligned notes. */
    default_cfg();
    cfg.note_align = 8;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.nr_xen_notes, 14);
    CHECK_EQ(check(true), 0);

    /* A malformed region is refused, naming it. */
    default_cfg();
    build();
    w32(NOTE_OFF + 4, 0x10000);         /* first descsz */
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), -EINVAL);
    CHECK(msg_is("note segment 2: malformed note"));
}

TEST(segment_notes_win_over_sections)
{
    /* When PT_NOTE has Xen notes, SHT_NOTE sections are not read: make a
     * section with a different VIRT_BASE after the segment's notes. */
    default_cfg();
    cfg.notes_in_section = false;
    build();
    put_shdr(4, NM_NOTES, SHT_NOTE, NOTE_OFF + 0x600, 0x20, 4);
    w32(NOTE_OFF + 0x600, 4);
    w32(NOTE_OFF + 0x604, 8);
    w32(NOTE_OFF + 0x608, XEN_ELFNOTE_VIRT_BASE);
    memcpy(img_buf + NOTE_OFF + 0x60c, "Xen", 4);
    w64(NOTE_OFF + 0x610, 0x1000);
    w16(60, 5);
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), 0);
    CHECK_EQ(p.virt_base, VB);
    /* Without the segment, the section is used. */
    w32(PH(2, P_TYPE), PT_NULL);
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), 0);
    CHECK_EQ(p.virt_base, 0x1000);
    CHECK_EQ(p.nr_xen_notes, 1);
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
    for ( int i = 0; i < 8; i++ )
        b[off + i] = v >> (8 * i);
}

TEST(too_many_notes)
{
    static uint8_t buf[0x20000];
    struct elf_image big;
    const size_t base = 0x8000;
    unsigned int i;

    /* 4097 empty "Xen" notes of type 0, in a section over them. */
    default_cfg();
    cfg.notes_in_segment = false;
    cfg.notes_in_section = false;
    build();
    memset(buf, 0, sizeof(buf));
    memcpy(buf, img_buf, IMG_SIZE);
    for ( i = 0; i < 4097; i++ )
    {
        buf[base + 16 * i] = 4;
        memcpy(buf + base + 16 * i + 12, "Xen", 4);
    }
    put64(buf, SH(1, S_TYPE), SHT_NOTE);    /* also clears sh_flags */
    put64(buf, SH(1, S_OFFSET), base);
    put64(buf, SH(1, S_SIZE), 16 * 4097);
    CHECK_EQ(elf_init(&big, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(xen_notes_parse(&big, &p, &why), -EINVAL);
    CHECK(msg_is("more than 4096 ELF notes"));

    put64(buf, SH(1, S_SIZE), 16 * 4096);   /* 4096: fine */
    CHECK_EQ(elf_init(&big, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(xen_notes_parse(&big, &p, &why), 0);
    CHECK_EQ(p.nr_xen_notes, 4096);
}

TEST(legacy_xen_guest)
{
    default_cfg();
    cfg.nr_notes = 0;
    cfg.xen_guest = "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
                    "VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x201,"
                    "LOADER=generic,FEATURES=!writable_page_tables,"
                    "PAE=yes[extended-cr3],BSD_SYMTAB,UNKNOWN_KEY=1";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_LEGACY);
    CHECK_STR(p.guest_os, "linux");
    CHECK_STR(p.guest_version, "2.6");
    CHECK_STR(p.xen_version, "xen-3.0");
    CHECK_STR(p.loader, "generic");
    CHECK_EQ(p.virt_base, VB);
    CHECK_EQ(p.hypercall_page, VB + 0x201000);
    CHECK_EQ(p.pae, XEN_PAE_EXTCR3);
    CHECK(p.bsd_symtab);
    CHECK_EQ(p.features_required[0], 1u << XENFEAT_writable_page_tables);
    CHECK(!p.has_supported_features);
    /* ELF_PADDR_OFFSET defaults to VIRT_BASE in the legacy form, so the
     * kernel sits at p_paddr + 0: the builder's p_paddr of 0x200000 is
     * taken as a virtual address below VIRT_BASE and refused. */
    CHECK_EQ(check(true), -EINVAL);
    CHECK(msg_is("VIRT_BASE 0xffffffff80000000 lies above the kernel start "
                 "0x200000"));
    CHECK_EQ(p.paddr_offset, VB);

    /* With ELF_PADDR_OFFSET=0 it loads as with notes. */
    cfg.xen_guest = "GUEST_OS=linux,XEN_VER=xen-3.0,"
                    "VIRT_BASE=0xffffffff80000000,ELF_PADDR_OFFSET=0,"
                    "HYPERCALL_PAGE=0x201,VIRT_ENTRY=0xffffffff80200010,"
                    "PAE=yes";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.pae, XEN_PAE_YES);
    CHECK_EQ(p.entry, VB + TEXT_PADDR + 0x10);
    CHECK_EQ(check(true), 0);
    CHECK_EQ(p.virt_kstart, VB + TEXT_PADDR);

    /* HYPERCALL_PAGE without VIRT_BASE stays a plain address. */
    cfg.xen_guest = "HYPERCALL_PAGE=3";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.hypercall_page, 0x3000);
    cfg.xen_guest = "HYPERCALL_PAGE=0x10000000000000";
    CHECK(parse_refused("__xen_guest: HYPERCALL_PAGE 0x10000000000000 is too "
                        "large"));
    cfg.xen_guest = "HYPERCALL_PAGE=0xfffffffffffff,VIRT_BASE=1";
    CHECK_EQ(parse(), 0);

    /* Numbers: decimal, octal, hex; garbage refused. */
    cfg.xen_guest = "VIRT_BASE=010,ELF_PADDR_OFFSET=12";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.virt_base, 8);
    CHECK_EQ(p.paddr_offset, 12);
    cfg.xen_guest = "VIRT_BASE=0x";
    CHECK(parse_refused("__xen_guest: VIRT_BASE=\"0x\" is not a number"));
    cfg.xen_guest = "VIRT_BASE=";
    CHECK(parse_refused("VIRT_BASE=\"\" is not a number"));
    cfg.xen_guest = "VIRT_BASE=09";
    CHECK(parse_refused("not a number"));
    cfg.xen_guest = "ELF_PADDR_OFFSET=0x10000000000000000";
    CHECK(parse_refused("not a number"));
    cfg.xen_guest = "VIRT_ENTRY=12abc";
    CHECK(parse_refused("VIRT_ENTRY=\"12abc\""));
    cfg.xen_guest = "FEATURES=!bogus";
    CHECK(parse_refused("kernel requires unknown feature \"bogus\""));

    /* Empty items, empty string, string running to the section end. */
    cfg.xen_guest = ",,LOADER=generic,,";
    CHECK_EQ(parse(), 0);
    CHECK_STR(p.loader, "generic");
    cfg.xen_guest = "";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_LEGACY);
    cfg.xen_guest = "LOADER=generic,GUEST_OS=abcdef";
    build();
    w64(SH(4, S_SIZE), 27);             /* cut "GUEST_OS=abcdef" at "abc" */
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), 0);
    CHECK_STR(p.guest_os, "abc");

    /* Ignored when notes exist. */
    default_cfg();
    cfg.xen_guest = "VIRT_BASE=0x1000";
    CHECK_EQ(parse(), 0);
    CHECK_EQ(p.source, XEN_PARAMS_NOTES);
    CHECK_EQ(p.virt_base, VB);
}

TEST(check_identity)
{
    default_cfg();
    note_str(XEN_ELFNOTE_LOADER, "elf");
    note_str(XEN_ELFNOTE_GUEST_OS, "NetBSD");
    CHECK(check_refused(true, "LOADER \"elf\", GUEST_OS \"NetBSD\": only "
                        "images for the generic loader or Linux"));
    default_cfg();
    note_str(XEN_ELFNOTE_GUEST_OS, "NetBSD");      /* LOADER generic: fine */
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
    default_cfg();
    note_str(XEN_ELFNOTE_LOADER, "x");             /* linux: fine */
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
    default_cfg();
    note_str(XEN_ELFNOTE_LOADER, "generic-v2");    /* prefix, as Xen */
    note_str(XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);

    default_cfg();
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    CHECK(check_refused(true, "XEN_VERSION \"xen-2.0\": the kernel must be "
                        "built for xen-3.0"));
    default_cfg();
    cfg.notes[2].type = 99;                     /* drop XEN_VERSION */
    CHECK(check_refused(true, "XEN_VERSION \"\""));
    default_cfg();
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0-unstable");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
}

TEST(check_addresses)
{
    /* PADDR_OFFSET without VIRT_BASE. */
    default_cfg();
    cfg.notes[3].type = 99;
    CHECK(check_refused(true, "PADDR_OFFSET is given but VIRT_BASE is not"));

    /* Neither: both 0; the kernel is then at its p_paddr. */
    default_cfg();
    cfg.notes[3].type = 99;
    cfg.notes[4].type = 99;
    cfg.notes[5].type = 99;                     /* no ENTRY either */
    cfg.notes[6].type = 99;                     /* no HYPERCALL_PAGE */
    cfg.entry = TEXT_PADDR + 4;
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
    CHECK_EQ(p.virt_base, 0);
    CHECK_EQ(p.paddr_offset, 0);
    CHECK_EQ(p.virt_kstart, TEXT_PADDR);
    CHECK_EQ(p.entry, TEXT_PADDR + 4);          /* e_entry */

    /* ENTRY outside the kernel, at its end, at its start. */
    default_cfg();
    note_num(XEN_ELFNOTE_ENTRY, VB + DATA_PADDR + 0x3000, 8);
    CHECK(check_refused(true, "entry point 0xffffffff80205000 lies outside "
                        "the kernel 0xffffffff80200000-0xffffffff80205000"));
    default_cfg();
    note_num(XEN_ELFNOTE_ENTRY, VB + TEXT_PADDR - 1, 8);
    CHECK(check_refused(true, "entry point"));
    default_cfg();
    note_num(XEN_ELFNOTE_ENTRY, VB + TEXT_PADDR, 8);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);

    /* VIRT_BASE above the kernel. */
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, VB + 0x300000, 8);
    note_num(XEN_ELFNOTE_PADDR_OFFSET, 0x300000, 8);
    CHECK(check_refused(true, "VIRT_BASE 0xffffffff80300000 lies above the "
                        "kernel start 0xffffffff80200000"));

    /* A kernel range pushed past 2^64. */
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, 0ull - 0x202000, 8);
    CHECK(check_refused(true, "kernel range 0x200000-0x205000 moved by "
                        "0xffffffffffdfe000 wraps around"));
    /* Moved as a whole past 2^64: a plain range, below VIRT_BASE. */
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, 0xfffffffffffff000ull, 8);
    CHECK(check_refused(true, "VIRT_BASE 0xfffffffffffff000 lies above the "
                        "kernel start 0x1ff000"));
    default_cfg();
    note_num(XEN_ELFNOTE_VIRT_BASE, 0ull - DATA_PADDR - 0x3000, 8);
    CHECK(check_refused(true, "wraps around"));     /* ends at 2^64 */

    /* HYPERCALL_PAGE: aligned, whole page inside. */
    default_cfg();
    note_num(XEN_ELFNOTE_HYPERCALL_PAGE, VB + TEXT_PADDR + 0x800, 8);
    CHECK(check_refused(true, "HYPERCALL_PAGE 0xffffffff80200800 is not a "
                        "page inside the kernel"));
    default_cfg();
    note_num(XEN_ELFNOTE_HYPERCALL_PAGE, VB + TEXT_PADDR - 0x1000, 8);
    CHECK(check_refused(true, "HYPERCALL_PAGE"));
    default_cfg();
    note_num(XEN_ELFNOTE_HYPERCALL_PAGE, VB + DATA_PADDR + 0x3000, 8);
    CHECK(check_refused(true, "HYPERCALL_PAGE"));
    default_cfg();
    note_num(XEN_ELFNOTE_HYPERCALL_PAGE, VB + DATA_PADDR + 0x2000, 8);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);                   /* the last page */
    /* ... unless the kernel ends half way through it. */
    build();
    w64(PH(1, P_MEMSZ), 0x2800);
    CHECK_EQ(elf_init(&img, img_buf, img_size, NULL), 0);
    CHECK_EQ(xen_notes_parse(&img, &p, &why), 0);
    CHECK_EQ(check(true), -EINVAL);
    CHECK(msg_is("HYPERCALL_PAGE 0xffffffff80204000 is not a page inside the "
                 "kernel 0xffffffff80200000-0xffffffff80204800"));

    /* INIT_P2M inside the kernel refused, outside fine. */
    default_cfg();
    note_num(XEN_ELFNOTE_INIT_P2M, VB + DATA_PADDR, 8);
    CHECK(check_refused(true, "INIT_P2M 0xffffffff80202000 lies inside the "
                        "kernel"));
    default_cfg();
    note_num(XEN_ELFNOTE_INIT_P2M, 0xffffea0000000000ull, 8);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
    default_cfg();
    note_num(XEN_ELFNOTE_INIT_P2M, VB + DATA_PADDR + 0x3000, 8);
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
}

TEST(check_features)
{
    /* A required feature Keel lacks is named. */
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "!auto_translated_physmap");
    CHECK(check_refused(false, "kernel requires feature "
                        "auto_translated_physmap, which Keel does not "
                        "provide"));
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "!supervisor_mode_kernel|!hvm_pirqs");
    CHECK(check_refused(false, "supervisor_mode_kernel"));
    /* Required and provided: fine.  writable_page_tables: accepted. */
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES,
             "!pae_pgdir_above_4gb|!writable_page_tables");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(false), 0);
    /* Supported-only features need nothing from Keel. */
    default_cfg();
    note_str(XEN_ELFNOTE_FEATURES, "auto_translated_physmap|hvm_pirqs");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(false), 0);
}

TEST(check_dom0)
{
    /* SUPPORTED_FEATURES without dom0: refused as dom0, fine as domU. */
    default_cfg();
    cfg.notes[8].desc[1] = 0;           /* clear bit 11 */
    CHECK(check_refused(true, "kernel does not support dom0 operation"));
    CHECK_EQ(check(false), 0);
    /* dom0 from FEATURES counts too. */
    note_str(XEN_ELFNOTE_FEATURES, "dom0");
    CHECK_EQ(parse(), 0);
    CHECK_EQ(check(true), 0);
    /* No SUPPORTED_FEATURES note at all: an older kernel, accepted. */
    default_cfg();
    cfg.notes[8].type = 99;
    CHECK_EQ(parse(), 0);
    CHECK(!p.has_supported_features);
    CHECK_EQ(check(true), 0);
}

int main(void)
{
    RUN(linux_like_kernel);
    RUN(numeric_sizes);
    RUN(string_notes);
    RUN(duplicates_and_unknowns);
    RUN(features_string);
    RUN(where_notes_are_found);
    RUN(segment_notes_win_over_sections);
    RUN(too_many_notes);
    RUN(legacy_xen_guest);
    RUN(check_identity);
    RUN(check_addresses);
    RUN(check_features);
    RUN(check_dom0);
    HARNESS_EXIT();
}
