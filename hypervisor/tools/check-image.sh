#!/usr/bin/env bash
# Sanity checks on the linked image that the loaders rely on:
#  - exactly one PT_LOAD, file offset 0, loaded at XENO_LOAD_PHYS (raw copy);
#  - text addresses identical in both link passes (symbol table valid);
#  - multiboot headers inside the first 8 KiB.
set -eu
pass1=$1 final=$2
loads=$(readelf -lW "$final" | awk '$1 == "LOAD"')
[ "$(wc -l <<<"$loads")" -eq 1 ] || { echo "check-image: expected one PT_LOAD" >&2; exit 1; }
read -r _ off _ paddr _ <<<"$loads"
[ "$((off))" -eq 0 ] && [ "$((paddr))" -eq $((0x200000)) ] || {
    echo "check-image: PT_LOAD must start at file offset 0, paddr 0x200000 (got $off $paddr)" >&2; exit 1; }
a=$(nm -n "$pass1" | awk '$2 ~ /^[tT]$/' | md5sum)
b=$(nm -n "$final" | awk '$2 ~ /^[tT]$/' | md5sum)
[ "$a" = "$b" ] || { echo "check-image: text moved between link passes" >&2; exit 1; }
mb=$(nm "$final" | awk '$3 == "mb2_header" { print $1 }')
st=$(nm "$final" | awk '$3 == "__image_start" { print $1 }')
[ $((0x$mb - 0x$st)) -lt 8192 ] || { echo "check-image: multiboot header beyond 8 KiB" >&2; exit 1; }
