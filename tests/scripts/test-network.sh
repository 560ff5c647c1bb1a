# shellcheck shell=bash disable=SC2154  # tmp, out, bin, lib, SDIR: set by run.sh
# test-network.sh: handle_iptable, network-route, network-nat,
# network-bridge (see run.sh).

with_fake_iptables() {
	mkdir -p "$tmp/fake"
	ln -sf "$lib/fake-iptables" "$tmp/fake/iptables"
	export FAKE_IPTABLES_RULES=$tmp/ipt.rules
	rm -f "$FAKE_IPTABLES_RULES" "$FAKE_IPTABLES_RULES.log"
	PATH=$tmp/fake:$PATH "$@"
}
rules() { cat "$tmp/ipt.rules" 2>/dev/null; }

test_iptables() {
	local d=60 g
	check_not "the host's iptables is hidden in the namespace" sh -c 'command -v iptables'
	ip link add brf$d type bridge
	guest_ns; g=$G
	mk_vif vif$d.0 "$g"
	be_vif $d 0 "bridge" brf$d "ip" 10.1.60.5
	with_fake_iptables hp sh vif-bridge online
	check_rc "handle_iptable: vif-bridge online with iptables: exit 0" 0
	check_eq "handle_iptable: FORWARD rules for the guest's address and DHCP" \
		"filter FORWARD -m physdev --physdev-is-bridged --physdev-in vif60.0 -s 10.1.60.5 -j ACCEPT
filter FORWARD -m physdev --physdev-is-bridged --physdev-in vif60.0 -p udp --sport 68 --dport 67 -j ACCEPT" "$(rules)"
	PATH=$tmp/fake:$PATH hp sh vif-bridge online
	check_eq "handle_iptable: online twice adds nothing" 2 "$(rules | wc -l)"
	PATH=$tmp/fake:$PATH hp busybox vif-bridge offline
	check_eq "handle_iptable: offline removes them (busybox)" "" "$(rules)"
	xsw "$BE/ip" ""
	PATH=$tmp/fake:$PATH hp sh vif-route online netdev=brf$d
	check_rc "handle_iptable without ip: exit 1 (brf60 has no address for vif-route)" 1
	ip addr add 10.1.60.1/24 dev brf$d
	PATH=$tmp/fake:$PATH hp sh vif-route online netdev=brf$d
	check_eq "handle_iptable: routed vif without ip: everything from it" "filter FORWARD -i vif60.0 -j ACCEPT" "$(rules)"
	PATH=$tmp/fake:$PATH hp sh vif-route offline netdev=brf$d
	check_eq "handle_iptable: routed offline removes it" "" "$(rules)"
}

test_network_route() {
	local fl
	ip link add ethn type veth peer name ethnp
	for fl in sh busybox; do
		echo 0 >/proc/sys/net/ipv4/ip_forward
		hp $fl network-route start netdev=ethn
		check_rc "network-route start ($fl): exit 0" 0
		check_eq "network-route start ($fl): ip_forward" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
		check_eq "network-route start ($fl): proxy_arp on ethn" 1 "$(cat /proc/sys/net/ipv4/conf/ethn/proxy_arp)"
		hp $fl network-route stop netdev=ethn
		check_eq "network-route stop ($fl): proxy_arp off" 0 "$(cat /proc/sys/net/ipv4/conf/ethn/proxy_arp)"
	done
	hp sh network-route status netdev=ethn
	check_out "network-route status" "proxy_arp on ethn: 0"
	hp sh network-route start netdev=nosuch0
	check_rc "network-route start, missing netdev: exit 1" 1
	check_out "network-route start, missing netdev: says so" "nosuch0 does not exist"
}

