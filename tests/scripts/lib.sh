# shellcheck shell=bash disable=SC2154  # tmp, out, bin, lib, SDIR: set by run.sh
# lib.sh: the harness of tests/scripts/run.sh inside its namespace:
# results, the namespace, the hosted xenstored, running a script under a
# shell flavour, xenstore backends, veth "vifs" with a guest end.

pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1${2:+: $2}"
	fail=$((fail + 1))
	if [ -s "$tmp/out" ]; then sed 's/^/    | /' "$tmp/out" | tail -8; fi
}
# check NAME CMD...: CMD succeeds
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else bad "$name" "false: $*"; fi
}
# check_not NAME CMD...: CMD fails
check_not() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then bad "$name" "true: $*"; else ok "$name"; fi
}
# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want [$2] got [$3]"; fi
}
# check_out NAME PATTERN: the last script's output matches PATTERN (grep -E)
check_out() {
	if grep -qE -- "$2" "$tmp/out"; then ok "$1"; else bad "$1" "output lacks /$2/"; fi
}

pids=()
inner_exit() {
	local rc=$? p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	umount -l "$tmp/mnt" 2>/dev/null
	release_test_loops "$tmp"
	echo "$pass $fail" >"$tmp/counts"
	exit $rc
}

# ---- the namespace
setup_namespace() {
	mount --make-rprivate / 2>/dev/null
	mount -t sysfs sysfs /sys || { bad "mount sysfs in the network namespace"; return 1; }
	mount -t tmpfs tmpfs /run || { bad "tmpfs on /run"; return 1; }
	if [ ! -L /var/run ]; then mount -t tmpfs tmpfs /var/run; fi
	if [ -d /var/log/xen ]; then mount -t tmpfs tmpfs /var/log/xen; else
		mount -t tmpfs tmpfs /var/log && mkdir -p /var/log/xen; fi
	mkdir -p "$tmp/etc-up" "$tmp/etc-work"
	if ! mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc; then
		bad "overlay on /etc (needed for the dhcpd files)"
		return 1
	fi
	# Nothing of the host's dhcpd may be touched or restarted from here.
	rm -f /etc/dhcp/dhcpd.conf /etc/dhcp3/dhcpd.conf /etc/dhcpd.conf \
		/etc/init.d/isc-dhcp-server /etc/init.d/dhcp3-server /etc/init.d/dhcp /etc/init.d/dhcpd \
		/etc/default/isc-dhcp-server /etc/default/dhcp3-server /etc/default/dhcp /etc/sysconfig/dhcpd
	ip link set lo up
	# The host's iptables (if any) is hidden: the scripts must work without
	# it; tests that want one put a recording fake first on PATH.
	: >"$tmp/not-a-command"
	local c
	for c in $(type -ap iptables); do mount --bind "$tmp/not-a-command" "$c"; done
	# busybox's tools, as in dom0's initramfs
	mkdir -p "$tmp/bb"
	for c in ip brctl losetup stat awk sed grep readlink tr cat mkdir rm rmdir sleep date dirname \
		ls kill logger sysctl mount umount cut head tail wc ping udhcpc udhcpd mv cp touch; do
		ln -s "$(command -v busybox)" "$tmp/bb/$c"
	done
	# xenstored on a private socket, rings as files (no Xen here)
	export XENSTORED_PATH=$tmp/xs.sock
	mkdir -p "$tmp/rings"
	"$bin/xenstored" -N --socket "$XENSTORED_PATH" --hosted-rings "$tmp/rings" >"$out/xenstored.log" 2>&1 &
	pids+=($!)
	local _
	for _ in $(seq 100); do [ -S "$XENSTORED_PATH" ] && break; sleep 0.05; done
	[ -S "$XENSTORED_PATH" ] || { bad "xenstored start" "$(cat "$out/xenstored.log")"; return 1; }
	export PATH=$bin:$PATH
	export LOCK_DIR=/var/run/xen-hotplug
	mkdir -p "$tmp/mnt"
	ok "namespace: sysfs, tmpfs /run and /var/log/xen, overlay /etc, xenstored"
}

