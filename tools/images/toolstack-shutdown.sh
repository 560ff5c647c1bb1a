# shellcheck shell=sh
# /etc/init.shutdown of the toolstack image, sourced by /init when dom0 is
# asked to power off or reboot: as Debian's xendomains does at host
# shutdown, ask every guest to shut down and wait for them (bounded), so
# that none is cut off mid-write, then stop xend.
if /usr/sbin/xend status >/dev/null 2>&1; then
    log "shutting down the guests (xm shutdown -a -w)"
    timeout 90 xm shutdown -a -w || log "some guests did not shut down in time"
    /usr/sbin/xend stop
fi
