#!/usr/bin/env bash
# The user-space domain builder from Linux dom0 on Xeno: Debian's 6.1
# kernel boots as dom0 (QEMU -m 2048 -smp 2, dom0_mem=512M) with a busybox
# initramfs holding xenstored, xeno-domu-run (dom0-tools/builder/) and two
# domU kernel + initramfs pairs: Debian 6.1 (bzImage, xz payload) with one
# vCPU and the cloud kernel (lz4 payload) with two.  Each domU runs its
# checks (tools/images/domU-init.sh, xeno.test=1) and powers off; a bzImage
# with a corrupt payload must fail with a clear error and leave no domain,
# and so must a build failed on purpose after its last step
# (XENOBUILD_FAIL_LAST=1), with every page back.
# `make test-builder-dom0`.  Ends with "builder-dom0: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
out=$root/build/tests/builder-dom0
rm -rf "$out"; mkdir -p "$out"
pass=0; fail=0
finish() { echo "builder-dom0: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1"; fail=$((fail + 1)); }

if ! make -s -C "$root" hypervisor xeno-domu-run xenstored-tools >"$out/build.log" 2>&1; then
    tail -20 "$out/build.log"; ko build; finish
fi
declare -A kern
for f in amd64 cloud 6.12; do
    if ! kern[$f]=$(cd "$root" && tools/images/fetch-kernel.sh "$f" 2>"$out/kernel-$f.log"); then
        tail -5 "$out/kernel-$f.log"; ko "kernel $f"; finish
    fi
    if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "${kern[$f]}")" --name xeno-domU \
            --modules "xen-blkfront xen-netfront" --init tools/images/domU-init.sh \
            -o "$out/domU-$f.cpio.gz") >"$out/initrd-$f.log" 2>&1; then
        tail -5 "$out/initrd-$f.log"; ko "domU initramfs $f"; finish
    fi
done
# The Debian 6.1 bzImage with 64 KiB of its xz payload overwritten.
python3 - "${kern[amd64]}" "$out/corrupt-vmlinuz" <<'PY' || { ko "corrupt bzImage"; finish; }
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
setup = b[0x1f1] or 4
off, length = struct.unpack_from('<II', b, 0x248)
start = (setup + 1) * 512 + off + length // 2
b[start:start + 65536] = bytes((i * 37 + 11) & 0xff for i in range(65536))
open(sys.argv[2], 'wb').write(b)
PY
initrd=$out/dom0-initrd.cpio.gz
if ! (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "${kern[amd64]}")" --name builder-dom0 \
        --modules "xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc" \
        --init tests/builder/dom0-init.sh \
        --add build/dom0-tools/xenstored:/bin/xenstored --add build/dom0-tools/xenstore:/bin/xenstore \
        --add build/dom0-tools/xeno-domu-run:/bin/xeno-domu-run \
        --add "${kern[amd64]}:/boot/domu61/vmlinuz" --add "$out/domU-amd64.cpio.gz:/boot/domu61/initrd" \
        --add "${kern[cloud]}:/boot/cloud/vmlinuz" --add "$out/domU-cloud.cpio.gz:/boot/cloud/initrd" \
        --add "${kern[6.12]}:/boot/domu612/vmlinuz" --add "$out/domU-6.12.cpio.gz:/boot/domu612/initrd" \
        --add "$out/corrupt-vmlinuz:/boot/corrupt/vmlinuz" \
        -o "$initrd") >"$out/initrd.log" 2>&1; then
    tail -5 "$out/initrd.log"; ko "dom0 initramfs"; finish
fi
log=$out/boot.log
start=$(date +%s)
st=$(qemu_boot "$log" 300 -smp 2 -m 2048 -kernel "$root/build/xeno.elf" \
    -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
    -initrd "${kern[amd64]} console=hvc0 earlyprintk=xen,$initrd")
tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
echo "  QEMU ran $(($(date +%s) - start)) s"

# section TAG: the log lines of one xeno-domu-run
section() { sed -n "/builder-dom0: domU $1: begin/,/builder-dom0: domU $1: exit/p" "$log"; }
has() { grep -qE -- "$2" <<<"$1"; }