# ---- running a script
# hp FLAVOUR SCRIPT ARGS...: run $SDIR/SCRIPT under dash (sh), bash or
# busybox (busybox sh with busybox's tools first on PATH); output in
# $tmp/out, status in $rc.  The device comes from use_dev's exports.
rc=0
hp() {
	local fl=$1 script=$2
	shift 2
	case $fl in
	busybox) PATH=$tmp/bb:$PATH busybox sh "${SCRIPTS:-$SDIR}/$script" "$@" ;;
	sh) dash "${SCRIPTS:-$SDIR}/$script" "$@" ;;
	bash) bash "${SCRIPTS:-$SDIR}/$script" "$@" ;;
	esac >"$tmp/out" 2>&1
	rc=$?
	cat "$tmp/out" >>"$out/scripts.log"
	return 0
}
check_rc() {
	if [ "$rc" -eq "$2" ]; then ok "$1"; else bad "$1" "exit status $rc, want $2"; fi
}

# use_dev TYPE DOMID DEVID [VIF]: the environment xend gives the script
use_dev() {
	export XENBUS_TYPE=$1 XENBUS_BASE_PATH=backend XENBUS_PATH=backend/$1/$2/$3
	BE=/local/domain/0/backend/$1/$2/$3
	FE=/local/domain/$2/device/$1/$3
	if [ -n "${4:-}" ]; then export vif=$4; else unset vif; fi
}

xsr() { xenstore-read "$1" 2>/dev/null; }
xsw() { xenstore-write "$@" >/dev/null; }
xs_is() { check_eq "$1" "$3" "$(xsr "$2")"; }
xs_absent() { check_not "$1" xenstore-exists "$2"; }

# be_keys KEY VALUE...: write BE/KEY = VALUE
be_keys() {
	while [ $# -ge 2 ]; do
		xsw "$BE/$1" "$2"
		shift 2
	done
}
# be_vif DOMID DEVID [KEY VALUE]...: a vif backend in state 2 (InitWait),
# then BE/KEY = VALUE
be_vif() {
	local d=$1 n=$2
	shift 2
	use_dev vif "$d" "$n" "vif$d.$n"
	xenstore-rm "$BE" 2>/dev/null
	xsw "$BE/frontend" "$FE" "$BE/frontend-id" "$d" "$BE/online" 1 "$BE/state" 2 \
		"$BE/script" /etc/xen/scripts/vif-bridge "$BE/mac" "00:16:3e:00:$(printf %02x $((d % 256))):$(printf %02x "$n")" \
		"$BE/handle" "$n" "$FE/state" 1
	be_keys "$@"
}
# be_vbd DOMID DEVID TYPE PARAMS MODE [KEY VALUE]...
be_vbd() {
	local d=$1 n=$2 t=$3 p=$4 m=$5
	shift 5
	use_dev vbd "$d" "$n"
	xenstore-rm "$BE" 2>/dev/null
	xsw "$BE/frontend" "$FE" "$BE/frontend-id" "$d" "$BE/online" 1 "$BE/state" 2 \
		"$BE/type" "$t" "$BE/params" "$p" "$BE/mode" "$m" "$BE/dev" xvda "$BE/device-type" disk
	be_keys "$@"
}

# ---- network
# guest_ns: G = the pid of a process holding a new network namespace
G=
guest_ns() {
	unshare -n sleep 600 </dev/null >/dev/null 2>&1 &
	G=$!
	pids+=("$G")
	local _
	for _ in $(seq 50); do
		[ "$(readlink "/proc/$G/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.02
	done
	nsenter -t "$G" -n ip link set lo up
}
# gx PID CMD...: CMD in that namespace
gx() {
	local p=$1
	shift
	nsenter -t "$p" -n "$@"
}
# mk_vif NAME GUESTPID: a veth pair, NAME here, gNAME in the guest namespace
mk_vif() {
	ip link del "$1" 2>/dev/null
	ip link add "$1" type veth peer name "g$1" && ip link set "g$1" netns "$2" &&
		gx "$2" ip link set "g$1" up
}
link_up() { ip -o link show dev "$1" 2>/dev/null | grep -qE '[<,]UP[,>]'; }
port_of() { [ -e "/sys/class/net/$1/brif/$2" ]; }
mac_of() { cat "/sys/class/net/$1/address" 2>/dev/null; }
has_addr() { ip -o -4 addr show dev "$1" 2>/dev/null | grep -q " inet $2 "; }
has_route() { ip -4 route show 2>/dev/null | grep -qE -- "$1"; }
gping() { gx "$1" busybox ping -c 1 -W 2 "$2"; }
