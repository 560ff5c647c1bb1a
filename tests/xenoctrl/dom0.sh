#!/usr/bin/env bash
# libxenoctrl from Linux dom0 on Xeno: Debian's kernel (6.1 by default,
# KERNEL=6.12 for the other flavour) boots as dom0 with a busybox
# initramfs holding the static build/dom0-tools/xenoctrl-smoke
# (tools/images/xenoctrl-smoke.c), which prints physinfo, reads the
# hypervisor's log, and creates, fills, maps, builds, runs and destroys a
# domain through the library.  `make test-xenoctrl-dom0`.  Ends with
# "xenoctrl-dom0: N passed, N failed".
set -u
. "$(dirname "$0")/../lib/dom0-test.sh"
flavour=${KERNEL:-amd64}
dom0_test_init xenoctrl-dom0
dom0_test_build hypervisor xenoctrl-smoke
dom0_test_kernel "$flavour"
dom0_test_initrd "$flavour" xenoctrl-dom0 tests/xenoctrl/dom0-init.sh \
    build/dom0-tools/xenoctrl-smoke:/bin/xenoctrl-smoke
dom0_test_boot 240 1024 "${kern[$flavour]}" "$initrd"
# The smoke test's "host: ..." lines (physinfo) are shown among the checks.
dom0_test_parse xenoctrl-smoke host
dom0_test_expect_poweroff "xenoctrl-smoke: [0-9]* passed, 0 failed" \
    "boot: QEMU status $st (1 = dom0 powered off)"
dom0_test_finish
