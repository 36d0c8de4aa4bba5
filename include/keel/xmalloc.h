/*
 * The hypervisor heap for objects (common/xmalloc.c).
 *
 * Small objects (up to XMALLOC_MAX_SMALL bytes after rounding) come from
 * per-size pools of power-of-two slots carved out of single pages; larger
 * ones get whole pages straight from the page allocator.  Every object is
 * at least 16-byte aligned, small ones naturally aligned to their slot size.
 * Memory from xmalloc is never shared with guests.
 *
 * Locking: one internal lock for the pools, a leaf taken with no other
 * allocator lock held (pages are obtained and returned outside it).  Not
 * for use from interrupt context.
 */
#ifndef KEEL_XMALLOC_H
#define KEEL_XMALLOC_H

#include <keel/types.h>

#define XMALLOC_MIN_ALIGN  16
#define XMALLOC_MAX_SMALL  1024

/*
 * size bytes aligned to align (a power of two up to PAGE_SIZE; 0 means no
 * requirement).  NULL when memory runs out, align is invalid or size is
 * beyond the largest heap block.  size 0 gives a valid minimal object.
 * The "z" forms return zeroed memory.  The array forms return NULL when
 * size * num overflows.
 */
void *xmalloc_aligned(size_t size, size_t align);
void *xzalloc_aligned(size_t size, size_t align);
void *xmalloc_array_aligned(size_t size, size_t align, size_t num);
void *xzalloc_array_aligned(size_t size, size_t align, size_t num);

void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);

/*
 * Free an object from any of the above.  xfree(NULL) does nothing.  A
 * pointer xmalloc did not return, or a double free, panics (hypervisor
 * bug).
 */
void xfree(void *p);

/*
 * Bytes held by live objects (slot size for small objects, whole pages for
 * large ones): the number leak tests compare before and after.
 */
size_t xmalloc_bytes_in_use(void);

/*
 * Give pool pages with no live object back to the page allocator (each
 * pool otherwise keeps one spare).  For memory pressure and leak checks.
 */
void xmalloc_trim(void);

#define xmalloc(type) \
    ((type *)xmalloc_aligned(sizeof(type), __alignof__(type)))
#define xzalloc(type) \
    ((type *)xzalloc_aligned(sizeof(type), __alignof__(type)))
#define xmalloc_array(type, n) \
    ((type *)xmalloc_array_aligned(sizeof(type), __alignof__(type), (n)))
#define xzalloc_array(type, n) \
    ((type *)xzalloc_array_aligned(sizeof(type), __alignof__(type), (n)))

#endif /* KEEL_XMALLOC_H */
