# shellcheck shell=sh disable=SC2154
# dom0 init body for tests/toolstack/xenconsoled-dom0.sh (sourced by the
# initramfs's /init after the Xen modules are loaded): xenstored, then
# xenconsoled with the real back end (privcmd, evtchn, gntdev), a pretend
# guest domain made by dom0-guest, xenconsole on it, and its destruction.
hostname dom0 2>/dev/null
mkdir -p /proc/xen /var/log/xen/console /var/run
mount -t xenfs xenfs /proc/xen || log "no xenfs"
for m in read write rm exists list ls; do ln -sf /bin/xenstore /bin/xenstore-$m; done

wait_for() {
    _n=$(($1 * 10)); shift
    while [ $_n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; _n=$((_n - 1)); done
    return 1
}
has_tty() { xenstore-read "/local/domain/$1/console/tty" | grep -q '^/dev/pts/[0-9]*$'; }
no_tty() { ! xenstore-exists "/local/domain/$1/console/tty"; }
gone() { ! kill -0 "$1" 2>/dev/null; }

check "xenstored starts" /bin/xenstored -F /run/xenstored.pid
check "xenconsoled starts daemonized (parent returns 0)" /bin/xenconsoled --pid-file=/var/run/xenconsoled.pid
check "its pid file names a live daemon" kill -0 "$(cat /var/run/xenconsoled.pid)"
kill "$(cat /var/run/xenconsoled.pid)"
check "SIGTERM stops it and removes the pid file" wait_for 5 test ! -e /var/run/xenconsoled.pid

/bin/xenconsoled -i -v --log=all >/tmp/xenconsoled.log 2>&1 &
xcd=$!
check "xenconsoled -i -v --log=all connects" wait_for 5 grep -q "connected to xenstore" /tmp/xenconsoled.log
check "hypervisor.log has the hypervisor's messages" wait_for 5 grep -q . /var/log/xen/console/hypervisor.log
log "hypervisor.log: $(wc -l </var/log/xen/console/hypervisor.log) lines, first: $(head -1 /var/log/xen/console/hypervisor.log)"

set -- $(/bin/dom0-guest create pretend)
dom=$1 mfn=$2 port=$3
log "pretend guest: domain $dom, console frame $mfn, port $port"
check "a domain with a console page and port was made" test -n "$port"
check "console/tty is written for it" wait_for 5 has_tty "$dom"
tty=$(xenstore-read "/local/domain/$dom/console/tty")
check "its page was mapped (grant 0 or frame) and its port bound" grep -q "domain $dom: ring .* port $port -> local" /tmp/xenconsoled.log
check "no error was logged" sh -c '! grep -q "error:" /tmp/xenconsoled.log'
/bin/dom0-guest write "$dom" "$mfn" 'hello from the pretend guest\n'
check "guest output reaches guest-pretend.log" wait_for 5 grep -q "hello from the pretend guest" /var/log/xen/console/guest-pretend.log
/bin/xenconsole "$dom" </dev/null >/tmp/xenconsole.out 2>/tmp/xenconsole.err &
xc=$!
sleep 1
/bin/dom0-guest write "$dom" "$mfn" 'second line\n'
check "xenconsole shows guest output" wait_for 5 grep -q "second line" /tmp/xenconsole.out
( sleep 0.5; printf 'typed on the pty\r' >"$tty" ) &
check "input written to the pty reaches the guest's in ring" /bin/dom0-guest read "$dom" "$mfn" "typed on the pty" 5
/bin/dom0-guest write "$dom" "$mfn" 'last words\n'
sleep 1.5
check "destroying the domain" /bin/dom0-guest destroy "$dom"
check "xenconsoled closes its console" wait_for 5 grep -q "domain $dom: closing its console" /tmp/xenconsoled.log
check "xenconsole exits when the domain goes away" wait_for 10 gone "$xc"
check "xenconsole said so" grep -q "went away" /tmp/xenconsole.err
check "xenconsole saw the last words" grep -q "last words" /tmp/xenconsole.out
check "the log is kept with the last words" grep -q "last words" /var/log/xen/console/guest-pretend.log
check "the domain is fully gone (its page was unmapped)" /bin/dom0-guest gone "$dom" 10
# The builder's way: grant 0 seeded for dom0, so the page comes through gntdev.
set -- $(/bin/dom0-guest create granted grant)
gdom=$1 gmfn=$2 gport=$3
check "a second domain with grant 0 seeded" test -n "$gport"
check "its console/tty is written" wait_for 5 has_tty "$gdom"
check "its page was mapped through grant 0 (gntdev)" grep -q "domain $gdom: ring grant 0, ref .* port $gport -> local" /tmp/xenconsoled.log
/bin/dom0-guest write "$gdom" "$gmfn" 'through the grant\n'
check "its output reaches guest-granted.log" wait_for 5 grep -q "through the grant" /var/log/xen/console/guest-granted.log
( sleep 0.5; printf 'granted input\r' >"$(xenstore-read "/local/domain/$gdom/console/tty")" ) &
check "input reaches it through the granted page" /bin/dom0-guest read "$gdom" "$gmfn" "granted input" 5
check "destroying it" /bin/dom0-guest destroy "$gdom"
check "the grant-mapped domain is fully gone (grant unmapped)" /bin/dom0-guest gone "$gdom" 10
check "xenconsoled is still running" kill -0 "$xcd"
kill "$xcd"
check "SIGTERM: xenconsoled exits" wait_for 5 gone "$xcd"
log "--- xenconsoled's log"
cat /tmp/xenconsoled.log
log "--- xenconsole stderr"
cat /tmp/xenconsole.err
check_summary
power_off
