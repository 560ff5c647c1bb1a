# shellcheck shell=sh disable=SC2154
# dom0 init body for tests/builder/dom0.sh (sourced by the initramfs's
# /init after the Xen modules are loaded): start xenstored, then build and
# run each domU with xeno-domu-run; the host script reads the log.
hostname dom0 2>/dev/null
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen || log "no xenfs"
for m in ls list; do ln -sf /bin/xenstore /bin/xenstore-$m; done

if /bin/xenstored -T /tmp/xenstored.log -F /run/xenstored.pid; then
    log "xenstored started"
else
    log "xenstored failed to start"
fi

# run_domu TAG ARGS...: one domU, its exit status tagged for the host
run_domu() {
    _tag=$1; shift
    log "domU $_tag: begin"
    /bin/xeno-domu-run "$@"
    log "domU $_tag: exit $?"
}

args="console=hvc0 xeno.test=1 xeno.shell=0"
run_domu debian61 --kernel /boot/domu61/vmlinuz --ramdisk /boot/domu61/initrd \
    --cmdline "$args" --memory 256 --vcpus 1 --name debian61 --timeout 120
run_domu cloud2 --kernel /boot/cloud/vmlinuz --ramdisk /boot/cloud/initrd \
    --cmdline "$args" --memory 256 --vcpus 2 --name cloud2 --timeout 120
run_domu debian612 --kernel /boot/domu612/vmlinuz --ramdisk /boot/domu612/initrd \
    --cmdline "$args" --memory 192 --vcpus 1 --name debian612 --timeout 120
run_domu corrupt --kernel /boot/corrupt/vmlinuz --ramdisk /boot/cloud/initrd \
    --cmdline "$args" --memory 256 --name corrupt --timeout 30
# A complete build that then fails (XENOBUILD_FAIL_LAST): torn down again.
log "domU faillast: begin"
XENOBUILD_FAIL_LAST=1 /bin/xeno-domu-run --kernel /boot/cloud/vmlinuz --ramdisk /boot/cloud/initrd \
    --cmdline "$args" --memory 256 --vcpus 2 --name faillast
log "domU faillast: exit $?"
log "xenstore /local/domain after the runs: $(xenstore-list /local/domain | tr '\n' ' ')"
log "all runs done"
power_off
