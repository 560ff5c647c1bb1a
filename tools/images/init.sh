#!/bin/sh
# /init of a Xeno initramfs (busybox sh; packed by tools/images/mkinitramfs.sh).
#
#  1. prints "$INITRAMFS_NAME: init reached" on the console (first thing,
#     a shell builtin: no fork/exec needed to see that /init runs)
#  2. mounts /proc /sys /dev (devtmpfs) /dev/pts /run /tmp
#  3. loads the modules listed in /etc/modules.load (dependencies first)
#  4. sources /etc/init.body (mkinitramfs.sh --init FILE) when present
#  5. runs an interactive shell on the console, again whenever it exits
#
# The body runs in this shell and may use the helpers below: log, getarg,
# load_modules, run_shell, power_off, and for test modes check,
# check_summary, xen_guest_checks (+ mounted, chardev, hv, dmesg_has).
# Kernel command line: xeno.shell=0 powers off instead of starting the
# shell (step 5).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
export TERM="${TERM:-linux}"
umask 022

INITRAMFS_NAME=initramfs
INITRAMFS_KVER=
[ -r /etc/initramfs.conf ] && . /etc/initramfs.conf

log() { echo "$INITRAMFS_NAME: $*"; }

# getarg NAME [DEFAULT]: value of NAME=VALUE on the kernel command line
# (a bare NAME gives 1)
getarg() {
    for _a in $(cat /proc/cmdline); do
        case "$_a" in
            "$1="*) echo "${_a#*=}"; return 0 ;;
            "$1") echo 1; return 0 ;;
        esac
    done
    echo "${2:-}"
}

power_off() {
    sync
    poweroff -f
    # poweroff returned (no way to power off): never let PID 1 exit
    log "poweroff failed; halting"
    while :; do sleep 3600; done
}

# insmod every module of /etc/modules.load ("name path" per line, in order)
load_modules() {
    [ -r /etc/modules.load ] || return 0
    _ok=0; _fail=0; _failed=
    while read -r _m _p; do
        [ -n "$_m" ] || continue
        if [ -d "/sys/module/$_m" ]; then _ok=$((_ok + 1)); continue; fi
        if _err=$(insmod "$_p" 2>&1); then
            _ok=$((_ok + 1))
        else
            _fail=$((_fail + 1)); _failed="$_failed $_m"
            log "insmod $_m failed: $_err"
        fi
    done < /etc/modules.load
    log "modules: $_ok loaded, $_fail failed${_failed:+ (${_failed# })}"
}

