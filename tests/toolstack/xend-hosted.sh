#!/usr/bin/env bash
# Hosted test of xend (no Xen, no QEMU): the real xenstored on this machine
# (file-backed rings, --hosted-rings), xend with its fake hypervisor
# (build/xend/xend-hosted: domains are files in a directory), the fake
# guest (xend-hosted fake-guest answers control/shutdown the way PV Linux
# does) and the real xm. Covers every xm command xend serves, the
# on_poweroff/on_reboot/on_crash actions, the restart-loop guard, managed
# domains, /etc/xen/auto, xend restart, error paths and exit codes.
#
#   tests/toolstack/xend-hosted.sh        (make test-xend)
#
# Ends with "N passed, N failed"; exits non-zero if anything failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=$root/build
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
finish() { echo "xend-hosted: $pass passed, $fail failed"; echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s xm xend xenstored-tools >/tmp/xend-hosted-build.log 2>&1; then
    cat /tmp/xend-hosted-build.log; bad "build xm, xend, xenstored"; finish
fi

# UNIX socket paths are short: keep everything under /tmp.
T=$(mktemp -d /tmp/xend-test.XXXXXX)
xsd_pid=""; guest_pid=""
cleanup() {
    "$B/xend/xend-hosted" stop >/dev/null 2>&1
    [ -n "$guest_pid" ] && kill "$guest_pid" 2>/dev/null
    [ -n "$xsd_pid" ] && kill "$xsd_pid" 2>/dev/null
    wait 2>/dev/null
    if [ "$fail" -ne 0 ] && [ -f "$T/xend.log" ]; then
        echo "---- xend.log (last 40 lines)"; tail -40 "$T/xend.log"
    fi
    rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T/rings" "$T/auto" "$T/cfg"
export XENSTORED_PATH=$T/xs.sock
export XEND_FAKE_DIR=$T/hv XEND_FAKE_RINGS=$T/rings XEND_FAKE_MEMORY=4096 XEND_FAKE_DOM0_MEMORY=512
export XEND_CONFIG=$T/xend-config.sxp XEND_LOGFILE=$T/xend.log XEND_SOCKET=$T/xend.sock
export XEND_STATE_DIR=$T/state XEND_AUTO_DIR=$T/auto XEND_PIDFILE=$T/xend.pid
export XEND_SHUTDOWN_TIMEOUT=2
XEND=$B/xend/xend-hosted
# The daemon under test is an ASan/UBSan build of xend-hosted (XEND_SANITIZE=0: the plain
# one); reports go to files, since a daemon's stderr is /dev/null.
if [ "${XEND_SANITIZE:-1}" = 1 ]; then
    . tests/toolstack/xend/sanitized-xend.sh
    if sanitized_xend "$T/xend-asan"; then XEND=$T/xend-asan; else cat "$T/xend-asan.log"; bad "sanitizer build of xend-hosted"; fi
fi
XS=$B/dom0-tools/xenstore
cat >"$XEND_CONFIG" <<'EOF'
(logfile /var/log/xen/not-used-because-XEND_LOGFILE-wins.log)
(loglevel DEBUG)
(console-limit 1024)
EOF

# run ARGS...: xm with $rc, $out, $err
run() {
    # A lost wakeup must fail the test, not hang it.
    timeout 60 "$B/xend/xm" "$@" >"$T/out" 2>"$T/err"
    rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
}
# check NAME CMD...: CMD succeeds
check() { local n=$1; shift; if "$@" >/dev/null 2>&1; then ok "$n"; else bad "$n"; fi; }
# expect_rc NAME RC: the last run exited RC
expect_rc() { [ "$rc" = "$2" ] && ok "$1" || bad "$1" "exit $rc, expected $2; stderr: $err"; }
# wait_for SECONDS CMD...: until CMD succeeds
wait_for() { local t=$1; shift; for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
xs_read() { "$XS-read" "$1" 2>/dev/null; }
# domid NAME: the ID column of xm list for NAME
domid() { "$B/xend/xm" list "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }'; }
listed() { "$B/xend/xm" list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
not_listed() { ! listed "$1"; }
free_mem() { "$B/xend/xm" info 2>/dev/null | sed -n 's/^free_memory *: //p'; }
log_has() { grep -qF -- "$1" "$T/xend.log"; }

# A "kernel" the fake builder accepts (an ELF header) and one it refuses.
printf '\177ELF\002\001\001' >"$T/vmlinuz"
printf 'this is not a kernel' >"$T/notakernel"
: >"$T/initrd"
mkcfg() {   # mkcfg NAME [KEY = VALUE lines, replacing the defaults of the same key...]
    local name=$1 d l; shift
    { echo "name = \"$name\""
      for d in "kernel = \"$T/vmlinuz\"" "ramdisk = \"$T/initrd\"" 'memory = 128' 'extra = "console=hvc0"'; do
          for l in "$@"; do [ "${l%% =*}" = "${d%% =*}" ] && continue 2; done
          echo "$d"
      done
      for l in "$@"; do echo "$l"; done; } >"$T/cfg/$name"
}

# ---- binaries
if command -v file >/dev/null; then
    file "$B/xend/xend" | grep -q "statically linked" && ok "xend (real backend) is static" || bad "xend static" "$(file "$B/xend/xend")"
fi
[ -x "$B/xend/xend" ] && ok "build/xend/xend (real backend) built" || bad "build/xend/xend missing"

# ---- xenstored, fake guest
"$B/dom0-tools/xenstored" -N --socket "$XENSTORED_PATH" --hosted-rings "$T/rings" >"$T/xsd.log" 2>&1 &
xsd_pid=$!
wait_for 5 test -S "$XENSTORED_PATH" && ok "hosted xenstored listens" || { bad "xenstored"; finish; }
"$XEND" fake-guest >"$T/guest.log" 2>&1 &
guest_pid=$!
wait_for 5 grep -q watching "$T/guest.log" || { bad "fake guest watches" "$(cat "$T/guest.log")"; finish; }

# ---- start / status
"$XEND" status; rc=$?
[ $rc = 3 ] && ok "status before start: 3" || bad "status before start" "rc $rc"
run list; [ $rc = 1 ] && grep -q "xend is not running" "$T/err" && ok "xm without xend: not running" || bad "xm without xend" "$rc $err"
XENSTORED_PATH=$T/nothing.sock "$XEND" start >"$T/start.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "is xenstored running" "$T/start.out" && ok "start without xenstored: exit 1, says why" || bad "start without xenstored" "$rc $(cat "$T/start.out")"
printf '(logfile /tmp/x.log)\n(console-limit lots)\n' >"$T/bad-config.sxp"
XEND_CONFIG=$T/bad-config.sxp "$XEND" start >"$T/start.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "bad-config.sxp:2:[0-9]*: error" "$T/start.out" && ok "start with a bad xend-config.sxp: exit 1, FILE:LINE:COL" || bad "bad xend-config" "$rc $(cat "$T/start.out")"
"$XEND" status; [ $? = 3 ] && ok "  ... and nothing runs" || bad "status after failed starts"
"$XEND" start >"$T/start.out" 2>&1; rc=$?
[ $rc = 0 ] && ok "xend start exits 0" || { bad "xend start" "$(cat "$T/start.out")"; finish; }
[ -S "$XEND_SOCKET" ] && ok "socket listens once start returned" || bad "no socket after start"
"$XEND" status && ok "status while running: 0" || bad "status while running"
pid=$(cat "$XEND_PIDFILE" 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ok "pid file names the running daemon" || bad "pid file" "$pid"
"$XEND" start >/dev/null 2>&1; [ "$(cat "$XEND_PIDFILE")" = "$pid" ] && ok "second start leaves the first alone" || bad "second start"
grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [0-9]+\] INFO \(main:[0-9]+\) Xend started' "$T/xend.log" \
    && ok "log line format [date time pid] LEVEL (file:line)" || bad "log format" "$(head -2 "$T/xend.log")"
[ "$(xs_read /local/domain/0/name)" = Domain-0 ] && ok "xend names dom0 in xenstore" || bad "dom0 name"

# ---- info, dmesg, log
run info; expect_rc "xm info" 0
grep -q "^host *: $(uname -n)$" "$T/out" && ok "info: host from uname" || bad "info host" "$out"
grep -q "^total_memory *: 4096$" "$T/out" && grep -q "^free_memory *: 3584$" "$T/out" && ok "info: total and free memory" || bad "info memory" "$out"
grep -q "^nr_cpus *: 2$" "$T/out" && grep -q "^xend_config_format *: 4$" "$T/out" && ok "info: cpus, xend_config_format" || bad "info cpus" "$out"
echo "(XEN) hello from the fake console" >"$XEND_FAKE_DIR/console"
run dmesg; expect_rc "xm dmesg" 0; [ "$out" = "(XEN) hello from the fake console" ] && ok "dmesg text" || bad "dmesg" "$out"
run dmesg -c; run dmesg; [ -z "$out" ] && ok "dmesg -c clears" || bad "dmesg -c" "$out"
run log; expect_rc "xm log" 0; grep -q "Xend started" "$T/out" && ok "xm log returns xend.log" || bad "xm log" "$out"
free0=$(free_mem)

# ---- create
mkcfg web1 'memory = 256' 'maxmem = 384' 'vcpus = 2' 'on_crash = "restart"'
run create "$T/cfg/web1"; expect_rc "create web1" 0
grep -q '^Started domain web1 (id=1)$' "$T/out" && ok "create prints Started domain web1 (id=1)" || bad "create output" "$out"
run list
printf '%s\n' "$out" | grep -qE '^web1 +1 +256 +2 +-b---- +0\.0$' && ok "list row of web1" || bad "list web1" "$out"
printf '%s\n' "$out" | grep -qE '^Domain-0 +0 +512 ' && ok "list shows Domain-0" || bad "list dom0" "$out"
[ "$(free_mem)" = $((free0 - 256)) ] && ok "free memory drops by the domain's" || bad "free memory after create" "$(free_mem) vs $free0"
vm=$(xs_read /local/domain/1/vm); uuid=${vm#/vm/}
[ "$(xs_read /local/domain/1/name)" = web1 ] && [ "$(xs_read /local/domain/1/domid)" = 1 ] && ok "xenstore: name, domid" || bad "xenstore name"
[ "$(xs_read /local/domain/1/memory/target)" = 262144 ] && [ "$(xs_read /local/domain/1/memory/static-max)" = 393216 ] && ok "xenstore: memory target, static-max (KiB)" || bad "xenstore memory"
[ "$(xs_read /local/domain/1/cpu/1/availability)" = online ] && ok "xenstore: cpu/1/availability" || bad "xenstore cpu"
[ "$(xs_read /local/domain/1/store/port)" = 1 ] && [ -n "$(xs_read /local/domain/1/store/ring-ref)" ] && ok "xenstore: store ring" || bad "xenstore store"
[ "$(xs_read /local/domain/1/console/type)" = xenconsoled ] && [ "$(xs_read /local/domain/1/console/limit)" = 1048576 ] && \
    [ -n "$(xs_read /local/domain/1/console/ring-ref)" ] && ok "xenstore: console ring, limit, type" || bad "xenstore console"
[ "$(xs_read "$vm/name")" = web1 ] && [ "$(xs_read "$vm/uuid")" = "$uuid" ] && [ "$(xs_read "$vm/on_crash")" = restart ] && \
    ok "xenstore: /vm/UUID name, uuid, on_crash" || bad "xenstore vm" "$vm"
[ "$(xs_read "$vm/image/cmdline")" = "console=hvc0" ] && [ "$(xs_read "$vm/image/kernel")" = "$T/vmlinuz" ] && ok "xenstore: /vm image" || bad "vm image"
"$XS-ls" -p /local/domain/1 >/dev/null 2>&1
"$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1 = ""' | grep -q '(n0,r1)' && ok "xenstore: domain dir owned by dom0, the domain reads" || \
    bad "perms" "$("$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1 =')"
"$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1/name = ' | grep -q '(n0,r1)' && ok "xenstore: the domain cannot rewrite its name" || \
    bad "perms of name" "$("$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1/name =')"
"$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1/control/shutdown = ' | grep -q '(n1)' && ok "xenstore: control/shutdown is the domain's" || \
    bad "perms of control/shutdown" "$("$XS-ls" -f -p /local/domain | grep -E '^/local/domain/1/control/shutdown =')"
"$XS-ls" -f -p /vm | grep -E "^/vm/$uuid = " | grep -q '(n0,r1)' && ok "xenstore: /vm/UUID owned by dom0, domain reads" || bad "vm perms"
[ -f "$T/rings/ring-1" ] && "$XS-control" print x >/dev/null && ok "domain introduced to xenstored" || bad "introduce"
run list -l web1
printf '%s\n' "$out" | grep -q '(domid 1)' && printf '%s\n' "$out" | grep -q "(uuid $uuid)" && \
    printf '%s\n' "$out" | grep -q "(name web1)" && ok "list -l web1 (SXP)" || bad "list -l" "$out"

run create "$T/cfg/web1"; expect_rc "create of an existing name fails" 1
grep -q "already exists" "$T/err" && ok "  ... saying it exists" || bad "exists message" "$err"
mkcfg web1dup 'uuid = "'"$uuid"'"'
run create "$T/cfg/web1dup"; [ $rc = 1 ] && grep -q "UUID" "$T/err" && ok "create with a UUID in use fails" || bad "uuid in use" "$rc $err"

mkcfg db 'on_poweroff = "destroy"'
run create -p "$T/cfg/db"; expect_rc "create -p db" 0
run list; printf '%s\n' "$out" | grep -qE '^db +2 +128 +1 +--p--- ' && ok "two domains at once; db paused" || bad "db paused" "$out"

# ---- pause, unpause
run pause web1; expect_rc "pause" 0
run list web1; printf '%s\n' "$out" | grep -qE '^web1 .* --p--- ' && ok "paused state" || bad "paused" "$out"
run unpause web1; run unpause db; expect_rc "unpause" 0
run list web1; printf '%s\n' "$out" | grep -qE '^web1 .* -b---- ' && ok "unpaused" || bad "unpaused" "$out"
run pause 0; expect_rc "pause Domain-0 refused" 1

# ---- memory, vCPUs
run mem-set web1 200; expect_rc "mem-set" 0
[ "$(xs_read /local/domain/1/memory/target)" = 204800 ] && [ "$(domid web1)" = 1 ] && \
    "$B/xend/xm" list web1 | grep -qE '^web1 +1 +200 ' && ok "mem-set: target in xenstore and list" || bad "mem-set target"
run mem-set web1 500; [ $rc = 1 ] && grep -q "maximum" "$T/err" && ok "mem-set above maxmem refused" || bad "mem-set above" "$rc $err"
run mem-max web1 600; expect_rc "mem-max" 0
[ "$(xs_read /local/domain/1/memory/static-max)" = 614400 ] && grep -q "maxmem_kb 614400" "$XEND_FAKE_DIR/dom-1" && ok "mem-max: xenstore and hypervisor" || bad "mem-max"
run mem-set web1 500; expect_rc "mem-set within the new maximum" 0
run mem-max web1 100; expect_rc "mem-max below the target refused" 1
run vcpu-set web1 1; expect_rc "vcpu-set 1" 0
[ "$(xs_read /local/domain/1/cpu/1/availability)" = offline ] && [ "$(xs_read /local/domain/1/cpu/0/availability)" = online ] && ok "vcpu-set: availability" || bad "vcpu-set availability"
"$B/xend/xm" list web1 | grep -qE '^web1 +1 +500 +1 ' && ok "vcpu-set: list shows 1 vCPU" || bad "vcpu-set list"
run vcpu-set web1 3; [ $rc = 1 ] && grep -q "max vcpus" "$T/err" && ok "vcpu-set above the maximum refused" || bad "vcpu-set 3" "$rc $err"
run vcpu-set web1 2; expect_rc "vcpu-set 2" 0
run vcpu-list web1; expect_rc "vcpu-list" 0
[ "$(printf '%s\n' "$out" | grep -c '^web1 ')" = 2 ] && head -1 "$T/out" | grep -q "^Name *ID *VCPU *CPU *State *Time(s) *CPU Affinity" && ok "vcpu-list: header and two rows" || bad "vcpu-list" "$out"
run vcpu-list; printf '%s\n' "$out" | grep -q '^Domain-0 ' && ok "vcpu-list all includes Domain-0" || bad "vcpu-list all" "$out"

# ---- rename, uptime, console
run rename web1 www; expect_rc "rename" 0
listed www && not_listed web1 && [ "$(xs_read /local/domain/1/name)" = www ] && [ "$(xs_read "$vm/name")" = www ] && ok "rename: list, xenstore" || bad "rename"
run rename www db; [ $rc = 1 ] && grep -q "already exists" "$T/err" && ok "rename to a used name refused" || bad "rename to used" "$rc $err"
run uptime www; expect_rc "uptime" 0; printf '%s\n' "$out" | grep -qE '^www +1 +0:00:0[0-9]$' && ok "uptime row" || bad "uptime" "$out"
run console nosuch; expect_rc "console of a missing domain: 3" 3

# ---- missing domains: exit status 3
for c in "pause nosuch" "unpause nosuch" "destroy nosuch" "shutdown nosuch" "list nosuch" "mem-set nosuch 100" "rename nosuch x2"; do
    # shellcheck disable=SC2086
    run $c; [ $rc = 3 ] && grep -q "Domain 'nosuch' does not exist" "$T/err" && ok "xm $c: exit 3" || bad "xm $c" "rc $rc $err"
done

# ---- xend restart keeps everything
run list; before=$out; run list -l; before_l=$out
"$XEND" restart >"$T/restart.out" 2>&1; rc=$?
[ $rc = 0 ] && ok "xend restart" || bad "xend restart" "$(cat "$T/restart.out")"
[ "$(cat "$XEND_PIDFILE")" != "$pid" ] && ok "a new xend process" || bad "same pid after restart"
run list; [ "$out" = "$before" ] && ok "xm list identical after xend restart" || bad "list after restart" "$(diff <(echo "$before") <(echo "$out"))"
run list -l; [ "$out" = "$before_l" ] && ok "xm list -l identical after xend restart" || bad "list -l after restart" "$(diff <(echo "$before_l") <(echo "$out") | head)"
log_has "Found running domain www (1)" && ok "rediscovery logged" || bad "rediscovery log"

# ---- xend killed outright (no clean stop): the next start takes over its
# stale socket and pid file and still loses no domain
kill -9 "$(cat "$XEND_PIDFILE")"
wait_for 5 sh -c '! kill -0 "$(cat "$XEND_PIDFILE")" 2>/dev/null'
"$XEND" status >/dev/null 2>&1; [ $? = 3 ] && ok "status after kill -9: not running (3)" || bad "status after kill -9"
"$XEND" start >"$T/start9.out" 2>&1; rc=$?
[ $rc = 0 ] && ok "xend start after kill -9 (stale socket and pid file)" || bad "start after kill -9" "$(cat "$T/start9.out")"
run list; [ "$out" = "$before" ] && ok "xm list identical after kill -9 and start" || bad "list after kill -9" "$(diff <(echo "$before") <(echo "$out"))"

# ---- on_crash = restart on a rediscovered domain, then the restart-loop guard
"$XEND" fake-shutdown 1 crash
wait_for 5 sh -c "[ -n \"\$(\"$B/xend/xm\" list www 2>/dev/null | awk '\$1==\"www\" && \$2!=1')\" ]" && ok "crash + on_crash=restart: www restarted" || bad "crash restart" "$("$B/xend/xm" list 2>&1)"
new=$(domid www)
[ -n "$new" ] && [ "$new" != 1 ] && ok "  ... with a new ID ($new)" || bad "new id" "$new"
[ "$(xs_read "/local/domain/$new/vm")" = "$vm" ] && ok "  ... same UUID" || bad "same uuid"
"$B/xend/xm" list www | grep -qE "^www +$new +500 +2 " && ok "  ... keeps its memory and vCPUs" || bad "restart keeps config" "$("$B/xend/xm" list www)"
! "$XS-exists" /local/domain/1 && ok "  ... the old domain's xenstore dir is gone" || bad "old dir remains"
log_has "has shut down (reason: crash): on_crash = restart" && ok "  ... logged" || bad "crash log"
"$XEND" fake-shutdown "$new" crash
wait_for 5 not_listed www && ok "restart-loop guard: a second crash within 10 s is not restarted" || bad "guard" "$("$B/xend/xm" list)"
log_has "restarting too fast" && ok "  ... logged" || bad "guard log"
! "$XS-exists" "$vm" && ok "  ... and its /vm entry is gone" || bad "vm entry after guard"

# ---- shutdown -w with on_poweroff = destroy
dbvm=$(xs_read /local/domain/2/vm)
run shutdown -w db; expect_rc "shutdown -w db" 0
not_listed db && ok "db gone when shutdown -w returns" || bad "db still listed"
! "$XS-exists" /local/domain/2 && ! "$XS-exists" "$dbvm" && ok "db's xenstore trees removed" || bad "db trees"
grep -q "dom2: poweroff" "$T/guest.log" && ok "the guest saw control/shutdown = poweroff" || bad "guest poweroff"
[ "$(free_mem)" = "$free0" ] && ok "free memory back to the value before" || bad "free memory after" "$(free_mem) vs $free0"

# ---- reboot -w (on_reboot = restart)
mkcfg r1
run create "$T/cfg/r1"; id=$(domid r1)
run reboot -w r1; expect_rc "reboot -w" 0
nid=$(domid r1); [ -n "$nid" ] && [ "$nid" != "$id" ] && ok "reboot -w returns after the restart (id $id -> $nid)" || bad "reboot" "$id -> $nid"
grep -q "dom$id: reboot" "$T/guest.log" && ok "the guest saw control/shutdown = reboot" || bad "guest reboot"
# A second reboot within 10 s of the restart trips xend's restart-loop guard.
run reboot -w r1; [ $rc = 0 ] && not_listed r1 && ok "a second reboot within 10 s: not restarted (guard)" || bad "reboot guard" "$rc $(domid r1)"
mkcfg r2
run create "$T/cfg/r2"; id=$(domid r2)
run shutdown -R -w r2; nid2=$(domid r2); [ $rc = 0 ] && [ -n "$nid2" ] && [ "$nid2" != "$id" ] && ok "shutdown -R -w reboots" || bad "shutdown -R" "$rc $id -> $nid2"
run destroy r2; expect_rc "destroy" 0; not_listed r2 && ok "destroyed domain gone at once" || bad "destroy"
[ ! -f "$XEND_FAKE_DIR/dom-$nid2" ] && ok "destroy removed it from the hypervisor" || bad "destroy hv"

# ---- on_crash = preserve, rename-restart; on_poweroff = restart
mkcfg keep 'on_crash = "preserve"'
run create "$T/cfg/keep"; id=$(domid keep)
"$XEND" fake-shutdown "$id" crash
wait_for 5 sh -c "\"$B/xend/xm\" list keep | grep -qE '^keep .* ----c- '" && ok "on_crash=preserve keeps it, state c" || bad "preserve" "$("$B/xend/xm" list)"
sleep 1.2; [ "$(domid keep)" = "$id" ] && ok "  ... and leaves it alone" || bad "preserve left alone"
"$XEND" restart >/dev/null 2>&1; sleep 1.2
"$B/xend/xm" list keep | grep -qE "^keep +$id .* ----c- " && ok "  ... also after xend restart" || bad "preserve after restart" "$("$B/xend/xm" list)"
run destroy keep; not_listed keep && ok "  ... until destroyed" || bad "destroy preserved"
mkcfg rr 'on_crash = "rename-restart"'
run create "$T/cfg/rr"; id=$(domid rr); rruuid=$(xs_read "/local/domain/$id/vm")
"$XEND" fake-shutdown "$id" crash
wait_for 5 sh -c "[ \"\$(\"$B/xend/xm\" list | grep -c '^Domain-[0-9a-f]\{8\}-')\" = 1 ]" && ok "rename-restart: the dead one kept as Domain-UUID" || bad "rename-restart old" "$("$B/xend/xm" list)"
nid=$(domid rr); [ -n "$nid" ] && [ "$nid" != "$id" ] && [ "$(xs_read "/local/domain/$nid/vm")" = "$rruuid" ] && ok "  ... a new rr with the same UUID" || bad "rename-restart new" "$nid"
old=$("$B/xend/xm" list | grep -o '^Domain-[0-9a-f-]\{36\}')
run destroy "$old"; expect_rc "  ... the kept one can be destroyed" 0
run destroy rr
mkcfg po 'on_poweroff = "restart"'
run create "$T/cfg/po"; id=$(domid po)
run shutdown -w po; nid=$(domid po)
[ $rc = 0 ] && [ -n "$nid" ] && [ "$nid" != "$id" ] && ok "on_poweroff=restart: shutdown -w returns, domain restarted" || bad "poweroff restart" "$rc $id $nid"
run destroy po
mkcfg cd 'on_crash = "coredump-destroy"'
run create "$T/cfg/cd"; "$XEND" fake-shutdown "$(domid cd)" crash
wait_for 5 not_listed cd && log_has "core dump" && ok "coredump-destroy: destroyed, logged" || bad "coredump-destroy"

# ---- shutdown -H: the guest is asked to halt
mkcfg h1
run create "$T/cfg/h1"; id=$(domid h1)
run shutdown -H -w h1; expect_rc "shutdown -H -w" 0
not_listed h1 && grep -q "dom$id: halt" "$T/guest.log" && ok "shutdown -H writes control/shutdown = halt; domain gone" || bad "halt" "$(tail -2 "$T/guest.log")"

# ---- a guest that ignores the request: destroyed after the shutdown timeout
mkcfg deaf1
run create "$T/cfg/deaf1"; id=$(domid deaf1)
run shutdown -w deaf1; expect_rc "shutdown -w of a guest that ignores it returns" 0
not_listed deaf1 && grep -q "dom$id: ignoring poweroff" "$T/guest.log" && log_has "Domain shutdown timeout expired: name=deaf1" \
    && ok "  ... xend destroyed it after the timeout, logged" || bad "shutdown timeout" "$(tail -3 "$T/xend.log")"

# ---- shutdown -a -w
mkcfg a1; mkcfg a2
run create "$T/cfg/a1"; run create "$T/cfg/a2"
run shutdown -a -w; expect_rc "shutdown -a -w" 0
not_listed a1 && not_listed a2 && ok "shutdown -a -w: all guests gone" || bad "shutdown -a" "$("$B/xend/xm" list)"
listed Domain-0 && ok "  ... Domain-0 still there" || bad "dom0 after -a"

# ---- errors: nothing is left behind
nvm_before=$("$XS-list" /vm 2>/dev/null | wc -l); nlocal_before=$("$XS-list" /local/domain | wc -l)
printf 'name = "broken"\nkernel = "%s"\nmemory = 128\nvcpus = "two"\n' "$T/vmlinuz" >"$T/cfg/broken"
run create "$T/cfg/broken"; expect_rc "config error: exit 1" 1
grep -qE "$T/cfg/broken:4:[0-9]+: error" "$T/err" && ok "config error names FILE:LINE:COL" || bad "config error" "$err"
mkcfg badkernel "kernel = \"$T/notakernel\""
run create "$T/cfg/badkernel"; [ $rc = 1 ] && grep -q "not an ELF file or a bzImage" "$T/err" && ok "builder failure: its one-line reason" || bad "builder failure" "$rc $err"
mkcfg nokernel "kernel = \"$T/missing\""
run create "$T/cfg/nokernel"; [ $rc = 1 ] && grep -q "No such file" "$T/err" && ok "missing kernel: clear error" || bad "missing kernel" "$rc $err"
mkcfg huge 'memory = 8000' 'maxmem = 8000'
run create "$T/cfg/huge"; [ $rc = 1 ] && grep -q "Not enough free memory" "$T/err" && ok "not enough memory: clear error" || bad "no memory" "$rc $err"
not_listed broken && not_listed badkernel && not_listed nokernel && not_listed huge && ok "failed creates left no domain" || bad "leftover domain"
[ "$("$XS-list" /vm 2>/dev/null | wc -l)" = "$nvm_before" ] && [ "$("$XS-list" /local/domain | wc -l)" = "$nlocal_before" ] && \
    ok "failed creates left no xenstore tree" || bad "leftover xenstore" "$("$XS-ls" /vm)"
[ -z "$(ls "$XEND_FAKE_DIR" | grep '^dom-')" ] && ok "failed creates left nothing in the hypervisor" || bad "leftover hv" "$(ls "$XEND_FAKE_DIR")"
# xend checks what it receives with the config reader's rules, too.
if command -v python3 >/dev/null; then
    python3 - "$XEND_SOCKET" >"$T/raw.out" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'{"cmd": "create", "args": {"config": {"name": "raw", "kernel": "/k", "memory": 64, "maxmem": 32}, "paused": false}}\n')
print(s.makefile().readline().strip())
EOF
    grep -q '"code":"invalid-argument"' "$T/raw.out" && grep -q 'maxmem' "$T/raw.out" && ok "xend re-checks a received config" || bad "raw config" "$(cat "$T/raw.out")"
fi

# ---- managed domains
mkcfg m1 'vcpus = 2'
run new "$T/cfg/m1"; expect_rc "xm new" 0
m1uuid=$(ls "$XEND_STATE_DIR/domains" | head -1)
[ -f "$XEND_STATE_DIR/domains/$m1uuid/config.sxp" ] && grep -q '(name m1)' "$XEND_STATE_DIR/domains/$m1uuid/config.sxp" && ok "new stores DIR/UUID/config.sxp" || bad "config.sxp"
run list; printf '%s\n' "$out" | grep -qE '^m1 +128 +2 +------ +0\.0$' && ok "inactive managed domain: no ID, state ------" || bad "inactive row" "$out"
run new "$T/cfg/m1"; expect_rc "new of an existing name fails" 1
run start m1; expect_rc "xm start" 0
id=$(domid m1); [ -n "$id" ] && ok "start: m1 runs (id $id)" || bad "start"
run delete m1; expect_rc "delete of a running domain refused" 1
run start m1; expect_rc "start of a running domain refused" 1
run shutdown -w m1
run list; printf '%s\n' "$out" | grep -qE '^m1 +128 +2 +------ ' && ok "after shutdown the managed domain stays, inactive" || bad "managed after shutdown" "$out"
run rename m1 m2; expect_rc "rename an inactive managed domain" 0
grep -q '(name m2)' "$XEND_STATE_DIR/domains/$m1uuid/config.sxp" && ok "  ... stored config renamed" || bad "stored rename"
"$XEND" restart >/dev/null 2>&1
run list; printf '%s\n' "$out" | grep -qE '^m2 +128 +2 +------ ' && ok "managed domains survive xend restart" || bad "managed after restart" "$out"
run delete m2; expect_rc "delete" 0
not_listed m2 && [ ! -d "$XEND_STATE_DIR/domains/$m1uuid" ] && ok "delete removes it and its directory" || bad "delete dir"
run delete m2; expect_rc "delete of a missing domain: 3" 3

# ---- /etc/xen/auto
mkcfg auto1; mkcfg auto3
cp "$T/cfg/auto1" "$T/auto/auto1"
ln -s "$T/cfg/auto3" "$T/auto/auto3"
printf 'name = "auto2"\nkernel = "%s"\nmemory = 12x8\n' "$T/vmlinuz" >"$T/auto/auto2"
echo "not a config" >"$T/auto/README"
"$XEND" restart >/dev/null 2>&1
listed auto1 && listed auto3 && ok "auto-start: file and symlink started" || bad "auto-start" "$("$B/xend/xm" list)"
not_listed auto2 && grep -qE "Auto-start: $T/auto/auto2:3:[0-9]+: error" "$T/xend.log" && ok "auto-start: bad config logged with FILE:LINE:COL, others started" || bad "auto2" "$(grep auto2 "$T/xend.log")"
! grep -q "auto/README" "$T/xend.log" && ok "auto-start: README skipped" || bad "README"
run list; before=$out
"$XEND" restart >/dev/null 2>&1
run list; [ "$out" = "$before" ] && [ "$(printf '%s\n' "$out" | grep -c '^auto1 ')" = 1 ] && ok "xend restart: auto domains not started twice" || bad "auto duplicate" "$out"
log_has "domain auto1 is already running" && ok "  ... logged" || bad "already running log"

# ---- a domain xend did not create: listed under its xenstore name, left alone, destroyable
printf 'uuid %s\nmemory_kb 65536\nmaxmem_kb 65536\nvcpus 1\nmax_vcpus 1\npaused 0\n' \
    0123456789abcdef0123456789abcdef >"$XEND_FAKE_DIR/dom-900"
"$XS-write" /local/domain/900/name stranger /vm/01234567-89ab-cdef-0123-456789abcdef/name other-tool
"$XEND" restart >/dev/null 2>&1
"$B/xend/xm" list stranger 2>/dev/null | grep -qE '^stranger +900 +64 +1 ' && ok "a foreign domain is listed under its xenstore name" || bad "foreign" "$("$B/xend/xm" list 2>&1)"
run mem-set stranger 32; [ $rc = 1 ] && grep -q "not created by xend" "$T/err" && ok "  ... and not reconfigured" || bad "foreign mem-set" "$rc $err"
run destroy stranger; expect_rc "  ... xm destroy works on it" 0
[ ! -f "$XEND_FAKE_DIR/dom-900" ] && ! "$XS-exists" /local/domain/900 && [ "$(xs_read /vm/01234567-89ab-cdef-0123-456789abcdef/name)" = other-tool ] \
    && ok "  ... removing its /local/domain entry but not the other tool's /vm" || bad "foreign destroy"

# ---- stop (a managed domain with on_xend_stop = shutdown goes with xend)
mkcfg m3 "on_xend_stop = 'shutdown'" "on_poweroff = 'restart'"
run new "$T/cfg/m3"; run start m3; m3id=$(domid m3)
[ -n "$m3id" ] && ok "managed m3 (on_xend_stop = shutdown) running" || bad "m3 start" "$err"
a1id=$(domid auto1)
"$XEND" stop; rc=$?
[ $rc = 0 ] && ok "xend stop" || bad "xend stop" "rc $rc"
"$XEND" status; [ $? = 3 ] && ok "status after stop: 3" || bad "status after stop"
[ ! -e "$XEND_SOCKET" ] && [ ! -e "$XEND_PIDFILE" ] && ok "stop removes socket and pid file" || bad "leftovers after stop"
[ -f "$XEND_FAKE_DIR/dom-$a1id" ] && ok "domains keep running while xend is stopped" || bad "domains after stop" "$(ls "$XEND_FAKE_DIR")"
[ ! -f "$XEND_FAKE_DIR/dom-$m3id" ] && grep -q "dom$m3id: poweroff" "$T/guest.log" && log_has "xend is stopping, so it is not restarted" \
    && ok "on_xend_stop = shutdown: m3 powered off with xend, not restarted" || bad "on_xend_stop" "$(tail -5 "$T/xend.log")"
kill -0 "$xsd_pid" 2>/dev/null && "$XS-control" check >/dev/null && ok "xenstored alive and consistent" || bad "xenstored"
if [ "$XEND" = "$T/xend-asan" ]; then
    kill "$guest_pid" 2>/dev/null; wait "$guest_pid" 2>/dev/null; guest_pid=""
    if ls "$T"/asan.* "$T"/ubsan.* >/dev/null 2>&1; then
        bad "sanitizers reported problems" "$(cat "$T"/asan.* "$T"/ubsan.* 2>/dev/null | head -40)"
    else
        ok "ASan/UBSan: no reports from xend (every start, restart and stop) or its tools"
    fi
fi
finish
