# shellcheck shell=sh
# dom0 init body of the libxenoctrl smoke test (tests/xenoctrl/dom0.sh):
# sourced by /init (tools/images/init.sh) once xen-privcmd, xen-evtchn,
# xenfs, xen-gntdev and xen-gntalloc are loaded; runs the static test program and
# powers off.
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen 2>/dev/null
log "running /bin/xenoctrl-smoke"
/bin/xenoctrl-smoke
log "xenoctrl-smoke exited with status $?"
power_off
