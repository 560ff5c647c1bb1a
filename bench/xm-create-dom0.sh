# shellcheck shell=sh disable=SC2154
# Inside the toolstack dom0 (sourced by tools/images/toolstack-init.sh for
# xeno.test=bench-xm): time `xm create` of /etc/xen/debian (Debian 6.1
# kernel + busybox initramfs, console=hvc0) with memory=256 (as the xl side) until
# the domU's /init prints its marker into the xenconsoled log, then
# `xm destroy` it.  Clock: dom0's /proc/uptime (both marks taken in dom0,
# as the xl side does).  Runs: xeno.bench.runs=N (default 5).
runs=$(getarg xeno.bench.runs 5)
now() { cut -d' ' -f1 /proc/uptime; }
i=1
while [ "$i" -le "$runs" ]; do
    name=bench$i
    logf=/var/log/xen/console/guest-$name.log
    t0=$(now)
    if ! xm create -q /etc/xen/debian name=$name memory=256 >/tmp/bench.out 2>&1; then
        log "bench: xm create failed: $(cat /tmp/bench.out)"; break
    fi
    n=0
    until grep -q "xeno-domU: init reached" "$logf" 2>/dev/null; do
        n=$((n + 1)); [ $n -gt 6000 ] && break
        sleep 0.01
    done
    t1=$(now)
    echo "xm-create-to-init run=$i seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    xm destroy $name
    i=$((i + 1))
done
