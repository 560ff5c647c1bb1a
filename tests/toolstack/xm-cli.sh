#!/usr/bin/env bash
# xm, the built binary, from the outside: help and usage errors, exit
# statuses, config errors with FILE:LINE:COL, "xend is not running", and
# real round trips over a UNIX socket to a stand-in xend (a few lines of
# Python that check the request and send a canned response).
#
#   tests/toolstack/xm-cli.sh [path/to/xm]      (default: build/xend/xm)
#
# Ends with "N passed, N failed"; exits non-zero if anything failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
xm=${1:-${BUILD:-build}/xend/xm}
[ -x "$xm" ] || { echo "xm-cli: $xm is not built (make xm)"; echo "0 passed, 1 failed"; exit 1; }
xm=$(cd "$(dirname "$xm")" && pwd)/$(basename "$xm")

tmp=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "xm-cli: FAIL: $*"; }

# run ARGS...: run xm, leaving $rc, $out, $err
run() {
    "$xm" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}
expect_rc()  { [ "$rc" = "$1" ] && ok || bad "$2: exit status $rc, expected $1 (stderr: $err)"; }
expect_out() { grep -qF -- "$1" "$tmp/out" && ok || bad "$2: stdout lacks '$1': $out"; }
expect_err() { grep -qF -- "$1" "$tmp/err" && ok || bad "$2: stderr lacks '$1': $err"; }
expect_no_out() { [ -z "$out" ] && ok || bad "$1: unexpected stdout: $out"; }

export XEND_SOCKET=$tmp/none/xend.sock

# ---- the binary ----
if command -v file >/dev/null; then
    file "$xm" | grep -q "statically linked" && ok || bad "xm is not statically linked: $(file "$xm")"
fi

# ---- help ----
run;                    expect_rc 1 "bare xm"; expect_out "Common 'xm' commands:" "bare xm"
run help;               expect_rc 0 "xm help"; expect_out "xm full list of subcommands:" "xm help"
run help vcpu-list;     expect_rc 0 "xm help vcpu-list"; expect_out "Usage: xm vcpu-list [Domain, ...]" "xm help vcpu-list"
run list --help;        expect_rc 0 "xm list --help"; expect_out "-l, --long" "xm list --help"
run --help;             expect_rc 0 "xm --help"; expect_out "Managed domains:" "xm --help"
run help;               expect_out " Virtual devices:" "xm help devices group"
for c in block-attach block-detach block-list network-attach network-detach network-list; do
    run help;           expect_out " $c " "xm help lists $c"
    run "$c" --help;    expect_rc 0 "xm $c --help"; expect_out "Usage: xm $c <Domain>" "xm $c --help"
done
run block-list --help;  expect_out "-l, --long" "block-list --help"
run block-detach --help; expect_out "-f, --force" "block-detach --help"
run network-attach web1 color=red; expect_rc 1 "network-attach bad key"; expect_err "Error: Invalid argument: color=red" "network-attach bad key"
run block-attach web1 phy:/dev/x; expect_rc 1 "block-attach too few"; expect_err "Error: 'xm block-attach' requires between 4 and 5 arguments." "block-attach too few"
run block-list web1;    expect_rc 1 "block-list without xend"; expect_err "xend is not running" "block-list without xend"

# ---- usage errors ----
run destroy;            expect_rc 1 "destroy"; expect_err "Error: 'xm destroy' requires 1 argument." "destroy"
run frobnicate;         expect_rc 1 "unknown"; expect_err "Error: Subcommand frobnicate not found!" "unknown"
run lst;                expect_err "Did you mean 'xm list'?" "typo"
run list -z;            expect_rc 1 "bad option"; expect_err "Error: option -z not recognized" "bad option"
run mem-set web1 huge;  expect_rc 1 "mem-set"; expect_err "is not an amount of memory" "mem-set"

# ---- xend absent ----
run list;               expect_rc 1 "list, no xend"; expect_err "xm: list: xend is not running" "list, no xend"; expect_no_out "list, no xend"
run shutdown -w web1;   expect_rc 1 "shutdown, no xend"; expect_err "xm: shutdown: xend is not running" "shutdown, no xend"
: >"$tmp/stale.sock"
XEND_SOCKET=$tmp/stale.sock run info
expect_rc 1 "info, stale socket"; expect_err "xm: info: xend is not running" "info, stale socket"

