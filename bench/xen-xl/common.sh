# shellcheck shell=bash
# Shared by bench/xl-create-xen.sh and bench/xl-split-drivers-xen.sh
# (sourced, bash, from the repository's root; `die MESSAGE` must exist).
#
# xx_dom0 WORKDIR [STAMP-EXTRA]: Debian's Xen 4.17 and the dom0 initramfs,
#   cached: bench/xen-xl/fetch-xen.sh WORKDIR, then WORKDIR/dom0-initrd.cpio.gz
#   by bench/xen-xl/mkdom0.sh (its MKDOM0_* environment applies), rebuilt
#   when the packages, the dom0 kernel, these scripts or STAMP-EXTRA change.
#   Sets DOM0_KERNEL (tools/images/fetch-kernel.sh amd64), KDIR, BASE.
xx_dom0() {
    local w=$1 extra=${2:-} stamp
    DOM0_KERNEL=$(tools/images/fetch-kernel.sh amd64) || die "tools/images/fetch-kernel.sh amd64 failed"
    KDIR=$(dirname "$DOM0_KERNEL")
    bench/xen-xl/fetch-xen.sh "$w" >/dev/null || die "bench/xen-xl/fetch-xen.sh $w failed"
    BASE=$w/dom0-initrd.cpio.gz
    stamp=$( { cat "$w/packages.txt" "$KDIR/.stamp"; [ -z "$extra" ] || echo "$extra"
               sha256sum bench/xen-xl/mkdom0.sh bench/xen-xl/dom0-body.sh \
                         tools/images/init.sh tools/images/mkinitramfs.sh; } | sha256sum | cut -d' ' -f1)
    if [ ! -s "$BASE" ] || [ "$(cat "$BASE.stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "xen-xl: building $BASE" >&2
        rm -f "$BASE.stamp"
        bench/xen-xl/mkdom0.sh "$w/pkgroot" "$KDIR" "$BASE" || die "bench/xen-xl/mkdom0.sh failed"
        echo "$stamp" > "$BASE.stamp"
    fi
}

# xx_append DIR OUT: OUT = $BASE followed by an uncompressed cpio of DIR
#   (this call's payload: Linux unpacks every archive of a concatenation;
#   an uncompressed one must start 4-byte aligned, zero padding is skipped)
xx_append() {
    cp "$BASE" "$2" && truncate -s %4 "$2" || die "cannot write $2"
    (cd "$1" && find . -print0 | sort -z | cpio --null -o -H newc -R 0:0 --quiet) >> "$2" ||
        die "cpio of the payload $1 failed"
}
