# shellcheck shell=bash disable=SC2154  # tmp, out, bin, lib, SDIR: set by run.sh
# test-misc.sh: locking, xen-hotplug-cleanup, the hotplug log (see run.sh).

test_locking() {
	local f holder start
	xenstore-rm /local/domain/0/backend/vbd 2>/dev/null
	f=$(img lock.img)
	# a lock left by a killed script (its pid is gone)
	mkdir -p "$LOCK_DIR/block.lock"
	echo "999999 12345" >"$LOCK_DIR/block.lock/owner"
	be_vbd 150 51712 file "$f" w
	hp busybox block add
	check_rc "stale lock (owner gone): taken over, exit 0 (busybox)" 0
	check_out "stale lock: logged" "removing stale lock"
	check_not "lock released at exit" test -e "$LOCK_DIR/block.lock"
	hp sh block remove
	xenstore-rm "$BE"

	# a lock held by a live process: the script waits, then gives up
	sleep 30 >/dev/null 2>&1 &
	holder=$!
	pids+=("$holder")
	start=$(awk '{ sub(/.*\) /, ""); split($0, a, " "); print a[20] }' "/proc/$holder/stat")
	mkdir -p "$LOCK_DIR/block.lock"
	echo "$holder $start" >"$LOCK_DIR/block.lock/owner"
	be_vbd 151 51712 file "$f" w
	LOCK_TIMEOUT=1 hp sh block add
	check_rc "held lock: times out, exit 1" 1
	check_out "held lock: says who holds it" "waiting for lock block \\(held by $holder "
	xs_is "held lock: hotplug-status error" "$BE/hotplug-status" error
	check_eq "held lock: the holder's lock is still there" "$holder $start" "$(cat "$LOCK_DIR/block.lock/owner")"
	check_eq "held lock: no loop taken" "" "$(loops_of "$f")"
	# the holder's pid recycled by another process: start time differs
	echo "$holder 1" >"$LOCK_DIR/block.lock/owner"
	hp sh block add
	check_rc "lock whose pid was recycled: taken over, exit 0" 0
	hp sh block remove
	xenstore-rm "$BE"
	kill "$holder" 2>/dev/null

	# two adds at once: different loops, both connected
	local g1 g2 n1 n2
	be_vbd 152 51712 file "$(img c1.img)" w
	be_vbd 153 51712 file "$(img c2.img)" w
	(use_dev vbd 152 51712; dash "$SDIR/block" add >"$tmp/c1.out" 2>&1) &
	g1=$!
	(use_dev vbd 153 51712; busybox sh "$SDIR/block" add >"$tmp/c2.out" 2>&1) &
	g2=$!
	wait $g1 $g2
	n1=$(xsr /local/domain/0/backend/vbd/152/51712/node)
	n2=$(xsr /local/domain/0/backend/vbd/153/51712/node)
	check "concurrent adds: both connected, different loops" test -n "$n1" -a -n "$n2" -a "$n1" != "$n2"
	check_eq "concurrent adds: each loop is its file's" "$tmp/c1.img $tmp/c2.img" "$(backing_of "$n1") $(backing_of "$n2")"
	for d in 152 153; do use_dev vbd $d 51712; hp sh block remove; done
}

