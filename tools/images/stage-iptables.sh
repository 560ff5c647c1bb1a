#!/usr/bin/env bash
# stage-iptables.sh ROOT: put Debian's iptables (legacy, the
# xtables-legacy-multi of package iptables) into the image tree ROOT, with
# the shared libraries it and its IPv4 extensions need and the dynamic
# loader, at the paths the binary was built for.  The dom0 initramfs has no
# libc of its own; xend's network-nat / vif-* scripts run `iptables` for NAT
# (MASQUERADE) and forwarding rules, as under Xen.
#   ROOT/usr/sbin/xtables-legacy-multi, iptables{,-save,-restore} -> it
#   ROOT/usr/lib/x86_64-linux-gnu/xtables/lib{xt,ipt}_*.so
#   ROOT/lib/x86_64-linux-gnu/*.so.*, ROOT/lib64/ld-linux-x86-64.so.2
set -euo pipefail
r=${1:?usage: stage-iptables.sh ROOT}
bin=/usr/sbin/xtables-legacy-multi
# The extension directory is compiled into libxtables (XTABLES_LIBDIR).
ext=/usr/lib/x86_64-linux-gnu/xtables
[ -x "$bin" ] && [ -d "$ext" ] ||
    { echo "stage-iptables: $bin or $ext missing (Debian package iptables; make toolstack-deps)" >&2; exit 1; }

mkdir -p "$r/usr/sbin" "$r$ext"
install -m 0755 "$bin" "$r/usr/sbin/"
# the multi-call binary picks iptables-legacy's main by its argv[0]
for n in iptables iptables-save iptables-restore iptables-legacy; do
    ln -sf xtables-legacy-multi "$r/usr/sbin/$n"
done
elves=("$bin")
for so in "$ext"/libxt_*.so "$ext"/libipt_*.so; do
    install -m 0644 "$so" "$r$ext/"
    elves+=("$so")
done

# Every library the binary and the extensions load, by the path ldd resolves
# (symlinks followed, so the file lands under the soname path the loader
# searches), plus the loader itself at its ABI path.
libs=$(ldd "${elves[@]}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/lib64\// { print $1 }' | sort -u)
[ -n "$libs" ] || { echo "stage-iptables: ldd found no libraries for $bin" >&2; exit 1; }
for l in $libs; do
    case $l in
        /lib64/*) dst=$l ;;
        /usr/lib/*) dst=${l#/usr} ;;
        *) dst=$l ;;
    esac
    mkdir -p "$r$(dirname "$dst")"
    install -m 0755 "$(readlink -f "$l")" "$r$dst"
done
