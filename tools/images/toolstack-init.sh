# shellcheck shell=sh disable=SC2154
# dom0 init body of the toolstack image (mk/toolstack.mk): sourced by /init
# (tools/images/init.sh) after the Xen modules are loaded.  Starts what
# Debian's xencommons + xend init scripts start — xenstored, xenconsoled,
# xend (which creates the domains of /etc/xen/auto) — then:
#   xeno.test=toolstack  runs /usr/share/xeno/acceptance.sh (the checks of
#                        `make test-toolstack`) and powers off
#   xeno.test=bench-xm   the Xeno half of bench/xm-create.sh, then power off
#   otherwise            the dom0 shell (make run)
hostname dom0 2>/dev/null
mkdir -p /proc/xen /var/log/xen/console /var/run/xend /var/lib/xend/domains /var/lib/xen
mount -t xenfs xenfs /proc/xen || log "no xenfs on /proc/xen"

# start NAME COMMAND...: run a daemon's start command, say how it went
start_daemon() {
    _n=$1; shift
    if "$@"; then log "$_n started"; else log "$_n FAILED to start (status $?)"; fi
}
# The bench measures one domain at a time: no autostarted demo beside it.
[ "$(getarg xeno.test)" = bench-xm ] && rm -f /etc/xen/auto/demo
start_daemon xenstored /usr/sbin/xenstored --pid-file /var/run/xenstored.pid
start_daemon xenconsoled /usr/sbin/xenconsoled --pid-file=/var/run/xenconsoled.pid
start_daemon xend /usr/sbin/xend start

case "$(getarg xeno.test)" in
toolstack)
    . /usr/share/xeno/acceptance.sh
    # as `poweroff` would: busybox signals PID 1 (this shell), whose trap
    # runs /etc/init.shutdown (the guests first), then powers off
    kill -USR2 $$
    sleep 300
    power_off ;;
bench-xm)
    . /usr/share/xeno/bench-xm.sh
    power_off ;;
*)
    log "toolstack up: try 'xm list', 'xm console demo' (Ctrl-] detaches), 'xm create -c debian'" ;;
esac
