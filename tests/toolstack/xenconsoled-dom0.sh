#!/usr/bin/env bash
# xenconsoled in Linux dom0 on Xeno: Debian's kernel (6.1 by default,
# KERNEL=6.12 for the other flavour) boots as dom0 with a busybox initramfs
# holding the static xenstored, xenconsoled, xenconsole and a pretend-guest
# tool; the init body (xenconsoled/dom0-init.sh) runs the daemon with the
# real back end (privcmd foreign maps, evtchn, gntdev) against a domain
# made from dom0.  Not part of `make test` (`make test-xenconsoled-dom0`).
# Ends with "xenconsoled-dom0: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/xenconsoled-dom0
rm -rf "$out"; mkdir -p "$out"
flavour=${KERNEL:-amd64}
pass=0; fail=0
finish() { echo "xenconsoled-dom0: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" hypervisor xenstored-tools xenconsoled-tools xenoctrl >"$out/build.log" 2>&1; then
    tail -20 "$out/build.log"; echo "FAIL build"; fail=1; finish
fi
if ! gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$root/xen-public-headers" \
        -I"$root/dom0-tools/include" -I"$root/dom0-tools/xenstored" -o "$out/dom0-guest" \
        "$root/tests/toolstack/xenconsoled/dom0_guest.c" "$root/dom0-tools/xenstored/client.c" \
        "$root/build/dom0-tools/libxenoctrl.a" 2>"$out/guest-build.log"; then
    cat "$out/guest-build.log"; echo "FAIL build dom0-guest"; fail=1; finish
fi
if ! kernel=$(cd "$root" && tools/images/fetch-kernel.sh "$flavour" 2>"$out/kernel.log"); then
    tail -5 "$out/kernel.log"; echo "FAIL kernel $flavour"; fail=1; finish
fi
initrd=$out/initrd.cpio.gz
if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "$kernel")" --name xcd-dom0 \
        --modules "xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc" \
        --init tests/toolstack/xenconsoled/dom0-init.sh \
        --add build/dom0-tools/xenstored:/bin/xenstored --add build/dom0-tools/xenstore:/bin/xenstore \
        --add build/dom0-tools/xenconsoled:/bin/xenconsoled --add build/dom0-tools/xenconsole:/bin/xenconsole \
        --add "$out/dom0-guest:/bin/dom0-guest" \
        -o "$initrd") >"$out/initrd.log" 2>&1; then
    tail -5 "$out/initrd.log"; echo "FAIL initramfs"; fail=1; finish
fi
log=$out/boot.log
st=$(qemu_boot "$log" 240 -smp 2 -m 1024 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "$kernel console=hvc0 earlyprintk=xen,$initrd")
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
while IFS= read -r line; do
    case $line in
        *"xcd-dom0-test: ok - "*) echo "PASS ${line#*ok - }"; pass=$((pass + 1)) ;;
        *"xcd-dom0-test: FAIL - "*) echo "FAIL ${line#*FAIL - }"; fail=$((fail + 1)) ;;
    esac
done <"$log"
if [ "$st" != 1 ] || ! grep -q "xcd-dom0-test: [0-9]* passed" "$log"; then
    echo "FAIL boot: QEMU status $st (1 = dom0 powered off)"; tail -30 "$log" | sed 's/^/    | /'
    fail=$((fail + 1))
fi
finish
