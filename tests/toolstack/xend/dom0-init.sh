# shellcheck shell=sh disable=SC2154
# dom0 init body for tests/toolstack/xend-dom0.sh (sourced by the
# initramfs's /init after the Xen modules are loaded): xenstored, then the
# real xend (build/xend/xend, libxenoctrl + libxenobuild) with xm, driving
# Linux domUs; prints "xend-dom0-test: ok|FAIL - ..." lines and a summary.
hostname dom0 2>/dev/null
mkdir -p /proc/xen /var/log/xen /var/run/xend /var/lib/xend/domains
mount -t xenfs xenfs /proc/xen || log "no xenfs"
for m in read write ls list exists; do ln -sf /bin/xenstore /bin/xenstore-$m; done

/bin/xenstored -T /tmp/xenstored.log -F /run/xenstored.pid && log "xenstored started" || log "xenstored failed"
# A PV guest waits for room in its console ring: something must read it.
mkdir -p /var/log/xen/console
/usr/sbin/xenconsoled --log=guest --log-dir=/var/log/xen/console && log "xenconsoled started" || log "xenconsoled failed"

# wait_for SECONDS CMD...: until CMD succeeds
wait_for() { _t=$1; shift; _i=0; while [ $_i -lt "$_t" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; _i=$((_i + 1)); done; return 1; }
listed() { xm list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
gone() { ! listed "$1"; }
domid() { xm list "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }'; }
free_mem() { xm info | sed -n 's/^free_memory *: //p'; }
log_has() { grep -qF -- "$1" /var/log/xen/xend.log; }
show() { log "\$ $*"; "$@" 2>&1 | sed "s/^/$INITRAMFS_NAME:   /"; }

check "xend start (exits once it listens)"  /usr/sbin/xend start
check "xend status"                         /usr/sbin/xend status
show xm list
show tail -5 /var/log/xen/xend.log
check "xm info: nr_cpus 2"                  sh -c 'xm info | grep -q "^nr_cpus *: 2$"'
check "xm info: xen_major from the hypervisor" sh -c 'xm info | grep -qE "^xen_major *: [0-9]+$"'
check "xm dmesg reads the hypervisor's ring" sh -c 'xm dmesg | grep -qi xen'
show xm info

# /etc/xen/auto/demo: the cloud kernel with a shell, stays up
check "auto-start: demo running"            wait_for 60 listed demo
id=$(domid demo)
check "xenstore: /local/domain/$id/name = demo" sh -c "[ \"\$(xenstore-read /local/domain/$id/name)\" = demo ]"
check "xenstore: console ring-ref written"  xenstore-read /local/domain/$id/console/ring-ref
check "xenstored serves demo (introduced)"  sh -c "xenstore-ls /local/domain/$id >/dev/null"
check "demo's kernel answers over xenstore (control/feature-poweroff)" wait_for 120 xenstore-read /local/domain/$id/control/feature-poweroff
free1=$(free_mem)
log "free memory with demo running: $free1 MiB"

# A domU that runs its checks and powers off: on_poweroff = destroy.
check "create test61"                       xm create /etc/xen/test61
show xm list
check "test61 powers off by itself and is cleaned up (@releaseDomain)" wait_for 240 gone test61
show sh -c 'tail -5 /var/log/xen/console/guest-test61.log'
check "test61's own checks passed"          grep -q "xeno-domU-test: [1-9][0-9]* passed, 0 failed" /var/log/xen/console/guest-test61.log
check "xend logged its poweroff"            log_has "test61"
check "xend logged the shutdown reason"     log_has "has shut down (reason: poweroff)"
check "free memory back after test61"       sh -c "[ \"\$(xm info | sed -n 's/^free_memory *: //p')\" = $free1 ]"

# xend restart loses nothing and starts nothing twice
# (names, IDs, memory, vCPUs: the state and CPU time of a running guest move on)
fixed() { xm list | awk '{ print $1, $2, $3, $4 }'; }
before=$(fixed)
check "xend restart"                        /usr/sbin/xend restart
after=$(fixed)
log "before: $(echo $before) / after: $(echo $after)"
check "xm list identical after restart (name, ID, memory, vCPUs)" [ "$after" = "$before" ]
check "demo not started twice"              sh -c '[ "$(xm list | grep -c "^demo ")" = 1 ]'

# pause, memory, destroy on a live guest
check "create -p hold"                      xm create -p /etc/xen/hold
hid=$(domid hold)
check "hold is paused"                      sh -c 'xm list hold | grep -q " --p--- "'
check "unpause hold"                        xm unpause hold
check "mem-set hold 200"                    xm mem-set hold 200
check "memory/target 204800"                sh -c "[ \"\$(xenstore-read /local/domain/$hid/memory/target)\" = 204800 ]"
check "vcpu-list hold"                      sh -c 'xm vcpu-list hold | grep -q "^hold "'
check "destroy hold"                        xm destroy hold
check "hold gone at once"                   gone hold
check "hold's xenstore dir gone"            sh -c "! xenstore-exists /local/domain/$hid"
check "free memory back after destroy"      sh -c "[ \"\$(xm info | sed -n 's/^free_memory *: //p')\" = $free1 ]"

# a clean shutdown through the guest's xenbus handler
check "shutdown -w demo (the guest powers off)" timeout 180 xm shutdown -w demo
check "demo gone"                           gone demo

# builder failure: one line, nothing left
xm create /etc/xen/bad >/tmp/bad.out 2>&1; rc=$?
show cat /tmp/bad.out
check "bad kernel: exit 1"                  [ $rc = 1 ]
check "bad kernel: builder's reason"        grep -q "Error: Error creating domain bad" /tmp/bad.out
check "bad kernel: no domain left"          sh -c '[ "$(xenstore-list /local/domain | tr "\n" " ")" = "0 " ]'
check "no such domain: exit 3"              sh -c 'xm destroy nosuch; [ $? = 3 ]'
show xm list
show tail -30 /var/log/xen/xend.log
check "xend stop"                           /usr/sbin/xend stop
check "xend status after stop: 3"           sh -c '/usr/sbin/xend status; [ $? = 3 ]'
check_summary
power_off