# The socket named by xend-config.sxp, and a note when that file is broken.
printf '(xend-json-socket %s/alt.sock)\n' "$tmp" >"$tmp/xend-config.sxp"
env -u XEND_SOCKET XEND_CONFIG="$tmp/xend-config.sxp" "$xm" list >"$tmp/out" 2>"$tmp/err"; rc=$?; err=$(cat "$tmp/err")
expect_rc 1 "socket from xend-config.sxp"; expect_err "xm: list: xend is not running (no socket at $tmp/alt.sock)" "socket from xend-config.sxp"
printf '(xend-json-socket\n' >"$tmp/xend-config.sxp"
env -u XEND_SOCKET XEND_CONFIG="$tmp/xend-config.sxp" "$xm" list >"$tmp/out" 2>"$tmp/err"; rc=$?; err=$(cat "$tmp/err")
expect_err "xend-config.sxp:1:1: error: '(' is never closed (the file ends first); using /var/run/xend/xend.sock" "broken xend-config.sxp"

# ---- config files, without xend ----
run create -n config/xmexample1
expect_rc 0 "create -n xmexample1"; expect_out "(name example1)" "create -n xmexample1"
expect_out "    (device (vbd (uname phy:/dev/vg0/example1) (dev xvda1) (mode w)))" "create -n xmexample1"
run create -n --path=config xmexample2 vmid=7 memory=64
expect_rc 0 "create -n xmexample2"; expect_out "(name vm7)" "create -n xmexample2"; expect_out "(memory 64)" "create -n xmexample2"
expect_out 'Using config file "config/xmexample2".' "create -n xmexample2"
run create -n tests/toolstack/xm-configs/err-unknown-key.cfg
expect_rc 1 "config errors"; expect_err "err-unknown-key.cfg:3:1: error: unknown key 'memroy' (did you mean 'memory'?)" "config errors"
expect_err "has 3 errors; nothing was created." "config errors"
run create -n /nonexistent/cfg
expect_rc 1 "missing config"; expect_err 'Error: Cannot read config file "/nonexistent/cfg"' "missing config"
# Relative kernel and ramdisk paths become absolute (xm's abspath), from the current directory.
mkdir -p "$tmp/guests/sub"
printf "name = 'rel'\nkernel = 'sub/../vmlinuz'\nramdisk = './initrd'\n" >"$tmp/guests/rel"
(cd "$tmp/guests" && "$xm" create -n rel) >"$tmp/out" 2>"$tmp/err"; rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
expect_rc 0 "relative kernel"
expect_out "(kernel $tmp/guests/vmlinuz)" "relative kernel"; expect_out "(ramdisk $tmp/guests/initrd)" "relative ramdisk"
run create --help_config; expect_rc 0 "--help_config"; expect_out "disk=phy:DEV,VDEV,MODE[,DOM]" "--help_config"
XEND_CONFIG=config/xend-config.sxp run info -c
expect_rc 0 "info -c"; expect_out "xend-json-socket                      : /var/run/xend/xend.sock" "info -c"

# ---- over a real socket, to a stand-in xend ----
# The server accepts one connection per line of $tmp/script ("EXPECTED-REQUEST<TAB>RESPONSE"),
# checks the request byte for byte and answers.
start_server() {
    rm -f "$tmp/xend.sock"
    python3 - "$tmp/xend.sock" "$tmp/script" "$tmp/server.log" <<'PY' &
import socket, sys
path, script, log = sys.argv[1:4]
lines = [l.rstrip("\n").split("\t", 1) for l in open(script) if l.strip()]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(4)
s.settimeout(20)
with open(log, "w") as out:
    for expected, response in lines:
        c, _ = s.accept()
        data = b""
        while not data.endswith(b"\n"):
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        got = data.decode()
        if got.rstrip("\n") != expected:
            out.write("MISMATCH\nexpected %s\ngot      %s" % (expected, got))
        c.sendall((response + "\n").encode())
        c.close()
    out.write("DONE\n")
PY
    server_pid=$!
    for _ in $(seq 50); do [ -S "$tmp/xend.sock" ] && return 0; sleep 0.1; done
    bad "the stand-in xend did not start"
    return 1
}
finish_server() {
    wait "$server_pid" 2>/dev/null
    server_pid=
    grep -q "^DONE" "$tmp/server.log" && ! grep -q MISMATCH "$tmp/server.log" && ok || bad "stand-in xend: $(cat "$tmp/server.log")"
}

