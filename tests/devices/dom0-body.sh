# Device-test body of /init (sourced by tools/images/init.sh, busybox sh):
# dom0 drives QEMU's virtio-blk disk and a virtio-net or e1000 NIC through
# interrupts routed by the hypervisor.  Reports "devtest: ..." lines that
# tests/devices/run.sh checks, then powers off.
#   devtest.disk=vda      the disk's block device (sda for AHCI)
#   devtest.marker=TEXT   expected content of /marker.txt on it (ext4)
#   devtest.url=URL       file to fetch over the NIC once DHCP configured it
#   devtest.md5=SUM       its expected md5
dt() { echo "devtest: $*"; }
up() { cut -d' ' -f1 /proc/uptime; }
wait_for() { # TEST... : up to 10 s
    _i=0
    while ! "$@" 2>/dev/null; do
        _i=$((_i + 1)); [ $_i -gt 100 ] && return 1; sleep 0.1
    done
}

dt "start at $(up)s"
disk=$(getarg devtest.disk vda)
marker=$(getarg devtest.marker)
url=$(getarg devtest.url)
md5=$(getarg devtest.md5)

# ---- disk: virtio-blk or AHCI, ext4 ----
if wait_for test -b "/dev/$disk" && mount -t ext4 -o ro "/dev/$disk" /mnt; then
    got=$(cat /mnt/marker.txt 2>/dev/null)
    if [ -n "$marker" ] && [ "$got" = "$marker" ]; then
        dt "disk ok: /dev/$disk ext4, marker '$got' at $(up)s"
    else
        dt "disk FAIL: marker '$got', expected '$marker'"
    fi
    umount /mnt
    # Every block of the disk, uncached: a few hundred completion interrupts.
    t0=$(up)
    # (busybox dd reports records, not bytes)
    n=$(dd if="/dev/$disk" of=/dev/null bs=64k iflag=direct 2>&1 | sed -n 's/^\([0-9]*\)+[0-9]* records in$/\1/p')
    if [ -n "$n" ] && [ "$n" -gt 0 ]; then
        dt "disk read ok: $((n * 65536)) bytes in $(awk -v a="$t0" -v b="$(up)" 'BEGIN { print b - a }')s"
    else
        dt "disk read FAIL"
    fi
else
    dt "disk FAIL: /dev/$disk not mountable"
fi

# ---- network: DHCP from QEMU's user network, then HTTP ----
ip link set lo up
if wait_for test -e /sys/class/net/eth0; then
    dt "nic: eth0 driver $(basename "$(readlink /sys/class/net/eth0/device/driver)")"
    if udhcpc -i eth0 -n -q -t 10 -T 1 -s /usr/share/udhcpc/default.script >/tmp/udhcpc.log 2>&1; then
        dt "dhcp ok: $(ip -4 -o addr show dev eth0 | awk '{print $4}') at $(up)s"
    else
        dt "dhcp FAIL: $(tr '\n' ' ' </tmp/udhcpc.log)"
    fi
    # (busybox 1.35 wget crashes with -T: bound it with timeout instead)
    if [ -n "$url" ] && timeout 30 wget -q -O /tmp/fetched "$url"; then
        sum=$(md5sum /tmp/fetched | cut -d' ' -f1)
        if [ "$sum" = "$md5" ]; then
            dt "wget ok: $(wc -c </tmp/fetched) bytes, md5 $sum at $(up)s"
        else
            dt "wget FAIL: md5 $sum, expected $md5"
        fi
    else
        dt "wget FAIL: $url"
    fi
else
    dt "nic FAIL: no eth0"
fi

# Which interrupt path each device took (IO-APIC GSI vs MSI/MSI-X pirqs).
grep -v 'xen-\(percpu\|dyn\)' /proc/interrupts | sed 's/^/devtest: irq /'
dt "end at $(up)s"
power_off
