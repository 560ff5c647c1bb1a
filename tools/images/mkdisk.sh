#!/usr/bin/env bash
# mkdisk.sh OUT SIZE [NAME=TEXT]...: an ext4 file-system image OUT of SIZE
# (mkfs.ext4 syntax: 8M) holding a file NAME with the line TEXT per
# argument, for the guests' xvd* disks.  Made on the build host
# (mkfs.ext4 -d, package e2fsprogs), so dom0 needs no mkfs.  Reproducible:
# fixed UUID, hash seed and times (SOURCE_DATE_EPOCH), files owned by 0:0.
set -euo pipefail
out=${1:?usage: mkdisk.sh OUT SIZE [NAME=TEXT]...}
size=${2:?usage: mkdisk.sh OUT SIZE [NAME=TEXT]...}
shift 2
epoch=${SOURCE_DATE_EPOCH:-1700000000}
stage=$(mktemp -d "${TMPDIR:-/tmp}/xeno-disk.XXXXXX")
trap 'rm -rf "$stage"' EXIT
for f; do
    name=${f%%=*}
    case $name in ''|*/*|"$f") echo "mkdisk: $f: expected NAME=TEXT" >&2; exit 2 ;; esac
    printf '%s\n' "${f#*=}" >"$stage/$name"
done
touch -d "@$epoch" "$stage" "$stage"/* 2>/dev/null || touch -d "@$epoch" "$stage"
rm -f "$out"
# E2FSPROGS_FAKE_TIME fixes the superblock and inode times mkfs writes itself
E2FSPROGS_FAKE_TIME=$epoch mkfs.ext4 -q -F -U 6b8f1a52-1d2c-4d7e-9a3b-58e6f0c1a001 \
    -E hash_seed=6b8f1a52-1d2c-4d7e-9a3b-58e6f0c1a002,root_owner=0:0 -d "$stage" "$out" "$size" 2>&1 |
    { grep -v '^Creating regular file' >&2 || true; }
[ -s "$out" ] || { echo "mkdisk: mkfs.ext4 made no $out" >&2; exit 1; }
# -d copies each file's ctime from the staging copy (now); pin it too
for f; do printf 'sif /%s ctime @%s\n' "${f%%=*}" "$epoch"; done >"$stage.cmds"
E2FSPROGS_FAKE_TIME=$epoch debugfs -w -f "$stage.cmds" "$out" >/dev/null 2>&1 ||
    { echo "mkdisk: debugfs could not set the times in $out" >&2; rm -f "$stage.cmds"; exit 1; }
rm -f "$stage.cmds"
