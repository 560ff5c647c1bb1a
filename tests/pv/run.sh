#!/usr/bin/env bash
# PV guest tests: boot each test kernel of tests/guests as dom0 under QEMU
# on a Xen-ABI hypervisor and collect its verdict.
#
#   tests/pv/run.sh [--hv HYPERVISOR_ELF] [--timeout SECONDS] [TEST_GLOB]
#
# HYPERVISOR_ELF defaults to build/xeno.elf; give real Xen 4.17
# (build/xen-ref/xen.elf, see xen-reference.sh) to check the tests
# themselves.  TEST_GLOB matches guest names (hello, mmu, hello-hcpage...).
#
# A guest prints "xeno-test: <name>: N passed, M failed" and
# "xeno-test: RESULT: PASS|FAIL", then SCHEDOP_shutdown(poweroff).  Xeno
# (debugexit=0xf4) then ends QEMU itself; real Xen halts the machine
# without ending QEMU ("Hardware Dom0 halted"), so QEMU is stopped once the
# result line is in and the hypervisor has had a moment to finish.  The
# verdict is judged from the guest's lines, never from QEMU's status.  A
# guest without a result line (crash, hang, 60 s timeout) counts as one
# failed check.  Ends with "pv: N passed, N failed" (checks, all guests).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
hv=$root/build/xeno.elf
tmo=${PV_TIMEOUT:-60}
glob='*'
while [ $# -gt 0 ]; do
    case $1 in
    --hv) hv=$2; shift 2 ;;
    --hv=*) hv=${1#--hv=}; shift ;;
    --timeout) tmo=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) glob=$1; shift ;;
    esac
done
QEMU=${QEMU:-qemu-system-x86_64}
# dom0_max_vcpus=2 for the SMP test; debugexit is Xeno's (real Xen warns
# about an unknown option, harmlessly).
CMDLINE="console=com1 com1=115200,8n1 dom0_mem=128M dom0_max_vcpus=2 noreboot debugexit=0xf4 ${PV_EXTRA_CMDLINE:-}"
# Logs go to build/tests/pv/<hypervisor name>/ and runs against the same
# hypervisor are serialised with a lock: the work tree (and its build/) is
# shared, and two QEMUs writing one serial log would mix their output.
hv_name=$(basename "$hv" .elf)
out=$root/build/tests/pv/$hv_name
mkdir -p "$out"
exec 9>"$root/build/tests/pv/$hv_name.lock"
flock 9

if [ ! -f "$hv" ]; then
    echo "pv: hypervisor $hv not found"
    echo "pv: 0 passed, 1 failed"
    exit 1
fi
if ! flock "$root/build/tests/pv/guests-build.lock" \
        make --no-print-directory -s -C "$root/tests/guests" >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "pv: guest build failed"
    echo "pv: 0 passed, 1 failed"
    exit 1
fi
guests=$(make --no-print-directory -s -C "$root/tests/guests" list)

total_p=0; total_f=0; n_guests=0
# Lines that mean the hypervisor is done with dom0 (real Xen's wording).
HV_DONE='Hardware Dom0 (halted|crashed|shutdown)|Domain 0 crashed|Dom0 crashed|Panic on CPU'

run_guest() {
    local name=$1 elf=$root/build/guests/$1.elf log=$out/$1.log
    local pid t0 t1 st=running grace=0 line p f why=""
    rm -f "$log"; : >"$log"
    t0=$(date +%s.%N)
    timeout -k 5 "$tmo" "$QEMU" -m 512 -smp 2 -display none -no-reboot \
        -serial "file:$log" -monitor none -parallel none -net none \
        -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -kernel "$hv" -append "$CMDLINE" -initrd "$elf xeno-test" \
        </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.2
        if grep -qE 'xeno-test: RESULT: |'"$HV_DONE" "$log"; then
            # Give the hypervisor up to ~2 s to end QEMU on its own
            # (Xeno's debugexit), then stop it.
            grace=$((grace + 1))
            if [ $grace -ge 10 ]; then
                kill "$pid" 2>/dev/null; st=stopped; break
            fi
        fi
    done
    wait "$pid" 2>/dev/null
    local qst=$?
    [ "$st" = running ] && st="exited ($qst)"
    [ "$qst" = 124 ] && st="timed out after ${tmo}s"
    t1=$(date +%s.%N)
    tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

    line=$(grep -aE "xeno-test: [^ ]+: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n1)
    p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
    if [ -z "$line" ]; then
        p=0; f=1; why="no result line (QEMU $st)"
    elif ! grep -aq 'xeno-test: RESULT: PASS' "$log"; then
        why="RESULT is not PASS"
        [ "$f" -gt 0 ] || f=1
    elif [ "$f" -ne 0 ]; then
        why="$f checks failed"
    fi
    total_p=$((total_p + p)); total_f=$((total_f + f))
    local secs
    secs=$(awk "BEGIN{printf \"%.1f\", $t1-$t0}")
    local known
    known=$(grep -ac 'KNOWN-ISSUE:' "$log")
    if [ -z "$why" ]; then
        if [ "$known" -gt 0 ]; then
            echo "PASS $name ($p checks, ${secs}s, $known known issue(s) not counted)"
            grep -a 'KNOWN-ISSUE:' "$log" | sed 's/^/    ~ /'
        else
            echo "PASS $name ($p checks, ${secs}s)"
        fi
    else
        echo "FAIL $name: $why (${secs}s, log $log)"
        grep -aE '^(\(XEN\) |\(d0\) )?FAIL' "$log" | head -n 20 | sed 's/^/    ! /'
        tail -n 25 "$log" | sed 's/^/    | /'
    fi
}

for g in $guests; do
    # shellcheck disable=SC2053
    [[ $g == $glob ]] || continue
    n_guests=$((n_guests + 1))
    run_guest "$g"
done
if [ $n_guests -eq 0 ]; then
    echo "pv: no guest matches '$glob' (have: $guests)"
    total_f=$((total_f + 1))
fi
echo "pv: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
