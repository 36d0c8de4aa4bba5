/*
 * VGA text console (drivers/char/vga.c): 80x25 characters in the legacy
 * text buffer at machine address VGA_TEXT_MADDR, light grey on black,
 * scrolling up at the bottom, hardware cursor kept after the last
 * character.
 *
 * The driver never chooses a mapping itself: the caller passes the
 * virtual address through which the text buffer is reachable now (the
 * boot identity map early on, the direct map later) and moves it with
 * vga_remap() when page tables change.
 *
 * Locking: none here; callers hold the console lock (common/console.c).
 */
#ifndef KEEL_VGA_H
#define KEEL_VGA_H

#include <keel/types.h>

#define VGA_TEXT_MADDR  0xb8000
#define VGA_COLS        80
#define VGA_ROWS        25

/*
 * Check that text memory answers at `text` (a cell reads back what was
 * written), clear the screen and start writing at the top left.  Returns
 * false, leaving the driver off, if nothing answers.
 */
bool vga_init(volatile uint16_t *text);

/* The same text memory, reachable through another mapping from now on. */
void vga_remap(volatile uint16_t *text);

/* Stop writing to the screen (e.g. its mapping is suspect). */
void vga_disable(void);

bool vga_active(void);

/* Write n bytes: '\n' new line, '\r' column 0, '\t' to the next multiple
 * of 8, '\b' one column back; other bytes are shown as they are. */
void vga_puts(const char *s, size_t n);

#endif /* KEEL_VGA_H */
