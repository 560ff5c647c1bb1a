#!/usr/bin/env bash
# toolstack-root.sh OUTDIR: stage the files the toolstack dom0 image adds to
# its busybox initramfs (mk/toolstack.mk packs OUTDIR with mkinitramfs.sh):
#   /usr/sbin/{xenstored,xenconsoled,xend,xm}, /usr/bin/xenstore{,-*},
#   /usr/lib/xen/bin/xenconsole, /etc/xen (config/ via make install-config,
#   plus the guest configs of tests/toolstack/etc-xen and auto/demo),
#   /var/lib/xen/images/{debian,cloud}-{vmlinuz,initrd.gz},
#   /usr/share/xeno/{acceptance,bench-xm}.sh, /etc/init.shutdown (stops the guests
#   when dom0 powers off).
# Inputs are taken from build/ (BUILD=...), made by mk/toolstack.mk first.
set -euo pipefail
out=${1:?usage: toolstack-root.sh OUTDIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
b=${BUILD:-$root/build}
rm -rf "$out.tmp"
mkdir -p "$out.tmp"/{usr/sbin,usr/bin,usr/lib/xen/bin,var/lib/xen/images,usr/share/xeno}
r=$out.tmp
install -m 0755 "$b/dom0-tools/xenstored" "$b/dom0-tools/xenconsoled" "$b/xend/xend" "$b/xend/xm" "$r/usr/sbin/"
install -m 0755 "$b/dom0-tools/xenstore" "$r/usr/bin/"
for m in read write rm exists list ls chmod watch control; do ln -s xenstore "$r/usr/bin/xenstore-$m"; done
install -m 0755 "$b/dom0-tools/xenconsole" "$r/usr/lib/xen/bin/"
make -s -C "$root" install-config DESTDIR="$r" >/dev/null
install -m 0644 "$root"/tests/toolstack/etc-xen/* "$r/etc/xen/"
ln -s ../demo "$r/etc/xen/auto/demo"
install -m 0644 "$b/images/domU-amd64-vmlinuz" "$r/var/lib/xen/images/debian-vmlinuz"
install -m 0644 "$b/images/domU-amd64-initrd.cpio.gz" "$r/var/lib/xen/images/debian-initrd.gz"
install -m 0644 "$b/images/domU-vmlinuz" "$r/var/lib/xen/images/cloud-vmlinuz"
install -m 0644 "$b/images/domU-initrd.cpio.gz" "$r/var/lib/xen/images/cloud-initrd.gz"
install -m 0644 "$root/tests/toolstack/acceptance-dom0.sh" "$r/usr/share/xeno/acceptance.sh"
install -m 0644 "$root/bench/xm-create-dom0.sh" "$r/usr/share/xeno/bench-xm.sh"
install -D -m 0644 "$root/tools/images/toolstack-shutdown.sh" "$r/etc/init.shutdown"
rm -rf "$out"
mv "$out.tmp" "$out"
