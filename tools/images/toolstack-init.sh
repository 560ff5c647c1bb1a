# shellcheck shell=sh disable=SC2154
# dom0 init body of the toolstack image (mk/toolstack.mk): sourced by /init
# (tools/images/init.sh) after the Xen modules are loaded.  Starts what
# Debian's xencommons + xend init scripts start — xenstored, xenconsoled,
# xend (which creates the domains of /etc/xen/auto) — then:
#   xeno.test=toolstack  runs /usr/share/xeno/acceptance.sh (the checks of
#                        `make test-toolstack`) and powers off
#   xeno.test=bench-xm   the Xeno half of bench/xm-create.sh, then power off
#   xeno.test=bench-sd   the Xeno half of bench/split-drivers.sh (network and
#                        disk speed of a domU through netback/blkback;
#                        /usr/share/xeno/bench-sd.sh), then power off
#   xeno.test=split-drivers  runs /usr/share/xeno/split-drivers.sh (disks and
#                        networks of domUs through blkback/netback), power off
#   otherwise            the dom0 shell (make run)
# Before xend: eth0 (the machine's NIC, if any) gets its address by DHCP,
# as a Debian dom0's ifupdown would; xend's network-bridge then moves it
# onto the bridge.
hostname dom0 2>/dev/null
mkdir -p /proc/xen /var/log/xen/console /var/run/xend /var/lib/xend/domains /var/lib/xen
mount -t xenfs xenfs /proc/xen || log "no xenfs on /proc/xen"

# start NAME COMMAND...: run a daemon's start command, say how it went
start_daemon() {
    _n=$1; shift
    if "$@"; then log "$_n started"; else log "$_n FAILED to start (status $?)"; fi
}
# The bench measures one domain at a time, the split-driver test counts
# devices, domains and memory: no autostarted demo beside them.
case "$(getarg xeno.test)" in bench-xm|bench-sd|split-drivers) rm -f /etc/xen/auto/demo ;; esac
if ip link show eth0 >/dev/null 2>&1; then
    ip link set lo up
    # -q: quit once bound (no renewals: QEMU's user-network leases last a
    # day, and network-bridge renames eth0 under a running client)
    # (the script named: busybox's default, /etc/udhcpc/default.script, is
    # not there, and udhcpc then never finishes; timeout bounds it anyway)
    ip link set eth0 up
    if timeout 30 udhcpc -i eth0 -n -q -t 5 -T 2 -s /usr/share/udhcpc/default.script \
        >/tmp/udhcpc-dom0.log 2>&1; then
        log "eth0: $(ip -4 addr show dev eth0 | awk '$1 == "inet" { print $2 }') by DHCP"
    else
        log "eth0: no DHCP lease: $(tail -2 /tmp/udhcpc-dom0.log | tr '\n' ' ')"
    fi
fi
start_daemon xenstored /usr/sbin/xenstored --pid-file /var/run/xenstored.pid
start_daemon xenconsoled /usr/sbin/xenconsoled --pid-file=/var/run/xenconsoled.pid
start_daemon xend /usr/sbin/xend start

case "$(getarg xeno.test)" in
toolstack|split-drivers)
    if [ "$(getarg xeno.test)" = toolstack ]; then
        . /usr/share/xeno/acceptance.sh
    else
        . /usr/share/xeno/split-drivers.sh
    fi
    # as `poweroff` would: busybox signals PID 1 (this shell), whose trap
    # runs /etc/init.shutdown (the guests first), then powers off
    kill -USR2 $$
    sleep 300
    power_off ;;
bench-xm)
    . /usr/share/xeno/bench-xm.sh
    power_off ;;
bench-sd)
    . /usr/share/xeno/bench-sd.sh
    power_off ;;
*)
    log "toolstack up: try 'xm list', 'xm console demo' (Ctrl-] detaches; in demo: ip addr, ping 10.0.2.2, mount /dev/xvda /mnt), 'xm network-list demo', 'xm block-list demo', 'ls /sys/class/net/eth0/brif' (the bridge's ports), 'xm create -c debian'" ;;
esac
