#!/usr/bin/env bash
# xl-split-drivers-xen.sh - the Xen side of bench/split-drivers.sh: network
# and disk speed of a domU through dom0's netback/blkback on Debian's Xen
# 4.17 with its stock xl toolstack and hotplug scripts.
#
# usage: bench/xl-split-drivers-xen.sh --kernel VMLINUZ --initrd DOMU_INITRD
#            [--runs N] [--netmb MiB] [--blkmb MiB] [--memory MiB] [--out DIR]
#
#   --kernel   domU kernel (build/images/domU-amd64-vmlinuz)
#   --initrd   domU initramfs whose /etc/init.body is
#              bench/split-drivers-domU.sh (bench/split-drivers.sh makes it)
#   --runs     repetitions inside the one guest (5)
#   --netmb    MiB per TCP transfer (8)    --blkmb  MiB per dd (64)
#   --memory   domU MiB (256)
#   --out      serial.log, qemu.cmd (build/bench/xl-split-drivers-xen)
#
# One QEMU boot (TCG, -smp 2 -m 2048, no NIC) of Xen 4.17 (dom0_mem=512M)
# with Debian's 6.1 kernel as dom0, as bench/xl-create-xen.sh boots it
# (bench/xen-xl/: same fetch, same image builder, same dom0 init body),
# plus what xl's hotplug scripts need: /etc/xen/scripts (xen-utils-common),
# Debian's bash, and iproute2, bridge-utils, losetup, flock in
# /usr/local/sbin (first in PATH; busybox's applets stay where they are),
# the xenstore-* tools, and the modules xen-blkback xen-netback bridge loop.
# dom0's body (BODY=) is bench/split-drivers-dom0.sh with SD_TOOL=xl.
#
# stdout: the guest's and dom0's "SDBENCH ..." lines (see
# bench/split-drivers-dom0.sh).  Exit status 0 when all runs were measured.
# Cached: build/bench/xen-sd/ (packages, xen.elf, dom0-initrd.cpio.gz).
# Environment: BUILD (build), XL_XENSTORED (oxenstored), QEMU_EXTRA.
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
XX=$BUILD/bench/xen-sd
KERNEL="" INITRD="" RUNS=5 NETMB=8 BLKMB=64 MEMORY=256 OUT=$BUILD/bench/xl-split-drivers-xen
XENSTORED=${XL_XENSTORED:-oxenstored}
DEB_PACKAGES="qemu-system-x86 cpio gzip binutils busybox-static"
# Debian packages whose programs the hotplug scripts run (bridge-utils is a
# Recommends of xen-utils-4.17: a default Debian dom0 has brctl, and
# vif-bridge prefers it to ip)
export XEN_XL_EXTRA_ROOTS="bash iproute2 bridge-utils mount util-linux"
# (pkgroot path: image path)
TOOLS="bin/bash:bin/bash bin/ip:usr/local/sbin/ip sbin/bridge:usr/local/sbin/bridge
       sbin/brctl:usr/local/sbin/brctl sbin/losetup:usr/local/sbin/losetup
       usr/bin/flock:usr/local/sbin/flock etc/xen/scripts:etc/xen/scripts"
for t in write rm exists list chmod watch; do TOOLS="$TOOLS usr/bin/xenstore-$t"; done

say() { echo "xl-split-drivers-xen: $*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '6,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
num() { case "$2" in ''|*[!0-9]*|0) die "$1 $2: a positive number" ;; esac; }
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) KERNEL=${2:?}; shift 2 ;;
        --initrd) INITRD=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --netmb) NETMB=${2:?}; shift 2 ;;
        --blkmb) BLKMB=${2:?}; shift 2 ;;
        --memory) MEMORY=${2:?}; shift 2 ;;
        --out) OUT=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) say "unknown argument: $1"; usage ;;
    esac
done
[ -n "$KERNEL" ] && [ -n "$INITRD" ] || usage
[ -f "$KERNEL" ] || die "--kernel $KERNEL: no such file"
[ -f "$INITRD" ] || die "--initrd $INITRD: no such file"
num --runs "$RUNS"; num --netmb "$NETMB"; num --blkmb "$BLKMB"; num --memory "$MEMORY"

