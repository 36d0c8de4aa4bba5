/*
 * Reading "newc" cpio archives (the format of initramfs images and of the
 * control domain's initrd, made by `cpio -o -H newc`).  The archive is
 * untrusted input: every header field is checked against the buffer, and
 * a malformed archive stops the walk with an error, never a read outside
 * it.
 */
#ifndef KEEL_CPIO_H
#define KEEL_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct cpio_entry {
    const char *name;           /* NUL-terminated, inside the archive */
    const uint8_t *data;        /* inside the archive */
    size_t size;
    uint32_t mode;              /* st_mode: file type and permissions */
};

#define CPIO_MODE_TYPE  0170000
#define CPIO_MODE_FILE  0100000
#define CPIO_MODE_DIR   0040000

struct cpio_iter {
    const uint8_t *buf;
    size_t len, off;
};

void cpio_begin(struct cpio_iter *it, const void *buf, size_t len);
/*
 * The next entry: 1 (e filled in), 0 at the trailer (or a clean end of
 * the buffer), -EINVAL (22) negated for a malformed archive, with *why
 * saying what is wrong.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e, const char **why);
/*
 * The regular file called path ("etc/keel/a.cfg"; a leading "/" or "./"
 * on either side is ignored): 0, -ENOENT (2) negated, or -EINVAL.
 */
int cpio_find(const void *buf, size_t len, const char *path,
              struct cpio_entry *e, const char **why);

#endif /* KEEL_CPIO_H */
