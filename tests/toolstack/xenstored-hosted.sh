#!/usr/bin/env bash
# Hosted integration test of xenstored (no Xen needed): the real daemon on
# this machine with its socket in a temporary directory and its "rings" as
# files (--hosted-rings), driven by the xenstore-* CLI and by a small C
# client (tests/toolstack/xs_hosted_client.c) acting both as tools and as a
# guest on a ring.  Then the same again with ASan/UBSan builds of the daemon
# and the CLI (XS_SANITIZE=0 skips that).  Ends with
# "xenstored: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${XS_OUT:-$root/build/tests/xenstored}
rm -rf "$out"; mkdir -p "$out"
pass=0; fail=0
ok()   { echo "PASS $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }
finish() { echo "xenstored: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s -C "$root" xenstored-tools >"$out/build.log" 2>&1; then
    cat "$out/build.log"; bad "build xenstored-tools"; finish
fi
# XS_BIN=dir: test other builds of xenstored/xenstore (e.g. sanitizer builds)
bin=${XS_BIN:-$root/build/dom0-tools}
client=$out/xs-hosted-client
if ! gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -I"$root/xen-public-headers" -o "$client" \
        "$root/tests/toolstack/xs_hosted_client.c" "$root/dom0-tools/xenstored/client.c" 2>"$out/client.log"; then
    cat "$out/client.log"; bad "build the test client"; finish
fi

# UNIX socket paths are short: keep the run directory under /tmp.
tmp=$(mktemp -d /tmp/xsd-test.XXXXXX)
daemon=""
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export XENSTORED_PATH=$tmp/socket
X=$bin/xenstore

wait_socket() {
    for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
    return 1
}

"$bin/xenstored" -N --socket "$XENSTORED_PATH" --hosted-rings "$tmp" -T "$out/trace.log" \
    >"$out/daemon.log" 2>&1 &
daemon=$!
if wait_socket "$XENSTORED_PATH"; then ok "daemon listens on its socket"; else
    cat "$out/daemon.log"; bad "daemon start"; finish; fi

# expect NAME WANT CMD...: stdout of CMD equals WANT and it succeeds
expect() {
    local name=$1 want=$2; shift 2
    local got rc
    got=$("$@" 2>"$out/stderr"); rc=$?
    if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok "$name"; else
        bad "$name" "rc=$rc got [$got] want [$want] $(head -c 200 "$out/stderr")"; fi
}
# expect_fail NAME PATTERN CMD...: CMD fails and stderr matches PATTERN
expect_fail() {
    local name=$1 pat=$2; shift 2
    if "$@" >"$out/stdout" 2>"$out/stderr"; then bad "$name" "succeeded"
    elif grep -qE -- "$pat" "$out/stderr"; then ok "$name"
    else bad "$name" "stderr: $(head -c 200 "$out/stderr")"; fi
}

# ---- the CLI
expect "write + read" "hello" sh -c "$X-write /test hello && $X-read /test"
expect "read several keys, -p prefix" "$(printf '/test: hello\n/tool/xenstored: ')" "$X-read" -p /test /tool/xenstored
expect_fail "read of a missing key" "couldn't read path /nope" "$X-read" /nope
expect "multi-call form (xenstore read)" "hello" "$X" read /test
"$X-write" /a/b/c 'tab\there' /a/d 2 /a/e ''
expect "escapes: write unescapes, read escapes" 'tab\there' "$X-read" /a/b/c
expect "raw read (-R)" "$(printf 'tab\there')" "$X-read" -R /a/b/c
expect "ls" "$(printf 'b = ""\n c = "tab\\there"\nd = "2"\ne = ""')" "$X-ls" /a
expect "ls -f" "$(printf '/a/b = ""\n/a/b/c = "tab\\there"\n/a/d = "2"\n/a/e = ""')" "$X-ls" -f /a
expect "list" "$(printf 'b\nd\ne')" "$X-list" /a
expect "list -p" "$(printf '/a/b\n/a/d\n/a/e')" "$X-list" -p /a
expect "root listing" "$(printf 'tool = ""\n xenstored = ""\ntest = "hello"')" sh -c "$X-ls / | head -3"
if "$X-exists" /a/d; then ok "exists (present)"; else bad "exists (present)"; fi
if "$X-exists" /a/zz; then bad "exists (absent)"; else ok "exists (absent)"; fi
expect "chmod -r" "$(printf '/a/b = ""   (n0,r5)\n/a/b/c = "tab\\there"   (n0,r5)')" \
    sh -c "$X-chmod -r /a/b n0 r5 && $X-ls -f -p /a | head -2"
expect "chmod -u reaches the parents" "n0,b3" sh -c "$X-chmod -u /a/b/c n0 b3 && $X-ls -f -p /a | sed -n 's|^/a/b = \"\" *(\(.*\))|\1|p'"
expect_fail "chmod with a bad mode" "Invalid permission" "$X-chmod" /a x1
expect "rm" "$(printf 'b\ne')" sh -c "$X-rm /a/d && $X-list /a"
expect "rm -t removes empty parents" "ENOENT-gone" sh -c "$X-write /t1/t2/t3 v && $X-rm -t /t1/t2/t3 && ($X-exists /t1 || echo ENOENT-gone)"
expect_fail "rm below a missing parent" "could not remove path /nope/x" "$X-rm" /nope/x
expect "control print / quota" "OK" "$X-control" print "hosted test"
expect "control quota lists nodes" "nodes            :     1000 Nodes per domain" sh -c "$X-control quota | grep '^nodes '"
expect_fail "unknown control command" "control bogus failed" "$X-control" bogus
expect_fail "write with an odd argument count" "Usage" "$X-write" /only-key
expect_fail "no daemon: clear error" "cannot connect" env XENSTORED_PATH=$tmp/none "$X-read" /test

# watch: initial event, then two changes, in another process
"$X-watch" -n 3 /w >"$out/watch.out" 2>&1 &
watcher=$!
sleep 0.3
"$X-write" /w/x 1; "$X-rm" /w
for _ in $(seq 50); do kill -0 $watcher 2>/dev/null || break; sleep 0.1; done
if kill -0 $watcher 2>/dev/null; then kill $watcher; bad "xenstore-watch -n 3" "still running: $(cat "$out/watch.out")"
else
    wait $watcher
    if [ "$(cat "$out/watch.out")" = "$(printf '/w\n/w/x\n/w')" ]; then ok "xenstore-watch -n 3 (across connections)"
    else bad "xenstore-watch -n 3" "$(tr '\n' ' ' <"$out/watch.out")"; fi
fi

# ---- the C client: raw wire, transactions, watches, a guest on a ring
for c in malformed transaction watch ring ring-abuse; do
    "$client" "$XENSTORED_PATH" "$tmp" "$c" >"$out/client-$c.log" 2>&1
    while read -r word rest; do
        case $word in ok) ok "$c: $rest" ;; FAIL) bad "$c: $rest" ;; esac
    done <"$out/client-$c.log"
    grep -q . "$out/client-$c.log" || bad "client $c printed nothing"
