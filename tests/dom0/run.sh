#!/usr/bin/env bash
# Linux dom0 tests: Debian's unmodified kernels (fetched by tools/images,
# never pinned) boot as PV dom0 on Xeno with the busybox initramfs.  Test
# mode (xeno.test=1) runs the in-dom0 checks of tools/images/dom0-init.sh
# and powers off; the shell cases type into dom0's console on the serial
# line.  Ends with "dom0: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/dom0
rm -rf "$out"; mkdir -p "$out"
xeno=$root/build/xeno.elf
img=$root/build/images
pass=0; fail=0; only=${1:-}

if ! make -s -C "$root" images images-6.12 >"$out/images.log" 2>&1; then
    echo "FAIL images: building the dom0 kernels/initramfs failed"; tail -20 "$out/images.log"
    echo "dom0: 0 passed, 1 failed"; exit 1
fi

verdict() {
    local name=$1 want=$2 st=$3 log=$4
    shift 4
    local why=""
    tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
    [ "$st" = "$want" ] || why="exit status $st, expected $want"
    for p in "$@"; do
        if [ "${p:0:1}" = "!" ]; then
            grep -qaE -- "${p:1}" "$log" && why="${why:+$why; }unexpected /${p:1}/"
        else
            grep -qaE -- "$p" "$log" || why="${why:+$why; }missing /$p/"
        fi
    done
    if [ -z "$why" ]; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name: $why"; sed 's/^/    | /' "$log" | tail -n 30; fail=$((fail + 1))
    fi
}

# case NAME SMP MEM XENO_ARGS KERNEL INITRD LINUX_ARGS PATTERNS...
case_() {
    local name=$1 smp=$2 mem=$3 xargs=$4 kernel=$5 initrd=$6 largs=$7
    shift 7
    [ -n "$only" ] && [[ "$name" != $only ]] && return
    local log=$out/$name.log st
    st=$(qemu_boot "$log" 240 -smp "$smp" -m "$mem" -kernel "$xeno" \
        -append "console=com1 debugexit=0xf4 noreboot $xargs" \
        -initrd "$kernel console=hvc0 earlyprintk=xen $largs,$initrd")
    verdict "$name" 1 "$st" "$log" "$@"
}

OK='xeno-dom0-test: [0-9]+ passed, 0 failed'
K61=$img/dom0-vmlinuz I61=$img/dom0-initrd.cpio.gz
K612=$img/dom0-6.12-vmlinuz I612=$img/dom0-6.12-initrd.cpio.gz
case_ linux61-smp1 1 1024 "dom0_mem=384M" "$K61" "$I61" "xeno.test=1" \
    "dom0: 384 MiB" "Linux version 6\.1\." "smp: Brought up 1 node, 1 CPU$" "$OK" "Powering off"
case_ linux61-smp2 2 1024 "dom0_mem=512M" "$K61" "$I61" "xeno.test=1" \
    "dom0: 512 MiB" "smp: Brought up 1 node, 2 CPUs" "$OK" "Powering off"
case_ linux61-max-vcpus 2 1024 "dom0_mem=512M dom0_max_vcpus=1" "$K61" "$I61" "xeno.test=1" \
    "1 vCPU," "smp: Brought up 1 node, 1 CPU$" "$OK"
case_ linux612-smp2 2 1024 "dom0_mem=512M" "$K612" "$I612" "xeno.test=1" \
    "Linux version 6\.12\." "smp: Brought up 1 node, 2 CPUs" "$OK" "Powering off"

# The shell on dom0's console: input typed on the serial line reaches it
# (CONSOLEIO_read via VIRQ_CONSOLE); plain `poweroff` (busybox signals PID 1,
# the /init shell, which powers off) stops the machine, `reboot -f` restarts it.
shell_case() {
    local name=$1 cmd=$2 want=$3
    shift 3
    [ -n "$only" ] && [[ "$name" != $only ]] && return
    local log=$out/$name.log fifo=$out/$name.in st
    rm -f "$fifo"; mkfifo "$fifo"
    # Feed the commands once the shell prompt is there (bounded wait).
    ( for _ in $(seq 120); do grep -qa 'init reached' "$log" 2>/dev/null && break; sleep 1; done
      sleep 4; printf '%s\n' "$cmd"; sleep 60 ) >"$fifo" &
    local feeder=$!
    timeout --foreground -k 5 200 "$QEMU" -display none -no-reboot -monitor none -parallel none \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -smp 2 -m 1024 -kernel "$xeno" \
        -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
        -initrd "$K61 console=hvc0 earlyprintk=xen,$I61" <"$fifo" >"$log" 2>&1
    st=$?
    kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
    verdict "$name" "$want" "$st" "$log" "$@"
}
shell_case console-poweroff 'echo SHELL-$((6*7)); poweroff' 1 "SHELL-42" "poweroff requested" "Powering off"
shell_case console-reboot 'echo SHELL-$((7*8)); reboot -f' 0 "SHELL-56" "Rebooting"

echo "dom0: $pass passed, $fail failed"
[ $fail -eq 0 ]
