/* SPDX-License-Identifier: MIT */
/*
 * xm's process: the real environment for xm_main (stdio, xend's UNIX
 * socket, files, exec of the console client).
 *
 * xend's socket: $XEND_SOCKET if set, else (xend-json-socket ...) from
 * xend-config.sxp if it sets one, else /var/run/xend/xend.sock.
 * Environment variables: XEND_SOCKET; XEND_CONFIG, the xend-config.sxp path
 * (/etc/xen/xend-config.sxp); XENCONSOLE, the console client
 * (/usr/lib/xen/bin/xenconsole).
 */
#include "xm.h"
#include "../common/diag.h"
#include "../common/protocol.h"
#include "../common/strbuf.h"
#include "../common/transport.h"
#include "../common/xalloc.h"
#include "../config/xendconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum xm_call_status call_socket(void *ctx, const char *socket, const char *request, size_t len,
                                       struct strbuf *response, struct strbuf *err)
{
    int fd, rc;

    (void)ctx;
    fd = xend_connect(socket);
    if (fd == -ENOENT || fd == -ENOTDIR)
        return XM_CALL_NO_SOCKET;
    if (fd == -ECONNREFUSED)
        return XM_CALL_REFUSED;
    if (fd == -EACCES || fd == -EPERM)
        return XM_CALL_DENIED;
    if (fd < 0) {
        sb_printf(err, "connect: %s", strerror(-fd));
        return XM_CALL_FAILED;
    }
    rc = xend_write_all(fd, request, len);
    if (rc < 0) {
        sb_printf(err, "sending the request: %s", strerror(-rc));
        close(fd);
        return XM_CALL_FAILED;
    }
    rc = xend_read_message(fd, response, XEND_MSG_MAX);
    close(fd);
    if (rc == -EPROTO) {
        sb_puts(err, "xend closed the connection without answering (has it crashed? see "
                "/var/log/xen/xend.log)");
        return XM_CALL_FAILED;
    }
    if (rc < 0) {
        sb_printf(err, "reading the response: %s", strerror(-rc));
        return XM_CALL_FAILED;
    }
    return XM_CALL_OK;
}

static int read_file(void *ctx, const char *path, struct strbuf *out)
{
    char buf[8192];
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    (void)ctx;
    if (fd < 0)
        return -1;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        if (out->len + (size_t)n > (16u << 20)) {
            close(fd);
            errno = EFBIG;
            return -1;
        }
        sb_putn(out, buf, (size_t)n);
    }
    close(fd);
    return 0;
}

/* Python's os.path.abspath: join with the current directory, fold "." and "..". */
static char *abspath(const char *path)
{
    char cwd[4096];
    struct strbuf joined = STRBUF_INIT, out = STRBUF_INIT;

    if (path[0] != '/') {
        if (!getcwd(cwd, sizeof(cwd)))
            return NULL;
        sb_printf(&joined, "%s/", cwd);
    }
    sb_puts(&joined, path);
    char *save = NULL, *copy = sb_steal(&joined);
    for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (!strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            while (out.len && out.buf[out.len - 1] != '/')
                out.len--;
            if (out.len)
                out.len--;
            if (out.buf)
                out.buf[out.len] = '\0';
            continue;
        }
        sb_printf(&out, "/%s", seg);
    }
    free(copy);
    if (!out.len)
        sb_putc(&out, '/');
    return sb_steal(&out);
}

static int exec_console(void *ctx, unsigned int domid)
{
    const char *prog = getenv("XENCONSOLE");
    char id[16];

    (void)ctx;
    if (!prog || !*prog)
        prog = XM_XENCONSOLE;
    snprintf(id, sizeof(id), "%u", domid);
    execl(prog, "xenconsole", id, "--num", "0", (char *)NULL);
    return -1;
}

/*
 * The socket xend-config.sxp names, or NULL (default). A file that does
 * not load leaves a note for the user instead of being ignored silently.
 */
static char *socket_from_config(const char *path, char **note)
{
    struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
    struct diags d = DIAGS_INIT;
    struct xend_options o;
    char *sock = NULL;

    *note = NULL;
    if (read_file(NULL, path, &text) < 0) {
        if (errno != ENOENT)
            *note = xasprintf("cannot read %s (%s); using %s", path, strerror(errno),
                              XEND_SOCKET_DEFAULT);
        sb_free(&text);
        return NULL;
    }
    if (xend_options_parse(path, text.buf ? text.buf : "", text.len, &o, &d) < 0) {
        for (size_t i = 0; i < d.n; i++)
            if (d.v[i].level == DIAG_ERROR) {
                diag_format(&d.v[i], &msg);
                break;
            }
        *note = xasprintf("%s; using %s", sb_str(&msg), XEND_SOCKET_DEFAULT);
    } else if (strcmp(o.xend_json_socket, XEND_SOCKET_DEFAULT) != 0) {
        sock = xstrdup(o.xend_json_socket);
    }
    xend_options_free(&o);
    diags_free(&d);
    sb_free(&text);
    sb_free(&msg);
    return sock;
}

static bool on_hypervisor(void)
{
    char buf[16] = "";
    int fd = open("/sys/hypervisor/type", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n > 0 && !strncmp(buf, "xen", 3))
            return true;
    }
    return access("/proc/xen/privcmd", F_OK) == 0 || access("/dev/xen/privcmd", F_OK) == 0;
}

int main(int argc, char **argv)
{
    const char *sock = getenv(XEND_SOCKET_ENV);
    const char *xcfg = getenv("XEND_CONFIG");
    time_t t = time(NULL);
    char *config_sock = NULL, *note = NULL;

    if (!xcfg || !*xcfg)
        xcfg = XEND_CONFIG_PATH;
    if (!sock || !*sock) {
        config_sock = socket_from_config(xcfg, &note);
        sock = config_sock ? config_sock : XEND_SOCKET_DEFAULT;
    }
    struct xm_env env = {
        .out = stdout,
        .err = stderr,
        .socket_path = sock,
        .socket_note = note,
        .config_path = XM_CONFIG_PATH,
        .xend_config = xcfg,
        .on_hypervisor = on_hypervisor(),
        .call = call_socket,
        .read_file = read_file,
        .abspath = abspath,
        .exec_console = exec_console,
    };

    if (!localtime_r(&t, &env.now))
        memset(&env.now, 0, sizeof(env.now));
    int rc = xm_main(argc, argv, &env);
    free(config_sock);
    free(note);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "xm: writing the output failed: %s\n", strerror(errno));
        return 1;
    }
    return rc;
}
