/* SPDX-License-Identifier: MIT */
/*
 * Test tools of the hosted build (build/xend/xend-hosted):
 *
 *   xend-hosted fake-guest
 *       plays every fake domain's PV Linux: watches /local/domain and,
 *       when control/shutdown of domain N becomes poweroff, halt or
 *       reboot, clears it (as Linux's xenbus handler does) and shuts the
 *       domain down with that reason (hv_fake_shutdown), and sets the
 *       number of vCPUs online from cpu/I/availability; a domain named
 *       deaf* ignores them (for xend's shutdown timeout). Runs until killed.
 *   xend-hosted fake-backend
 *       plays dom0's block and network backends and the guests' frontends
 *       (fake_backend.c).
 *   xend-hosted fake-shutdown DOMID poweroff|reboot|crash|watchdog
 *       shuts a fake domain down as if its guest had done so itself.
 */
#include "hv.h"
#include "hv_fake.h"
#include "xs.h"
#include "../common/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reason_code(const char *s)
{
    static const char *const names[] = { "poweroff", "reboot", "suspend", "crash", "watchdog" };
    if (!strcmp(s, "halt"))
        return 0;
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* A PV Linux guest onlines and offlines its vCPUs as cpu/I/availability
 * says (drivers/xen/cpu_hotplug.c, with udev onlining added CPUs): count
 * the online ones. */
static void on_cpu_event(struct xsc *c, unsigned int domid)
{
    unsigned int online = 0;
    int err;
    char err_text[256];

    for (unsigned int i = 0; i < 64; i++) {
        char *p = xasprintf("/local/domain/%u/cpu/%u/availability", domid, i);
        char *v = xs_read(c, 0, p, &err);
        free(p);
        if (!v)
            break;
        online += !strcmp(v, "online");
        free(v);
    }
    if (hv_fake_set_vcpus(domid, online, err_text, sizeof(err_text)) < 0)
        fprintf(stderr, "fake-guest: %s\n", err_text);
    else
        printf("fake-guest: dom%u: %u vCPUs online\n", domid, online);
    fflush(stdout);
}

static void on_event(struct xsc *c, struct xsc *w, const char *path)
{
    (void)w;
    unsigned int domid, cpu;
    int n = 0, err;
    char err_text[256];

    if (sscanf(path, "/local/domain/%u/cpu/%u/availability%n", &domid, &cpu, &n) == 2 && !path[n]) {
        on_cpu_event(c, domid);
        return;
    }
    if (sscanf(path, "/local/domain/%u/control/shutdown%n", &domid, &n) != 1 || path[n])
        return;
    char *v = xs_read(c, 0, path, &err);
    if (!v)
        return;
    int reason = reason_code(v);
    char *name_path = xasprintf("/local/domain/%u/name", domid);
    char *name = xs_read(c, 0, name_path, &err);
    free(name_path);
    /* A domain named deaf* plays a guest that ignores shutdown requests. */
    bool deaf = name && !strncmp(name, "deaf", 4);
    free(name);
    if (*v && reason >= 0 && deaf) {
        printf("fake-guest: dom%u: ignoring %s\n", domid, v);
        fflush(stdout);
    } else if (*v && reason >= 0) {
        if ((err = xs_write(c, 0, path, "")) != 0)
            fprintf(stderr, "fake-guest: dom%u: clearing %s: %s\n", domid, path, strerror(err));
        if (hv_fake_shutdown(domid, (unsigned int)reason, err_text, sizeof(err_text)) < 0)
            fprintf(stderr, "fake-guest: %s\n", err_text);
        else
            printf("fake-guest: dom%u: %s\n", domid, v);
        fflush(stdout);
    }
    free(v);
}

int fake_watch_loop(const char *who, void (*on_event)(struct xsc *c, struct xsc *w, const char *path))
{
    struct xsc c, w;
    int err = xsc_open(&c, NULL);

    if (!err)
        err = xsc_open(&w, NULL);
    if (!err)
        err = xs_watch(&w, "/local/domain", who);
    if (err) {
        fprintf(stderr, "%s: xenstore at %s: %s\n", who, xsc_socket_path(), strerror(err));
        return 1;
    }
    printf("%s: watching /local/domain\n", who);
    fflush(stdout);
    for (;;) {
        struct xsc_msg *ev;
        err = xsc_event(&w, &ev, -1);
        if (err) {
            fprintf(stderr, "%s: watch: %s\n", who, strerror(err));
            return 1;
        }
        on_event(&c, &w, xsc_string(ev, 0) ? xsc_string(ev, 0) : "");
        free(ev);
    }
}

int hv_tool_main(int argc, char **argv)
{
    char err[256];

    if (argc < 2)
        return -1;
    if (!strcmp(argv[1], "fake-guest"))
        return fake_watch_loop("fake-guest", on_event);
    if (!strcmp(argv[1], "fake-backend"))
        return fake_backend_main();
    if (strcmp(argv[1], "fake-shutdown"))
        return -1;
    int reason = argc == 4 ? reason_code(argv[3]) : -1;
    if (reason < 0) {
        fprintf(stderr, "usage: %s fake-shutdown DOMID poweroff|reboot|crash|watchdog\n", argv[0]);
        return 2;
    }
    if (hv_fake_shutdown((uint32_t)strtoul(argv[2], NULL, 10), (unsigned int)reason, err,
                         sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    return 0;
}
