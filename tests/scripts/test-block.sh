# shellcheck shell=bash disable=SC2154  # tmp, out, bin, lib, SDIR: set by run.sh
# test-block.sh: the block script (see run.sh).

img() {
	# img NAME [MiB]: a sparse image under $tmp
	truncate -s "${2:-8}M" "$tmp/$1"
	echo "$tmp/$1"
}
hexmm() { printf '%x:%x' "$((0x$(stat -c %t "$1")))" "$((0x$(stat -c %T "$1")))"; }
loops_of() {
	# loops_of FILE: the loop devices bound to FILE's inode
	local id b f n=
	id=$(stat -L -c %d:%i "$1")
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] || continue
		f=$(cat "$b")
		[ "$(stat -L -c %d:%i "$f" 2>/dev/null)" = "$id" ] || continue
		b=${b%/loop/backing_file}
		n="$n /dev/${b##*/}"
	done
	echo "${n# }"
}
backing_of() { cat "/sys/block/${1##*/}/loop/backing_file" 2>/dev/null; }
# a loop device with a minor >= 10, so that its number needs hex letters
high_loop() {
	local n
	for n in $(seq 26 60); do
		[ -e "/sys/block/loop$n/loop/backing_file" ] && continue
		losetup "/dev/loop$n" "$1" 2>/dev/null && { echo "/dev/loop$n"; return 0; }
	done
	return 1
}

