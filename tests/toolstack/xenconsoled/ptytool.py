#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Terminal-side helpers for tests/toolstack/xenconsoled-hosted.sh.

  ptytool.py read TTY WANT TIMEOUT [OUTFILE]  open a console pty, read until WANT
                                             appears (then 0.3 s more); OUTFILE gets it all
  ptytool.py drain TTY OUTFILE               read until 0.5 s of silence
  ptytool.py write TTY DATA                  write DATA (\\r, \\n escapes) into the pty
  ptytool.py hangup TTY TIMEOUT READY        open it, create file READY, wait for hang-up
                                             (POLLHUP; it reads nothing)
  ptytool.py session TIMEOUT WANT SEND -- CMD...
        run "CMD; echo rc=$?; stty -a" on a new terminal; once CMD has printed WANT,
        type SEND and then Ctrl-]; report what CMD printed, its status and whether
        the terminal was left in canonical mode with echo (restored)
Prints "ok ..." / "FAIL ..." lines; exits 1 on FAIL.
"""
import os
import pty
import select
import sys
import time


def unescape(s):
    return s.replace('\\r', '\r').replace('\\n', '\n').encode()


def read_until(fd, want, timeout, quiet_after=0.3):
    """Bytes read until want was seen (+quiet_after s) or timeout; and whether the fd hung up."""
    out = b''
    end = time.time() + timeout
    seen_at = None
    while time.time() < end:
        if seen_at is None and want and want in out:
            seen_at = time.time()
        if seen_at is not None and time.time() - seen_at > quiet_after:
            break
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            d = os.read(fd, 65536)
        except OSError:
            return out, True
        if not d:
            return out, True
        out += d
    return out, False


def main(a):
    cmd = a[0]
    if cmd == 'read':
        fd = os.open(a[1], os.O_RDWR | os.O_NOCTTY)
        out, _ = read_until(fd, a[2].encode(), float(a[3]))
        if len(a) > 4:
            open(a[4], 'wb').write(out)
        if a[2].encode() in out:
            print('ok read %d bytes including %r' % (len(out), a[2]))
            return 0
        print('FAIL read: wanted %r, got %r' % (a[2], out[-300:]))
        return 1
    if cmd == 'drain':
        fd = os.open(a[1], os.O_RDWR | os.O_NOCTTY)
        out = b''
        while True:
            r, _, _ = select.select([fd], [], [], 0.5)
            if not r:
                break
            d = os.read(fd, 65536)
            if not d:
                break
            out += d
        open(a[2], 'wb').write(out)
        print('ok drained %d bytes' % len(out))
        return 0
    if cmd == 'write':
        fd = os.open(a[1], os.O_RDWR | os.O_NOCTTY)
        os.write(fd, unescape(a[2]))
        print('ok wrote %r' % a[2])
        return 0
    if cmd == 'hangup':
        # Poll without reading: xenconsole reads the same pty and must get every byte.
        fd = os.open(a[1], os.O_RDWR | os.O_NOCTTY)
        open(a[3], 'w').close()
        p = select.poll()
        p.register(fd, 0)
        end = time.time() + float(a[2])
        while time.time() < end:
            if any(ev & (select.POLLHUP | select.POLLERR) for _, ev in p.poll(100)):
                print('ok hang-up on %s' % a[1])
                return 0
        print('FAIL no hang-up on %s within %s s' % (a[1], a[2]))
        return 1
    if cmd == 'session':
        timeout, want, send = float(a[1]), a[2].encode(), unescape(a[3])
        argv = a[a.index('--') + 1:]
        script = '"$@"; echo "rc=$?"; stty -a'
        pid, fd = pty.fork()
        if pid == 0:
            os.execv('/bin/sh', ['sh', '-c', script, 'sh'] + argv)
        out, _ = read_until(fd, want, timeout, 0.2)
        ok = want in out
        print(('ok' if ok else 'FAIL') + ' xenconsole showed %r' % want + ('' if ok else ': got %r' % out))
        os.write(fd, send)
        time.sleep(0.5)
        os.write(fd, b'\x1d')
        rest, _ = read_until(fd, b'eof = ', timeout, 0.3)
        os.waitpid(pid, 0)
        text = (out + rest).decode(errors='replace')
        rc = text.split('rc=')[1].split()[0] if 'rc=' in text else None
        print(('ok' if rc == '0' else 'FAIL') + ' Ctrl-] detached with status %s' % rc)
        stty = text.split('rc=')[1] if rc is not None else ''
        restored = ' icanon' in stty and ' echo ' in stty and '-icanon' not in stty
        print(('ok' if restored else 'FAIL') + ' terminal restored (icanon, echo) after detaching')
        return 0 if ok and rc == '0' and restored else 1
    print('FAIL unknown command %s' % cmd)
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