printf '%s\t%s\n' \
    '{"cmd":"list","args":{"domains":[],"long":false}}' \
    '{"ok":true,"result":[{"name":"Domain-0","domid":0,"memory":1024,"vcpus":2,"state":"r-----","cpu_time":1234.5},{"name":"guest1","domid":3,"memory":512,"vcpus":1,"state":"-b----","cpu_time":77.0}]}' \
    '{"cmd":"destroy","args":{"domain":"nosuch"}}' \
    '{"ok":false,"error":{"code":"no-such-domain","message":"Domain '"'"'nosuch'"'"' does not exist."}}' \
    '{"cmd":"create","args":{"config":{"name":"vm2","memory":256,"maxmem":256,"vcpus":1,"builder":"linux","kernel":"/var/lib/xen/images/debian/vmlinuz","ramdisk":"/var/lib/xen/images/debian/initrd.img","root":"/dev/xvda1 ro","extra":"console=hvc0 hostname=vm2","disk":["phy:/dev/vg0/vm2,xvda1,w"],"vif":["mac=00:16:3e:00:01:02, bridge=xenbr0"],"on_poweroff":"destroy","on_reboot":"restart","on_crash":"restart","on_xend_start":"ignore","on_xend_stop":"ignore","localtime":false,"nomigrate":false,"blkif":false,"netif":false,"tpmif":false},"paused":false}}' \
    '{"ok":true,"result":{"name":"vm2","domid":4}}' \
    >"$tmp/script"
if start_server; then
    XEND_SOCKET=$tmp/xend.sock run list
    expect_rc 0 "list over the socket"
    expected="Name                                        ID   Mem VCPUs      State   Time(s)
Domain-0                                     0  1024     2     r-----   1234.5
guest1                                       3   512     1     -b----     77.0"
    [ "$out" = "$expected" ] && ok || bad "list over the socket printed: $out"
    XEND_SOCKET=$tmp/xend.sock run destroy nosuch
    expect_rc 3 "destroy of a missing domain"; expect_err "Error: Domain 'nosuch' does not exist." "destroy of a missing domain"
    XEND_SOCKET=$tmp/xend.sock run create --path=config xmexample2 vmid=2
    expect_rc 0 "create over the socket"; expect_out "Started domain vm2 (id=4)" "create over the socket"
    finish_server
fi

# A server that closes without answering.
rm -f "$tmp/xend.sock"
python3 - "$tmp/xend.sock" <<'PY' &
import socket, sys, os
path = sys.argv[1]
if os.path.exists(path): os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(path); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.recv(65536); c.close()
PY
server_pid=$!
for _ in $(seq 50); do [ -S "$tmp/xend.sock" ] && break; sleep 0.1; done
XEND_SOCKET=$tmp/xend.sock run info
expect_rc 1 "xend hangs up"; expect_err "xend closed the connection without answering" "xend hangs up"
wait "$server_pid" 2>/dev/null; server_pid=

# ---- make install-config ----
if make --no-print-directory -s install-config DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1; then
    for f in xend-config.sxp xmexample1 xmexample2 xmexample.pygrub xmexample.netinstall auto/README; do
        [ -f "$tmp/root/etc/xen/$f" ] && ok || bad "install-config did not install /etc/xen/$f"
    done
    # The installed examples are read by the installed path search.
    run create -n --path="$tmp/root/etc/xen" xmexample.pygrub
    expect_rc 0 "installed example"; expect_out "(bootloader /usr/bin/pygrub)" "installed example"
else
    bad "make install-config: $(cat "$tmp/install.log")"
fi
make --no-print-directory -s install-config >"$tmp/install.log" 2>&1 && bad "install-config without DESTDIR succeeded" || ok

echo "xm-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
