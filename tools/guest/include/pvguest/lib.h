/*
 * The PV guest runtime's API: start of day, console and printf, trap
 * handling with an exception fixup table, memory helpers, user mode and
 * test result reporting.  A test kernel defines test_main() and links
 * against libpvguest.a; see tools/guest/README for the shape of one.
 */
#ifndef PVGUEST_LIB_H
#define PVGUEST_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pvguest/abi.h>
#include <pvguest/hypercall.h>

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define __used          __attribute__((used))
#define __noreturn      __attribute__((noreturn))
#define __aligned(n)    __attribute__((aligned(n)))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
#define barrier()       asm volatile ( "" ::: "memory" )

/* ---- start of day (head.S, setup.c) ----------------------------------- */
extern struct start_info *pv_start_info;
extern struct shared_info *pv_shared_info;
extern char _text[], _etext[], _end[];

/* The test kernel's body; returns when every case has run. */
void test_main(void);
/* A short name for the banner and the result line. */
extern const char test_name[];

/* ---- strings (string.c) ---------------------------------------------- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *h, const char *n);
void *memmove(void *d, const void *s, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);

/* ---- heap (malloc.c; also declared by <stdlib.h> in include/libc) ---- */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

/* ---- console (console.c) -------------------------------------------- */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);
void pv_console_write(const char *s, size_t len);

/* ---- results (test.c) ---------------------------------------------- */
extern unsigned int test_nr_pass, test_nr_fail, test_nr_skip;
extern bool test_error;

void test_pass(const char *name);
void test_fail(const char *name, const char *fmt, ...) __printf(2, 3);
void test_skip(const char *name, const char *reason);
/* An unexpected condition in the test itself: the result becomes ERROR. */
void test_abort(const char *fmt, ...) __printf(1, 2) __noreturn;
void __noreturn test_finish(void);
void __noreturn pv_shutdown(unsigned int reason);
/* Is the hypervisor Keel (its extraversion says so), not Xen? */
bool pv_on_keel(void);
/* The host's free pages (sysctl physinfo: dom0 only; aborts otherwise). */
unsigned long pv_host_free_pages(void);

/* Checks: each counts one case, named by the caller's text and location. */
bool test_check_eq(const char *file, int line, const char *what,
                   unsigned long expected, unsigned long actual);
bool test_check_true(const char *file, int line, const char *what, bool ok);

#define CHECK_EQ(exp, act)                                              \
    test_check_eq(__FILE__, __LINE__, #act " == " #exp,                 \
                  (unsigned long)(exp), (unsigned long)(act))
