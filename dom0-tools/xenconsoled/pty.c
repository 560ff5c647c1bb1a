/* SPDX-License-Identifier: MIT */
/* The pty of a guest console: see xenconsoled.h. */
#include "xenconsoled.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

int xcd_pty_open(int *master, int *slave, char *name, size_t size)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s = -1, err;
    if (m < 0)
        return errno;
    if (grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, name, size) != 0)
        goto fail;
    /*
     * Xen keeps the slave open for the console's lifetime: on Linux a
     * master whose slave is closed reports hang-up forever, and output
     * written with nobody attached waits in the slave's queue.
     */
    s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0)
        goto fail;
    struct termios t;
    if (tcgetattr(s, &t) < 0)
        goto fail;
    /* Raw, no echo: the guest does its own line editing and echo. */
    cfmakeraw(&t);
    if (tcsetattr(s, TCSANOW, &t) < 0)
        goto fail;
    int fl = fcntl(m, F_GETFL);
    if (fl < 0 || fcntl(m, F_SETFL, fl | O_NONBLOCK) < 0)
        goto fail;
    *master = m;
    *slave = s;
    return 0;
fail:
    err = errno ? errno : EIO;
    if (s >= 0)
        close(s);
    close(m);
    return err;
}
