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
#
# Multi-domain tests: a test directory with a file `domains` (lines
# "<guest> <memory> <vCPUs>") also boots those guests as unprivileged
# domains d1, d2, ... with Xeno's domU= option.  Every domain must print
# its own result lines (a domU's come tagged "(dN) "), and all must pass.
# Only dom0's RESULT line ends the run early.  Real Xen 4.17 has no domU=
# option: such tests are skipped there, with a SKIP line, and not counted
# (the last line then adds ", N test(s) skipped (not run)").
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

total_p=0; total_f=0; n_guests=0; n_skipped=0
# Lines that mean the hypervisor is done with dom0 (real Xen's wording).
HV_DONE='Hardware Dom0 (halted|crashed|shutdown)|Domain 0 crashed|Dom0 crashed|Panic on CPU'
# Whether the hypervisor has boot-time domUs: Xeno registers an option
# named "domU" (a NUL-terminated string in its image); Xen 4.17 has none.
has_domu=no
tr '\0' '\n' <"$hv" | grep -qax 'domU' && has_domu=yes

# dom_result LOG PREFIX_RE: sets p, f and why ("" when it passed) from the
# result lines of the domain whose lines match PREFIX_RE.
dom_result() {
    local log=$1 pre=$2 line
    why=""
    line=$(grep -aE "${pre}xeno-test: [^ ]+: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n1)
    p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
    f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
    if [ -z "$line" ]; then
        p=0; f=1; why="no result line"
    elif ! grep -aqE "${pre}xeno-test: RESULT: PASS" "$log"; then
        why="RESULT is not PASS"
        [ "$f" -gt 0 ] || f=1
    elif [ "$f" -ne 0 ]; then
        why="$f checks failed"
    fi
}

# run_guest NAME [DOMU_GUEST MEM VCPUS]...
run_guest() {
    local name=$1 elf=$root/build/guests/$1.elf log=$out/$1.log
    local pid t0 t1 st=running grace=0 p f why="" done_re
    local mods="$elf xeno-test" cmdline=$CMDLINE domu="" n_dom=0 m=2
    shift
    while [ $# -ge 3 ]; do
        mods="$mods,$root/build/guests/$1.elf xeno-test"
        domu="$domu${domu:+,}$m@$2*$3"
        m=$((m + 1)); n_dom=$((n_dom + 1))
        shift 3
    done
    if [ $n_dom -gt 0 ]; then
        cmdline="$cmdline domU=$domu"
        # dom0's own RESULT line: the domUs finish first.
        done_re='^(\(d0\) )?xeno-test: RESULT: |'"$HV_DONE"
    else
        done_re='xeno-test: RESULT: |'"$HV_DONE"
    fi
    rm -f "$log"; : >"$log"
    t0=$(date +%s.%N)
    timeout -k 5 "$tmo" "$QEMU" -m 512 -smp 2 -display none -no-reboot \
        -serial "file:$log" -monitor none -parallel none -net none \
        -device isa-debug-exit,iobase=0xf4,iosize=4 \
        -kernel "$hv" -append "$cmdline" -initrd "$mods" \
        </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 0.2
        if tr -d '\r' <"$log" | grep -qaE "$done_re"; then
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

    # One verdict per domain; checks add up, any failing domain fails it.
    local d pre sum_p=0 sum_f=0 whys="" counts=""
    for ((d = 0; d <= n_dom; d++)); do
        if [ $n_dom -eq 0 ]; then
            pre=''                      # dom0 alone: its lines, untagged
        elif [ $d -eq 0 ]; then
            pre='^(\(d0\) )?'
        else
            pre="^\\(d$d\\) "
        fi
        dom_result "$log" "$pre"
        [ "$why" = "no result line" ] && why="$why (QEMU $st)"
        sum_p=$((sum_p + p)); sum_f=$((sum_f + f))
        if [ $n_dom -gt 0 ]; then
            local who=d$d
            [ $d -eq 0 ] && who=dom0
            counts="$counts${counts:+ + }$p $who"
            [ -n "$why" ] && whys="$whys${whys:+; }$who: $why"
        else
            whys=$why
        fi
    done
    [ $n_dom -gt 0 ] && counts="$counts = $sum_p" || counts=$sum_p
    total_p=$((total_p + sum_p)); total_f=$((total_f + sum_f))
    local secs
    secs=$(awk "BEGIN{printf \"%.1f\", $t1-$t0}")
    local known
    known=$(grep -ac 'KNOWN-ISSUE:' "$log")
    if [ -z "$whys" ]; then
        if [ "$known" -gt 0 ]; then
            echo "PASS $name ($counts checks, ${secs}s, $known known issue(s) not counted)"
            grep -a 'KNOWN-ISSUE:' "$log" | sed 's/^/    ~ /'
        else
            echo "PASS $name ($counts checks, ${secs}s)"
        fi
    else
        echo "FAIL $name: $whys (${secs}s, log $log)"
        grep -aE '^(\(XEN\) |\(d[0-9]+\) )?FAIL' "$log" | head -n 20 | sed 's/^/    ! /'
        tail -n 25 "$log" | sed 's/^/    | /'
    fi
}

for g in $guests; do
    # shellcheck disable=SC2053
    [[ $g == $glob ]] || continue
    n_guests=$((n_guests + 1))
    spec=$root/tests/guests/$g/domains
    if [ ! -f "$spec" ]; then
        run_guest "$g"
        continue
    fi
    # shellcheck disable=SC2046
    set -- $(sed -e 's/#.*//' "$spec")
    if [ $# -eq 0 ] || [ $(($# % 3)) -ne 0 ]; then
        echo "FAIL $g: $spec: want lines \"<guest> <memory> <vCPUs>\""
        total_f=$((total_f + 1))
    elif [ $has_domu = no ]; then
        echo "SKIP $g: needs $(($# / 3)) boot-time domU(s) (Xeno's domU= option);" \
             "$hv has no such option (Xen 4.17 has none): not run, not counted"
        n_skipped=$((n_skipped + 1))
    else
        run_guest "$g" "$@"
    fi
done
if [ $n_guests -eq 0 ]; then
    echo "pv: no guest matches '$glob' (have: $guests)"
    total_f=$((total_f + 1))
fi
if [ $n_skipped -gt 0 ]; then
    echo "pv: $total_p passed, $total_f failed, $n_skipped test(s) skipped (not run)"
else
    echo "pv: $total_p passed, $total_f failed"
fi
[ "$total_f" -eq 0 ]
