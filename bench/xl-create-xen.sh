#!/usr/bin/env bash
# xl-create-xen.sh - the Xen side of the `xm create` benchmark: how long
# Debian's Xen 4.17 toolstack takes from `xl create` to the domU's /init.
#
# usage: bench/xl-create-xen.sh --kernel VMLINUZ --initrd DOMU_INITRD
#                               [--runs N] [--memory MiB] [--out DIR]
#                               [--extra "DOMU KERNEL ARGS"]
#
#   --kernel   domU kernel (e.g. build/images/domU-vmlinuz)
#   --initrd   domU initramfs whose /init prints "NAME: init reached"
#              (tools/images/init.sh; e.g. build/images/domU-initrd.cpio.gz)
#   --runs     domains created one after the other in one boot (5)
#   --memory   domU memory in MiB (256)
#   --out      logs: serial.log, results.txt, qemu.cmd
#              (build/bench/xl-create-xen)
#   --extra    domU kernel command line ("console=hvc0 xeno.shell=1": the
#              init prints "init reached" on hvc0 and keeps a shell there)
#
# One QEMU boot (TCG, -smp 2 -m 2048) of Debian's Xen 4.17 (dom0_mem=512M)
# with Debian's linux-image-amd64 (6.1) as dom0.  dom0's /init
# (bench/xen-xl/dom0-body.sh) starts xenstored (Debian's default oxenstored;
# XL_XENSTORED=xenstored for the C one), xen-init-dom0 and xenconsoled, then
# N times: config with name, kernel, ramdisk, extra, memory, vcpus=1 only ->
# mark -> `xl create` -> `xl console` until "init reached" -> mark ->
# `xl destroy`.  Marks: dom0's /proc/uptime (10 ms resolution), both taken
# in dom0.
#
# stdout, one line per run and the median (mean of the middle two for even N):
#   xl-create-to-init run=I seconds=S
#   xl-create-to-init median=S runs=N
# (runs= counts the successful runs.)  Progress and failures go to stderr.
# Exit status 0 when all N runs reached the domU's init.
#
# Built once and cached: Debian's Xen 4.17 packages (apt-get download by
# package name into build/cache/debs, bench/xen-xl/fetch-xen.sh), extracted
# with xen.elf in build/bench/xen-xl/; the dom0 initramfs
# build/bench/xen-xl/dom0-initrd.cpio.gz (bench/xen-xl/mkdom0.sh).  The domU
# kernel, initrd and settings travel in a second, uncompressed cpio archive
# appended to it for each call, so a new domU image costs no rebuild.
# Environment: BUILD (build), XL_XENSTORED (oxenstored), QEMU_EXTRA (extra
# QEMU arguments), XL_RUN_TIMEOUT (90: seconds a run may take in dom0),
# XL_DEBUG=1 (xenconsoled logs the domU consoles and `xl -vvv create`'s
# lines get dom0 time stamps; serial.log shows both at the end: slows the
# runs, for checking and for xl's phases, not for numbers),
# XL_WAIT_IDLE=SECONDS (first wait up to that long until no other QEMU runs),
# XL_CRNG_INIT=0 (leave dom0's random pool starved: see below).
#
# Before the first mark dom0 reads /dev/random once, which makes its crng
# ready: QEMU's TCG CPU has no RDRAND, and with a starved pool libuuid in xl
# retries getrandom() for ~3 s per `xl create`, a cost a Debian dom0 on
# hardware does not have.  The Xeno side's dom0 should do the same.
# The host's noise is measured, not hidden: results.txt gives, per run, the
# most other QEMUs seen and the host CPUs busy with anything but our QEMU.
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
XX=$BUILD/bench/xen-xl
KERNEL='' INITRD='' RUNS=5 MEMORY=256 OUT=$BUILD/bench/xl-create-xen
EXTRA="console=hvc0 xeno.shell=1"
XENSTORED=${XL_XENSTORED:-oxenstored}
RUN_TIMEOUT=${XL_RUN_TIMEOUT:-90}
# the Debian packages this script runs on (tools/deps.sh installs them)
DEB_PACKAGES="qemu-system-x86 cpio gzip binutils busybox-static"

