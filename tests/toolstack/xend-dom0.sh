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
. "$(dirname "$0")/../lib/dom0-test.sh"
dom0_test_init --bare-total xend-dom0
dom0_test_build hypervisor xend xm xenstored-tools xenconsoled-tools
for f in amd64 cloud; do
    dom0_test_kernel $f
    dom0_test_domu_initrd $f
done
d=tests/toolstack/xend
dom0_test_initrd amd64 xend-dom0 $d/dom0-init.sh \
    build/dom0-tools/xenstored:/bin/xenstored build/dom0-tools/xenstore:/bin/xenstore \
    build/xend/xend:/usr/sbin/xend build/xend/xm:/usr/sbin/xm \
    build/dom0-tools/xenconsoled:/usr/sbin/xenconsoled \
    config/xend-config.sxp:/etc/xen/xend-config.sxp \
    $d/demo:/etc/xen/auto/demo $d/test61:/etc/xen/test61 $d/hold:/etc/xen/hold $d/bad:/etc/xen/bad \
    "${kern[amd64]}:/boot/domu61/vmlinuz" "$out/domU-amd64.cpio.gz:/boot/domu61/initrd" \
    "${kern[cloud]}:/boot/cloud/vmlinuz" "$out/domU-cloud.cpio.gz:/boot/cloud/initrd"
dom0_test_boot "${XEND_DOM0_TIMEOUT:-900}" 2048 "${kern[amd64]}" "$initrd"
echo "  QEMU ran $qemu_seconds s; log: $log"
dom0_test_parse xend-dom0-test
dom0_test_expect_poweroff "xend-dom0-test: [0-9]* passed, 0 failed" \
    "run: QEMU status $st (1 = dom0 powered off after its checks)" 40
dom0_test_finish
