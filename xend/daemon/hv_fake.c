/* SPDX-License-Identifier: MIT */
/* The fake hypervisor for hosted tests (contract in hv_fake.h). */
#include "hv.h"
#include "hv_fake.h"
#include "../common/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct fake_dom {
    uint8_t uuid[16];
    unsigned long long memory_kb, maxmem_kb;
    unsigned int vcpus, max_vcpus;
    int paused;
};

static const char *fake_dir(void)
{
    const char *d = getenv("XEND_FAKE_DIR");
    return d && *d ? d : "/var/lib/xend/fake-hv";
}

static unsigned long long env_mib(const char *name, unsigned long long def)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : def;
}

static void fake_path(char *buf, size_t size, const char *what, uint32_t domid)
{
    snprintf(buf, size, "%s/%s-%u", fake_dir(), what, domid);
}

/* Write text to path atomically (rename), so readers never see half a file. */
static int write_atomic(const char *path, const char *text)
{
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -errno;
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) < 0) {
        int e = errno ? errno : EIO;
        unlink(tmp);
        return -e;
    }
    return 0;
}

static int read_dom(uint32_t domid, struct fake_dom *d)
{
    char path[4096], key[32], hex[40];
    unsigned long long v;

    fake_path(path, sizeof(path), "dom", domid);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? -ESRCH : -errno;
    memset(d, 0, sizeof(*d));
    while (fscanf(f, "%31s", key) == 1) {
        if (!strcmp(key, "uuid")) {
            if (fscanf(f, "%39s", hex) != 1 || strlen(hex) != 32)
                break;
            for (int i = 0; i < 16; i++) {
                unsigned int b;
                sscanf(hex + 2 * i, "%2x", &b);
                d->uuid[i] = (uint8_t)b;
            }
            continue;
        }
        if (fscanf(f, "%llu", &v) != 1)
            break;
        if (!strcmp(key, "memory_kb"))
            d->memory_kb = v;
        else if (!strcmp(key, "maxmem_kb"))
            d->maxmem_kb = v;
        else if (!strcmp(key, "vcpus"))
            d->vcpus = (unsigned int)v;
        else if (!strcmp(key, "max_vcpus"))
            d->max_vcpus = (unsigned int)v;
        else if (!strcmp(key, "paused"))
            d->paused = (int)v;
    }
    fclose(f);
    return 0;
}

static int write_dom(uint32_t domid, const struct fake_dom *d)
{
    char path[4096], text[512], hex[33];

    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", d->uuid[i]);
    snprintf(text, sizeof(text), "uuid %s\nmemory_kb %llu\nmaxmem_kb %llu\nvcpus %u\nmax_vcpus %u\npaused %d\n",
             hex, d->memory_kb, d->maxmem_kb, d->vcpus, d->max_vcpus, d->paused);
    fake_path(path, sizeof(path), "dom", domid);
    return write_atomic(path, text);
}

/*
 * xend and the fake guest (another process) both change a domain's state
 * file; each read-modify-write holds this lock so that neither undoes the
 * other's change.  Returns the lock's fd or -errno.
 */
