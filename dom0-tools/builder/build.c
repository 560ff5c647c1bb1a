/* SPDX-License-Identifier: MIT */
/*
 * libxenobuild: xenobuild_create(), the steps that talk to the hypervisor,
 * in libxenguest's order (xc_dom_boot_mem_init, xc_dom_build_image,
 * xc_dom_boot_image): create the domain paused with its vCPUs and handle,
 * set its memory limit, populate its pseudo-physical memory, offer the
 * xenstore and console ports to their back ends, write the memory image
 * through a foreign mapping, seed grant references 0 and 1, pin the L4
 * (which validates every bootstrap table), fill the hypercall page, set
 * vCPU 0's context.  Any failure after the domain exists destroys it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <xen/elfnote.h>

#include "xb_priv.h"
#include "xenobuild.h"

struct job {
    xenoctrl *x;
    const struct xenobuild_spec *spec;
    struct xenobuild_result *res;
    char *err;
    size_t errlen;
    struct xb_kernel kernel;
    uint8_t *ramdisk;
    size_t ramdisk_len;
    struct pv_layout layout;
    unsigned long nr_pages;
    xen_pfn_t *p2m;
    uint32_t domid;
    bool created;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int check_spec(struct job *j)
{
    const struct xenobuild_spec *s = j->spec;
    unsigned int max = s->max_vcpus ? s->max_vcpus : s->vcpus;
    if (s->memory_kb < 4096 || s->memory_kb % 4)
        return xb_err(j->err, j->errlen, -EINVAL, "memory %llu KiB: need a multiple of 4 KiB, at least 4 MiB",
                      (unsigned long long)s->memory_kb);
    if (s->maxmem_kb && s->maxmem_kb < s->memory_kb)
        return xb_err(j->err, j->errlen, -EINVAL, "maxmem %llu KiB is below memory %llu KiB",
                      (unsigned long long)s->maxmem_kb, (unsigned long long)s->memory_kb);
    if (s->vcpus < 1 || max < s->vcpus || max > 32)
        return xb_err(j->err, j->errlen, -EINVAL, "vcpus %u / max %u: need 1 <= vcpus <= max <= 32", s->vcpus,
                      max);
    return 0;
}

/* Files and layout: everything that can be judged before a domain exists. */
static int prepare(struct job *j)
{
    const char *why = NULL;
    int rc = xb_kernel_get(j->spec->kernel, &j->kernel, j->err, j->errlen);
    if (rc)
        return rc;
    if (j->spec->ramdisk && *j->spec->ramdisk &&
        (rc = xb_read_file("ramdisk", j->spec->ramdisk, &j->ramdisk, &j->ramdisk_len, j->err, j->errlen)))
        return rc;
    j->nr_pages = (unsigned long)(j->spec->memory_kb / 4);
    rc = xb_layout(&j->kernel, j->nr_pages, j->ramdisk_len, &j->layout, &why);
    if (rc == -ENOMEM)
        return xb_err(j->err, j->errlen, -EINVAL,
                      "memory %llu MiB is too small for kernel %s%s%s: at least %lu MiB needed",
                      (unsigned long long)(j->spec->memory_kb >> 10), j->spec->kernel,
                      j->ramdisk ? " and ramdisk " : "", j->ramdisk ? j->spec->ramdisk : "",
                      (j->layout.next_pfn * 4 + 1023) / 1024 + 1);
    if (rc)
        return xb_err(j->err, j->errlen, rc, "kernel %s: %s", j->spec->kernel, why ? why : "no layout");
    struct xenoctrl_physinfo pi;
    if ((rc = xenoctrl_physinfo(j->x, &pi)) != 0)
        return xb_err(j->err, j->errlen, rc, "physinfo failed: %s", xenoctrl_last_error(j->x));
    if (pi.free_pages < j->nr_pages)
        return xb_err(j->err, j->errlen, -ENOMEM, "the host has %llu MiB free, the domain needs %lu MiB",
                      (unsigned long long)(pi.free_pages >> 8), j->nr_pages >> 8);
    return 0;
}

static int fail_x(struct job *j, int rc, const char *step)
{
    return xb_err(j->err, j->errlen, rc, "d%u: %s failed: %s", j->domid, step, xenoctrl_last_error(j->x));
}

