# shellcheck shell=bash
# loops.sh: release_test_loops DIR: detach every loop device whose backing
# file is under DIR (loop devices are global: they outlive the test's
# namespaces).  Used on every exit path, inside and outside the namespace.
release_test_loops() {
	local d=$1 b f
	[ -n "$d" ] || return 0
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] || continue
		f=$(cat "$b" 2>/dev/null) || continue
		case $f in
		"$d"/*)
			b=${b%/loop/backing_file}
			losetup -d "/dev/${b##*/}" 2>/dev/null || true
			;;
		esac
	done
}
