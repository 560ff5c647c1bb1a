#!/usr/bin/env bash
# `make test`: build everything, run every suite, add up the results.
# Ends with one line "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
total_p=0; total_f=0
run_suite() {
    local name=$1
    shift
    echo "=== $name"
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    local line p f
    line=$(grep -oE '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
    p=$(awk '{print $1}' <<<"$line")
    f=$(awk '{print $3}' <<<"$line")
    [ -n "$p" ] || { p=0; f=1; echo "$name: produced no result line"; }
    total_p=$((total_p + p)); total_f=$((total_f + f))
    rm -f "$log"
}
if ! make --no-print-directory all >build.log 2>&1; then
    cat build.log
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
run_suite unit tests/unit/run.sh
[ -x tests/toolstack/xenstored-hosted.sh ] && run_suite xenstored tests/toolstack/xenstored-hosted.sh
run_suite boot tests/boot/run.sh
[ -x tests/toolstack/xm-cli.sh ] && run_suite xm tests/toolstack/xm-cli.sh
run_suite xend tests/toolstack/xend-hosted.sh
[ -x tests/toolstack/xend-devices-hosted.sh ] && run_suite xend-devices tests/toolstack/xend-devices-hosted.sh
[ -x tests/scripts/run.sh ] && run_suite scripts tests/scripts/run.sh
run_suite xenconsoled tests/toolstack/xenconsoled-hosted.sh
[ -x tests/pv/run.sh ] && run_suite pv tests/pv/run.sh
[ -x tests/dom0/run.sh ] && run_suite dom0 tests/dom0/run.sh
[ -x tests/devices/run.sh ] && run_suite devices tests/devices/run.sh
[ -x tests/xenoctrl/dom0.sh ] && run_suite xenoctrl-dom0 tests/xenoctrl/dom0.sh
run_suite builder-dom0 tests/builder/dom0.sh
run_suite toolstack tests/toolstack/acceptance.sh
[ -x tests/toolstack/split-drivers.sh ] && run_suite split-drivers tests/toolstack/split-drivers.sh
echo "=== total"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
