# The dom0 toolstack's xm and xend plus the /etc/xen we ship.
# Included by the top-level Makefile.
#
#   make xm                           build/xend/xm (static: the dom0 initramfs has no libc)
#   make xend                         build/xend/xend (static, real hypervisor through
#                                     libxenoctrl + libxenobuild) and build/xend/xend-hosted
#                                     (fake hypervisor, for hosted tests)
#   make test-xend                    tests/toolstack/xend-hosted.sh (no QEMU, seconds)
#   make test-xend-dom0               tests/toolstack/xend-dom0.sh: the real xend in Linux dom0
#                                     on Xeno under QEMU with Linux domUs (minutes)
#   make install-xend DESTDIR=DIR     build/xend/xend -> DIR/usr/sbin/xend
#   make test-xm                      tests/toolstack/xm-*.sh against build/xend/xm
#   make install-config DESTDIR=DIR   config/ -> DIR/etc/xen (xend-config.sxp, examples, auto/)
#   make install-xm DESTDIR=DIR       build/xend/xm -> DIR/usr/sbin/xm
#
# The pure parts (config readers, protocol, formatters) are unit-tested by
# tests/unit/test_xm_*.c and test_sxp.c (make test-unit).

# Debian packages this part needs (libyajl-dev ships the static libyajl_s.a,
# uuid-dev libuuid.a).
XEND_DEB_PACKAGES := gcc make libyajl-dev uuid-dev

XEND_BUILD  := $(BUILD)/xend
XEND_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP -Ixen-public-headers -Idom0-tools/include
XEND_LIBS   := -l:libyajl_s.a -l:libuuid.a -lm

XEND_COMMON_SRCS := xend/common/xalloc.c xend/common/strbuf.c xend/common/diag.c \
    xend/common/suggest.c xend/common/json.c xend/common/protocol.c xend/common/transport.c \
    xend/common/dominfo.c
XEND_CONFIG_SRCS := xend/config/pyvalue.c xend/config/pylex.c xend/config/pyconf.c xend/config/pyops.c \
    xend/config/xmcpus.c xend/config/xmdisk.c xend/config/xmvif.c xend/config/xmkeys.c xend/config/xmconfig.c \
    xend/config/xmconfig_out.c xend/config/xmconfig_json.c xend/config/sxp.c \
    xend/config/xendconfig.c
XM_SRCS := xend/xm/main.c xend/xm/cli.c xend/xm/help.c xend/xm/commands.c xend/xm/client.c \
    xend/xm/cmd_create.c xend/xm/cmd_info.c xend/xm/cmd_domain.c xend/xm/format_list.c \
    xend/xm/format_info.c xend/xm/format_vcpu.c xend/xm/format_uptime.c xend/xm/cmd_device.c \
    xend/xm/format_device.c

XM_OBJS := $(patsubst %.c,$(XEND_BUILD)/obj/%.o,$(XM_SRCS) $(XEND_COMMON_SRCS) $(XEND_CONFIG_SRCS))

# The daemon: the same common/config code, the xenstore client of
# dom0-tools/xenstored, and one hypervisor backend (xend/daemon/hv.h).
XEND_DAEMON_SRCS := xend/daemon/main.c xend/daemon/server.c xend/daemon/ops.c xend/daemon/ops_info.c \
    xend/daemon/domain.c xend/daemon/managed.c xend/daemon/rediscover.c xend/daemon/autostart.c \
    xend/daemon/lifecycle.c xend/daemon/xstree.c xend/daemon/xs.c xend/daemon/xlog.c \
    xend/daemon/hv_common.c xend/daemon/device.c xend/daemon/device_nodes.c \
    xend/daemon/device_vbd.c xend/daemon/device_vif.c xend/daemon/hotplug.c xend/daemon/ops_device.c \
    dom0-tools/xenstored/client.c
XEND_BASE_OBJS := $(patsubst %.c,$(XEND_BUILD)/obj/%.o,$(XEND_DAEMON_SRCS) $(XEND_COMMON_SRCS) $(XEND_CONFIG_SRCS))
XEND_REAL_OBJS := $(XEND_BASE_OBJS) $(XEND_BUILD)/obj/xend/daemon/hv_xenoctrl.o
XEND_FAKE_OBJS := $(XEND_BASE_OBJS) $(XEND_BUILD)/obj/xend/daemon/hv_fake.o $(XEND_BUILD)/obj/xend/daemon/fake_guest.o \
    $(XEND_BUILD)/obj/xend/daemon/fake_backend.o

