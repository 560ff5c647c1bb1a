# shellcheck shell=bash disable=SC2154  # tmp, out, bin, lib, SDIR: set by run.sh
# test-vif.sh: vif-bridge, vif-route, vif-nat (see run.sh).

# vif-bridge online/offline under each shell: the vif joins the bridge
# with MAC fe:ff:ff:ff:ff:ff and the bridge's MTU, the guest end pings
# dom0's address on the bridge; online twice is harmless; offline undoes.
test_vif_bridge_flavours() {
	local fl d=10 g br
	for fl in sh bash busybox; do
		d=$((d + 1))
		br=brf$d
		ip link add "$br" type bridge && ip addr add "10.1.$d.1/24" dev "$br" && ip link set "$br" up
		[ "$fl" != bash ] || ip link set "$br" mtu 1400
		guest_ns; g=$G
		mk_vif "vif$d.0" "$g"
		gx "$g" ip addr add "10.1.$d.2/24" dev "gvif$d.0"
		be_vif $d 0 "bridge" "$br"
		hp $fl vif-bridge online
		check_rc "vif-bridge online ($fl): exit 0" 0
		xs_is "vif-bridge online ($fl): hotplug-status connected" "$BE/hotplug-status" connected
		check "vif-bridge online ($fl): vif$d.0 is a port of $br" port_of "$br" "vif$d.0"
		check_eq "vif-bridge online ($fl): vif MAC fe:ff:ff:ff:ff:ff" fe:ff:ff:ff:ff:ff "$(mac_of "vif$d.0")"
		check "vif-bridge online ($fl): vif up" link_up "vif$d.0"
		local want=1500
		[ "$fl" != bash ] || want=1400
		check_eq "vif-bridge online ($fl): vif MTU = bridge's" $want "$(cat "/sys/class/net/vif$d.0/mtu")"
		xs_is "vif-bridge online ($fl): BE/mtu written" "$BE/mtu" $want
		check "vif-bridge online ($fl): the guest pings dom0 through the bridge" gping "$g" "10.1.$d.1"
		hp $fl vif-bridge online
		check_rc "vif-bridge online again ($fl): exit 0" 0
		check_eq "vif-bridge online again ($fl): one port" "vif$d.0" "$(ls "/sys/class/net/$br/brif")"
		hp $fl vif-bridge offline
		check_rc "vif-bridge offline ($fl): exit 0" 0
		check_not "vif-bridge offline ($fl): vif left the bridge" port_of "$br" "vif$d.0"
		check_not "vif-bridge offline ($fl): vif down" link_up "vif$d.0"
		check_not "vif-bridge offline ($fl): the guest cannot ping any more" gping "$g" "10.1.$d.1"
	done
	# add/remove, xl's spelling
	d=11
	be_vif $d 0 "bridge" brf$d
	hp sh vif-bridge add
	check "vif-bridge add = online" port_of brf$d vif$d.0
	hp sh vif-bridge remove
	check_not "vif-bridge remove = offline" port_of brf$d vif$d.0
}

