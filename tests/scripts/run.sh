#!/usr/bin/env bash
# tests/scripts/run.sh: the /etc/xen/scripts of config/scripts run for real
# (as root, on this machine) against a hosted xenstored, inside a private
# network and mount namespace (unshare -n -m): veth pairs stand in for the
# NIC (eth0) and for netback's vifD.N (their other ends in "guest" network
# namespaces that ping through them), loop devices back the vbds, tmpfs
# hides /run and /var/log/xen, an overlay makes /etc writable for the
# dhcpd files.  Each script runs under dash, bash and busybox sh (with
# busybox's ip, brctl, losetup ... first on PATH, as in dom0's initramfs).
# Loop devices of the test are released on every exit path.
# Ends with "scripts: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
SDIR=$root/config/scripts
bin=$root/build/dom0-tools
lib=$root/tests/scripts

# ---------------------------------------------------------------- outside
if [ -z "${SCRIPTS_TEST_INNER:-}" ]; then
	out=$root/build/tests/scripts
	rm -rf "$out"
	mkdir -p "$out"
	early_fail() { echo "FAIL $1"; echo "scripts: 0 passed, 1 failed"; exit 1; }
	[ "$(id -u)" -eq 0 ] || early_fail "must run as root (network namespaces, loop devices, mounts)"
	for c in unshare nsenter losetup ip busybox mke2fs; do
		command -v "$c" >/dev/null || early_fail "$c is missing (util-linux, iproute2, busybox-static, e2fsprogs)"
	done
	[ -e /dev/loop-control ] || [ -b /dev/loop0 ] || early_fail "no loop devices (modprobe loop)"
	unshare -n -m true 2>"$out/unshare.err" || early_fail "unshare -n -m does not work here: $(cat "$out/unshare.err")"
	if ! make -s -C "$root" xenstored-tools >"$out/build.log" 2>&1; then
		tail -20 "$out/build.log"
		early_fail "make xenstored-tools"
	fi
	tmp=$(mktemp -d /tmp/scripts-test.XXXXXX)
	. "$lib/loops.sh"
	trap 'release_test_loops "$tmp"; rm -rf "$tmp"' EXIT
	SCRIPTS_TEST_INNER=1 SCRIPTS_TMP=$tmp SCRIPTS_OUT=$out timeout 300 unshare -n -m bash "$0" </dev/null
	rc=$?
	if read -r p f <"$tmp/counts" 2>/dev/null; then
		echo "scripts: $p passed, $f failed"
		[ "$f" -eq 0 ] && [ "$rc" -eq 0 ]
		exit $?
	fi
	echo "FAIL the namespaced run died (exit $rc) before its summary"
	echo "scripts: 0 passed, 1 failed"
	exit 1
fi

# ---------------------------------------------------------------- inside
tmp=$SCRIPTS_TMP
out=$SCRIPTS_OUT
. "$lib/loops.sh"
. "$lib/lib.sh"
trap inner_exit EXIT
trap "exit 143" TERM INT
setup_namespace || exit 1

. "$lib/test-vif.sh"
. "$lib/test-network.sh"
. "$lib/test-block.sh"
. "$lib/test-misc.sh"

test_vif_bridge_flavours
test_vif_bridge_choices
test_vif_route
test_vif_nat
test_iptables
test_network_route
test_network_nat
test_network_bridge
test_block_file
test_block_sharing
test_block_phy
test_block_errors
test_locking
test_cleanup
test_hotplug_log
test_unexpected_failure
test_lint
