#!/usr/bin/env bash
# fetch-xen.sh WORKDIR - Debian's Xen 4.17 (hypervisor + xl toolstack and the
# shared libraries it runs on), from Debian's package registry only.
#
# Packages are resolved by name, never pinned and never by URL: the roots
# xen-hypervisor-4.17-amd64, xen-utils-4.17 (xl, xenconsoled, xenstored,
# oxenstored, xen-init-dom0), xen-utils-common (/etc/xen) and xenstore-utils,
# plus the closure of their Depends/Pre-Depends that are libraries (lib*,
# zlib1g); the rest of their Depends (python3, udev, ucf, ...) is what a
# full Debian dom0 needs, not what `xl create` of a PV guest runs on.  Each
# package's candidate version comes from `apt-cache policy`; the .debs are
# `apt-get download`ed into $CACHE/debs/ (the directory tools/images/
# fetch-kernel.sh and boot-check.sh use, so nothing is downloaded twice).
#
# Outputs in WORKDIR:
#   pkgroot/      every package extracted with dpkg-deb -x (no maintainer scripts)
#   xen.elf       /boot/xen-4.17-amd64.gz gunzipped (QEMU's multiboot loader
#                 cannot load a gzip file); same version as the tools, because
#                 libxenctrl refuses a hypervisor of another domctl version
#   packages.txt  "package=version" of every extracted package (the stamp)
# Prints WORKDIR's absolute path.  While the apt lists are older than
# packages.txt nothing is asked of apt; a new resolution equal to
# packages.txt extracts nothing.  When apt cannot resolve (offline), the
# last extraction is used as it is.
# Environment: BUILD (build), XENO_CACHE ($BUILD/cache), XEN_XL_EXTRA_ROOTS.
set -euo pipefail
export LC_ALL=C

[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
W=$1
CACHE=${XENO_CACHE:-${BUILD:-build}/cache}
DEBS=$CACHE/debs
APTLOG=$CACHE/apt-xen-xl.log
ROOTS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils"
# XEN_XL_EXTRA_ROOTS: more packages (with their library closure) for
# another benchmark's dom0, e.g. the hotplug scripts' bash, iproute2,
# bridge-utils, mount, util-linux (bench/xl-split-drivers-xen.sh); give
# that benchmark its own WORKDIR, packages.txt is its stamp
ROOTS="$ROOTS${XEN_XL_EXTRA_ROOTS:+ $XEN_XL_EXTRA_ROOTS}"

log() { echo "fetch-xen: $*" >&2; }
die() { log "error: $*"; exit 1; }
mkdir -p "$W" "$DEBS"
W=$(cd "$W" && pwd)
# _apt (apt-get download's sandbox user) must be able to write there as root
chmod 755 "$CACHE" "$DEBS" 2>/dev/null || true
done_print() { echo "$W"; exit 0; }
have_old() { [ -s "$W/packages.txt" ] && [ -s "$W/xen.elf" ] && [ -d "$W/pkgroot/usr/lib/xen-4.17/bin" ]; }

# names -> the library packages they depend on (one per line)
lib_depends() {
    # shellcheck disable=SC2086
    timeout 60 apt-cache depends --important $1 2>/dev/null |
        awk '$1 ~ /^\|?(Pre)?Depends:$/ && $2 !~ /^</ { print $2 }' |
        grep -E '^(lib|zlib1g$)' | sort -u
}
# "package=version" for the roots and their library closure ("" on failure)
resolve() {
    local all=" " todo=$ROOTS p next pol
    while [ -n "$todo" ]; do
        for p in $todo; do all="$all$p "; done
        next=""
        for p in $(lib_depends "$todo"); do
            case "$all" in *" $p "*) ;; *) next="$next $p" ;; esac
        done
        todo=$(echo $next)
    done
    # shellcheck disable=SC2086
    pol=$(timeout 60 apt-cache policy $all 2>/dev/null) || return 0
    # a package without a candidate makes the whole resolution fail
    echo "$pol" | awk '
        /^[^ ].*:$/ { pkg = substr($0, 1, length($0) - 1) }
        $1 == "Candidate:" { if ($2 == "(none)") bad = bad " " pkg; else print pkg "=" $2 }
        END { if (bad != "") { print "fetch-xen: no candidate for" bad > "/dev/stderr"; exit 1 } }' \
        > "$W/.resolved.tmp" || return 0
    sort "$W/.resolved.tmp"
}