test_network_nat() {
	local conf=/etc/dhcp/dhcpd.conf
	echo 0 >/proc/sys/net/ipv4/ip_forward
	hp sh network-nat start netdev=ethn
	check_rc "network-nat without iptables: exit 1" 1
	check_out "network-nat without iptables: clear error" "iptables is not installed: NAT needs it"
	check_eq "network-nat without iptables: nothing changed" 0 "$(cat /proc/sys/net/ipv4/ip_forward)"

	mkdir -p /etc/dhcp
	printf 'ddns-update-style none;\n' >$conf
	with_fake_iptables hp busybox network-nat start netdev=ethn
	check_rc "network-nat start (busybox): exit 0" 0
	check_eq "network-nat start: ip_forward" 1 "$(cat /proc/sys/net/ipv4/ip_forward)"
	check_eq "network-nat start: MASQUERADE on ethn" "nat POSTROUTING -o ethn -j MASQUERADE" "$(rules)"
	check "network-nat start: iptables waits for the xtables lock (-w)" grep -q -- "^-w -t nat -A POSTROUTING" "$tmp/ipt.rules.log"
	check "network-nat start: dhcpd subnet for the guests" grep -q '^subnet 10.0.0.0 netmask 255.0.0.0 {' $conf
	PATH=$tmp/fake:$PATH hp sh network-nat start netdev=ethn
	check_eq "network-nat start twice: one rule" 1 "$(rules | wc -l)"
	check_eq "network-nat start twice: one subnet" 1 "$(grep -c '^subnet 10.0.0.0' $conf)"
	PATH=$tmp/fake:$PATH hp sh network-nat stop netdev=ethn
	check_rc "network-nat stop: exit 0" 0
	check_eq "network-nat stop: rule removed" "" "$(rules)"
	check_eq "network-nat stop: dhcpd config as before" "ddns-update-style none;" "$(cat $conf)"
	rm -f $conf
}

# A DHCP server in a "LAN" namespace, eth0 configured by busybox udhcpc.
lan_dhcp() {
	local lan=$1
	cat >"$tmp/udhcpd.conf" <<EOC
start 10.9.0.100
end 10.9.0.150
interface lan0
lease_file $tmp/udhcpd.leases
pidfile $tmp/udhcpd.pid
option subnet 255.255.255.0
option router 10.9.0.1
option lease 3600
EOC
	: >"$tmp/udhcpd.leases"
	gx "$lan" busybox udhcpd -f "$tmp/udhcpd.conf" >"$out/udhcpd.log" 2>&1 &
	pids+=($!)
	cat >"$tmp/udhcpc.script" <<'EOC'
#!/bin/sh
case $1 in
deconfig) ip addr flush dev "$interface"; ip link set dev "$interface" up ;;
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/$mask" dev "$interface"
	[ -z "$router" ] || ip route replace default via "${router%% *}" dev "$interface" ;;
esac
EOC
	chmod +x "$tmp/udhcpc.script"
	sleep 0.3
	PATH=$tmp/bb:$PATH busybox udhcpc -i eth0 -n -q -t 5 -T 1 -s "$tmp/udhcpc.script" >"$out/udhcpc.log" 2>&1
}

eth0_addr() { ip -o -4 addr show dev eth0 | awk '{ print $4; exit }'; }

