# The whole dom0 toolstack in one image: Debian's Linux as dom0 with
# xenstored, xenconsoled, xend, xm and two Debian domU kernels (6.1 amd64,
# xz; cloud, lz4) with their busybox initramfs.  Included by the top-level
# Makefile.
#
#   make toolstack-image   build/images/toolstack-initrd.cpio.gz (dom0 kernel:
#                          build/images/dom0-vmlinuz)
#   make test-toolstack    tests/toolstack/acceptance.sh: boots it under QEMU
#                          and runs tests/toolstack/acceptance-dom0.sh in dom0
#   make run               (tools/run-qemu.sh) boots it to the dom0 shell, with
#                          the demo domU of /etc/xen/auto running (bridged to
#                          QEMU's user network, DHCP)
#   make test-split-drivers  tests/toolstack/split-drivers.sh: vbd/vif of Debian
#                          domUs through dom0's blkback/netback, driven by xm
#   make toolstack-deps    the Debian packages below

# Debian packages: iptables (its legacy binary, libraries and extensions go
# into the image for the NAT scripts), e2fsprogs (mkfs.ext4 -d makes the
# guests' disk images on the build host).
TOOLSTACK_DEB_PACKAGES := iptables e2fsprogs

# dom0's modules: the Xen devices the tools open, the split-driver back ends
# and what the hotplug scripts use (bridge, loop, iptables-legacy with NAT,
# the physdev/state matches of vif-common's forwarding rules), and
# virtio-net for the machine's NIC (QEMU's user network), which
# network-bridge puts on the bridge; ext4 to look into the guests' disks.
TOOLSTACK_MODULES := $(DOM0_MODULES) xen-blkback xen-netback bridge loop virtio_pci virtio_net \
                     ip_tables iptable_filter iptable_nat xt_MASQUERADE xt_physdev xt_state \
                     xt_conntrack xt_tcpudp ext4 crc32c_generic
# The guests mount ext4 disks (xvda); the cloud kernel has both built in.
TOOLSTACK_DOMU_MODULES := $(DOMU_MODULES) ext4 crc32c_generic

TOOLSTACK_ROOT   := $(BUILD)/toolstack/root
TOOLSTACK_INITRD := $(IMAGES)/toolstack-initrd.cpio.gz
TOOLSTACK_BINS   := $(BUILD)/dom0-tools/xenstored $(BUILD)/dom0-tools/xenstore \
                    $(BUILD)/dom0-tools/xenconsoled $(BUILD)/dom0-tools/xenconsole \
                    $(BUILD)/xend/xend $(BUILD)/xend/xm
TOOLSTACK_DOMU   := $(IMAGES)/domU-amd64-vmlinuz $(IMAGES)/domU-amd64-initrd.cpio.gz \
                    $(IMAGES)/domU-vmlinuz $(IMAGES)/domU-initrd.cpio.gz
TOOLSTACK_FILES  := tools/images/toolstack-root.sh tools/images/toolstack-init.sh tools/images/toolstack-shutdown.sh \
                    tools/images/stage-iptables.sh tools/images/mkdisk.sh tests/devices/udhcpc.script \
                    tests/toolstack/acceptance-dom0.sh tests/toolstack/split-drivers-dom0.sh bench/xm-create-dom0.sh bench/split-drivers-dom0.sh $(wildcard tests/toolstack/etc-xen/*) \
                    $(wildcard config/*) $(wildcard config/scripts/*) mk/toolstack.mk

.PHONY: toolstack-image toolstack-bins toolstack-deps test-toolstack test-split-drivers

toolstack-deps:
	@tools/deps.sh $(TOOLSTACK_DEB_PACKAGES)

# The Debian 6.1 kernel as a domU, with an initramfs of its own modules.
$(eval $(call image_rules,amd64,domU-amd64-,xeno-domU,$(TOOLSTACK_DOMU_MODULES),tools/images/domU-init.sh,$(DOMU_FILES)))

toolstack-bins: xenstored-tools xenconsoled-tools xend xm

toolstack-image: $(TOOLSTACK_INITRD) $(IMAGES)/dom0-vmlinuz

$(TOOLSTACK_INITRD): toolstack-bins toolstack-deps $(TOOLSTACK_DOMU) $(TOOLSTACK_FILES) $(IMAGES)/dom0-vmlinuz $(IMAGES_TOOLS)
	@BUILD=$(abspath $(BUILD)) tools/images/toolstack-root.sh $(TOOLSTACK_ROOT)
	@tools/images/mkinitramfs.sh --kernel-dir $(IMAGES_CACHE)/kernel-amd64 --name xeno-dom0 \
	  --modules "$(TOOLSTACK_MODULES)" --init tools/images/toolstack-init.sh \
	  --add $(TOOLSTACK_ROOT):/ -o $@

test-toolstack: hypervisor toolstack-image
	@tests/toolstack/acceptance.sh

test-split-drivers: hypervisor toolstack-image
	@tests/toolstack/split-drivers.sh
