/* SPDX-License-Identifier: MIT */
/*
 * The xm <-> xend protocol: JSON over a UNIX stream socket.
 *
 * Transport: xm connects to the socket (XEND_SOCKET_DEFAULT, or the path
 * in $XEND_SOCKET, or xend-json-socket in xend-config.sxp), writes one
 * request, reads one response, and closes. Each message is one JSON
 * object on one line: the compact encoding never contains a raw newline,
 * so '\n' ends a message. A message is at most XEND_MSG_MAX bytes.
 *
 * Request:   {"cmd": "<command>", "args": {...}}
 *   cmd is an xm command name ("list", "create", "mem-set", ...); args is
 *   an object (may be empty) whose members each command defines
 *   (xend/xm/commands.c lists what each command sends). No other members.
 *
 * Response:  {"ok": true, "result": <any JSON>}
 *        or  {"ok": false, "error": {"code": "<code>", "message": "<text>"}}
 *   code is one of the names in enum xend_errcode; message is a complete
 *   sentence for the user ("Domain 'web1' does not exist."). A code this
 *   side does not know decodes as XEND_E_UNKNOWN with the name kept.
 *
 * Decoding is strict: a missing or mistyped member, or an unknown one, is
 * an error with a reason, never a guess.
 */
#ifndef XEND_COMMON_PROTOCOL_H
#define XEND_COMMON_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

struct json;
struct strbuf;

#define XEND_SOCKET_DEFAULT "/var/run/xend/xend.sock"
#define XEND_SOCKET_ENV "XEND_SOCKET"
#define XEND_MSG_MAX (16u << 20)

enum xend_errcode {
    XEND_E_BAD_REQUEST,         /* malformed request */
    XEND_E_UNKNOWN_COMMAND,
    XEND_E_INVALID_ARGUMENT,
    XEND_E_NO_SUCH_DOMAIN,      /* xm exits 3 for this one, as it did */
    XEND_E_EXISTS,              /* a domain with that name or UUID already exists */
    XEND_E_PERMISSION,
    XEND_E_BUSY,
    XEND_E_NO_MEMORY,           /* not enough free memory for the guest */
    XEND_E_TIMEOUT,
    XEND_E_DEVICE,              /* a device (hotplug script) failed */
    XEND_E_NOT_SUPPORTED,
    XEND_E_INTERNAL,
    XEND_E_UNKNOWN,             /* decoded a code this build does not know */
};

/* "bad-request", "no-such-domain", ... */
const char *xend_errcode_name(enum xend_errcode code);
/* The code for a name; XEND_E_UNKNOWN if it is not one. */
enum xend_errcode xend_errcode_parse(const char *name);
/* xm's exit status for an error response: 3 for no-such-domain, else 1. */
int xend_errcode_exit_status(enum xend_errcode code);

struct xend_request {
    char *cmd;
    struct json *args;          /* always an object */
};

struct xend_response {
    bool ok;
    struct json *result;        /* ok: the result (JSON null if none) */
    enum xend_errcode code;     /* !ok */
    char *code_name;            /* !ok: as received */
    char *message;              /* !ok */
};

/*
 * Encode a request; args may be NULL for {}. Appends the JSON and a
 * terminating '\n' to out. Returns 0, or -1 with a reason in err.
 */
int xend_request_encode(const char *cmd, const struct json *args, struct strbuf *out,
                        struct strbuf *err);
/* Decode one request (with or without its '\n'). Returns 0 or -1 with a reason. */
int xend_request_decode(const char *text, size_t len, struct xend_request *req, struct strbuf *err);
void xend_request_free(struct xend_request *req);

/* Encode a success response carrying result (NULL for JSON null), plus '\n'. */
int xend_response_encode_ok(const struct json *result, struct strbuf *out, struct strbuf *err);
/* Encode an error response, plus '\n'. */
int xend_response_encode_error(enum xend_errcode code, const char *message, struct strbuf *out,
                               struct strbuf *err);
int xend_response_decode(const char *text, size_t len, struct xend_response *resp,
                         struct strbuf *err);
void xend_response_free(struct xend_response *resp);

#endif
