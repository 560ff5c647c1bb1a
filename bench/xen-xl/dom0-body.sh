# shellcheck shell=sh disable=SC2154
# dom0 init body of the `xl create` benchmark on Debian's Xen 4.17, sourced
# by /init (tools/images/init.sh) after the mounts and the modules
# (xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc).  Packed by
# bench/xen-xl/mkdom0.sh; run by bench/xl-create-xen.sh.
#
# What Debian's /etc/init.d/xen start does (xenstored, xen-init-dom0,
# xenconsoled), the crng made ready (below), then RUNS times: write a PV
# config (name, kernel, ramdisk, extra, memory, vcpus and nothing else),
# take the time, `xl create`, read the domU console through `xl console`
# until it shows "init reached", take the time, `xl destroy`.  Then power
# off.
#
# Clock: dom0's /proc/uptime (CLOCK_BOOTTIME, 10 ms resolution), read by the
# shell builtin `read`, so taking a mark forks nothing.  Both marks of a run
# are dom0's.  The console is read by `xl console` into a FIFO and busybox
# `grep -q`, which exits at the first matching line: between the marks dom0
# runs nothing but xl and that reader, which sleeps until the domU writes.
#
# Output lines (parsed by bench/xl-create-xen.sh from the serial log):
#   XLBENCH start xen=V xenstored=X runs=N memory=M crng=ready_after_s=T|starved
#   XLBENCH run=I create_s=C seconds=S      (C: how long `xl create` took)
#   XLBENCH run=I FAIL what
#   XLBENCH done ok=K failed=F
# The settings come with the domU kernel and initrd (a cpio archive
# appended by bench/xl-create-xen.sh) in /etc/xlbench.conf:
#   RUNS MEMORY TIMEOUT XENSTORED DOMU_EXTRA DEBUG CRNG_INIT BODY
export PATH=/usr/lib/xen-4.17/bin:$PATH
RUNS=5 MEMORY=256 TIMEOUT=120 XENSTORED=oxenstored DOMU_EXTRA="console=hvc0 xeno.shell=1" DEBUG=0 CRNG_INIT=1
DOMU_KERNEL=/boot/domU-vmlinuz DOMU_INITRD=/boot/domU-initrd
[ -r /etc/xlbench.conf ] && . /etc/xlbench.conf
DOMU=xlbench