static int state_lock(void)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/lock", fake_dir());
    int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    if (flock(fd, LOCK_EX) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* Read domid's state, let change() edit it, write it back, all under the lock. */
static int update_dom(uint32_t domid, void (*change)(struct fake_dom *d, unsigned long long arg),
                      unsigned long long arg)
{
    struct fake_dom d;
    int lk = state_lock();
    if (lk < 0)
        return lk;
    int rc = read_dom(domid, &d);
    if (rc == 0) {
        change(&d, arg);
        rc = write_dom(domid, &d);
    }
    close(lk);
    return rc;
}

static void set_vcpus_field(struct fake_dom *d, unsigned long long v) { d->vcpus = (unsigned int)v; }
static void set_paused_field(struct fake_dom *d, unsigned long long v) { d->paused = (int)v; }
static void set_maxmem_field(struct fake_dom *d, unsigned long long v) { d->maxmem_kb = v; }

/* SHUTDOWN_* code of domid, or -1 while it runs. */
static int read_shutdown(uint32_t domid)
{
    char path[4096];
    int reason = -1;

    fake_path(path, sizeof(path), "shutdown", domid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (fscanf(f, "%d", &reason) != 1)
        reason = 3;
    fclose(f);
    return reason;
}

/* Tell a hosted xenstored about domid's state (state-N) and raise its VIRQ_DOM_EXC. */
static void rings_state(uint32_t domid, const char *state)
{
    const char *rings = getenv("XEND_FAKE_RINGS");
    char path[4096];

    if (!rings || !*rings)
        return;
    snprintf(path, sizeof(path), "%s/state-%u", rings, domid);
    if (write_atomic(path, state) < 0)
        fprintf(stderr, "xend fake hv: dom%u: cannot write %s: %s\n", domid, path, strerror(errno));
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/xenstored-evtchn", rings);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (sendto(fd, "virq", 4, MSG_DONTWAIT, (struct sockaddr *)&a, sizeof(a)) < 0)
        fprintf(stderr, "xend fake hv: dom%u: cannot kick xenstored at %s: %s\n", domid, a.sun_path,
                strerror(errno));
    close(fd);
}

static int make_ring(uint32_t domid)
{
    const char *rings = getenv("XEND_FAKE_RINGS");
    char path[4096];

    if (!rings || !*rings)
        return 0;
    snprintf(path, sizeof(path), "%s/state-%u", rings, domid);
    unlink(path);
    snprintf(path, sizeof(path), "%s/ring-%u", rings, domid);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    int rc = ftruncate(fd, 4096) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

int hv_fake_shutdown(uint32_t domid, unsigned int reason, char *err, size_t errlen)
{
    struct fake_dom d;
    char path[4096], text[16];

    int rc = read_dom(domid, &d);
    if (rc < 0) {
        snprintf(err, errlen, "fake domain %u: %s", domid, strerror(-rc));
        return rc;
    }
    fake_path(path, sizeof(path), "shutdown", domid);
    snprintf(text, sizeof(text), "%u\n", reason);
    rc = write_atomic(path, text);
    if (rc < 0) {
        snprintf(err, errlen, "fake domain %u: cannot write %s: %s", domid, path, strerror(-rc));
        return rc;
    }
    rings_state(domid, "shutdown");
    return 0;
}

int hv_fake_set_vcpus(uint32_t domid, unsigned int online, char *err, size_t errlen)
{
    struct fake_dom d;
    int rc = read_dom(domid, &d);
    if (rc < 0) {
        snprintf(err, errlen, "fake domain %u: %s", domid, strerror(-rc));
        return rc;
    }
    if (online < 1 || online > d.max_vcpus) {
        snprintf(err, errlen, "fake domain %u: %u vCPUs online is outside 1..%u", domid, online, d.max_vcpus);
        return -EINVAL;
    }
    if ((rc = update_dom(domid, set_vcpus_field, online)) < 0)
        snprintf(err, errlen, "fake domain %u: cannot write its state: %s", domid, strerror(-rc));
    return rc;
}

static unsigned long long used_kb(void)
{
    unsigned long long sum = env_mib("XEND_FAKE_DOM0_MEMORY", 512) * 1024;
    DIR *dir = opendir(fake_dir());
    struct dirent *e;

    if (!dir)
        return sum;
    while ((e = readdir(dir))) {
        unsigned int id;
        char extra;
        struct fake_dom d;
        if (sscanf(e->d_name, "dom-%u%c", &id, &extra) == 1 && read_dom(id, &d) == 0)
            sum += d.memory_kb;
    }
    closedir(dir);
    return sum;
}

/* What the real builder would refuse: an unreadable or non-kernel file. */
static int check_file(struct hv *h, const char *what, const char *path, bool kernel)
{
    unsigned char head[0x210];
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        int e = errno;
        hv_set_error(h, "%s %s: %s", what, path, strerror(e));
        return -e;
    }
    ssize_t n = read(fd, head, sizeof(head));
    close(fd);
    if (!kernel)
        return 0;
    bool elf = n >= 4 && !memcmp(head, "\177ELF", 4);
    bool bz = n >= 0x206 && !memcmp(head + 0x202, "HdrS", 4);
    if (!elf && !bz) {
        hv_set_error(h, "%s %s: not an ELF file or a bzImage", what, path);
        return -ENOEXEC;
    }
    return 0;
}

static int fake_build(struct hv *h, const struct hv_build *b, struct hv_built *out)
{
    char path[4096], text[32];
    unsigned long long total = env_mib("XEND_FAKE_MEMORY", 4096) * 1024, used = used_kb();
    unsigned int domid = 1;
    int rc;

    if ((rc = check_file(h, "kernel", b->kernel, true)) < 0)
        return rc;
    if (b->ramdisk && (rc = check_file(h, "ramdisk", b->ramdisk, false)) < 0)
        return rc;
    if (b->memory_kb > total - (used < total ? used : total)) {
        hv_set_error(h, "not enough free memory: %llu KiB wanted, %llu KiB free",
                     (unsigned long long)b->memory_kb, total > used ? total - used : 0);
        return -ENOMEM;
    }
    snprintf(path, sizeof(path), "%s/next-domid", fake_dir());
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%u", &domid) != 1 || domid == 0)
            domid = 1;
        fclose(f);
    }
    snprintf(text, sizeof(text), "%u\n", domid + 1);
    if ((rc = write_atomic(path, text)) < 0) {
        hv_set_error(h, "cannot write %s: %s", path, strerror(-rc));
        return rc;
    }
    struct fake_dom d = { .memory_kb = b->memory_kb, .maxmem_kb = b->maxmem_kb,
                          .vcpus = b->vcpus, .max_vcpus = b->max_vcpus, .paused = 1 };
    memcpy(d.uuid, b->uuid, 16);
    if ((rc = make_ring(domid)) < 0 || (rc = write_dom(domid, &d)) < 0) {
        hv_set_error(h, "fake domain %u: cannot write its state: %s", domid, strerror(-rc));
        return rc;
    }
    out->domid = domid;
    out->store_mfn = 0x10000 + domid;
    out->store_port = 1;
    out->console_mfn = 0x20000 + domid;
    out->console_port = 2;
    return 0;
}

static int fake_destroy(struct hv *h, uint32_t domid)
{
    char path[4096];
    struct fake_dom d;

    /* Under the lock: the fake guest's read-modify-write of the state file
       (vCPUs) must not write a destroyed domain back into existence. */
    int lk = state_lock();
    if (lk < 0) {
        hv_set_error(h, "domain %u: locking %s: %s", domid, fake_dir(), strerror(-lk));
        return lk;
    }
    if (domid == 0 || read_dom(domid, &d) < 0) {
        close(lk);
        hv_set_error(h, "domain %u: no such domain", domid);
        return -ESRCH;
    }
    fake_path(path, sizeof(path), "dom", domid);
    unlink(path);
    fake_path(path, sizeof(path), "shutdown", domid);
    unlink(path);
    close(lk);
    rings_state(domid, "dead");
    return 0;
}

static int set_paused(struct hv *h, uint32_t domid, int paused)
{
    int rc = domid ? update_dom(domid, set_paused_field, (unsigned long long)paused) : -EPERM;

    if (rc < 0)
        hv_set_error(h, "domain %u: %s", domid, strerror(-rc));
    return rc;
}

static int fake_pause(struct hv *h, uint32_t domid)
{
    return set_paused(h, domid, 1);
}

static int fake_unpause(struct hv *h, uint32_t domid)
{
    return set_paused(h, domid, 0);
}

static void dom0_info(struct hv_dominfo *o)
{
    memset(o, 0, sizeof(*o));
    o->running = true;
    o->tot_kb = o->max_kb = env_mib("XEND_FAKE_DOM0_MEMORY", 512) * 1024;
    o->online_vcpus = o->max_vcpus = 1;
}

static int fake_getinfo(struct hv *h, uint32_t domid, struct hv_dominfo *o)
{
    struct fake_dom d;

    if (domid == 0) {
        dom0_info(o);
        return 0;
    }
    int rc = read_dom(domid, &d);
    if (rc < 0) {
        hv_set_error(h, "domain %u: %s", domid, strerror(-rc));
        return rc;
    }
    memset(o, 0, sizeof(*o));
    o->domid = domid;
    o->paused = d.paused;
    int reason = read_shutdown(domid);
    o->shutdown = reason >= 0;
    o->shutdown_reason = reason >= 0 ? (unsigned int)reason : 0;
    /* An idle guest: blocked unless paused or shut down. */
    o->blocked = !o->paused && !o->shutdown;
    o->tot_kb = d.memory_kb;
    o->max_kb = d.maxmem_kb;
    o->online_vcpus = d.vcpus;
    o->max_vcpus = d.max_vcpus;
    memcpy(o->handle, d.uuid, 16);
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int fake_list(struct hv *h, struct hv_dominfo *out, unsigned int max)
{
    uint32_t ids[HV_MAX_DOMAINS];
    unsigned int n = 0, got = 0;
    DIR *dir = opendir(fake_dir());
    struct dirent *e;

    if (!dir) {
        int err = errno;
        hv_set_error(h, "cannot open %s: %s", fake_dir(), strerror(err));
        return -err;
    }
    while ((e = readdir(dir)) && n < HV_MAX_DOMAINS) {
        unsigned int id;
        char extra;
        if (sscanf(e->d_name, "dom-%u%c", &id, &extra) == 1)
            ids[n++] = id;
    }
    closedir(dir);
    qsort(ids, n, sizeof(ids[0]), cmp_u32);
    if (max)
        dom0_info(&out[got++]);
    for (unsigned int i = 0; i < n && got < max; i++)
        if (fake_getinfo(h, ids[i], &out[got]) == 0)
            got++;
    return (int)got;
}

static int fake_setmaxmem(struct hv *h, uint32_t domid, uint64_t max_kb)
{
    int rc = domid ? update_dom(domid, set_maxmem_field, max_kb) : 0;

    if (rc < 0)
        hv_set_error(h, "domain %u: %s", domid, strerror(-rc));
    return rc;
}

static int fake_vcpuinfo(struct hv *h, uint32_t domid, unsigned int vcpu, struct hv_vcpuinfo *o)
{
    struct hv_dominfo di;
    int rc = fake_getinfo(h, domid, &di);

    if (rc < 0)
        return rc;
    if (vcpu >= di.max_vcpus) {
        hv_set_error(h, "domain %u: no vCPU %u", domid, vcpu);
        return -ENOENT;
    }
    memset(o, 0, sizeof(*o));
    o->online = vcpu < di.online_vcpus;
    o->blocked = o->online && di.blocked;
    o->running = domid == 0 && vcpu == 0;
    o->cpu = o->online ? (int)(vcpu % 2) : -1;
    return 0;
}

static int fake_hostinfo(struct hv *h, struct hv_hostinfo *o)
{
    unsigned long long total = env_mib("XEND_FAKE_MEMORY", 4096) * 1024, used = used_kb();

    (void)h;
    memset(o, 0, sizeof(*o));
    o->nr_cpus = 2;
    o->nr_nodes = 1;
    o->cores_per_socket = 2;
    o->threads_per_core = 1;
    o->cpu_mhz = 2000;
    o->total_kb = total;
    o->free_kb = total > used ? total - used : 0;
    snprintf(o->hw_caps, sizeof(o->hw_caps), "%s",
             "178bfbff:00000000:00000000:00000000:00000000:00000000:00000000:00000000");
    o->xen_major = 4;
    o->xen_minor = 0;
    o->pagesize = 4096;
    snprintf(o->xen_extra, sizeof(o->xen_extra), ".0-fake");
    snprintf(o->xen_caps, sizeof(o->xen_caps), "xen-3.0-x86_64");
    snprintf(o->scheduler, sizeof(o->scheduler), "credit");
    snprintf(o->changeset, sizeof(o->changeset), "unavailable");
    snprintf(o->commandline, sizeof(o->commandline), "fake");
    snprintf(o->platform_params, sizeof(o->platform_params), "virt_start=0xffff800000000000");
    snprintf(o->cc_compiler, sizeof(o->cc_compiler), "gcc");
    snprintf(o->cc_compile_by, sizeof(o->cc_compile_by), "xeno");
    snprintf(o->cc_compile_domain, sizeof(o->cc_compile_domain), "test");
    snprintf(o->cc_compile_date, sizeof(o->cc_compile_date), "today");
    return 0;
}

static long fake_readconsole(struct hv *h, char *buf, size_t size, bool clear)
{
    char path[4096];

    (void)h;
    snprintf(path, sizeof(path), "%s/console", fake_dir());
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, size - 1, f);
        fclose(f);
    }
    buf[n] = 0;
    if (clear)
        unlink(path);
    return (long)n;
}

static void fake_close(struct hv *h)
{
    free(h);
}

static const struct hv_ops fake_ops = {
    .name = "fake",
    .build = fake_build,
    .destroy = fake_destroy,
    .pause = fake_pause,
    .unpause = fake_unpause,
    .getinfo = fake_getinfo,
    .list = fake_list,
    .setmaxmem = fake_setmaxmem,
    .vcpuinfo = fake_vcpuinfo,
    .hostinfo = fake_hostinfo,
    .readconsole = fake_readconsole,
    .close = fake_close,
};

int hv_open(struct hv **out, char *why, size_t whylen)
{
    if (mkdir(fake_dir(), 0700) < 0 && errno != EEXIST) {
        int e = errno;
        snprintf(why, whylen, "fake hypervisor: cannot create %s: %s", fake_dir(), strerror(e));
        return -e;
    }
    struct hv *h = xcalloc(1, sizeof(*h));
    h->ops = &fake_ops;
    *out = h;
    return 0;
}
