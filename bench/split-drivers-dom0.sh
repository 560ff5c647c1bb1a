# shellcheck shell=sh disable=SC2154
# The dom0 half of bench/split-drivers.sh, the same file on both sides:
#   Xeno     sourced by tools/images/toolstack-init.sh (xeno.test=bench-sd)
#            after xenstored, xenconsoled and xend started; SD_TOOL=xm
#   Xen 4.17 sourced by bench/xen-xl/dom0-body.sh (BODY=) after oxenstored,
#            xen-init-dom0 and xenconsoled started; SD_TOOL=xl
# Settings: /etc/sdbench.conf (written by the host scripts into an archive
# appended to dom0's initramfs): SD_TOOL SD_RUNS SD_NETMB SD_BLKMB
# SD_KERNEL SD_INITRD SD_MEMORY SD_LINE_TIMEOUT.
#
# dom0 makes bridge xenbr0 (10.99.0.1/24, no physical port), a zeroed
# backing file in its RAM (/tmp is tmpfs), the guest's listeners (5001: a
# sink, 5002: SD_NETMB MiB of zeros per connection, 5003: drop dom0's
# caches and answer "dropped"), then creates one domU with
#   disk = [ 'file:/tmp/sdbench.img,xvda,w' ]   vif = [ 'bridge=xenbr0' ]
# through the toolstack's own hotplug scripts (block, vif-bridge) and relays
# the guest's "SDBENCH" console lines (bench/split-drivers-domU.sh) to the
# serial console until it is done.  Its own lines:
#   SDBENCH start tool=xm|xl hv=X.Y
#   SDBENCH dom0 ...            (what backs the guest's devices)
#   SDBENCH FAIL what
#   SDBENCH end tool=.. runs_ok=K
. /etc/sdbench.conf
SD_NAME=sdbench
SD_IMG=/tmp/sdbench.img
SD_LINE_TIMEOUT=${SD_LINE_TIMEOUT:-300}

sd_say() { echo "SDBENCH $*"; }
sd_logs() { # the toolstack's logs, for a failure
    for _f in /var/log/xen/*.log; do
        [ -f "$_f" ] && { echo "----- $_f (tail)"; tail -n 25 "$_f"; }
    done
    echo "----- dmesg (tail)"; dmesg | tail -n 15
}
sd_ok=0
sd_run() {
    sd_say "start tool=$SD_TOOL hv=$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor) runs=$SD_RUNS netmb=$SD_NETMB blkmb=$SD_BLKMB memory=$SD_MEMORY"
    # the bridge the vif joins (vif-bridge adds it) and dom0's address on
    # it; a new Linux bridge has STP off, so a port forwards at once
    # (busybox brctl has no stp/setfd)
    { brctl addbr xenbr0 && echo 0 >/sys/class/net/xenbr0/bridge/forward_delay &&
      ip addr add 10.99.0.1/24 dev xenbr0 && ip link set xenbr0 up; } ||
        { sd_say "FAIL bridge xenbr0"; return 1; }
    _mb=64; [ "$SD_BLKMB" -gt $_mb ] && _mb=$SD_BLKMB
    dd if=/dev/zero of=$SD_IMG bs=1M count=$_mb 2>/dev/null || { sd_say "FAIL $SD_IMG ($_mb MiB) in /tmp"; return 1; }

    # a FIFO held open: the sink's stdin, which must never reach EOF (nc
    # half-closes the connection at its stdin's EOF), and the console
    # client's (xenconsole leaves at EOF)
    mkfifo /run/sd-hold /run/sd-con && exec 7<>/run/sd-hold || { sd_say "FAIL mkfifo"; return 1; }
    printf '#!/bin/sh\nsync\necho 3 >/proc/sys/vm/drop_caches\necho dropped\n' >/run/sd-drop && chmod 755 /run/sd-drop
    ( while :; do nc -l -p 5001 </run/sd-hold >/dev/null || sleep 1; done ) &
    _l1=$!
    ( while :; do dd if=/dev/zero bs=64k count=$((SD_NETMB * 16)) 2>/dev/null | nc -l -p 5002 || sleep 1; done ) &
    _l2=$!
    ( while :; do nc -l -p 5003 -e /run/sd-drop || sleep 1; done ) &
    _l3=$!

    cat >/run/$SD_NAME.cfg <<EOF
name = "$SD_NAME"
kernel = "$SD_KERNEL"
ramdisk = "$SD_INITRD"
extra = "console=hvc0 xeno.shell=0 xeno.sd.runs=$SD_RUNS xeno.sd.netmb=$SD_NETMB xeno.sd.blkmb=$SD_BLKMB xeno.sd.ip=10.99.0.2/24 xeno.sd.peer=10.99.0.1"
memory = $SD_MEMORY
vcpus = 1
disk = [ 'file:$SD_IMG,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
EOF
    sync
    echo 3 >/proc/sys/vm/drop_caches
    if ! $SD_TOOL create /run/$SD_NAME.cfg >/run/sd-create.out 2>&1; then
        sd_say "FAIL $SD_TOOL create: $(tr '\n' ' ' </run/sd-create.out)"
        sd_logs
        kill $_l1 $_l2 $_l3 2>/dev/null
        return 1
    fi
    $SD_TOOL console $SD_NAME </run/sd-hold >/run/sd-con 2>/run/sd-con.err &
    _cpid=$!
    # The guest prints a line at least every run; the kernel's boot lines
    # pass by here too.  read -t bounds each wait.
    _done=0
    while IFS= read -r -t "$SD_LINE_TIMEOUT" _l; do
        case $_l in
            *"SDBENCH guest ready"*)
                echo "${_l#"${_l%%SDBENCH*}"}"
                sd_say "dom0 bridge xenbr0 ports: $(ls /sys/class/net/xenbr0/brif | tr '\n' ' ')"
                sd_say "dom0 loop: $(losetup -a 2>&1 | tr '\n' ' ')" ;;
            *"SDBENCH run="*" tx_MBps="*)
                echo "${_l#"${_l%%SDBENCH*}"}"; sd_ok=$((sd_ok + 1)) ;;
            *"SDBENCH guest done"*)
                echo "${_l#"${_l%%SDBENCH*}"}"; _done=1; break ;;
            *"SDBENCH "*)
                echo "${_l#"${_l%%SDBENCH*}"}" ;;
        esac
    done </run/sd-con
    [ $_done = 1 ] || { sd_say "FAIL no 'SDBENCH guest done' (console: $(cat /run/sd-con.err); nothing for ${SD_LINE_TIMEOUT}s or the console closed)"; sd_logs; }
    kill $_cpid $_l1 $_l2 $_l3 2>/dev/null
    # the guest powers itself off (on_poweroff destroy); a stuck one goes
    $SD_TOOL destroy $SD_NAME >/dev/null 2>&1
    return 0
}
sd_run
sd_say "end tool=$SD_TOOL runs_ok=$sd_ok"