test_block_file() {
	xenstore-rm /local/domain/0/backend/vbd 2>/dev/null
	local fl d=100 f node
	for fl in sh bash busybox; do
		d=$((d + 1))
		f=$(img "disk$d.img")
		be_vbd $d 51712 file "$f" w
		hp $fl block add
		check_rc "block add file w ($fl): exit 0" 0
		xs_is "block add file w ($fl): connected" "$BE/hotplug-status" connected
		node=$(xsr "$BE/node")
		check_eq "block add file w ($fl): node is the loop bound to the file" "$(loops_of "$f")" "$node"
		check_eq "block add file w ($fl): physical-device = MAJOR:MINOR in hex" "$(hexmm "$node")" "$(xsr "$BE/physical-device")"
		xs_is "block add file w ($fl): physical-device-path" "$BE/physical-device-path" "$node"
		check_eq "block add file w ($fl): loop writable" 0 "$(cat "/sys/block/${node##*/}/ro")"
		hp $fl block add
		check_rc "block add again ($fl): exit 0" 0
		check_eq "block add again ($fl): still one loop" "$node" "$(loops_of "$f")"
		hp $fl block remove
		check_rc "block remove ($fl): exit 0" 0
		check_eq "block remove ($fl): loop released" "" "$(loops_of "$f")"
		hp $fl block remove
		check_rc "block remove again ($fl): exit 0" 0
		xenstore-rm "$BE"

		be_vbd $d 51728 file "$f" r
		hp $fl block add
		node=$(xsr "$BE/node")
		check_eq "block add file r ($fl): read-only loop" 1 "$(cat "/sys/block/${node##*/}/ro" 2>/dev/null)"
		hp $fl block remove
		check_eq "block remove r ($fl): released" "" "$(loops_of "$f")"
		xenstore-rm "$BE"
	done

	# a file that is read-only
	d=110
	f=$(img ro.img)
	chmod 0444 "$f"
	be_vbd $d 51712 file "$f" w
	hp sh block add
	check_rc "read-only file, mode w: exit 1" 1
	xs_is "read-only file, mode w: hotplug-status busy" "$BE/hotplug-status" busy
	xs_is "read-only file, mode w: the classic message" "$BE/hotplug-error" \
		"File $f is read-only, and so I will not mount it read-write in a guest domain."
	check_eq "read-only file, mode w: no loop" "" "$(loops_of "$f")"
	be_vbd $d 51712 file "$f" r
	hp busybox block add
	check_rc "read-only file, mode r (busybox): exit 0" 0
	hp busybox block remove
	xenstore-rm "$BE"

	# a remove must not release a loop that is not (any more) this file's
	f=$(img other.img)
	node=$(losetup -f --show "$f")
	be_vbd $d 51760 file "$tmp/disk101.img" w "node" "$node" "physical-device" "$(hexmm "$node")"
	hp sh block remove
	check_eq "block remove: a loop bound to another file is left alone" "$f" "$(backing_of "$node")"
	losetup -d "$node"
	xenstore-rm "$BE"

	# the disk type other than phy/file: block-TYPE
	mkdir -p "$tmp/scripts"
	cp "$SDIR"/* "$tmp/scripts/"
	printf '#!/bin/sh\necho "$@" >%s\n' "$tmp/block-foo.args" >"$tmp/scripts/block-foo"
	chmod +x "$tmp/scripts/block-foo"
	be_vbd $d 51776 foo "some:target" w
	SCRIPTS=$tmp/scripts hp sh block add
	check_eq "type foo: block-foo run with the same arguments" add "$(cat "$tmp/block-foo.args" 2>/dev/null)"
	be_vbd $d 51776 bar "some:target" w
	SCRIPTS=$tmp/scripts hp sh block add
	check_rc "type bar without block-bar: exit 1" 1
	xs_is "type bar without block-bar: the error" "$BE/hotplug-error" "Unsupported disk type 'bar': no script $tmp/scripts/block-bar"
}

test_block_sharing() {
	xenstore-rm /local/domain/0/backend/vbd 2>/dev/null
	local f a2 n1 n2
	f=$(img shared.img)
	a2=$tmp/shared-link.img
	ln "$f" "$a2"
	be_vbd 121 51712 file "$f" w
	hp sh block add
	n1=$(xsr "$BE/node")
	check_rc "sharing: first guest, w: exit 0" 0
	be_vbd 122 51712 file "$a2" r
	hp sh block add
	check_rc "sharing: second guest, r, through a hard link: exit 1" 1
	xs_is "sharing: hotplug-status busy" "$BE/hotplug-status" busy
	xs_is "sharing: the message names the loop" "$BE/hotplug-error" \
		"File $a2 is loopback-mounted through $n1, which is mounted in a guest domain (backend/vbd/121/51712), and so cannot be mounted now."
	be_vbd 122 51712 file "$a2" 'w!'
	hp bash block add
	check_rc "sharing: w! allows it: exit 0" 0
	n2=$(xsr "$BE/node")
	check "sharing: w! got its own loop" test -n "$n2" -a "$n2" != "$n1"
	hp bash block remove
	xenstore-rm "$BE"
	use_dev vbd 121 51712
	hp sh block remove
	xenstore-rm "$BE"
	xenstore-rm /local/domain/0/backend/vbd/122

	# r and r share
	be_vbd 123 51712 file "$f" r
	hp sh block add
	check_rc "sharing r+r: first: exit 0" 0
	be_vbd 124 51712 file "$f" r
	hp busybox block add
	check_rc "sharing r+r: second (busybox): exit 0" 0
	be_vbd 125 51712 file "$f" w
	hp sh block add
	check_rc "sharing r+r then w: exit 1" 1
	xs_is "sharing r+r then w: busy" "$BE/hotplug-status" busy
	for d in 123 124; do use_dev vbd $d 51712; hp sh block remove; xenstore-rm "$BE"; done
	xenstore-rm /local/domain/0/backend/vbd/125
	check_eq "sharing: every loop released" "" "$(loops_of "$f")"
}

test_block_phy() {
	xenstore-rm /local/domain/0/backend/vbd 2>/dev/null
	local f loop mm d=130 ff mloop
	f=$(img phy.img)
	if ! loop=$(high_loop "$f"); then bad "phy: a loop device with minor >= 10"; return; fi
	mm=$(hexmm "$loop")
	case $mm in *:[a-f]* | *:*[a-f]) ok "phy: test device $loop is $mm (hex letters)" ;; *) bad "phy: $loop is $mm" ;; esac
	be_vbd $d 51712 phy "$loop" w
	hp sh block add
	check_rc "phy add: exit 0" 0
	xs_is "phy add: connected" "$BE/hotplug-status" connected
	xs_is "phy add: physical-device in lowercase hex" "$BE/physical-device" "$mm"
	xs_is "phy add: physical-device-path" "$BE/physical-device-path" "$loop"
	xs_absent "phy add: no node" "$BE/node"
	hp sh block remove
	check_eq "phy remove: the device is untouched" "$f" "$(backing_of "$loop")"
	xenstore-rm "$BE"

	be_vbd $((d + 1)) 51712 phy "${loop#/dev/}" w
	hp busybox block add
	check_rc "phy add bare name (busybox): exit 0" 0
	xs_is "phy add bare name: /dev/ prefixed" "$BE/physical-device-path" "$loop"
	be_vbd $((d + 1)) 51728 phy "$loop" w
	hp sh block add
	check_rc "phy: same guest twice: exit 0 (a domain may use its device twice)" 0

	# another guest has it w
	be_vbd $((d + 2)) 51712 phy "$loop" r
	hp sh block add
	check_rc "phy shared with a guest using it w: exit 1" 1
	xs_is "phy shared: busy" "$BE/hotplug-status" busy
	check_out "phy shared: names the other backend" "in use by a guest domain \(backend/vbd/$((d + 1))/51712\)"
	xsw "/local/domain/0/backend/vbd/$((d + 1))/51712/mode" r "/local/domain/0/backend/vbd/$((d + 1))/51728/mode" r
	hp sh block add
	check_rc "phy shared r+r: exit 0" 0
	be_vbd $((d + 3)) 51712 phy "$loop" 'w!'
	hp sh block add
	check_rc "phy w! despite the sharing: exit 0" 0
	for d2 in $((d + 1)) $((d + 2)) $((d + 3)); do xenstore-rm "/local/domain/0/backend/vbd/$d2"; done

	# file: naming a block device is handled as phy
	be_vbd $((d + 4)) 51712 file "$loop" r
	hp sh block add
	check_rc "file: on a block device: exit 0" 0
	xs_is "file: on a block device: its own number" "$BE/physical-device" "$mm"
	xs_absent "file: on a block device: no new loop" "$BE/node"
	xenstore-rm "/local/domain/0/backend/vbd/$((d + 4))"

	# mounted in dom0
	ff=$(img fs.img 8)
	mke2fs -q -F -t ext2 "$ff" >/dev/null 2>&1
	mloop=$(losetup -f --show "$ff")
	mount -t ext2 "$mloop" "$tmp/mnt"
	be_vbd $((d + 5)) 51712 phy "$mloop" w
	hp sh block add
	check_rc "phy mounted in dom0: exit 1" 1
	xs_is "phy mounted in dom0: busy, the message" "$BE/hotplug-error" \
		"Device $mloop is mounted in the privileged domain, and so cannot be mounted by a guest."
	xsw "$BE/mode" r
	hp sh block add
	check_rc "phy mounted rw in dom0, mode r: exit 1" 1
	xsw "$BE/mode" 'w!'
	hp sh block add
	check_rc "phy mounted in dom0, w!: exit 0" 0
	xenstore-rm "$BE"
	# the file behind a loop that is mounted
	be_vbd $((d + 6)) 51712 file "$ff" w
	hp busybox block add
	check_rc "file looped and mounted in dom0 (busybox): exit 1" 1
	xs_is "file looped and mounted in dom0: the message" "$BE/hotplug-error" \
		"File $ff is loopback-mounted through $mloop, which is mounted in the privileged domain, and so cannot be mounted by a guest."
	umount "$tmp/mnt"
	mount -o ro -t ext2 "$mloop" "$tmp/mnt"
	be_vbd $((d + 7)) 51712 phy "$mloop" r
	hp sh block add
	check_rc "phy mounted read-only in dom0, mode r: exit 0" 0
	umount "$tmp/mnt"
	losetup -d "$mloop"
	losetup -d "$loop"
}

test_block_errors() {
	xenstore-rm /local/domain/0/backend/vbd 2>/dev/null
	local d=140
	be_vbd $d 51712 file "$tmp/nonexistent.img" w
	hp sh block add
	check_rc "missing file: exit 1" 1
	xs_is "missing file: the error" "$BE/hotplug-error" "File $tmp/nonexistent.img does not exist."
	xs_is "missing file: hotplug-status error" "$BE/hotplug-status" error
	be_vbd $d 51712 phy /dev/nonexistent w
	hp busybox block add
	check_rc "missing device (busybox): exit 1" 1
	xs_is "missing device: the error" "$BE/hotplug-error" "Device /dev/nonexistent does not exist."
	be_vbd $d 51712 phy "$tmp" w
	hp sh block add
	xs_is "phy on a directory: the error" "$BE/hotplug-error" "Device $tmp is not a block device."
	be_vbd $d 51712 file "$tmp" w
	hp sh block add
	xs_is "file on a directory: the error" "$BE/hotplug-error" "File $tmp is not a regular file."
	be_vbd $d 51712 file "$(img state.img)" w "state" 5
	hp sh block add
	check_rc "backend closing (state 5): exit 1" 1
	check_out "backend closing: says so" "Path closed or removed during hotplug add"
	check_eq "backend closing: no loop" "" "$(loops_of "$tmp/state.img")"
	be_vbd $d 51712 file "$tmp/state.img" rw-ish
	hp sh block add
	check_rc "bad mode: exit 1" 1
	check_out "bad mode: says so" "Invalid mode 'rw-ish'"
	xsw "$BE/mode" w
	xenstore-rm "$BE/params"
	hp sh block add
	check_rc "no params: exit 1" 1
	xs_is "no params: hotplug-status error" "$BE/hotplug-status" error
	xs_is "no params: says which node" "$BE/hotplug-error" "xenstore-read backend/vbd/$d/51712/params failed (missing or empty)."
	xsw "$BE/params" "$tmp/state.img"
	xenstore-rm "$BE/mode"
	hp sh block add
	xs_is "no mode: says which node" "$BE/hotplug-error" "xenstore-read backend/vbd/$d/51712/mode failed (missing or empty)."
}
