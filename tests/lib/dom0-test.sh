# Shared helpers for the tests that boot Xeno under QEMU with Debian's Linux
# as dom0 and count the checks its init body prints (sourced, not run).
# A script reads, top to bottom:
#
#   set -u
#   . "$(dirname "$0")/../lib/dom0-test.sh"
#   dom0_test_init NAME                    (options below)
#   dom0_test_build MAKE-TARGET...
#   dom0_test_kernel FLAVOUR               -> kern[FLAVOUR]
#   dom0_test_domu_initrd FLAVOUR          -> $out/domU-FLAVOUR.cpio.gz
#   dom0_test_initrd FLAVOUR NAME INIT [SRC:DST...]      -> $initrd
#   dom0_test_boot TIMEOUT MEM-MIB KERNEL INITRD [ARGS]  -> $st, $log
#   dom0_test_parse PREFIX [TAG...]
#   dom0_test_expect_poweroff PATTERN DESC [LINES]
#   dom0_test_finish
#
# Variables the script may read: root (the checkout), out (this test's
# scratch directory, emptied by dom0_test_init), kern (flavour -> vmlinuz),
# initrd, log (the serial console, \r stripped), st (QEMU's status, see
# tests/lib/qemu.sh: 1 = dom0 powered off), qemu_seconds, pass, fail.
# Every step that cannot go on (build, kernel, initramfs) prints the tail of
# its log and "FAIL WHAT", then ends the test through dom0_test_finish.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/tests/lib/qemu.sh"
declare -gA kern=()
pass=0 fail=0

# dom0_test_init [--out DIR] [--bare-total] NAME: NAME prefixes the final
# "NAME: N passed, N failed"; the scratch directory is build/tests/DIR
# (default NAME), made empty.  --bare-total also prints "N passed, N failed"
# on a line of its own, for callers that look for that exact line.
dom0_test_init() {
    local dir=''
    dom0_test_bare_total=0
    while [ $# -gt 1 ]; do
        case $1 in
            --out) dir=$2; shift 2 ;;
            --bare-total) dom0_test_bare_total=1; shift ;;
            *) echo "dom0_test_init: unknown option $1" >&2; exit 2 ;;
        esac
    done
    dom0_test_name=$1
    out=$root/build/tests/${dir:-$1}
    rm -rf "$out" && mkdir -p "$out" || { echo "FAIL scratch directory $out"; exit 1; }
}

# dom0_test_finish: the summary line(s); exits 0 only when nothing failed.
dom0_test_finish() {
    echo "$dom0_test_name: $pass passed, $fail failed"
    [ "$dom0_test_bare_total" = 1 ] && echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit $?
}

dom0_test_ok() { echo "PASS $1"; pass=$((pass + 1)); }
dom0_test_ko() { echo "FAIL $1"; fail=$((fail + 1)); }

# dom0_test_check DESC COMMAND...: one check, passed when COMMAND succeeds.
dom0_test_check() {
    local desc=$1
    shift
    if "$@"; then dom0_test_ok "$desc"; else dom0_test_ko "$desc"; fi
}

# dom0_test_abort DESC: a prerequisite failed; count it and end the test.
dom0_test_abort() { dom0_test_ko "$1"; dom0_test_finish; }

# dom0_test_show_log LINES: the last LINES of the console log, indented.
dom0_test_show_log() { tail -"$1" "$log" | sed 's/^/    | /'; }

# dom0_test_build TARGET...: make -s the targets the test needs.
dom0_test_build() {
    make -s -C "$root" "$@" >"$out/build.log" 2>&1 && return
    tail -30 "$out/build.log"
    dom0_test_abort build
}

# dom0_test_kernel FLAVOUR: kern[FLAVOUR] = the cached Debian vmlinuz
# (tools/images/fetch-kernel.sh: amd64 = 6.1, cloud, 6.12).
dom0_test_kernel() {
    kern[$1]=$(cd "$root" && tools/images/fetch-kernel.sh "$1" 2>"$out/kernel-$1.log") && return
    tail -5 "$out/kernel-$1.log"
    dom0_test_abort "kernel $1"
}

