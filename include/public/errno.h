/*
 * Keel public ABI: error numbers.
 *
 * Hypercalls return 0 (or a documented non-negative value) on success and
 * -XEN_Exxx on failure.  The set and the numbers are those of Xen 4.17's
 * public errno.h, which took them from x86 Linux, so a Linux guest can pass
 * them on to its own callers unchanged.  Guests and conformance tests check
 * the exact values: they are part of the ABI.
 *
 * Plain #defines so that assembly and #if can use them too.
 */
#ifndef KEEL_PUBLIC_ERRNO_H
#define KEEL_PUBLIC_ERRNO_H

/*
 * X(name, number, meaning) for every error a guest can see, in ascending
 * order; handy for building name tables (XEN_ERRNO_LIST(MY_X)).
 */
#define XEN_ERRNO_LIST(X)                                                   \
    X(EPERM,          1, "operation not permitted")                         \
    X(ENOENT,         2, "no such entry")                                   \
    X(ESRCH,          3, "no such domain or process")                       \
    X(EIO,            5, "I/O error")                                       \
    X(ENXIO,          6, "no such device or address")                       \
    X(E2BIG,          7, "argument list too long")                          \
    X(ENOEXEC,        8, "exec format error")                               \
    X(EBADF,          9, "bad file number")                                 \
    X(ECHILD,        10, "no child processes")                              \
    X(EAGAIN,        11, "try again")                                       \
    X(ENOMEM,        12, "out of memory")                                   \
    X(EACCES,        13, "permission denied")                               \
    X(EFAULT,        14, "bad address")                                     \
    X(EBUSY,         16, "device or resource busy")                         \
    X(EEXIST,        17, "already exists")                                  \
    X(EXDEV,         18, "cross-device link")                               \
    X(ENODEV,        19, "no such device")                                  \
    X(ENOTDIR,       20, "not a directory")                                 \
    X(EISDIR,        21, "is a directory")                                  \
    X(EINVAL,        22, "invalid argument")                                \
    X(ENFILE,        23, "file table overflow")                             \
    X(EMFILE,        24, "too many open files")                             \
    X(ENOSPC,        28, "no space left")                                   \
    X(EROFS,         30, "read-only")                                       \
    X(EMLINK,        31, "too many links")                                  \
    X(EDOM,          33, "argument out of domain")                          \
    X(ERANGE,        34, "result out of range")                             \
    X(EDEADLK,       35, "resource deadlock would occur")                   \
    X(ENAMETOOLONG,  36, "name too long")                                   \
    X(ENOLCK,        37, "no record locks available")                       \
    X(ENOSYS,        38, "function not implemented")                        \
    X(ENOTEMPTY,     39, "not empty")                                       \
    X(ENODATA,       61, "no data available")                               \
    X(ETIME,         62, "timer expired")                                   \
    X(EBADMSG,       74, "not a data message")                              \
    X(EOVERFLOW,     75, "value too large")                                 \
    X(EILSEQ,        84, "illegal byte sequence")                           \
    X(ENOTSOCK,      88, "not a socket")                                    \
    X(EMSGSIZE,      90, "message too large")                               \
    X(EOPNOTSUPP,    95, "operation not supported")                         \
    X(EADDRINUSE,    98, "address already in use")                          \
    X(EADDRNOTAVAIL, 99, "cannot assign requested address")                 \
    X(ENOBUFS,      105, "no buffer space available")                       \
    X(EISCONN,      106, "already connected")                               \
    X(ENOTCONN,     107, "not connected")                                   \
    X(ETIMEDOUT,    110, "timed out")                                       \
    X(ECONNREFUSED, 111, "connection refused")

#define XEN_EPERM            1
#define XEN_ENOENT           2
#define XEN_ESRCH            3
#define XEN_EIO              5
#define XEN_ENXIO            6
#define XEN_E2BIG            7
#define XEN_ENOEXEC          8
#define XEN_EBADF            9
#define XEN_ECHILD          10
#define XEN_EAGAIN          11
#define XEN_ENOMEM          12
#define XEN_EACCES          13
#define XEN_EFAULT          14
#define XEN_EBUSY           16
#define XEN_EEXIST          17
#define XEN_EXDEV           18
#define XEN_ENODEV          19
#define XEN_ENOTDIR         20
#define XEN_EISDIR          21
#define XEN_EINVAL          22
#define XEN_ENFILE          23
#define XEN_EMFILE          24
#define XEN_ENOSPC          28
#define XEN_EROFS           30
#define XEN_EMLINK          31
#define XEN_EDOM            33
#define XEN_ERANGE          34
#define XEN_EDEADLK         35
#define XEN_ENAMETOOLONG    36
#define XEN_ENOLCK          37
#define XEN_ENOSYS          38
#define XEN_ENOTEMPTY       39
#define XEN_ENODATA         61
#define XEN_ETIME           62
#define XEN_EBADMSG         74
#define XEN_EOVERFLOW       75
#define XEN_EILSEQ          84
#define XEN_ENOTSOCK        88
#define XEN_EMSGSIZE        90
#define XEN_EOPNOTSUPP      95
#define XEN_EADDRINUSE      98
#define XEN_EADDRNOTAVAIL   99
#define XEN_ENOBUFS        105
#define XEN_EISCONN        106
#define XEN_ENOTCONN       107
#define XEN_ETIMEDOUT      110
#define XEN_ECONNREFUSED   111

#define XEN_EWOULDBLOCK     XEN_EAGAIN
#define XEN_EDEADLOCK       XEN_EDEADLK

/*
 * Used inside the hypervisor only; a guest never sees them.  EINTR would
 * mean an interrupted call and ERESTART one to be continued: both become
 * a continuation before the guest resumes.
 */
#define XEN_EINTR            4
#define XEN_ERESTART        85

#endif /* KEEL_PUBLIC_ERRNO_H */
