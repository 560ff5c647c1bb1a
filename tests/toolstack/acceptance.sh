#!/usr/bin/env bash
# `make test-toolstack`: the dom0 toolstack end to end.  Boots Xeno under
# QEMU (2 CPUs, 2 GiB) with Debian's 6.1 kernel as dom0 and the toolstack
# image (mk/toolstack.mk): xenstored, xenconsoled and xend start, xend
# creates /etc/xen/auto/demo, and tests/toolstack/acceptance-dom0.sh drives
# xm through Debian 6.1 and cloud domUs (create -c, list, vcpus=2, two at
# once, xend restart, shutdown -w, destroy, memory accounting, bad
# configs).  Ends with "toolstack: N passed, N failed".
set -u
. "$(dirname "$0")/../lib/dom0-test.sh"
dom0_test_init --out toolstack-acceptance toolstack
dom0_test_build hypervisor toolstack-image
img=$root/build/images
# the machine's NIC on QEMU's user network: dom0 bridges it (network-bridge)
# and the demo domU's vif is a port of that bridge
DOM0_TEST_QEMU_ARGS=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0)
dom0_test_boot "${TOOLSTACK_TIMEOUT:-900}" 2048 "$img/dom0-vmlinuz" "$img/toolstack-initrd.cpio.gz" \
    xeno.test=toolstack
dom0_test_parse xeno-dom0-test

# dom0's poweroff (SIGUSR2 to /init) shut the running guest down first.
last_id=$(sed -n 's/^    last  *\([0-9][0-9]*\)  .*/\1/p' "$log" | tail -1)
dom0_test_check "dom0 poweroff: /etc/init.shutdown asked the guests to shut down" \
    grep -q "xeno-dom0: shutting down the guests" "$log"
dom0_test_check "dom0 poweroff: guest last (d${last_id:-?}) shut down before dom0" \
    awk -v d="(XEN) d${last_id:-x}: shutdown requested: poweroff" \
    'index($0, d) == 1 { g = NR } index($0, "(XEN) d0: shutdown requested: poweroff") == 1 { z = NR }
     END { exit !(g && z && g < z) }' "$log"

dom0_test_expect_poweroff "xeno-dom0-test: [0-9]* passed, 0 failed" \
    "run: QEMU status $st (1 = dom0 powered off after its checks); log: $log" 40
dom0_test_finish
