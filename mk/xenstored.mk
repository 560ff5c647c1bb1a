# xenstored and the xenstore-* tools (dom0-tools/xenstored/), linked
# statically because dom0's busybox initramfs has no libc.  Included by the
# top-level Makefile; `make` (all) builds them.
#
#   make xenstored-tools   build/dom0-tools/xenstored, build/dom0-tools/xenstore
#                          (multi-call: xenstore-read, -write, -rm, -exists,
#                          -list, -ls, -chmod, -watch, -control symlinks)
#   make test-xenstored    the hosted integration test (tests/toolstack/)

XS_DIR   := dom0-tools/xenstored
XS_OUT   := $(BUILD)/dom0-tools
XS_CORE  := hash node path perms quota store transaction watch conn ops ops_node \
            domain control server ring
XS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ixen-public-headers
XS_HDRS  := $(wildcard $(XS_DIR)/*.h) xen-public-headers/xen/io/xs_wire.h xen-public-headers/xen/xen.h
XS_CLI_MODES := read write rm exists list ls chmod watch control

XS_DAEMON_SRCS := $(addprefix $(XS_DIR)/,$(addsuffix .c,$(XS_CORE) main log conn_socket conn_ring \
                  os_xen os_hosted client))
XS_CLI_SRCS    := $(addprefix $(XS_DIR)/,cli.c client.c)

.PHONY: xenstored-tools test-xenstored
all: xenstored-tools

xenstored-tools: $(XS_OUT)/xenstored $(XS_OUT)/xenstore

$(XS_OUT)/xenstored: $(XS_DAEMON_SRCS) $(XS_HDRS) mk/xenstored.mk
	@mkdir -p $(@D)
	@$(CC) $(XS_CFLAGS) -static -o $@.tmp $(XS_DAEMON_SRCS) && mv $@.tmp $@

$(XS_OUT)/xenstore: $(XS_CLI_SRCS) $(XS_HDRS) mk/xenstored.mk
	@mkdir -p $(@D)
	@$(CC) $(XS_CFLAGS) -static -o $@.tmp $(XS_CLI_SRCS) && mv $@.tmp $@
	@for m in $(XS_CLI_MODES); do ln -sf xenstore $(@D)/xenstore-$$m; done

test-xenstored: xenstored-tools
	@tests/toolstack/xenstored-hosted.sh

# xenstored in Linux dom0 on Xeno (QEMU; not part of `make test`)
.PHONY: test-xenstored-dom0
test-xenstored-dom0: xenstored-tools hypervisor
	@tests/toolstack/xenstored-dom0.sh
