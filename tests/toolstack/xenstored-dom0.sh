#!/usr/bin/env bash
# xenstored in Linux dom0 on Xeno: Debian's kernel (6.1 by default,
# KERNEL=6.12 for the other flavour) boots as dom0 with a busybox initramfs
# holding the static xenstored and xenstore-* tools; the init body
# (xenstored-dom0-init.sh) starts the daemon, which serves dom0's kernel
# through /dev/xen/xenbus_backend, and checks it.  Not part of `make test`
# (run it with `make test-xenstored-dom0`).  Ends with
# "xenstored-dom0: N passed, N failed".
set -u
. "$(dirname "$0")/../lib/dom0-test.sh"
flavour=${KERNEL:-amd64}
dom0_test_init xenstored-dom0
dom0_test_build hypervisor xenstored-tools
dom0_test_kernel "$flavour"
dom0_test_initrd "$flavour" xs-dom0 tests/toolstack/xenstored-dom0-init.sh \
    build/dom0-tools/xenstored:/bin/xenstored build/dom0-tools/xenstore:/bin/xenstore
dom0_test_boot 240 1024 "${kern[$flavour]}" "$initrd"
dom0_test_parse xs-dom0-test
dom0_test_expect_poweroff "xs-dom0-test: [0-9]* passed" "boot: QEMU status $st (1 = dom0 powered off)"
dom0_test_finish
