#!/usr/bin/env bash
# Hosted test of xend's split-driver devices (docs/devices.md), no Xen, no
# QEMU: the real xenstored (file-backed rings), xend over its fake
# hypervisor, "xend-hosted fake-backend" playing dom0's blkback/netback and
# the guests' blkfront/netfront, and hotplug scripts of the test's own
# ($XEND_SCRIPTS_DIR) that record how they were run. Covers the xenstore
# layout of vbd and vif, the hotplug sequence and its failures (error,
# busy, nonzero exit, timeout, no backend), teardown leaving nothing,
# block-/network-attach, -detach and -list, random MACs kept across a
# restart, xend restart rediscovery, xm list -l devices and the
# network-script run at start.
#
#   tests/toolstack/xend-devices-hosted.sh
#
# Ends with "N passed, N failed"; exits non-zero if anything failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=$root/build
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
finish() { echo "xend-devices: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if ! make -s xm xend xenstored-tools >/tmp/xend-devices-build.log 2>&1; then
    cat /tmp/xend-devices-build.log; bad "build xm, xend, xenstored"; finish
fi

T=$(mktemp -d /tmp/xend-dev.XXXXXX)
xsd_pid=""; guest_pid=""; be_pid=""
cleanup() {
    "$XEND" stop >/dev/null 2>&1
    [ -n "$guest_pid" ] && kill "$guest_pid" 2>/dev/null
    [ -n "$be_pid" ] && kill "$be_pid" 2>/dev/null
    [ -n "$xsd_pid" ] && kill "$xsd_pid" 2>/dev/null
    wait 2>/dev/null
    if [ "$fail" -ne 0 ]; then
        [ -f "$T/xend.log" ] && { echo "---- xend.log (last 60 lines)"; tail -60 "$T/xend.log"; }
        [ -f "$T/hotplug.log" ] && { echo "---- hotplug log (last 20 lines)"; tail -20 "$T/hotplug.log"; }
        [ -f "$T/backend.log" ] && { echo "---- fake backend (last 20 lines)"; tail -20 "$T/backend.log"; }
    fi
    rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T/rings" "$T/auto" "$T/cfg" "$T/scripts" "$T/rec"
export XENSTORED_PATH=$T/xs.sock
export XEND_FAKE_DIR=$T/hv XEND_FAKE_RINGS=$T/rings XEND_FAKE_MEMORY=4096 XEND_FAKE_DOM0_MEMORY=512
export XEND_CONFIG=$T/xend-config.sxp XEND_LOGFILE=$T/xend.log XEND_SOCKET=$T/xend.sock
export XEND_STATE_DIR=$T/state XEND_AUTO_DIR=$T/auto XEND_PIDFILE=$T/xend.pid
export XEND_SHUTDOWN_TIMEOUT=2
export XEND_SCRIPTS_DIR=$T/scripts XEND_HOTPLUG_LOG=$T/hotplug.log
export PATH=$B/dom0-tools:$PATH
XEND=$B/xend/xend-hosted
FAKE=$B/xend/xend-hosted
if [ "${XEND_SANITIZE:-1}" = 1 ]; then
    . tests/toolstack/xend/sanitized-xend.sh
    if sanitized_xend "$T/xend-asan"; then XEND=$T/xend-asan; else cat "$T/xend-asan.log"; bad "sanitizer build of xend-hosted"; fi
fi
XS=$B/dom0-tools/xenstore
cat >"$XEND_CONFIG" <<'EOF'
(loglevel DEBUG)
(device-create-timeout 3)
(device-destroy-timeout 3)
(network-script 'netstart netdev=eth7 bridge=xenbr9')
EOF

# ---- the test's hotplug scripts
# Each records its argument, environment and cwd, then acts as its name says.
common='rec="$REC/$(basename "$0").$XENBUS_TYPE.$(echo "$XENBUS_PATH" | tr / _).$1"
{ echo "args=$*"; env | grep -E "^(XENBUS_|script=|vif=|netdev=)" | sort; } >"$rec"
echo "$(basename "$0") $1 $XENBUS_PATH"'
mkscript() {  # mkscript NAME BODY
    printf '#!/bin/sh\nREC=%s\n%s\n%s\n' "$T/rec" "$common" "$2" >"$T/scripts/$1"
    chmod +x "$T/scripts/$1"
}
ok_body='case "$1" in add|online) xenstore-write "$XENBUS_PATH/hotplug-status" connected ;; esac; exit 0'
mkscript block "$ok_body"
mkscript vif-bridge "$ok_body"
mkscript vif-route "$ok_body"
mkscript vif-error 'case "$1" in online) xenstore-write "$XENBUS_PATH/hotplug-error" "no bridge xenbr42" "$XENBUS_PATH/hotplug-status" error; exit 1 ;; esac; exit 0'
mkscript block-busy 'case "$1" in add) xenstore-write "$XENBUS_PATH/hotplug-error" "File /srv/x.img is loopback-mounted through /dev/loop0, which is mounted in a guest domain" "$XENBUS_PATH/hotplug-status" busy; exit 1 ;; esac; exit 0'
mkscript block-exit 'case "$1" in add) echo "block-exit: losetup failed" >&2; exit 3 ;; esac; exit 0'
mkscript block-hang 'case "$1" in add) sleep 30 ;; esac; exit 0'
mkscript block-quiet 'exit 0'
printf '#!/bin/sh\necho "netstart $*"\necho "$*" >%s/rec/netstart\n' "$T" >"$T/scripts/netstart"
chmod +x "$T/scripts/netstart"

# run ARGS...: xm with $rc, $out, $err
run() {
    timeout 60 "$B/xend/xm" "$@" >"$T/out" 2>"$T/err"
    rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err")
}
expect_rc() { [ "$rc" = "$2" ] && ok "$1" || bad "$1" "exit $rc, expected $2; stderr: $err"; }
wait_for() { local t=$1; shift; for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }
xs_read() { "$XS-read" "$1" 2>/dev/null; }
xs_exists() { "$XS-exists" "$1" 2>/dev/null; }
domid() { "$B/xend/xm" list "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }'; }
listed() { "$B/xend/xm" list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
# perms PATH: its permissions as xenstore-ls -p shows them (n0,r1)
perms() { "$XS-ls" -p "${1%/*}" 2>/dev/null | sed -n "s/^${1##*/} = .*(\(.*\))\$/\1/p"; }
log_has() { grep -qF -- "$1" "$T/xend.log"; }
# eq NAME GOT WANT
eq() { [ "$2" = "$3" ] && ok "$1" || bad "$1" "got '$2', want '$3'"; }
# nothing_left NAME DOMID: no backend, frontend or domain entry, no fake domain
nothing_left() {
    local d=$2 left=""
    for p in /local/domain/0/backend/vbd/$d /local/domain/0/backend/vif/$d /local/domain/$d; do
        xs_exists "$p" && left="$left $p"
    done
    [ -e "$XEND_FAKE_DIR/dom-$d" ] && left="$left fake-dom-$d"
    [ -z "$left" ] && ok "$1" || bad "$1" "left:$left"
}

printf '\177ELF\002\001\001' >"$T/vmlinuz"
mkcfg() {   # mkcfg NAME [lines...]
    local name=$1; shift
    { echo "name = \"$name\""; echo "kernel = \"$T/vmlinuz\""; echo "memory = 128"
      for l in "$@"; do echo "$l"; done; } >"$T/cfg/$name"
}

"$B/dom0-tools/xenstored" -N --socket "$XENSTORED_PATH" --hosted-rings "$T/rings" >"$T/xsd.log" 2>&1 &
xsd_pid=$!
wait_for 5 test -S "$XENSTORED_PATH" && ok "hosted xenstored listens" || { bad "xenstored"; finish; }
"$FAKE" fake-guest >"$T/guest.log" 2>&1 &
guest_pid=$!
"$FAKE" fake-backend >"$T/backend.log" 2>&1 &
be_pid=$!
wait_for 5 grep -q watching "$T/backend.log" || { bad "fake backend watches" "$(cat "$T/backend.log")"; finish; }

# ---- xend start runs the network-script once
"$XEND" start >"$T/start.out" 2>&1 || { bad "xend start" "$(cat "$T/start.out")"; finish; }
eq "network-script ran at start with 'start' and its VAR=VAL args" "$(cat "$T/rec/netstart" 2>/dev/null)" "start netdev=eth7 bridge=xenbr9"
grep -q "^netstart start netdev=eth7 bridge=xenbr9" "$T/hotplug.log" && ok "  ... its output went to the hotplug log" || bad "network-script output" "$(cat "$T/hotplug.log" 2>/dev/null)"

# ---- create with two disks and two NICs
mkcfg web "disk = ['phy:/dev/loop0,xvda,w', 'file:/srv/data.img,xvdb,r']" \
          "vif = ['bridge=xenbr0', 'mac=00:16:3e:00:00:11,script=vif-route,ip=10.0.0.5,rate=10Mb/s']"
run create "$T/cfg/web"; expect_rc "xm create with 2 vbds and 2 vifs" 0
D=$(domid web)
[ -n "$D" ] && ok "web runs (id $D)" || { bad "web not listed" "$out $err"; finish; }
BE=/local/domain/0/backend/vbd/$D/51712
FE=/local/domain/$D/device/vbd/51712
eq "vbd BE/frontend" "$(xs_read $BE/frontend)" "$FE"
eq "vbd BE/frontend-id" "$(xs_read $BE/frontend-id)" "$D"
eq "vbd BE/online" "$(xs_read $BE/online)" 1
eq "vbd BE/type" "$(xs_read $BE/type)" phy
eq "vbd BE/params" "$(xs_read $BE/params)" /dev/loop0
eq "vbd BE/mode" "$(xs_read $BE/mode)" w
eq "vbd BE/dev" "$(xs_read $BE/dev)" xvda
eq "vbd BE/device-type" "$(xs_read $BE/device-type)" disk
eq "vbd BE/script" "$(xs_read $BE/script)" "$T/scripts/block"
eq "vbd BE/bootable (first disk)" "$(xs_read $BE/bootable)" 1
eq "second vbd BE/bootable" "$(xs_read /local/domain/0/backend/vbd/$D/51728/bootable)" 0
eq "second vbd BE/type, params, mode" "$(xs_read /local/domain/0/backend/vbd/$D/51728/type) $(xs_read /local/domain/0/backend/vbd/$D/51728/params) $(xs_read /local/domain/0/backend/vbd/$D/51728/mode)" "file /srv/data.img r"
eq "vbd FE/backend" "$(xs_read $FE/backend)" "$BE"
eq "vbd FE/backend-id" "$(xs_read $FE/backend-id)" 0
eq "vbd FE/virtual-device" "$(xs_read $FE/virtual-device)" 51712
eq "vbd FE/device-type" "$(xs_read $FE/device-type)" disk
eq "vbd BE permissions n0,rD" "$(perms $BE)" "n0,r$D"
eq "vbd BE/params inherits them" "$(perms $BE/params)" "n0,r$D"
eq "vbd FE permissions nD,r0" "$(perms $FE)" "n$D,r0"
eq "vbd FE/state inherits them" "$(perms $FE/state)" "n$D,r0"
wait_for 5 test "$(xs_read $BE/state)" = 4 && ok "vbd backend reaches Connected (4)" || bad "vbd BE state" "$(xs_read $BE/state)"
wait_for 5 test "$(xs_read $FE/state)" = 4 && ok "vbd frontend reaches Connected (4)" || bad "vbd FE state" "$(xs_read $FE/state)"
eq "vbd hotplug-status" "$(xs_read $BE/hotplug-status)" connected
VB=/local/domain/0/backend/vif/$D
VF=/local/domain/$D/device/vif
eq "vif 0 BE/script: xend-config's vif-script (vif-bridge)" "$(xs_read $VB/0/script)" "$T/scripts/vif-bridge"
eq "vif 0 BE/bridge" "$(xs_read $VB/0/bridge)" xenbr0
eq "vif 0 BE/handle" "$(xs_read $VB/0/handle)" 0
mac0=$(xs_read $VB/0/mac)
echo "$mac0" | grep -qE '^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$' && ok "vif 0 random MAC 00:16:3e:xx:xx:xx ($mac0)" || bad "random MAC" "$mac0"
eq "vif 0 FE/mac = BE/mac" "$(xs_read $VF/0/mac)" "$mac0"
eq "vif 0 FE/handle" "$(xs_read $VF/0/handle)" 0
eq "vif 0 has no ip/rate/vifname nodes" "$(xs_exists $VB/0/ip && echo ip)$(xs_exists $VB/0/rate && echo rate)$(xs_exists $VB/0/vifname && echo vifname)" ""
eq "vif 1 BE/mac (given)" "$(xs_read $VB/1/mac)" 00:16:3e:00:00:11
eq "vif 1 BE/script (script=vif-route)" "$(xs_read $VB/1/script)" "$T/scripts/vif-route"
eq "vif 1 BE/ip" "$(xs_read $VB/1/ip)" 10.0.0.5
eq "vif 1 BE/rate: 10Mb/s as netback's bytes,usec per 50 ms" "$(xs_read $VB/1/rate)" "62500,50000"
eq "vif 1 BE/handle" "$(xs_read $VB/1/handle)" 1
wait_for 5 test "$(xs_read $VF/1/state)" = 4 && ok "vif 1 frontend Connected" || bad "vif FE state" "$(xs_read $VF/1/state)"
eq "vif BE permissions" "$(perms $VB/0)" "n0,r$D"
eq "vif FE permissions" "$(perms $VF/0)" "n$D,r0"

# the hotplug contract: argument and environment
r=$T/rec/block.vbd.backend_vbd_${D}_51712.add
if [ -f "$r" ]; then
    eq "block ran with 'add'" "$(sed -n 's/^args=//p' "$r")" add
    grep -qx "XENBUS_PATH=backend/vbd/$D/51712" "$r" && ok "  XENBUS_PATH=backend/vbd/D/N" || bad "XENBUS_PATH" "$(cat "$r")"
    grep -qx "XENBUS_TYPE=vbd" "$r" && ok "  XENBUS_TYPE=vbd" || bad "XENBUS_TYPE" "$(cat "$r")"
    grep -qx "XENBUS_BASE_PATH=backend" "$r" && ok "  XENBUS_BASE_PATH=backend" || bad "XENBUS_BASE_PATH" "$(cat "$r")"
    grep -qx "script=$T/scripts/block" "$r" && ok "  script=BE/script" || bad "script=" "$(cat "$r")"
    ! grep -q "^vif=" "$r" && ok "  no vif= for a vbd" || bad "vif= for a vbd"
else
    bad "block add was not run" "$(ls "$T/rec")"
fi
r=$T/rec/vif-bridge.vif.backend_vif_${D}_0.online
if [ -f "$r" ]; then
    eq "vif-bridge ran with 'online'" "$(sed -n 's/^args=//p' "$r")" online
    grep -qx "vif=vif$D.0" "$r" && ok "  vif=vifD.N" || bad "vif=" "$(cat "$r")"
    grep -qx "XENBUS_TYPE=vif" "$r" && ok "  XENBUS_TYPE=vif" || bad "XENBUS_TYPE vif" "$(cat "$r")"
    grep -qx "netdev=eth7" "$r" && ok "  netdev= from the network-script line" || bad "netdev" "$(cat "$r")"
else
    bad "vif-bridge online was not run" "$(ls "$T/rec")"
fi
grep -q "^block add backend/vbd/$D/51712" "$T/hotplug.log" && ok "script output in the hotplug log" || bad "hotplug log" "$(cat "$T/hotplug.log")"
state=$("$B/xend/xm" list web | awk 'NR==2 {print $5}')
case $state in *p*) bad "web still paused after create" "$state" ;; *) ok "web unpaused once its devices connected ($state)" ;; esac

# ---- destroy: everything goes
run destroy web; expect_rc "xm destroy web" 0
nothing_left "destroy leaves no backend, frontend or domain" "$D"
[ -f "$T/rec/block.vbd.backend_vbd_${D}_51712.remove" ] && ok "block ran with 'remove' at destroy" || bad "block remove" "$(ls "$T/rec")"
[ -f "$T/rec/vif-bridge.vif.backend_vif_${D}_0.offline" ] && ok "vif-bridge ran with 'offline' at destroy" || bad "vif offline" "$(ls "$T/rec")"
grep -q "closed" "$T/backend.log" && ok "the backends closed before the scripts ran" || bad "backend closed" "$(tail "$T/backend.log")"

# ---- failures at create: message, exit 1, nothing left
fail_case() {  # fail_case NAME CFGLINE EXPECTED-STDERR
    local name=$1 line=$2 want=$3 next
    next=$(cat "$XEND_FAKE_DIR/next-domid" 2>/dev/null)
    mkcfg "$name" "$line"
    run create "$T/cfg/$name"
    [ "$rc" = 1 ] && ok "$name: xm create exits 1" || bad "$name: exit" "rc $rc $err"
    eq "$name: message" "$err" "$want"
    listed "$name" && bad "$name: still listed" || ok "$name: not listed"
    [ -n "$next" ] && nothing_left "$name: nothing left in xenstore or the hypervisor" "$next"
}
fail_case vifbad "vif = ['script=vif-error']" "Error: Device 0 (vif) could not be connected. no bridge xenbr42"
fail_case busy "disk = ['busy:/srv/x.img,xvda,w']" "Error: Device 51712 (vbd) could not be connected.
File /srv/x.img is loopback-mounted through /dev/loop0, which is mounted in a guest domain"
fail_case exitbad "disk = ['exit:/srv/y.img,xvda,w']" "Error: Device 51712 (vbd) could not be connected. $T/scripts/block-exit add failed (exit status 3); see $T/hotplug.log."
fail_case quiet "disk = ['quiet:/srv/z.img,xvda,w']" "Error: Device 51712 (vbd) could not be connected. Hotplug scripts not working."
start=$(date +%s)
fail_case hang "disk = ['hang:/srv/h.img,xvda,w']" "Error: Device 51712 (vbd) could not be connected. Hotplug scripts not working."
took=$(( $(date +%s) - start ))
[ "$took" -le 12 ] && ok "hang: bounded by device-create-timeout ($took s)" || bad "hang took $took s"
fail_case nobe "disk = ['phy:/dev/loop1,xvda,w']" "Error: Device 51712 (vbd) could not be connected. Hotplug scripts not working."
fail_case drvdom "disk = ['phy:/dev/loop1,xvda,w,storage']" "Error: Device 51712 (vbd) could not be connected. Backend domain storage: Xeno's backends are in Domain-0 only."
grep -q "block-exit: losetup failed" "$T/hotplug.log" && ok "a failing script's stderr is in the hotplug log" || bad "stderr in hotplug log"
log_has "Hotplug: $T/scripts/block-hang add" && ok "xend logs the hotplug runs" || bad "xend log of hotplug"

# ---- block-list, network-list and their -l forms
mkcfg db "disk = ['phy:/dev/loop2,xvda,w']" "vif = ['bridge=xenbr0']"
run create "$T/cfg/db"; expect_rc "create db" 0
D=$(domid db)
wait_for 5 test "$(xs_read /local/domain/$D/device/vif/0/state)" = 4 && wait_for 5 test "$(xs_read /local/domain/$D/device/vbd/51712/state)" = 4 \
    && ok "db's devices connected" || bad "db devices"
run block-list db; expect_rc "xm block-list" 0
want=$(printf 'Vdev  BE handle state evt-ch ring-ref BE-path\n%-5d  %-3d  %-3d   %-3d    %-3d    %-5d %-30s  ' 51712 0 0 4 10 720 "/local/domain/0/backend/vbd/$D/51712")
eq "block-list: xm's header and columns" "$out" "$want"
dbmac=$(xs_read /local/domain/0/backend/vif/$D/0/mac)
run network-list db; expect_rc "xm network-list" 0
want=$(printf 'Idx BE     MAC Addr.     handle state evt-ch tx-/rx-ring-ref BE-path\n%-3d %-3d%-17s    %-3d   %-3d    %-3d   %-5d/%-5d   %-30s  ' 0 0 "$dbmac" 0 4 10 8 9 "/local/domain/0/backend/vif/$D/0")
eq "network-list: xm's header and columns" "$out" "$want"
run block-list -l db; expect_rc "xm block-list -l" 0
printf '%s\n' "$out" | head -2 | tr -d '\n' | grep -q '^(51712    ((backend-id 0)\|^(51712    ((' && ok "block-list -l: (51712 ((KEY VALUE) ...)) per device" || bad "block-list -l" "$out"
printf '%s\n' "$out" | grep -q "(virtual-device 51712)" && printf '%s\n' "$out" | grep -q "(ring-ref 720)" && ok "  ... with the frontend's nodes" || bad "block-list -l nodes" "$out"
run network-list --long db; expect_rc "xm network-list --long" 0
printf '%s\n' "$out" | grep -q "(mac $dbmac)" && ok "network-list -l shows the MAC" || bad "network-list -l" "$out"
run block-list nosuch; expect_rc "block-list of a missing domain: exit 3" 3
eq "  ... message" "$err" "Error: Domain 'nosuch' does not exist."

# ---- block-attach / block-detach on a running domain
run block-attach db phy:/dev/loop3 xvdb w; expect_rc "xm block-attach db phy:/dev/loop3 xvdb w" 0
B2=/local/domain/0/backend/vbd/$D/51728
eq "attached vbd: BE/params" "$(xs_read $B2/params)" /dev/loop3
eq "attached vbd: not bootable" "$(xs_read $B2/bootable)" 0
wait_for 5 test "$(xs_read /local/domain/$D/device/vbd/51728/state)" = 4 && ok "attached vbd connects" || bad "attached vbd state"
[ -f "$T/rec/block.vbd.backend_vbd_${D}_51728.add" ] && ok "block add ran for the attached disk" || bad "block add for attach"
run block-list db; [ "$(printf '%s\n' "$out" | awk 'NR>1 {print $1}' | tr '\n' ' ')" = "51712 51728 " ] && ok "block-list shows both disks" || bad "block-list after attach" "$out"
run list -l db; printf '%s\n' "$out" | grep -q "(uname phy:/dev/loop3)" && ok "list -l: the attached disk is in the config" || bad "list -l after attach" "$out"
run block-attach db phy:/dev/loop3 xvdb w; expect_rc "attaching xvdb again: exit 1" 1
eq "  ... xend's message" "$err" "Error: Device xvdb (51728, vbd) is already connected."
run block-attach db phy:/dev/loop5 xvdc rw; expect_rc "block-attach with a bad mode: exit 1" 1
case $err in "Error: Invalid disk"*) ok "  ... says the disk is invalid" ;; *) bad "bad mode message" "$err" ;; esac
run block-attach db busy:/srv/q.img xvdc w; expect_rc "block-attach whose script says busy: exit 1" 1
eq "  ... message" "$err" "Error: Device 51744 (vbd) could not be connected.
File /srv/x.img is loopback-mounted through /dev/loop0, which is mounted in a guest domain"
xs_exists /local/domain/0/backend/vbd/$D/51744 || xs_exists /local/domain/$D/device/vbd/51744 \
    && bad "failed attach left nodes" || ok "  ... and leaves no nodes"