static int create(struct job *j)
{
    const struct xenobuild_spec *s = j->spec;
    struct xenoctrl_domain_config c;
    xenoctrl_domain_config_default(&c);
    c.max_vcpus = s->max_vcpus ? s->max_vcpus : s->vcpus;
    memcpy(c.handle, s->uuid, sizeof(c.handle));
    int rc = xenoctrl_domain_create(j->x, s->want_domid, &c, &j->domid);
    if (rc)
        return xb_err(j->err, j->errlen, rc, "creating the domain failed: %s", xenoctrl_last_error(j->x));
    j->created = true;
    if ((rc = xenoctrl_domain_max_vcpus(j->x, j->domid, c.max_vcpus)) != 0)
        return fail_x(j, rc, "max_vcpus");
    if ((rc = xenoctrl_domain_setmaxmem(j->x, j->domid, s->maxmem_kb ? s->maxmem_kb : s->memory_kb)) != 0)
        return fail_x(j, rc, "setmaxmem");
    j->p2m = malloc(j->nr_pages * sizeof(*j->p2m));
    if (!j->p2m)
        return xb_err(j->err, j->errlen, -ENOMEM, "d%u: no memory for a p2m of %lu pages", j->domid, j->nr_pages);
    for (unsigned long i = 0; i < j->nr_pages; i++)
        j->p2m[i] = i;
    long got = xenoctrl_populate_physmap(j->x, j->domid, j->nr_pages, 0, j->p2m);
    if (got < 0 || (unsigned long)got != j->nr_pages)
        return xb_err(j->err, j->errlen, -ENOMEM, "d%u: populate_physmap gave %ld of %lu pages: %s", j->domid,
                      got, j->nr_pages, xenoctrl_last_error(j->x));
    return 0;
}

static int write_image(struct job *j, uint64_t shared_info_maddr)
{
    unsigned long n = j->layout.next_pfn;
    int *errs = calloc(n, sizeof(*errs)), rc = 0;
    if (!errs)
        return xb_err(j->err, j->errlen, -ENOMEM, "d%u: no memory to map %lu pages", j->domid, n);
    uint8_t *mem = xenoctrl_map_foreign_bulk(j->x, j->domid, PROT_READ | PROT_WRITE, j->p2m, errs,
                                             (unsigned int)n, &rc);
    free(errs);
    if (!mem)
        return fail_x(j, rc, "mapping its memory");
    struct xb_image im = {
        .kernel = &j->kernel, .ramdisk = j->ramdisk, .ramdisk_len = j->ramdisk_len,
        .cmdline = j->spec->cmdline, .layout = &j->layout, .nr_pages = j->nr_pages, .p2m = j->p2m,
        .shared_info_maddr = shared_info_maddr, .store_evtchn = j->res->store_port,
        .console_evtchn = j->res->console_port,
    };
    const char *why = NULL;
    rc = xb_image_write(&im, mem, &why);
    /* Unmapped before the pin: a frame dom0 maps writable cannot become a
     * page table. */
    xenoctrl_unmap(j->x, mem, (unsigned int)n);
    if (rc)
        return xb_err(j->err, j->errlen, rc, "d%u: kernel %s: %s", j->domid, j->spec->kernel, why);
    return 0;
}

static int seed_grants(struct job *j)
{
    xen_pfn_t frame;
    int rc = xenoctrl_gnttab_frames(j->x, j->domid, 1, &frame);
    if (rc)
        return fail_x(j, rc, "grant table setup");
    void *p = xenoctrl_map_foreign_bulk(j->x, j->domid, PROT_READ | PROT_WRITE, &frame, NULL, 1, &rc);
    if (!p)
        return fail_x(j, rc, "mapping its grant table");
    /* PV: a grant names the MFN. */
    xb_grant_seed(p, j->spec->console_domid, j->res->console_mfn, j->spec->store_domid, j->res->store_mfn);
    xenoctrl_unmap(j->x, p, 1);
    return 0;
}

static unsigned long pfn_of(const struct job *j, uint64_t va)
{
    return (unsigned long)((va - j->layout.v_start) >> 12);
}