deb_path() { # package=version -> cached .deb ("" when absent)
    local pkg=${1%%=*} ver=${1#*=} f
    for f in "$DEBS/${pkg}_${ver//:/%3a}_"*.deb; do
        [ -f "$f" ] || continue
        if [ "$(dpkg-deb -f "$f" Package)" = "$pkg" ] && [ "$(dpkg-deb -f "$f" Version)" = "$ver" ]; then
            echo "$f"; return 0
        fi
    done
}

apt_update() {
    [ "$(id -u)" = 0 ] || { log "apt lists may be stale and we are not root; run: apt-get update"; return 1; }
    log "apt-get update"
    timeout 300 apt-get update -q >>"$APTLOG" 2>&1 || { log "apt-get update failed (see $APTLOG)"; return 1; }
}

download() { # package=version... (one apt-get call)
    local tmp rc=0
    tmp=$(mktemp -d "$DEBS/.dl.XXXXXX")
    chmod 755 "$tmp"
    log "downloading $*"
    (cd "$tmp" && timeout 600 apt-get download -q "$@") >>"$APTLOG" 2>&1 || rc=1
    if [ $rc = 0 ]; then mv "$tmp"/*.deb "$DEBS/"; fi
    rm -rf "$tmp"
    return $rc
}

# The resolution can only change with the apt lists or sources: skip
# apt-cache (~3 s) while none of them changed since the last extraction
# (ctime: apt gives list files the server's modification time).
if have_old && [ -z "$(find /var/lib/apt/lists /etc/apt -cnewer "$W/packages.txt" \
        \( -name '*Packages*' -o -name '*Release' -o -name '*.list' -o -name '*.sources' \) \
        -print -quit 2>/dev/null)" ]; then
    done_print
fi

: > "$APTLOG"
SPECS=$(resolve)
if [ -z "$SPECS" ]; then
    apt_update && SPECS=$(resolve)
fi
if [ -z "$SPECS" ]; then
    have_old || die "apt-cache cannot resolve $ROOTS (see $APTLOG) and nothing is cached in $W"
    log "apt-cache cannot resolve the Xen packages; using the cached extraction"
    done_print
fi
if have_old && [ "$SPECS" = "$(cat "$W/packages.txt")" ]; then
    touch "$W/packages.txt"
    done_print
fi

missing=()
for s in $SPECS; do [ -n "$(deb_path "$s")" ] || missing+=("$s"); done
if [ ${#missing[@]} -gt 0 ] && ! download "${missing[@]}"; then
    # the lists may name versions the archive no longer has
    apt_update && SPECS=$(resolve)
    [ -n "$SPECS" ] || die "cannot resolve the Xen packages after apt-get update (see $APTLOG)"
    missing=()
    for s in $SPECS; do [ -n "$(deb_path "$s")" ] || missing+=("$s"); done
    [ ${#missing[@]} -eq 0 ] || download "${missing[@]}" || die "apt-get download failed (see $APTLOG)"
fi

NEW=$W/pkgroot.new.$$
rm -rf "$NEW"
trap 'rm -rf "$NEW"' EXIT
mkdir -p "$NEW"
for s in $SPECS; do
    f=$(deb_path "$s")
    [ -n "$f" ] || die "$s: not in $DEBS after the download"
    dpkg-deb -x "$f" "$NEW" || die "dpkg-deb -x $f failed"
done
[ -f "$NEW/boot/xen-4.17-amd64.gz" ] || die "xen-hypervisor-4.17-amd64 has no /boot/xen-4.17-amd64.gz"
zcat "$NEW/boot/xen-4.17-amd64.gz" > "$W/xen.elf.tmp" || die "gunzip xen-4.17-amd64.gz failed"
rm -rf "$W/pkgroot"
mv "$NEW" "$W/pkgroot"
trap - EXIT
mv "$W/xen.elf.tmp" "$W/xen.elf"
echo "$SPECS" > "$W/packages.txt"
log "$(echo "$SPECS" | grep -E '^xen-utils-4.17=') and $(($(echo "$SPECS" | wc -l) - 1)) more in $W/pkgroot"
done_print
