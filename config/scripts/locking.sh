# shellcheck shell=dash
# locking.sh: claim_lock NAME / release_lock NAME
#
# Serialises scripts that read-check-write shared state (the block sharing
# check and loop allocation, dhcpd.conf edits).  flock(1) is not in dom0's
# busybox, so the lock is a directory: mkdir is atomic on every filesystem
# the scripts see.  The directory holds `owner` = "PID STARTTIME" (STARTTIME
# from /proc/PID/stat, so a recycled PID does not look alive).  A lock whose
# owner is gone (a script killed by SIGKILL) is stale and taken over; the
# take-over itself is serialised by a second directory (NAME.break) so two
# waiters cannot both remove a lock and one of them remove the new owner's.
#
# Locks are released on every exit path: release_all_locks is called from
# the EXIT trap of xen-hotplug-common.sh (and by scripts that set their own).
#
# LOCK_DIR (default /var/run/xen-hotplug) and LOCK_TIMEOUT (seconds, default
# 100 = xend's device-create-timeout) can be overridden.

LOCK_DIR=${LOCK_DIR:-/var/run/xen-hotplug}
LOCK_TIMEOUT=${LOCK_TIMEOUT:-100}
_held_locks=

_proc_starttime() {
	# Field 22 of /proc/PID/stat; the command name (field 2) may contain
	# spaces, so count from the closing parenthesis.
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086
	set -- $stat
	shift 19
	echo "$1"
}

_lock_owner_alive() {
	local pid start now
	[ -f "$1/owner" ] || return 2
	read -r pid start 2>/dev/null <"$1/owner" || return 2
	[ -n "$pid" ] || return 2
	kill -0 "$pid" 2>/dev/null || return 1
	now=$(_proc_starttime "$pid") || return 0
	[ -z "$start" ] || [ "$start" = "$now" ]
}

_lock_break_stale() {
	local dir="$1" seen="$2"
	mkdir "$dir.break" 2>/dev/null || return 0
	# Re-read under the break lock: the owner may have changed since.
	if [ "$(cat "$dir/owner" 2>/dev/null)" = "$seen" ]; then
		log warning "removing stale lock $dir (owner $seen is gone)"
		rm -rf "$dir"
	fi
	rmdir "$dir.break" 2>/dev/null || true
}

claim_lock() {
	local name="$1"
	local dir="$LOCK_DIR/$name.lock"
	local me tries=0 seen nowner=0
	mkdir -p "$LOCK_DIR" || { echo "$0: cannot create $LOCK_DIR" >&2; return 1; }
	me="$$ $(_proc_starttime $$ || true)"
	while ! mkdir "$dir" 2>/dev/null; do
		seen=$(cat "$dir/owner" 2>/dev/null || true)
		if [ -z "$seen" ]; then
			# Just created, owner not written yet; a creator killed in that
			# window leaves an ownerless lock: stale after 5 seconds.
			nowner=$((nowner + 1))
			if [ "$nowner" -gt 50 ]; then
				_lock_break_stale "$dir" ""
				nowner=0
			fi
		elif ! _lock_owner_alive "$dir"; then
			_lock_break_stale "$dir" "$seen"
			continue
		fi
		tries=$((tries + 1))
		if [ "$tries" -gt $((LOCK_TIMEOUT * 10)) ]; then
			echo "$0: timed out after ${LOCK_TIMEOUT}s waiting for lock $name (held by ${seen:-?})" >&2
			return 1
		fi
		sleep 0.1 2>/dev/null || sleep 1
	done
	echo "$me" >"$dir/owner"
	_held_locks="$_held_locks $name"
}

release_lock() {
	local name="$1" l rest=
	rm -rf "$LOCK_DIR/$name.lock"
	for l in $_held_locks; do
		[ "$l" = "$name" ] || rest="$rest $l"
	done
	_held_locks=$rest
}

release_all_locks() {
	local l
	for l in $_held_locks; do
		release_lock "$l"
	done
}
