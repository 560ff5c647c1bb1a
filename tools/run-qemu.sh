#!/usr/bin/env bash
# `make run`: boot Xeno in QEMU with the serial console on this terminal.
# Quit QEMU with Ctrl-A X.  XENO_ARGS adds hypervisor options; QEMU_SMP and
# QEMU_MEM size the machine.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
args="console=com1 ${XENO_ARGS:-}"
mods=()
[ -n "${XENO_MODULES:-}" ] && mods=(-initrd "$XENO_MODULES")
echo "Booting Xeno: qemu-system-x86_64 -smp ${QEMU_SMP:-2} -m ${QEMU_MEM:-1024}; quit with Ctrl-A X; debug keys: h"
exec qemu-system-x86_64 -nographic -no-reboot -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-1024}" \
    -kernel "$root/build/xeno.elf" -append "$args" "${mods[@]}"
