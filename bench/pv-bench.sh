#!/usr/bin/env bash
# PV hypercall-path speed: Xeno against Debian's Xen 4.17, same guest, same QEMU.
#
#   bench/pv-bench.sh [-n RUNS] [--timeout SECONDS] [--xen XEN_ELF] [--xeno XENO_ELF]
#
# Builds the hypervisor (make hypervisor; not with --xeno, which compares
# another build of Xeno instead of build/xeno.elf) and the benchmark guest
# (bench/guests -> build/bench/pvbench.elf), fetches Xen 4.17 into
# build/xen-ref/xen.elf if it is not there yet (apt-get download of
# whatever xen-hypervisor-4.17-amd64 the configured Debian archive has now;
# no revision is pinned), then boots the guest as dom0 RUNS times (default
# 5) on each hypervisor, alternating (Xeno, Xen, Xen, Xeno, ...), every boot
# under identical QEMU: TCG, -cpu qemu64, -m 512, -smp 2, the same command
# line, and a timeout (default 180 s).
#
# The guest prints one line per metric, "pvbench: <name> <median_ns> ns
# (n=<blocks>)" (median over timed blocks of one boot, converted with that
# hypervisor's pvclock scale).  The table shows, per metric, the median over
# the boots for each hypervisor and the ratio Xeno/Xen (< 1: Xeno faster);
# "best" is the ratio of the fastest blocks, the figure least disturbed by
# other load on the host (TCG timing follows the host: compare on a quiet
# machine, or with more boots).
# Logs: build/bench/pv/<hv>-<i>.log.  Exit status 0 when every boot gave
# every metric, 1 otherwise; being slower than Xen is reported, not failed.
#
# Real Xen halts the machine after dom0's poweroff without ending QEMU, so
# QEMU is stopped once the guest's result line is in (as tests/pv/run.sh).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
own_xeno=0
tmo=${PV_BENCH_TIMEOUT:-180}
xen=$root/build/xen-ref/xen.elf
xeno=$root/build/xeno.elf
guest=$root/build/bench/pvbench.elf
out=$root/build/bench/pv
while [ $# -gt 0 ]; do
    case $1 in
    -n|--timeout|--xen|--xeno)
        [ $# -ge 2 ] || { echo "pv-bench: $1 needs a value" >&2; exit 2; } ;;
    esac
    case $1 in
    -n) runs=$2; shift 2 ;;
    -n*) runs=${1#-n}; shift ;;
    --timeout) tmo=$2; shift 2 ;;
    --timeout=*) tmo=${1#--timeout=}; shift ;;
    --xen) xen=$2; shift 2 ;;
    --xen=*) xen=${1#--xen=}; shift ;;
    --xeno) xeno=$2; own_xeno=1; shift 2 ;;
    --xeno=*) xeno=${1#--xeno=}; own_xeno=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "pv-bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case $runs in ''|*[!0-9]*|0) echo "pv-bench: -n wants a positive number" >&2; exit 2 ;; esac
case $tmo in ''|*[!0-9]*|0) echo "pv-bench: --timeout wants seconds" >&2; exit 2 ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
# The same line for both; debugexit is Xeno's (lets it end QEMU itself),
# real Xen warns about an unknown option and goes on.
CMDLINE="console=com1 com1=115200,8n1 dom0_mem=128M dom0_max_vcpus=2 noreboot debugexit=0xf4"
# Lines that mean the hypervisor is done with dom0 (real Xen's wording).
HV_DONE='Hardware Dom0 (halted|crashed|shutdown)|Domain 0 crashed|Dom0 crashed|Panic on CPU'
mkdir -p "$out"

# ---- build ----
: >"$out/build.log"
if [ $own_xeno -eq 0 ]; then
    echo "pv-bench: building the hypervisor (make hypervisor)"
    # One retry: the two-pass link check can trip when another build of
    # the same tree runs at the same time.
    if ! make --no-print-directory -s -C "$root" hypervisor >>"$out/build.log" 2>&1 &&
       ! { sleep 5; make --no-print-directory -s -C "$root" hypervisor >>"$out/build.log" 2>&1; }; then
        tail -n 30 "$out/build.log"
        echo "pv-bench: hypervisor build failed (log $out/build.log)"
        exit 1
    fi
elif [ ! -s "$xeno" ]; then
    echo "pv-bench: $xeno not found"
    exit 1
fi
echo "pv-bench: building build/bench/pvbench.elf (bench/guests)"
if ! make --no-print-directory -s -C "$root/bench/guests" >>"$out/build.log" 2>&1; then
    tail -n 30 "$out/build.log"
    echo "pv-bench: guest build failed (log $out/build.log)"
    exit 1
