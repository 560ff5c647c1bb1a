#!/usr/bin/env bash
# Run the PV guest tests on real Xen 4.17, the reference the tests (and
# Xeno) are judged against.
#
#   tests/pv/xen-reference.sh [--refresh] [TEST_GLOB]
#
# Fetches Debian's xen-hypervisor-4.17-amd64 package with apt-get download
# into build/xen-ref/ (once; --refresh fetches the current version again),
# unpacks it with dpkg-deb and gunzips /boot/xen-4.17-amd64.gz to
# build/xen-ref/xen.elf, because QEMU's -kernel loader (multiboot 1) cannot
# load a gzip image.  Then runs tests/pv/run.sh --hv build/xen-ref/xen.elf.
# Nothing here is committed; build/ is ignored by git.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$root/build/xen-ref
pkg=xen-hypervisor-4.17-amd64
refresh=0
if [ "${1:-}" = --refresh ]; then
    refresh=1
    shift
fi
mkdir -p "$cache"

fetch() {
    local debs
    debs=$(ls "$cache"/"${pkg}"_*.deb 2>/dev/null || true)
    if [ -n "$debs" ] && [ $refresh = 0 ]; then
        return 0
    fi
    rm -f "$cache"/"${pkg}"_*.deb
    # Whatever revision the configured Debian mirror has now: the file
    # name is never pinned.  Sandbox user root: the cache is root-owned.
    if ! (cd "$cache" && apt-get -q -o APT::Sandbox::User=root download "$pkg"); then
        echo "xen-reference: 'apt-get download $pkg' failed (try apt-get update)" >&2
        exit 1
    fi
}

fetch
deb=$(ls -t "$cache"/"${pkg}"_*.deb | head -n1)
if [ ! -s "$cache/xen.elf" ] || [ "$deb" -nt "$cache/xen.elf" ]; then
    rm -rf "$cache/pkg"
    dpkg-deb -x "$deb" "$cache/pkg"
    gz=$(ls "$cache"/pkg/boot/xen-4.17-amd64.gz)
    zcat "$gz" >"$cache/xen.elf.tmp"
    mv "$cache/xen.elf.tmp" "$cache/xen.elf"
fi
echo "xen-reference: $(basename "$deb") -> $cache/xen.elf"
exec "$root/tests/pv/run.sh" --hv "$cache/xen.elf" "$@"
