# shellcheck shell=sh disable=SC2154
# dom0 init body: sourced by /init (tools/images/init.sh) after the mounts
# and the module loading (xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc),
# before the interactive shell.  Output goes to the console (hvc0 under Xen).
#
# Kernel command line:
#   xeno.test=1   run the checks, print "xeno-dom0-test: N passed, M failed",
#                 then poweroff -f
#   xeno.shell=0  power off instead of starting the shell
# Without Xen (plain QEMU) everything Xen-specific just reports its absence.
hostname dom0 2>/dev/null

mkdir -p /proc/xen 2>/dev/null
if grep -qw xenfs /proc/filesystems 2>/dev/null; then
    mount -t xenfs xenfs /proc/xen || log "cannot mount xenfs on /proc/xen"
else
    log "no xenfs filesystem (xenfs module not loaded)"
fi

if [ -r /sys/hypervisor/type ]; then
    log "hypervisor type: $(hv type)"
    log "hypervisor version: $(hv version/major).$(hv version/minor)$(hv version/extra)"
    log "hypervisor properties: capabilities=\"$(hv properties/capabilities)\" changeset=\"$(hv properties/changeset)\" pagesize=$(hv properties/pagesize) virtual_start=$(hv properties/virtual_start)"
    log "hypervisor compiled: $(hv compilation/compile_date) by $(hv compilation/compiled_by) with $(hv compilation/compiler)"
else
    log "no /sys/hypervisor/type: not running on Xen"
fi
[ -r /proc/xen/capabilities ] && log "/proc/xen/capabilities: \"$(cat /proc/xen/capabilities)\""

if [ "$(getarg xeno.test 0)" = 1 ]; then
    xen_guest_checks
    check "xenfs mounted on /proc/xen"          mounted /proc/xen xenfs
    check "/proc/xen/capabilities has control_d" grep -qw control_d /proc/xen/capabilities
    check "/proc/xen/privcmd exists"            test -e /proc/xen/privcmd
    check "/dev/xen/evtchn"                     chardev /dev/xen/evtchn
    check "/dev/xen/privcmd"                    chardev /dev/xen/privcmd
    check "/dev/xen/gntdev"                     chardev /dev/xen/gntdev
    check "/dev/xen/gntalloc"                   chardev /dev/xen/gntalloc
    check "/dev/xen/xenbus_backend (dom0 xenbus)" chardev /dev/xen/xenbus_backend
    # The devices at work, through their ioctls (tools/images/xen-probe.c).
    /bin/xen-probe >/tmp/xen-probe.log 2>&1
    cat /tmp/xen-probe.log
    check "privcmd: xen_version hypercall matches /sys/hypervisor" grep -q "ok privcmd hypercall" /tmp/xen-probe.log
    check "privcmd: unknown hypercall gives ENOSYS" grep -q "ok privcmd unknown" /tmp/xen-probe.log
    check "evtchn: loopback channel delivers a notify" grep -q "ok evtchn loopback" /tmp/xen-probe.log
    check "gntalloc + gntdev: a granted page maps back" grep -q "ok grant share" /tmp/xen-probe.log
    check_summary
    power_off
fi
