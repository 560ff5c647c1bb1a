#!/usr/bin/env bash
# toolstack-root.sh OUTDIR: stage the files the toolstack dom0 image adds to
# its busybox initramfs (mk/toolstack.mk packs OUTDIR with mkinitramfs.sh):
#   /usr/sbin/{xenstored,xenconsoled,xend,xm}, /usr/bin/xenstore{,-*},
#   /usr/lib/xen/bin/xenconsole, /etc/xen (config/ via make install-config,
#   plus the guest configs of tests/toolstack/etc-xen and auto/demo),
#   /var/lib/xen/images/{debian,cloud}-{vmlinuz,initrd.gz}, demo.img (the demo
#   domU's xvda: ext4, 8 MiB),
#   /usr/share/xeno/{acceptance,bench-xm,bench-sd,split-drivers}.sh, /etc/init.shutdown
#   (stops the guests when dom0 powers off),
#   iptables (legacy) with its libraries (stage-iptables.sh), udhcpc's event
#   script, and in xend-config.sxp (network-script network-bridge) and
#   (vif-script vif-bridge): xend bridges eth0 at start, as Xen 3.2+ did.
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
# Xen's shipped xend-config.sxp has these two lines commented out; the
# distributions' dom0 set-ups enabled them (the classic bridged set-up).
cat >>"$r/etc/xen/xend-config.sxp" <<'EOF2'

# Xeno's toolstack image: bridge dom0's eth0 (NIC renamed peth0, bridge
# named eth0) when xend starts; guests' vifs become ports of that bridge.
(network-script network-bridge)
(vif-script vif-bridge)
EOF2
"$root/tools/images/stage-iptables.sh" "$r"
install -D -m 0755 "$root/tests/devices/udhcpc.script" "$r/usr/share/udhcpc/default.script"
"$root/tools/images/mkdisk.sh" "$r/var/lib/xen/images/demo.img" 8M \
    "README=the demo domU's xvda, a file in dom0's /var/lib/xen/images/demo.img"
ln -s ../demo "$r/etc/xen/auto/demo"
install -m 0644 "$b/images/domU-amd64-vmlinuz" "$r/var/lib/xen/images/debian-vmlinuz"
install -m 0644 "$b/images/domU-amd64-initrd.cpio.gz" "$r/var/lib/xen/images/debian-initrd.gz"
install -m 0644 "$b/images/domU-vmlinuz" "$r/var/lib/xen/images/cloud-vmlinuz"
install -m 0644 "$b/images/domU-initrd.cpio.gz" "$r/var/lib/xen/images/cloud-initrd.gz"
install -m 0644 "$root/tests/toolstack/acceptance-dom0.sh" "$r/usr/share/xeno/acceptance.sh"
install -m 0644 "$root/bench/xm-create-dom0.sh" "$r/usr/share/xeno/bench-xm.sh"
install -m 0644 "$root/bench/split-drivers-dom0.sh" "$r/usr/share/xeno/bench-sd.sh"
install -m 0644 "$root/tests/toolstack/split-drivers-dom0.sh" "$r/usr/share/xeno/split-drivers.sh"
install -D -m 0644 "$root/tools/images/toolstack-shutdown.sh" "$r/etc/init.shutdown"
rm -rf "$out"
mv "$out.tmp" "$out"