say() { echo "XLBENCH $*"; }
# uptime into the named variable, no fork
stamp() { read -r _up _idle < /proc/uptime; eval "$1=\$_up"; }
stamp_lines() { while IFS= read -r _l; do stamp _t; echo "$_t $_l"; done; }
debug_dump() { # why a run failed
    echo "----- xl list"; xl list 2>&1
    echo "----- xl dmesg (tail)"; xl dmesg 2>&1 | tail -n 20
    for _f in /var/log/xen/*.log; do
        [ -f "$_f" ] && { echo "----- $_f (tail)"; tail -n 20 "$_f"; }
    done
    echo "----- dmesg (tail)"; dmesg | tail -n 20
}
finish() {
    if [ "${DEBUG:-0}" = 1 ]; then
        for _f in /run/xl-verbose.log /var/log/xen/console/*; do
            [ -f "$_f" ] && { echo "----- $_f"; cat "$_f"; }
        done
    fi
    say "done ok=$ok failed=$failed"
    power_off
}
ok=0 failed=0

# ---- xencommons ----------------------------------------------------------------
mount -t xenfs xenfs /proc/xen || { say "run=0 FAIL mount xenfs"; finish; }
grep -q control_d /proc/xen/capabilities || { say "run=0 FAIL not a control domain"; finish; }
mkdir -p /run/xen /run/xenstored /run/lock /var/lib/xen /var/lib/xenstored /var/log/xen
[ -e /var/lock ] || ln -s /run/lock /var/lock
export XENSTORED_ROOTDIR=/run/xenstored
"/usr/lib/xen-4.17/bin/$XENSTORED" --pid-file /run/xenstore.pid ||
    { say "run=0 FAIL $XENSTORED did not start"; finish; }
_i=0
until xenstore-read -s / >/dev/null 2>&1; do
    _i=$((_i + 1))
    [ $_i -le 300 ] || { say "run=0 FAIL $XENSTORED not answering after 30 s"; debug_dump; finish; }
    sleep 0.1
done
xen-init-dom0 >/dev/null || { say "run=0 FAIL xen-init-dom0"; debug_dump; finish; }
# DEBUG=1: xenconsoled also logs the domU consoles and xl create runs with
# -vvv, its lines stamped with dom0's uptime (all printed at the end), to
# see what xl and the domU did; off by default: it slows every run
if [ "${DEBUG:-0}" = 1 ]; then
    mkdir -p /var/log/xen/console
    set -- --log=guest --log-dir=/var/log/xen/console
else
    set --
fi
xenconsoled --pid-file=/run/xenconsoled.pid "$@" || { say "run=0 FAIL xenconsoled did not start"; finish; }
# The kernel's random pool: QEMU's TCG CPU has no RDRAND and nothing else
# feeds it early, so dom0's crng is not ready when the runs start, and
# libuuid (xl makes the domain's UUID) gets EAGAIN from
# getrandom(GRND_NONBLOCK) and retries for about a second at a time: about
# 3 s of every `xl create` went there.  A Debian dom0 on hardware has RDRAND
# or a credited seed, so the crng is made ready here, before any mark, by
# one blocking read of /dev/random (Linux >= 5.18 then gathers jitter
# entropy itself).  CRNG_INIT=0 keeps the starved pool.
crng=starved
if [ "$CRNG_INIT" = 1 ]; then
    stamp _a
    dd if=/dev/random of=/dev/null bs=16 count=1 2>/dev/null ||
        { say "run=0 FAIL reading /dev/random"; finish; }
    stamp _b
    crng="ready_after_s=$(awk "BEGIN { printf \"%.2f\", $_b - $_a }")"
fi
say "start xen=$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)$(cat /sys/hypervisor/version/extra)" \
    "xenstored=$XENSTORED runs=$RUNS memory=$MEMORY crng=$crng dom0_uptime=$(cut -d' ' -f1 /proc/uptime)"

# BODY=FILE (another benchmark, e.g. bench/split-drivers-dom0.sh): it runs
# here instead of the create runs below
if [ -n "${BODY:-}" ]; then
    . "$BODY"
    finish
fi

cat > /etc/xen/$DOMU.cfg <<EOF
name = "$DOMU"
kernel = "$DOMU_KERNEL"
ramdisk = "$DOMU_INITRD"
extra = "$DOMU_EXTRA"
memory = $MEMORY
vcpus = 1
EOF

# `xl console` must not see EOF on stdin (it would leave): a FIFO this shell
# holds open read-write never ends
mkfifo /run/hold.fifo /run/console.fifo
exec 3<>/run/hold.fifo

if [ "$DEBUG" = 1 ]; then
    # how long xl takes to parse the config alone (dry run: no lock, no domain)
    stamp _a; xl create -n /etc/xen/$DOMU.cfg >/dev/null 2>&1; stamp _b
    say "debug dry-run create_s=$(awk "BEGIN { printf \"%.2f\", $_b - $_a }")"
    stamp _a; xl list >/dev/null 2>&1; stamp _b
    say "debug xl-list_s=$(awk "BEGIN { printf \"%.2f\", $_b - $_a }")"
fi
domain_gone() { ! xl domid $DOMU >/dev/null 2>&1; }
run=1
while [ $run -le "$RUNS" ]; do
    stamp t0
    if [ "$DEBUG" = 1 ]; then
        # xl's own account of the phases, each line with dom0's uptime
        { xl -vvv create /etc/xen/$DOMU.cfg 2>&1; echo "xl-exit $?"; } | stamp_lines >/run/xl-create.log
        rc=$(sed -n 's/.* xl-exit //p' /run/xl-create.log)
        { echo "----- xl -vvv create, run $run (dom0 uptime, line)"; cat /run/xl-create.log; } >>/run/xl-verbose.log
    else
        xl create /etc/xen/$DOMU.cfg >/run/xl-create.log 2>&1
        rc=$?
    fi
    if [ $rc != 0 ]; then
        say "run=$run FAIL xl create exited with $rc"
        cat /run/xl-create.log; debug_dump
        failed=$((failed + 1)); xl destroy $DOMU >/dev/null 2>&1
        run=$((run + 1)); continue
    fi
    stamp t1
    xl console $DOMU </run/hold.fifo >/run/console.fifo 2>/run/xl-console.err &
    cpid=$!
    if timeout "$TIMEOUT" grep -q "init reached" </run/console.fifo; then
        stamp t2
        say "run=$run create_s=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }")" \
            "seconds=$(awk "BEGIN { printf \"%.2f\", $t2 - $t0 }")"
        ok=$((ok + 1))
    else
        say "run=$run FAIL no \"init reached\" on the domU console within ${TIMEOUT}s"
        cat /run/xl-console.err; debug_dump
        failed=$((failed + 1))
    fi
    # (a domU that crashed is gone already: on_crash defaults to destroy)
    if ! domain_gone; then
        xl destroy $DOMU >/run/xl-destroy.log 2>&1
        rc=$?
        [ $rc = 0 ] || { say "run=$run FAIL xl destroy exited with $rc"; cat /run/xl-destroy.log; }
    fi
    kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
    # the next create reuses the name: the domain must be gone
    _i=0
    until domain_gone; do
        _i=$((_i + 1))
        [ $_i -le 100 ] || { say "run=$run FAIL $DOMU still there 10 s after xl destroy"; debug_dump; finish; }
        sleep 0.1
    done
    run=$((run + 1))
done
finish
