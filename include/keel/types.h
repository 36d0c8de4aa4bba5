/*
 * Basic types shared by the whole hypervisor.  Only the compiler's
 * freestanding headers are used, so this builds both in the hypervisor and
 * in host unit tests.
 *
 * Frame numbers are distinct single-member struct types so that a machine
 * frame can never be passed where a guest frame is expected.
 */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint64_t paddr_t;

typedef struct { unsigned long m; } mfn_t;   /* machine frame number */
typedef struct { unsigned long g; } gfn_t;   /* guest frame number */
typedef struct { unsigned long p; } pfn_t;   /* guest pseudo-physical frame */

static inline mfn_t _mfn(unsigned long m) { return (mfn_t){ m }; }
static inline unsigned long mfn_x(mfn_t m) { return m.m; }
static inline gfn_t _gfn(unsigned long g) { return (gfn_t){ g }; }
static inline unsigned long gfn_x(gfn_t g) { return g.g; }
static inline pfn_t _pfn(unsigned long p) { return (pfn_t){ p }; }
static inline unsigned long pfn_x(pfn_t p) { return p.p; }

#define INVALID_MFN _mfn(~0UL)

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

#define __init      /* boot-time code; kept simple: not discarded yet */
#define __used      __attribute__((__used__))
#define __noreturn  __attribute__((__noreturn__))
#define __packed    __attribute__((__packed__))
#define __aligned(a) __attribute__((__aligned__(a)))
#define __section(s) __attribute__((__section__(s)))
#define __printf(a, b) __attribute__((__format__(__printf__, a, b)))
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif /* KEEL_TYPES_H */
