# shellcheck shell=sh disable=SC2154
# domU init body: sourced by /init (tools/images/init.sh) after the mounts
# and the module loading (xen-blkfront xen-netfront), before the shell.
#
# Kernel command line:
#   xeno.test=1   run the checks, print "xeno-domU-test: N passed, M failed",
#                 then poweroff -f
#   xeno.test=devices  the split-driver checks of /bin/domU-devices.sh (disk,
#                 network, hot-plug; parameters there)
#   xeno.net=dhcp|IP/PREFIX,GW  configure eth0 (netfront) before the shell
#   xeno.shell=0  power off instead of starting the shell
hostname domU 2>/dev/null

# What udev's 40-vm-hotadd.rules does in a Debian guest: when the toolstack
# adds a vCPU back (xm vcpu-set), Linux's Xen cpu_hotplug driver only
# registers it again (cpuN reappears, offline); user space must online it.
# Debian's kernel has no uevent helper and this image no udev, so a loop
# does it.  (An offline cpuN that stays registered is one the toolstack
# took away while it was being removed: the driver holds the hotplug lock
# until it is unregistered, so this write then fails harmlessly.)
if [ "$(cat /sys/devices/system/cpu/possible 2>/dev/null)" != 0 ]; then
    (
        while :; do
            for _c in /sys/devices/system/cpu/cpu[0-9]*; do
                [ -r "$_c/online" ] && read -r _on <"$_c/online" && [ "$_on" = 0 ] &&
                    echo 1 >"$_c/online" 2>/dev/null
            done
            sleep 1
        done
    ) &
fi

if [ -r /sys/hypervisor/type ]; then
    log "hypervisor: $(hv type) $(hv version/major).$(hv version/minor)$(hv version/extra)"
else
    log "no /sys/hypervisor/type: not running on Xen"
fi
for _d in /sys/bus/xen/devices/*; do
    [ -e "$_d" ] && log "xen device ${_d##*/}: $(cat "$_d/nodename" 2>/dev/null) $(cat "$_d/devtype" 2>/dev/null)"
done

[ -r /bin/domU-devices.sh ] && . /bin/domU-devices.sh
case "$(getarg xeno.test 0)" in
1)
    xen_guest_checks
    check_summary
    power_off ;;
devices)
    dev_test ;;
*)
    # in the background: the console's shell need not wait for the lease
    [ -n "$(getarg xeno.net)" ] && command -v dev_net_up >/dev/null &&
        { dev_net_up "$(getarg xeno.net)" & } ;;
esac
