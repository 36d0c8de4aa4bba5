/*
 * Link map of the hypervisor image.  Virtual addresses are
 * KEEL_VIRT_START + physical; the loader places the image at
 * KEEL_PHYS_START.  Text, read-only data and writable data each start on a
 * page boundary so that the final page tables can map them RX, R+NX and
 * RW+NX respectively.
 */
#include <asm/page.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = KEEL_VIRT_START + KEEL_PHYS_START;
    __image_start = .;

    .text : AT(ADDR(.text) - KEEL_VIRT_START)
    {
        __text_start = .;
        *(.text.multiboot)
        *(.text .text.*)
        . = ALIGN(4096);
        __text_end = .;
    } :image

    .rodata : AT(ADDR(.rodata) - KEEL_VIRT_START)
    {
        __rodata_start = .;
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __start_keel_params = .;
        KEEP(*(keel_params))
        __stop_keel_params = .;
        . = ALIGN(8);
        __start_keel_keyhandlers = .;
        KEEP(*(keel_keyhandlers))
        __stop_keel_keyhandlers = .;
        . = ALIGN(8);
        __start_keel_initcalls = .;
        KEEP(*(keel_initcalls))
        __stop_keel_initcalls = .;
        . = ALIGN(8);
        __start_note_gnu_build_id = .;
        KEEP(*(.note.gnu.build-id))
        __stop_note_gnu_build_id = .;
        . = ALIGN(8);
        __start_ex_table = .;
        KEEP(*(.ex_table))
        __stop_ex_table = .;
        . = ALIGN(8);
        *(.keel_symtab)
        . = ALIGN(4096);
        __rodata_end = .;
    } :image

    .data : AT(ADDR(.data) - KEEL_VIRT_START)
    {
        __data_start = .;
        *(.data.page_aligned)
        *(.data .data.*)
        . = ALIGN(64);
    } :image

    .bss : AT(ADDR(.bss) - KEEL_VIRT_START)
    {
        . = ALIGN(4096);
        __bss_start = .;
        *(.bss.stack)
        *(.bss .bss.* COMMON)
        . = ALIGN(4096);
        __bss_end = .;
    } :image

    __image_end = .;

    /DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame) }
}
