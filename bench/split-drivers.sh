#!/usr/bin/env bash
# Split-driver speed: a Debian 6.1 domU's network and disk through dom0's
# netback/blkback, Xeno (xm create, xend, /etc/xen/scripts) against
# Debian's Xen 4.17 (xl create, Debian's hotplug scripts), under the same
# QEMU (TCG, -smp 2 -m 2048, no NIC), dom0_mem=512M, Debian 6.1 dom0, the
# same domU kernel and initramfs, memory=256, vcpus=1, and the same config:
#   disk = [ 'file:/tmp/sdbench.img,xvda,w' ]  (a file in dom0's tmpfs)
#   vif = [ 'bridge=xenbr0' ]                  (dom0 10.99.0.1, domU .2)
# Both dom0s run bench/split-drivers-dom0.sh; the guest runs
# bench/split-drivers-domU.sh, which measures RUNS times, timed in the
# domU: TCP domU->dom0 and dom0->domU (busybox nc, NETMB MiB of zeros),
# the ping round trip to dom0 (median of 20), sequential write to xvda
# (dd bs=1M oflag=direct conv=fsync) and read (dd bs=1M after
# drop_caches in the domU and in dom0), BLKMB MiB each.
# Prints every sample, then per metric both medians and the ratio Xeno/Xen
# (MiB/s: above 1 Xeno is faster; ping: below 1 Xeno is faster).
#   RUNS=N (5)  NETMB=M (8)  BLKMB=M (64)
#   SD_WAIT_IDLE=SECONDS (600): first wait up to that long until no other
#   QEMU runs (under TCG they share the host's two CPUs)
# Logs: build/bench/split-drivers/ (xeno.log; Xen: xen/serial.log).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/qemu.sh"
runs=${RUNS:-5} netmb=${NETMB:-8} blkmb=${BLKMB:-64}
out=$root/build/bench/split-drivers
img=$root/build/images
mkdir -p "$out"
say() { echo "split-drivers: $*" >&2; }
make -s -C "$root" hypervisor toolstack-image >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }

wait_idle() {
    local w=0 max=${SD_WAIT_IDLE:-600}
    while [ "$(pgrep -c qemu-system)" != 0 ] && [ $w -lt "$max" ]; do
        [ $w = 0 ] && say "waiting up to $max s for the other QEMUs to end"
        sleep 5; w=$((w + 5))
    done
    [ "$(pgrep -c qemu-system)" = 0 ] || say "warning: $(pgrep -c qemu-system) other QEMUs run beside this one; its numbers are slower"
    say "host load before the boot: $(cut -d' ' -f1-3 /proc/loadavg)"
}
# watch_others FILE: until killed, every 2 s the number of QEMUs beside ours
# (noise: under TCG they share the host's two CPUs); others_seen FILE: the
# most seen
watch_others() { while :; do echo $(($(pgrep -c qemu-system) - 1)); sleep 2; done >"$1"; }
others_seen() { sort -n "$1" | tail -n 1; }

# The guest image of both sides: the Debian 6.1 domU initramfs with the
# measuring body as /etc/init.body (a second cpio archive after the first
# overwrites it), gzip'd as one stream as the toolstacks expect.
mk_cpio() { (cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet); }
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/domU/etc" "$stage/dom0/etc" "$stage/dom0/usr/share/xeno" "$stage/dom0/var/lib/xen/images"
install -m 0644 "$root/bench/split-drivers-domU.sh" "$stage/domU/etc/init.body"
guest=$out/domU-initrd.cpio.gz
{ zcat "$img/domU-amd64-initrd.cpio.gz" && mk_cpio "$stage/domU"; } | gzip -1 >"$guest" ||
    { say "cannot build $guest"; exit 1; }

