#!/usr/bin/env bash
# mkinitramfs.sh - build a small, reproducible busybox initramfs (gzip'd newc cpio).
#
# usage: mkinitramfs.sh -o OUT [--kernel-dir DIR] [--modules "m1 m2 ..."]
#                       [--init FILE] [--add SRC:DST]... [--name NAME]
#
#   -o OUT             output file (.cpio.gz)
#   --kernel-dir DIR   extracted kernel tree with lib/modules/KVER/ (as made by
#                      fetch-kernel.sh: build/cache/kernel-FLAVOUR); needed
#                      for --modules
#   --modules LIST     modules to load at boot (names, - and _ alike); their
#                      dependencies (.modinfo depends=, softdep pre:) are added
#                      and everything is loaded dependencies-first.  .ko.xz/
#                      .ko.zst/.ko.gz are decompressed (busybox insmod loads
#                      plain .ko only).  Built-in modules are skipped.
#   --init FILE        init script body, sourced by /init after the mounts and
#                      the modules (see init.sh); without it /init gives a shell
#   --add SRC:DST      copy SRC (file or directory) to DST in the image; repeatable
#   --name NAME        console prefix of /init's messages ("NAME: init reached")
#
# /init is tools/images/init.sh.  The busybox is the one of the installed
# Debian package busybox-static (override: BUSYBOX=path).  Reproducible: fixed
# mtimes (SOURCE_DATE_EPOCH, default 1700000000), sorted entries, owner 0:0,
# gzip -n; the output is only rewritten when its content changes.
set -euo pipefail
export LC_ALL=C
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

log() { echo "mkinitramfs: $*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUT='' KDIR='' MODULES='' INIT_BODY='' NAME=initramfs
ADDS=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o) OUT=${2:?}; shift 2 ;;
        --kernel-dir) KDIR=${2:?}; shift 2 ;;
        --modules) MODULES=${2?}; shift 2 ;;
        --init) INIT_BODY=${2:?}; shift 2 ;;
        --add) ADDS+=("${2:?}"); shift 2 ;;
        --name) NAME=${2:?}; shift 2 ;;
        -o*) OUT=${1#-o}; shift ;;
        --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
        -h|--help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
[ -n "$OUT" ] || usage
case "$NAME" in *[!A-Za-z0-9._-]*) die "--name: use [A-Za-z0-9._-] only" ;; esac
[ -z "$INIT_BODY" ] || [ -f "$INIT_BODY" ] || die "--init $INIT_BODY: no such file"
for t in cpio gzip find sort; do command -v $t >/dev/null || die "$t not found (Debian package: see IMAGES_DEB_PACKAGES in mk/images.mk)"; done

# ------------------------------------------------------------------ busybox --
if [ -z "${BUSYBOX:-}" ]; then
    BUSYBOX=$(dpkg -L busybox-static 2>/dev/null | grep -E '^(/usr)?/bin/busybox$' | head -n1) ||
        true
    [ -n "$BUSYBOX" ] || die "busybox-static is not installed (apt-get install busybox-static)"
fi
[ -x "$BUSYBOX" ] || die "$BUSYBOX is not executable"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/xeno-initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
R=$STAGE/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,lib/modules,mnt,var}
chmod 1777 "$R/tmp"
chmod 700 "$R/root"
ln -s /run "$R/var/run"

