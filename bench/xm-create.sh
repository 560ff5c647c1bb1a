#!/usr/bin/env bash
# `xm create` -> domU /init on Xeno against `xl create` -> domU /init on
# Debian's Xen 4.17, same Debian 6.1 domU kernel and busybox initramfs, same
# QEMU (-smp 2 -m 2048, dom0_mem=512M, Debian 6.1 dom0), both timed inside
# dom0 from the create command to the domU's "init reached" on its console.
# Prints both medians and the ratio Xeno/Xen (below 1: Xeno is faster),
# and the same for the first create alone (xend's kernel cache is cold).
#   RUNS=N (default 5)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/qemu.sh"
runs=${RUNS:-5}
out=$root/build/bench/xm-create
mkdir -p "$out"
make -s -C "$root" hypervisor toolstack-image >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== Xeno: xm create (runs=$runs)"
st=$(qemu_boot "$out/xeno.log" 900 -smp 2 -m 2048 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "$root/build/images/dom0-vmlinuz console=hvc0 xeno.test=bench-xm xeno.bench.runs=$runs,$root/build/images/toolstack-initrd.cpio.gz")
tr -d '\r' <"$out/xeno.log" | grep -o 'xm-create-to-init run=.*' | tee "$out/xeno.runs"
xeno=$(sed -n 's/.*seconds=//p' "$out/xeno.runs" | median) || { echo "no Xeno samples (QEMU status $st, log $out/xeno.log)"; exit 1; }

echo "== Xen 4.17: xl create (runs=$runs)"
"$root/bench/xl-create-xen.sh" --kernel "$root/build/images/domU-amd64-vmlinuz" \
    --initrd "$root/build/images/domU-amd64-initrd.cpio.gz" --runs "$runs" --memory 256 | tee "$out/xen.out"
xen=$(sed -n 's/^xl-create-to-init run=[0-9]* seconds=//p' "$out/xen.out" | median) || { echo "no Xen samples"; exit 1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "xm-create (Xeno) median ${xeno} s, xl create (Xen 4.17) median ${xen} s, ratio $(ratio "$xeno" "$xen")"
# xend keeps the last unpacked kernel (libxenobuild's kernel cache), so
# only its first create unpacks; xl unpacks every time.  The first runs
# compare the cold case.
xeno1=$(sed -n 's/^xm-create-to-init run=1 seconds=//p' "$out/xeno.runs")
xen1=$(sed -n 's/^xl-create-to-init run=1 seconds=//p' "$out/xen.out")
echo "first create (kernel unpacked by both): Xeno ${xeno1} s, Xen 4.17 ${xen1} s, ratio $(ratio "$xeno1" "$xen1")"
