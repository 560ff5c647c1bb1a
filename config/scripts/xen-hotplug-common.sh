# shellcheck shell=dash
# xen-hotplug-common.sh: sourced by the device scripts (block, vif-*,
# xen-hotplug-cleanup), which xend runs with
#   $1 = online|offline (vif) or add|remove (vbd), both spellings accepted
#   XENBUS_PATH=backend/TYPE/DOMID/DEVID (relative: the xenstore tools
#   resolve it under /local/domain/0), XENBUS_TYPE, XENBUS_BASE_PATH, vif=...
# (docs/devices.md §2).  The outcome goes to BE/hotplug-status:
#   success      hotplug-status = connected
#   fatal MSG    hotplug-error = MSG, hotplug-status = error, exit 1
#   ebusy MSG    hotplug-error = MSG, hotplug-status = busy, exit 1
#                (xend reports busy as a sharing conflict)
# Any other failure (a command failing under `set -e`) still ends in
# hotplug-status = error with the exit status, from the EXIT trap, so xend
# never waits out its timeout for a script that died.
#
# Reading and writing xenstore:
#   xenstore_read PATH            value, fatal when missing or empty
#   xenstore_read_default PATH D  value, or D when missing
#   xenstore_write PATH VAL [...] fatal when the write fails
#   do_or_die CMD...              run CMD, fatal when it fails
#   do_without_error CMD...       run CMD, log (not fail) when it fails
#
# stderr: when the caller did not send it to a file or a pipe (udev gives
# /dev/null, a terminal gives the terminal), it is appended to
# $XEN_HOTPLUG_LOG (default /var/log/xen/xen-hotplug.log), so that the
# reason of a failure is always written somewhere.

dir=${dir:-$(dirname "$0")}
. "$dir/xen-script-common.sh"
. "$dir/logging.sh"
. "$dir/locking.sh"

XEN_HOTPLUG_LOG=${XEN_HOTPLUG_LOG:-/var/log/xen/xen-hotplug.log}
if ! { [ -f /proc/self/fd/2 ] || [ -p /proc/self/fd/2 ] || [ -S /proc/self/fd/2 ]; }; then
	if mkdir -p "$(dirname "$XEN_HOTPLUG_LOG")" 2>/dev/null && : >>"$XEN_HOTPLUG_LOG"; then
		exec 2>>"$XEN_HOTPLUG_LOG"
	fi
fi

# Set once hotplug-status tells the outcome.  fatal may run in a command
# substitution (a subshell: a variable set there is lost), so the mark is
# also a file named after $$, which subshells share with the script.
_hotplug_status_written=
_hotplug_mark="$LOCK_DIR/reported.$$"
rm -f "$_hotplug_mark" # left by a killed script that had this pid

_hotplug_reported() {
	[ -n "$_hotplug_status_written" ] || [ -e "$_hotplug_mark" ]
}

_hotplug_report() {
	# $1 = status (error|busy), rest = message
	local status="$1"
	shift
	log err "$*"
	if [ -n "${XENBUS_PATH:-}" ]; then
		# Plain xenstore-write: a failing xenstore must not recurse into fatal.
		xenstore-write "$XENBUS_PATH/hotplug-error" "$*" \
			"$XENBUS_PATH/hotplug-status" "$status" ||
			log err "could not write hotplug-status=$status to $XENBUS_PATH"
	fi
	_hotplug_status_written=1
	mkdir -p "$LOCK_DIR" 2>/dev/null && : >"$_hotplug_mark" 2>/dev/null
	return 0
}

fatal() {
	_hotplug_report error "$@"
	exit 1
}

ebusy() {
	_hotplug_report busy "$@"
	exit 1
}

success() {
	# A stale error of an earlier attempt would confuse `xm block-list -l`.
	xenstore-rm "$XENBUS_PATH/hotplug-error" 2>/dev/null || true
	xenstore_write "$XENBUS_PATH/hotplug-status" connected
	_hotplug_status_written=1
	log debug "$command: hotplug-status=connected"
}

_hotplug_exit() {
	local rc=$?
	set +e
	release_all_locks
	if [ "$rc" -ne 0 ] && ! _hotplug_reported; then
		_hotplug_report error "${0##*/} ${command:-}: failed unexpectedly (exit status $rc); see $XEN_HOTPLUG_LOG"
	fi
	rm -f "$_hotplug_mark"
	exit "$rc"
}
trap _hotplug_exit EXIT
# A signal ends the script through the EXIT trap (status 128+N).
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

xenstore_read() {
	local v
	v=$(xenstore-read "$@" 2>/dev/null) || v=
	[ -n "$v" ] || fatal "xenstore-read $* failed (missing or empty)."
	echo "$v"
}

xenstore_read_default() {
	xenstore-read "$1" 2>/dev/null || echo "$2"
}

xenstore_write() {
	xenstore-write "$@" || fatal "xenstore-write $* failed."
}

do_or_die() {
	"$@" || fatal "$* failed."
}

do_without_error() {
	"$@" 2>/dev/null || log debug "$* failed (ignored)."
}

[ -n "${XENBUS_PATH:-}" ] || { _hotplug_status_written=1; script_fail "XENBUS_PATH is not set (run by xend with backend/TYPE/DOMID/DEVID)"; }
