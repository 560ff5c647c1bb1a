#!/usr/bin/env bash
# boot-check.sh - boot a kernel + initramfs under QEMU, directly or as dom0 of
# a Xen-compatible hypervisor, and check what the initramfs /init prints.
#
# usage: boot-check.sh [--hv none|xen|xeno|FILE] [--mode test|shell]
#                      [--kernel VMLINUZ] [--initrd CPIO] [--name NAME]
#                      [--timeout SECONDS] [--log FILE] [--append ARGS]
#
#   --hv none    plain QEMU: -kernel VMLINUZ -initrd CPIO, console=ttyS0 (default)
#   --hv xen     Debian's Xen 4.17 (xen-hypervisor-4.17-amd64, fetched into
#                $BUILD/cache/ with apt-get download, gunzipped to xen.elf)
#   --hv xeno    $BUILD/xeno.elf
#   --hv FILE    any multiboot hypervisor image
#                (hypervisor cases: -append "console=com1 dom0_mem=512M $HV_ARGS"
#                 -initrd "VMLINUZ console=hvc0 earlyprintk=xen ARGS,CPIO")
#   --mode test  kernel argument xeno.test=1: wait for
#                "NAME-test: N passed, M failed" and the power-off (default)
#   --mode shell wait for the interactive shell, type a command into it and
#                check its output, then power off from the shell
#   --name NAME  console prefix of the init (default xeno-dom0)
#   --append     extra kernel arguments (no commas with a hypervisor)
#
# Every console line is logged with the host time since QEMU started
# ("[  12.345] ..."); the summary gives the times of the Linux banner,
# "NAME: init reached", the result, and QEMU's exit.
# Passes (exit 0) when: test mode - the result line appears, and with a
# hypervisor "0 failed" (without one the Xen checks fail by design);
# shell mode - the command's output comes back.
# Environment: QEMU_MEM (512 plain, 1024 with a hypervisor), QEMU_SMP (2),
# QEMU_ACCEL (tcg), HV_ARGS (extra hypervisor options), BUILD (build).
set -uo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HV=none MODE=test NAME=xeno-dom0 TIMEOUT='' LOG='' EXTRA=''
KERNEL=$BUILD/images/dom0-vmlinuz
INITRD=$BUILD/images/dom0-initrd.cpio.gz

usage() { sed -n '5,31p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --hv) HV=${2:?}; shift 2 ;;
        --mode) MODE=${2:?}; shift 2 ;;
        --kernel) KERNEL=${2:?}; shift 2 ;;
        --initrd) INITRD=${2:?}; shift 2 ;;
        --name) NAME=${2:?}; shift 2 ;;
        --timeout) TIMEOUT=${2:?}; shift 2 ;;
        --log) LOG=${2:?}; shift 2 ;;
        --append) EXTRA=${2?}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "boot-check: unknown argument $1" >&2; usage ;;
    esac
done
case "$MODE" in test|shell) ;; *) usage ;; esac
say() { echo "boot-check: $*" >&2; }
die() { say "error: $*"; exit 1; }
[ -f "$KERNEL" ] || die "no kernel $KERNEL (make images)"
[ -f "$INITRD" ] || die "no initramfs $INITRD (make images)"

