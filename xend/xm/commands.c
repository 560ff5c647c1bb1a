/* SPDX-License-Identifier: MIT */
/*
 * The xm command table: every subcommand's name, handler, usage, help and
 * options. Help output, option parsing and usage errors are generated
 * from it (cli.c, help.c); the usage strings and summaries are xm's.
 *
 * What each command asks xend (protocol.h; "args" members, then "result"):
 *   create     {config: {xm config keys}, paused: bool}  -> {name, domid}
 *   new        {config: {...}}                           -> {name, uuid}
 *   start      {domain, paused: bool}                    -> {name, domid}
 *   delete     {domain}                                  -> null
 *   destroy, pause, unpause   {domain}                   -> null
 *   shutdown   {domain | all: true, mode: "poweroff"|"reboot"|"halt", wait: bool} -> null
 *              (xm reboot and xm shutdown -R send mode "reboot", -H "halt")
 *   rename     {domain, name}                            -> null
 *   mem-set, mem-max  {domain, memory: MiB}              -> null
 *   vcpu-set   {domain, vcpus}                           -> null
 *   console    {domain}                                  -> {domid}
 *   list       {domains: [..], long: bool, state?: "running"|...} -> [domain]
 *   uptime     asks "list"                               -> [domain]
 *   domid, domname  ask "list" for their one domain      -> [domain]
 *   vcpu-list  {domains: [..]}                           -> {nr_cpus, domains: [vCPUs]}
 *   info       {}                                        -> {host facts}
 *   dmesg      {clear: bool}                             -> {text}
 *   log        {}                                        -> {text}
 *   block-attach   {domain, uname, dev, mode, backend?}  -> null
 *   network-attach {domain, vif: "KEY=VALUE,..."}        -> null
 *   block-detach, network-detach  {domain, device: "xvdb" | "51728" | "1" | MAC,
 *              force: bool}                              -> null
 *   block-list, network-list  {domain}                   -> [{devid, nodes: [[KEY, VALUE]..]}]
 *              (a running domain's frontend nodes; else its configured devices)
 * Domains are named by name or numeric ID (a string either way). Report
 * forms are in xend/common/dominfo.h.
 */
#include "xm.h"

#include <string.h>

#define END { 0, NULL, NULL, NULL }
#define HELP_OPT { 'h', "help", NULL, "Print this help." }

static const struct xm_option no_opts[] = { HELP_OPT, END };

static const struct xm_option create_opts[] = {
    HELP_OPT,
    { 'c', "console_autoconnect", NULL, "Connect to the console after the domain is created." },
    { 'p', "paused", NULL, "Leave the domain paused after it is created." },
    { 'n', "dryrun", NULL, "Dry run: print the configuration in SXP but do not create the domain." },
    { 'q', "quiet", NULL, "Quiet." },
    { 'f', "defconfig", "FILE", "Use the given configuration file." },
    { 0, "path", "PATH", "Search path for configuration files (default .:/etc/xen)." },
    { 0, "help_config", NULL, "Print the available configuration variables (vars)." },
    END,
};

static const struct xm_option new_opts[] = {
    HELP_OPT,
    { 'q', "quiet", NULL, "Quiet." },
    { 'f', "defconfig", "FILE", "Use the given configuration file." },
    { 0, "path", "PATH", "Search path for configuration files (default .:/etc/xen)." },
    { 0, "help_config", NULL, "Print the available configuration variables (vars)." },
    END,
};

static const struct xm_option list_opts[] = {
    HELP_OPT,
    { 'l', "long", NULL, "Output all VM details in SXP." },
    { 0, "label", NULL, "Include security labels." },
    { 0, "state", "STATE", "Select only VMs with the specified state." },
    END,
};

static const struct xm_option console_opts[] = {
    HELP_OPT,
    { 'q', "quiet", NULL, "Do not print an error message if the domain does not exist." },
    END,
};

static const struct xm_option shutdown_opts[] = {
    HELP_OPT,
    { 'a', "all", NULL, "Shutdown all guest domains." },
    { 'w', "wait", NULL, "Wait for shutdown to complete." },
    { 'H', "halt", NULL, "Shutdown without reboot." },
    { 'R', "reboot", NULL, "Shutdown and reboot." },
    END,
};

static const struct xm_option reboot_opts[] = {
    HELP_OPT,
    { 'a', "all", NULL, "Reboot all guest domains." },
    { 'w', "wait", NULL, "Wait for the reboot to complete." },
    END,
};

static const struct xm_option start_opts[] = {
    HELP_OPT,
    { 'p', "paused", NULL, "Do not unpause domain after starting it." },
    { 'c', "console_autoconnect", NULL, "Connect to the console after the domain is created." },
    END,
};

