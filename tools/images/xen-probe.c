/* SPDX-License-Identifier: MIT */
/*
 * xen-probe: exercise dom0's Xen devices the way the toolstack will.
 *   privcmd  a hypercall (xen_version) through IOCTL_PRIVCMD_HYPERCALL
 *   evtchn   a loopback channel (unbound port + bind to it) and a notify
 *   grants   share a page with gntalloc, map it back with gntdev
 * Prints "xen-probe: ok <what>" / "xen-probe: FAIL <what>: ..." lines and
 * exits with the number of failures.  ioctl layouts: Linux's uapi
 * include/uapi/xen/{privcmd,evtchn,gntalloc,gntdev}.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

struct privcmd_hypercall { uint64_t op, arg[5]; };
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

struct evtchn_bind_unbound { unsigned int remote_domain; };
struct evtchn_bind_interdomain { unsigned int remote_domain, remote_port; };
struct evtchn_notify { unsigned int port; };
#define IOCTL_EVTCHN_BIND_INTERDOMAIN _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT _IOC(_IOC_NONE, 'E', 2, sizeof(struct evtchn_bind_unbound))
#define IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_notify))

struct gntalloc_alloc_gref { uint16_t domid, flags; uint32_t count; uint64_t index; uint32_t gref_ids[1]; };
#define IOCTL_GNTALLOC_ALLOC_GREF _IOC(_IOC_NONE, 'G', 5, sizeof(struct gntalloc_alloc_gref))
#define GNTALLOC_FLAG_WRITABLE 1
struct gntdev_grant_ref { uint32_t domid, ref; };
struct gntdev_map_grant_ref { uint32_t count, pad; uint64_t index; struct gntdev_grant_ref refs[1]; };
#define IOCTL_GNTDEV_MAP_GRANT_REF _IOC(_IOC_NONE, 'G', 0, sizeof(struct gntdev_map_grant_ref))

static int failures;

static void result(int ok, const char *what, const char *detail)
{
    if (ok)
        printf("xen-probe: ok %s\n", what);
    else {
        printf("xen-probe: FAIL %s: %s\n", what, detail);
        failures++;
    }
}

static void probe_privcmd(void)
{
    char detail[128];
    int fd = open("/dev/xen/privcmd", O_RDWR);
    if (fd < 0) {
        result(0, "privcmd hypercall", strerror(errno));
        return;
    }
    struct privcmd_hypercall h = { .op = 17 /* xen_version */, .arg = { 0 /* XENVER_version */ } };
    long v = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    unsigned int major = 0, minor = 0;
    FILE *f = fopen("/sys/hypervisor/version/major", "r");
    if (f) { if (fscanf(f, "%u", &major) != 1) major = 0; fclose(f); }
    f = fopen("/sys/hypervisor/version/minor", "r");
    if (f) { if (fscanf(f, "%u", &minor) != 1) minor = 0; fclose(f); }
    snprintf(detail, sizeof(detail), "got %#lx, /sys/hypervisor says %u.%u", v, major, minor);
    printf("xen-probe: xen_version via privcmd = %ld.%ld\n", v >> 16, v & 0xffff);
    result(v > 0 && (unsigned long)v == ((major << 16) | minor), "privcmd hypercall", detail);
    /* An unknown hypercall must come back as -ENOSYS, not take anything down. */
    struct privcmd_hypercall bad = { .op = 63 };
    long r = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &bad);
    snprintf(detail, sizeof(detail), "rc %ld errno %d", r, errno);
    result(r == -1 && errno == ENOSYS, "privcmd unknown hypercall -> ENOSYS", detail);
    close(fd);
}

static void probe_evtchn(void)
{
    char detail[128];
    int fd = open("/dev/xen/evtchn", O_RDWR);
    if (fd < 0) {
        result(0, "evtchn loopback", strerror(errno));
        return;
    }
    struct evtchn_bind_unbound u = { .remote_domain = 0 };
    int a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &u);
    struct evtchn_bind_interdomain b = { .remote_domain = 0, .remote_port = (unsigned int)a };
    int bport = a > 0 ? ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b) : -1;
    /* Drain the notification bind_interdomain raises on the new port. */
    struct pollfd p = { .fd = fd, .events = POLLIN };
    unsigned int got[8];
    while (poll(&p, 1, 200) > 0) {
        ssize_t n = read(fd, got, sizeof(got));
        if (n > 0 && write(fd, got, n) != n)
            break;
        if (n <= 0)
            break;
    }
    struct evtchn_notify nt = { .port = (unsigned int)a };
    int rc = bport > 0 ? ioctl(fd, IOCTL_EVTCHN_NOTIFY, &nt) : -1;
    int seen = 0;
    if (rc == 0 && poll(&p, 1, 2000) > 0) {
        ssize_t n = read(fd, got, sizeof(got));
        for (ssize_t i = 0; i < n / (ssize_t)sizeof(got[0]); i++)
            if (got[i] == (unsigned int)bport)
                seen = 1;
    }
    snprintf(detail, sizeof(detail), "unbound %d bound %d notify %d seen %d", a, bport, rc, seen);
    result(seen, "evtchn loopback notify", detail);
    close(fd);
}

static void probe_grants(void)
{
    char detail[160];
    int ga = open("/dev/xen/gntalloc", O_RDWR), gd = open("/dev/xen/gntdev", O_RDWR);
    if (ga < 0 || gd < 0) {
        result(0, "grant share + map", strerror(errno));
        return;
    }
    struct gntalloc_alloc_gref al = { .domid = 0, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1 };
    int rc = ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &al);
    char *src = rc == 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ga, (off_t)al.index) : MAP_FAILED;
    if (src != MAP_FAILED)
        strcpy(src, "shared through a grant");
    struct gntdev_map_grant_ref mp = { .count = 1, .refs = { { .domid = 0, .ref = al.gref_ids[0] } } };
    int rc2 = src != MAP_FAILED ? ioctl(gd, IOCTL_GNTDEV_MAP_GRANT_REF, &mp) : -1;
    char *dst = rc2 == 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, gd, (off_t)mp.index) : MAP_FAILED;
    int same = dst != MAP_FAILED && !strcmp(dst, "shared through a grant");
    if (same) {
        strcpy(dst, "written back");
        same = !strcmp(src, "written back");
    }
    snprintf(detail, sizeof(detail), "alloc %d gref %u map %d mmap %s", rc, al.gref_ids[0], rc2,
             dst == MAP_FAILED ? strerror(errno) : "ok");
    result(same, "grant share (gntalloc) + map (gntdev), both directions", detail);
    if (dst != MAP_FAILED)
        munmap(dst, 4096);
    if (src != MAP_FAILED)
        munmap(src, 4096);
    close(gd);
    close(ga);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    probe_privcmd();
    probe_evtchn();
    probe_grants();
    printf("xen-probe: %d failure%s\n", failures, failures == 1 ? "" : "s");
    return failures;
}