# Which bridge: xenstore, else bridge= (argument or environment), else the
# first bridge; xenbrN -> ethN; the errors; vifname; bad invocations.
test_vif_bridge_choices() {
	local g d=20 b
	# No bridge anywhere: the first test of the file that may run with none.
	for b in /sys/class/net/*/bridge; do [ -d "$b" ] && b=${b%/bridge} && ip link del "${b##*/}"; done
	guest_ns; g=$G
	mk_vif vif$d.0 "$g"
	be_vif $d 0
	hp sh vif-bridge online
	check_rc "no bridge at all: exit 1" 1
	check_out "no bridge at all: 'Could not find bridge, and none was specified'" "Could not find bridge, and none was specified"
	xs_is "no bridge at all: hotplug-status error" "$BE/hotplug-status" error
	xs_is "no bridge at all: hotplug-error" "$BE/hotplug-error" "Could not find bridge, and none was specified"

	xsw "$BE/bridge" nosuch
	hp bash vif-bridge online
	check_rc "missing bridge: exit 1" 1
	xs_is "missing bridge: 'Could not find bridge device nosuch'" "$BE/hotplug-error" "Could not find bridge device nosuch"

	ip link add brb type bridge
	ip link add bra type bridge
	be_vif $d 0
	hp busybox vif-bridge online
	check_rc "first bridge (busybox): exit 0" 0
	check "first bridge (busybox): joined bra (first by name)" port_of bra vif$d.0
	xs_is "first bridge (busybox): hotplug-status connected (stale error gone)" "$BE/hotplug-status" connected
	xs_absent "first bridge (busybox): no hotplug-error left" "$BE/hotplug-error"
	hp sh vif-bridge offline

	be_vif $d 0
	hp sh vif-bridge online bridge=brb
	check "bridge= argument: joined brb" port_of brb vif$d.0
	hp sh vif-bridge offline bridge=brb
	check_not "bridge= argument: offline left brb" port_of brb vif$d.0

	be_vif $d 0 "bridge" bra
	bridge=brb hp sh vif-bridge online
	check "BE/bridge wins over bridge= in the environment" port_of bra vif$d.0
	hp sh vif-bridge offline

	ip link add eth7 type bridge
	be_vif $d 0 "bridge" xenbr7
	hp busybox vif-bridge online
	check_rc "xenbr7 -> eth7 (busybox): exit 0" 0
	check "xenbr7 -> eth7 (busybox): joined eth7" port_of eth7 vif$d.0
	hp busybox vif-bridge offline
	ip link del eth7

	ip link add brnot type veth peer name brnotp
	be_vif $d 0 "bridge" brnot
	hp sh vif-bridge online
	check_rc "bridge that is no bridge: exit 1" 1
	check_out "bridge that is no bridge: says so" "brnot is not a bridge"

	# vifname: renamed at online, found again at offline
	be_vif $d 0 "bridge" bra "vifname" web0
	hp sh vif-bridge online
	check_rc "vifname: exit 0" 0
	check "vifname: vif$d.0 renamed web0, in the bridge" port_of bra web0
	check_not "vifname: no vif$d.0 left" test -e /sys/class/net/vif$d.0
	hp sh vif-bridge online
	check_rc "vifname: online again finds web0" 0
	hp sh vif-bridge offline
	check_not "vifname: offline releases web0" port_of bra web0
	ip link set web0 name vif$d.0

	ip link add taken0 type veth peer name taken0p
	be_vif $d 0 "bridge" bra "vifname" taken0
	hp bash vif-bridge online
	check_rc "vifname taken: exit 1" 1
	xs_is "vifname taken: the error" "$BE/hotplug-error" "Cannot rename interface vif$d.0. An interface with name taken0 already exists."
	check "vifname taken: vif$d.0 keeps its name" test -e /sys/class/net/vif$d.0
	ip link add brt type bridge
	ip link set taken0 master brt
	ip link set vif$d.0 master bra
	hp sh vif-bridge offline
	check_rc "vifname taken, offline: exit 0" 0
	check_not "vifname taken, offline: vif$d.0 (never renamed) released" port_of bra vif$d.0
	check "vifname taken, offline: the other taken0 left alone" port_of brt taken0

	be_vif $d 0 "bridge" bra
	hp sh vif-bridge bogus
	check_rc "invalid command: exit 1" 1
	xs_is "invalid command: hotplug-status error" "$BE/hotplug-status" error
	check_out "invalid command: says which" "invalid command 'bogus'"

	be_vif 99 0 "bridge" bra
	hp sh vif-bridge online
	check_rc "vif that does not exist: exit 1" 1
	xs_is "vif that does not exist: the error" "$BE/hotplug-error" "Interface vif99.0 does not exist."

	unset XENBUS_PATH
	hp sh vif-bridge online
	check_rc "no XENBUS_PATH: exit 1" 1
	check_out "no XENBUS_PATH: says so" "XENBUS_PATH is not set"
}

# vif-route: the vif borrows dom0's address as /32, proxy ARP, a host
# route per guest address; offline removes all that.
test_vif_route() {
	local fl d=30 g
	ip link del eth0 2>/dev/null
	guest_ns; g=$G
	mk_vif vif$d.0 "$g"
	be_vif $d 0 "ip" 192.168.70.77
	hp sh vif-route online
	check_rc "vif-route without eth0: exit 1" 1
	xs_is "vif-route without eth0: the classic message" "$BE/hotplug-error" \
		"eth0 is not up. Bring it up or specify another interface with netdev=<if> as an argument to vif-route."

	ip link add ethr type veth peer name ethrp
	ip addr add 192.168.70.2/24 dev ethr
	ip link set ethr up
	ip link set ethrp up
	for fl in sh busybox; do
		d=$((d + 1))
		guest_ns; g=$G
		mk_vif vif$d.0 "$g"
		gx "$g" ip addr add 192.168.70.$((70 + d))/32 dev gvif$d.0
		gx "$g" ip route add 192.168.70.2 dev gvif$d.0
		be_vif $d 0 "ip" "192.168.70.$((70 + d)) 10.44.$d.0/24"
		netdev=ethr hp $fl vif-route online
		check_rc "vif-route online ($fl): exit 0" 0
		xs_is "vif-route online ($fl): connected" "$BE/hotplug-status" connected
		check "vif-route online ($fl): vif has dom0's address /32" has_addr vif$d.0 192.168.70.2/32
		check_eq "vif-route online ($fl): proxy_arp on the vif" 1 "$(cat /proc/sys/net/ipv4/conf/vif$d.0/proxy_arp)"
		check "vif-route online ($fl): host route to the guest" has_route "^192\.168\.70\.$((70 + d)) dev vif$d\.0 .*src 192\.168\.70\.2"
		check "vif-route online ($fl): route for the second address" has_route "^10\.44\.$d\.0/24 dev vif$d\.0 .*src 192\.168\.70\.2"
		check "vif-route online ($fl): the guest pings dom0" gping "$g" 192.168.70.2
		netdev=ethr hp $fl vif-route online
		check_rc "vif-route online again ($fl): exit 0" 0
		netdev=ethr hp $fl vif-route offline
		check_rc "vif-route offline ($fl): exit 0" 0
		check_not "vif-route offline ($fl): host route gone" has_route "^192\.168\.70\.$((70 + d)) "
		check_not "vif-route offline ($fl): address gone" has_addr vif$d.0 192.168.70.2/32
		check_not "vif-route offline ($fl): vif down" link_up vif$d.0
	done
}

