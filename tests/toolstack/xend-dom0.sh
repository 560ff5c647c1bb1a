#!/usr/bin/env bash
# The real xend (build/xend/xend: libxenoctrl + libxenobuild) in Linux dom0
# on Xeno under QEMU (-smp 2 -m 2048, dom0_mem=512M): xenstored, xenconsoled, xend
# start (auto-starts /etc/xen/auto/demo, the cloud kernel), a Debian 6.1
# domU that runs its checks and powers off (xend cleans up on
# @releaseDomain), xend restart, pause/mem-set/destroy, shutdown -w through
# the guest, a builder failure, free memory back each time.  The checks run
# in dom0 (tests/toolstack/xend/dom0-init.sh).  Not part of `make test`
# (minutes of TCG): `make test-xend-dom0`.  Ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/xend-dom0
rm -rf "$out"; mkdir -p "$out"
pass=0; fail=0
finish() { echo "xend-dom0: $pass passed, $fail failed"; echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" hypervisor xend xm xenstored-tools xenconsoled-tools >"$out/build.log" 2>&1; then
    tail -20 "$out/build.log"; echo "FAIL build"; fail=1; finish
fi
declare -A kern
for f in amd64 cloud; do
    if ! kern[$f]=$(cd "$root" && tools/images/fetch-kernel.sh "$f" 2>"$out/kernel-$f.log"); then
        tail -5 "$out/kernel-$f.log"; echo "FAIL kernel $f"; fail=1; finish
    fi
    if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "${kern[$f]}")" --name xeno-domU \
            --modules "xen-blkfront xen-netfront" --init tools/images/domU-init.sh \
            -o "$out/domU-$f.cpio.gz") >"$out/initrd-$f.log" 2>&1; then
        tail -5 "$out/initrd-$f.log"; echo "FAIL domU initramfs $f"; fail=1; finish
    fi
done
d=tests/toolstack/xend
initrd=$out/dom0-initrd.cpio.gz
if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "${kern[amd64]}")" --name xend-dom0 \
        --modules "xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc" --init $d/dom0-init.sh \
        --add build/dom0-tools/xenstored:/bin/xenstored --add build/dom0-tools/xenstore:/bin/xenstore \
        --add build/xend/xend:/usr/sbin/xend --add build/xend/xm:/usr/sbin/xm \
        --add build/dom0-tools/xenconsoled:/usr/sbin/xenconsoled \
        --add config/xend-config.sxp:/etc/xen/xend-config.sxp \
        --add $d/demo:/etc/xen/auto/demo --add $d/test61:/etc/xen/test61 --add $d/hold:/etc/xen/hold \
        --add $d/bad:/etc/xen/bad \
        --add "${kern[amd64]}:/boot/domu61/vmlinuz" --add "$out/domU-amd64.cpio.gz:/boot/domu61/initrd" \
        --add "${kern[cloud]}:/boot/cloud/vmlinuz" --add "$out/domU-cloud.cpio.gz:/boot/cloud/initrd" \
        -o "$initrd") >"$out/initrd.log" 2>&1; then
    tail -5 "$out/initrd.log"; echo "FAIL dom0 initramfs"; fail=1; finish
fi
log=$out/boot.log
start=$(date +%s)
st=$(qemu_boot "$log" "${XEND_DOM0_TIMEOUT:-900}" -smp 2 -m 2048 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "${kern[amd64]} console=hvc0 earlyprintk=xen,$initrd")
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
echo "  QEMU ran $(($(date +%s) - start)) s; log: $log"
while IFS= read -r line; do
    case $line in
        *"xend-dom0-test: ok - "*) echo "PASS ${line#*ok - }"; pass=$((pass + 1)) ;;
        *"xend-dom0-test: FAIL - "*) echo "FAIL ${line#*FAIL - }"; fail=$((fail + 1)) ;;
    esac
done <"$log"
if [ "$st" != 1 ] || ! grep -q "xend-dom0-test: [0-9]* passed, 0 failed" "$log"; then
    echo "FAIL run: QEMU status $st (1 = dom0 powered off after its checks)"
    tail -40 "$log" | sed 's/^/    | /'
    fail=$((fail + 1))
fi
finish
