# libxenobuild, dom0's user-space PV domain builder (dom0-tools/builder/,
# contract in dom0-tools/include/xenobuild.h), and its dom0 harness.
# Included by the top-level Makefile; `make` (all) builds both.
#
#   make xenobuild          build/dom0-tools/libxenobuild.a
#   make xeno-domu-run      build/dom0-tools/xeno-domu-run (static; runs in dom0)
#   make test-builder-dom0  Linux dom0 on Xeno builds and runs Linux domUs
#                           (tests/builder/dom0.sh)
#   bash tests/unit/run.sh test_xenobuild_unpack   (and test_xenobuild_image)
#
# Users compile with $(XENOBUILD_CFLAGS) and link
#   $(XENOBUILD_LIB) $(XENOCTRL_LIB) $(XENOBUILD_LDLIBS)
# (-static for dom0).  The library includes the hypervisor's own ELF-note
# parser, layout and magic sniffing compiled hosted (one rule, one place).

XENOBUILD_DIR     := dom0-tools/builder
XENOBUILD_OUT     := $(BUILD)/dom0-tools
XENOBUILD_LIB     := $(XENOBUILD_OUT)/libxenobuild.a
XENOBUILD_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ixen-public-headers -Idom0-tools/include
XENOBUILD_LDLIBS  := -l:libz.a -l:liblzma.a -l:liblz4.a -l:libzstd.a -l:libbz2.a
XENOBUILD_DEB_PACKAGES := gcc make zlib1g-dev liblzma-dev liblz4-dev libzstd-dev libbz2-dev

# The hypervisor's pure code, hosted (as tests/unit builds it).
XENOBUILD_HV_SRCS := hypervisor/common/kernel_image.c hypervisor/common/pv_layout.c \
                     hypervisor/lib/decompress.c hypervisor/lib/inflate.c hypervisor/lib/xz.c \
                     hypervisor/lib/zstd.c hypervisor/lib/crc32.c hypervisor/lib/crc64.c
XENOBUILD_HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -DXENO_HOSTED -Ihypervisor/include \
                       -Ixen-public-headers
XENOBUILD_SRCS    := $(filter-out $(XENOBUILD_DIR)/domu_run%.c,$(wildcard $(XENOBUILD_DIR)/*.c))
XENOBUILD_OBJS    := $(patsubst $(XENOBUILD_DIR)/%.c,$(XENOBUILD_OUT)/obj/xenobuild/%.o,$(XENOBUILD_SRCS)) \
                     $(patsubst %.c,$(XENOBUILD_OUT)/obj/xenobuild/hv/%.o,$(notdir $(XENOBUILD_HV_SRCS)))
XENOBUILD_HDRS    := dom0-tools/include/xenobuild.h dom0-tools/include/xenoctrl.h \
                     $(wildcard $(XENOBUILD_DIR)/*.h) hypervisor/include/xeno/kernel_image.h \
                     hypervisor/include/xeno/pv_layout.h hypervisor/include/xeno/decompress.h

.PHONY: xenobuild xenobuild-deps xeno-domu-run test-builder-dom0
all: xenobuild xeno-domu-run

xenobuild-deps:
	@tools/deps.sh $(XENOBUILD_DEB_PACKAGES)

xenobuild: $(XENOBUILD_LIB)

$(XENOBUILD_OUT)/obj/xenobuild/%.o: $(XENOBUILD_DIR)/%.c $(XENOBUILD_HDRS) mk/builder.mk | xenobuild-deps
	@mkdir -p $(@D)
	@$(CC) $(XENOBUILD_CFLAGS) -iquote hypervisor/include -c -o $@ $<

$(XENOBUILD_OUT)/obj/xenobuild/hv/%.o: hypervisor/common/%.c mk/builder.mk
	@mkdir -p $(@D)
	@$(CC) $(XENOBUILD_HV_CFLAGS) -c -o $@ $<

$(XENOBUILD_OUT)/obj/xenobuild/hv/%.o: hypervisor/lib/%.c mk/builder.mk
	@mkdir -p $(@D)
	@$(CC) $(XENOBUILD_HV_CFLAGS) -c -o $@ $<

$(XENOBUILD_LIB): $(XENOBUILD_OBJS)
	@mkdir -p $(@D)
	@rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

# The dom0 harness: build, introduce to xenstored, relay the console, wait.
XENOBUILD_RUN_SRCS := $(wildcard $(XENOBUILD_DIR)/domu_run*.c) dom0-tools/xenstored/client.c

xeno-domu-run: $(XENOBUILD_OUT)/xeno-domu-run

$(XENOBUILD_OUT)/xeno-domu-run: $(XENOBUILD_RUN_SRCS) $(XENOBUILD_LIB) $(XENOCTRL_LIB) $(XENOBUILD_HDRS) \
                                dom0-tools/xenstored/client.h
	@mkdir -p $(@D)
	@$(CC) $(XENOBUILD_CFLAGS) -Idom0-tools/xenstored -static -o $@.tmp $(XENOBUILD_RUN_SRCS) \
	    $(XENOBUILD_LIB) $(XENOCTRL_LIB) $(XENOBUILD_LDLIBS) && mv $@.tmp $@

test-builder-dom0: hypervisor xeno-domu-run xenstored-tools
	@tests/builder/dom0.sh
