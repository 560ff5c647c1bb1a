/* SPDX-License-Identifier: MIT */
/*
 * xm, the command-line client of xend.
 *
 * Every subcommand is a row of the command table (commands.c): name,
 * handler, usage, one-line summary, long help, options and the number of
 * positional arguments. Dispatch, option parsing, usage errors and all
 * help text ("xm help", "xm help CMD", "xm CMD --help") come from the
 * table (cli.c, help.c); handlers only see parsed arguments.
 *
 * Exit status (xm's): 0 success; 1 usage error, failure, or xend not
 * reachable; 3 when xend says the domain does not exist. Messages: errors
 * print "Error: MESSAGE" on stderr, as xm did; usage errors follow it
 * with the command's usage (on stderr; xm used stdout).
 *
 * Everything outside the process goes through struct xm_env, so the whole
 * CLI runs in-process in tests with a fake xend.
 */
#ifndef XEND_XM_XM_H
#define XEND_XM_XM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct json;
struct strbuf;

#define XM_CONFIG_PATH ".:/etc/xen"
#define XM_XENCONSOLE "/usr/lib/xen/bin/xenconsole"

/* How a call to xend went at the transport level. */
enum xm_call_status {
    XM_CALL_OK,             /* a response arrived */
    XM_CALL_NO_SOCKET,      /* the socket does not exist: xend is not running */
    XM_CALL_REFUSED,        /* the socket exists but nobody listens (stale) */
    XM_CALL_DENIED,         /* no permission to connect */
    XM_CALL_FAILED,         /* anything else; the reason is in err */
};

struct xm_env {
    FILE *out;
    FILE *err;
    const char *socket_path;    /* xend's socket */
    const char *socket_note;    /* printed before contacting xend, or NULL (e.g. why the
                                   socket path from xend-config.sxp was not used) */
    const char *config_path;    /* search path for config files, "DIR:DIR" */
    const char *xend_config;    /* xend-config.sxp, for "xm info -c" */
    bool on_hypervisor;         /* running on Xen/Xeno (for a better "not running" message) */
    struct tm now;              /* local time, for "xm uptime -s" */
    /*
     * Send one request (a complete message) to xend at socket and read the
     * response message into response. Returns the transport status; on
     * XM_CALL_FAILED a reason is in err.
     */
    enum xm_call_status (*call)(void *ctx, const char *socket, const char *request, size_t len,
                                struct strbuf *response, struct strbuf *err);
    void *call_ctx;
    /* Read a whole file; 0, or -1 with errno set. */
    int (*read_file)(void *ctx, const char *path, struct strbuf *out);
    void *file_ctx;
    /* Resolve a relative path against the current directory (xm's abspath). */
    char *(*abspath)(const char *path);
    /* Replace xm with the console client: only returns (-1, errno set) on failure. */
    int (*exec_console)(void *ctx, unsigned int domid);
    void *exec_ctx;
};

/* Parsed command line of one subcommand. */
struct xm_args {
    size_t nr_pos;
    char **pos;                 /* positional arguments, in order */
    /* options seen: by index into the command's option table */
    bool set[16];
    const char *value[16];      /* for options taking an argument (last one wins) */
};

struct xm_ctx {
    struct xm_env *env;
    const char *prog;           /* "xm" */
    bool quiet_errors;          /* xm_call: do not print xend's error message (console -q) */
};

struct xm_option {
    char short_name;            /* 0: none */
    const char *long_name;      /* NULL: none */
    const char *arg;            /* NULL: a flag; else the value's placeholder */
    const char *help;
};

struct xm_command;
typedef int (*xm_handler)(struct xm_ctx *ctx, const struct xm_command *cmd, const struct xm_args *a);

#define XM_ARGS_MANY 0xffffu

struct xm_command {
    const char *name;
    xm_handler handler;
    const char *usage;          /* after "xm NAME " */
    const char *summary;        /* one line, ends with '.' */
    const char *help;           /* longer explanation; may be NULL */
    const struct xm_option *options;    /* ends with an all-zero entry */
    unsigned int min_args;
    unsigned int max_args;      /* XM_ARGS_MANY: no limit */
    bool common;                /* shown by plain "xm" */
    const char *group;          /* heading in "xm help" */
};

struct xm_alias {
    const char *name;
    const char *target;
};

extern const struct xm_command xm_commands[];
extern const size_t xm_nr_commands;
extern const struct xm_alias xm_aliases[];
extern const size_t xm_nr_aliases;

/* Run xm with argv (argv[0] is the program). Returns the exit status. */
int xm_main(int argc, char **argv, struct xm_env *env);

/* ---- for handlers (cli.c, help.c, client.c) ---- */

/* Index of an option in cmd's table by long name (or short letter if long_name is NULL). */
int xm_opt_index(const struct xm_command *cmd, const char *long_name, char short_name);
bool xm_opt_set(const struct xm_command *cmd, const struct xm_args *a, const char *long_name);
const char *xm_opt_value(const struct xm_command *cmd, const struct xm_args *a, const char *long_name);

/* "Error: MESSAGE" on stderr. */
void xm_error(struct xm_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "Error: MESSAGE", a blank line and the command's usage on stderr; returns 1. */
int xm_usage_error(struct xm_ctx *ctx, const struct xm_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Help texts (help.c). */
void xm_help_short(struct strbuf *out);
void xm_help_long(struct strbuf *out);
void xm_help_command(const struct xm_command *cmd, struct strbuf *out);
const struct xm_command *xm_find_command(const char *name, const char **alias_of);

/*
 * Ask xend (client.c). On success returns 0 and the result in *result
 * (caller frees). Otherwise prints the reason (xend not running, permission,
 * xend's error message) and returns the exit status to use (1 or 3).
 */
int xm_call(struct xm_ctx *ctx, const struct xm_command *cmd, const char *xend_cmd,
            struct json *args, struct json **result);

/* The domid and name in a {name, domid} result; -1 (message printed) if malformed. */
long xm_result_domid(struct xm_ctx *ctx, const struct xm_command *cmd, const struct json *r,
                     const char **name);
/* Replace xm with the console client for domid; returns 1 (message printed) if that fails. */
int xm_console_exec(struct xm_ctx *ctx, unsigned int domid);

/* {"domain": NAME} from the first positional argument, or NULL after a usage error (*rc). */
struct json *xm_domain_args(struct xm_ctx *ctx, const struct xm_command *cmd,
                            const struct xm_args *a, int *rc);
/* Send args (freed here) as cmd->name; for commands xend answers with null. */
int xm_simple_call(struct xm_ctx *ctx, const struct xm_command *cmd, struct json *args);

/* Argument checks shared by handlers (client.c). */
bool xm_valid_domain(const char *s);
/* A name a domain may be given (as in config files); NULL or the reason it is not. */
const char *xm_bad_domain_name(const char *s);
/* xm's memory argument: N, or N with a k/m/g suffix; returns MiB or -1. */
long long xm_parse_mem_mib(const char *s);

/* Handlers (cmd_*.c). */
int xm_cmd_create(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_new(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_list(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_uptime(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_domid(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_vcpu_list(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_info(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_dmesg(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_log(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_domain_op(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_shutdown(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_mem(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_vcpu_set(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_rename(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_start(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_console(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_help(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_block_attach(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_network_attach(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_device_detach(struct xm_ctx *, const struct xm_command *, const struct xm_args *);
int xm_cmd_device_list(struct xm_ctx *, const struct xm_command *, const struct xm_args *);

#endif
