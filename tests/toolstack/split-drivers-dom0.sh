# shellcheck shell=sh disable=SC2154
# The dom0 half of tests/toolstack/split-drivers.sh: disks and NICs of
# Debian (cloud kernel) domUs through dom0's xen-blkback / xen-netback,
# driven with xm and the real xend, which runs /etc/xen/scripts (block,
# vif-bridge, vif-route, vif-nat, network-*) as docs/devices.md says.
# Sourced by /init (toolstack-init.sh, xeno.test=split-drivers) after
# xenstored, xenconsoled and xend started (xend's network-script bridged
# eth0: bridge eth0, NIC peth0).  Prints "xeno-dom0-test: ok|FAIL - ..."
# and a summary.  The guests run the checks of /bin/domU-devices.sh
# (xeno.test=devices); their "xeno-domU-test:" lines come back as checks
# named after the guest.
# Inputs the host put into the image: /usr/share/xeno/split-drivers.conf
# (SD_URL, SD_MD5, SD_MARKER_A/B/C) and /var/lib/xen/images/sd-{a,b,c}.img
# (ext4, marker.txt = SD_MARKER_X).
. /usr/share/xeno/split-drivers.conf
IMG=/var/lib/xen/images
BE=/local/domain/0/backend

# sd_wait SECONDS COMMAND...: poll COMMAND twice a second until it succeeds
sd_wait() {
    _sw=$(($1 * 2)); shift
    until "$@" >/dev/null 2>&1; do
        _sw=$((_sw - 1)); [ "$_sw" -gt 0 ] || return 1; sleep 0.5
    done
}
sd_con() { echo "/var/log/xen/console/guest-$1.log"; }
sd_says() { tr -d '\r' <"$(sd_con "$1")" 2>/dev/null | grep -q -- "$2"; }
sd_gone() { xm list "$1" >/dev/null 2>&1; [ $? = 3 ]; }
sd_free() { xm info | awk -F': *' '$1 ~ /^free_memory/ { print $2 }'; }
sd_free_is() { [ "$(sd_free)" = "$1" ]; }
sd_loops() { # attached loop devices
    _n=0
    for _l in /sys/block/loop*; do [ -e "$_l/loop/backing_file" ] && _n=$((_n + 1)); done
    echo $_n
}
sd_loops_are() { [ "$(sd_loops)" = "$1" ]; }
sd_vifs() { ls /sys/class/net | grep -c '^vif'; }
sd_no_backend() { ! xenstore-exists "$BE/vbd/$1" && ! xenstore-exists "$BE/vif/$1"; }
sd_nr_domains() { xenstore-list /local/domain | wc -l; }
# xm block-list: Vdev BE handle state evt-ch ring-ref BE-path
sd_vbd_state_is() { xm block-list "$1" | awk -v v="$2" -v s="$3" 'NR > 1 && $1 == v && $4 == s { f = 1 } END { exit !f }'; }
# xm network-list: Idx BE MAC handle state evt-ch tx-/rx-ring-ref BE-path
sd_vif_state_is() { xm network-list "$1" | awk -v i="$2" -v s="$3" 'NR > 1 && $1 == i && $5 == s { f = 1 } END { exit !f }'; }
sd_show() { log "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }

# sd_cfg NAME EXTRA DISKS VIFS: /tmp/NAME.cfg, the cloud kernel with the
# device body; DISKS and VIFS are Python list bodies.
sd_cfg() {
    cat >"/tmp/$1.cfg" <<EOF
name = "$1"
kernel = "/var/lib/xen/images/cloud-vmlinuz"
ramdisk = "/var/lib/xen/images/cloud-initrd.gz"
extra = "console=hvc0 xeno.test=devices $2"
memory = 128
vcpus = 1
disk = [ $3 ]
vif = [ $4 ]
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
}

# sd_create NAME: xm create /tmp/NAME.cfg, its output in /tmp/NAME.out;
# sets SD_ST (exit status) and D (the domid, empty if none).
sd_create() {
    xm create "/tmp/$1.cfg" >"/tmp/$1.out" 2>&1
    SD_ST=$?
    D=$(xm domid "$1" 2>/dev/null)
    sed 's/^/    | /' "/tmp/$1.out"
}

# sd_relay NAME: each of the guest's own checks as a check of ours, then
# its summary (no failure, at least one pass).
sd_relay() {
    tr -d '\r' <"$(sd_con "$1")" | sed -n 's/.*xeno-domU-test: \(ok\|FAIL\) - /\1 /p' >"/tmp/$1.checks"
    while read -r _st _what; do
        check "$1 (guest): $_what" test "$_st" = ok
    done <"/tmp/$1.checks"
    check "$1 (guest): its summary says 0 failed" sd_says "$1" "xeno-domU-test: [1-9][0-9]* passed, 0 failed"
    tr -d '\r' <"$(sd_con "$1")" | grep -E "xeno-domU: devices:|ping: " | sed 's/^/    | /'
}

# sd_teardown_checks NAME D WHAT: after NAME (domid D) is gone: nothing of
# it is left in dom0.
sd_teardown_checks() {
    check "$1 is gone ($3)" sd_wait 60 sd_gone "$1"
    check "$1: /local/domain/0/backend/{vbd,vif}/$2 removed" sd_wait 30 sd_no_backend "$2"
    check "$1: vif$2.* removed" sd_wait 30 sh -c "! ls /sys/class/net | grep -q '^vif$2\\.'"
    check "$1: the loop devices freed ($loops0 attached, as before)" sd_wait 30 sd_loops_are "$loops0"
    check "$1: free memory is back to $free0 MiB" sd_wait 30 sd_free_is "$free0"
}

# sd_up NAME WHAT: create the guest of /tmp/NAME.cfg, which must work
sd_up() {
    sd_create "$1"
    check "xm create $1 ($2) exits 0" test "$SD_ST" = 0
}
# sd_net_up NAME NET VIFS WHAT: a diskless guest that configures eth0 per
# NET (IP/PREFIX,GW), pings and fetches the payload, then stays up
sd_net_up() {
    sd_cfg "$1" "xeno.disk=none xeno.net=$2 xeno.url=$SD_URL xeno.md5=$SD_MD5 xeno.stay=1" "" "$3"
    sd_up "$1" "$4"
}
# sd_done NAME D WHAT: wait for the staying guest's checks, take them over,
# destroy it and check that nothing of it is left
sd_done() {
    check "$1 ran its checks ($3)" sd_wait 120 sd_says "$1" "xeno-domU-test: [0-9]* passed"
    sd_relay "$1"
    check "xm destroy $1" xm destroy "$1"
    sd_teardown_checks "$1" "$2" "xm destroy"
}

log "=== dom0's network (network-bridge at xend start)"
sd_show ip -4 addr
sd_show ls /sys/class/net/eth0/brif
check "eth0 is a bridge (network-bridge)" test -d /sys/class/net/eth0/bridge
check "peth0 (the NIC) is a port of eth0" test -e /sys/class/net/eth0/brif/peth0
DOM0_IP=$(ip -4 addr show dev eth0 | awk '$1 == "inet" { sub(/\/.*/, "", $2); print $2; exit }')
check "the bridge eth0 holds dom0's address (${DOM0_IP:-none})" test -n "$DOM0_IP"
free0=$(sd_free); loops0=$(sd_loops); doms0=$(sd_nr_domains)
log "free memory ${free0} MiB, ${loops0} loop devices, ${doms0} domains"

log "=== bridged guest sd1: file: disk, vif, hot-plugged xvdb"
sd_cfg sd1 "xeno.marker=$SD_MARKER_A xeno.net=dhcp xeno.url=$SD_URL xeno.md5=$SD_MD5 xeno.hotplug=xvdb xeno.stay=1" \
    "'file:$IMG/sd-a.img,xvda,w'" "''"
sd_up sd1 "file: disk, vif in bridge mode"
D1=$D
check "xm block-list sd1: xvda (51712) in state 4" sd_wait 60 sd_vbd_state_is sd1 51712 4
check "xm network-list sd1: vif 0 in state 4" sd_wait 60 sd_vif_state_is sd1 0 4
sd_show xm block-list sd1
sd_show xm network-list sd1
check "vif$D1.0 is a port of the bridge eth0" test -e "/sys/class/net/eth0/brif/vif$D1.0"
check "sd1's xvda is on a loop device" test "$(sd_loops)" = $((loops0 + 1))
check "sd1 waits for its hot-plugged disk (disk and network checks done)" sd_wait 150 sd_says sd1 "devices: waiting for xvdb"
check "xm block-attach sd1 file:sd-b.img xvdb r" xm block-attach sd1 "file:$IMG/sd-b.img" xvdb r
check "xm block-list sd1: xvdb (51728) in state 4" sd_wait 60 sd_vbd_state_is sd1 51728 4
check "sd1 reads xvdb's marker" sd_wait 60 sd_says sd1 "devices: xvdb marker: $SD_MARKER_B"
sd_show xm block-list sd1
check "xm block-detach sd1 xvdb" xm block-detach sd1 xvdb
check "sd1's xvdb went away" sd_wait 60 sd_says sd1 "devices: xvdb gone"
check "xm block-list sd1 no longer lists 51728" sd_wait 30 sh -c "! xm block-list sd1 | awk '\$1 == 51728 { f = 1 } END { exit !f }'"
check "backend/vbd/$D1/51728 removed" sd_wait 30 sh -c "! xenstore-exists $BE/vbd/$D1/51728"
check "xvdb's loop device freed" sd_wait 30 sd_loops_are $((loops0 + 1))
check "sd1 finished its checks" sd_wait 60 sd_says sd1 "xeno-domU-test: [0-9]* passed"
sd_relay sd1

log "=== the same image writable in a second domain"
sd_cfg sd2 "xeno.marker=$SD_MARKER_A xeno.ro=1" "'file:$IMG/sd-a.img,xvda,w'" ""
sd_create sd2
check "xm create sd2 with sd1's image writable exits 1" test "$SD_ST" = 1
check "... with xend's 'could not be connected' error" grep -q "Device 51712 (vbd) could not be connected" /tmp/sd2.out
check "... and sd2 does not exist" sd_gone sd2
check "... and left no domain behind" sd_wait 30 sh -c "[ \$(xenstore-list /local/domain | wc -l) = $((doms0 + 1)) ]"
sd_cfg sd2 "xeno.marker=$SD_MARKER_A xeno.ro=1" "'file:$IMG/sd-a.img,xvda,w!'" ""
sd_up sd2 "mode w!: sharing forced"
check "sd2 mounts the shared disk read-only and reads its marker" sd_wait 90 sd_says sd2 "xeno-domU-test: [0-9]* passed"
sd_relay sd2
check "sd2 powered off by itself (on_poweroff=destroy)" sd_wait 60 sd_gone sd2

log "=== xm shutdown -w sd1"
check "xm shutdown -w sd1" timeout 120 xm shutdown -w sd1
sd_teardown_checks sd1 "$D1" "xm shutdown -w"
mkdir -p /tmp/sda
if mount -t ext4 -o ro,loop "$IMG/sd-a.img" /tmp/sda; then
    check "sd1's write reached sd-a.img in dom0" grep -q "written by domU" /tmp/sda/fromdomU.txt
    umount /tmp/sda
else
    check "mount sd-a.img in dom0 to read sd1's write" false
fi
loops0=$(sd_loops)

log "=== phy: disk (a loop device made in dom0)"
LOOP=$(losetup -f)
if losetup "$LOOP" "$IMG/sd-c.img"; then
    check "losetup $LOOP sd-c.img" true
else
    check "losetup $LOOP sd-c.img" false
fi
sd_cfg sd3 "xeno.marker=$SD_MARKER_C xeno.net=dhcp" "'phy:$LOOP,xvda,w'" "''"
sd_up sd3 "phy:$LOOP"
D3=$D
check "backend/vbd/$D3/51712 has physical-device 7:N" sd_wait 30 sh -c "xenstore-read $BE/vbd/$D3/51712/physical-device | grep -q '^7:'"
check "sd3 ran its checks and powered off" sd_wait 150 sd_gone sd3
sd_relay sd3
check "sd3: backend/{vbd,vif}/$D3 removed" sd_wait 30 sd_no_backend "$D3"
check "sd3: $LOOP is still attached (phy: is the admin's)" test -e "/sys/block/${LOOP#/dev/}/loop/backing_file"
losetup -d "$LOOP"
check "free memory is back to $free0 MiB" sd_wait 30 sd_free_is "$free0"

log "=== errors leave nothing behind"
# sd_refused NAME WHAT ERROR: /tmp/NAME.cfg's create failed with ERROR and
# left no domain, backend directory, loop device or vif
sd_refused() {
    sd_create "$1"
    check "$2: xm create exits 1" test "$SD_ST" = 1
    check "... $3" grep -q "$3" "/tmp/$1.out"
    check "... no domain $1" sd_gone "$1"
    check "... no domain left in xenstore" sd_wait 30 sh -c "[ \$(xenstore-list /local/domain | wc -l) = $doms0 ]"
    check "... no backend directories left" sd_wait 30 sh -c "[ -z \"\$(xenstore-list $BE/vbd 2>/dev/null)\$(xenstore-list $BE/vif 2>/dev/null)\" ]"
    check "... no loop device left" sd_wait 30 sd_loops_are "$loops0"
    check "... no vif left" sd_wait 30 sh -c "[ \$(ls /sys/class/net | grep -c '^vif') = $vifs0 ]"
}
loops0=$(sd_loops); vifs0=$(sd_vifs)
sd_cfg sd4 "" "'file:$IMG/nosuch.img,xvda,w'" "''"
sd_refused sd4 "a missing disk file" "Device 51712 (vbd) could not be connected"
printf '#!/bin/sh\necho "vif-fail: refusing $vif" >&2\nexit 1\n' >/tmp/vif-fail
chmod 755 /tmp/vif-fail
sd_cfg sd5 "xeno.disk=none" "" "'script=/tmp/vif-fail'"
sd_refused sd5 "a vif whose script fails" "Device 0 (vif) could not be connected"
check "free memory is back to $free0 MiB" sd_wait 30 sd_free_is "$free0"

log "=== routed mode (network-route, vif-route, proxy ARP)"
check "network-route start netdev=eth0" /etc/xen/scripts/network-route start netdev=eth0
check "ip_forward is on" grep -qx 1 /proc/sys/net/ipv4/ip_forward
check "proxy_arp is on for eth0" grep -qx 1 /proc/sys/net/ipv4/conf/eth0/proxy_arp
SD_RIP=10.0.2.50
sd_net_up sdr "$SD_RIP/24,$DOM0_IP" "'script=vif-route,ip=$SD_RIP'" "vif-route, ip=$SD_RIP"
DR=$D
check "dom0 routes $SD_RIP to vif$DR.0" sd_wait 30 sh -c "ip route | grep -q '^$SD_RIP dev vif$DR.0'"
check "vif$DR.0 is no bridge port" test ! -e "/sys/class/net/eth0/brif/vif$DR.0"
sd_done sdr "$DR" "static address, through dom0 to 10.0.2.2"
check "the route to $SD_RIP is gone" sh -c "! ip route | grep -q '^$SD_RIP '"

log "=== NAT mode (network-nat, vif-nat, MASQUERADE)"
check "network-nat start netdev=eth0" /etc/xen/scripts/network-nat start netdev=eth0
check "iptables has the MASQUERADE rule on eth0" sh -c "iptables -t nat -S POSTROUTING | grep -q -- '-o eth0 -j MASQUERADE'"
# vif-nat's own addressing (no ip=): the guest is 10.<D/256>.<D%256>.<devid+1>,
# the router (the vif's address in dom0) that plus 127.  The guest must be
# told its address on its command line, so the test predicts its domid:
# the hypervisor hands them out in turn, like Xen, and sdr had the last.
DN=$((DR + 1))
SD_NIP=10.$((DN / 256)).$((DN % 256)).1
SD_NGW=10.$((DN / 256)).$((DN % 256)).128
# a second vif with ip=: the router is that address plus 127
sd_net_up sdn "$SD_NIP/24,$SD_NGW" "'script=vif-nat', 'script=vif-nat,ip=10.0.200.1'" "vif-nat, guest $SD_NIP"
check "sdn got domid $DN, as predicted" test "$D" = "$DN"
check "vif$DN.0 (no ip=) holds the router address $SD_NGW" sd_wait 30 sh -c "ip -4 addr show dev vif$DN.0 | grep -q 'inet $SD_NGW/'"
check "vif$DN.1 (ip=10.0.200.1) holds 10.0.200.128" sh -c "ip -4 addr show dev vif$DN.1 | grep -q 'inet 10.0.200.128/'"
check "sdn's fetch went through MASQUERADE (the rule counted packets)" sd_wait 120 \
    sh -c "iptables -t nat -L POSTROUTING -v -n | awk '/MASQUERADE/ && \$1 > 0 { f = 1 } END { exit !f }'"
sd_done sdn "$DN" "to 10.0.2.2 through MASQUERADE"
sd_show iptables -t nat -L POSTROUTING -v -n
check "network-nat stop" /etc/xen/scripts/network-nat stop netdev=eth0
log "=== make run's demo (/etc/xen/demo, back in bridge mode): a DHCP lease of its own"
xm create /etc/xen/demo >/tmp/demo.out 2>&1
check "xm create /etc/xen/demo" test $? = 0
DD=$(xm domid demo 2>/dev/null)
check "demo's eth0 got a lease of its own from QEMU's user network" \
    sd_wait 90 sh -c "tr -d '\r' <$(sd_con demo) | grep 'devices: net: eth0 10\.0\.2\.' | grep -vq 'eth0 $DOM0_IP/'"
check "xm network-list demo: vif 0 in state 4" sd_vif_state_is demo 0 4
check "xm block-list demo: xvda in state 4" sd_vbd_state_is demo 51712 4
check "xm shutdown -w demo" timeout 120 xm shutdown -w demo
sd_teardown_checks demo "$DD" "xm shutdown -w"
sd_show tail -30 /var/log/xen/xen-hotplug.log
check_summary