fi

# ---- Xen 4.17 from Debian ----
# Debian ships xen-hypervisor-4.17-amd64 with /boot/xen-4.17-amd64.gz, a
# gzipped multiboot ELF32 that QEMU's -kernel loads as it is once unzipped.
fetch_xen() {
    local dir=$root/build/xen-ref tmp deb gz
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/xen-ref.XXXXXX") || return 1
    if ! (cd "$tmp" && timeout 300 apt-get download xen-hypervisor-4.17-amd64) \
            >"$out/xen-fetch.log" 2>&1; then
        # Package lists may be missing or stale: refresh them once.
        if [ "$(id -u)" = 0 ]; then
            timeout 300 apt-get update >>"$out/xen-fetch.log" 2>&1
            (cd "$tmp" && timeout 300 apt-get download xen-hypervisor-4.17-amd64) \
                >>"$out/xen-fetch.log" 2>&1
        fi
    fi
    deb=$(ls "$tmp"/xen-hypervisor-4.17-amd64_*.deb 2>/dev/null | head -n1)
    if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$tmp/x" >>"$out/xen-fetch.log" 2>&1; then
        rm -rf "$tmp"
        return 1
    fi
    gz=$(ls "$tmp"/x/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n1)
    mkdir -p "$dir"
    if [ -z "$gz" ] || ! zcat "$gz" >"$dir/xen.elf.tmp"; then
        rm -rf "$tmp" "$dir/xen.elf.tmp"
        return 1
    fi
    mv "$dir/xen.elf.tmp" "$dir/xen.elf"
    basename "$deb" .deb >"$dir/VERSION"
    rm -rf "$tmp"
}
if [ ! -s "$xen" ]; then
    if [ "$xen" != "$root/build/xen-ref/xen.elf" ]; then
        echo "pv-bench: $xen not found"
        exit 1
    fi
    echo "pv-bench: fetching Xen 4.17 (apt-get download xen-hypervisor-4.17-amd64)"
    if ! fetch_xen; then
        tail -n 20 "$out/xen-fetch.log"
        echo "pv-bench: could not get Xen 4.17 (log $out/xen-fetch.log)"
        exit 1
    fi
fi
xen_version=$(cat "$(dirname "$xen")/VERSION" 2>/dev/null || echo "$xen")

# ---- one boot ----
# run_one LABEL HV_ELF I: boots the guest, leaves the log in $out/LABEL-I.log
# and the metric lines ("name ns") in $out/LABEL-I.res; returns 1 when the
# guest's result line never came.
run_one() {
    local label=$1 hv=$2 i=$3 log=$out/$1-$3.log pid grace=0 st=running qst t0 t1
    rm -f "$log" "$out/$label-$i".{res,cyc,min}; : >"$log"
    t0=$(date +%s.%N)
    timeout -k 5 "$tmo" "$QEMU" -accel tcg -cpu qemu64 -m 512 -smp 2 \
        -display none -no-reboot -serial "file:$log" -monitor none \
        -parallel none -net none -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -kernel "$hv" -append "$CMDLINE" -initrd "$guest pvbench" \
        </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.2
        if grep -qaE 'xeno-test: RESULT: |'"$HV_DONE" "$log"; then
            # Xeno ends QEMU itself right after; Xen never does.
            grace=$((grace + 1))
            if [ $grace -ge 5 ]; then
                kill "$pid" 2>/dev/null; st=stopped; break
            fi
        fi
    done
    wait "$pid" 2>/dev/null
    qst=$?
    t1=$(date +%s.%N)
    [ "$st" = running ] && st="exited ($qst)"
    [ "$qst" = 124 ] && st="timed out after ${tmo}s"
    tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
    sed -nE 's/.*pvbench: ([A-Za-z0-9_.-]+) ([0-9]+(\.[0-9]+)?) ns \(n=[0-9]+\).*/\1 \2/p' \
        "$log" >"$out/$label-$i.res"
    sed -nE 's/.*pvbench-cycles: ([A-Za-z0-9_.-]+) ([0-9.]+) cycles .*/\1 \2/p' \
        "$log" >"$out/$label-$i.cyc"
    sed -nE 's/.*pvbench-cycles: ([A-Za-z0-9_.-]+) .* min ([0-9.]+).*/\1 \2/p' \
        "$log" >"$out/$label-$i.min"
    local secs nm
    secs=$(awk "BEGIN{printf \"%.1f\", $t1-$t0}")
    nm=$(wc -l <"$out/$label-$i.res")
    if ! grep -qa 'xeno-test: RESULT: ' "$log"; then
        echo "  $label run $i: no result line (QEMU $st, ${secs}s, log $log)"
        tail -n 15 "$log" | sed 's/^/    | /'
        return 1
    fi
    if ! grep -qa 'xeno-test: RESULT: PASS' "$log"; then
        echo "  $label run $i: the guest's checks failed (log $log)"
        grep -aE 'FAIL' "$log" | head -n 10 | sed 's/^/    ! /'
    fi
    echo "  $label run $i: $nm metrics, ${secs}s"
    return 0
}