# Xeno: the toolstack image plus the guest initrd, the settings and the
# dom0 body (the image installs one too; this copy is the current one)
cp "$guest" "$stage/dom0/var/lib/xen/images/bench-sd-initrd.gz"
install -m 0644 "$root/bench/split-drivers-dom0.sh" "$stage/dom0/usr/share/xeno/bench-sd.sh"
cat >"$stage/dom0/etc/sdbench.conf" <<EOF
SD_TOOL=xm
SD_RUNS=$runs
SD_NETMB=$netmb
SD_BLKMB=$blkmb
SD_MEMORY=256
SD_KERNEL=/var/lib/xen/images/debian-vmlinuz
SD_INITRD=/var/lib/xen/images/bench-sd-initrd.gz
EOF
{ cat "$img/toolstack-initrd.cpio.gz" && mk_cpio "$stage/dom0" | gzip -1; } >"$out/xeno-dom0-initrd.cpio.gz" ||
    { say "cannot build the Xeno dom0 initrd"; exit 1; }

echo "== Xeno: xm create, disk + vif (runs=$runs, netmb=$netmb, blkmb=$blkmb)"
wait_idle
watch_others "$out/xeno.others" &
mon=$!
st=$(qemu_boot "$out/xeno.log" $((600 + runs * 180)) -smp 2 -m 2048 -nic none -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "$img/dom0-vmlinuz console=hvc0 xeno.test=bench-sd,$out/xeno-dom0-initrd.cpio.gz")
tr -d '\r' <"$out/xeno.log" | grep -o 'SDBENCH .*' | sed 's/^/xeno: /' | tee "$out/xeno.out"
kill $mon
echo "xeno: other QEMUs on the host during the boot: at most $(others_seen "$out/xeno.others")" | tee -a "$out/xeno.out"
[ "$st" = 1 ] || say "Xeno: QEMU status $st (1 = dom0 powered off); log $out/xeno.log"

echo "== Xen 4.17: xl create, disk + vif (runs=$runs)"
wait_idle
watch_others "$out/xen.others" &
mon=$!
"$root/bench/xl-split-drivers-xen.sh" --kernel "$img/domU-amd64-vmlinuz" --initrd "$guest" \
    --runs "$runs" --netmb "$netmb" --blkmb "$blkmb" --memory 256 --out "$out/xen" |
    sed 's/^/xen: /' | tee "$out/xen.out"
kill $mon
echo "xen: other QEMUs on the host during the boot: at most $(others_seen "$out/xen.others")" | tee -a "$out/xen.out"

# ---- medians and ratios ---------------------------------------------------------
samples() { # SIDE METRIC: the metric's value of every run, one per line
    sed -n "s/.*SDBENCH run=[0-9]* .*\b$2=\([0-9.]*\).*/\1/p" "$out/$1.out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
fail=0
for side in xeno xen; do
    n=$(grep -c 'SDBENCH run=[0-9]* tx_MBps=' "$out/$side.out")
    [ "$n" = "$runs" ] || { say "$side: $n of $runs runs measured"; fail=1; }
done
echo "== results (medians of $runs runs; samples above)"
printf '%-32s %12s %12s %10s  %s\n' metric Xeno "Xen 4.17" Xeno/Xen better
for m in tx_MBps:"TCP domU->dom0 (MiB/s)":higher rx_MBps:"TCP dom0->domU (MiB/s)":higher \
         ping_ms:"ping domU->dom0 (ms)":lower write_MBps:"xvda write (MiB/s)":higher \
         read_MBps:"xvda read (MiB/s)":higher; do
    key=${m%%:*} rest=${m#*:}; what=${rest%:*} better=${rest##*:}
    a=$(samples xeno "$key" | median) || a=nan
    b=$(samples xen "$key" | median) || b=nan
    r=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b }')
    if [ "$better" = higher ]; then hint="above 1: Xeno faster"; else hint="below 1: Xeno faster"; fi
    printf '%-32s %12s %12s %10s  %s\n' "$what" "$a" "$b" "$r" "$hint"
done
[ $fail = 0 ] || { say "incomplete: see $out/xeno.log and $out/xen/serial.log"; exit 1; }