#define CHECK_RC(exp, act)  CHECK_EQ((long)(exp), (long)(act))
#define CHECK(cond)                                                     \
    test_check_true(__FILE__, __LINE__, #cond, (cond))

/* ---- traps (traps.c, entry.S) ------------------------------------ */

/* Register state saved by the entry stubs, lowest address first. */
struct pv_regs {
    unsigned long r15, r14, r13, r12, rbp, rbx, r10, r9, r8;
    unsigned long rdx, rsi, rdi, rax;
    unsigned long vector;
    /* The bounce frame Xen wrote (error code 0 when the vector has none). */
    unsigned long rcx, r11, error_code, rip, cs, rflags, rsp, ss;
};

/* What the last fault caught by a fixup looked like. */
struct pv_fault {
    int vector;                         /* -1: none */
    unsigned long error_code;
    unsigned long cr2;                  /* vcpu_info.arch.cr2 on #PF */
    unsigned long frame_addr;           /* where the bounce frame was */
    bool had_error_code;
    struct pv_regs regs;
};

extern struct pv_fault pv_last_fault;
extern unsigned int pv_vectors_seen[256];

/*
 * PV_TRY(asm text, outputs, inputs, clobbers): run the instructions; a
 * fault or trap raised by them resumes after them, recorded in
 * pv_last_fault (vector -1 when nothing was raised).
 */
#define PV_TRY(insns, ...)                                              \
    do {                                                                \
        pv_last_fault.vector = -1;                                      \
        asm volatile ( "1:\n\t" insns "\n2:\n\t"                        \
                       ".pushsection .pv_fixup, \"a\"\n\t"              \
                       ".balign 8\n\t.quad 1b, 2b\n\t.popsection"       \
                       __VA_ARGS__ );                                   \
    } while ( 0 )

/*
 * PV_TRY_THEN(asm text, asm after, outputs, inputs, clobbers): as PV_TRY,
 * and the second text runs after the guarded instructions whether they
 * faulted or not (e.g. to restore a stack pointer a fault left changed).
 */
#define PV_TRY_THEN(insns, after, ...)                                  \
    do {                                                                \
        pv_last_fault.vector = -1;                                      \
        asm volatile ( "1:\n\t" insns "\n2:\n\t" after "\n\t"          \
                       ".pushsection .pv_fixup, \"a\"\n\t"              \
                       ".balign 8\n\t.quad 1b, 2b\n\t.popsection"       \
                       __VA_ARGS__ );                                   \
    } while ( 0 )

typedef bool (*pv_trap_handler_t)(struct pv_regs *regs);

void pv_traps_init(void);
/* Fill a trap_info for VECTOR with DPL and flags, pointing at our stub. */
void pv_trap_entry(struct trap_info *ti, unsigned int vector,
                   unsigned int flags);
/* Install the default table with these DPL overrides (vector, flags). */
long pv_set_trap_flags(unsigned int vector, unsigned int flags);
long pv_reload_trap_table(void);
extern struct trap_info pv_trap_table[257];
extern unsigned long pv_trap_stub_addr(unsigned int vector);
void pv_trap_dispatch(struct pv_regs *regs);
/* A handler that wants a vector first; returns true if it handled it. */
void pv_set_trap_handler(unsigned int vector, pv_trap_handler_t fn);
void pv_iret_to(struct pv_regs *regs) __noreturn;
void pv_event_dispatch(struct pv_regs *regs);
extern unsigned long pv_nr_upcalls, pv_nr_failsafe;

/*
 * The failsafe callback: the selectors Xen put in its frame (DS, ES, FS,
 * GS, in that order) are kept in pv_failsafe_sels before the frame is
 * normalised; a hook, when set, sees the callback first (regs->vector is
 * 257) and returns true if it handled it (it may rewrite the frame, e.g.
 * to resume elsewhere).
 */
extern unsigned long pv_failsafe_sels[4];
extern pv_trap_handler_t pv_failsafe_hook;

extern char pv_entry_event[], pv_entry_failsafe[], pv_entry_syscall[];
extern char pv_entry_syscall32[], pv_entry_sysenter[];

/* ---- memory (mm.c) ---------------------------------------------------- */
extern unsigned long *pv_p2m;           /* start_info.mfn_list */
extern const unsigned long *pv_m2p;     /* read-only M2P */
extern unsigned long pv_virt_start;     /* VIRT_BASE */
extern unsigned long pv_nr_boot_pfns;   /* pfns mapped at start of day */
extern unsigned long pv_first_free_pfn;
extern unsigned long pv_kernel_l4_mfn;

void pv_mm_init(void);
unsigned long pfn_to_mfn(unsigned long pfn);
unsigned long mfn_to_pfn(unsigned long mfn);
void *pfn_to_virt(unsigned long pfn);
unsigned long virt_to_pfn(const void *va);
unsigned long virt_to_mfn(const void *va);
/* VA (in the boot mapping) of a machine frame we own, or NULL. */
void *mfn_to_virt(unsigned long mfn);
/* A zeroed page from the free pfns, mapped writable; NULL when none. */
void *pv_alloc_page(void);
unsigned long pv_nr_free_pages(void);
/* Change the mapping of VA (update_va_mapping with UVMF_INVLPG). */
long pv_map_va(unsigned long va, unsigned long mfn, unsigned long flags);
long pv_unmap_va(unsigned long va);
long pv_set_page_ro(void *va);
long pv_set_page_rw(void *va);
/* Machine address of the entry mapping VA at LEVEL (1-4); 0 if absent. */
uint64_t pv_pte_maddr(unsigned long va, int level);
/* The entry itself (0 if a level above is absent). */
uint64_t pv_pte_read(unsigned long va, int level);
/* A VA not in use for anything, with an L1 table behind it. */
unsigned long pv_scratch_va(unsigned int idx);

/*
 * Windows onto other domains' frames (foreign.c): a page of our own whose
 * mapping can be pointed at a frame of domain domid, and back.
 */
void *pv_foreign_window(void);
long pv_foreign_map(void *win, uint16_t domid, unsigned long mfn,
                    bool writable);
long pv_foreign_unmap(void *win);
/* A window no longer used (showing our own frame again), for reuse. */
void pv_foreign_window_put(void *win);
/* A recycled window showing frame mfn of domid (NULL on failure), and
 * its end: our own frame back, the window back on the list. */
void *pv_foreign_map_window(uint16_t domid, unsigned long mfn,
                            bool writable);
void pv_foreign_unmap_window(void *win);
#define PV_NR_SCRATCH   8
long pv_pin(unsigned int cmd, unsigned long mfn);
long pv_unpin(unsigned long mfn);
long pv_mmuext1(unsigned int cmd, unsigned long arg1, unsigned long arg2);
long pv_mmu_update1(uint64_t ptr, uint64_t val);
unsigned long read_cr3(void);

/* ---- user mode (user.c) --------------------------------------------- */
struct pv_user_exit {
    bool by_syscall;                    /* else: a trap from user mode */
    uint8_t mask;                       /* upcall mask on kernel entry */
    unsigned long vector;               /* for traps */
    unsigned long frame_addr;           /* kernel stack address of frame */
    struct pv_regs regs;
};

typedef long (*pv_user_fn_t)(long arg);
void pv_user_init(void);
/* Run FN(ARG) in guest user mode; returns when user mode syscalls or
 * traps to the kernel, and fills *EXIT.  FN's return value arrives in
 * rax of a final SYSCALL. */
void pv_run_user(pv_user_fn_t fn, long arg, struct pv_user_exit *exit);
/* Top of the kernel stack given to stack_switch for user-mode entries. */
extern unsigned long pv_user_kstack_top;
/* The user L4 installed with MMUEXT_NEW_USER_BASEPTR. */
extern unsigned long pv_user_l4_mfn;
bool pv_user_active(void);
void pv_user_trap(struct pv_regs *regs, bool by_syscall) __noreturn;

/* ---- small helpers ---------------------------------------------------- */
/*
 * vCPU 0's vcpu_info: in shared_info until a test moves it with
 * VCPUOP_register_vcpu_info, which must then update this pointer.
 */
extern struct vcpu_info *volatile pv_vcpu_info;

static inline uint8_t vcpu_mask(void)
{
    return pv_vcpu_info->evtchn_upcall_mask;
}

static inline void vcpu_set_mask(uint8_t m)
{
    pv_vcpu_info->evtchn_upcall_mask = m;
    barrier();
}

#endif /* PVGUEST_LIB_H */
