# Shared helpers for tests that boot Xeno under QEMU (sourced, not run).
# qemu_boot LOG TIMEOUT QEMU-ARGS... : runs QEMU headless with the serial
# console in LOG and QEMU's isa-debug-exit at 0xf4; echoes QEMU's status
# (124 = timed out).  Xeno ends the run with debugexit=0xf4:
#   1 = power-off, 3 = halted on a boot error, 5 = panic, 7 = self-test failed.
QEMU=${QEMU:-qemu-system-x86_64}

qemu_boot() {
    local log=$1 tmo=$2
    shift 2
    timeout --foreground -k 5 "$tmo" "$QEMU" -display none -no-reboot \
        -serial "file:$log" -monitor none -parallel none \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" </dev/null >"$log.qemu" 2>&1
    echo $?
}
