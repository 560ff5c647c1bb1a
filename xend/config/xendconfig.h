/* SPDX-License-Identifier: MIT */
/*
 * /etc/xen/xend-config.sxp: xend's settings, one (option value) form per
 * setting (S-expression syntax in sxp.h). Option names, meanings and
 * defaults are xend's (Xen 3.4/4.x XendOptions); Xeno adds
 * xend-json-socket, the socket xm talks to.
 *
 * Rules: a top-level form must be (NAME VALUE); booleans are yes/no (also
 * y/n, on/off, true/false, 1/0); numbers are decimal and range-checked; a
 * value containing blanks must be quoted. An option given twice is an
 * error (xend silently used the first). An unknown option is a warning
 * with a "did you mean" (xend ignored them; refusing to start over a
 * stale option would be worse). Options for services Xeno does not
 * provide (the HTTP, TCP and Xen-API servers, relocation) are accepted and
 * warn when switched on. (NAME) with no value keeps the default, with a
 * warning. Every message names FILE:LINE:COL.
 */
#ifndef XEND_CONFIG_XENDCONFIG_H
#define XEND_CONFIG_XENDCONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct strbuf;

#define XEND_CONFIG_PATH "/etc/xen/xend-config.sxp"
#define XEND_SCRIPTS_DIR "/etc/xen/scripts"

struct xend_options {
    char *logfile;
    char *loglevel;                     /* DEBUG INFO WARNING ERROR CRITICAL */
    char *xsm_module_name;

    char *xend_json_socket;             /* Xeno: xm's JSON socket */
    char *xen_api_server;               /* printed SXP value, as given */
    bool xend_http_server;
    bool xend_unix_server;
    char *xend_unix_path;
    bool xend_tcp_xmlrpc_server;
    char *xend_tcp_xmlrpc_server_address;
    long xend_tcp_xmlrpc_server_port;
    char *xend_tcp_xmlrpc_server_ssl_key_file;
    char *xend_tcp_xmlrpc_server_ssl_cert_file;
    bool xend_unix_xmlrpc_server;
    bool xend_udev_event_server;
    long xend_port;
    char *xend_address;

    bool xend_relocation_server;
    long xend_relocation_port;
    bool xend_relocation_ssl_server;
    long xend_relocation_ssl_port;
    char *xend_relocation_server_ssl_key_file;
    char *xend_relocation_server_ssl_cert_file;
    bool xend_relocation_ssl;
    char *xend_relocation_address;
    char *xend_relocation_hosts_allow;

    char *network_script;               /* "" = none; "network-bridge netdev=eth1" */
    char *vif_script;

    long dom0_min_mem;                  /* MiB */
    bool enable_dom0_ballooning;        /* default: yes unless dom0-min-mem is 0 */
    long total_available_memory;
    long dom0_cpus;                     /* 0 = all */
    bool enable_dump;
    long console_limit;                 /* KiB */
    char *external_migration_tool;
    char *vnc_listen;
    char *vncpasswd;
    bool vnc_tls;
    char *vnc_x509_cert_dir;
    bool vnc_x509_verify;
    char *keymap;
    char *resource_label_change_script;
    long qemu_dm_logrotate_count;
    long device_create_timeout;         /* seconds to wait for hotplug-status */
    long device_destroy_timeout;

    char *xend_domains_path;
    char *xend_state_path;
    char *xend_storage_path;
    char *xend_security_path;
    bool pci_passthrough_strict_check;
    char *pscsi_device_mask;            /* printed SXP value */

    bool xend_domain_lock;
    char *xend_domain_lock_path;
    char *xend_domain_lock_utility;
    char *xend_domain_lock_device;
};

/* Set every option to its default. */
void xend_options_init(struct xend_options *o);
void xend_options_free(struct xend_options *o);
/*
 * Parse the text of a xend-config.sxp (file names it in messages) on top
 * of the defaults (o is initialised here). Returns 0, or -1 if there was
 * an error (o then still holds the defaults plus every good setting).
 */
int xend_options_parse(const char *file, const char *text, size_t len, struct xend_options *o,
                       struct diags *diags);
/*
 * Every option and its effective value, "%-38s: %s" per line in the order
 * of xend-config.sxp(5) ("xm info -c").
 */
void xend_options_dump(const struct xend_options *o, struct strbuf *out);
/*
 * The command to run for a script option such as network-script: the
 * first word resolved under XEND_SCRIPTS_DIR unless it is absolute, then
 * the remaining words. "" if the option is empty.
 */
void xend_script_command(const char *value, struct strbuf *out);

#endif
