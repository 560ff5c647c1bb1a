#!/usr/bin/env bash
# QEMU start -> "Xeno ready" latency under software emulation.
# Runs N boots (default 11) and prints each time and the median, in ms.
# The clock starts just before QEMU is exec'd and stops when the ready line
# appears on the serial port (read from a pipe, timestamped as it arrives).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-11}
xeno=$root/build/xeno.elf
[ -f "$xeno" ] || { echo "build first: make" >&2; exit 1; }
times=()
for i in $(seq "$n"); do
    t=$(python3 - "$xeno" <<'PY'
import subprocess, sys, time
cmd = ["qemu-system-x86_64", "-display", "none", "-no-reboot", "-m", "1024", "-smp", "2",
       "-serial", "stdio", "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
       "-kernel", sys.argv[1], "-append", "console=com1 debugexit=0xf4 selftest=poweroff"]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
ready = None
for line in p.stdout:
    if b"Xeno ready" in line and ready is None:
        ready = time.monotonic() - t0
p.wait(timeout=60)
print(f"{ready * 1000:.1f}" if ready is not None else "nan")
PY
)
    echo "boot $i: $t ms"
    times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median QEMU start -> Xeno ready: %s ms (n=%d)\n", a[int((NR+1)/2)], NR}'