tools/deps.sh $DEB_PACKAGES || die "missing Debian packages ($DEB_PACKAGES)"
mkdir -p "$XX" "$OUT" || die "cannot create $XX and $OUT"
. bench/xen-xl/common.sh
# the packages first: the tools' paths are looked up in them
bench/xen-xl/fetch-xen.sh "$XX" >/dev/null || die "bench/xen-xl/fetch-xen.sh $XX failed"

# pkgroot path of a tool whose Debian path moved between releases (/bin vs /sbin)
MKDOM0_EXTRA=''
for t in $TOOLS; do
    src=${t%%:*} dst=${t#*:}
    if [ ! -e "$XX/pkgroot/$src" ]; then
        case $src in bin/*) alt=sbin/${src#bin/} ;; sbin/*) alt=bin/${src#sbin/} ;; *) alt=$src ;; esac
        [ -e "$XX/pkgroot/$alt" ] || [ -e "$XX/pkgroot/usr/$src" ] || die "$src is in none of the packages ($XEN_XL_EXTRA_ROOTS)"
        [ -e "$XX/pkgroot/$alt" ] && src=$alt || src=usr/$src
    fi
    MKDOM0_EXTRA="$MKDOM0_EXTRA $src:$dst"
done
export MKDOM0_EXTRA MKDOM0_MODULES="xen-blkback xen-netback bridge loop" MKDOM0_NAME=xlsd-dom0
xx_dom0 "$XX" "$MKDOM0_EXTRA $MKDOM0_MODULES"

# ---- this call's payload: the domU, the settings, the dom0 body -------------
P=$(mktemp -d "${TMPDIR:-/tmp}/xlsd-payload.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$P"' EXIT
mkdir -p "$P/boot" "$P/etc" "$P/usr/share/xeno"
cp "$KERNEL" "$P/boot/domU-vmlinuz" && cp "$INITRD" "$P/boot/domU-initrd" &&
    cp bench/split-drivers-dom0.sh "$P/usr/share/xeno/bench-sd.sh" || die "cannot stage the payload"
cat > "$P/etc/xlbench.conf" <<EOF
XENSTORED=$XENSTORED
RUNS=$RUNS
BODY=/usr/share/xeno/bench-sd.sh
# the Debian tools the hotplug scripts run (xl passes its PATH on)
PATH=/usr/local/sbin:\$PATH
EOF
cat > "$P/etc/sdbench.conf" <<EOF
SD_TOOL=xl
SD_RUNS=$RUNS
SD_NETMB=$NETMB
SD_BLKMB=$BLKMB
SD_MEMORY=$MEMORY
SD_KERNEL=/boot/domU-vmlinuz
SD_INITRD=/boot/domU-initrd
EOF
COMBINED=$OUT/dom0-initrd.cpio
xx_append "$P" "$COMBINED"

# ---- one boot -----------------------------------------------------------------
. tests/lib/qemu.sh
case "$DOM0_KERNEL$COMBINED" in *,*) die "no commas allowed in $DOM0_KERNEL or $COMBINED (QEMU -initrd)" ;; esac
QARGS=(-accel tcg -smp 2 -m 2048 -nic none
       -kernel "$XX/xen.elf" -append "console=com1 com1=115200,8n1 dom0_mem=512M"
       -initrd "$DOM0_KERNEL console=hvc0 earlyprintk=xen xeno.shell=0,$COMBINED")
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && QARGS+=($QEMU_EXTRA)
LOG=$OUT/serial.log
printf '%q ' "$QEMU" "${QARGS[@]}" > "$OUT/qemu.cmd"
say "Xen $(grep '^xen-hypervisor' "$XX/packages.txt" | cut -d= -f2), $RUNS runs, log $LOG"
st=$(qemu_boot "$LOG" $((600 + RUNS * 180)) "${QARGS[@]}")
tr -d '\r' <"$LOG" | grep -o 'SDBENCH .*'
nok=$(tr -d '\r' <"$LOG" | grep -c 'SDBENCH run=[0-9]* tx_MBps=')
if [ "$nok" != "$RUNS" ] || [ "$st" != 0 ]; then
    say "$nok of $RUNS runs measured, QEMU status $st (0: dom0 powered off); last lines of $LOG:"
    tail -n 40 "$LOG" | tr -d '\r' >&2
    exit 1
fi
exit 0