run list -l db; printf '%s\n' "$out" | grep -q "busy:" && bad "failed attach kept in config" || ok "  ... nor a config entry"
eq "  ... the domain keeps running" "$(domid db)" "$D"
run block-detach db xvdb; expect_rc "xm block-detach db xvdb" 0
xs_exists $B2 || xs_exists /local/domain/$D/device/vbd/51728 && bad "detach left nodes" || ok "  ... BE and FE removed"
[ -f "$T/rec/block.vbd.backend_vbd_${D}_51728.remove" ] && ok "  ... block remove ran" || bad "block remove on detach"
grep -q "/local/domain/$D/device/vbd/51728: frontend closes" "$T/backend.log" && ok "  ... after the frontend closed" || bad "frontend close on detach"
run list -l db; printf '%s\n' "$out" | grep -q "loop3" && bad "detached disk still in config" "$out" || ok "  ... and from the config"
run block-detach db xvdb; expect_rc "detaching it again: exit 1" 1
eq "  ... xend's message" "$err" "Error: Device 51728 not connected"
run block-detach db 51712; expect_rc "block-detach by number" 0
run block-list db; eq "  ... block-list is empty" "$out" ""

# ---- network-attach / network-detach
run network-attach db bridge=xenbr1 vifname=dbeth1; expect_rc "xm network-attach db bridge=xenbr1 vifname=dbeth1" 0
V1=/local/domain/0/backend/vif/$D/1
eq "attached vif gets the lowest free handle" "$(xs_read $V1/handle)" 1
eq "  ... BE/vifname" "$(xs_read $V1/vifname)" dbeth1
newmac=$(xs_read $V1/mac)
echo "$newmac" | grep -qE '^00:16:3e:' && ok "  ... a random MAC ($newmac)" || bad "attach MAC" "$newmac"
[ -f "$T/rec/vif-bridge.vif.backend_vif_${D}_1.online" ] && ok "  ... vif-bridge online ran" || bad "vif online for attach"
run list -l db; printf '%s\n' "$out" | grep -q "(mac $newmac)" && ok "list -l: the attached NIC with its MAC" || bad "list -l vif" "$out"
run network-attach db mac=$dbmac; expect_rc "network-attach with a MAC in use: exit 1" 1
xs_exists /local/domain/0/backend/vif/$D/2 && bad "  ... left a vif" || ok "  ... nothing connected ($err)"
run network-attach db bogus=1; expect_rc "network-attach with an unknown key: usage error" 1
case $err in "Error: Invalid argument: bogus=1"*) ok "  ... xm's message" ;; *) bad "unknown key message" "$err" ;; esac
run network-detach db $newmac; expect_rc "network-detach by MAC" 0
xs_exists $V1 && bad "  ... BE left" || ok "  ... vif 1 removed"
[ -f "$T/rec/vif-bridge.vif.backend_vif_${D}_1.offline" ] && ok "  ... vif-bridge offline ran" || bad "vif offline on detach"
run list -l db; printf '%s\n' "$out" | grep -q "$newmac" && bad "  ... still in config" || ok "  ... and gone from the config"
run network-detach db 7; expect_rc "network-detach of a missing vif: exit 1" 1
eq "  ... message" "$err" "Error: Device 7 not connected"