done
if kill -0 "$daemon" 2>/dev/null; then ok "daemon survived all of it"; else bad "daemon died"; fi
grep -q "IN  socket[0-9]* WRITE req" "$out/trace.log" && ok "trace file logs messages" || bad "trace file"
grep -q "payload bytes" "$out/trace.log" && ok "oversized message logged with context" || bad "oversized message not logged"
expect "CONTROL check finds nothing wrong" "OK" "$X-control" check
grep -q "check: [0-9]* nodes, 0 problems" "$out/trace.log" && ok "store consistent after the run" || bad "store check" "$(grep check: "$out/trace.log")"

kill "$daemon"; wait "$daemon"; rc=$?
daemon=""
[ $rc -eq 0 ] && ok "SIGTERM: clean exit" || bad "SIGTERM exit status $rc"
[ -e "$XENSTORED_PATH" ] && bad "socket left behind" || ok "socket removed on exit"

# ---- daemon mode and options
if (cd "$tmp" && "$bin/xenstored" --socket s2 -D -F pid -P -T rel.log) >"$out/pid.out" 2>"$out/d2.log" &&
        [ -S "$tmp/s2" ]; then
    ok "daemonizes, socket ready when the parent returns"
    pid=$(cat "$tmp/pid" 2>/dev/null)
    [ -n "$pid" ] && [ "$pid" = "$(cat "$out/pid.out")" ] && kill -0 "$pid" 2>/dev/null &&
        ok "pid file and -P agree ($pid)" || bad "pid file" "pid=[$pid] -P=[$(cat "$out/pid.out")]"
    expect "daemonized store answers" "" env XENSTORED_PATH="$tmp/s2" "$X-read" /tool/xenstored
    grep -q "listening on $tmp/s2" "$tmp/rel.log" 2>/dev/null &&
        ok "relative -T/-F/--socket paths are taken from the caller's directory" || bad "relative paths"
    mv "$tmp/rel.log" "$tmp/rel.old" && kill -USR1 "$pid"
    for _ in $(seq 50); do [ -e "$tmp/rel.log" ] && break; sleep 0.1; done
    grep -q "log reopened" "$tmp/rel.log" 2>/dev/null && ok "SIGUSR1 reopens the trace file" || bad "SIGUSR1 reopen"
    if "$bin/xenstored" --socket "$tmp/s2" -D -N >"$out/d3.log" 2>&1; then bad "second daemon on the same socket"
    else grep -q "already listens" "$out/d3.log" && ok "a second daemon refuses the socket" || bad "second daemon" "$(cat "$out/d3.log")"; fi
    [ -n "$pid" ] && kill "$pid"
    for _ in $(seq 50); do [ -e "$tmp/pid" ] || break; sleep 0.1; done
    [ -e "$tmp/pid" ] && bad "pid file left after SIGTERM" || ok "pid file removed on exit"
