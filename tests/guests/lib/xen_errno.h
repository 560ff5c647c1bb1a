/* SPDX-License-Identifier: MIT */
/*
 * Error numbers returned (negated) by hypercalls.  The Xen ABI fixes them to
 * the Linux/x86 values (Xen's public errno.h lists the same numbers), so a
 * guest can compare hypercall results against these constants whatever
 * hypervisor implements the ABI.
 */
#ifndef XTEST_XEN_ERRNO_H
#define XTEST_XEN_ERRNO_H

#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EINTR    4
#define EIO      5
#define ENXIO    6
#define E2BIG    7
#define EBADF    9
#define EAGAIN  11
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EXDEV   18
#define ENODEV  19
#define EINVAL  22
#define ENFILE  23
#define ENOSPC  28
#define ERANGE  34
#define ENOSYS  38
#define ENODATA 61
#define ETIME   62
#define EOPNOTSUPP 95
#define EALREADY 114

#endif /* XTEST_XEN_ERRNO_H */
