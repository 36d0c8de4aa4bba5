/*
 * fuzz: shared declarations of the hypercall fuzzer kernel: the pools of
 * hostile values and the frames and addresses it owns (fuzz.c), and the
 * per-hypercall argument generators (gen.c).
 */
#ifndef FUZZ_TEST_H
#define FUZZ_TEST_H

#include <pvguest/lib.h>

#define PTE_RW          (_PAGE_PRESENT | _PAGE_RW)
#define PTE_RO          _PAGE_PRESENT
#define PTE_TABLE       (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                         _PAGE_ACCESSED | _PAGE_DIRTY)

/* The fuzz region: kernel L4 slot 3, page tables the fuzzer owns. */
#define FUZZ_SLOT       3UL
#define FUZZ_VA         (FUZZ_SLOT << 39)

#define ARENA_PAGES     16
#define STRUCT_PAGES    4           /* the arena's first pages: arguments */
#define MAX_MC          8           /* entries of a generated multicall */

/* What to do with a call's result once it returns. */
enum post_kind {
    POST_NONE,
    POST_LIST,          /* new frames in list[first, result) */
    POST_EXCHANGE,      /* new frames in an exchange's output list */
    POST_VCPU_INFO,     /* vcpu_info moved to the V frame (if result 0) */
    POST_DOMCTL,        /* a created domain's id to remember */
};

struct call {
    unsigned long op;
    unsigned long args[6];
    bool restore;               /* may change state the kernel relies on */
    enum post_kind post;
    xen_pfn_t *list;            /* POST_LIST */
    unsigned long room;         /* elements of list that are ours */
    unsigned long first;
    unsigned int order;
    struct xen_memory_exchange *ex; /* POST_EXCHANGE */
    unsigned long ex_first;
    unsigned long vi_offset;    /* POST_VCPU_INFO */
    /* A generated multicall: its array and the calls in it. */
    struct multicall_entry *mc;
    struct call *sub;
    unsigned int nr_sub;
};

/* ---- the PRNG (fuzz.c) ---- */
uint64_t rnd(void);
unsigned long below(unsigned long n);
bool chance(unsigned int percent);

/* ---- pools (fuzz.c) ---- */
unsigned long any_int(void);        /* small, boundary and random numbers */
unsigned long any_count(void);      /* counts: 0, small, huge */
unsigned long any_ptr(void);        /* pointers: ours, read-only, bad */
unsigned long bad_ptr(void);        /* never accessible */
domid_t any_domid(void);            /* DOMID_SELF most of the time */
domid_t raw_domid(void);            /* any of the ids, evenly */
unsigned long wframe(void);         /* frames that may be written or
                                       given away (never the kernel's) */
unsigned long rframe(void);         /* wframe, page tables, the kernel's
                                       own frames: only to be referenced */
unsigned long ptframe(void);        /* page tables the fuzzer owns */
unsigned long bad_frame(void);      /* not RAM, or not ours */
unsigned long cr3_frame(void);      /* safe for MMUEXT_NEW_BASEPTR */
unsigned long vinfo_frame(void);    /* safe for VCPUOP_register_vcpu_info */
unsigned long any_va(void);         /* addresses that may be remapped */
uint64_t any_pte(void);
unsigned long any_content(void);    /* a word for a buffer */
bool is_protected(unsigned long mfn);
extern unsigned long fuzz_v_mfn;    /* the frame vcpu_info may move to */
extern unsigned long fuzz_kernel_l4;

/* ---- the arena (fuzz.c) ---- */
void *arena_alloc(size_t bytes);    /* NULL when full */
void fill_content(void *p, size_t bytes);
unsigned long arena_end(void);      /* first byte of the unmapped guard */
/* N elements of SIZE in the arena when they fit, else placed to run into
 * the guard page after *room of them (gen.c). */
void *arena_array(unsigned long n, size_t size, unsigned long *room);

/* ---- generators outside gen.c ---- */
struct call;
void gen_event_channel_op(struct call *c, bool top);   /* gen_ipc.c */
void gen_grant_table_op(struct call *c, bool top);     /* gen_ipc.c */
void gen_domctl(struct call *c, bool top);             /* gen_ctl.c */
void gen_sysctl(struct call *c, bool top);             /* gen_ctl.c */
void fuzz_note_domctl(const struct call *c, long result);
unsigned long pointer_zone(void);   /* where fuzzed pointers point */

/* ---- generators (gen.c) ---- */
void gen_call(struct call *c, bool top);
const char *op_name(unsigned long op);

#endif /* FUZZ_TEST_H */