usage() { sed -n '5,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
say() { echo "xl-create-xen: $*" >&2; }
die() { say "error: $*"; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) KERNEL=${2:?}; shift 2 ;;
        --initrd) INITRD=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --memory) MEMORY=${2:?}; shift 2 ;;
        --out) OUT=${2:?}; shift 2 ;;
        --extra) EXTRA=${2:?}; shift 2 ;;
        -h|--help) usage ;;
        *) say "unknown argument: $1"; usage ;;
    esac
done
[ -n "$KERNEL" ] && [ -n "$INITRD" ] || usage
[ -f "$KERNEL" ] || die "--kernel $KERNEL: no such file"
[ -f "$INITRD" ] || die "--initrd $INITRD: no such file"
case "$RUNS" in ''|*[!0-9]*|0) die "--runs $RUNS: a positive number" ;; esac
case "$MEMORY" in ''|*[!0-9]*|0) die "--memory $MEMORY: MiB, a positive number" ;; esac
case "$XENSTORED" in oxenstored|xenstored) ;; *) die "XL_XENSTORED=$XENSTORED: oxenstored or xenstored" ;; esac
# the settings file is sourced by dom0's shell; keep it to plain words
case "$EXTRA" in *[\"\'\`\$\\]*) die "--extra: no quotes, \$ or backslashes" ;; esac
# QEMU/TCG shares the host's CPUs: another guest running changes the numbers
if [ "${XL_WAIT_IDLE:-0}" -gt 0 ] 2>/dev/null; then
    _w=0
    while [ "$(pgrep -c qemu-system)" != 0 ] && [ $_w -lt "$XL_WAIT_IDLE" ]; do
        [ $_w = 0 ] && say "waiting up to ${XL_WAIT_IDLE} s for the other QEMUs to end"
        sleep 5; _w=$((_w + 5))
    done
fi
T_START=${EPOCHREALTIME/./}
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(pgrep -c qemu-system || true)
[ "${OTHERS:-0}" = 0 ] || say "warning: $OTHERS other QEMU processes are running; the times will be slower"

tools/deps.sh $DEB_PACKAGES || die "missing Debian packages ($DEB_PACKAGES)"
mkdir -p "$XX" "$OUT" || die "cannot create $XX and $OUT"

# ---- dom0 kernel, Xen, dom0 initramfs (cached) ---------------------------------
. bench/xen-xl/common.sh
xx_dom0 "$XX"

# ---- this call's domU payload ---------------------------------------------------
# (appended to the cached initramfs by xx_append, bench/xen-xl/common.sh)
P=$(mktemp -d "${TMPDIR:-/tmp}/xlbench-payload.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$P"' EXIT
mkdir -p "$P/boot" "$P/etc"
cp "$KERNEL" "$P/boot/domU-vmlinuz" && cp "$INITRD" "$P/boot/domU-initrd" || die "cannot copy the domU kernel and initrd"
cat > "$P/etc/xlbench.conf" <<EOF
RUNS=$RUNS
MEMORY=$MEMORY
TIMEOUT=$RUN_TIMEOUT
XENSTORED=$XENSTORED
DOMU_EXTRA="$EXTRA"
DEBUG=${XL_DEBUG:-0}
CRNG_INIT=${XL_CRNG_INIT:-1}
EOF
COMBINED=$OUT/dom0-initrd.cpio
xx_append "$P" "$COMBINED"

# ---- one boot -------------------------------------------------------------------
. tests/lib/qemu.sh
case "$DOM0_KERNEL$COMBINED" in *,*) die "no commas allowed in $DOM0_KERNEL or $COMBINED (QEMU -initrd)" ;; esac
QARGS=(-accel tcg -smp 2 -m 2048
       -kernel "$XX/xen.elf" -append "console=com1 com1=115200,8n1 dom0_mem=512M"
       -initrd "$DOM0_KERNEL console=hvc0 earlyprintk=xen xeno.shell=0,$COMBINED")
# shellcheck disable=SC2206
[ -n "${QEMU_EXTRA:-}" ] && QARGS+=($QEMU_EXTRA)
QTIMEOUT=$((120 + RUNS * (RUN_TIMEOUT + 15)))
LOG=$OUT/serial.log
printf '%q ' "$QEMU" "${QARGS[@]}" > "$OUT/qemu.cmd"
: > "$LOG"
say "Xen $(grep '^xen-hypervisor' "$XX/packages.txt" | cut -d= -f2), dom0 $(cat "$KDIR/.stamp"), $RUNS runs, log $LOG"

( qemu_boot "$LOG" "$QTIMEOUT" "${QARGS[@]}" > "$OUT/qemu.status" ) &
QJOB=$!
# Once a second: "host-seconds busy-ticks-of-the-host ticks-of-our-QEMU
# QEMUs-running" (/proc/stat, /proc/PID/stat), to tell how much else ran
# beside our QEMU during each run
monitor() {
    local qpid='' cpu user nice sys idle iow irq sirq steal rest st
    while kill -0 "$QJOB" 2>/dev/null; do
        # (timeout(1), which runs it, has the same arguments after its own)
        [ -n "$qpid" ] || qpid=$(pgrep -f -- "^[^ ]*qemu-system[^ ]* .*-serial file:$LOG" | head -n1)
        read -r cpu user nice sys idle iow irq sirq steal rest < /proc/stat
        st=(0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
        # fields 14 and 15: utime, stime (after "(comm)", which has no spaces here)
        [ -n "$qpid" ] && read -r -a st < "/proc/$qpid/stat" 2>/dev/null
        echo "$EPOCHREALTIME $((user + nice + sys + irq + sirq + steal)) $((st[13] + st[14])) $(pgrep -c qemu-system)"
        sleep 1
    done
}
monitor > "$OUT/host-load.txt" &
MONJOB=$!

# Follows the serial log while QEMU runs (bash, not a filter: awk and tr
# buffer a pipe and would hold the lines back): prints each run when it
# ends and notes the host-time window since the previous XLBENCH line in
# $OUT/windows.txt ("run from to"), to tell which runs shared the host.
follow() {
    local line prev=$EPOCHREALTIME re='XLBENCH run=([0-9]+) create_s=([0-9.]+) seconds=([0-9.]+)'
    : > "$OUT/windows.txt"
    while IFS= read -r line; do
        line=${line%$'\r'}
        if [[ $line =~ $re ]]; then
            echo "xl-create-to-init run=${BASH_REMATCH[1]} seconds=${BASH_REMATCH[3]}"
            say "run ${BASH_REMATCH[1]}: xl create returned after ${BASH_REMATCH[2]} s"
            echo "${BASH_REMATCH[1]} $prev $EPOCHREALTIME" >> "$OUT/windows.txt"
            prev=$EPOCHREALTIME
        elif [[ $line == *"XLBENCH run="*" FAIL"* || $line == *"XLBENCH start "* ]]; then
            say "${line#*XLBENCH }"
            prev=$EPOCHREALTIME
        fi
    done
}
tail -n +1 -s 0.5 -F --pid="$QJOB" "$LOG" 2>/dev/null | follow
wait "$QJOB"
QSTATUS=$(cat "$OUT/qemu.status" 2>/dev/null)
wait "$MONJOB"

# ---- results --------------------------------------------------------------------
# "run create_s seconds other_qemus other_cpus": the most other QEMUs seen
# during the run, and the host CPUs busy with anything but our QEMU
# (busy ticks of the host minus our QEMU's, per second, in CPUs)
HZ=$(getconf CLK_TCK)
tr -d '\r' < "$LOG" | sed -n 's/.*XLBENCH run=\([0-9]*\) create_s=\([0-9.]*\) seconds=\([0-9.]*\).*/\1 \2 \3/p' |
    awk -v win="$OUT/windows.txt" -v mon="$OUT/host-load.txt" -v hz="$HZ" '
        BEGIN {
            while ((getline l < win) > 0) { split(l, a, " "); from[a[1]] = a[2]; to[a[1]] = a[3] }
            while ((getline l < mon) > 0) { split(l, a, " "); n++; t[n] = a[1]; b[n] = a[2]; q[n] = a[3]; c[n] = a[4] - 1 }
        }
        { o = 0; i0 = 0; i1 = 0
          for (i = 1; i <= n; i++) {
              if (t[i] < from[$1] || t[i] > to[$1]) continue
              if (!i0) i0 = i
              i1 = i
              if (c[i] > o) o = c[i]
          }
          cpu = "nan"
          if (i1 > i0 && q[i0] > 0) {
              cpu = ((b[i1] - b[i0]) - (q[i1] - q[i0])) / hz / (t[i1] - t[i0])
              cpu = sprintf("%.2f", cpu > 0 ? cpu : 0)   # tick granularity can make it negative
          }
          print $1, $2, $3, o, cpu }' > "$OUT/runs.txt"
NOK=$(wc -l < "$OUT/runs.txt")
SHARED=$(awk '$4 > 0 || $5 > 0.25 { printf " %s (%s other QEMUs, %s CPUs busy elsewhere)", $1, $4, $5 }' "$OUT/runs.txt")
[ -z "$SHARED" ] || say "warning: the host was busy with other work during run$SHARED; those times are slower"
MEDIAN=$(awk '{ print $3 }' "$OUT/runs.txt" | sort -n | awk '
    { v[NR] = $1 }
    END { if (NR == 0) print "nan"
          else if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
          else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "xl-create-to-init median=$MEDIAN runs=$NOK"
T_END=${EPOCHREALTIME/./}
WALL=$(awk -v a="$T_START" -v b="$T_END" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
{
    echo "xen=$(grep '^xen-hypervisor' "$XX/packages.txt" | cut -d= -f2)"
    echo "dom0_kernel=$(cat "$KDIR/.stamp")"
    echo "domU_kernel=$KERNEL domU_initrd=$INITRD memory=$MEMORY extra=$EXTRA xenstored=$XENSTORED"
    awk '{ printf "run=%s xl_create_s=%s create_to_init_s=%s other_qemu=%s other_cpus=%s\n", $1, $2, $3, $4, $5 }' "$OUT/runs.txt"
    echo "median_s=$MEDIAN runs_ok=$NOK runs=$RUNS"
    echo "qemu_status=$QSTATUS wall_s=$WALL"
    echo "host_load_start=\"$LOAD_START\" host_load_end=\"$(cut -d' ' -f1-3 /proc/loadavg)\" other_qemu_at_start=${OTHERS:-0}"
} > "$OUT/results.txt"
say "wall time ${WALL} s (QEMU status $QSTATUS); results in $OUT/results.txt"

ok=1
[ "$NOK" = "$RUNS" ] || { ok=0; say "$NOK of $RUNS runs reached the domU's init"; }
grep -q 'XLBENCH done ' "$LOG" || { ok=0; say "dom0 did not finish (no 'XLBENCH done' in $LOG)"; }
# poweroff in dom0 makes Xen power the machine off: QEMU exits with 0
[ "$QSTATUS" = 0 ] || { ok=0; say "QEMU status $QSTATUS ($([ "$QSTATUS" = 124 ] && echo "timed out after $QTIMEOUT s" || echo "see $LOG.qemu"))"; }
if [ $ok = 0 ]; then
    say "last lines of $LOG:"; tail -n 30 "$LOG" | tr -d '\r' >&2
    exit 1
fi
exit 0
