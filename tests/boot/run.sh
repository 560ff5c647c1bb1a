#!/usr/bin/env bash
# Boot tests: boot build/xeno.elf under QEMU (multiboot1) and through a GRUB
# rescue image (multiboot2), check the serial log and the exit status that
# the hypervisor reports through isa-debug-exit.  Ends "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/boot
rm -rf "$out"; mkdir -p "$out"
xeno=$root/build/xeno.elf
[ -f "$xeno" ] || { echo "boot: build/xeno.elf missing (run make)"; echo "boot: 0 passed, 1 failed"; exit 1; }
pass=0; fail=0; only=${1:-}
T="console=com1 debugexit=0xf4"

# case NAME STATUS "QEMU ARGS" "APPEND" PATTERN... ; a pattern starting with !
# must not appear; others are extended regexps that must.
case_() {
    local name=$1 want=$2 qargs=$3 append=$4
    shift 4
    [ -n "$only" ] && [[ "$name" != $only ]] && return
    local log=$out/$name.log
    # shellcheck disable=SC2086
    local st
    st=$(qemu_boot "$log" "${TMO:-60}" $qargs -kernel "$xeno" -append "$append")
    check_ "$name" "$want" "$st" "$log" "$@"
}

check_() {
    local name=$1 want=$2 st=$3 log=$4
    shift 4
    local why=""
    tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
    [ "$st" = "$want" ] || why="exit status $st, expected $want"
    for p in "$@"; do
        if [ "${p:0:1}" = "!" ]; then
            grep -qE -- "${p:1}" "$log" && why="${why:+$why; }unexpected /${p:1}/"
        else
            grep -qE -- "$p" "$log" || why="${why:+$why; }missing /$p/"
        fi
    done
    if [ -z "$why" ]; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name: $why"; sed 's/^/    | /' "$log" | tail -n 25; fail=$((fail + 1))
    fi
}

OK="selftest: [0-9]+ passed, 0 failed"
case_ smp1-m512 1 "-smp 1 -m 512" "$T selftest=boot" "Brought up 1 CPU$" "$OK" "Powering off"
case_ smp2-m512 1 "-smp 2 -m 512" "$T selftest=boot" "Brought up 2 CPUs" "$OK"
case_ smp1-m4096 1 "-smp 1 -m 4096" "$T selftest=boot" "Brought up 1 CPU$" "$OK" "\[0000000100000000, 000000013fffffff\] RAM"
case_ smp2-m4096 1 "-smp 2 -m 4096" "$T selftest=boot" "Brought up 2 CPUs" "$OK" "Memory: 40[0-9][0-9] MiB RAM"
case_ smp4-m1024 1 "-smp 4 -m 1024" "$T selftest=boot" "Brought up 4 CPUs" "$OK"
case_ maxcpus 1 "-smp 4 -m 512" "$T maxcpus=2 selftest=boot" "Brought up 2 CPUs" "$OK"
case_ xen-options 1 "-smp 2 -m 512" "$T com1=115200,8n1 loglvl=all guest_loglvl=info/warning dom0_mem=256M,max:512M dom0_max_vcpus=1-2 noreboot sync_console selftest=boot" "$OK" "!unknown" "!invalid value"
case_ unknown-option 1 "-m 512" "$T frobnicate=1 no-such-flag selftest=boot" \
    'parameter "frobnicate" unknown!' 'parameter "no-such-flag" unknown!' "$OK"
case_ bad-value 3 "-m 512" "$T dom0_mem=lots selftest=boot" \
    'parameter "dom0_mem" has invalid value "lots"' "Xeno cannot start: 1 malformed option value" "System halted" "!selftest:"
case_ bad-bool 3 "-m 512" "$T noreboot=maybe" 'parameter "noreboot" has invalid value "maybe"' "System halted"
case_ bad-com1 3 "-m 512" "$T com1=fast,9x9" 'parameter "com1" has invalid value' "System halted"
case_ too-little-memory 3 "-m 24" "$T selftest=boot" "Xeno needs at least 32 MiB" "System halted" "!FATAL"
case_ ud2-noreboot 5 "-m 512" "$T noreboot selftest=ud2" "FATAL TRAP: vector = 6 \(invalid opcode\)" \
    "RIP: +e008:\[<ffff82d0[0-9a-f]+>\] selftest_fault_ud2\+0x" "Xen call trace:" "run_selftest_if_asked\+0x" \
    "start_xeno\+0x" "Manual reset required \('noreboot' specified\)"
