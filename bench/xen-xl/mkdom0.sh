#!/usr/bin/env bash
# mkdom0.sh PKGROOT KERNEL-DIR OUT - the dom0 initramfs of the `xl create`
# benchmark on Debian's Xen 4.17.
#
#   PKGROOT     Debian's Xen packages extracted (bench/xen-xl/fetch-xen.sh)
#   KERNEL-DIR  the dom0 kernel's tree (tools/images/fetch-kernel.sh amd64:
#               build/cache/kernel-amd64) for the Xen modules
#   OUT         .cpio.gz to write (tools/images/mkinitramfs.sh)
#
# The image is tools/images/mkinitramfs.sh's busybox initramfs, /init body
# bench/xen-xl/dom0-body.sh, plus from PKGROOT, in Debian's layout:
# /usr/lib/xen-4.17/bin/{xl,xenconsoled,xenconsole,xenstored,oxenstored,
# xen-init-dom0,libxl-save-helper}, /usr/bin/xenstore-{read,ls},
# /etc/xen/{xl.conf,oxenstored.conf}, the dynamic loader and every shared
# library those binaries need.  The libraries are found by following the
# ELF DT_NEEDED entries (readelf) through PKGROOT's library directories,
# not the host's, so the image holds Debian's Xen runtime and nothing of
# the build machine; a library PKGROOT lacks stops the build.
# libgcc_s.so.1 is added by hand: glibc dlopen()s it (thread cancellation,
# unwinding), which no DT_NEEDED shows.
# Environment, for another benchmark's dom0 (unset: the image above):
#   MKDOM0_EXTRA    "PKGPATH[:IMAGEPATH] ..." more files from PKGROOT (a
#                   directory: its files), their libraries found as above
#   MKDOM0_MODULES  more kernel modules (after the Xen ones)
#   MKDOM0_NAME     the initramfs name (xlbench-dom0)
set -euo pipefail
export LC_ALL=C

[ $# -eq 3 ] || { echo "usage: $0 PKGROOT KERNEL-DIR OUT" >&2; exit 2; }
PKG=$1 KDIR=$2 OUT=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
XEN_BINS="xl xenconsoled xenconsole xenstored oxenstored xen-init-dom0 libxl-save-helper"
# the Xen device drivers dom0 needs for xl (no backends: no disks, no vifs)
DOM0_MODULES="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc${MKDOM0_MODULES:+ $MKDOM0_MODULES}"
LIBDIRS="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib"

log() { echo "mkdom0: $*" >&2; }
die() { log "error: $*"; exit 1; }
command -v readelf >/dev/null || die "readelf not found (Debian package binutils)"
[ -d "$PKG/usr/lib/xen-4.17/bin" ] || die "$PKG: no usr/lib/xen-4.17/bin (run fetch-xen.sh)"

OV=$(mktemp -d "${TMPDIR:-/tmp}/xlbench-dom0.XXXXXX")
trap 'rm -rf "$OV"' EXIT

put() { # path-in-PKGROOT [path-in-image]: copy the file (symlinks followed)
    local src=$PKG/$1 dst=$OV/${2:-$1}
    [ -e "$src" ] || die "$1 is not in $PKG"
    mkdir -p "$(dirname "$dst")"
    cp -L "$src" "$dst"
}
for b in $XEN_BINS; do put "usr/lib/xen-4.17/bin/$b"; done
for b in xenstore-read xenstore-ls; do put "usr/bin/$b"; done
for f in xl.conf oxenstored.conf; do put "etc/xen/$f"; done
for e in ${MKDOM0_EXTRA:-}; do
    src=${e%%:*} dst=${e#*:}
    [ "$dst" != "$e" ] || dst=$src
    if [ -d "$PKG/$src" ]; then
        for f in "$PKG/$src"/*; do put "$src/${f##*/}" "$dst/${f##*/}"; done
    else
        put "$src" "$dst"
    fi
done

# the dynamic loader at the path the binaries name (PT_INTERP)
interp=$(readelf -l "$PKG/usr/lib/xen-4.17/bin/xl" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$interp" ] || die "xl has no program interpreter"
put "${interp#/}"

find_lib() { # soname -> path in PKGROOT ("" when absent)
    local d
    for d in $LIBDIRS; do
        [ -e "$PKG/$d/$1" ] && { echo "$d/$1"; return 0; }
    done
    return 0
}
# breadth-first over DT_NEEDED of everything in the overlay
declare -A HAVE=()
gcc_s=$(find_lib libgcc_s.so.1)
[ -n "$gcc_s" ] || die "no libgcc_s.so.1 in $PKG (package libgcc-s1)"
put "$gcc_s"
HAVE[libgcc_s.so.1]=$gcc_s
queue=()
while IFS= read -r f; do queue+=("$f"); done < <(cd "$OV" && find . -type f | sed 's|^\./||' | sort)
while [ ${#queue[@]} -gt 0 ]; do
    f=${queue[0]}; queue=("${queue[@]:1}")
    readelf -h "$OV/$f" >/dev/null 2>&1 || continue   # not ELF (configs)
    for so in $(readelf -d "$OV/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -z "${HAVE[$so]:-}" ] || continue
        p=$(find_lib "$so")
        [ -n "$p" ] || die "$f needs $so, which no extracted package has ($LIBDIRS)"
        HAVE[$so]=$p
        put "$p"
        queue+=("$p")
    done
done
log "${#HAVE[@]} shared libraries: ${!HAVE[*]}"

"$ROOT/tools/images/mkinitramfs.sh" --kernel-dir "$KDIR" --name "${MKDOM0_NAME:-xlbench-dom0}" \
    --modules "$DOM0_MODULES" --init "$HERE/dom0-body.sh" --add "$OV:/" -o "$OUT"
