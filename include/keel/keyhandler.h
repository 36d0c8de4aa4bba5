/*
 * Debug keys (common/keyhandler.c): single characters typed on the serial
 * console while input belongs to the hypervisor run a diagnostic action,
 * e.g. 'h' lists them, 'm' dumps the memory allocators.
 *
 * Handlers run from the console's input poll timer on CPU 0, i.e. in
 * softirq context with interrupts enabled and no lock held: they may
 * printk and take leaf locks, and must not sleep or wait for input.
 *
 * Locking: the key table is filled in at boot, before input polling
 * starts (console_init_postirq), and is read-only afterwards (c).
 */
#ifndef KEEL_KEYHANDLER_H
#define KEEL_KEYHANDLER_H

#include <keel/types.h>

typedef void keyhandler_fn_t(unsigned char key);

/*
 * Bind `key` (a printable ASCII character) to fn, described by desc (a
 * static string shown by 'h').  Returns 0, -EINVAL for a non-printable
 * key or missing fn/desc, or -EEXIST if the key is taken.  Boot only.
 */
int register_keyhandler(unsigned char key, keyhandler_fn_t *fn,
                        const char *desc);

/*
 * Run the action bound to key, announcing it as "'X' pressed -> desc".
 * Unbound printable keys get a one-line hint; control characters (such
 * as the Enter key's '\r') are ignored.
 */
void handle_keypress(unsigned char key);

#endif /* KEEL_KEYHANDLER_H */
