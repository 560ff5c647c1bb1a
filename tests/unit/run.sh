#!/usr/bin/env bash
# Build and run every hosted CUnit test under ASan/UBSan.
# Each tests/unit/test_*.c names the pure sources it exercises on a line
#   // UNIT-SOURCES: path/a.c path/b.c
# (paths relative to the repository root). Ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${UNIT_OUT:-$root/build/unit}
mkdir -p "$out"
cc=${CC:-gcc}
cflags=(-std=gnu11 -g -O1 -Wall -Wextra -Werror -DXENO_HOSTED
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
        -I"$root/hypervisor/include" -I"$root/xen-public-headers" -I"$root/tests/unit"
        -I"$root/dom0-tools/include")
pass=0; fail=0; only=${1:-}
for t in "$root"/tests/unit/test_*.c; do
    name=$(basename "$t" .c)
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    srcs=$(sed -n 's|^// UNIT-SOURCES:||p' "$t")
    libs=$(sed -n 's|^// UNIT-LIBS:||p' "$t")
    abs=()
    for s in $srcs; do abs+=("$root/$s"); done
    # shellcheck disable=SC2086
    if ! $cc "${cflags[@]}" -o "$out/$name" "$t" "$root/tests/unit/cunit_main.c" "${abs[@]}" -lcunit $libs 2>"$out/$name.build.log"; then
        echo "unit: $name: BUILD FAILED"; cat "$out/$name.build.log"
        fail=$((fail + 1)); continue
    fi
    log="$out/$name.log"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/$name" >"$log" 2>&1
    rc=$?
    line=$(grep -E '^.*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
    p=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$line")
    f=$(sed -nE 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$line")
    if [ -z "$line" ]; then p=0; f=1; fi
    if [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi   # sanitizer abort or crash
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        echo "unit: $name: $p passed, $f failed"; sed 's/^/    /' "$log" | tail -n 40
    else
        echo "unit: $name: $p passed"
    fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