grep -q "builder-dom0: xenstored started" "$log" && ok "xenstored runs in dom0" || ko "xenstored runs in dom0"
for tag in debian61 cloud2 debian612; do
    s=$(section $tag)
    grep -E "xeno-domu-run: (built|build failed)" <<<"$s" | sed 's/^/  /'
    case $tag in
        debian61) fmt="bzImage \(xz\)" ;; cloud2) fmt="bzImage \(lz4\)" ;; debian612) fmt="bzImage \(zstd\)" ;;
    esac
    has "$s" "xeno-domu-run: built d[0-9]+: kernel [^ ]+ \($fmt\)" && ok "$tag: built ($fmt)" || ko "$tag: built ($fmt)"
    has "$s" "\[domU [0-9]+\] xeno-domU: init reached" && ok "$tag: reaches init" || ko "$tag: reaches init"
    t=$(grep -oE "\[domU [0-9]+\] xeno-domU-test: [0-9]+ passed, [0-9]+ failed" <<<"$s" | tail -1)
    grep -E "\[domU [0-9]+\] xeno-domU-test: FAIL" <<<"$s" | sed 's/^/  /'
    has "$t" "[1-9][0-9]* passed, 0 failed" && ok "$tag: domU checks (${t#*test: })" || ko "$tag: domU checks (${t:-none})"
    has "$s" "xeno-domu-run: domain [0-9]+ shut down \(reason poweroff\)" && ok "$tag: powers off" || ko "$tag: powers off"
    has "$s" "control/feature-poweroff = \"1\"" && ok "$tag: wrote xenstore over its ring (control/feature-poweroff)" \
        || ko "$tag: wrote xenstore over its ring (control/feature-poweroff)"
    line=$(grep -E "host free pages" <<<"$s")
    echo "  ${line#*xeno-domu-run: }"
    has "$line" "pages ([0-9]+) before, \1 after" && ok "$tag: memory returned" || ko "$tag: memory returned"
    has "$s" "builder-dom0: domU $tag: exit 0" && ok "$tag: xeno-domu-run exits 0" || ko "$tag: xeno-domu-run exits 0"
done
s=$(section cloud2)
if has "$s" "\[domU [0-9]+\] .*Brought up 1 node, 2 CPUs"; then ok "cloud2: second vCPU up"; else ko "cloud2: second vCPU up"; fi
s=$(section corrupt)
grep -E "xeno-domu-run: " <<<"$s" | sed 's/^/  /'
has "$s" "build failed: kernel /boot/corrupt/vmlinuz: bzImage payload is xz: " && ok "corrupt payload: clear error" \
    || ko "corrupt payload: clear error"
has "$s" "xeno-domu-run: 1 domain now: d0$" && ok "corrupt payload: only dom0 left" || ko "corrupt payload: only dom0 left"
s=$(section faillast)
grep -E "xeno-domu-run: " <<<"$s" | sed 's/^/  /'
has "$s" "build failed: d[0-9]+: XENOBUILD_FAIL_LAST=1" && ok "failure after a complete build: reported" \
    || ko "failure after a complete build: reported"
has "$s" "xeno-domu-run: 1 domain now: d0$" && ok "failure after a complete build: domain destroyed" \
    || ko "failure after a complete build: domain destroyed"
has "$s" "pages ([0-9]+) before, \1 after" && ok "failure after a complete build: memory returned" \
    || ko "failure after a complete build: memory returned"
grep -q "builder-dom0: xenstore /local/domain after the runs: 0 *$" "$log" && ok "xenstore: only dom0's directory left" \
    || ko "xenstore: only dom0's directory left"
if [ "$st" = 1 ] && grep -q "builder-dom0: all runs done" "$log"; then
    ok "dom0 powered off after the runs"
else
    ko "dom0 powered off after the runs (QEMU status $st, 1 = power-off)"; tail -30 "$log" | sed 's/^/    | /'
fi
finish