# What "make install-config" puts in /etc/xen (and config/scripts/ in /etc/xen/scripts).
XEND_CONFIG_FILES := xend-config.sxp xmexample1 xmexample2 xmexample.pygrub xmexample.netinstall

.PHONY: xm xend xend-deps test-xm test-xend test-xend-dom0 install-config install-xm install-xend

all: xm xend

xend-deps:
	@tools/deps.sh $(XEND_DEB_PACKAGES)

xm: $(XEND_BUILD)/xm

$(XEND_BUILD)/xm: $(XM_OBJS)
	@mkdir -p $(@D)
	@$(CC) -static -o $@ $(XM_OBJS) $(XEND_LIBS)
	@echo "xend: $@"

xend: $(XEND_BUILD)/xend $(XEND_BUILD)/xend-hosted

# mk/builder.mk is read after this file, so its $(XENOBUILD_LIB) is still empty here:
# name the library by its path (the recipe's variables are expanded later, when set).
$(XEND_BUILD)/xend: $(XEND_REAL_OBJS) $(BUILD)/dom0-tools/libxenobuild.a $(XENOCTRL_LIB)
	@mkdir -p $(@D)
	@$(CC) -static -o $@ $(XEND_REAL_OBJS) $(XENOBUILD_LIB) $(XENOCTRL_LIB) $(XENOBUILD_LDLIBS) $(XEND_LIBS)
	@echo "xend: $@"

$(XEND_BUILD)/xend-hosted: $(XEND_FAKE_OBJS)
	@mkdir -p $(@D)
	@$(CC) -static -o $@ $(XEND_FAKE_OBJS) $(XEND_LIBS)
	@echo "xend: $@"

$(XEND_BUILD)/obj/%.o: %.c mk/xend.mk | xend-deps
	@mkdir -p $(@D)
	@$(CC) $(XEND_CFLAGS) -c -o $@ $<

-include $(XM_OBJS:.o=.d) $(XEND_BASE_OBJS:.o=.d) $(XEND_BUILD)/obj/xend/daemon/hv_xenoctrl.d \
    $(XEND_BUILD)/obj/xend/daemon/hv_fake.d $(XEND_BUILD)/obj/xend/daemon/fake_guest.d \
    $(XEND_BUILD)/obj/xend/daemon/fake_backend.d

test-xm: xm
	@tests/toolstack/xm-cli.sh $(XEND_BUILD)/xm

test-xend: xm xend xenstored-tools
	@tests/toolstack/xend-hosted.sh

test-xend-dom0: hypervisor xm xend xenstored-tools xenconsoled-tools
	@tests/toolstack/xend-dom0.sh

install-config:
	@test -n "$(DESTDIR)" || { echo "install-config: set DESTDIR (e.g. DESTDIR=build/root)" >&2; exit 1; }
	install -d -m 0755 $(DESTDIR)/etc/xen $(DESTDIR)/etc/xen/auto
	install -m 0644 $(addprefix config/,$(XEND_CONFIG_FILES)) $(DESTDIR)/etc/xen/
	install -m 0644 config/auto/README $(DESTDIR)/etc/xen/auto/README
	install -d -m 0755 $(DESTDIR)/etc/xen/scripts
	@# the hotplug and network scripts (docs/devices.md): the *.sh helpers are sourced, the rest run
	for f in $(wildcard config/scripts/*); do \
	  case $$f in *.sh) m=0644 ;; *) m=0755 ;; esac; \
	  install -m $$m $$f $(DESTDIR)/etc/xen/scripts/ || exit 1; done

install-xm: xm
	@test -n "$(DESTDIR)" || { echo "install-xm: set DESTDIR (e.g. DESTDIR=build/root)" >&2; exit 1; }
	install -d -m 0755 $(DESTDIR)/usr/sbin
	install -m 0755 $(XEND_BUILD)/xm $(DESTDIR)/usr/sbin/xm

install-xend: xend
	@test -n "$(DESTDIR)" || { echo "install-xend: set DESTDIR (e.g. DESTDIR=build/root)" >&2; exit 1; }
	install -d -m 0755 $(DESTDIR)/usr/sbin
	install -m 0755 $(XEND_BUILD)/xend $(DESTDIR)/usr/sbin/xend