static const struct xm_option uptime_opts[] = {
    HELP_OPT,
    { 's', "short", NULL, "Short output, like uptime(1)." },
    END,
};

static const struct xm_option info_opts[] = {
    HELP_OPT,
    { 'c', "config", NULL, "List Xend configuration parameters." },
    END,
};

static const struct xm_option dmesg_opts[] = {
    HELP_OPT,
    { 'c', "clear", NULL, "Clear dmesg buffer as well as printing it." },
    END,
};

static const struct xm_option device_list_opts[] = {
    HELP_OPT,
    { 'l', "long", NULL, "List the devices' xenstore nodes in SXP." },
    END,
};

static const struct xm_option device_detach_opts[] = {
    HELP_OPT,
    { 'f', "force", NULL, "Remove the device without waiting for the guest to let go of it." },
    END,
};

static const struct xm_option help_opts[] = {
    HELP_OPT,
    { 0, "long", NULL, "List every subcommand (the default)." },
    END,
};

#define LIFE "Domain lifecycle"
#define MANAGED "Managed domains"
#define CONSOLE "Console"
#define INFO "Information"
#define RES "Memory and vCPUs"
#define HOST "Host"
#define DEVICES "Virtual devices"

const struct xm_command xm_commands[] = {
    { "console", xm_cmd_console, "[-q|--quiet] <Domain>", "Attach to <Domain>'s console.",
      "Connects the terminal to the domain's first PV console (hvc0 in a Linux guest). "
      "Press Ctrl-] to detach; the domain keeps running.",
      console_opts, 1, 1, true, CONSOLE },
    { "create", xm_cmd_create, "<ConfigFile> [options] [vars]", "Create a domain based on <ConfigFile>.",
      "ConfigFile is looked up as given, then in each directory of the search path (.:/etc/xen). "
      "VAR=VALUE arguments set configuration variables: they override the file (memory=256), add "
      "devices (disk=phy:/dev/vg/x,xvdb,w) or give values the file uses by name (vmid=3). "
      "Errors in the file are reported as FILE:LINE:COL. With -c, xm attaches to the new domain's "
      "console; with -n, it only prints the configuration xend would receive.",
      create_opts, 0, XM_ARGS_MANY, true, LIFE },
    { "destroy", xm_cmd_domain_op, "<Domain>", "Terminate a domain immediately.",
      "Like pulling the power cord: the guest gets no chance to shut down cleanly.",
      no_opts, 1, 1, true, LIFE },
    { "shutdown", xm_cmd_shutdown, "<Domain> [-waRH]", "Shutdown a domain.",
      "Asks the guest to shut down cleanly and returns at once unless -w is given. -a shuts down "
      "every guest domain (not Domain-0).",
      shutdown_opts, 0, 1, true, LIFE },
    { "reboot", xm_cmd_shutdown, "<Domain> [-wa]", "Reboot a domain.",
      "Asks the guest to reboot cleanly.",
      reboot_opts, 0, 1, true, LIFE },
    { "pause", xm_cmd_domain_op, "<Domain>", "Pause execution of a domain.",
      "The domain stops being scheduled but keeps its memory and devices.",
      no_opts, 1, 1, true, LIFE },
    { "unpause", xm_cmd_domain_op, "<Domain>", "Unpause a paused domain.", NULL,
      no_opts, 1, 1, true, LIFE },
    { "rename", xm_cmd_rename, "<Domain> <NewDomainName>", "Rename a domain.", NULL,
      no_opts, 2, 2, false, LIFE },
    { "new", xm_cmd_new, "<ConfigFile> [options] [vars]", "Adds a domain to Xend domain management",
      "Reads the configuration like create and stores it with xend (under "
      "/var/lib/xend/domains/UUID/) without starting it; use start to boot it. Later edits to "
      "ConfigFile do not change the stored copy.",
      new_opts, 0, XM_ARGS_MANY, true, MANAGED },
    { "start", xm_cmd_start, "<DomainName>", "Start a Xend managed domain", NULL,
      start_opts, 1, 1, true, MANAGED },
    { "delete", xm_cmd_domain_op, "<DomainName>", "Remove a domain from Xend domain management.",
      "The domain must not be running. Its stored configuration is deleted.",
      no_opts, 1, 1, true, MANAGED },
    { "list", xm_cmd_list, "[options] [Domain, ...]", "List information about all/some domains.",
      "The State column shows r (running), b (blocked), p (paused), s (shut down), c (crashed) "
      "and d (dying). Mem is in MiB; Time(s) is the CPU time used. Managed domains that are not "
      "running have no ID.",
      list_opts, 0, XM_ARGS_MANY, true, INFO },
    { "uptime", xm_cmd_uptime, "[-s] [Domain, ...]", "Print uptime for all/some domains.", NULL,
      uptime_opts, 0, XM_ARGS_MANY, true, INFO },
    { "domid", xm_cmd_domid, "<DomainName>", "Convert a domain name to domain id.",
      "Prints the domain's numeric ID (None for a managed domain that is not running).",
      no_opts, 1, 1, false, INFO },
    { "domname", xm_cmd_domid, "<DomId>", "Convert a domain id to domain name.", NULL,
      no_opts, 1, 1, false, INFO },
    { "vcpu-list", xm_cmd_vcpu_list, "[Domain, ...]", "List the VCPUs for all/some domains.",
      "For each vCPU: the physical CPU it is on, its state (r running, b blocked, p paused or "
      "offline), its CPU time and the CPUs it may run on.",
      no_opts, 0, XM_ARGS_MANY, false, INFO },
    { "mem-set", xm_cmd_mem, "<Domain> <Mem>", "Set the current memory usage for a domain.",
      "Mem is in MiB, or has a k, m or g suffix. The guest's balloon driver gives back or takes "
      "memory up to the domain's maximum (mem-max).",
      no_opts, 2, 2, true, RES },
    { "mem-max", xm_cmd_mem, "<Domain> <Mem>", "Set the maximum amount reservation for a domain.",
      "Mem is in MiB, or has a k, m or g suffix.",
      no_opts, 2, 2, false, RES },
    { "vcpu-set", xm_cmd_vcpu_set, "<Domain> <vCPUs>",
      "Set the number of active VCPUs for allowed for the domain.",
      "vCPUs goes from 1 to the number the domain was created with; the guest brings them "
      "online or offline.",
      no_opts, 2, 2, true, RES },
    { "info", xm_cmd_info, "[-c|--config]", "Get information about Xen host.",
      "Host, hypervisor and xend facts. With -c, the settings xend uses (read from "
      "/etc/xen/xend-config.sxp; works without xend).",
      info_opts, 0, 0, false, HOST },
    { "dmesg", xm_cmd_dmesg, "[-c|--clear]", "Read and/or clear Xend's message buffer.",
      "Prints the hypervisor's console ring buffer.",
      dmesg_opts, 0, 0, false, HOST },
    { "log", xm_cmd_log, "", "Print Xend log", "Prints /var/log/xen/xend.log.",
      no_opts, 0, 0, false, HOST },
    { "block-attach", xm_cmd_block_attach, "<Domain> <BackDev> <FrontDev> <Mode> [BackDomain]",
      "Create a new virtual block device.",
      "BackDev is TYPE:TARGET as in a config file's disk entry (phy:/dev/vg/lv, "
      "file:/srv/disk.img), FrontDev the guest's name for it (xvdb, or xvdc:cdrom) and Mode r, "
      "w or w!. A running guest gets the disk at once (the block hotplug script runs); the "
      "domain's configuration keeps it.",
      no_opts, 4, 5, false, DEVICES },
    { "block-detach", xm_cmd_device_detach, "<Domain> <DevId> [-f|--force]",
      "Destroy a domain's virtual block device.",
      "DevId is the guest's device name (xvdb) or number (51728). The guest is asked to let go "
      "of it first; -f removes it without waiting.",
      device_detach_opts, 2, 2, false, DEVICES },
    { "block-list", xm_cmd_device_list, "<Domain> [--long]",
      "List virtual block devices for a domain.", NULL,
      device_list_opts, 1, 1, false, DEVICES },
    { "network-attach", xm_cmd_network_attach,
      "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] "
      "[backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>]",
      "Create a new virtual network device.",
      "Without mac= the NIC gets a random 00:16:3e:xx:xx:xx address; the vif script "
      "(xend-config.sxp vif-script, or script=) connects it to the host's network.",
      no_opts, 1, 11, false, DEVICES },
    { "network-detach", xm_cmd_device_detach, "<Domain> <DevId|mac> [-f|--force]",
      "Destroy a domain's virtual network device.",
      "DevId is the N of vifD.N (network-list's Idx), or give the NIC's MAC address.",
      device_detach_opts, 2, 2, false, DEVICES },
    { "network-list", xm_cmd_device_list, "<Domain> [--long]",
      "List virtual network interfaces for a domain.", NULL,
      device_list_opts, 1, 1, false, DEVICES },
    { "help", xm_cmd_help, "[--long] [<Command>]", "Display this message.",
      "Without a command, lists every subcommand; with one, shows its usage.",
      help_opts, 0, 1, true, HOST },
};

const size_t xm_nr_commands = sizeof(xm_commands) / sizeof(xm_commands[0]);

const struct xm_alias xm_aliases[] = {
    { "balloon", "mem-set" },
    { "set-vcpus", "vcpu-set" },
};

const size_t xm_nr_aliases = sizeof(xm_aliases) / sizeof(xm_aliases[0]);
