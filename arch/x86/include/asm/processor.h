/*
 * One-instruction wrappers for control registers, MSRs, CPUID, TSC and
 * descriptor-table loads.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <keel/types.h>
#include <asm/x86-defs.h>
#include <keel/spinlock.h>      /* cpu_relax() */

struct cpuid_regs { uint32_t a, b, c, d; };

static inline void cpuid_count(uint32_t leaf, uint32_t sub,
                               struct cpuid_regs *r)
{
    __asm__ __volatile__ ( "cpuid"
                           : "=a" (r->a), "=b" (r->b), "=c" (r->c), "=d" (r->d)
                           : "0" (leaf), "2" (sub) );
}

static inline uint32_t cpuid_eax(uint32_t leaf)
{
    struct cpuid_regs r;

    cpuid_count(leaf, 0, &r);
    return r.a;
}

static inline uint32_t cpuid_edx(uint32_t leaf)
{
    struct cpuid_regs r;

    cpuid_count(leaf, 0, &r);
    return r.d;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) );
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__ ( "wrmsr" :: "c" (msr), "a" ((uint32_t)v),
                           "d" ((uint32_t)(v >> 32)) : "memory" );
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__ ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                          \
static inline unsigned long read_cr##n(void)                            \
{                                                                       \
    unsigned long v;                                                    \
    __asm__ __volatile__ ( "mov %%cr" #n ", %0" : "=r" (v) );          \
    return v;                                                           \
}                                                                       \
static inline void write_cr##n(unsigned long v)                         \
{                                                                       \
    __asm__ __volatile__ ( "mov %0, %%cr" #n :: "r" (v) : "memory" );  \
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void xsetbv(uint32_t idx, uint64_t v)
{
    __asm__ __volatile__ ( "xsetbv" :: "c" (idx), "a" ((uint32_t)v),
                           "d" ((uint32_t)(v >> 32)) );
}

struct __packed desc_ptr {
    uint16_t limit;
    uint64_t base;
};

static inline void lgdt(const struct desc_ptr *p)
{
    __asm__ __volatile__ ( "lgdt %0" :: "m" (*p) );
}

static inline void lidt(const struct desc_ptr *p)
{
    __asm__ __volatile__ ( "lidt %0" :: "m" (*p) );
}

static inline void ltr(uint16_t sel)
{
    __asm__ __volatile__ ( "ltr %0" :: "rm" (sel) );
}

static inline void invlpg(const void *va)
{
    __asm__ __volatile__ ( "invlpg (%0)" :: "r" (va) : "memory" );
}

static inline void wbinvd(void)
{
    __asm__ __volatile__ ( "wbinvd" ::: "memory" );
}

static inline void halt(void)
{
    __asm__ __volatile__ ( "hlt" ::: "memory" );
}

static inline void local_irq_disable(void)
{
    __asm__ __volatile__ ( "cli" ::: "memory" );
}

static inline void local_irq_enable(void)
{
    __asm__ __volatile__ ( "sti" ::: "memory" );
}

static inline void safe_halt(void)
{
    __asm__ __volatile__ ( "sti; hlt" ::: "memory" );
}

static inline unsigned long local_save_flags(void)
{
    unsigned long f;

    __asm__ __volatile__ ( "pushf; pop %0" : "=r" (f) );
    return f;
}

static inline bool local_irq_is_enabled(void)
{
    return local_save_flags() & X86_EFLAGS_IF;
}

static inline unsigned long local_irq_save(void)
{
    unsigned long f = local_save_flags();

    local_irq_disable();
    return f;
}

static inline void local_irq_restore(unsigned long f)
{
    if ( f & X86_EFLAGS_IF )
        local_irq_enable();
}

#endif /* ASM_PROCESSOR_H */