# ---- checks for test modes (xeno.test=1): the bodies call these ----------
TEST_PREFIX="$INITRAMFS_NAME-test"
_pass=0; _failn=0
check() { # DESCRIPTION COMMAND [ARGS...]: prints "PREFIX: ok|FAIL - DESCRIPTION"
    _d=$1; shift
    if "$@" >/dev/null 2>&1; then
        _pass=$((_pass + 1)); echo "$TEST_PREFIX: ok - $_d"
    else
        _failn=$((_failn + 1)); echo "$TEST_PREFIX: FAIL - $_d"
    fi
}
check_summary() { echo "$TEST_PREFIX: $_pass passed, $_failn failed"; }
mounted() { awk -v d="$1" -v t="$2" '$2 == d && $3 == t { f = 1 } END { exit !f }' /proc/mounts; }
chardev() { [ -c "$1" ]; }
hv() { cat "/sys/hypervisor/$1" 2>/dev/null; }
dmesg_has() { dmesg | grep -q "$1"; }
time_runs() { # uptime advances by about 1 s across `sleep 1`
    _t0=$(cut -d' ' -f1 /proc/uptime); sleep 1; _t1=$(cut -d' ' -f1 /proc/uptime)
    awk -v a="$_t0" -v b="$_t1" 'BEGIN { d = b - a; exit !(d >= 0.9 && d < 5) }'
}
# what every Xen PV guest (dom0 or domU) of these images should see
xen_guest_checks() {
    check "/proc is mounted"                    mounted /proc proc
    check "/sys is mounted"                     mounted /sys sysfs
    check "/dev is devtmpfs"                    mounted /dev devtmpfs
    check "/dev/pts is mounted"                 mounted /dev/pts devpts
    check "booted as a Xen PV guest"            dmesg_has 'kernel on Xen$'
    check "console is hvc0"                     grep -qw hvc0 /sys/class/tty/console/active
    check "/sys/hypervisor/type is xen"         test "$(hv type)" = xen
    check "/sys/hypervisor/version is numeric"  sh -c 'grep -qx "[0-9][0-9]*" /sys/hypervisor/version/major && grep -qx "[0-9][0-9]*" /sys/hypervisor/version/minor'
    if [ -r /etc/modules.load ]; then
        while read -r _m _p; do
            check "module $_m loaded"           test -d "/sys/module/$_m"
        done < /etc/modules.load
    fi
    check "event-channel interrupts (xen-*) in /proc/interrupts" grep -q 'xen-' /proc/interrupts
    # With one vCPU Linux keeps the TSC (no cross-CPU sync check marks it
    # unstable); real Xen 4.17 behaves the same.  With more, pvclock "xen".
    if [ "$(grep -c ^processor /proc/cpuinfo)" -gt 1 ]; then
        check "clocksource is xen"              grep -qx xen /sys/devices/system/clocksource/clocksource0/current_clocksource
    else
        check "clocksource is xen or tsc (1 vCPU)" grep -qxE 'xen|tsc' /sys/devices/system/clocksource/clocksource0/current_clocksource
    fi
    check "sleep 1 takes about 1 s of uptime"   time_runs
}

run_shell() {
    if [ "$(getarg xeno.shell 1)" = 0 ]; then
        log "xeno.shell=0: powering off"
        power_off
    fi
    _con=$(cat /sys/class/tty/console/active 2>/dev/null)
    while :; do
        log "starting shell on ${_con:-/dev/console} (exit to restart it)"
        # cttyhack finds the real console tty so that job control and ^C work
        # In the background with wait, so that the signal traps below run
        # at once (a shell defers traps until a foreground child exits);
        # the explicit </dev/console because an asynchronous command of a
        # non-interactive shell otherwise reads /dev/null.
        setsid cttyhack sh -l </dev/console >/dev/console 2>&1 &
        wait $!
        sleep 1
    done
}

log "init reached"

# A PV kernel answers a toolstack's shutdown request (xenstore
# control/shutdown) with orderly_poweroff/orderly_reboot, which run
# /sbin/poweroff or /sbin/reboot; busybox's turn that into SIGUSR2 (halt:
# SIGUSR1, reboot: SIGTERM) for PID 1.  PID 1 here is this shell, so it
# must act on them itself.
on_shutdown_signal() {
    log "$1 requested"
    # what the image must stop first (the toolstack image: its guests)
    [ -r /etc/init.shutdown ] && . /etc/init.shutdown
    sync
    if [ "$1" = reboot ]; then reboot -f; else poweroff -f; fi
}
if [ $$ = 1 ]; then
    trap 'on_shutdown_signal poweroff' USR2
    trap 'on_shutdown_signal halt' USR1
    trap 'on_shutdown_signal reboot' TERM
fi

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev 2>/dev/null
# the kernel opens /dev/console for init; make sure we write to it
[ -t 1 ] || { [ -c /dev/console ] && exec </dev/console >/dev/console 2>&1; }
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts /dev/pts
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
[ -e /dev/stdin ] || ln -s /proc/self/fd/0 /dev/stdin
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr

log "kernel $(uname -r) up $(cut -d' ' -f1 /proc/uptime)s, cmdline: $(cat /proc/cmdline)"
[ -n "$INITRAMFS_KVER" ] && [ "$INITRAMFS_KVER" != "$(uname -r)" ] &&
    log "WARNING: modules are for $INITRAMFS_KVER, kernel is $(uname -r)"

load_modules

[ -r /etc/init.body ] && . /etc/init.body

run_shell