# dom0_test_mkinitramfs WHAT LOG FLAVOUR ARG...: tools/images/mkinitramfs.sh
# ARG... run from the checkout, with kern[FLAVOUR]'s modules; WHAT names it
# in the failure.
dom0_test_mkinitramfs() {
    local what=$1 mklog=$2 flavour=$3
    shift 3
    (cd "$root" && tools/images/mkinitramfs.sh --kernel-dir "$(dirname "${kern[$flavour]}")" "$@") \
        >"$mklog" 2>&1 && return
    tail -5 "$mklog"
    dom0_test_abort "$what"
}

# dom0_test_domu_initrd FLAVOUR: $out/domU-FLAVOUR.cpio.gz, the domU image
# whose init runs tools/images/domU-init.sh (block and net front ends).
dom0_test_domu_initrd() {
    dom0_test_mkinitramfs "domU initramfs $1" "$out/initrd-$1.log" "$1" --name xeno-domU \
        --modules "xen-blkfront xen-netfront" --init tools/images/domU-init.sh \
        -o "$out/domU-$1.cpio.gz"
}

# dom0_test_initrd FLAVOUR NAME INIT [SRC:DST...]: initrd = the dom0 image
# for kern[FLAVOUR], with the Xen device modules the dom0 tools open
# (/dev/xen/{evtchn,privcmd,gntdev,gntalloc}, xenfs), INIT as /init's body,
# NAME as its console prefix and each SRC (relative to the checkout) at DST.
dom0_test_initrd() {
    local flavour=$1 name=$2 init=$3 add adds=()
    shift 3
    for add; do adds+=(--add "$add"); done
    initrd=$out/dom0-initrd.cpio.gz
    dom0_test_mkinitramfs "dom0 initramfs" "$out/initrd.log" "$flavour" --name "$name" \
        --modules "xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc" --init "$init" \
        "${adds[@]}" -o "$initrd"
}

# dom0_test_boot TIMEOUT MEM KERNEL INITRD [ARGS]: Xeno (build/xeno.elf) on
# 2 CPUs and MEM MiB with a 512 MiB dom0 running KERNEL (console on hvc0,
# plus ARGS) and INITRD; sets st, log and qemu_seconds.  The array
# DOM0_TEST_QEMU_ARGS, when the script sets it, adds QEMU arguments (a NIC,
# a disk).
dom0_test_boot() {
    local tmo=$1 mem=$2 kernel=$3 rd=$4 args=${5:-} start
    log=$out/boot.log
    start=$(date +%s)
    st=$(qemu_boot "$log" "$tmo" -smp 2 -m "$mem" -kernel "$root/build/xeno.elf" \
        -append "console=com1 debugexit=0xf4 noreboot dom0_mem=512M" \
        -initrd "$kernel console=hvc0 earlyprintk=xen${args:+ $args},$rd" \
        ${DOM0_TEST_QEMU_ARGS[@]+"${DOM0_TEST_QEMU_ARGS[@]}"})
    # Linux's hvc console writes CRLF; the checks match whole lines.
    tr -d '\r' <"$log" >"$log.txt" && mv "$log.txt" "$log"
    qemu_seconds=$(($(date +%s) - start))
}

# dom0_test_parse PREFIX [TAG...]: counts the init body's checks, the log
# lines "PREFIX: ok - X" (PASS X) and "PREFIX: FAIL - X" (FAIL X); lines
# "PREFIX: TAG: ..." are shown as "  TAG: ..." among them.
dom0_test_parse() {
    local prefix=$1 line tag
    shift
    while IFS= read -r line; do
        case $line in
            *"$prefix: ok - "*) dom0_test_ok "${line#*ok - }" ;;
            *"$prefix: FAIL - "*) dom0_test_ko "${line#*FAIL - }" ;;
            *)
                for tag; do
                    case $line in *"$prefix: $tag: "*) echo "  ${line#*"$prefix: "}"; break ;; esac
                done ;;
        esac
    done <"$log"
}

# dom0_test_expect_poweroff PATTERN DESC [LINES]: one more failure, DESC,
# with the last LINES (30) of the log, unless dom0 powered off (QEMU status
# 1) and the log has a line matching the grep PATTERN (the init body's own
# summary): a hang, a panic or an init that stopped early fails here.
dom0_test_expect_poweroff() {
    [ "$st" = 1 ] && grep -q -- "$1" "$log" && return
    dom0_test_ko "$2"
    dom0_test_show_log "${3:-30}"
}