# vif-nat: 10.D/256.D%256.(devid+1), router +127, host route, proxy ARP;
# dhcpd files edited only when a dhcpd config exists.
test_vif_nat() {
	local g d=3 conf=/etc/dhcp/dhcpd.conf args=/etc/default/isc-dhcp-server init=/etc/init.d/isc-dhcp-server
	guest_ns; g=$G
	mk_vif vif$d.0 "$g"
	gx "$g" ip addr add 10.0.3.1/16 dev gvif$d.0
	be_vif $d 0
	hp sh vif-nat online
	check_rc "vif-nat online: exit 0" 0
	xs_is "vif-nat online: connected" "$BE/hotplug-status" connected
	check "vif-nat: router address 10.0.3.128 on the vif" has_addr vif$d.0 10.0.3.128/32
	check "vif-nat: host route to 10.0.3.1 from 10.0.3.128" has_route "^10\.0\.3\.1 dev vif3\.0 .*src 10\.0\.3\.128"
	check_eq "vif-nat: proxy_arp" 1 "$(cat /proc/sys/net/ipv4/conf/vif$d.0/proxy_arp)"
	check "vif-nat: the guest pings its router" gping "$g" 10.0.3.128
	check_not "vif-nat: no dhcpd config, none written" test -e $conf
	hp sh vif-nat offline
	check_rc "vif-nat offline: exit 0" 0
	check_not "vif-nat offline: route gone" has_route "^10\.0\.3\.1 "
	check_not "vif-nat offline: address gone" has_addr vif$d.0 10.0.3.128/32

	# domid 300 = 1*256 + 44, devid 1: guest 10.1.44.2, router 10.1.44.129
	mkdir -p /etc/dhcp /etc/default /etc/init.d
	printf 'option domain-name "example";\n' >$conf
	printf 'INTERFACESv4="eth0"\nINTERFACESv6=""\n' >$args
	printf '#!/bin/sh\necho "$@" >>%s\n' "$tmp/dhcpd-init.log" >$init
	chmod +x $init
	d=300
	guest_ns; g=$G
	mk_vif vif$d.1 "$g"
	be_vif $d 1
	xsw /local/domain/$d/name "web_1.x"
	hp busybox vif-nat online
	check_rc "vif-nat dom 300 vif 1 (busybox): exit 0" 0
	check "vif-nat dom 300 vif 1: router 10.1.44.129" has_addr vif$d.1 10.1.44.129/32
	check "vif-nat dom 300 vif 1: route to 10.1.44.2" has_route "^10\.1\.44\.2 dev vif300\.1 "
	check "vif-nat dhcpd: host entry" grep -qF \
		'host web-1-x-2 { hardware ethernet 00:16:3e:00:2c:01; fixed-address 10.1.44.2; option routers 10.1.44.129; option host-name "web-1-x-2"; }' $conf
	check "vif-nat dhcpd: the rest of the config kept" grep -q '^option domain-name "example";' $conf
	check_eq "vif-nat dhcpd: vif added to INTERFACESv4" 'INTERFACESv4="eth0 vif300.1"' "$(grep ^INTERFACESv4= $args)"
	check_eq "vif-nat dhcpd: dhcpd restarted" restart "$(tail -1 "$tmp/dhcpd-init.log" 2>/dev/null)"
	hp busybox vif-nat online
	check_eq "vif-nat dhcpd: online twice, one entry" 1 "$(grep -c 'fixed-address 10.1.44.2;' $conf)"
	hp busybox vif-nat offline
	check_rc "vif-nat offline (busybox): exit 0" 0
	check_not "vif-nat dhcpd: entry removed" grep -q 'fixed-address 10.1.44.2;' $conf
	check_eq "vif-nat dhcpd: vif removed from INTERFACESv4" 'INTERFACESv4="eth0"' "$(grep ^INTERFACESv4= $args)"

	be_vif $d 1 "ip" 10.5.0.200
	hp sh vif-nat online dhcp=no
	check_rc "vif-nat: guest address whose router would pass .255: exit 1" 1
	check_out "vif-nat: says why" "cannot derive the router address"
	rm -f $conf $args $init
}
