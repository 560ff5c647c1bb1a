#!/usr/bin/env bash
# fetch-kernel.sh FLAVOUR - fetch the current Debian kernel of a flavour and
# extract it into the build cache; print the path of its vmlinuz on stdout.
#
#   FLAVOUR   metapackage                 cache directory
#   amd64     linux-image-amd64           $CACHE/kernel-amd64/
#   6.12      linux-image-6.12-amd64      $CACHE/kernel-6.12/
#   cloud     linux-image-cloud-amd64     $CACHE/kernel-cloud/
#
# The kernel package (linux-image-6.1.0-N-amd64 ...) is never pinned: it is
# resolved through the metapackage with apt-cache each run (a local, fast
# operation).  The .deb is kept in $CACHE/debs/ and extracted with dpkg-deb -x
# into $CACHE/kernel-FLAVOUR/:
#   boot/vmlinuz-KVER boot/config-KVER  lib/modules/KVER/...   (from the .deb)
#   vmlinuz            hard link to boot/vmlinuz-KVER
#   kver               KVER (the `uname -r` of the kernel)
#   .stamp             "package=version" of the extracted .deb
#   .resolved          touched when apt-cache last resolved to .stamp
# A second run with the same resolved package only checks the stamp; while
# the apt lists are older than .resolved it does not even ask apt-cache.  When
# the apt lists do not know the metapackage, or the download fails (lists
# older than the archive), `apt-get update` is run (root only) and the
# resolution retried.  Without a working apt (offline, no lists) the cached
# kernel is used as it is.
#
# Environment:
#   BUILD=build                   build directory (cache in $BUILD/cache)
#   XENO_CACHE=$BUILD/cache       cache directory
#   XENO_KERNEL_RESOLVE=1         0: use the cached kernel without asking apt
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 amd64|6.12|cloud" >&2; exit 2; }
[ $# -eq 1 ] || usage
FLAVOUR=$1
case "$FLAVOUR" in
    amd64) META=linux-image-amd64 ;;
    6.12)  META=linux-image-6.12-amd64 ;;
    cloud) META=linux-image-cloud-amd64 ;;
    *) usage ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
CACHE=${XENO_CACHE:-${BUILD:-build}/cache}
DEBS=$CACHE/debs
KDIR=$CACHE/kernel-$FLAVOUR
STAMP=$KDIR/.stamp
APTLOG=$CACHE/apt-$FLAVOUR.log

log() { echo "fetch-kernel[$FLAVOUR]: $*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$DEBS"
# _apt (the download sandbox user) must be able to write here when run as root
chmod 755 "$CACHE" "$DEBS" 2>/dev/null || true

cached_ok() { [ -f "$STAMP" ] && [ -f "$KDIR/vmlinuz" ] && [ -f "$KDIR/kver" ] && [ -d "$KDIR/lib/modules/$(cat "$KDIR/kver")" ]; }
done_print() { echo "$(cd "$KDIR" && pwd)/vmlinuz"; exit 0; }

# resolve META -> "package=version" (empty on failure); quick, local only
resolve() {
    local pkg ver
    pkg=$(timeout 20 apt-cache depends --important "$META" 2>/dev/null |
          awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }') || return 0
    [ -n "$pkg" ] || return 0
    ver=$(timeout 20 apt-cache policy "$pkg" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }') || return 0
    case "$ver" in ""|"(none)") return 0 ;; esac
    echo "$pkg=$ver"
}

apt_update() {
    if [ "$(id -u)" -ne 0 ]; then
        log "apt lists are missing or stale and we are not root; run: apt-get update"
        return 1
    fi
    log "apt-get update"
    timeout 300 apt-get update -q >>"$APTLOG" 2>&1 || { log "apt-get update failed (see $APTLOG)"; return 1; }
}

