# shellcheck shell=dash
# logging.sh: log LEVEL MESSAGE...
#
# LEVEL is debug, info, notice, warning or err.  The line goes to stderr,
# which for hotplug scripts is /var/log/xen/xen-hotplug.log (xend sends it
# there, xen-hotplug-common.sh does when nobody did), prefixed with the time,
# the script and the device so that one log serves every device.  syslog
# gets a copy through `logger` when a syslog socket exists (dom0's initramfs
# usually has none; busybox logger would then fail, not block).

log() {
	local level="$1"
	shift
	local who="${0##*/}"
	[ -n "${XENBUS_PATH:-}" ] && who="${who}[$XENBUS_PATH]"
	echo "$(date '+%Y-%m-%d %H:%M:%S' 2>/dev/null) $level $who: $*" >&2
	if [ -S /dev/log ] && command -v logger >/dev/null 2>&1; then
		logger -p "daemon.$level" -t "${0##*/}" -- "$*" 2>/dev/null || true
	fi
	return 0
}