case_ pagefault-noreboot 5 "-m 512" "$T noreboot selftest=pagefault" "FATAL TRAP: vector = 14 \(page fault\)" \
    "Faulting linear address: 0000000000000010" "selftest_fault_pf\+0x" "Manual reset required"
case_ panic-reboots 5 "-m 512" "$T selftest=panic" "Panic on CPU 0:" "selftest: panic requested" "Reboot in five seconds"
# Without debugexit the machine must stop by itself: ACPI S5 power-off ends
# QEMU with status 0, and so does a reset under -no-reboot.
case_ acpi-poweroff 0 "-smp 2 -m 512" "console=com1 selftest=poweroff" "Powering off" "!did not take effect"
case_ reboot 0 "-smp 2 -m 512" "console=com1 selftest=reboot" "Rebooting"
TMO=8 case_ no-long-mode 124 "-cpu qemu32 -m 512" "console=com1" "this CPU has no 64-bit long mode"

# Modules: QEMU -initrd "file args,file args".
mods=$out/mods; mkdir -p "$mods"
cp "$xeno" "$mods/kernel.elf"
head -c 100000 /dev/urandom > "$mods/garbage.bin"
printf 'initrd' > "$mods/initrd.img"
: > "$mods/empty.bin"
case_mod() {
    local name=$1 want=$2 initrd=$3 append=$4
    shift 4
    [ -n "$only" ] && [[ "$name" != $only ]] && return
    local log=$out/$name.log st
    st=$(qemu_boot "$log" 60 -m 512 -kernel "$xeno" -append "$append" -initrd "$initrd")
    check_ "$name" "$want" "$st" "$log" "$@"
}
case_mod modules 1 "$mods/kernel.elf console=hvc0 earlyprintk=xen,$mods/initrd.img" "$T selftest=boot" \
    "Module 1: .* \"$mods/kernel.elf console=hvc0 earlyprintk=xen\"" "Module 2: .* 6 bytes" "dom0 kernel: ELF64" "$OK"
case_mod corrupt-module 3 "$mods/garbage.bin" "$T selftest=boot" "module 1 .* is not a kernel" "System halted" "!selftest:"
case_mod empty-module 3 "$mods/kernel.elf,$mods/empty.bin" "$T selftest=boot" "module 2 .* is empty" "System halted"

# GRUB 2 (multiboot2 + module2) from a grub-mkrescue image, as on a real machine.
if [ -z "$only" ] || [[ grub == $only ]]; then
    iso=$out/grub; mkdir -p "$iso/boot/grub"
    cp "$root/build/xeno.gz" "$iso/boot/xeno.gz"
    cp "$mods/kernel.elf" "$iso/boot/vmlinuz"
    cp "$mods/initrd.img" "$iso/boot/initrd.img"
    cat > "$iso/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "Xeno" {
    multiboot2 /boot/xeno.gz $T selftest=boot
    module2 /boot/vmlinuz console=hvc0
    module2 /boot/initrd.img
}
CFG
    if grub-mkrescue -o "$out/xeno-grub.iso" "$iso" >"$out/grub-mkrescue.log" 2>&1; then
        st=$(qemu_boot "$out/grub.log" 90 -m 512 -smp 2 -cdrom "$out/xeno-grub.iso" -boot d)
        check_ grub 1 "$st" "$out/grub.log" "Bootloader: GRUB 2" "multiboot2" "Command line: $T selftest=boot$" \
            "Module 1: .* \"console=hvc0\"" "dom0 kernel: ELF64" "Brought up 2 CPUs" "$OK"
    else
        echo "FAIL grub: grub-mkrescue failed"; tail "$out/grub-mkrescue.log"; fail=$((fail + 1))
    fi
fi

echo "boot: $pass passed, $fail failed"
[ $fail -eq 0 ]