static int build(struct job *j)
{
    struct xenobuild_result *r = j->res;
    struct xenoctrl_dominfo info;
    int rc = xenoctrl_domain_getinfo(j->x, j->domid, &info);
    if (rc)
        return fail_x(j, rc, "getdomaininfo");
    int port = xenoctrl_evtchn_alloc_unbound_for(j->x, j->domid, j->spec->store_domid);
    if (port < 0)
        return fail_x(j, port, "xenstore event channel");
    r->store_port = (uint32_t)port;
    port = xenoctrl_evtchn_alloc_unbound_for(j->x, j->domid, j->spec->console_domid);
    if (port < 0)
        return fail_x(j, port, "console event channel");
    r->console_port = (uint32_t)port;
    r->store_mfn = j->p2m[pfn_of(j, j->layout.xenstore_va)];
    r->console_mfn = j->p2m[pfn_of(j, j->layout.console_va)];
    if ((rc = write_image(j, info.shared_info_frame << 12)) != 0)
        return rc;
    if ((rc = seed_grants(j)) != 0)
        return rc;
    xen_pfn_t l4 = j->p2m[pfn_of(j, j->layout.pt_va)];
    if ((rc = xenoctrl_pin_table(j->x, j->domid, 4, l4)) != 0)
        return fail_x(j, rc, "pinning the bootstrap L4 (the page tables do not validate)");
    if (pv_elf_has_note(&j->kernel.info, XEN_ELFNOTE_HYPERCALL_PAGE)) {
        uint64_t va = j->kernel.info.hypercall_page;
        if (va < j->layout.v_start || va >= j->layout.v_end)
            return xb_err(j->err, j->errlen, -EINVAL, "kernel %s: hypercall page %#llx outside its memory",
                          j->spec->kernel, (unsigned long long)va);
        if ((rc = xenoctrl_hypercall_init(j->x, j->domid, j->p2m[pfn_of(j, va)])) != 0)
            return fail_x(j, rc, "hypercall page");
    }
    vcpu_guest_context_t *ctx = malloc(sizeof(*ctx));
    if (!ctx)
        return xb_err(j->err, j->errlen, -ENOMEM, "d%u: no memory for a vCPU context", j->domid);
    xb_boot_context(&j->kernel, &j->layout, l4, ctx);
    rc = xenoctrl_vcpu_setcontext(j->x, j->domid, 0, ctx);
    free(ctx);
    if (rc)
        return fail_x(j, rc, "setting vCPU 0's context");
    /* For tests: fail once everything is done (L4 pinned, vCPU up, grants
     * and ports set), so that the teardown of a complete build runs. */
    const char *inject = getenv("XENOBUILD_FAIL_LAST");
    if (inject && strcmp(inject, "1") == 0)
        return xb_err(j->err, j->errlen, -ECANCELED,
                      "d%u: XENOBUILD_FAIL_LAST=1: failing after a complete build (teardown test)", j->domid);
    r->domid = j->domid;
    r->nr_pages = j->nr_pages;
    snprintf(r->kernel_format, sizeof(r->kernel_format), "%s", j->kernel.format);
    return 0;
}

/* XENOBUILD_TRACE=1: how long each step took, on stderr (bench/ uses it). */
static void trace(const char *step, double *t)
{
    static int on = -1;
    if (on < 0) {
        const char *e = getenv("XENOBUILD_TRACE");
        on = e && strcmp(e, "1") == 0;
    }
    double t1 = now();
    if (on)
        fprintf(stderr, "xenobuild: %-8s %.3f s\n", step, t1 - *t);
    *t = t1;
}

int xenobuild_create(xenoctrl *x, const struct xenobuild_spec *spec, struct xenobuild_result *result,
                     char *err, size_t errlen)
{
    double t0 = now(), t = t0;
    struct job j = { .x = x, .spec = spec, .res = result, .err = err, .errlen = errlen };
    if (err && errlen)
        err[0] = '\0';
    memset(result, 0, sizeof(*result));
    int rc = check_spec(&j);
    if (!rc)
        rc = prepare(&j);
    trace("prepare", &t);
    if (!rc)
        rc = create(&j);
    trace("create", &t);
    if (!rc)
        rc = build(&j);
    trace("build", &t);
    if (rc && j.created) {
        /* Nothing left behind: destroy gives every page back. */
        if (xenoctrl_domain_destroy(x, j.domid))
            fprintf(stderr, "xenobuild: d%u: destroy after a failed build failed too: %s\n", j.domid,
                    xenoctrl_last_error(x));
        memset(result, 0, sizeof(*result));
    }
    if (!rc)
        result->build_seconds = now() - t0;
    xb_kernel_free(&j.kernel);
    free(j.ramdisk);
    free(j.p2m);
    return rc;
}
