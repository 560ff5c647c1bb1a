#!/usr/bin/env bash
# xenconsoled in Linux dom0 on Xeno: Debian's kernel (6.1 by default,
# KERNEL=6.12 for the other flavour) boots as dom0 with a busybox initramfs
# holding the static xenstored, xenconsoled, xenconsole and a pretend-guest
# tool; the init body (xenconsoled/dom0-init.sh) runs the daemon with the
# real back end (privcmd foreign maps, evtchn, gntdev) against a domain
# made from dom0.  Not part of `make test` (`make test-xenconsoled-dom0`).
# Ends with "xenconsoled-dom0: N passed, N failed".
set -u
. "$(dirname "$0")/../lib/dom0-test.sh"
flavour=${KERNEL:-amd64}
dom0_test_init xenconsoled-dom0
dom0_test_build hypervisor xenstored-tools xenconsoled-tools xenoctrl
# The pretend guest: a static dom0 tool over libxenoctrl and the xenstore client.
gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$root/xen-public-headers" \
    -I"$root/dom0-tools/include" -I"$root/dom0-tools/xenstored" -o "$out/dom0-guest" \
    "$root/tests/toolstack/xenconsoled/dom0_guest.c" "$root/dom0-tools/xenstored/client.c" \
    "$root/build/dom0-tools/libxenoctrl.a" 2>"$out/guest-build.log" ||
    { cat "$out/guest-build.log"; dom0_test_abort "build dom0-guest"; }
dom0_test_kernel "$flavour"
dom0_test_initrd "$flavour" xcd-dom0 tests/toolstack/xenconsoled/dom0-init.sh \
    build/dom0-tools/xenstored:/bin/xenstored build/dom0-tools/xenstore:/bin/xenstore \
    build/dom0-tools/xenconsoled:/bin/xenconsoled build/dom0-tools/xenconsole:/bin/xenconsole \
    "$out/dom0-guest:/bin/dom0-guest"
dom0_test_boot 240 1024 "${kern[$flavour]}" "$initrd"
dom0_test_parse xcd-dom0-test
dom0_test_expect_poweroff "xcd-dom0-test: [0-9]* passed" "boot: QEMU status $st (1 = dom0 powered off)"
dom0_test_finish
