# shellcheck shell=dash
# xen-network-common.sh: bridge and interface helpers for vif-* and network-*.
#
# Bridges are made with brctl when it exists (busybox has it; its `ip` has no
# `link add`), else with iproute2's `ip link add type bridge` / `master`.
# Everything else is `ip`, in the subset busybox's applet understands.
#
#   default_route_dev               the interface of the IPv4 default route
#   dev_exists DEV                  the interface exists
#   is_bridge DEV                   DEV exists and is a bridge
#   first_bridge                    prints the first bridge by name, if any
#   create_bridge BR                a bridge with STP off and no forward delay
#                                   (a vif must forward at once), once
#   delete_bridge BR
#   add_to_bridge BR DEV            enslave DEV unless it is already, set it up
#   remove_from_bridge BR DEV       release DEV when it is a port of BR
#   bridge_of DEV                   prints the bridge DEV is a port of
#   flush_addrs DEV                 remove DEV's IPv4 addresses
#   setup_virtual_bridge_port DEV   down, MAC fe:ff:ff:ff:ff:ff, no addresses
#   set_mtu BR DEV                  DEV gets BR's MTU, written to BE/mtu too
#   dev_mac DEV, dev_mtu DEV        read from sysfs
#   dev_inet_addrs DEV              one line per IPv4 address:
#                                   "ADDR/PLEN BRD SCOPE LABEL" (BRD may be -)
#   ipt ARGS...                     iptables ARGS, waiting for the xtables
#                                   lock (-w) where iptables knows -w: two
#                                   scripts at once must not fail on it
#   find_dhcpd_conf_file, find_dhcpd_init_file, find_dhcpd_arg_file
#                                   the ISC dhcpd files of this system, if any

default_route_dev() {
	ip -4 route show 2>/dev/null | awk '$1 == "default" {
		for (i = 2; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }
	}'
}

dev_exists() {
	[ -n "$1" ] && [ -e "/sys/class/net/$1" ]
}

is_bridge() {
	[ -n "$1" ] && [ -d "/sys/class/net/$1/bridge" ]
}

first_bridge() {
	local d
	for d in /sys/class/net/*/bridge; do
		[ -d "$d" ] || continue
		d=${d%/bridge}
		echo "${d##*/}"
		return 0
	done
	return 0
}

dev_mac() {
	cat "/sys/class/net/$1/address"
}

dev_mtu() {
	cat "/sys/class/net/$1/mtu"
}

bridge_of() {
	local m
	[ -e "/sys/class/net/$1/brport/bridge" ] || return 0
	m=$(readlink "/sys/class/net/$1/brport/bridge") || return 0
	echo "${m##*/}"
}

_bridge_knob() {
	# $1 bridge, $2 sysfs knob, $3 value: best effort, the bridge works
	# without (only STP/forward delay tuning).
	[ -w "/sys/class/net/$1/bridge/$2" ] && echo "$3" >"/sys/class/net/$1/bridge/$2" 2>/dev/null
	return 0
}

create_bridge() {
	local br="$1"
	is_bridge "$br" && return 0
	if dev_exists "$br"; then
		echo "$0: cannot create bridge $br: an interface of that name exists and is not a bridge" >&2
		return 1
	fi
	if have_cmd brctl; then
		brctl addbr "$br" || return 1
	else
		ip link add name "$br" type bridge || return 1
	fi
	_bridge_knob "$br" stp_state 0
	_bridge_knob "$br" forward_delay 0
	return 0
}

delete_bridge() {
	local br="$1"
	is_bridge "$br" || return 0
	ip link set dev "$br" down 2>/dev/null || true
	if have_cmd brctl; then
		brctl delbr "$br"
	else
		ip link del dev "$br"
	fi
}

add_to_bridge() {
	local br="$1" dev="$2"
	if [ ! -e "/sys/class/net/$br/brif/$dev" ]; then
		if have_cmd brctl; then
			brctl addif "$br" "$dev" || return 1
		else
			ip link set dev "$dev" master "$br" || return 1
		fi
	fi
	ip link set dev "$dev" up
}

remove_from_bridge() {
	local br="$1" dev="$2"
	[ -e "/sys/class/net/$br/brif/$dev" ] || return 0
	if have_cmd brctl; then
		brctl delif "$br" "$dev"
	else
		ip link set dev "$dev" nomaster
	fi
}

flush_addrs() {
	# `ip addr flush` of busybox fails when removing a primary address took
	# its secondaries with it; delete one by one until none is left.
	local dev="$1" a
	for _ in 1 2 3; do
		a=$(dev_inet_addrs "$dev" | awk '{ print $1 }')
		[ -n "$a" ] || return 0
		for a in $a; do
			ip addr del "$a" dev "$dev" 2>/dev/null || true
		done
	done
	[ -z "$(dev_inet_addrs "$dev")" ]
}

setup_virtual_bridge_port() {
	# Called as `do_or_die setup_virtual_bridge_port`, where set -e is off:
	# every step checks its status.
	local dev="$1"
	ip link set dev "$dev" down || return 1
	# The highest unicast MAC: a bridge takes the lowest MAC of its ports as
	# its own, so it never takes a vif's (whose MAC is meaningless anyway:
	# the guest's MAC is on the other side of the ring).
	ip link set dev "$dev" address fe:ff:ff:ff:ff:ff || return 1
	flush_addrs "$dev"
}

set_mtu() {
	local br="$1" dev="$2" mtu
	mtu=$(dev_mtu "$br") || return 1
	ip link set dev "$dev" mtu "$mtu" || return 1
	# BE/mtu: the node libxl writes too, for frontends that size the
	# guest's interface from it (Linux 6.1's netfront does not read it).
	[ -z "${XENBUS_PATH:-}" ] || xenstore-write "$XENBUS_PATH/mtu" "$mtu" || return 1
	return 0
}

dev_inet_addrs() {
	# `ip -o -4 addr show dev D` prints, in iproute2 and busybox alike:
	#   N: D    inet A/P [brd B] scope S [flags...] LABEL\   valid_lft ...
	ip -o -4 addr show dev "$1" 2>/dev/null | awk '
	{
		sub(/\\.*/, "")
		a = ""; b = "-"; s = "global"
		for (i = 1; i < NF; i++) {
			if ($i == "inet") a = $(i + 1)
			else if ($i == "brd") b = $(i + 1)
			else if ($i == "scope") s = $(i + 1)
		}
		if (a != "") print a, b, s, $NF
	}'
}

_ipt_wait=
ipt() {
	if [ -z "$_ipt_wait" ]; then
		if iptables -w -n -L INPUT >/dev/null 2>&1; then _ipt_wait=-w; else _ipt_wait=no; fi
	fi
	if [ "$_ipt_wait" = -w ]; then iptables -w "$@"; else iptables "$@"; fi
}

find_dhcpd_conf_file() {
	local f
	for f in /etc/dhcp/dhcpd.conf /etc/dhcp3/dhcpd.conf /etc/dhcpd.conf; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 0
}

find_dhcpd_init_file() {
	local f
	for f in /etc/init.d/isc-dhcp-server /etc/init.d/dhcp3-server /etc/init.d/dhcp /etc/init.d/dhcpd; do
		[ -x "$f" ] && { echo "$f"; return 0; }
	done
	return 0
}

find_dhcpd_arg_file() {
	local f
	for f in /etc/default/isc-dhcp-server /etc/default/dhcp3-server /etc/default/dhcp /etc/sysconfig/dhcpd; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 0
}