# Debian's Xen 4.17, current version of the package (never pinned)
fetch_xen() {
    local cache=$BUILD/cache dir=$BUILD/cache/xen-4.17 pkg=xen-hypervisor-4.17-amd64 deb tmp
    mkdir -p "$cache/debs" "$dir"
    deb=$(ls -t "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
    if [ -z "$deb" ]; then
        say "downloading $pkg"
        tmp=$(mktemp -d "$cache/debs/.dl.XXXXXX")
        if ! (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$pkg") >"$cache/apt-xen.log" 2>&1; then
            if [ "$(id -u)" = 0 ]; then
                apt-get update -q >>"$cache/apt-xen.log" 2>&1
                (cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$pkg") >>"$cache/apt-xen.log" 2>&1
            fi
        fi
        mv "$tmp"/*.deb "$cache/debs/" 2>/dev/null
        rm -rf "$tmp"
        deb=$(ls -t "$cache/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
        [ -n "$deb" ] || die "apt-get download $pkg failed (see $cache/apt-xen.log)"
    fi
    if [ ! -s "$dir/xen.elf" ] || [ "$deb" -nt "$dir/xen.elf" ]; then
        rm -rf "$dir/pkg"
        dpkg-deb -x "$deb" "$dir/pkg" || die "dpkg-deb -x $deb failed"
        zcat "$dir"/pkg/boot/xen-4.17-amd64.gz > "$dir/xen.elf.tmp" || die "no /boot/xen-4.17-amd64.gz in $deb"
        mv "$dir/xen.elf.tmp" "$dir/xen.elf"
        rm -rf "$dir/pkg"
    fi
    say "Xen: $(basename "$deb")"
    echo "$dir/xen.elf"
}

ARGS=$EXTRA
[ "$MODE" = test ] && ARGS="xeno.test=1 $ARGS"
case "$HV" in
    none) HVELF= ;;
    xen) HVELF=$(fetch_xen) || exit 1 ;;
    xeno) HVELF=$BUILD/xeno.elf ;;
    *) HVELF=$HV ;;
esac
QEMU=(qemu-system-x86_64 -nographic -no-reboot -net none -accel "${QEMU_ACCEL:-tcg}" -smp "${QEMU_SMP:-2}")
if [ -z "$HVELF" ]; then
    QEMU+=(-m "${QEMU_MEM:-512}" -kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyS0 $ARGS")
else
    [ -f "$HVELF" ] || die "no hypervisor image $HVELF"
    case "$KERNEL$INITRD$ARGS" in *,*) die "no commas allowed in kernel/initrd paths and arguments" ;; esac
    QEMU+=(-m "${QEMU_MEM:-1024}" -kernel "$HVELF" -append "console=com1 dom0_mem=512M ${HV_ARGS:-}"
           -initrd "$KERNEL console=hvc0 earlyprintk=xen $ARGS,$INITRD")
fi
[ -n "$TIMEOUT" ] || { [ "${QEMU_ACCEL:-tcg}" = kvm ] && TIMEOUT=120 || TIMEOUT=300; }
[ -n "$LOG" ] || LOG=$BUILD/images/boot-check-$HV-$MODE.log
case "$HV" in */*) LOG=$BUILD/images/boot-check-custom-$MODE.log ;; esac
mkdir -p "$(dirname "$LOG")"
: > "$LOG"

printf '%q ' "${QEMU[@]}" | sed 's/ $//' > "$LOG.cmd"
say "$(cat "$LOG.cmd")"
say "log: $LOG"

now_us() { local t=${EPOCHREALTIME/./}; echo $((t - T0)); }
fmt() { printf '%d.%03d' $(($1 / 1000000)) $(($1 % 1000000 / 1000)); }
T0=${EPOCHREALTIME/./}
coproc QEMUP { exec timeout -k 5 "$TIMEOUT" "${QEMU[@]}" 2>&1; }
QPID=$QEMUP_PID
# our own copies: bash closes the coproc's descriptors when it ends
exec {QOUT}<&"${QEMUP[0]}" {QIN_KEEP}>&"${QEMUP[1]}"

t_linux='' t_init='' t_result='' t_shell='' t_exit='' result='' sent=0 shell_ok='' panic='' partial='' stopped=''
while :; do
    if IFS= read -r -t 1 line <&"$QOUT"; then
        line=$partial$line; partial=
        line=${line//$'\r'/}
        t=$(now_us)
        printf '[%8s] %s\n' "$(fmt "$t")" "$line" >> "$LOG"
        case "$line" in
            *"Linux version "*) [ -n "$t_linux" ] || t_linux=$t ;;
            *"$NAME: init reached"*) [ -n "$t_init" ] || { t_init=$t; say "init reached at +$(fmt "$t") s"; } ;;
            *"$NAME-test: "*" passed, "*" failed"*) result=${line#*"$NAME-test: "}; t_result=$t ;;
            *"$NAME-test: FAIL"*) [ -z "$HVELF" ] || say "${line#*"$NAME-test: "}" ;;
            *"Kernel panic"*|*"Panic on CPU"*|*"Call Trace:"*|*"BUG: "*|*"Oops: "*)
                [ -n "$panic" ] || panic=$line ;;
            *"xeno-shell-42"*) [[ "$line" == *'$(('* ]] || { shell_ok=1; t_shell=$t; } ;;
        esac
        if [ "$MODE" = shell ] && [ $sent = 0 ] && [[ "$line" == *"$NAME: starting shell"* ]]; then
            sent=1
            # type into the console: the shell answers 42 and powers off
            ( sleep 2; printf 'echo xeno-shell-$((6*7)); tty; poweroff -f\n' >&"$QIN_KEEP" ) &
        fi
    else
        rc=$?
        if [ $rc -le 128 ]; then break; fi   # EOF: QEMU has exited
        partial=$partial$line                # timeout: keep the partial line
    fi
    # the result is in; don't wait long for a power-off that may not come
    if [ -n "$result$shell_ok" ] && [ -z "${t_done:-}" ]; then t_done=$(now_us); fi
    if [ -n "${t_done:-}" ] && [ $(( $(now_us) - t_done )) -gt 20000000 ]; then
        say "no power-off 20 s after the result; stopping QEMU"
        kill "$QPID" 2>/dev/null; stopped=1
        break
    fi
    # a crash: stop once the console has been quiet for 15 s
    if [ -n "$panic" ] && [ $(( $(now_us) - ${t:-0} )) -gt 15000000 ]; then
        say "crash, then 15 s without output; stopping QEMU"
        kill "$QPID" 2>/dev/null; stopped=1
        break
    fi
