# shellcheck shell=dash
# vif-common.sh: sourced by vif-bridge, vif-route and vif-nat.
#
# After sourcing:
#   $command   online or offline (add/remove are accepted and mapped: xl's
#              spelling; xend uses online/offline, docs/devices.md §2)
#   $vif       the backend interface: $vif from the environment (netback's
#              vifD.N), renamed at online to BE/vifname when that is set
#   $ip        the guest's addresses (BE/ip, else ip= from the arguments or
#              environment), space separated
#   $domid $devid   from XENBUS_PATH (backend/vif/D/N)
# Functions: dom0_ip, handle_iptable, call_hooks, vif_done.

dir=${dir:-$(dirname "$0")}
. "$dir/xen-hotplug-common.sh"
. "$dir/xen-network-common.sh"

findCommand "$@"
evalVariables "$@"

case ${command:-} in
online | add) command=online ;;
offline | remove) command=offline ;;
*) fatal "invalid command '${command:-}': expected online, add, offline or remove" ;;
esac

_p=${XENBUS_PATH%/}
# shellcheck disable=SC2034  # used by vif-nat
devid=${_p##*/}
_p=${_p%/*}
# shellcheck disable=SC2034
domid=${_p##*/}
unset _p

vif=${vif:-}
[ -n "$vif" ] || fatal "no interface: \$vif is not set (netback names it vifD.N)"

vifname=$(xenstore_read_default "$XENBUS_PATH/vifname" "")
if [ -n "$vifname" ] && [ "$vifname" != "$vif" ]; then
	if [ "$command" = online ]; then
		if dev_exists "$vif"; then
			if dev_exists "$vifname"; then
				fatal "Cannot rename interface $vif. An interface with name $vifname already exists."
			fi
			# A link must be down to be renamed.
			do_or_die ip link set dev "$vif" down
			do_or_die ip link set dev "$vif" name "$vifname"
		elif ! dev_exists "$vifname"; then
			fatal "Interface $vif does not exist (nor $vifname)."
		fi
		# else: renamed by an earlier run of this script
		vif=$vifname
	elif ! dev_exists "$vif"; then
		# offline: the renamed interface.  While $vif exists the rename
		# never happened, and $vifname may be someone else's interface.
		vif=$vifname
	fi
fi

if [ "$command" = online ] && ! dev_exists "$vif"; then
	fatal "Interface $vif does not exist."
fi

ip=${ip:-}
ip=$(xenstore_read_default "$XENBUS_PATH/ip" "$ip")
ip=$(echo "$ip" | tr ',' ' ')

# dom0_ip: the first IPv4 address of $netdev (default eth0; after
# network-bridge, eth0 is the bridge that carries dom0's address).
dom0_ip() {
	local nd="${netdev:-eth0}" a
	a=$(dev_inet_addrs "$nd" | awk 'NR == 1 { sub(/\/.*/, "", $1); print $1 }')
	[ -n "$a" ] || fatal "$nd is not up. Bring it up or specify another interface with netdev=<if> as an argument to ${0##*/}."
	echo "$a"
}

# handle_iptable: FORWARD rules letting the guest's traffic through when
# dom0 filters forwarding (with iptables only; nothing to do without it, as
# in Debian's scripts).  With BE/ip only those source addresses and DHCP
# requests pass, else anything from the vif.  For a bridged vif the match is
# the bridge port (physdev, needs br_netfilter); a routed vif is -i.
# A failure is a warning, not fatal: the guest may well work without.
iptables_bridged=${iptables_bridged:-}

_frob_rule() {
	# $1 = -A or -D, rest = match
	local op="$1"
	shift
	if [ "$op" = -A ]; then
		ipt -C FORWARD "$@" -j ACCEPT 2>/dev/null && return 0
		ipt -I FORWARD "$@" -j ACCEPT
	else
		ipt -D FORWARD "$@" -j ACCEPT 2>/dev/null || true
	fi
}

handle_iptable() {
	have_cmd iptables || return 0
	local op=-A in a failed=
	[ "$command" = online ] || op=-D
	if [ -n "$iptables_bridged" ]; then
		in="-m physdev --physdev-is-bridged --physdev-in $vif"
	else
		in="-i $vif"
	fi
	if [ -n "$ip" ]; then
		for a in $ip; do
			# shellcheck disable=SC2086
			_frob_rule $op $in -s "$a" || failed=1
		done
		# shellcheck disable=SC2086
		_frob_rule $op $in -p udp --sport 68 --dport 67 || failed=1
	else
		# shellcheck disable=SC2086
		_frob_rule $op $in || failed=1
	fi
	[ -z "$failed" ] || log warning "iptables FORWARD rules for $vif failed; this may affect guest networking."
	return 0
}

# call_hooks CLASS PHASE: sources $dir/CLASS-PHASE.d/*.hook (local additions).
call_hooks() {
	local f
	for f in "$dir/$1-$2.d"/*.hook; do
		[ -f "$f" ] || continue
		# shellcheck disable=SC1090
		. "$f"
	done
}

# vif_done: the common tail of vif-*: firewall rules, hooks, the status.
vif_done() {
	handle_iptable
	call_hooks vif post
	log info "${0##*/} $command $vif done${1:+ ($1)}"
	if [ "$command" = online ]; then success; fi
}
