# shellcheck shell=sh disable=SC2154
# The domU half of bench/split-drivers.sh: network and disk speed through
# netfront/blkfront, measured inside the guest.  Packed as /etc/init.body
# into an archive appended to the Debian 6.1 domU initramfs
# (build/images/domU-amd64-initrd.cpio.gz), so the same guest image runs on
# Xeno and on Xen 4.17; sourced by /init (tools/images/init.sh) after the
# modules (xen-blkfront, xen-netfront) are loaded.
#
# Kernel command line (the config's extra=, written by
# bench/split-drivers-dom0.sh):
#   xeno.sd.runs=N      repetitions (5)
#   xeno.sd.netmb=M     MiB per TCP transfer (8)
#   xeno.sd.blkmb=M     MiB per disk read or write (32)
#   xeno.sd.ip=A/P      eth0's address (10.99.0.2/24)
#   xeno.sd.peer=A      dom0's address on the bridge (10.99.0.1)
# dom0 listens on 5001 (a sink: nc -l >/dev/null), 5002 (a source: M MiB
# of zeros, then EOF) and 5003 (drops dom0's page cache, answers "dropped").
#
# Output on the console (dom0 relays it to the serial log):
#   SDBENCH guest ready ...
#   SDBENCH run=I tx_MBps=.. rx_MBps=.. ping_ms=.. write_MBps=.. read_MBps=..
#   SDBENCH FAIL what
#   SDBENCH guest done ok=K
# MBps is MiB/s.  Clock: the guest's /proc/uptime (10 ms steps); each
# transfer lasts seconds, so the step is below 1 %.
runs=$(getarg xeno.sd.runs 5)
netmb=$(getarg xeno.sd.netmb 8)
blkmb=$(getarg xeno.sd.blkmb 32)
myip=$(getarg xeno.sd.ip 10.99.0.2/24)
peer=$(getarg xeno.sd.peer 10.99.0.1)

say() { echo "SDBENCH $*"; }
stamp() { read -r _up _idle </proc/uptime; eval "$1=\$_up"; }
# MiB per second for M MiB between two stamps
rate() { awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { d = b - a; if (d <= 0) d = 0.005; printf "%.2f", m / d }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sd_wait() { # SECONDS COMMAND...: retry every 0.2 s
    _n=$(($1 * 5)); shift
    until "$@" >/dev/null 2>&1; do _n=$((_n - 1)); [ $_n -gt 0 ] || return 1; sleep 0.2; done
}
fail() { say "FAIL $*"; say "guest done ok=$ok"; power_off; }
ok=0

# nc reads its stdin while connected and half-closes the connection at its
# EOF; a FIFO held open here never ends, so the receiving side waits for
# the peer's EOF instead
mkfifo /tmp/hold && exec 3<>/tmp/hold || fail "mkfifo /tmp/hold"

sd_wait 30 ip link show eth0 || fail "no eth0 (netfront) after 30 s"
sd_wait 30 test -b /dev/xvda || fail "no /dev/xvda (blkfront) after 30 s"
ip link set lo up
ip addr add "$myip" dev eth0 && ip link set eth0 up || fail "ip addr add $myip dev eth0"
# the bridge port (vif in dom0) may still be coming up
sd_wait 60 ping -c 1 -W 1 "$peer" || fail "no answer from $peer within 60 s"
disk_mb=$(($(cat /sys/block/xvda/size) / 2048))
[ "$disk_mb" -ge "$blkmb" ] || fail "xvda has $disk_mb MiB, less than xeno.sd.blkmb=$blkmb"
say "guest ready runs=$runs netmb=$netmb blkmb=$blkmb xvda_mb=$disk_mb kernel=$(uname -r) hv=$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)"

bytes=$((netmb * 1048576))
i=1
while [ $i -le "$runs" ]; do
    # 1. domU -> dom0: zeros into dom0's sink
    stamp t0
    dd if=/dev/zero bs=64k count=$((netmb * 16)) 2>/dev/null | nc "$peer" 5001 || fail "run=$i nc to $peer:5001"
    stamp t1
    tx=$(rate "$netmb" "$t0" "$t1")
    # 2. dom0 -> domU: dom0's source until its EOF
    stamp t0
    got=$(nc "$peer" 5002 </tmp/hold | wc -c)
    stamp t1
    [ "$got" = "$bytes" ] || fail "run=$i got $got bytes from $peer:5002, expected $bytes"
    rx=$(rate "$netmb" "$t0" "$t1")
    # 3. 20 echo round trips, 0.2 s apart; their median
    ping -c 20 -i 0.2 "$peer" >/tmp/ping.out 2>&1 || fail "run=$i ping: $(tail -2 /tmp/ping.out | tr '\n' ' ')"
    rtt=$(sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' /tmp/ping.out | median)
    # 4. sequential write, past the guest's cache, flushed before the mark
    stamp t0
    dd if=/dev/zero of=/dev/xvda bs=1M count="$blkmb" oflag=direct conv=fsync 2>/tmp/dd.err ||
        fail "run=$i dd to xvda: $(cat /tmp/dd.err)"
    stamp t1
    wr=$(rate "$blkmb" "$t0" "$t1")
    # 5. sequential read through the page cache, emptied in the guest and
    #    (over port 5003) in dom0 first
    sync
    echo 3 >/proc/sys/vm/drop_caches
    [ "$(nc "$peer" 5003 </tmp/hold)" = dropped ] || fail "run=$i dom0 did not drop its caches (port 5003)"
    stamp t0
    dd if=/dev/xvda of=/dev/null bs=1M count="$blkmb" 2>/tmp/dd.err || fail "run=$i dd from xvda: $(cat /tmp/dd.err)"
    stamp t1
    rd=$(rate "$blkmb" "$t0" "$t1")
    say "run=$i tx_MBps=$tx rx_MBps=$rx ping_ms=$rtt write_MBps=$wr read_MBps=$rd"
    ok=$((ok + 1))
    i=$((i + 1))
done
say "guest done ok=$ok"
power_off