done
wait "$QPID" 2>/dev/null; qrc=$?
t_exit=$(now_us)
exec {QIN_KEEP}>&- {QOUT}<&-

say "kernel:  $KERNEL ($(stat -c %s "$KERNEL") bytes)"
say "initrd:  $INITRD ($(stat -c %s "$INITRD") bytes)"
[ -n "$HVELF" ] && say "hv:      $HVELF"
say "times since QEMU start (accel ${QEMU_ACCEL:-tcg}, smp ${QEMU_SMP:-2}):"
say "  Linux banner     ${t_linux:+$(fmt "$t_linux") s}"
say "  init reached     ${t_init:+$(fmt "$t_init") s}"
[ "$MODE" = test ] && say "  test result      ${t_result:+$(fmt "$t_result") s}  ${result:-(none)}"
[ "$MODE" = shell ] && say "  shell answered   ${t_shell:+$(fmt "$t_shell") s}"
if [ -n "$stopped" ]; then
    say "  QEMU stopped     $(fmt "$t_exit") s (by boot-check)"
else
    say "  QEMU exited      $(fmt "$t_exit") s (status $qrc$([ $qrc = 124 ] && echo ", timeout ${TIMEOUT}s"))"
fi
[ -n "$panic" ] && say "crash: $panic"

ok=1
[ -n "$t_init" ] || ok=0
if [ "$MODE" = test ]; then
    [ -n "$result" ] || ok=0
    if [ -n "$HVELF" ] && [ -n "$result" ]; then
        case "$result" in *" 0 failed"*) ;; *) ok=0 ;; esac
    fi
else
    [ -n "$shell_ok" ] || ok=0
fi
[ -z "$panic" ] || ok=0
if [ $ok = 1 ]; then say "PASS"; exit 0; fi
say "FAIL (see $LOG)"
exit 1
