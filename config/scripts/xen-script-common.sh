# shellcheck shell=dash
# xen-script-common.sh: sourced first by every script in /etc/xen/scripts.
#
# The scripts run under busybox sh (dom0's initramfs), dash and bash, so
# everything here is POSIX sh plus `local` (which all three have).
#
#   evalVariables ARG...  every NAME=VALUE argument becomes shell variable NAME
#                         (how `network-bridge start netdev=eth1 bridge=br1`
#                         and xend's `vif-bridge online bridge=X` pass options)
#   findCommand ARG...    sets $command to the first argument without a '='
#   have_cmd NAME         true when NAME is an executable command on PATH
#   script_fail MSG       print MSG on stderr and exit 1 (scripts not run by
#                         the hotplug machinery: network-*)

set -e

# udev and init scripts may give a bare PATH: busybox's applets, ip, brctl,
# losetup and the xenstore-* tools live in these.  Whatever the caller had
# comes first (tests put their own builds there).
PATH="${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
LANG=C
LC_ALL=C
export PATH LANG LC_ALL

evalVariables() {
	local arg name
	for arg in "$@"; do
		case $arg in
		*=*) ;;
		*) continue ;;
		esac
		name=${arg%%=*}
		# Only plain identifiers: the value is assigned, never evaluated.
		case $name in
		'' | [0-9]* | *[!A-Za-z0-9_]*)
			echo "$0: ignoring argument '$arg': '$name' is not a variable name" >&2
			continue
			;;
		esac
		eval "$name=\${arg#*=}"
	done
}

findCommand() {
	local arg
	for arg in "$@"; do
		case $arg in
		*=*) ;;
		*)
			command=$arg
			return 0
			;;
		esac
	done
	# shellcheck disable=SC2034  # read by the script that sources this
	command=
}

have_cmd() {
	local p
	p=$(command -v "$1" 2>/dev/null) || return 1
	# `command -v` also answers for builtins and functions; those count.
	case $p in
	/*) [ -x "$p" ] && [ -f "$p" ] ;;
	*) return 0 ;;
	esac
}

script_fail() {
	echo "$0: $*" >&2
	exit 1
}
