# shellcheck shell=sh disable=SC2154
# dom0 init body for tests/toolstack/xenstored-dom0.sh (sourced by the
# initramfs's /init after the Xen modules are loaded): start xenstored as
# a daemon and check it against dom0's own kernel and the xenstore-* tools.
hostname dom0 2>/dev/null
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen || log "no xenfs"
for m in read write rm exists list ls chmod watch control; do ln -sf /bin/xenstore /bin/xenstore-$m; done

# wait_for SECONDS COMMAND...: retry COMMAND until it succeeds
wait_for() {
    _n=$(($1 * 10)); shift
    while [ $_n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; _n=$((_n - 1)); done
    return 1
}
value_is() { [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ]; }
kernel_is() { [ "$(XENSTORED_PATH=/nonexistent xenstore-read "$1" 2>/dev/null)" = "$2" ]; }

check "xenstored starts and daemonizes" /bin/xenstored -T /tmp/xenstored.log -F /run/xenstored.pid
check "socket /run/xenstored/socket" test -S /run/xenstored/socket
check "socket /var/run/xenstored/socket" test -S /var/run/xenstored/socket
check "pid file names a live daemon" kill -0 "$(cat /run/xenstored.pid)"
check "dom0's kernel reached xenstored over its ring" grep -q "dom0: local ring" /tmp/xenstored.log
check "xenstore-write /test hello" xenstore-write /test hello
check "xenstore-read /test gives hello" value_is /test hello
log "xenstore-read /test: $(xenstore-read /test)"
check "the kernel wrote control/feature-poweroff" wait_for 10 value_is /local/domain/0/control/feature-poweroff 1
check "through the kernel's /dev/xen/xenbus too" kernel_is /test hello
XENSTORED_PATH=/nonexistent xenstore-watch -n 2 /wt >/tmp/watch.out 2>&1 &
sleep 0.5
xenstore-write /wt/x 1
check "a watch through /dev/xen/xenbus fires" wait_for 5 grep -q /wt/x /tmp/watch.out
xenstore-write /local/domain/0/memory/target 262144
check "the balloon driver follows memory/target (watch to the kernel)" \
    wait_for 10 grep -qx 262144 /sys/devices/system/xen_memory/xen_memory0/target_kb
check "VIRQ_DOM_EXC bound" sh -c '! grep -q "cannot bind VIRQ_DOM_EXC" /tmp/xenstored.log'
check "CONTROL check" xenstore-control check
check "CONTROL check finds no problem" grep -q "check: [0-9]* nodes, 0 problems" /tmp/xenstored.log
log "--- xenstore-ls -f -p"
xenstore-ls -f -p
log "--- xenstored trace (first 40 lines)"
head -40 /tmp/xenstored.log
check_summary
power_off