# ---- a frontend that never closes: detach times out, -f forces it
mkcfg stuck1 "disk = ['phy:/dev/loop6,xvda,w']"
run create "$T/cfg/stuck1"; expect_rc "create stuck1" 0
S=$(domid stuck1)
run block-detach stuck1 xvda; expect_rc "block-detach of a device the guest keeps: exit 1" 1
eq "  ... xend's message" "$err" "Error: Device 51712 (vbd) could not be disconnected. "
run block-detach -f stuck1 xvda; expect_rc "block-detach -f" 0
xs_exists /local/domain/0/backend/vbd/$S/51712 && bad "  ... BE left" || ok "  ... removes it"
run destroy stuck1; nothing_left "stuck1 destroyed: nothing left" "$S"

# ---- xend restart: devices of running domains are found again
run network-attach db; expect_rc "network-attach with no arguments" 0
before=$("$B/xend/xm" network-list db)
"$XEND" stop >/dev/null 2>&1; "$XEND" start >"$T/start.out" 2>&1 || bad "xend restart" "$(cat "$T/start.out")"
eq "network-list is the same after a restart of xend" "$("$B/xend/xm" network-list db)" "$before"
run block-attach db file:/srv/after.img xvdd r; expect_rc "block-attach after the restart" 0
run network-detach db 0; expect_rc "network-detach of a vif from before the restart" 0
[ -f "$T/rec/vif-bridge.vif.backend_vif_${D}_0.offline" ] && ok "  ... its script ran" || bad "offline after restart"
run shutdown -w db; expect_rc "xm shutdown -w db (poweroff)" 0
nothing_left "poweroff: nothing left of db" "$D"
[ -f "$T/rec/block.vbd.backend_vbd_${D}_51760.remove" ] && ok "  ... block remove ran for the disk attached after the restart" || bad "remove at poweroff"

