#!/usr/bin/env bash
# `make test-split-drivers`: disks and networks of Debian domUs through
# dom0's xen-blkback / xen-netback, set up by xm, xend and /etc/xen/scripts
# (docs/devices.md).  Boots Xeno under QEMU with Debian's 6.1 kernel as dom0
# and the toolstack image, a virtio-net NIC on QEMU's user network (dom0
# and the bridged guests get DHCP leases from it; the host's loopback is
# 10.0.2.2 there), and this test's disk images and settings added to the
# image; tests/toolstack/split-drivers-dom0.sh runs in dom0 (bridged,
# phy:, hot-plug, sharing, failures and cleanup, routed and NAT modes).
# Ends with "split-drivers: N passed, N failed".
#   SPLIT_DRIVERS_TIMEOUT  seconds for the QEMU run (default 420)
set -u
. "$(dirname "$0")/../lib/dom0-test.sh"
dom0_test_init split-drivers
dom0_test_build hypervisor toolstack-image
img=$root/build/images

# The test's additions to dom0's root: three ext4 images with a marker each
# (xvda of the bridged guest, the hot-plugged xvdb, the phy: disk) and the
# settings split-drivers-dom0.sh reads.
extra=$out/extra
mkdir -p "$extra/var/lib/xen/images" "$extra/usr/share/xeno"
tag=$RANDOM$RANDOM
for d in a b c; do
    "$root/tools/images/mkdisk.sh" "$extra/var/lib/xen/images/sd-$d.img" 16M "marker.txt=sd-$d-$tag" \
        >"$out/mkdisk.log" 2>&1 || { cat "$out/mkdisk.log"; dom0_test_abort "disk image sd-$d.img"; }
done

# The payload the guests fetch, served on the host's loopback only.
mkdir -p "$out/www"
head -c 300000 /dev/urandom >"$out/www/payload.bin"
md5=$(md5sum "$out/www/payload.bin" | cut -d' ' -f1)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$out/www" "$port" >"$out/http.log" 2>&1 &
httpd=$!
trap 'kill $httpd 2>/dev/null' EXIT

cat >"$extra/usr/share/xeno/split-drivers.conf" <<EOF
SD_URL=http://10.0.2.2:$port/payload.bin
SD_MD5=$md5
SD_MARKER_A=sd-a-$tag
SD_MARKER_B=sd-b-$tag
SD_MARKER_C=sd-c-$tag
EOF

# Linux unpacks concatenated (compressed) cpio archives in turn, so the
# additions ride behind the unchanged toolstack image.
(cd "$extra" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out/extra.cpio.gz" ||
    dom0_test_abort "extra cpio"
cat "$img/toolstack-initrd.cpio.gz" "$out/extra.cpio.gz" >"$out/initrd.cpio.gz"

DOM0_TEST_QEMU_ARGS=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0)
dom0_test_boot "${SPLIT_DRIVERS_TIMEOUT:-420}" 2048 "$img/dom0-vmlinuz" "$out/initrd.cpio.gz" \
    xeno.test=split-drivers
dom0_test_parse xeno-dom0-test
dom0_test_check "the guests fetched the payload from the host's HTTP server" \
    grep -q "GET /payload.bin HTTP/1.[01]\" 200" "$out/http.log"
dom0_test_expect_poweroff "xeno-dom0-test: [0-9]* passed, " \
    "run: QEMU status $st (1 = dom0 powered off after its checks); log: $log" 40
dom0_test_finish
