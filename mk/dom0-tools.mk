# libxenoctrl, dom0's control library (dom0-tools/lib, API in
# dom0-tools/include/xenoctrl.h), and its dom0 smoke test.  Included by the
# top-level Makefile; `make` (all) builds the library and the test program.
#
#   make xenoctrl             build/dom0-tools/libxenoctrl.a
#   make xenoctrl-smoke       build/dom0-tools/xenoctrl-smoke (static; runs in dom0)
#   make test-xenoctrl-dom0   Linux dom0 on Xeno runs the smoke test: physinfo,
#                             readconsole, a domain created, filled, mapped and
#                             destroyed from user space (tests/xenoctrl/dom0.sh)
#
# Users of the library compile with $(XENOCTRL_CFLAGS) and link
# $(XENOCTRL_LIB); the pure marshalling is unit-tested hosted
# (tests/unit/test_xenoctrl_marshal.c).

XENOCTRL_DIR    := dom0-tools/lib
XENOCTRL_OUT    := $(BUILD)/dom0-tools
XENOCTRL_LIB    := $(XENOCTRL_OUT)/libxenoctrl.a
XENOCTRL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ixen-public-headers -Idom0-tools/include
XENOCTRL_SRCS   := $(wildcard $(XENOCTRL_DIR)/*.c)
XENOCTRL_OBJS   := $(patsubst $(XENOCTRL_DIR)/%.c,$(XENOCTRL_OUT)/obj/xenoctrl/%.o,$(XENOCTRL_SRCS))
XENOCTRL_HDRS   := dom0-tools/include/xenoctrl.h $(wildcard $(XENOCTRL_DIR)/*.h) \
                   xen-public-headers/xen/domctl.h xen-public-headers/xen/sysctl.h \
                   xen-public-headers/xen/xen.h xen-public-headers/xen/memory.h

.PHONY: xenoctrl xenoctrl-smoke test-xenoctrl-dom0
all: xenoctrl xenoctrl-smoke

xenoctrl: $(XENOCTRL_LIB)
xenoctrl-smoke: $(XENOCTRL_OUT)/xenoctrl-smoke

$(XENOCTRL_OUT)/obj/xenoctrl/%.o: $(XENOCTRL_DIR)/%.c $(XENOCTRL_HDRS) mk/dom0-tools.mk
	@mkdir -p $(@D)
	@$(CC) $(XENOCTRL_CFLAGS) -c -o $@ $<

$(XENOCTRL_LIB): $(XENOCTRL_OBJS)
	@mkdir -p $(@D)
	@rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

# Static: dom0's busybox initramfs has no libc.
$(XENOCTRL_OUT)/xenoctrl-smoke: tools/images/xenoctrl-smoke.c $(XENOCTRL_LIB) $(XENOCTRL_HDRS)
	@mkdir -p $(@D)
	@$(CC) $(XENOCTRL_CFLAGS) -static -o $@.tmp $< $(XENOCTRL_LIB) && mv $@.tmp $@

# Boots Debian's Linux as dom0 on Xeno (QEMU, a minute or two).
test-xenoctrl-dom0: hypervisor xenoctrl-smoke
	@tests/xenoctrl/dom0.sh