else
    bad "daemon mode" "$(cat "$out/d2.log")"
fi
"$bin/xenstored" --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok "unknown option: exit 2" || bad "unknown option"
"$bin/xenstored" -Q nodes >/dev/null 2>&1; [ $? -eq 2 ] && ok "-Q without =: exit 2" || bad "-Q without ="
"$bin/xenstored" -Q bogus=1 >/dev/null 2>&1; [ $? -eq 2 ] && ok "-Q unknown quota: exit 2" || bad "-Q unknown"
"$bin/xenstored" -H | grep -q -- "--pid-file" && ok "-H prints the usage" || bad "-H"
# Quota options reach the store.
"$bin/xenstored" -N -D --socket "$tmp/s3" -E 77 -Q node-size=999 >"$out/d4.log" 2>&1 &
daemon=$!
wait_socket "$tmp/s3"
expect "-E and -Q set the quotas" "$(printf 'nodes            :       77 Nodes per domain\nnode-size        :      999 Max. size of a node')" \
    sh -c "XENSTORED_PATH=$tmp/s3 $X-control quota | grep -E '^(nodes|node-size) '"
kill "$daemon"; wait "$daemon"; daemon=""

# ---- everything again under the sanitizers (leaks make exit codes fail)
if [ -z "${XS_BIN:-}" ] && [ "${XS_SANITIZE:-1}" != 0 ]; then
    san=$out/asan
    mkdir -p "$san"
    xs=$root/dom0-tools/xenstored
    flags=(-std=gnu11 -O1 -g -Wall -Wextra -Werror -I"$root/xen-public-headers"
           -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    core="hash node path perms quota store transaction watch conn ops ops_node domain control server ring"
    srcs=(); for f in $core main log conn_socket conn_ring os_xen os_hosted client; do srcs+=("$xs/$f.c"); done
    if gcc "${flags[@]}" -o "$san/xenstored" "${srcs[@]}" 2>"$san/build.log" &&
       gcc "${flags[@]}" -o "$san/xenstore" "$xs/cli.c" "$xs/client.c" 2>>"$san/build.log"; then
        for m in read write rm exists list ls chmod watch control; do ln -sf xenstore "$san/xenstore-$m"; done
        XS_BIN=$san XS_OUT=$san/run ASAN_OPTIONS=detect_leaks=1 "$0" >"$san/run.log" 2>&1
        while read -r word rest; do
            case $word in PASS) ok "asan: $rest" ;; FAIL) bad "asan: $rest" ;; esac
        done <"$san/run.log"
        grep -q "^xenstored: [0-9]* passed" "$san/run.log" || bad "asan run printed no result"
    else
        cat "$san/build.log"; bad "sanitizer build"
    fi
fi
finish
