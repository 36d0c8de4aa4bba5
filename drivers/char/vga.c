/*
 * VGA text console.  Owns the 80x25 text buffer (through whatever mapping
 * the caller hands in) and the CRT controller's cursor registers.
 *
 * Invariant: 0 <= row < VGA_ROWS and 0 <= col <= VGA_COLS; col ==
 * VGA_COLS means the line is full and the next printable character
 * wraps first (so a line of exactly 80 characters followed by '\n' does
 * not leave an empty line behind).
 *
 * Locking: none here; callers hold the console lock (see <keel/vga.h>).
 * Only <asm/io.h> is used, so host unit tests drive this file with a
 * plain array as "text memory".
 */
#include <keel/lib.h>
#include <keel/vga.h>
#include <asm/io.h>

#define VGA_ATTR        0x0700          /* light grey on black */
#define VGA_BLANK       (VGA_ATTR | ' ')
#define VGA_TAB         8

#define CRTC_INDEX      0x3d4
#define CRTC_DATA       0x3d5
#define CRTC_CURSOR_HI  0x0e
#define CRTC_CURSOR_LO  0x0f

static volatile uint16_t *vga_text;     /* NULL: off */
static unsigned int vga_row, vga_col;

static void vga_set_cursor(void)
{
    unsigned int pos = vga_row * VGA_COLS + MIN(vga_col, VGA_COLS - 1);

    outb(CRTC_CURSOR_HI, CRTC_INDEX);
    outb(pos >> 8, CRTC_DATA);
    outb(CRTC_CURSOR_LO, CRTC_INDEX);
    outb(pos & 0xff, CRTC_DATA);
}

static void vga_clear_rows(unsigned int first, unsigned int nr)
{
    unsigned int i;

    for ( i = first * VGA_COLS; i < (first + nr) * VGA_COLS; i++ )
        vga_text[i] = VGA_BLANK;
}

static void vga_newline(void)
{
    unsigned int i;

    vga_col = 0;
    if ( vga_row + 1 < VGA_ROWS )
    {
        vga_row++;
        return;
    }
    for ( i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++ )
        vga_text[i] = vga_text[i + VGA_COLS];
    vga_clear_rows(VGA_ROWS - 1, 1);
}

bool vga_init(volatile uint16_t *text)
{
    uint16_t saved = text[0];

    vga_text = NULL;
    text[0] = 0x1f55;
    if ( text[0] != 0x1f55 )
    {
        text[0] = saved;
        return false;
    }
    vga_text = text;
    vga_clear_rows(0, VGA_ROWS);
    vga_row = vga_col = 0;
    vga_set_cursor();
    return true;
}

void vga_remap(volatile uint16_t *text)
{
    if ( vga_text )
        vga_text = text;
}

void vga_disable(void)
{
    vga_text = NULL;
}

bool vga_active(void)
{
    return vga_text != NULL;
}

static void vga_putc(char c)
{
    switch ( c )
    {
    case '\n':
        vga_newline();
        break;
    case '\r':
        vga_col = 0;
        break;
    case '\b':
        if ( vga_col )
            vga_col--;
        break;
    case '\t':                  /* moves, like a terminal; erases nothing */
        if ( vga_col == VGA_COLS )
            vga_newline();
        vga_col = MIN(ROUNDUP(vga_col + 1, VGA_TAB), VGA_COLS);
        break;
    default:
        if ( vga_col == VGA_COLS )
            vga_newline();
        vga_text[vga_row * VGA_COLS + vga_col++] = VGA_ATTR |
                                                   (unsigned char)c;
        break;
    }
}

void vga_puts(const char *s, size_t n)
{
    size_t i;

    if ( !vga_text )
        return;
    for ( i = 0; i < n; i++ )
        vga_putc(s[i]);
    vga_set_cursor();
}
