# shellcheck shell=sh disable=SC2154
# domU init body: sourced by /init (tools/images/init.sh) after the mounts
# and the module loading (xen-blkfront xen-netfront), before the shell.
#
# Kernel command line:
#   xeno.test=1   run the checks, print "xeno-domU-test: N passed, M failed",
#                 then poweroff -f
#   xeno.shell=0  power off instead of starting the shell
hostname domU 2>/dev/null

if [ -r /sys/hypervisor/type ]; then
    log "hypervisor: $(hv type) $(hv version/major).$(hv version/minor)$(hv version/extra)"
else
    log "no /sys/hypervisor/type: not running on Xen"
fi
for _d in /sys/bus/xen/devices/*; do
    [ -e "$_d" ] && log "xen device ${_d##*/}: $(cat "$_d/nodename" 2>/dev/null) $(cat "$_d/devtype" 2>/dev/null)"
done

if [ "$(getarg xeno.test 0)" = 1 ]; then
    xen_guest_checks
    check_summary
    power_off
fi
