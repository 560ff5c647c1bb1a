#!/usr/bin/env bash
# Hosted integration test of xenconsoled and xenconsole (no Xen needed): the
# real hosted xenstored (--hosted-rings) and the real xenconsoled in its
# hosted mode (--hosted=DIR: console pages are files, event channels
# datagram sockets; dom0-tools/xenconsoled/os_hosted.c), with pretend
# guests (tests/toolstack/xenconsoled/fake_guest.c) writing to their out
# rings and reading their in rings, and terminals driven through
# tests/toolstack/xenconsoled/ptytool.py (python3's pty module).
# Then the same again with ASan/UBSan builds of xenconsoled and xenconsole
# (XCD_SANITIZE=0 skips that; XCD_BIN=DIR tests the binaries in DIR).
# Ends with "xenconsoled: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${XCD_OUT:-$root/build/tests/xenconsoled}
rm -rf "$out"; mkdir -p "$out"
pass=0; fail=0
ok()   { echo "PASS $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }
finish() { echo "xenconsoled: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" xenconsoled-tools xenstored-tools >"$out/build.log" 2>&1; then
    cat "$out/build.log"; bad "build xenconsoled-tools"; finish
fi
bin=$root/build/dom0-tools
xbin=${XCD_BIN:-$bin}
G=$out/fake-guest
if ! gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -I"$root/xen-public-headers" -I"$root/dom0-tools/xenstored" \
        -o "$G" "$root/tests/toolstack/xenconsoled/fake_guest.c" "$root/dom0-tools/xenstored/client.c" \
        2>"$out/guest-build.log"; then
    cat "$out/guest-build.log"; bad "build the fake guest"; finish
fi
PT="python3 $root/tests/toolstack/xenconsoled/ptytool.py"
X=$bin/xenstore

# UNIX socket paths are short: the run directory lives under /tmp.
tmp=$(mktemp -d /tmp/xcd-test.XXXXXX)
xsd=""; xcd=""
cleanup() {
    for p in $xcd $xsd; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
export XENSTORED_PATH=$tmp/socket
logs=$tmp/logs

# wait_for SECONDS CMD...: retry CMD every 0.1 s
wait_for() {
    local n=$(($1 * 10)); shift
    while [ $n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}
# check NAME CMD...: CMD succeeds
check() { local n=$1; shift; if "$@" >"$out/last.out" 2>&1; then ok "$n"; else bad "$n" "$(head -c 300 "$out/last.out")"; fi; }
# tool NAME CMD...: a helper printing ok/FAIL lines; each line is a result
tool() {
    local n=$1; shift
    "$@" >"$out/tool.out" 2>&1
    local any=""
    while read -r w rest; do
        case $w in ok) ok "$n: $rest"; any=1 ;; FAIL) bad "$n: $rest"; any=1 ;; esac
    done <"$out/tool.out"
    [ -n "$any" ] || bad "$n" "printed nothing: $(head -c 300 "$out/tool.out")"
}
tty_of() { "$X-read" "/local/domain/$1/console/tty"; }
has_tty() { tty_of "$1" | grep -q '^/dev/pts/[0-9]*$'; }
no_tty() { ! "$X-exists" "/local/domain/$1/console/tty"; }
# new_domain DOMID NAME RING-REF PORT [grant]: what a toolstack does for a PV guest
new_domain() {
    local page=$tmp/console-ring-$3
    [ "${5:-}" = grant ] && page=$tmp/console-grant-$1
    "$G" page "$page"
    "$X-write" "/local/domain/$1/name" "$2" "/local/domain/$1/console/ring-ref" "$3" \
        "/local/domain/$1/console/port" "$4" >/dev/null
    [ -n "${6:-}" ] && "$X-write" "/local/domain/$1/console/limit" "$6"
    "$G" introduce "$1" "$tmp/ring-$1" >/dev/null
}
# kill_domain DOMID: the hypervisor forgets it, the toolstack removes its tree
kill_domain() {
    echo dead >"$tmp/state-$1"
    "$X-rm" "/local/domain/$1"
    "$G" release "$1" >/dev/null
}
daemon_log_has() { grep -q -- "$1" "$out/xenconsoled.log"; }

"$bin/xenstored" -N --socket "$XENSTORED_PATH" --hosted-rings "$tmp" >"$out/xenstored.log" 2>&1 &
xsd=$!
wait_for 5 test -S "$XENSTORED_PATH" || { cat "$out/xenstored.log"; bad "xenstored starts"; finish; }

# ---- start-up and options
check "--help prints the usage" sh -c "'$xbin/xenconsoled' --help | grep -q -- '--log=none|guest|hv|all'"
"$xbin/xenconsoled" --log=everything >"$out/opt.out" 2>&1; st=$?
if [ $st = 2 ] && grep -q "invalid --log value 'everything'" "$out/opt.out"; then ok "a bad --log value is refused (status 2)"
else bad "bad --log value" "status $st: $(cat "$out/opt.out")"; fi
mkdir -p "$tmp/h2"
XENSTORED_PATH=$tmp/nothing-here "$xbin/xenconsoled" --hosted="$tmp/h2" --pid-file="$tmp/x.pid" >"$out/nostore.out" 2>&1; st=$?
if [ $st = 1 ] && grep -q "cannot connect to xenstored" "$out/nostore.out"; then
    ok "without xenstored the daemon's start fails (status 1, reason on stderr)"
else bad "start without xenstored" "status $st: $(cat "$out/nostore.out")"; fi
# Daemonized: the parent returns once it is up; SIGTERM removes the pid file.
if "$xbin/xenconsoled" --hosted="$tmp/h2" --pid-file="$tmp/d.pid" --log-dir="$tmp/dlogs" >"$out/daemon.out" 2>&1 &&
        pid=$(cat "$tmp/d.pid") && kill -0 "$pid"; then
    ok "daemonized start returns 0 with a live pid in --pid-file"
    "$xbin/xenconsoled" --hosted="$tmp/h2" --pid-file="$tmp/d.pid" >"$out/second.out" 2>&1; st=$?
    [ $st = 1 ] && grep -q "already running" "$out/second.out" && ok "a second daemon on the same pid file is refused" ||
        bad "second daemon" "status $st: $(cat "$out/second.out")"
    kill "$pid"
    if wait_for 5 sh -c "! kill -0 $pid" && [ ! -e "$tmp/d.pid" ]; then ok "SIGTERM stops it and removes the pid file"
    else bad "SIGTERM" "pid $pid still there or pid file left"; fi
else bad "daemonized start" "$(cat "$out/daemon.out")"; fi

# The daemon under test: foreground (-i) and verbose, so its log is ours to read.
"$xbin/xenconsoled" -i -v --hosted="$tmp" --log-dir="$logs" >"$out/xenconsoled.log" 2>&1 &
xcd=$!
wait_for 5 daemon_log_has "connected to xenstore" || { cat "$out/xenconsoled.log"; bad "xenconsoled starts"; finish; }
ok "xenconsoled -i connects to the hosted xenstored"

# ---- domain 1 "alpha": console page mapped by frame (ring-ref 77)
new_domain 1 alpha 77 5
check "alpha: console/tty is written (a /dev/pts pty)" wait_for 5 has_tty 1
check "alpha: page mapped by frame after grant 0 was refused" daemon_log_has "domain 1: ring frame 0x4d, port 5"
tool "alpha: output" "$G" write "$tmp/console-ring-77" 1 5 'alpha boots\r\nlogin: '
check "alpha: output reaches guest-alpha.log" wait_for 5 grep -q "alpha boots" "$logs/guest-alpha.log"
tool "alpha: output reaches the pty" $PT read "$(tty_of 1)" "login: " 5
( sleep 0.3; $PT write "$(tty_of 1)" 'root\r' >/dev/null ) &
typist=$!
tool "alpha: input typed into the pty reaches the guest's in ring" "$G" read "$tmp/console-ring-77" "root" 5000
wait $typist
check "alpha: the ring is fully consumed" sh -c "'$G' state '$tmp/console-ring-77' | grep -q 'out 20/20'"

# ---- domain 2 "beta": through grant 0 (no frame file at all), independent of alpha
new_domain 2 beta 4242 7 grant
check "beta: console/tty is written" wait_for 5 has_tty 2
check "beta: mapped through grant 0" daemon_log_has "domain 2: ring grant 0, ref 0x1092, port 7"
check "alpha and beta have different ptys" test "$(tty_of 1)" != "$(tty_of 2)"
tool "beta: output" "$G" write "$tmp/console-grant-2" 2 7 'beta here\n'
tool "beta: output in its own pty" $PT read "$(tty_of 2)" "beta here" 5
check "beta: its own log" wait_for 5 grep -q "beta here" "$logs/guest-beta.log"
check "alpha's log has nothing of beta" sh -c "! grep -q beta '$logs/guest-alpha.log'"
( sleep 0.3; $PT write "$(tty_of 2)" 'to beta\r' >/dev/null ) &
typist=$!
tool "beta: input reaches beta" "$G" read "$tmp/console-grant-2" "to beta" 5000
wait $typist
check "alpha's in ring got nothing of it" sh -c "'$G' state '$tmp/console-ring-77' | grep -q '^in 5/5 '"

# ---- xenconsole
tool "xenconsole" $PT session 5 "alpha again" 'pwd\r' -- sh -c \
    "(sleep 0.5; '$G' write '$tmp/console-ring-77' 1 5 'alpha again\r\n' >/dev/null) & exec '$xbin/xenconsole' --num 0 1"
tool "xenconsole: what was typed reached the guest" "$G" read "$tmp/console-ring-77" "pwd" 3000
"$xbin/xenconsole" 42 </dev/null >"$out/xc.out" 2>&1; st=$?
if [ $st = 1 ] && grep -q "^xenconsole: Could not read tty from store: No such file or directory" "$out/xc.out"; then
    ok "xenconsole on a missing domain: 'Could not read tty from store', status 1"
else bad "xenconsole missing domain" "status $st: $(cat "$out/xc.out")"; fi
"$X-write" /local/domain/9/name noconsole
start=$(date +%s)
"$xbin/xenconsole" --type pv --timeout 1 9 </dev/null >"$out/xc.out" 2>&1; st=$?
if [ $st = 1 ] && grep -q "Could not read tty from store" "$out/xc.out" && [ $(( $(date +%s) - start )) -le 3 ]; then
    ok "xenconsole on a domain without console: waits --timeout, then status 1"
else bad "xenconsole without console" "status $st: $(cat "$out/xc.out")"; fi
"$xbin/xenconsole" 0 >"$out/xc.out" 2>&1; st=$?
[ $st = 2 ] && grep -q "Can't specify Domain-0" "$out/xc.out" && ok "xenconsole 0 is refused (status 2)" ||
    bad "xenconsole 0" "status $st: $(cat "$out/xc.out")"
"$xbin/xenconsole" --type serial 1 >"$out/xc.out" 2>&1; st=$?
[ $st = 2 ] && ok "xenconsole --type serial is refused (status 2)" || bad "--type serial" "status $st"
# Racing the daemon (xm create -c): xenconsole starts before the console exists.
"$X-write" /local/domain/3/name gamma
"$G" introduce 3 "$tmp/ring-3" >/dev/null
"$xbin/xenconsole" 3 </dev/null >"$out/race.out" 2>"$out/race.err" &
race=$!
sleep 1
"$G" page "$tmp/console-ring-300"
"$X-write" /local/domain/3/console/ring-ref 300 /local/domain/3/console/port 9
check "gamma: console connected after the fact (watch on console/)" wait_for 5 has_tty 3
"$G" write "$tmp/console-ring-300" 3 9 'gamma early words\n' >/dev/null
check "xenconsole started before the console shows its output" wait_for 5 grep -q "gamma early words" "$out/race.out"

# ---- a domain going away: pty hang-up, xenconsole exits, the log stays
gtty=$(tty_of 3)
$PT hangup "$gtty" 10 "$tmp/hangup-ready" >"$out/hangup.out" 2>&1 &
hang=$!
wait_for 10 test -e "$tmp/hangup-ready" || bad "the pty hang-up watcher did not start" "$(cat "$out/hangup.out")"
"$G" write "$tmp/console-ring-300" 3 9 'gamma last words\n' >/dev/null
kill_domain 3
if wait_for 10 sh -c "! kill -0 $race"; then
    wait $race; st=$?
    [ $st = 0 ] && ok "xenconsole exits (status 0) when the domain goes away" || bad "xenconsole exit status $st"
    grep -q "went away" "$out/race.err" && ok "xenconsole says the console went away" || bad "xenconsole message" "$(cat "$out/race.err")"
    grep -q "gamma last words" "$out/race.out" && ok "xenconsole got the domain's last words first" ||
        bad "last words on xenconsole" "$(tail -c 200 "$out/race.out")"
else kill $race; bad "xenconsole still running after the domain went away"; fi
wait $hang && ok "$(cat "$out/hangup.out")" || bad "pty hang-up" "$(cat "$out/hangup.out")"
check "gamma: the log is kept, with the last words" grep -q "gamma last words" "$logs/guest-gamma.log"
check "gamma: the daemon closed it" daemon_log_has "domain 3: closing its console"
check "gamma: its pty device is gone" wait_for 3 test ! -e "$gtty"
check "alpha still works after gamma left" sh -c "'$G' write '$tmp/console-ring-77' 1 5 'alpha still here\n' && sleep 0.5 && grep -q 'alpha still here' '$logs/guest-alpha.log'"

# ---- shut down (not yet destroyed): the console closes, the tree stays
new_domain 4 delta 400 11
check "delta: console/tty is written" wait_for 5 has_tty 4
echo shutdown >"$tmp/state-4"
check "delta: shut down closes the console and removes console/tty" wait_for 5 no_tty 4
check "delta: the daemon says why" daemon_log_has "domain 4: closing its console: the domain is shut down"
check "delta: its tree is still there (the toolstack's to remove)" "$X-exists" /local/domain/4/name
"$G" write "$tmp/console-ring-400" 4 11 'after shutdown\n' >/dev/null 2>&1 &
writer=$!
sleep 1.5
check "delta: not attached again on later scans" no_tty 4
kill $writer 2>/dev/null; wait $writer 2>/dev/null
# Domain ids are reused: a new domain 4 whose tree shows up before the old one's removal was seen.
rm -f "$tmp/state-4"
"$G" page "$tmp/console-ring-401"
"$X-write" /local/domain/4/name delta2 /local/domain/4/console/ring-ref 401 /local/domain/4/console/port 12
check "a new domain with a reused id (4) is attached" wait_for 5 has_tty 4
"$G" write "$tmp/console-ring-401" 4 12 'new domain four\n' >/dev/null
check "... and logs under its own name" wait_for 5 grep -q "new domain four" "$logs/guest-delta2.log"

# ---- a slow/absent reader: bounded buffer drops the oldest, the guest never stalls
new_domain 5 epsilon 500 13 "" 8192
check "epsilon: console/tty is written" wait_for 5 has_tty 5
tool "epsilon: 400 KB with nobody reading the pty" "$G" flood "$tmp/console-ring-500" 5 13 400000
# consecutive NUMBER LINES...: the "flood line N" lines are numbered without a gap
consecutive() {
    awk '/^flood line / { n = $3 + 0; if (seen && n != last + 1) exit 1; last = n; seen++ } END { exit seen < 1 }' "$@"
}
check "epsilon: the log has every line, in order" sh -c "$(declare -f consecutive); consecutive '$logs/guest-epsilon.log' && grep -q '^flood line 00000000' '$logs/guest-epsilon.log' && grep -q FLOOD-END '$logs/guest-epsilon.log'"
check "epsilon: the daemon reports dropped output" daemon_log_has "domain 5: console reader too slow"
tool "epsilon: a late reader" $PT read "$(tty_of 5)" FLOOD-END 5 "$out/late.out"
late=$(wc -c <"$out/late.out")
# What waits is the buffer (limit 8192) plus what the pty's own queue took after the last drop.
if [ "$late" -le 80000 ] && ! grep -q "flood line 00000000" "$out/late.out"; then
    ok "epsilon: the late reader gets only recent output ($late of 400025 bytes)"
else bad "epsilon: late reader got $late bytes"; fi
tail -n +2 "$out/late.out" >"$out/late-lines.out"
check "epsilon: ... and it is the newest, without a gap" consecutive "$out/late-lines.out"

# ---- a guest that corrupts its ring does not take the daemon down
new_domain 6 zeta 600 15
check "zeta: console/tty is written" wait_for 5 has_tty 6
"$G" corrupt "$tmp/console-ring-600" 6 15 >/dev/null
check "zeta: the corrupt ring is logged with the domain" wait_for 5 daemon_log_has "domain 6: out ring indexes are corrupt"
check "the daemon survived zeta" kill -0 $xcd
check "alpha still works after zeta" sh -c "'$G' write '$tmp/console-ring-77' 1 5 'alpha after zeta\n' && sleep 0.5 && grep -q 'alpha after zeta' '$logs/guest-alpha.log'"

# ---- SIGTERM: every pty closed, console/tty removed, logs kept
kill $xcd; wait $xcd; st=$?; xcd=""
[ $st = 0 ] && ok "SIGTERM: xenconsoled exits 0" || bad "SIGTERM exit status $st"
check "SIGTERM: console/tty of alpha and beta removed" sh -c "! '$X-exists' /local/domain/1/console/tty && ! '$X-exists' /local/domain/2/console/tty"

# ---- a restart with --log=all --timestamp=all: reattaches, stamps lines, logs the hypervisor
printf '(XEN) Xeno booting\n(XEN) second line\n' >"$tmp/hv-console"
"$xbin/xenconsoled" -i --hosted="$tmp" --log-dir="$logs" --log=all --timestamp=all >"$out/xenconsoled2.log" 2>&1 &
xcd=$!
check "restart: alpha reattached" wait_for 5 has_tty 1
"$G" write "$tmp/console-ring-77" 1 5 'stamped line\n' >/dev/null
check "restart: guest lines stamped [YYYY-MM-DD HH:MM:SS]" wait_for 5 grep -Eq '^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] stamped line$' "$logs/guest-alpha.log"
check "restart: the log was appended to, not truncated" grep -q "alpha boots" "$logs/guest-alpha.log"
check "hypervisor.log has the hypervisor's ring, stamped" wait_for 5 grep -Eq '^\[[0-9-]+ [0-9:]+\] \(XEN\) second line$' "$logs/hypervisor.log"
printf '(XEN) later\n' >>"$tmp/hv-console"
check "hypervisor.log follows new hypervisor output" wait_for 5 grep -q "(XEN) later" "$logs/hypervisor.log"
check "hypervisor.log has each line once" test "$(grep -c 'Xeno booting' "$logs/hypervisor.log")" = 1
# logrotate: move the log away, SIGHUP, and the next output starts a new file
mv "$logs/guest-alpha.log" "$logs/guest-alpha.log.1"
kill -HUP $xcd
sleep 0.5
"$G" write "$tmp/console-ring-77" 1 5 'after rotation\n' >/dev/null
check "SIGHUP reopens the logs (a new guest-alpha.log)" wait_for 5 grep -q "after rotation" "$logs/guest-alpha.log"
check "... and the rotated one got nothing more" sh -c "! grep -q 'after rotation' '$logs/guest-alpha.log.1'"
kill $xcd; wait $xcd; xcd=""

kill -0 $xsd && ok "xenstored survived" || bad "xenstored died"
if grep -lE "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" "$out"/*.log "$out"/*.out "$out"/*.err >"$out/san.hits" 2>/dev/null; then
    bad "sanitizer reports" "$(cat "$out/san.hits")"
fi

# ---- everything again under the sanitizers (leaks make exit codes fail)
if [ -z "${XCD_BIN:-}" ] && [ "${XCD_SANITIZE:-1}" != 0 ]; then
    san=$out/asan
    mkdir -p "$san"
    d=$root/dom0-tools/xenconsoled
    flags=(-std=gnu11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -I"$root/xen-public-headers"
           -I"$root/dom0-tools/include" -I"$d" -I"$root/dom0-tools/xenstored"
           -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    common=("$d/options.c" "$d/store.c" "$root/dom0-tools/xenstored/client.c")
    daemon=(); for f in main daemon console ring buffer lognames logfile log pty os_xen os_hosted; do daemon+=("$d/$f.c"); done
    if gcc "${flags[@]}" -o "$san/xenconsoled" "${daemon[@]}" "${common[@]}" "$root"/dom0-tools/lib/*.c 2>"$san/build.log" &&
       gcc "${flags[@]}" -o "$san/xenconsole" "$d/xenconsole.c" "${common[@]}" 2>>"$san/build.log"; then
        XCD_BIN=$san XCD_OUT=$san/run ASAN_OPTIONS=detect_leaks=1 "$0" >"$san/run.log" 2>&1
        while read -r word rest; do
            case $word in PASS) ok "asan: $rest" ;; FAIL) bad "asan: $rest" ;; esac
        done <"$san/run.log"
        grep -q "^xenconsoled: [0-9]* passed" "$san/run.log" || bad "asan run printed no result"
    else
        cat "$san/build.log"; bad "sanitizer build"
    fi
fi
finish
