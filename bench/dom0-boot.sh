#!/usr/bin/env bash
# QEMU start -> dom0 /init, Xeno against Debian's Xen 4.17, same dom0 kernel
# (Debian linux-image-amd64) and initramfs, same QEMU (TCG, -smp 2, 1 GiB),
# booted alternately N times (default 5).  Prints each run, the medians and
# the ratio Xeno/Xen (< 1: Xeno faster).  Times come from
# tools/images/boot-check.sh, which stamps each console line with host time.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-5}
make -s -C "$root" hypervisor images >/dev/null || { echo "build failed" >&2; exit 1; }
declare -a xeno xen
run() {
    local hv=$1 log=$root/build/bench/dom0-boot-$1-$2.log t
    mkdir -p "$root/build/bench"
    t=$("$root/tools/images/boot-check.sh" --hv "$hv" --mode test --log "$log" 2>&1 |
        sed -nE 's/^boot-check: +init reached +([0-9.]+) s.*/\1/p')
    echo "${t:-nan}"
}
for i in $(seq "$n"); do
    if [ $((i % 2)) -eq 1 ]; then a=xeno b=xen; else a=xen b=xeno; fi
    ta=$(run $a "$i"); tb=$(run $b "$i")
    if [ $a = xeno ]; then xeno+=("$ta"); xen+=("$tb"); else xen+=("$ta"); xeno+=("$tb"); fi
    echo "run $i: xeno ${xeno[-1]} s, xen ${xen[-1]} s"
done
median() { printf '%s\n' "$@" | grep -v nan | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "nan"}'; }
mx=$(median "${xeno[@]}"); mn=$(median "${xen[@]}")
echo "median QEMU start -> dom0 /init: Xeno $mx s, Xen 4.17 $mn s, ratio $(awk -v a="$mx" -v b="$mn" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')"
