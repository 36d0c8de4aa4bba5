/*
 * Helpers shared by the memory-management unit tests: a host arena that
 * stands in for machine memory, and a death test for code that must panic.
 */
#ifndef KEEL_TEST_MM_HELPERS_H
#define KEEL_TEST_MM_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include <keel/types.h>
#include <keel/lib.h>
#include <keel/mm.h>
#include <asm/page.h>

/*
 * Machine frames [first_mfn, first_mfn + nr) backed by host memory, and a
 * frame table for [0, table_pages).  table_pages may exceed the arena for
 * tests that never touch frame contents (MEMF_no_scrub).
 */
struct arena {
    unsigned char *mem;
    unsigned long first_mfn, nr;
    struct page_info *ft;
};

static void arena_init(struct arena *a, unsigned long first_mfn,
                       unsigned long nr, unsigned long table_pages)
{
    a->first_mfn = first_mfn;
    a->nr = nr;
    a->mem = nr ? aligned_alloc(PAGE_SIZE, nr * PAGE_SIZE) : NULL;
    if ( nr && !a->mem )
        abort();
    if ( nr )
        memset(a->mem, 0x5a, nr * PAGE_SIZE);   /* "old data" */
    stub_directmap_base = (unsigned char *)
        ((uintptr_t)a->mem - first_mfn * PAGE_SIZE);
    a->ft = calloc(table_pages ? table_pages : 1, sizeof(struct page_info));
    if ( !a->ft )
        abort();
    frame_table_setup(a->ft, table_pages);
}

static void arena_fini(struct arena *a)
{
    free(a->mem);
    free(a->ft);
    a->mem = NULL;
    a->ft = NULL;
}

static bool page_is_filled(unsigned long mfn, unsigned char c)
{
    const unsigned char *p = mfn_to_virt(_mfn(mfn));
    size_t i;

    for ( i = 0; i < PAGE_SIZE; i++ )
        if ( p[i] != c )
            return false;
    return true;
}

/*
 * Run fn(arg) in a child; true iff it died by abort() (our panic()) having
 * written `expect` to stderr.
 */
static bool dies_with(void (*fn)(void *), void *arg, const char *expect)
{
    char buf[4096];
    size_t len = 0;
    ssize_t n;
    int fds[2], status;
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    if ( pipe(fds) )
        return false;
    pid = fork();
    if ( pid == 0 )
    {
        dup2(fds[1], 2);
        close(fds[0]);
        fn(arg);
        _exit(0);
    }
    close(fds[1]);
    while ( (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0 )
        len += (size_t)n;
    buf[len] = '\0';
    close(fds[0]);
    if ( waitpid(pid, &status, 0) != pid )
        return false;
    if ( !WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT )
    {
        fprintf(stderr, "death test: child did not abort\n");
        return false;
    }
    if ( !strstr(buf, expect) )
    {
        fprintf(stderr, "death test: expected \"%s\", got \"%s\"\n",
                expect, buf);
        return false;
    }
    return true;
}

/* Free blocks per order, read back through page_alloc_dump(). */
static void free_blocks(unsigned long blocks[MAX_ORDER + 1])
{
    const char *p;

    memset(blocks, 0, sizeof(unsigned long) * (MAX_ORDER + 1));
    stub_printk_reset();
    page_alloc_dump();
    for ( p = stub_printk_buf; (p = strstr(p, "order ")) != NULL; p++ )
    {
        unsigned int order;
        unsigned long n;

        if ( sscanf(p, "order %u: %lu blocks", &order, &n) == 2 &&
             order <= MAX_ORDER )
            blocks[order] = n;
    }
}

static unsigned long blocks_at(unsigned int order)
{
    unsigned long b[MAX_ORDER + 1];

    free_blocks(b);
    return b[order];
}

/* Deterministic generator, so failures reproduce. */
static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void shuffle(unsigned long *v, unsigned long n)
{
    unsigned long i;

    for ( i = n; i > 1; i-- )
    {
        unsigned long j = rng() % i, t = v[i - 1];

        v[i - 1] = v[j];
        v[j] = t;
    }
}

#endif /* KEEL_TEST_MM_HELPERS_H */
