# shellcheck shell=sh disable=SC2154
# The domU images' device body (/bin/domU-devices.sh), sourced by
# domU-init.sh: the guest side of the split-driver tests and of make run's
# networking.  Uses /init's helpers (log, getarg, check, check_summary).
#
# Kernel command line (a config's extra=):
#   xeno.net=dhcp              eth0 by DHCP (udhcpc, /bin/udhcpc.script)
#   xeno.net=IP/PREFIX,GW      eth0 static (vif-route, vif-nat): the gateway
#                              gets a host route first, as it need not be in
#                              the guest's subnet (vif-route: dom0's address)
#   xeno.test=devices          the checks below, then power off unless
#                              xeno.stay=1 (the test shuts the guest down)
#     xeno.disk=xvda           the disk to mount (default xvda; none: no disk)
#     xeno.marker=TEXT         the line its marker.txt must hold
#     xeno.ro=1                the disk is read-only: no write check
#     xeno.url=URL xeno.md5=M  fetch URL (wget) and compare its md5
#     xeno.hotplug=xvdb        wait for xvdb to appear (xm block-attach), print
#                              its marker.txt, then wait for it to go
#                              (xm block-detach); xeno.wait=SECONDS (120)
# Lines for the dom0 side to wait for: "xeno-domU: devices: waiting for
# xvdb", "... xvdb marker: TEXT", "... xvdb gone", "... net: eth0 ADDR".

# dev_wait SECONDS COMMAND...: retry every 0.5 s until COMMAND succeeds
dev_wait() {
    _dw=$(($1 * 2)); shift
    while [ "$_dw" -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; _dw=$((_dw - 1)); done
    return 1
}
dev_gw() { ip route | awk '$1 == "default" { print $3; exit }'; }
dev_addr() { ip -4 addr show dev eth0 | awk '$1 == "inet" { print $2; exit }'; }

# dev_net_up MODE: configure eth0 per xeno.net (see above); 0 when it has an
# address and a default route.
dev_net_up() {
    ip link set lo up
    dev_wait 20 ip link show eth0 || { log "devices: no eth0 (netfront)"; return 1; }
    case $1 in
        dhcp)
            # udhcpc's default: 3 discovers 3 s apart; QEMU's user network
            # answers at once, but the bridge port may still be learning
            ip link set eth0 up
            timeout 40 udhcpc -i eth0 -n -q -t 8 -T 2 -s /bin/udhcpc.script >/tmp/udhcpc.log 2>&1 ||
                { log "devices: udhcpc got no lease: $(tail -3 /tmp/udhcpc.log | tr '\n' ' ')"; return 1; } ;;
        */*,*)
            _ip=${1%%,*}; _gw=${1#*,}
            ip link set eth0 up && ip addr add "$_ip" dev eth0 &&
                ip route replace "$_gw" dev eth0 && ip route replace default via "$_gw" ||
                { log "devices: static $_ip via $_gw failed"; return 1; } ;;
        *) log "devices: xeno.net=$1: expected dhcp or IP/PREFIX,GW"; return 1 ;;
    esac
    log "devices: net: eth0 $(dev_addr) gateway $(dev_gw)"
    [ -n "$(dev_addr)" ] && [ -n "$(dev_gw)" ]
}

dev_marker_is() { [ "$(cat "$1/marker.txt" 2>/dev/null)" = "$2" ]; }
dev_write() { echo "$2" >"$1/fromdomU.txt" && sync && [ "$(cat "$1/fromdomU.txt")" = "$2" ]; }
dev_ping() { ping -c 3 -W 3 "$1" >/tmp/ping.log 2>&1; }
dev_fetch() { # URL MD5
    rm -f /tmp/payload
    # (timeout, not wget -T: busybox 1.35's wget crashes with -T)
    timeout 30 wget -q -O /tmp/payload "$1" 2>/tmp/wget.log || { log "devices: wget: $(cat /tmp/wget.log)"; return 1; }
    _got=$(md5sum /tmp/payload | cut -d' ' -f1)
    log "devices: fetched $(wc -c </tmp/payload) bytes, md5 $_got"
    [ "$_got" = "$2" ]
}
dev_present() { [ -b "/dev/$1" ]; }
dev_absent() { [ ! -e "/dev/$1" ] && [ ! -e "/sys/block/$1" ]; }

dev_disk_checks() {
    _dsk=$(getarg xeno.disk xvda); _m=/mnt/$_dsk
    [ "$_dsk" = none ] && return 0
    check "/dev/$_dsk is a block device (blkfront)" dev_wait 20 dev_present "$_dsk"
    mkdir -p "$_m"
    if [ "$(getarg xeno.ro 0)" = 1 ]; then
        check "mount -o ro /dev/$_dsk (ext4)" mount -t ext4 -o ro "/dev/$_dsk" "$_m"
    else
        check "mount /dev/$_dsk (ext4)" mount -t ext4 "/dev/$_dsk" "$_m"
    fi
    _mk=$(getarg xeno.marker)
    [ -n "$_mk" ] && check "$_dsk's marker.txt reads $_mk" dev_marker_is "$_m" "$_mk"
    log "devices: $_dsk marker: $(cat "$_m/marker.txt" 2>/dev/null)"
    if [ "$(getarg xeno.ro 0)" = 1 ]; then
        check "writing to read-only $_dsk fails" sh -c "! echo x >'$_m/fromdomU.txt'"
    else
        check "write and sync $_dsk/fromdomU.txt" dev_write "$_m" "written by domU $(hostname) on $_dsk"
    fi
    check "umount $_dsk" umount "$_m"
}

dev_net_checks() {
    _net=$(getarg xeno.net)
    [ -n "$_net" ] || return 0
    check "eth0 configured (xeno.net=$_net)" dev_net_up "$_net"
    _gw=$(dev_gw)
    check "ping the gateway ${_gw:-?}" dev_ping "${_gw:-none}"
    sed 's/^/    ping: /' /tmp/ping.log 2>/dev/null | tail -2
    _url=$(getarg xeno.url)
    [ -n "$_url" ] && check "wget $_url: md5 matches" dev_fetch "$_url" "$(getarg xeno.md5)"
}

dev_hotplug_checks() {
    _h=$(getarg xeno.hotplug)
    [ -n "$_h" ] || return 0
    _w=$(getarg xeno.wait 120)
    log "devices: waiting for $_h"
    check "hot-plugged /dev/$_h appeared (block-attach)" dev_wait "$_w" dev_present "$_h"
    mkdir -p "/mnt/$_h"
    check "mount -o ro /dev/$_h" mount -t ext4 -o ro "/dev/$_h" "/mnt/$_h"
    log "devices: $_h marker: $(cat "/mnt/$_h/marker.txt" 2>/dev/null)"
    check "umount $_h" umount "/mnt/$_h"
    check "/dev/$_h went away (block-detach)" dev_wait "$_w" dev_absent "$_h"
    log "devices: $_h gone"
}

dev_test() {
    log "devices: xenbus: $(ls /sys/bus/xen/devices 2>/dev/null | tr '\n' ' ')"
    dev_disk_checks
    dev_net_checks
    dev_hotplug_checks
    check_summary
    if [ "$(getarg xeno.stay 0)" = 1 ]; then
        log "devices: done, staying up (xeno.stay=1)"
    else
        power_off
    fi
}