test_cleanup() {
	local d=160 fl
	for fl in sh busybox; do
		d=$((d + 1))
		xsw /local/domain/$d/vm /vm/uuid-$d /vm/uuid-$d/device/vbd/51712/x 1 /vm/uuid-$d/name g$d
		be_vbd $d 51712 file /srv/x.img w "physical-device" 7:0
		xsw "$FE/backend" "$BE" /local/domain/0/error/backend/vbd/$d/51712/error "oops"
		hp $fl xen-hotplug-cleanup
		check_rc "xen-hotplug-cleanup ($fl): exit 0" 0
		xs_absent "xen-hotplug-cleanup ($fl): backend gone" "$BE"
		xs_absent "xen-hotplug-cleanup ($fl): frontend gone" "$FE"
		xs_absent "xen-hotplug-cleanup ($fl): error node gone" /local/domain/0/error/backend/vbd/$d/51712
		xs_absent "xen-hotplug-cleanup ($fl): /vm device record gone" /vm/uuid-$d/device/vbd/51712
		xs_is "xen-hotplug-cleanup ($fl): the VM's other records kept" /vm/uuid-$d/name g$d
		xs_absent "xen-hotplug-cleanup ($fl): empty backend/vbd/$d gone" /local/domain/0/backend/vbd/$d
	done
	be_vbd $d 51712 file /srv/x.img w
	be_vbd $d 51728 file /srv/y.img w
	hp sh xen-hotplug-cleanup
	xs_is "xen-hotplug-cleanup: the domain's other device kept" /local/domain/0/backend/vbd/$d/51712/params /srv/x.img
	be_vbd $d 51712 file /srv/x.img w "frontend" /local/domain/0/name
	xsw /local/domain/0/name Domain-0
	hp sh xen-hotplug-cleanup
	xs_is "xen-hotplug-cleanup: a frontend path outside the guest's devices is not removed" /local/domain/0/name Domain-0
}

test_hotplug_log() {
	local d=170 log=/var/log/xen/xen-hotplug.log
	: >$log
	guest_ns
	mk_vif vif$d.0 "$G"
	be_vif $d 0 "bridge" nosuch
	dash "$SDIR/vif-bridge" online 2>/dev/null
	check "stderr to /dev/null: the error goes to xen-hotplug.log" grep -q "Could not find bridge device nosuch" $log
	: >$log
	dash "$SDIR/vif-bridge" online 2>"$tmp/err"
	check "stderr to a file: kept there" grep -q "Could not find bridge device nosuch" "$tmp/err"
	check_not "stderr to a file: not duplicated into the log" grep -q nosuch $log
	# a command failing under set -e still reports
	be_vbd $d 51712 file "$(img log.img)" w
	mkdir -p "$tmp/broken"
	printf '#!/bin/sh\nexit 3\n' >"$tmp/broken/losetup"
	chmod +x "$tmp/broken/losetup"
	PATH=$tmp/broken:$PATH hp sh block add
	check_rc "losetup failing: exit 1" 1
	xs_is "losetup failing: hotplug-status error" "$BE/hotplug-status" error
	xs_is "losetup failing: hotplug-error" "$BE/hotplug-error" "Failed to find an unused loop device"
}

# Every file parses under the three shells, and shellcheck (dash dialect:
# POSIX sh plus `local`) finds nothing.
test_lint() {
	local f sh bad_sh
	for f in "$SDIR"/*; do
		bad_sh=
		for sh in "busybox sh" dash bash; do
			$sh -n "$f" 2>>"$tmp/out" || bad_sh="$bad_sh $sh"
		done
		check_eq "${f##*/} parses under busybox sh, dash and bash" "" "$bad_sh"
	done
	if ! command -v shellcheck >/dev/null; then
		bad "shellcheck is not installed (Debian package shellcheck): the scripts are not linted"
		return
	fi
	if (cd "$SDIR" && shellcheck -s dash -x -P "$SDIR" ./*) >"$tmp/out" 2>&1; then
		ok "shellcheck -s dash: no finding in config/scripts"
	else
		bad "shellcheck -s dash config/scripts" "$(head -c 600 "$tmp/out")"
	fi
}

# A step failing without a fatal of its own (here: no lock directory can
# be made) still ends in hotplug-status = error, from the EXIT trap.
test_unexpected_failure() {
	be_vbd 180 51712 file "$(img unexpected.img)" w
	LOCK_DIR=/proc/no-such-dir hp sh block add
	check_rc "unexpected failure: exit 1" 1
	xs_is "unexpected failure: hotplug-status error" "$BE/hotplug-status" error
	check "unexpected failure: hotplug-error says so" sh -c \
		"xenstore-read $BE/hotplug-error | grep -q 'block add: failed unexpectedly (exit status 1)'"
	check_eq "unexpected failure: no loop" "" "$(loops_of "$tmp/unexpected.img")"
}
