#!/usr/bin/env bash
# `make run`: boot Xeno in QEMU with Debian's Linux as dom0 and the dom0
# toolstack (mk/toolstack.mk: xenstored, xenconsoled, xend, xm), which
# starts the demo domU of /etc/xen/auto, and leave you at dom0's shell on
# this terminal (`xm list`, `xm console demo`, `xm create -c debian`).  Quit QEMU with Ctrl-A X; type Ctrl-A three times to talk
# to the hypervisor's debug keys ('h' for help), three more to go back.
#   XENO_ARGS     extra hypervisor options (default dom0_mem=512M)
#   XENO_MODULES  replace the modules (QEMU -initrd syntax: "kernel args,initrd")
#   XENO_DEMO=pv  boot the PV test kernel "hello" as dom0 and as a domU instead
#   QEMU_SMP / QEMU_MEM size the machine (2 / 2048)
#   QEMU_NET=none       no NIC (default: a virtio-net NIC on QEMU's user
#                       network, 10.0.2.0/24 with DHCP; the host is 10.0.2.2;
#                       dom0 bridges it and the demo domU gets its own lease)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${XENO_MODULES+x}" ]; then
    if [ "${XENO_DEMO:-}" = pv ]; then
        make -s -C "$root/tests/guests" >/dev/null
        g=$root/build/guests/hello.elf
        XENO_MODULES="$g xeno-test,$g xeno-test"
        XENO_ARGS="dom0_mem=128M domU=2@64M ${XENO_ARGS:-}"
    else
        make -s -C "$root" toolstack-image >/dev/null
        XENO_MODULES="$root/build/images/dom0-vmlinuz console=hvc0 earlyprintk=xen,$root/build/images/toolstack-initrd.cpio.gz"
        XENO_ARGS="${XENO_ARGS:-dom0_mem=512M}"
    fi
fi
args="console=com1 ${XENO_ARGS:-}"
mods=()
[ -n "$XENO_MODULES" ] && mods=(-initrd "$XENO_MODULES")
net=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0)
[ "${QEMU_NET:-}" = none ] && net=(-nic none)
echo "Booting Xeno: qemu-system-x86_64 -smp ${QEMU_SMP:-2} -m ${QEMU_MEM:-2048}"
echo "Quit: Ctrl-A X.  Hypervisor debug keys: Ctrl-A three times, then 'h'."
echo "In dom0: xm list, xm network-list demo, xm block-list demo, ls /sys/class/net/eth0/brif, xm console demo"
echo "(in demo: ip addr, ping 10.0.2.2, wget http://10.0.2.2:PORT/ of a host server, mount /dev/xvda /mnt)."
exec qemu-system-x86_64 -nographic -no-reboot -smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-2048}" \
    -kernel "$root/build/xeno.elf" -append "$args" "${mods[@]}" "${net[@]}"
