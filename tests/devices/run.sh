#!/usr/bin/env bash
# Device test: Debian's Linux as PV dom0 on Xeno drives QEMU devices through
# the hypervisor's interrupt routing (I/O APIC GSIs, MSI/MSI-X as PIRQs):
# mounts an ext4 virtio-blk disk, gets a DHCP lease from QEMU's user network
# and fetches a file over HTTP from a server on the host's loopback (QEMU's
# user network reaches it as 10.0.2.2), once with virtio-net and once with
# an e1000.  Ends "devices: N passed, N failed".
#
#   tests/devices/run.sh [virtio|intx|ahci|e1000]...   (default: all)
#     virtio  virtio-blk + virtio-net, MSI-X
#     intx    the same with dom0's pci=nomsi: level-triggered I/O APIC GSIs
#     ahci    the disk on an ICH9 AHCI controller (plain MSI) + virtio-net
#     e1000   virtio-blk + e1000 (INTx)
#   XENO=build/xeno.elf  TMO=300 (seconds per boot)  PAYLOAD=300000 (bytes fetched)
#   KERNEL=amd64 (tools/images/fetch-kernel.sh flavour: amd64 = 6.1, 6.12)
#   WANT_STATUS=1: QEMU's exit status on dom0's power-off (Xeno's debugexit);
#   0 for Xen 4.17 (XENO=build/cache/xen-4.17/xen.elf), for comparison
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/devices
mkdir -p "$out"
xeno=${XENO:-$root/build/xeno.elf}
nics=${*:-virtio intx ahci e1000}
tmo=${TMO:-300}
[ -f "$xeno" ] || { echo "devices: $xeno missing (run make)"; echo "devices: 0 passed, 1 failed"; exit 1; }

# Kernel (Debian's current 6.1, through the images scripts) and an initramfs
# with the drivers and this test's /init body.
vmlinuz=$("$root/tools/images/fetch-kernel.sh" "${KERNEL:-amd64}") || { echo "devices: no kernel"; exit 1; }
kdir=$(dirname "$vmlinuz")
"$root/tools/images/mkinitramfs.sh" -o "$out/initrd.cpio.gz" --kernel-dir "$kdir" \
    --modules "virtio_pci virtio_blk virtio_net e1000 ahci sd_mod crc32c_generic ext4" --name xeno-dev \
    --init "$root/tests/devices/dom0-body.sh" \
    --add "$root/tests/devices/udhcpc.script:/usr/share/udhcpc/default.script" >/dev/null ||
    { echo "devices: initramfs build failed"; exit 1; }

# An ext4 disk with a marker file.
marker="xeno-disk-$RANDOM$RANDOM"
rm -rf "$out/disk.d" "$out/disk.img"; mkdir -p "$out/disk.d"
echo "$marker" > "$out/disk.d/marker.txt"
mkfs.ext4 -q -F -d "$out/disk.d" "$out/disk.img" 16M || { echo "devices: mkfs.ext4 failed"; exit 1; }

# The file to fetch, served on 127.0.0.1 only, for the length of the test.
rm -rf "$out/www"; mkdir -p "$out/www"
head -c "${PAYLOAD:-300000}" /dev/urandom > "$out/www/payload.bin"
md5=$(md5sum "$out/www/payload.bin" | cut -d' ' -f1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$out/www" "$port" >"$out/http.log" 2>&1 &
httpd=$!
trap 'kill $httpd 2>/dev/null' EXIT

pass=0; fail=0
for nic in $nics; do
    extra=
    disk=(-drive "file=$out/disk.img,if=virtio,format=raw,readonly=on")
    case $nic in
        virtio) dev="virtio-net-pci,netdev=n0" ;;
        intx)   dev="virtio-net-pci,netdev=n0"; extra=pci=nomsi ;;
        ahci)   dev="virtio-net-pci,netdev=n0"; extra=devtest.disk=sda
                # IDE disks cannot be read-only in QEMU: a throw-away overlay
                disk=(-drive "file=$out/disk.img,if=none,id=d0,format=raw,snapshot=on"
                      -device ich9-ahci,id=ahci -device ide-hd,drive=d0,bus=ahci.0) ;;
        e1000)  dev="e1000,netdev=n0" ;;
        *) echo "devices: unknown NIC $nic"; fail=$((fail + 1)); continue ;;
    esac
    log=$out/$nic.log
    args="console=hvc0 earlyprintk=xen xeno.shell=0 devtest.marker=$marker devtest.url=http://10.0.2.2:$port/payload.bin devtest.md5=$md5 $extra"
    t0=$(date +%s.%N)
    st=$(qemu_boot "$log" "$tmo" -m 1024 -smp 2 -kernel "$xeno" \
        -append "console=com1 debugexit=0xf4 dom0_mem=512M noreboot" \
        -initrd "$vmlinuz $args,$out/initrd.cpio.gz" \
        "${disk[@]}" \
        -netdev user,id=n0 -device "$dev")
    t1=$(date +%s.%N)
    tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
    why=""
    [ "$st" = "${WANT_STATUS:-1}" ] || why="exit status $st, expected ${WANT_STATUS:-1} (powered off)"
    grep -q "devtest: disk ok" "$log" || why="${why:+$why; }disk"
    grep -q "devtest: disk read ok" "$log" || why="${why:+$why; }disk read"
    grep -q "devtest: dhcp ok: 10.0.2.15/" "$log" || why="${why:+$why; }dhcp"
    grep -q "devtest: wget ok" "$log" || why="${why:+$why; }wget"
    # e1000 (unlike virtio) uses the DMA API, i.e. swiotlb-xen, whose buffer
    # Linux makes machine-contiguous with XENMEM_exchange.
    grep -q "No usable DMA config" "$log" && why="$why (swiotlb-xen has no buffer: XENMEM_exchange)"
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if [ -z "$why" ]; then
        pass=$((pass + 1)); echo "devices: $nic: ok (${secs} s)"
    else
        fail=$((fail + 1)); echo "devices: $nic: FAIL ($why; ${secs} s; log $log)"
    fi
    grep "devtest: " "$log" | sed "s/^/    /"
done
echo "devices: $pass passed, $fail failed"
[ $fail -eq 0 ]
