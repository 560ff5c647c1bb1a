# xenconsoled and the xenconsole client (dom0-tools/xenconsoled/), linked
# statically because dom0's busybox initramfs has no libc.  Included by the
# top-level Makefile; `make` (all) builds them.
#
#   make xenconsoled-tools   build/dom0-tools/xenconsoled (installed as
#                            /usr/sbin/xenconsoled) and build/dom0-tools/xenconsole
#                            (installed as /usr/lib/xen/bin/xenconsole, which
#                            `xm console` execs)
#   make test-xenconsoled    the hosted integration test (no Xen needed):
#                            tests/toolstack/xenconsoled-hosted.sh
# Unit tests of the pure parts: tests/unit/test_xenconsoled_*.c (make test-unit).

XCD_DIR    := dom0-tools/xenconsoled
XCD_OUT    := $(BUILD)/dom0-tools
XCD_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Ixen-public-headers -Idom0-tools/include \
              -I$(XCD_DIR) -Idom0-tools/xenstored
XCD_HDRS   := $(wildcard $(XCD_DIR)/*.h) dom0-tools/xenstored/client.h dom0-tools/include/xenoctrl.h \
              xen-public-headers/xen/io/console.h xen-public-headers/xen/grant_table.h \
              xen-public-headers/xen/io/xs_wire.h
XCD_COMMON := options.c store.c
XCD_DAEMON_SRCS := $(addprefix $(XCD_DIR)/,$(XCD_COMMON) main.c daemon.c console.c ring.c buffer.c \
                   lognames.c logfile.c log.c pty.c os_xen.c os_hosted.c) dom0-tools/xenstored/client.c
XCD_CLIENT_SRCS := $(addprefix $(XCD_DIR)/,$(XCD_COMMON) xenconsole.c) dom0-tools/xenstored/client.c

.PHONY: xenconsoled-tools test-xenconsoled
all: xenconsoled-tools

xenconsoled-tools: $(XCD_OUT)/xenconsoled $(XCD_OUT)/xenconsole

$(XCD_OUT)/xenconsoled: $(XCD_DAEMON_SRCS) $(XCD_HDRS) $(XENOCTRL_LIB) mk/xenconsoled.mk
	@mkdir -p $(@D)
	@$(CC) $(XCD_CFLAGS) -static -o $@.tmp $(XCD_DAEMON_SRCS) $(XENOCTRL_LIB) && mv $@.tmp $@

$(XCD_OUT)/xenconsole: $(XCD_CLIENT_SRCS) $(XCD_HDRS) mk/xenconsoled.mk
	@mkdir -p $(@D)
	@$(CC) $(XCD_CFLAGS) -static -o $@.tmp $(XCD_CLIENT_SRCS) && mv $@.tmp $@

test-xenconsoled: xenconsoled-tools xenstored-tools
	@tests/toolstack/xenconsoled-hosted.sh

# xenconsoled in Linux dom0 on Xeno (QEMU, a minute or two; not part of `make test`):
# the real back end against a domain made from dom0.
.PHONY: test-xenconsoled-dom0
test-xenconsoled-dom0: xenconsoled-tools xenstored-tools xenoctrl hypervisor
	@tests/toolstack/xenconsoled-dom0.sh
