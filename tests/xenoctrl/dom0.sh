#!/usr/bin/env bash
# libxenoctrl from Linux dom0 on Xeno: Debian's kernel (6.1 by default,
# KERNEL=6.12 for the other flavour) boots as dom0 with a busybox
# initramfs holding the static build/dom0-tools/xenoctrl-smoke
# (tools/images/xenoctrl-smoke.c), which prints physinfo, reads the
# hypervisor's log, and creates, fills, maps, builds, runs and destroys a
# domain through the library.  `make test-xenoctrl-dom0`.  Ends with
# "xenoctrl-dom0: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/xenoctrl-dom0
rm -rf "$out"; mkdir -p "$out"
flavour=${KERNEL:-amd64}
pass=0; fail=0
finish() { echo "xenoctrl-dom0: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" hypervisor xenoctrl-smoke >"$out/build.log" 2>&1; then
    tail -20 "$out/build.log"; echo "FAIL build"; fail=1; finish
fi
if ! kernel=$(cd "$root" && tools/images/fetch-kernel.sh "$flavour" 2>"$out/kernel.log"); then
    tail -5 "$out/kernel.log"; echo "FAIL kernel $flavour"; fail=1; finish
fi
initrd=$out/initrd.cpio.gz
if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "$kernel")" --name xenoctrl-dom0 \
        --modules "xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc" \
        --init tests/xenoctrl/dom0-init.sh \
        --add build/dom0-tools/xenoctrl-smoke:/bin/xenoctrl-smoke -o "$initrd") >"$out/initrd.log" 2>&1; then
    tail -5 "$out/initrd.log"; echo "FAIL initramfs"; fail=1; finish
fi
log=$out/boot.log
st=$(qemu_boot "$log" 240 -smp 2 -m 1024 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "$kernel console=hvc0 earlyprintk=xen,$initrd")
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
while IFS= read -r line; do
    case $line in
        *"xenoctrl-smoke: ok - "*) echo "PASS ${line#*ok - }"; pass=$((pass + 1)) ;;
        *"xenoctrl-smoke: FAIL - "*) echo "FAIL ${line#*FAIL - }"; fail=$((fail + 1)) ;;
        *"xenoctrl-smoke: host: "*) echo "  ${line#*xenoctrl-smoke: }" ;;
    esac
done <"$log"
if [ "$st" != 1 ] || ! grep -q "xenoctrl-smoke: [0-9]* passed, 0 failed" "$log"; then
    echo "FAIL boot: QEMU status $st (1 = dom0 powered off)"; tail -30 "$log" | sed 's/^/    | /'
    fail=$((fail + 1))
fi
finish