install -m755 "$BUSYBOX" "$R/bin/busybox"
for a in $("$BUSYBOX" --list-full); do
    [ "$a" = bin/busybox ] && continue
    [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\ntty:x:5:\n' > "$R/etc/group"
printf '/bin/sh\n' > "$R/etc/shells"
printf 'export PS1='"'"'\\h:\\w\\$ '"'"'\n' > "$R/etc/profile"

install -m755 "$HERE/init.sh" "$R/init"
[ -n "$INIT_BODY" ] && install -m644 "$INIT_BODY" "$R/etc/init.body"

# ------------------------------------------------------------------ modules --
KVER=
if [ -n "$KDIR" ]; then
    [ -d "$KDIR/lib/modules" ] || die "--kernel-dir $KDIR: no lib/modules"
    if [ -f "$KDIR/kver" ]; then
        KVER=$(cat "$KDIR/kver")
    else
        set -- "$KDIR"/lib/modules/*/
        [ $# -eq 1 ] || die "--kernel-dir $KDIR: expected one lib/modules/KVER"
        KVER=$(basename "$1")
    fi
fi
MODS=()
for m in $MODULES; do MODS+=("$m"); done
if [ ${#MODS[@]} -gt 0 ]; then
    [ -n "$KVER" ] || die "--modules needs --kernel-dir"
    MD=$KDIR/lib/modules/$KVER
    SM=$R/lib/modules/$KVER
    mkdir -p "$SM"
    norm() { local n=${1##*/}; n=${n%%.ko*}; echo "${n//-/_}"; }

    declare -A PATH_OF=() BUILTIN=() STATE=()
    # "normalised-name path" for every file; first one wins (sorted, like depmod)
    NORM_AWK='{ n = $0; sub(/.*\//, "", n); sub(/\.ko.*$/, "", n); gsub(/-/, "_", n); print n, $0 }'
    while read -r n p; do
        [ -n "${PATH_OF[$n]:-}" ] || PATH_OF[$n]=$p
    done < <(cd "$MD" && find . \( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' \) |
             sed 's|^\./||' | sort | awk "$NORM_AWK")
    [ ${#PATH_OF[@]} -gt 0 ] || die "no modules in $MD"
    if [ -f "$MD/modules.builtin" ]; then
        while read -r n p; do BUILTIN[$n]=1; done < <(awk "$NORM_AWK" "$MD/modules.builtin")
    fi

    modinfo_field() { # plain.ko field -> values (one per line)
        local sect=$STAGE/modinfo
        if command -v objcopy >/dev/null && objcopy -O binary --only-section=.modinfo "$1" "$sect" 2>/dev/null; then
            tr '\0' '\n' < "$sect" | sed -n "s/^$2=//p"
        else
            tr '\0' '\n' < "$1" | sed -n "s/^$2=//p"
        fi
    }
    stage_module() { # name -> staged plain .ko path relative to $SM
        local src=${PATH_OF[$1]} dst
        dst=${src%.xz}; dst=${dst%.zst}; dst=${dst%.gz}
        mkdir -p "$(dirname "$SM/$dst")"
        case "$src" in
            *.ko) cp "$MD/$src" "$SM/$dst" ;;
            *.xz) xz -dc "$MD/$src" > "$SM/$dst" ;;
            *.zst) zstd -qdc "$MD/$src" > "$SM/$dst" ;;
            *.gz) gzip -dc "$MD/$src" > "$SM/$dst" ;;
        esac
        chmod 644 "$SM/$dst"
        echo "$dst"
    }
    ORDER=()
    visit() { # name [required]
        local n req=${2:-1} rel d
        n=$(norm "$1")
        case "${STATE[$n]:-}" in
            visited) return 0 ;;
            busy) die "module dependency cycle at $n" ;;
        esac
        if [ -z "${PATH_OF[$n]:-}" ]; then
            if [ -n "${BUILTIN[$n]:-}" ]; then
                log "$1 is built into $KVER; not loading it"
                STATE[$n]=visited; return 0
            fi
            [ "$req" = 1 ] && die "module $1 not found in $MD"
            STATE[$n]=visited; return 0
        fi
        STATE[$n]=busy
        rel=$(stage_module "$n")
        for d in $(modinfo_field "$SM/$rel" depends | tr ',' ' '); do visit "$d" 1; done
        # softdep=pre: a b post: c  -> load "pre" ones first when available
        for d in $(modinfo_field "$SM/$rel" softdep | sed -n '/pre:/{s/.*pre://; s/post:.*//; p}'); do
            visit "$d" 0
        done
        STATE[$n]=visited
        ORDER+=("$n /lib/modules/$KVER/$rel")
    }
    for m in "${MODS[@]}"; do visit "$m" 1; done
    printf '%s\n' "${ORDER[@]}" > "$R/etc/modules.load"
    for f in modules.builtin modules.builtin.modinfo; do
        [ -f "$MD/$f" ] && install -m644 "$MD/$f" "$SM/$f"
    done
    # modules.dep & co for an interactive `modprobe` (busybox's own depmod)
    "$BUSYBOX" depmod -b "$R" "$KVER" || die "depmod failed"
    for f in "$SM"/modules.*; do
        case "$f" in *.builtin|*.modinfo) continue ;; esac
        sort -o "$f" "$f"
    done
    log "modules for $KVER: $(cut -d' ' -f1 "$R/etc/modules.load" | tr '\n' ' ')"
fi

cat > "$R/etc/initramfs.conf" <<EOF
INITRAMFS_NAME=$NAME
INITRAMFS_KVER=$KVER
EOF

# ------------------------------------------------------------------ extras ---
for a in ${ADDS[@]+"${ADDS[@]}"}; do
    src=${a%%:*}; dst=${a#*:}
    [ "$src" != "$a" ] && [ -n "$dst" ] || die "--add $a: expected SRC:DST"
    [ -e "$src" ] || die "--add $a: $src does not exist"
    dst=/${dst#/}
    mkdir -p "$(dirname "$R$dst")"
    if [ -d "$src" ]; then
        mkdir -p "$R$dst"
        cp -R --no-preserve=ownership "$src"/. "$R$dst"/
    else
        cp --no-preserve=ownership "$src" "$R$dst"
    fi
done

# ------------------------------------------------------------------ pack -----
find "$R" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$R" && find . -print0 | sort -z |
    cpio --null -o -H newc -R 0:0 --reproducible --quiet) > "$STAGE/initrd.cpio"
gzip -n -9 < "$STAGE/initrd.cpio" > "$STAGE/initrd.cpio.gz"
mkdir -p "$(dirname "$OUT")"
if [ -f "$OUT" ] && cmp -s "$STAGE/initrd.cpio.gz" "$OUT"; then
    touch "$OUT"
    log "$OUT unchanged"
else
    mv "$STAGE/initrd.cpio.gz" "$OUT"
    chmod 644 "$OUT"
fi
log "$OUT: $(stat -c %s "$OUT") bytes ($(stat -c %s "$STAGE/initrd.cpio") uncompressed, $(cd "$R" && find . | wc -l) entries)"
