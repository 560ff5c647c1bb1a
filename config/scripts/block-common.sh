# shellcheck shell=dash
# block-common.sh: helpers of the block script (and of block-X scripts).
#
#   canonicalise_mode MODE    r, w or ! (w! = write, sharing allowed)
#   expand_dev PATH           PATH, or /dev/PATH for a bare name (phy:sda1)
#   device_major_minor DEV    "MAJOR:MINOR" of block device DEV in lowercase
#                             hex: the form blkback parses ("%x:%x") from
#                             BE/physical-device
#   same_mm A B               two MAJOR:MINOR strings name the same device
#   file_id FILE              "DEV:INODE" of FILE (what identifies a file
#                             whatever path or hard link names it)
#   mounted_in_dom0 MM MODE   true when device MM is mounted here in a way
#                             that conflicts with MODE (w: any mount; r: a
#                             read-write mount)
#   used_by_guest MM MODE     prints the first other vbd backend whose
#                             physical-device is MM and that conflicts with
#                             MODE (w: any use; r: a w use), unless that
#                             backend's frontend is the same VM as ours
#   loops_of_file FILE        prints each loop device bound to FILE's inode
#   write_dev DEV [NODE]      physical-device (+ -path, node) for blkback

canonicalise_mode() {
	case $1 in
	'w!' | '!') echo '!' ;;
	w | rw | wr) echo w ;;
	r | ro) echo r ;;
	*) fatal "Invalid mode '$1' (expected r, w or w!)" ;;
	esac
}

expand_dev() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "/dev/$1" ;;
	esac
}

device_major_minor() {
	stat -L -c '%t:%T' "$1"
}

_mm_norm() {
	# hex "07:00", "7:0", "0x7:0x0" -> "7:0"
	echo "$1" | tr 'A-F' 'a-f' | awk -F: '
	function strip(s) { sub(/^0x/, "", s); sub(/^0+/, "", s); return s == "" ? "0" : s }
	NF == 2 { print strip($1) ":" strip($2) }'
}

same_mm() {
	[ -n "$1" ] && [ -n "$2" ] && [ "$(_mm_norm "$1")" = "$(_mm_norm "$2")" ]
}

file_id() {
	stat -L -c '%d:%i' "$1" 2>/dev/null
}

mounted_in_dom0() {
	local mm="$1" mode="$2" src opts rest
	while read -r src _ _ opts rest; do
		case $src in /*) ;; *) continue ;; esac
		[ -b "$src" ] || continue
		if [ "$mode" = r ]; then
			case ",$opts," in *,ro,*) continue ;; esac
		fi
		same_mm "$(device_major_minor "$src")" "$mm" && return 0
	done </proc/mounts
	return 1
}

_vm_of_domain() {
	xenstore-read "/local/domain/$1/vm" 2>/dev/null || true
}

used_by_guest() {
	local mm="$1" mode="$2"
	local base="${XENBUS_BASE_PATH:-backend}/${XENBUS_TYPE:-vbd}"
	local mydom mine myvm dom dev be theirs m
	mine=${XENBUS_PATH%/}
	mydom=$(xenstore-read "$mine/frontend-id" 2>/dev/null) || mydom=
	myvm=$(_vm_of_domain "$mydom")
	for dom in $(xenstore-list "$base" 2>/dev/null); do
		for dev in $(xenstore-list "$base/$dom" 2>/dev/null); do
			be=$base/$dom/$dev
			[ "$be" != "$mine" ] || continue
			theirs=$(xenstore-read "$be/physical-device" 2>/dev/null) || continue
			same_mm "$theirs" "$mm" || continue
			if [ "$mode" = r ]; then
				m=$(xenstore-read "$be/mode" 2>/dev/null) || m=r
				case $m in *w*) ;; *) continue ;; esac
			fi
			# The same guest may use a device twice (and a VM being
			# re-created or migrated locally shows up under two domids).
			[ "$dom" != "$mydom" ] || continue
			[ -z "$myvm" ] || [ "$(_vm_of_domain "$dom")" != "$myvm" ] || continue
			echo "$be"
			return 0
		done
	done
	return 1
}

loops_of_file() {
	local id="$1" b f
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] || continue
		f=$(cat "$b" 2>/dev/null) || continue
		f=${f% (deleted)}
		[ "$(file_id "$f")" = "$id" ] || continue
		b=${b%/loop/backing_file}
		echo "/dev/${b##*/}"
	done
}

write_dev() {
	local dev="$1" node="${2:-}" mm
	mm=$(device_major_minor "$dev") || fatal "cannot stat $dev"
	mm=$(_mm_norm "$mm")
	if [ -n "$node" ]; then
		xenstore_write "$XENBUS_PATH/node" "$node"
	fi
	# physical-device last: blkback opens the device when it appears.
	xenstore_write "$XENBUS_PATH/physical-device-path" "$dev"
	xenstore_write "$XENBUS_PATH/physical-device" "$mm"
}
