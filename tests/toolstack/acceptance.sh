#!/usr/bin/env bash
# `make test-toolstack`: the dom0 toolstack end to end.  Boots Xeno under
# QEMU (2 CPUs, 2 GiB) with Debian's 6.1 kernel as dom0 and the toolstack
# image (mk/toolstack.mk): xenstored, xenconsoled and xend start, xend
# creates /etc/xen/auto/demo, and tests/toolstack/acceptance-dom0.sh drives
# xm through Debian 6.1 and cloud domUs (create -c, list, vcpus=2, two at
# once, xend restart, shutdown -w, destroy, memory accounting, bad
# configs).  Ends with "toolstack: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/toolstack-acceptance
rm -rf "$out"; mkdir -p "$out"
pass=0; fail=0
finish() { echo "toolstack: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" hypervisor toolstack-image >"$out/build.log" 2>&1; then
    tail -30 "$out/build.log"; echo "FAIL build"; fail=1; finish
fi
log=$out/boot.log
st=$(qemu_boot "$log" ${TOOLSTACK_TIMEOUT:-900} -smp 2 -m 2048 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "$root/build/images/dom0-vmlinuz console=hvc0 earlyprintk=xen xeno.test=toolstack,$root/build/images/toolstack-initrd.cpio.gz")
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
while IFS= read -r line; do
    case $line in
        *"xeno-dom0-test: ok - "*) echo "PASS ${line#*ok - }"; pass=$((pass + 1)) ;;
        *"xeno-dom0-test: FAIL - "*) echo "FAIL ${line#*FAIL - }"; fail=$((fail + 1)) ;;
    esac
done <"$log"
# dom0's poweroff (SIGUSR2 to /init) shut the running guest down first.
host_check() {
    if "$@"; then echo "PASS $desc"; pass=$((pass + 1)); else echo "FAIL $desc"; fail=$((fail + 1)); fi
}
last_id=$(sed -n 's/^    last  *\([0-9][0-9]*\)  .*/\1/p' "$log" | tail -1)
desc="dom0 poweroff: /etc/init.shutdown asked the guests to shut down"
host_check grep -q "xeno-dom0: shutting down the guests" "$log"
desc="dom0 poweroff: guest last (d${last_id:-?}) shut down before dom0"
host_check awk -v d="(XEN) d${last_id:-x}: shutdown requested: poweroff" \
    'index($0, d) == 1 { g = NR } index($0, "(XEN) d0: shutdown requested: poweroff") == 1 { z = NR }
     END { exit !(g && z && g < z) }' "$log"

if [ "$st" != 1 ] || ! grep -q "xeno-dom0-test: [0-9]* passed, 0 failed" "$log"; then
    echo "FAIL run: QEMU status $st (1 = dom0 powered off after its checks); log: $log"
    tail -40 "$log" | sed 's/^/    | /'
    fail=$((fail + 1))
fi
finish
