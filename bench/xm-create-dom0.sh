# shellcheck shell=sh disable=SC2154
# Inside the toolstack dom0 (sourced by tools/images/toolstack-init.sh for
# xeno.test=bench-xm): time `xm create` of /etc/xen/debian (Debian 6.1
# kernel + busybox initramfs, console=hvc0) with memory=256 (as the xl side,
# bench/xen-xl/dom0-body.sh) until the domU's /init prints "init reached"
# on its console, then `xm destroy` it.  As on the xl side the console is
# read by `xm console` into busybox `grep -q`, which sleeps until the domU
# writes (no polling loop to steal CPU from the guest), and stdin of the
# console client is a FIFO held open so it never sees EOF.  Clock: dom0's
# /proc/uptime (both marks taken in dom0).  Runs: xeno.bench.runs=N (default 5).
runs=$(getarg xeno.bench.runs 5)
# QEMU's CPU has no RDRAND: wait once for the kernel's random pool, as the
# xl side does (bench/xen-xl/dom0-body.sh), so that neither toolstack's
# UUID generation waits for it inside a measured run.
head -c 1 /dev/random >/dev/null
now() { cut -d' ' -f1 /proc/uptime; }
mkfifo /tmp/bench.in
sleep 100000 >/tmp/bench.in &
holder=$!
i=1
while [ "$i" -le "$runs" ]; do
    name=bench$i
    t0=$(now)
    if ! xm create -q /etc/xen/debian name=$name memory=256 >/tmp/bench.out 2>&1; then
        log "bench: xm create failed: $(cat /tmp/bench.out)"; break
    fi
    timeout 120 xm console $name </tmp/bench.in | { grep -q "xeno-domU: init reached"; now >/tmp/bench.t1; }
    t1=$(cat /tmp/bench.t1)
    echo "xm-create-to-init run=$i seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    xm destroy $name
    i=$((i + 1))
done
kill $holder 2>/dev/null
grep -i "built\|build" /var/log/xen/xend.log | tail -n "$runs" | sed 's/^/xend.log: /'
