/* Shared by the grants conformance kernel's files. */
#ifndef GRANTS_H
#define GRANTS_H

#include <pvguest/lib.h>
#include <public/grant_table.h>

/* The grant references the kernel uses (all granted to ourselves). */
#define REF_RW      10          /* page_a, writable */
#define REF_RO      11          /* page_b, GTF_readonly */
#define REF_INVAL   12          /* GTF_invalid */
#define REF_OTHER   13          /* page_a, but granted to domain 5 */
#define REF_DST     14          /* page_c, writable */

extern struct grant_entry_v1 *gt;
extern char *page_a, *page_b, *page_c;
extern unsigned long mfn_a, mfn_b, mfn_c;
extern unsigned int nr_gt_entries;

long gop(unsigned int cmd, void *op, long count);
uint16_t gflags(unsigned int ref);
void grant(unsigned int ref, domid_t dom, unsigned long mfn, uint16_t flags);
void check_copy(void);
void check_cache_flush(void);
void check_smp(void);

#endif /* GRANTS_H */
