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
. "$(dirname "$0")/../lib/dom0-test.sh"
dom0_test_init builder-dom0
dom0_test_build hypervisor xeno-domu-run xenstored-tools
for f in amd64 cloud 6.12; do
    dom0_test_kernel $f
    dom0_test_domu_initrd $f
done
# The Debian 6.1 bzImage with 64 KiB of its xz payload overwritten.
python3 - "${kern[amd64]}" "$out/corrupt-vmlinuz" <<'PY' || dom0_test_abort "corrupt bzImage"
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
setup = b[0x1f1] or 4
off, length = struct.unpack_from('<II', b, 0x248)
start = (setup + 1) * 512 + off + length // 2
b[start:start + 65536] = bytes((i * 37 + 11) & 0xff for i in range(65536))
open(sys.argv[2], 'wb').write(b)
PY
dom0_test_initrd amd64 builder-dom0 tests/builder/dom0-init.sh \
    build/dom0-tools/xenstored:/bin/xenstored build/dom0-tools/xenstore:/bin/xenstore \
    build/dom0-tools/xeno-domu-run:/bin/xeno-domu-run \
    "${kern[amd64]}:/boot/domu61/vmlinuz" "$out/domU-amd64.cpio.gz:/boot/domu61/initrd" \
    "${kern[cloud]}:/boot/cloud/vmlinuz" "$out/domU-cloud.cpio.gz:/boot/cloud/initrd" \
    "${kern[6.12]}:/boot/domu612/vmlinuz" "$out/domU-6.12.cpio.gz:/boot/domu612/initrd" \
    "$out/corrupt-vmlinuz:/boot/corrupt/vmlinuz"
dom0_test_boot 300 2048 "${kern[amd64]}" "$initrd"
echo "  QEMU ran $qemu_seconds s"

# section TAG: the log lines of one xeno-domu-run
section() { sed -n "/builder-dom0: domU $1: begin/,/builder-dom0: domU $1: exit/p" "$log"; }
has() { grep -qE -- "$2" <<<"$1"; }
check() { dom0_test_check "$@"; }

check "xenstored runs in dom0" grep -q "builder-dom0: xenstored started" "$log"
for tag in debian61 cloud2 debian612; do
    s=$(section $tag)
    grep -E "xeno-domu-run: (built|build failed)" <<<"$s" | sed 's/^/  /'
    case $tag in
        debian61) fmt="bzImage \(xz\)" ;; cloud2) fmt="bzImage \(lz4\)" ;; debian612) fmt="bzImage \(zstd\)" ;;
    esac
    check "$tag: built ($fmt)" has "$s" "xeno-domu-run: built d[0-9]+: kernel [^ ]+ \($fmt\)"
    check "$tag: reaches init" has "$s" "\[domU [0-9]+\] xeno-domU: init reached"
    t=$(grep -oE "\[domU [0-9]+\] xeno-domU-test: [0-9]+ passed, [0-9]+ failed" <<<"$s" | tail -1)
    grep -E "\[domU [0-9]+\] xeno-domU-test: FAIL" <<<"$s" | sed 's/^/  /'
    if has "$t" "[1-9][0-9]* passed, 0 failed"; then dom0_test_ok "$tag: domU checks (${t#*test: })"
    else dom0_test_ko "$tag: domU checks (${t:-none})"; fi
    check "$tag: powers off" has "$s" "xeno-domu-run: domain [0-9]+ shut down \(reason poweroff\)"
    check "$tag: wrote xenstore over its ring (control/feature-poweroff)" \
        has "$s" "control/feature-poweroff = \"1\""
    line=$(grep -E "host free pages" <<<"$s")
    echo "  ${line#*xeno-domu-run: }"
    check "$tag: memory returned" has "$line" "pages ([0-9]+) before, \1 after"
    check "$tag: xeno-domu-run exits 0" has "$s" "builder-dom0: domU $tag: exit 0"
done
check "cloud2: second vCPU up" has "$(section cloud2)" "\[domU [0-9]+\] .*Brought up 1 node, 2 CPUs"
s=$(section corrupt)
grep -E "xeno-domu-run: " <<<"$s" | sed 's/^/  /'
check "corrupt payload: clear error" has "$s" "build failed: kernel /boot/corrupt/vmlinuz: bzImage payload is xz: "
check "corrupt payload: only dom0 left" has "$s" "xeno-domu-run: 1 domain now: d0$"
s=$(section faillast)
grep -E "xeno-domu-run: " <<<"$s" | sed 's/^/  /'
check "failure after a complete build: reported" has "$s" "build failed: d[0-9]+: XENOBUILD_FAIL_LAST=1"
check "failure after a complete build: domain destroyed" has "$s" "xeno-domu-run: 1 domain now: d0$"
check "failure after a complete build: memory returned" has "$s" "pages ([0-9]+) before, \1 after"
check "xenstore: only dom0's directory left" \
    grep -q "builder-dom0: xenstore /local/domain after the runs: 0 *$" "$log"
if [ "$st" = 1 ] && grep -q "builder-dom0: all runs done" "$log"; then
    dom0_test_ok "dom0 powered off after the runs"
else
    dom0_test_ko "dom0 powered off after the runs (QEMU status $st, 1 = power-off)"; dom0_test_show_log 30
fi
dom0_test_finish
