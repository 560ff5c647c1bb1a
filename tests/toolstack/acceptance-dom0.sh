# shellcheck shell=sh disable=SC2154
# The checks of `make test-toolstack`, run inside Linux dom0 on Xeno by the
# toolstack image's init body (tools/images/toolstack-init.sh) after it has
# started xenstored, xenconsoled and xend.  Sourced by /init: uses its
# check/check_summary/log helpers; prints "xeno-dom0-test: ok|FAIL - ..."
# lines and "xeno-dom0-test: N passed, M failed".
# Images and configs: /var/lib/xen/images/{debian,cloud}-{vmlinuz,initrd.gz},
# /etc/xen/{demo,debian,cloud,bad}, /etc/xen/auto/demo -> ../demo.

# wait_for SECONDS COMMAND...: retry COMMAND every 0.2 s until it succeeds
wait_for() {
    _n=$(($1 * 5)); shift
    while [ $_n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; _n=$((_n - 1)); done
    return 1
}
running() { xm list "$1" >/dev/null 2>&1; }
gone() { xm list "$1" >/dev/null 2>&1; [ $? = 3 ]; }
free_mb() { xm info | awk -F': *' '$1 ~ /^free_memory/ { print $2 }'; }
free_is() { [ "$(free_mb)" = "$1" ]; }
console_log() { echo "/var/log/xen/console/guest-$1.log"; }
log_has() { grep -q "$2" "$(console_log "$1")"; }
nr_domains() { xm list | awk 'NR > 1' | wc -l; }
# the hypervisor's own count of domains, through libxenoctrl-free means:
# `xm list` asks xend, so compare with xenstore's /local/domain as well
xs_domains() { xenstore-list /local/domain | wc -l; }
show() { log "\$ $*"; "$@" 2>&1 | sed 's/^/    /'; }

log "=== daemons"
check "xenstored is running" test -S /run/xenstored/socket
check "xenconsoled is running" sh -c 'kill -0 "$(cat /var/run/xenconsoled.pid)"'
check "xend is running (xend status)" /usr/sbin/xend status
check "xm list shows Domain-0" sh -c 'xm list | awk "\$1 == \"Domain-0\" && \$2 == 0 { f = 1 } END { exit !f }"'
show xm list

log "=== /etc/xen/auto: demo (cloud kernel, lz4) started by xend"
check "demo from /etc/xen/auto is running" wait_for 30 running demo
check "demo's console log shows its /init (xenconsoled)" wait_for 90 log_has demo "xeno-domU: init reached"
show xm list

# create_c NAME CONFIG WHAT LINES: `xm create -c` a domU that runs its own
# checks (xeno.test=1) on the console we read, then powers off.
create_c() {
    timeout 180 xm create -c "$2" name="$1" 'extra=console=hvc0 xeno.test=1' </dev/null >"/tmp/$1.out" 2>&1
    log "--- console of $1 (xm create -c)"; sed 's/^/    | /' "/tmp/$1.out" | tail -"$4"
    check "xm create -c printed Started domain $1" grep -q "Started domain $1" "/tmp/$1.out"
    check "$3 domU reached /init (seen through xm create -c)" grep -q "xeno-domU: init reached" "/tmp/$1.out"
    check "$3 domU's own checks passed" grep -q "xeno-domU-test: [1-9][0-9]* passed, 0 failed" "/tmp/$1.out"
    check "$1 is gone after powering off (on_poweroff=destroy)" wait_for 30 gone "$1"
}

log "=== xm create -c: Debian 6.1 domU (xz) runs its checks on its console and powers off"
free0=$(free_mb)
log "free memory before: ${free0} MiB"
create_c deb-test /etc/xen/debian Debian 40

log "=== xm create -c: Debian cloud domU (lz4)"
create_c cloud-test /etc/xen/cloud cloud 25
check "free memory is back to the value before (${free0} MiB)" wait_for 10 free_is "$free0"

log "=== two domUs at once, one with 2 vCPUs"
check "xm create debian vcpus=2 (name smp2)" xm create /etc/xen/debian name=smp2 vcpus=2
check "xm create cloud (name two)" xm create /etc/xen/cloud name=two
check "smp2 reached /init" wait_for 120 log_has smp2 "xeno-domU: init reached"
check "two reached /init" wait_for 120 log_has two "xeno-domU: init reached"
check "smp2's kernel brought up 2 CPUs" log_has smp2 "Brought up .* 2 CPUs"
check "xm vcpu-list smp2 shows 2 vCPUs" sh -c '[ "$(xm vcpu-list smp2 | awk "NR > 1" | wc -l)" = 2 ]'
check "xm list shows demo, smp2 and two besides Domain-0" test "$(nr_domains)" = 4
show xm list
show xm vcpu-list smp2

log "=== the other xm commands against running Linux domUs"
vcpus_online() { xm vcpu-list "$1" | awk 'NR > 1 && $5 != "-" && $5 !~ /p/ { n++ } END { print n + 0 }'; }
state_of() { xm list "$1" | awk 'NR == 2 { print $5 }'; }
mem_of() { xm list "$1" | awk 'NR == 2 { print $3 }'; }
check "xm list -l smp2 is an SXP (domain ...) with its name" sh -c 'xm list -l smp2 | grep -q "(name smp2)"'
check "xm uptime lists smp2" sh -c 'xm uptime | grep -q "^smp2 "'
check "xm dmesg shows the hypervisor's log" sh -c 'xm dmesg | grep -q "Xeno ready"'
check "xm log shows xend creating smp2" sh -c 'xm log | grep -q "Creating domain smp2"'
check "xm info names the hypervisor" sh -c 'xm info | grep -q "^xen_major"'
check "xm domid smp2 / xm domname give each other back" sh -c '[ "$(xm domname "$(xm domid smp2)")" = smp2 ]'
check "xm pause two" xm pause two
paused_is() { [ "$(state_of "$1" | cut -c3)" = "$2" ]; }
check "two's state shows p" paused_is two p
check "xm unpause two" xm unpause two
check "two is no longer paused" paused_is two -
check "xm vcpu-set smp2 1" xm vcpu-set smp2 1
vcpus_are() { [ "$(vcpus_online "$1")" = "$2" ]; }
mem_is() { [ "$(mem_of "$1")" = "$2" ]; }
check "smp2's kernel takes vCPU 1 down (xm vcpu-list: 1 online)" wait_for 30 vcpus_are smp2 1
check "xm vcpu-set smp2 2" xm vcpu-set smp2 2
check "... and brings it back (2 online)" wait_for 30 vcpus_are smp2 2
check "xm mem-set two 96" xm mem-set two 96
check "two's balloon driver gives memory back (xm list: 96 MiB)" wait_for 30 mem_is two 96
show xm vcpu-list smp2
show xm list
show tail -12 "$(console_log smp2)"

log "=== xend restart loses nothing"
xm list | awk 'NR > 1 { print $1, $2, $3, $4 }' | sort >/tmp/list.before
check "xend restart" /usr/sbin/xend restart
check "xend answers again" wait_for 20 xm list
xm list | awk 'NR > 1 { print $1, $2, $3, $4 }' | sort >/tmp/list.after
check "xm list is the same after the restart" cmp -s /tmp/list.before /tmp/list.after
check "xend did not start demo again from /etc/xen/auto" test "$(xm list | grep -c '^demo ')" = 1

log "=== xm shutdown -w and xm destroy"
check "xm shutdown -w smp2 returns once it is down" timeout 120 xm shutdown -w smp2
check "smp2 is gone" gone smp2
check "smp2's console log shows an orderly power-off" log_has smp2 "poweroff requested"
check "xm destroy two" xm destroy two
check "two is gone" gone two
check "xenstore has no /local/domain for them" test "$(xs_domains)" = 2
check "free memory is back to the value before (${free0} MiB)" wait_for 10 free_is "$free0"
check "xm destroy of a missing domain exits 3" sh -c 'xm destroy nosuch; [ $? = 3 ]'

log "=== a bad config starts nothing"
before=$(nr_domains); xsb=$(xs_domains)
xm create /etc/xen/bad >/tmp/bad.out 2>&1; st=$?
sed 's/^/    | /' /tmp/bad.out
check "xm create bad exits 1" test "$st" = 1
check "the error names /etc/xen/bad:4:col" grep -q "/etc/xen/bad:4:[0-9]*:" /tmp/bad.out
check "no domain was added" test "$(nr_domains)" = "$before"
check "no xenstore tree was added" test "$(xs_domains)" = "$xsb"
xm create /etc/xen/debian name=nomem memory=100000 >/tmp/nomem.out 2>&1; st=$?
sed 's/^/    | /' /tmp/nomem.out
check "a domain larger than free memory is refused" test "$st" = 1
check "... and leaves nothing behind" test "$(nr_domains)" = "$before"

log "=== xm shutdown -w demo"
check "xm shutdown -w demo" timeout 120 xm shutdown -w demo
check "only Domain-0 is left" test "$(nr_domains)" = 1
show tail -20 /var/log/xen/xend.log

log "=== a guest left running when dom0 powers off"
check "xm create cloud (name last)" xm create /etc/xen/cloud name=last
check "last reached /init" wait_for 120 log_has last "xeno-domU: init reached"
show xm list
check_summary
# The caller (toolstack-init.sh) now powers dom0 off the way `poweroff`
# does; /etc/init.shutdown must stop "last" first (the host checks that).