# path of the cached .deb for package=version ("" when absent)
deb_path() {
    local pkg=${1%%=*} ver=${1#*=} f
    f="$DEBS/${pkg}_${ver//:/%3a}_amd64.deb"
    if [ -f "$f" ] && [ "$(dpkg-deb -f "$f" Package 2>/dev/null)" = "$pkg" ] &&
       [ "$(dpkg-deb -f "$f" Version 2>/dev/null)" = "$ver" ]; then
        echo "$f"
    fi
}

download() { # package=version
    local tmp
    tmp=$(mktemp -d "$DEBS/.dl.XXXXXX")
    chmod 755 "$tmp"
    log "downloading $1"
    if (cd "$tmp" && timeout 600 apt-get download -q "$1") >>"$APTLOG" 2>&1; then
        mv "$tmp"/*.deb "$DEBS/" && rmdir "$tmp"
        return 0
    fi
    rm -rf "$tmp"
    return 1
}

# The resolution can only change when the apt lists (or sources) change:
# skip apt-cache (~1-2 s) when nothing there changed since the last one.
# ctime, not mtime: apt gives list files the server's modification time.
lists_unchanged() {
    [ -f "$KDIR/.resolved" ] && cached_ok || return 1
    [ -z "$(find /var/lib/apt/lists /etc/apt -cnewer "$KDIR/.resolved" \
            \( -name '*Packages*' -o -name '*Release' -o -name '*.list' -o -name '*.sources' \) \
            -print -quit 2>/dev/null)" ]
}
if [ "${XENO_KERNEL_RESOLVE:-1}" != 0 ] && lists_unchanged; then
    done_print
fi

: > "$APTLOG"
SPEC=""
if [ "${XENO_KERNEL_RESOLVE:-1}" != 0 ]; then
    SPEC=$(resolve)
    if [ -z "$SPEC" ] && ! cached_ok; then
        apt_update && SPEC=$(resolve)
    fi
fi

if [ -z "$SPEC" ]; then
    cached_ok || die "cannot resolve $META with apt-cache and nothing is cached in $KDIR"
    log "apt-cache cannot resolve $META; using cached $(cat "$STAMP")"
    done_print
fi

if cached_ok && [ "$(cat "$STAMP")" = "$SPEC" ]; then
    touch "$KDIR/.resolved"
    done_print
fi

DEB=$(deb_path "$SPEC")
if [ -z "$DEB" ]; then
    if ! download "$SPEC"; then
        # the lists may name a version the archive no longer has
        if apt_update && SPEC=$(resolve) && [ -n "$SPEC" ]; then
            DEB=$(deb_path "$SPEC")
            [ -n "$DEB" ] || { download "$SPEC" || true; }
        fi
    fi
    DEB=$(deb_path "$SPEC")
    if [ -z "$DEB" ]; then
        if cached_ok; then
            log "WARNING: cannot download $SPEC (see $APTLOG); using cached $(cat "$STAMP")"
            done_print
        fi
        die "cannot download $SPEC (see $APTLOG)"
    fi
fi

log "extracting $(basename "$DEB")"
NEW=$KDIR.new.$$
rm -rf "$NEW"
mkdir -p "$NEW"
trap 'rm -rf "$NEW"' EXIT
dpkg-deb -x "$DEB" "$NEW"
# keep only /boot and /lib/modules (usr/share/doc, usr/lib/linux... are not needed)
for d in "$NEW"/*; do
    case "${d##*/}" in boot|lib) ;; *) rm -rf "$d" ;; esac
done
set -- "$NEW"/boot/vmlinuz-*
[ $# -eq 1 ] && [ -f "$1" ] || die "$(basename "$DEB") has no single /boot/vmlinuz-*"
KVER=${1##*/vmlinuz-}
[ -d "$NEW/lib/modules/$KVER" ] || die "$(basename "$DEB") has no /lib/modules/$KVER"
ln "$1" "$NEW/vmlinuz"
echo "$KVER" > "$NEW/kver"
echo "$SPEC" > "$NEW/.stamp"
touch "$NEW/.resolved"

# swap in the new tree; drop the .deb of the kernel it replaces
OLDSPEC=""
[ -f "$STAMP" ] && OLDSPEC=$(cat "$STAMP")
rm -rf "$KDIR"
mv "$NEW" "$KDIR"
trap - EXIT
if [ -n "$OLDSPEC" ] && [ "$OLDSPEC" != "$SPEC" ]; then
    OLDDEB=$(deb_path "$OLDSPEC")
    [ -n "$OLDDEB" ] && { log "removing superseded $(basename "$OLDDEB")"; rm -f "$OLDDEB"; }
fi
log "kernel $KVER ($SPEC) in $KDIR"
done_print