rev=
[ $own_xeno -eq 0 ] &&
    rev=", tree $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
echo "pv-bench: $runs boots each; Xeno ($xeno$rev) vs Xen ($xen_version)"
echo "pv-bench: QEMU TCG -cpu qemu64 -m 512 -smp 2, timeout ${tmo}s per boot"
bad=0
for i in $(seq "$runs"); do
    # ABBA order, so that a drift of the host's speed hits both alike.
    if [ $((i % 2)) -eq 1 ]; then
        run_one xeno "$xeno" "$i" || bad=$((bad + 1))
        run_one xen "$xen" "$i" || bad=$((bad + 1))
    else
        run_one xen "$xen" "$i" || bad=$((bad + 1))
        run_one xeno "$xeno" "$i" || bad=$((bad + 1))
    fi
done

# ---- table ----
# Metrics in the order the guest prints them (first complete log wins).
metrics=$(cat "$out"/xeno-*.res "$out"/xen-*.res 2>/dev/null | awk '!seen[$1]++ {print $1}')
if [ -z "$metrics" ]; then
    echo "pv-bench: no results"
    exit 1
fi
# stats LABEL METRIC [EXT] -> "median min max count" over the boots of
# LABEL, from the per-boot medians in ns (.res) or cycles (.cyc), or the
# per-boot fastest blocks in cycles (.min).
stats() {
    local i
    for i in $(seq "$runs"); do
        awk -v m="$2" '$1 == m {print $2}' "$out/$1-$i.${3:-res}" 2>/dev/null
    done | sort -g | awk '{a[NR] = $1}
        END {
            if (NR == 0) { print "- - - 0"; exit }
            med = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "%.1f %.1f %.1f %d\n", med, a[1], a[NR], NR
        }'
}
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-" || b <= 0) print "-"; else printf "%.2f", a / b }'
}
echo
fmt='%-28s %9s %9s %8s %8s %6s   %-17s %-17s\n'
printf "$fmt" "" "Xeno" "Xen" "Xeno/Xen" "cycles" "best" "Xeno boots" "Xen boots"
printf "$fmt" metric "ns" "ns" "(ns)" "ratio" "ratio" "min..max ns" "min..max ns"
slower=""
missing=0
for m in $metrics; do
    read -r a amin amax an <<<"$(stats xeno "$m")"
    read -r b bmin bmax bn <<<"$(stats xen "$m")"
    read -r ac _ _ _ <<<"$(stats xeno "$m" cyc)"
    read -r bc _ _ _ <<<"$(stats xen "$m" cyc)"
    read -r _ abest _ _ <<<"$(stats xeno "$m" min)"
    read -r _ bbest _ _ <<<"$(stats xen "$m" min)"
    [ "$an" -eq "$runs" ] && [ "$bn" -eq "$runs" ] || missing=1
    r=$(ratio "$a" "$b")
    [ "$r" != - ] && awk -v r="$r" 'BEGIN { exit !(r > 1.0) }' && slower="$slower $m"
    printf "$fmt" "$m" "$a" "$b" "$r" "$(ratio "$ac" "$bc")" "$(ratio "$abest" "$bbest")" \
        "$amin..$amax" "$bmin..$bmax"
done
echo
echo "ns per operation: median over $runs boots of each boot's median block, in"
echo "ns by each hypervisor's own pvclock scale; Xeno/Xen < 1: Xeno is faster."
echo "cycles ratio: the same medians in TSC cycles (immune to TSC calibration"
echo "error: under TCG both run on the host's TSC).  best ratio: fastest block"
echo "of all boots, in cycles (least disturbed by other load on the host)."
if [ -n "$slower" ]; then
    echo "pv-bench: Xeno is slower than Xen on:$slower"
else
    echo "pv-bench: Xeno is no slower than Xen on any metric"
fi
if [ $bad -gt 0 ] || [ $missing -ne 0 ]; then
    echo "pv-bench: $bad boot(s) without a result, or metrics missing: see $out"
    exit 1
fi
exit 0