test_network_bridge() {
	local lan mac addr
	ip link del eth0 2>/dev/null
	guest_ns; lan=$G
	ip link add eth0 type veth peer name lan0
	ip link set lan0 netns "$lan"
	gx "$lan" ip addr add 10.9.0.1/24 dev lan0
	gx "$lan" ip link set lan0 up
	ip link set eth0 up
	if lan_dhcp "$lan"; then ok "network-bridge setup: eth0 got a DHCP lease (busybox udhcpc)"; else
		bad "network-bridge setup: DHCP" "$(cat "$out/udhcpc.log")"; fi
	addr=$(eth0_addr)
	ip addr add 10.9.0.50/24 dev eth0 label eth0:1
	ip route add 10.77.0.0/16 via 10.9.0.1
	mac=$(mac_of eth0)
	check "network-bridge setup: default route via the DHCP router" has_route "^default via 10\.9\.0\.1 dev eth0"

	hp busybox network-bridge start
	check_rc "network-bridge start (busybox, DHCP address): exit 0" 0
	check "network-bridge start: eth0 is a bridge" test -d /sys/class/net/eth0/bridge
	check "network-bridge start: peth0 is its port" port_of eth0 peth0
	check_not "network-bridge start: no tmpbridge left" test -e /sys/class/net/tmpbridge
	check_eq "network-bridge start: the bridge has the NIC's MAC" "$mac" "$(mac_of eth0)"
	check "network-bridge start: the bridge has the leased address $addr" has_addr eth0 "$addr"
	check "network-bridge start: the alias eth0:1 kept" sh -c "ip -o -4 addr show dev eth0 | grep -q '10.9.0.50/24 .*eth0:1'"
	check_eq "network-bridge start: peth0 has no address" "" "$(ip -o -4 addr show dev peth0)"
	check "network-bridge start: default route via the bridge" has_route "^default via 10\.9\.0\.1 dev eth0"
	check "network-bridge start: static route kept" has_route "^10\.77\.0\.0/16 via 10\.9\.0\.1 dev eth0"
	check "network-bridge start: dom0 pings the LAN through the bridge" busybox ping -c 1 -W 2 10.9.0.1

	hp sh network-bridge start
	check_rc "network-bridge start again: exit 0" 0
	check_out "network-bridge start again: refuses, says why" "already bridged"
	check_eq "network-bridge start again: still one port" peth0 "$(ls /sys/class/net/eth0/brif)"

	hp sh network-bridge status
	check_out "network-bridge status: shows the port" "bridge eth0 ports: peth0"

	# a vif on the new bridge, named the pre-3.2 way
	local d=70 g
	guest_ns; g=$G
	mk_vif vif$d.0 "$g"
	gx "$g" ip addr add 10.9.0.170/24 dev gvif$d.0
	be_vif $d 0 "bridge" xenbr0
	hp sh vif-bridge online
	check "vif-bridge xenbr0 after network-bridge: joined eth0" port_of eth0 vif$d.0
	check "vif-bridge on eth0: the guest pings the LAN" gping "$g" 10.9.0.1

	hp busybox network-bridge stop
	check_rc "network-bridge stop (busybox): exit 0" 0
	check_not "network-bridge stop: eth0 is no bridge" test -d /sys/class/net/eth0/bridge
	check_not "network-bridge stop: no peth0" test -e /sys/class/net/peth0
	check_not "network-bridge stop: no tmpbridge" test -e /sys/class/net/tmpbridge
	check_eq "network-bridge stop: eth0's MAC" "$mac" "$(mac_of eth0)"
	check "network-bridge stop: eth0 has its address back" has_addr eth0 "$addr"
	check "network-bridge stop: and the alias" sh -c "ip -o -4 addr show dev eth0 | grep -q '10.9.0.50/24 .*eth0:1'"
	check "network-bridge stop: default route back" has_route "^default via 10\.9\.0\.1 dev eth0"
	check "network-bridge stop: static route back" has_route "^10\.77\.0\.0/16 via 10\.9\.0\.1 dev eth0"
	check "network-bridge stop: dom0 pings the LAN" busybox ping -c 1 -W 2 10.9.0.1
	check_not "network-bridge stop: the vif was released" test -e /sys/class/net/vif$d.0/brport
	hp sh network-bridge stop
	check_rc "network-bridge stop again: exit 0" 0
	check_out "network-bridge stop again: says it is not bridged" "not bridged"

	# no address at all, the iproute2 way (no brctl on this host path)
	ip link add eth1 type veth peer name eth1p
	ip link set eth1p up
	hp sh network-bridge start netdev=eth1
	check_rc "network-bridge start netdev=eth1 (no address): exit 0" 0
	check "network-bridge netdev=eth1: eth1 bridge, peth1 port" port_of eth1 peth1
	check "network-bridge netdev=eth1: bridge up" link_up eth1
	hp sh network-bridge stop netdev=eth1
	check_rc "network-bridge stop netdev=eth1: exit 0" 0
	check "network-bridge stop netdev=eth1: eth1 is the NIC again" sh -c '! test -d /sys/class/net/eth1/bridge && test -e /sys/class/net/eth1 && ! test -e /sys/class/net/peth1'

	hp bash network-bridge start netdev=eth1 bridge=xenbr1
	check_rc "network-bridge bridge=xenbr1 (bash): exit 0" 0
	check "network-bridge bridge=xenbr1: peth1 in xenbr1" port_of xenbr1 peth1
	hp bash network-bridge stop netdev=eth1 bridge=xenbr1
	check "network-bridge stop bridge=xenbr1: eth1 back, xenbr1 gone" sh -c 'test -e /sys/class/net/eth1 && ! test -e /sys/class/net/xenbr1'

	hp sh network-bridge start netdev=eth1 bridge=null
	check_rc "network-bridge bridge=null: exit 0" 0
	check_not "network-bridge bridge=null: nothing done" test -e /sys/class/net/peth1
	hp sh network-bridge start netdev=eth9
	check_rc "network-bridge missing netdev: exit 1" 1
	check_out "network-bridge missing netdev: says so" "eth9 does not exist"
	hp sh network-bridge frobnicate
	check_rc "network-bridge bad command: exit 1" 1
	check_out "network-bridge bad command: usage" "Usage: .*start\|stop\|status"
}