# ---- a restart keeps the random MAC; the old domain's devices go
mkcfg rb "vif = ['']" "on_reboot = 'restart'"
run create "$T/cfg/rb"; expect_rc "create rb (vif with no MAC)" 0
R1=$(domid rb); mac1=$(xs_read /local/domain/0/backend/vif/$R1/0/mac)
"$FAKE" fake-shutdown "$R1" reboot
wait_for 10 sh -c "test -n \"\$($B/xend/xm list rb 2>/dev/null | awk '\$1 == \"rb\" && \$2 != \"$R1\" {print \$2}')\"" || bad "rb not restarted"
R2=$(domid rb)
wait_for 5 test "$(xs_read /local/domain/0/backend/vif/$R2/0/state)" = 4 && ok "rb restarted (id $R2) with its vif connected" || bad "rb vif after restart"
eq "  ... the same MAC" "$(xs_read /local/domain/0/backend/vif/$R2/0/mac)" "$mac1"
nothing_left "  ... nothing left of the old domain" "$R1"
run list -l rb; printf '%s\n' "$out" | grep -q "(mac $mac1)" && ok "  ... list -l shows it" || bad "list -l mac" "$out"
run destroy rb

# ---- managed domains: attach while stopped goes to the config
mkcfg man "disk = ['phy:/dev/loop7,xvda,w']"
run new "$T/cfg/man"; expect_rc "xm new man" 0
run block-attach man phy:/dev/loop8 xvdb r; expect_rc "block-attach to a stopped managed domain" 0
run network-attach man bridge=xenbr3; expect_rc "network-attach to a stopped managed domain" 0
grep -q "loop8" "$XEND_STATE_DIR"/domains/*/config.sxp && ok "  ... the stored config has the disk" || bad "stored disk"
mmac=$(sed -n 's/.*(mac \([0-9a-f:]*\)).*/\1/p' "$XEND_STATE_DIR"/domains/*/config.sxp | head -1)
[ -n "$mmac" ] && ok "  ... and the NIC with a MAC ($mmac)" || bad "stored mac" "$(cat "$XEND_STATE_DIR"/domains/*/config.sxp)"
run block-list man; eq "block-list of a stopped domain lists its config" "$(printf '%s\n' "$out" | awk 'NR>1 {print $1}' | tr '\n' ' ')" "51712 51728 "
run start man; expect_rc "xm start man" 0
M=$(domid man)
eq "  ... both disks connected" "$(xs_read /local/domain/0/backend/vbd/$M/51712/hotplug-status) $(xs_read /local/domain/0/backend/vbd/$M/51728/hotplug-status)" "connected connected"
eq "  ... the NIC has the stored MAC" "$(xs_read /local/domain/0/backend/vif/$M/0/mac)" "$mmac"
run block-detach man xvdb; expect_rc "block-detach from the running managed domain" 0
run destroy man; nothing_left "destroy man: nothing left" "$M"
grep -q "loop8" "$XEND_STATE_DIR"/domains/*/config.sxp && bad "  ... detached disk still stored" || ok "  ... the stored config lost the detached disk"
run block-detach man xvdz; expect_rc "block-detach of an undefined disk of a stopped domain: exit 1" 1
eq "  ... message" "$err" "Error: Device xvdz is not defined"
run delete man

# ---- a domain destroyed while xend was stopped: its devices are cleaned up at start
mkcfg orphan "disk = ['phy:/dev/loop9,xvda,w']" "vif = ['']"
run create "$T/cfg/orphan"; expect_rc "create orphan" 0
O=$(domid orphan)
"$XEND" stop >/dev/null 2>&1
rm -f "$XEND_FAKE_DIR/dom-$O"
"$XEND" start >"$T/start.out" 2>&1 || bad "xend start" "$(cat "$T/start.out")"
nothing_left "devices of a domain gone while xend was stopped are removed at start" "$O"
[ -f "$T/rec/block.vbd.backend_vbd_${O}_51712.remove" ] && [ -f "$T/rec/vif-bridge.vif.backend_vif_${O}_0.offline" ] \
    && ok "  ... with their scripts run" || bad "orphan scripts" "$(ls "$T/rec")"
log_has "Domain $O is gone but its devices are still in xenstore" && ok "  ... and logged" || bad "orphan log"
grep -q "Found running domain db ([0-9]*), with 0 disks and 2 NICs." "$T/xend.log" && ok "rediscovery logs the devices it found" || bad "rediscovery log"

# ---- create -p: devices connected, the domain stays paused
mkcfg paused1 "disk = ['phy:/dev/loop10,xvda,r']"
run create -p "$T/cfg/paused1"; expect_rc "xm create -p with a disk" 0
P=$(domid paused1)
eq "  ... hotplug done" "$(xs_read /local/domain/0/backend/vbd/$P/51712/hotplug-status)" connected
case $("$B/xend/xm" list paused1 | awk 'NR==2 {print $5}') in *p*) ok "  ... and still paused" ;; *) bad "create -p not paused" ;; esac
run destroy paused1; nothing_left "  ... destroy leaves nothing" "$P"

# ---- a crash (on_crash = destroy) and on_xend_stop = shutdown tear devices down too
mkcfg crash1 "disk = ['phy:/dev/loop11,xvda,w']" "vif = ['']" "on_crash = 'destroy'"
run create "$T/cfg/crash1"; expect_rc "create crash1" 0
C=$(domid crash1)
"$FAKE" fake-shutdown "$C" crash
wait_for 10 sh -c "! $B/xend/xm list crash1 >/dev/null 2>&1" && ok "crashed crash1 destroyed" || bad "crash1 still there"
nothing_left "  ... nothing left of it" "$C"
mkcfg stopper "disk = ['phy:/dev/loop12,xvda,w']" "on_xend_stop = 'shutdown'"
run new "$T/cfg/stopper"; run start stopper; expect_rc "start managed stopper (on_xend_stop = shutdown)" 0
SP=$(domid stopper)
"$XEND" stop >/dev/null 2>&1
nothing_left "xend stop powered stopper off and removed its devices" "$SP"
[ -f "$T/rec/block.vbd.backend_vbd_${SP}_51712.remove" ] && ok "  ... block remove ran before xend exited" || bad "stopper remove"
"$XEND" start >"$T/start.out" 2>&1 || bad "xend start" "$(cat "$T/start.out")"
run delete stopper

# ---- a failing network-script is logged and xend starts anyway
"$XEND" stop >/dev/null 2>&1
printf '#!/bin/sh\necho "netfail: no such device eth9" >&2\nexit 1\n' >"$T/scripts/netfail"
chmod +x "$T/scripts/netfail"
cp "$XEND_CONFIG" "$T/config.saved"
sed -i "s/(network-script .*)/(network-script netfail)/" "$XEND_CONFIG"
"$XEND" start >"$T/start.out" 2>&1 && ok "xend starts although its network-script fails" || bad "start with failing network-script" "$(cat "$T/start.out")"
log_has "The network script $T/scripts/netfail start failed (exit status 1)" && ok "  ... the failure is in xend.log" || bad "network-script failure log"
grep -q "netfail: no such device eth9" "$T/hotplug.log" && ok "  ... its stderr in the hotplug log" || bad "network-script stderr"
"$XEND" stop >/dev/null 2>&1
cp "$T/config.saved" "$XEND_CONFIG"
"$XEND" start >"$T/start.out" 2>&1 || bad "xend start" "$(cat "$T/start.out")"

"$XEND" stop >/dev/null 2>&1
if [ "$XEND" = "$T/xend-asan" ]; then
    if ls "$T"/asan.* "$T"/ubsan.* >/dev/null 2>&1; then
        bad "sanitizers reported problems" "$(cat "$T"/asan.* "$T"/ubsan.* 2>/dev/null | head -40)"
    else
        ok "ASan/UBSan: no reports from xend"
    fi
fi
finish
