#!/usr/bin/env bash
# `make run`: boot Xeno in QEMU with the serial console on this terminal.
# Quit QEMU with Ctrl-A X.  By default dom0 is the PV test kernel "hello"
# and a second copy runs as a boot-time domU (domU=2), which shows the PV
# machinery end to end until Linux dom0 takes over this job.
# XENO_ARGS adds hypervisor options; XENO_MODULES replaces the modules
# (QEMU -initrd syntax: "kernel args,initrd"); QEMU_SMP / QEMU_MEM size the machine.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${XENO_MODULES+x}" ]; then
    make -s -C "$root/tests/guests" >/dev/null
    g=$root/build/guests/hello.elf
    XENO_MODULES="$g xeno-test,$g xeno-test"
    XENO_ARGS="dom0_mem=128M domU=2@64M ${XENO_ARGS:-}"
fi
args="console=com1 ${XENO_ARGS:-}"
mods=()
[ -n "$XENO_MODULES" ] && mods=(-initrd "$XENO_MODULES")
echo "Booting Xeno: qemu-system-x86_64 -smp ${QEMU_SMP:-2} -m ${QEMU_MEM:-1024}; quit with Ctrl-A X; debug keys: h"
exec qemu-system-x86_64 -nographic -no-reboot -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-1024}" \
    -kernel "$root/build/xeno.elf" -append "$args" "${mods[@]}"
